package results

import (
	"slices"
	"testing"

	"github.com/geofence/geofence/sim"
)

// A cause lists its busiest buckets, at most three, earliest first among
// equals, leaving out buckets it never touched.
func TestTopBuckets(t *testing.T) {
	got := topBucketsOf([]int64{10, 2, 10, 0, 14}, 2)
	if want := []BucketCount{{4, 7}, {0, 5}, {2, 5}}; !slices.Equal(got, want) {
		t.Errorf("topBucketsOf = %v, want %v", got, want)
	}
	if got := topBucketsOf([]int64{0, 0}, 2); got == nil || len(got) != 0 {
		t.Errorf("topBucketsOf(no violations) = %#v, want empty, not nil (JSON [])", got)
	}
}

// Causes that share everything but the route walked are distinct and
// ordered by it, so that equal counts still sort the same way every run.
func TestCauseKeyOrder(t *testing.T) {
	direct := causeKey{plane: sim.Keys, via: sim.Keys}
	copied := causeKey{plane: sim.Keys, via: sim.Connector}
	if direct.compare(copied) >= 0 || copied.compare(direct) <= 0 || direct.compare(direct) != 0 {
		t.Errorf("keys via keys must sort before keys via connector")
	}
}
