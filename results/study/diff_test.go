package study

import (
	"context"
	"fmt"
	"maps"
	"math"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/fence"
	"github.com/geofence/geofence/scenarios/validate"
)

// drawScenario draws a small valid scenario: a few regions, datacenters in
// the US, China and Germany, populations that may dial in, whitelists,
// one route per region with secondaries or not, client or server key
// custody, and a policy of one or two rules.
func drawScenario(t *rapid.T) *scenarios.Scenario {
	jurisdictions := []scenarios.Code{"US", "CN", "DE"}
	s := &scenarios.Scenario{
		Name: "drawn",
		Run:  scenarios.RunSettings{Horizon: 900, Replications: 2, Seed: rapid.Uint64().Draw(t, "seed")},
	}
	regions := rapid.IntRange(1, 2).Draw(t, "regions")
	for r := range regions {
		s.Regions = append(s.Regions, scenarios.Region{ID: scenarios.ID(fmt.Sprintf("r%d", r))})
	}
	n := rapid.IntRange(2, 5).Draw(t, "datacenters")
	ids := make([]scenarios.ID, n)
	for i := range n {
		ids[i] = scenarios.ID(fmt.Sprintf("dc%d", i))
		capacity := scenarios.Capacity(rapid.IntRange(1, 5).Draw(t, "capacity"))
		rtt := map[string]scenarios.Duration{}
		for _, r := range s.Regions {
			rtt[string(r.ID)] = scenarios.Duration(0.01 * float64(1+rapid.IntRange(0, 20).Draw(t, "rtt")))
		}
		s.Datacenters = append(s.Datacenters, scenarios.Datacenter{
			ID: ids[i], Region: s.Regions[rapid.IntRange(0, regions-1).Draw(t, "dc region")].ID,
			Jurisdiction: rapid.SampledFrom(jurisdictions).Draw(t, "jurisdiction"),
			Capacity:     scenarios.PlaneCapacity{Media: &capacity, Keys: &capacity, Connector: &capacity},
			RTT:          rtt,
		})
	}
	for i := range rapid.IntRange(1, 3).Draw(t, "populations") {
		dialIn := rapid.SampledFrom([]scenarios.Probability{0, 0.2}).Draw(t, "dial in")
		s.Populations = append(s.Populations, scenarios.Population{
			ID: scenarios.ID(fmt.Sprintf("p%d", i)), Region: s.Regions[rapid.IntRange(0, regions-1).Draw(t, "region")].ID,
			Jurisdiction: "US", Plan: scenarios.ID(rapid.SampledFrom([]string{"free", "paid"}).Draw(t, "plan")),
			JoinsPerSecond: 0.05, DialInShare: dialIn,
			Holding: scenarios.Holding{Distribution: "exponential", Mean: 60},
		})
	}
	subset := func(label string) []scenarios.ID {
		perm := rapid.Permutation(ids).Draw(t, label)
		return perm[:rapid.IntRange(1, n).Draw(t, label+" size")]
	}
	whitelists := rapid.IntRange(0, 2).Draw(t, "whitelists")
	if whitelists > 0 {
		s.Routing.Whitelists = map[string][]scenarios.ID{}
		for w := range whitelists {
			s.Routing.Whitelists[fmt.Sprintf("w%d", w)] = subset("whitelist")
		}
	}
	planeRoute := func() scenarios.PlaneRoute {
		pr := scenarios.PlaneRoute{Primaries: subset("primaries")}
		if whitelists > 0 && rapid.Bool().Draw(t, "secondaries") {
			picks := rapid.IntRange(1, 3).Draw(t, "picks")
			pr.Secondaries = &scenarios.Secondary{
				Whitelist: fmt.Sprintf("w%d", rapid.IntRange(0, whitelists-1).Draw(t, "whitelist")),
				Picks:     &picks,
				Order:     rapid.SampledFrom([]string{"random", "nearest", "most-free"}).Draw(t, "order"),
			}
		}
		return pr
	}
	for _, r := range s.Regions {
		route := scenarios.Route{Region: r.ID, Media: planeRoute(), Keys: scenarios.KeyRoute{Custody: "client"}}
		if rapid.Bool().Draw(t, "server custody") {
			route.Keys = scenarios.KeyRoute{Custody: "server", PlaneRoute: planeRoute()}
		}
		connector := planeRoute()
		route.Connector = &connector
		s.Routing.Routes = append(s.Routing.Routes, route)
	}
	allow := func() scenarios.Allow {
		codes := func(label string) []scenarios.Code {
			perm := rapid.Permutation(jurisdictions).Draw(t, label)
			return perm[:rapid.IntRange(1, len(perm)).Draw(t, label+" size")]
		}
		return scenarios.Allow{Media: codes("media"), Keys: codes("keys"), Connector: codes("connector")}
	}
	if rapid.Bool().Draw(t, "regional rule") {
		s.Policy = append(s.Policy, scenarios.PolicyRule{Name: "regional", Select: scenarios.Selector{Region: "r0"}, Allow: allow()})
	}
	s.Policy = append(s.Policy, scenarios.PolicyRule{Name: "everyone", Allow: allow()})
	if ps := validate.Scenario(s); len(ps) > 0 {
		t.Fatalf("drawn scenario is invalid: %v", ps)
	}
	return s
}

