package results_test

import (
	"math"
	"slices"
	"testing"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
	"github.com/geofence/geofence/sim/oracle"
)

// blockingRuns builds one replication per column: offered[k][i] and
// blocked[k][i] are population i's joins in replication k.
func blockingRuns(offered, blocked [][]int64) []*sim.Replication {
	reps := make([]*sim.Replication, len(offered))
	for k := range reps {
		rep := &sim.Replication{Index: k}
		for i := range offered[k] {
			rep.Populations = append(rep.Populations, sim.PopulationTally{Counts: sim.Counts{Offered: offered[k][i], Blocked: blocked[k][i]}})
		}
		reps[k] = rep
	}
	return reps
}

func modelOf(ids ...string) *sim.Model {
	m := &sim.Model{Scenario: &scenarios.Scenario{}}
	for _, id := range ids {
		m.Populations = append(m.Populations, sim.PopulationInfo{ID: id})
	}
	return m
}

// compare summarizes two hand-made runs and compares them.
func compare(t *testing.T, base, this *sim.Model, baseReps, reps []*sim.Replication) results.Comparison {
	t.Helper()
	return results.Compare(fixture.Summarize(t, base, baseReps, results.Meta{}), fixture.Summarize(t, this, reps, results.Meta{}))
}

// blocking is the blocking rows of c.
func blocking(c results.Comparison) []results.Difference {
	var out []results.Difference
	for _, pc := range c.Populations {
		out = append(out, pc.Blocking)
	}
	return out
}

// Populations are matched by ID in this run's order, one missing from
// either run is named and left out, and the total is over the populations
// both runs have. The baseline blocks a: 10/100, 20/100; b: 0/50, 5/50.
// This run blocks b: 10/50, 10/50; c: 1/10, 1/10; a: 15/100, 20/100.
func TestCompareByHand(t *testing.T) {
	base := blockingRuns([][]int64{{100, 50}, {100, 50}}, [][]int64{{10, 0}, {20, 5}})
	this := blockingRuns([][]int64{{50, 10, 100}, {50, 10, 100}}, [][]int64{{10, 1, 15}, {10, 1, 20}})
	c := compare(t, modelOf("a", "b"), modelOf("b", "c", "a"), base, this)
	if !slices.Equal(c.OnlyThis, []string{"c"}) || len(c.OnlyBaseline) != 0 {
		t.Errorf("unpaired populations: this %v, baseline %v; want [c] and none", c.OnlyThis, c.OnlyBaseline)
	}
	got := c.Populations

	want := []struct {
		population         string
		base, this, change []float64
	}{
		{"b", []float64{0, 0.1}, []float64{0.2, 0.2}, []float64{0.2, 0.1}},
		{"a", []float64{0.1, 0.2}, []float64{0.15, 0.2}, []float64{0.05, 0}},
		{"total", []float64{10.0 / 150, 25.0 / 150}, []float64{25.0 / 150, 30.0 / 150}, []float64{15.0 / 150, 5.0 / 150}},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d rows %+v, want %d", len(got), got, len(want))
	}
	for i, w := range want {
		g := got[i].Blocking
		if got[i].Population != w.population {
			t.Errorf("row %d is %s, want %s", i, got[i].Population, w.population)
		}
		fixture.AssertEstimate(t, g.Baseline, results.EstimateOf(w.base), 1e-12)
		fixture.AssertEstimate(t, g.This, results.EstimateOf(w.this), 1e-12)
		fixture.AssertEstimate(t, g.Change, results.EstimateOf(w.change), 1e-12)
	}
}

// A replication in which either run offered nothing has no difference and
// does not count; unpaired replications of the longer run are left out.
func TestCompareBlockingUndefined(t *testing.T) {
	base := blockingRuns([][]int64{{0}, {10}, {10}}, [][]int64{{0}, {1}, {2}})
	this := blockingRuns([][]int64{{10}, {10}}, [][]int64{{3}, {3}})
	got := blocking(compare(t, modelOf("a"), modelOf("a"), base, this))
	fixture.AssertEstimate(t, got[0].Change, results.Estimate{Mean: 0.2, Low: math.NaN(), High: math.NaN(), HalfWidth: math.NaN(), N: 1}, 1e-12)
	fixture.AssertEstimate(t, got[0].Baseline, results.Estimate{Mean: 0.1, Low: math.NaN(), High: math.NaN(), HalfWidth: math.NaN(), N: 1}, 1e-12)
}

// When replications differ a lot from one another but the two runs move
// together, pairing removes the shared variation: the paired interval is
// far narrower than the two separate ones combined.
func TestCompareBlockingPairingNarrows(t *testing.T) {
	offered := [][]int64{{1000}, {1000}, {1000}, {1000}, {1000}}
	base := blockingRuns(offered, [][]int64{{100}, {300}, {200}, {400}, {150}})
	this := blockingRuns(offered, [][]int64{{111}, {309}, {212}, {408}, {160}})
	d := compare(t, modelOf("a"), modelOf("a"), base, this).Populations[0].Blocking
	unpaired := math.Hypot(d.Baseline.HalfWidth, d.This.HalfWidth)
	if !(d.Change.HalfWidth < unpaired/10) || !(d.Change.Low > 0) {
		t.Errorf("paired change %+v should exclude 0 and be 10x narrower than the unpaired %v", d.Change, unpaired)
	}
}

// The engine gives both runs common random numbers: adding one media slot
// to the overflow scenario (Erlang B(10, 10) -> B(10, 11)) lowers the
// share of joins sent to the forbidden secondary by an amount the paired
// interval resolves more sharply than the separate intervals.
func TestCompareCommonRandomNumbers(t *testing.T) {
	run := func(slots scenarios.Capacity) (*sim.Model, []*sim.Replication) {
		s := fixture.OverflowScenario()
		s.Run.Horizon = 5000
		s.Datacenters[0].Capacity.Media = &slots
		s.Run.Seed, s.Run.Replications = 7, 8
		return fixture.RunScenario(t, s)
	}
	// Without a blocked join the overflow scenario's blocking is 0; compare
	// its secondary share instead by counting overflows as blocked.
	asBlocked := func(reps []*sim.Replication) []*sim.Replication {
		for _, rep := range reps {
			rep.Populations[0].Blocked = rep.Populations[0].AdmittedSecondary
		}
		return reps
	}
	bm, base := run(10)
	tm, this := run(11)
	d := compare(t, bm, tm, asBlocked(base), asBlocked(this)).Populations[0].Blocking
	unpaired := math.Hypot(d.Baseline.HalfWidth, d.This.HalfWidth)
	if !(d.Change.HalfWidth < unpaired/2) {
		t.Errorf("paired half-width %v not under half the unpaired %v: the runs do not share their arrivals", d.Change.HalfWidth, unpaired)
	}
	if exact := oracle.ErlangB(10, 11) - oracle.ErlangB(10, 10); exact < d.Change.Low || exact > d.Change.High {
		t.Errorf("change %+v does not cover B(10, 11) - B(10, 10) = %v", d.Change, exact)
	}
}
