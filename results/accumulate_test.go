package results_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"slices"
	"testing"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/strictjson"
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

// A shard's figures read back are refused, at the JSON pointer of the
// value at fault, when no run could have produced them: negative counts,
// more violations than joins, more admitted than offered, arrays of the
// wrong length, windows and buckets that are not the scenario's,
// replications out of range, sums that are not the sums of what the
// replications counted. What a run writes is read back as it was.
func TestReadAccumulatorRefusesWhatNoRunWrites(t *testing.T) {
	s := fixture.OverflowScenario()
	s.Run.Replications = 3
	m, reps := fixture.RunScenario(t, s)
	data, err := json.Marshal(fixture.Accumulate(t, m, reps))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := results.ReadAccumulator(m, data); err != nil {
		t.Fatalf("a run's own figures are refused: %v", err)
	}
	if n := fixture.JSONInt(t, data, "/records/0/Populations/0/Violations/0"); n == 0 {
		t.Fatal("replication 0 has no media violation; the cases below prove little")
	}
	offered := fixture.JSONInt(t, data, "/records/0/Populations/0/Offered")
	for _, tc := range []struct {
		name    string
		pointer string // the value changed
		value   any    // its new value; a func(old int64) any for a change of it
		want    string // the pointer of the error
	}{
		{"more violations than joins", "/records/0/Populations/0/Violations/0", offered + 1, "/records/0/Populations/0/Violations/0"},
		{"negative offered", "/records/0/Populations/0/Offered", -5, "/records/0/Populations/0/Offered"},
		{"more admitted than offered", "/records/0/Populations/0/AdmittedPrimary", fixture.Plus(1), "/records/0/Populations/0/Offered"},
		{"per-plane array too long", "/records/0/Populations/0/Violations", make([]int, 2_000_000), "/records/0/Populations/0/Violations"},
		{"per-plane array too short", "/records/1/Total/BlockedPlane", []int{0, 0}, "/records/1/Total/BlockedPlane"},
		{"negative window", "/records/0/Window", -3600, "/records/0/Window"},
		{"another window", "/records/2/Window", 3599.5, "/records/2/Window"},
		{"replications backwards", "/to", -3, "/to"},
		{"replication out of range", "/records/1/Index", 7, "/records/1/Index"},
		{"replication twice", "/records/1/Index", 0, "/records/1/Index"},
		{"replication count", "/replications", 2, "/replications"},
		{"total not the sum", "/records/0/Total/Retries", fixture.Plus(1), "/records/0/Total"},
		{"a bucket too many", "/populations/0", func(old any) any { return append(old.([]any), old.([]any)[0]) }, "/populations/0"},
		{"bucket sums", "/populations/0/3/Offered", fixture.Plus(1), "/populations/0"},
		{"negative bucket", "/populations/0/2/Blocked", -1, "/populations/0/2"},
		{"forbidden sums", "/forbidden/0/1/sum", fixture.Plus(1), "/forbidden/0"},
		{"sum of squares", "/forbidden/0/1/sum_squares", -1, "/forbidden/0/1"},
		{"cause without its violations", "/records/0/Causes/0/Count", fixture.Plus(1), "/records/0/Causes/0/Count"},
		{"cause of another datacenter", "/records/0/Causes/0/Datacenter", 99, "/records/0/Causes/0"},
		{"cause buckets", "/causes/0/buckets/0", fixture.Plus(1), "/causes/0/buckets"},
		{"busy buckets", "/busy/0/0/0/Hi", 1 << 20, "/busy/0/0"},
		{"down past full", "/records/0/Datacenters/0/Planes/0/DownTime", 1e9, "/records/0/Datacenters/0/Planes/0/FullTime"},
		{"negative minutes", "/records/0/Populations/0/ViolatingMinutes/0", -1, "/records/0/Populations/0/ViolatingMinutes/0"},
		{"a huge count", "/records/0/Populations/0/Retries", int64(1) << 60, "/records/0/Populations/0/Retries"},
		{"a kind", "/records/0/Populations/0/Retries", "many", "/records/0/Populations/0/Retries"},
		{"an unknown member", "/records/0/Secret", "hunter2", "/records/0"},
	} {
		edited := fixture.SetJSON(t, data, tc.pointer, tc.value)
		_, err := results.ReadAccumulator(m, edited)
		var fe *strictjson.FieldError
		if !errors.As(err, &fe) || fe.Pointer != tc.want {
			t.Errorf("%s: error %v; want one at %s", tc.name, err, tc.want)
		}
	}
}