// mutate returns a copy of s with a few drawn changes: whitelist members
// added or removed, jurisdictions changed, primaries reordered, picks and
// order changed, policy rules rewritten.
func mutate(t *rapid.T, s *scenarios.Scenario) *scenarios.Scenario {
	c := *s
	c.Datacenters = slices.Clone(s.Datacenters)
	c.Routing.Whitelists = maps.Clone(s.Routing.Whitelists)
	c.Routing.Routes = slices.Clone(s.Routing.Routes)
	for i := range c.Routing.Routes {
		r := &c.Routing.Routes[i]
		r.Media.Primaries = slices.Clone(r.Media.Primaries)
		if r.Connector != nil {
			connector := *r.Connector
			r.Connector = &connector
		}
	}
	c.Policy = slices.Clone(s.Policy)
	var ids []scenarios.ID
	for _, d := range s.Datacenters {
		ids = append(ids, d.ID)
	}
	for range rapid.IntRange(1, 4).Draw(t, "mutations") {
		switch rapid.IntRange(0, 4).Draw(t, "mutation") {
		case 0: // a whitelist member added or removed
			if len(c.Routing.Whitelists) == 0 {
				continue
			}
			name := rapid.SampledFrom(slices.Sorted(maps.Keys(c.Routing.Whitelists))).Draw(t, "whitelist")
			list := slices.Clone(c.Routing.Whitelists[name])
			id := rapid.SampledFrom(ids).Draw(t, "member")
			if i := slices.Index(list, id); i >= 0 && len(list) > 1 {
				list = slices.Delete(list, i, i+1)
			} else if i < 0 {
				list = append(list, id)
			}
			c.Routing.Whitelists[name] = list
		case 1: // a datacenter moved to another jurisdiction
			i := rapid.IntRange(0, len(c.Datacenters)-1).Draw(t, "datacenter")
			c.Datacenters[i].Jurisdiction = rapid.SampledFrom([]scenarios.Code{"US", "CN", "DE"}).Draw(t, "jurisdiction")
		case 2: // media primaries reordered
			r := &c.Routing.Routes[rapid.IntRange(0, len(c.Routing.Routes)-1).Draw(t, "route")]
			r.Media.Primaries = rapid.Permutation(r.Media.Primaries).Draw(t, "primaries")
		case 3: // a connector's secondaries picked otherwise
			r := &c.Routing.Routes[rapid.IntRange(0, len(c.Routing.Routes)-1).Draw(t, "route")]
			if r.Connector.Secondaries == nil {
				continue
			}
			picks := rapid.IntRange(1, 3).Draw(t, "picks")
			r.Connector.Secondaries = &scenarios.Secondary{Whitelist: r.Connector.Secondaries.Whitelist, Picks: &picks,
				Order: rapid.SampledFrom([]string{"random", "nearest", "most-free"}).Draw(t, "order")}
		case 4: // a policy rule allows other jurisdictions for media
			i := rapid.IntRange(0, len(c.Policy)-1).Draw(t, "rule")
			perm := rapid.Permutation([]scenarios.Code{"US", "CN", "DE"}).Draw(t, "allow")
			c.Policy[i].Allow.Media = perm[:rapid.IntRange(1, 3).Draw(t, "allow size")]
		}
	}
	if ps := validate.Scenario(&c); len(ps) > 0 {
		t.Fatalf("mutated scenario is invalid: %v", ps)
	}
	return &c
}

// landingKey names a forbidden landing as the diff matches it.
func landingKey(population, plane, via, datacenter string) string {
	return population + " " + plane + " " + via + " " + datacenter
}

// landings is the set of forbidden landings of a static analysis.
func landings(t *rapid.T, s *scenarios.Scenario) map[string]bool {
	fences, err := fence.Analyze(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]bool{}
	for _, f := range fences {
		for _, finding := range f.Findings {
			out[landingKey(finding.Population, string(finding.Plane), string(finding.Via), finding.Datacenter)] = true
		}
	}
	return out
}

