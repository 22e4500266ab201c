package results_test

import (
	"bytes"
	"encoding/json"
	"slices"
	"testing"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// The report is the same bytes whatever order replications arrive in and
// whatever shards they were run in: every sum the accumulator keeps is
// exact.
func TestAccumulateOrderAndShards(t *testing.T) {
	s := fixture.OverflowScenario()
	s.Run.Replications = 6
	s.Run.Bucket = new(scenarios.Duration(700)) // not a whole number of anything
	m, reps := fixture.RunScenario(t, s)
	render := func(a *results.Accumulator) string {
		t.Helper()
		r, err := a.Report(fixture.SpillMeta)
		if err != nil {
			t.Fatal(err)
		}
		var b bytes.Buffer
		if err := render.Run(&b, r, "json", render.Options{}); err != nil {
			t.Fatal(err)
		}
		return b.String()
	}
	add := func(a *results.Accumulator, rs ...*sim.Replication) *results.Accumulator {
		for _, r := range rs {
			if err := a.Add(r); err != nil {
				t.Fatal(err)
			}
		}
		return a
	}
	inOrder := render(add(results.NewAccumulator(m, 0, 6), reps...))
	reversed := slices.Clone(reps)
	slices.Reverse(reversed)
	if got := render(add(results.NewAccumulator(m, 0, 6), reversed...)); got != inOrder {
		t.Error("replications added in reverse order give another report")
	}
	whole := add(results.NewAccumulator(m, 0, 6), reps[4], reps[0])
	if err := whole.Merge(add(results.NewAccumulator(m, 1, 4), reps[3], reps[1], reps[2])); err != nil {
		t.Fatal(err)
	}
	if err := whole.Merge(add(results.NewAccumulator(m, 5, 6), reps[5])); err != nil {
		t.Fatal(err)
	}
	if got := render(whole); got != inOrder {
		t.Error("replications merged from shards give another report")
	}

	// Shards written out as JSON and read back merge to the same report.
	viaJSON := func(a *results.Accumulator) *results.Accumulator {
		t.Helper()
		data, err := json.Marshal(a)
		if err != nil {
			t.Fatal(err)
		}
		back, err := results.ReadAccumulator(m, data)
		if err != nil {
			t.Fatal(err)
		}
		return back
	}
	merged := results.NewAccumulator(m, 0, 6)
	for _, shard := range []*results.Accumulator{add(results.NewAccumulator(m, 3, 6), reps[5], reps[3], reps[4]), add(results.NewAccumulator(m, 0, 3), reps[0], reps[1], reps[2])} {
		if err := merged.Merge(viaJSON(shard)); err != nil {
			t.Fatal(err)
		}
	}
	if got := render(merged); got != inOrder {
		t.Error("shards read back from JSON merge to another report")
	}
}

// A report needs every replication, each once.
func TestAccumulateRefuses(t *testing.T) {
	s := fixture.OverflowScenario()
	s.Run.Replications = 3
	m, reps := fixture.RunScenario(t, s)
	a := results.NewAccumulator(m, 0, 3)
	if err := a.Add(reps[0]); err != nil {
		t.Fatal(err)
	}
	if err := a.Add(reps[0]); err == nil {
		t.Error("a replication added twice is accepted")
	}
	if _, err := a.Report(fixture.SpillMeta); err == nil || !slices.Equal(a.Missing(), []int{1, 2}) {
		t.Errorf("report of 1 of 3 replications: error %v, missing %v", err, a.Missing())
	}
	shard := results.NewAccumulator(m, 0, 1)
	if err := shard.Add(reps[1]); err == nil {
		t.Error("replication 1 is accepted by a shard of replication 0 only")
	}
}
