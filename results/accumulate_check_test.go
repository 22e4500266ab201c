package results_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/results/strictjson"
)

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