// A scenario diffed with itself shows no difference and fails under no
// --exit-on, statically and simulated.
func TestDiffSelfIsEmpty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := drawScenario(t)
		static := rapid.Bool().Draw(t, "static only")
		for _, exitOn := range []string{diff.ExitOnWorse, diff.ExitOnImproved, diff.ExitOnChanged} {
			r, err := Diff(context.Background(), s, s, DiffOptions{StaticOnly: static, Settings: diff.Settings{ExitOn: exitOn}})
			if err != nil {
				t.Fatal(err)
			}
			if r.Changed || r.Failed || len(r.Worse)+len(r.Improved)+len(r.Routing)+len(r.Tolerances) > 0 {
				t.Fatalf("exit on %s: changed %v, failed %v, worse %q, improved %q, routing %+v", exitOn, r.Changed, r.Failed, r.Worse, r.Improved, r.Routing)
			}
			for _, c := range r.Landings {
				if c.State != diff.StateUnchanged {
					t.Fatalf("landing %+v", c)
				}
			}
			for _, c := range r.Lints {
				if c.State != diff.StateUnchanged {
					t.Fatalf("lint %+v", c)
				}
			}
		}
	})
}

// A scenario diffed with a copy whose datacenters, populations and routes
// are listed in reverse — simulated apart, not through the one simulation
// that serves two versions alike — shows no difference in landings,
// routing or simulation: every paired difference is exactly zero. (A
// lint's message may list populations in the other order.)
func TestDiffReversedIsEmpty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		s := drawScenario(t)
		r := *s
		r.Datacenters = slices.Clone(s.Datacenters)
		slices.Reverse(r.Datacenters)
		r.Populations = slices.Clone(s.Populations)
		slices.Reverse(r.Populations)
		r.Routing.Routes = slices.Clone(s.Routing.Routes)
		slices.Reverse(r.Routing.Routes)
		if ps := validate.Scenario(&r); len(ps) > 0 {
			t.Fatal(ps)
		}
		if simulatedAlike(s, &r) {
			t.Fatal("a reordered copy is simulated apart")
		}
		d, err := Diff(context.Background(), s, &r, DiffOptions{})
		if err != nil {
			t.Fatal(err)
		}
		if d.Failed || len(d.Worse)+len(d.Improved)+len(d.Routing) > 0 || d.Summary.Landings.Unchanged != len(d.Landings) {
			t.Fatalf("worse %q, improved %q, routing %+v, landings %+v", d.Worse, d.Improved, d.Routing, d.Summary.Landings)
		}
		for _, pc := range d.Simulation.Populations {
			for _, c := range []results.Difference{pc.Blocking, pc.SecondaryShare, pc.LatencyP95, pc.ViolationRate.Media, pc.ViolationRate.Keys, pc.ViolationRate.Connector} {
				if c.Change.Mean != 0 && !math.IsNaN(c.Change.Mean) || c.Change.HalfWidth > 0 { // NaN: too few replications define it
					t.Fatalf("%s: a figure changed by %v ± %v", pc.Population, c.Change.Mean, c.Change.HalfWidth)
				}
			}
		}
	})
}

// diff(A, B) lists exactly the set difference of the two static analyses:
// its new landings are B's that A has not, its absent ones A's that B has
// not, and the others both have; and a diff with a new landing fails.
func TestDiffIsSetDifference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := drawScenario(t)
		b := mutate(t, a)
		r, err := Diff(context.Background(), a, b, DiffOptions{StaticOnly: true})
		if err != nil {
			t.Fatal(err)
		}
		inA, inB := landings(t, a), landings(t, b)
		got := map[string]string{}
		for _, c := range r.Landings {
			k := landingKey(c.Population, c.Plane, c.Via, c.Datacenter)
			if _, twice := got[k]; twice {
				t.Fatalf("%s listed twice", k)
			}
			got[k] = c.State
		}
		for k := range inB {
			want := diff.StateNew
			if inA[k] {
				want = "in both"
			}
			if state := got[k]; state != want && !(want == "in both" && (state == diff.StateUpdated || state == diff.StateUnchanged)) {
				t.Fatalf("%s: state %q, want %s", k, state, want)
			}
		}
		for k := range inA {
			if !inB[k] && got[k] != diff.StateAbsent {
				t.Fatalf("%s: state %q, want absent", k, got[k])
			}
		}
		if len(got) != len(union(inA, inB)) {
			t.Fatalf("%d landings listed, the analyses have %d", len(got), len(union(inA, inB)))
		}
		if news := r.Summary.Landings.New; (news > 0) != (len(inB) > len(intersect(inA, inB))) || news > 0 && !r.Failed {
			t.Fatalf("%d new landings, failed %v", news, r.Failed)
		}
	})
}

func union(a, b map[string]bool) map[string]bool {
	out := maps.Clone(a)
	maps.Copy(out, b)
	return out
}

func intersect(a, b map[string]bool) map[string]bool {
	out := map[string]bool{}
	for k := range a {
		if b[k] {
			out[k] = true
		}
	}
	return out
}
