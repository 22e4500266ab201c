package results

import (
	"context"
	"math"
	"testing"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// erlangB is the Erlang loss formula by its stable recursion:
//
//	B(a, 0) = 1,  B(a, c) = a·B(a, c−1) / (c + a·B(a, c−1))
//
// for offered load a Erlangs on c servers.
func erlangB(a float64, c int) float64 {
	b := 1.0
	for k := 1; k <= c; k++ {
		b = a * b / (float64(k) + a*b)
	}
	return b
}

// overflowScenario offers 10 Erlangs to us, a US datacenter of 10 media
// slots. A join it refuses overflows to the whitelist "intl", whose only
// entry cn is in China, has no limit and is forbidden: so every overflow
// is a violation, and the share of joins that violate is Erlang B(10, 10).
// Round trips are zero, so a refusal costs no time, as the formula assumes.
func overflowScenario() *scenarios.Scenario {
	capacity := func(n scenarios.Capacity) *scenarios.Capacity { return &n }
	zero := map[string]scenarios.Duration{"na": 0}
	return &scenarios.Scenario{
		Name:    "overflow",
		Regions: []scenarios.Region{{ID: "na"}},
		Datacenters: []scenarios.Datacenter{
			{ID: "us", Region: "na", Jurisdiction: "US", Capacity: scenarios.PlaneCapacity{Media: capacity(10)}, RTT: zero},
			{ID: "cn", Region: "na", Jurisdiction: "CN", Capacity: scenarios.PlaneCapacity{Media: capacity(scenarios.Unlimited)}, RTT: zero},
		},
		Populations: []scenarios.Population{{
			ID: "na-free", Region: "na", Jurisdiction: "US", Plan: "free",
			JoinsPerSecond: 1, Holding: scenarios.Holding{Distribution: "exponential", Mean: 10},
		}},
		Routing: scenarios.Routing{
			Whitelists: map[string][]scenarios.ID{"intl": {"cn"}},
			Routes: []scenarios.Route{{
				Region: "na",
				Media: scenarios.PlaneRoute{
					Primaries:   []scenarios.ID{"us"},
					Secondaries: &scenarios.Secondary{Whitelist: "intl", Picks: new(1)},
				},
				Keys: scenarios.KeyRoute{Custody: "client"},
			}},
		},
		Policy: []scenarios.PolicyRule{{Allow: scenarios.Allow{Media: []scenarios.Code{"US"}}}},
		Run:    scenarios.RunSettings{Horizon: 20000, Warmup: 200, Bucket: new(scenarios.Duration(5000)), Replications: 10, Seed: 7},
	}
}

// The report of a real run holds the engine's figures together: joins are
// conserved, the overflow is Erlang B, every violation has its cause.
func TestSummarizeEngineRun(t *testing.T) {
	s := overflowScenario()
	m, reps := runScenario(t, s)
	r := summarize(t, m, reps, Meta{Seed: s.Run.Seed})
	f := r.Populations[0].Figures

	sum := f.AdmittedPrimary.Mean + f.AdmittedSecondary.Mean + f.Blocked.Mean
	if math.Abs(f.Offered.Mean-sum) > 1e-9 {
		t.Errorf("offered %v != admitted primary + secondary + blocked %v", f.Offered.Mean, sum)
	}
	exact := erlangB(10, 10)
	for name, e := range map[string]Estimate{"secondary_share": f.SecondaryShare, "violation_rate.media": f.ViolationRate.Media} {
		if e.Low > exact || exact > e.High {
			t.Errorf("%s: Erlang B(10, 10) = %.6f outside [%.6f, %.6f]", name, exact, e.Low, e.High)
		}
	}
	if len(r.Causes) != 1 {
		t.Fatalf("want one cause (us full, cn picked from intl), got %+v", r.Causes)
	}
	c := r.Causes[0]
	if c.Count.Mean != f.Violations.Media.Mean || c.Datacenter != "cn" || *c.Entry != 0 || c.Full[0] != "us" {
		t.Errorf("cause %+v does not account for the %v media violations", c, f.Violations.Media.Mean)
	}
	// Little's law through the report: us holds a·(1 − B) participants on
	// average, and is full a fraction B of the time (PASTA).
	us := r.Datacenters[0].Planes[0]
	if want := 10 * (1 - exact); us.MeanOccupancy.Low > want || want > us.MeanOccupancy.High {
		t.Errorf("us mean occupancy %+v, want %.4f inside", us.MeanOccupancy, want)
	}
	if us.TimeCongestion.Low > exact || exact > us.TimeCongestion.High {
		t.Errorf("us time congestion %+v, want %.6f inside", us.TimeCongestion, exact)
	}
}

// runScenario compiles s and runs its replications on its seed.
func runScenario(t *testing.T, s *scenarios.Scenario) (*sim.Model, []*sim.Replication) {
	t.Helper()
	m, err := sim.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	reps, err := sim.Run(context.Background(), m, s.Run.Seed, s.Run.Replications, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m, reps
}
