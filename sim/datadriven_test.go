package sim

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
)

// TestRouting replays the stories in testdata/routing/*.txt. Commands:
//
//	scenario            load the YAML input as the current scenario
//	run [seed=N]        run its replications; print the totals over them
//
// Totals are sums over replications, exact for a seed. run also checks
// conservation on every replication and says so if it breaks.
// go test ./sim -run TestRouting -rewrite regenerates the expected output.
func TestRouting(t *testing.T) {
	datadriven.Walk(t, "testdata/routing", func(t *testing.T, path string) {
		var s *scenarios.Scenario
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			switch d.Cmd {
			case "scenario":
				var err error
				s, err = format.Load("test.yaml", []byte(d.Input))
				if err != nil {
					return err.Error() + "\n"
				}
				return "ok\n"
			case "run":
				if d.HasArg("seed") {
					d.ScanArgs(t, "seed", &s.Run.Seed)
				}
				m, err := Compile(s)
				if err != nil {
					d.Fatalf(t, "%v", err)
				}
				reps, err := Run(context.Background(), m, s.Run.Seed, s.Run.Replications, 0)
				if err != nil {
					d.Fatalf(t, "%v", err)
				}
				return totals(m, reps)
			}
			d.Fatalf(t, "unknown command %s", d.Cmd)
			return ""
		})
	})
}

// totals prints the counts of every replication summed, in model order,
// leaving out what is zero.
func totals(m *Model, reps []*Replication) string {
	var b strings.Builder
	for i, info := range m.Populations {
		var sum PopulationTally
		for _, r := range reps {
			t := &r.Populations[i]
			if t.Offered != t.AdmittedPrimary+t.AdmittedSecondary+t.Blocked {
				fmt.Fprintf(&b, "CONSERVATION BROKEN: replication %d of %s: offered %d != %d + %d + %d\n",
					r.Index, info.ID, t.Offered, t.AdmittedPrimary, t.AdmittedSecondary, t.Blocked)
			}
			sum.Add(t)
		}
		fmt.Fprintf(&b, "%s: offered %d, primary %d, secondary %d, blocked %d", info.ID, sum.Offered, sum.AdmittedPrimary, sum.AdmittedSecondary, sum.Blocked)
		for p := range NumPlanes {
			if sum.BlockedPlane[p] > 0 {
				fmt.Fprintf(&b, " (%d at %s)", sum.BlockedPlane[p], scenarios.Planes[p])
			}
		}
		if sum.Retries > 0 {
			fmt.Fprintf(&b, ", retries %d", sum.Retries)
		}
		if sum.Rejoins > 0 {
			fmt.Fprintf(&b, ", rejoins %d (%d blocked)", sum.Rejoins, sum.RejoinsBlocked)
		}
		if sum.DialIns > 0 {
			fmt.Fprintf(&b, ", dial-ins %d", sum.DialIns)
		}
		for p := range NumPlanes {
			if sum.Violations[p] > 0 {
				fmt.Fprintf(&b, ", %s violations %d", scenarios.Planes[p], sum.Violations[p])
			}
		}
		b.WriteString("\n")
	}
	for i, info := range m.Datacenters {
		for p := range NumPlanes {
			if !info.Serves[p] {
				continue
			}
			var sum PlaneTally
			for _, r := range reps {
				t := r.Datacenters[i].Planes[p]
				sum.AdmittedPrimary += t.AdmittedPrimary
				sum.AdmittedSecondary += t.AdmittedSecondary
				sum.Refused += t.Refused
				sum.Failed += t.Failed
				sum.Violations += t.Violations
				sum.KeyCopyViolations += t.KeyCopyViolations
				sum.Dropped += t.Dropped
			}
			fmt.Fprintf(&b, "  %s %s: primary %d, secondary %d, refused %d, failed %d, violations %d, dropped %d",
				info.ID, scenarios.Planes[p], sum.AdmittedPrimary, sum.AdmittedSecondary, sum.Refused, sum.Failed, sum.Violations, sum.Dropped)
			if sum.KeyCopyViolations > 0 {
				fmt.Fprintf(&b, ", key copy violations %d", sum.KeyCopyViolations)
			}
			b.WriteString("\n")
		}
	}
	causes := map[string]int64{}
	var keys []string
	for _, r := range reps {
		for _, c := range r.Causes {
			k := describeCause(m, &c)
			if _, ok := causes[k]; !ok {
				keys = append(keys, k)
			}
			causes[k] += c.Count
		}
	}
	slices.Sort(keys)
	for _, k := range keys {
		fmt.Fprintf(&b, "cause %s: %d\n", k, causes[k])
	}
	return b.String()
}

func describeCause(m *Model, c *Cause) string {
	pop := m.Populations[c.Population]
	route := m.Scenario.Routing.Routes[pop.Routes[c.Via]].PlaneRoute(scenarios.Planes[c.Via])
	names := func(mask uint64) string {
		var out []string
		for i, id := range route.Primaries {
			if mask&(1<<uint(i)) != 0 {
				out = append(out, string(id))
			}
		}
		return "[" + strings.Join(out, " ") + "]"
	}
	how := "primary"
	if c.Secondary {
		how = "secondary"
	}
	return fmt.Sprintf("%s %s via %s at %s as %s, full %s, down %s",
		pop.ID, scenarios.Planes[c.Plane], scenarios.Planes[c.Via], m.Datacenters[c.Datacenter].ID, how, names(c.Full), names(c.Down))
}
