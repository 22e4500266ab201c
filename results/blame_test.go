package results_test

import (
	"slices"
	"testing"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/internal/fixture"
)

// In the spill story bj1 is let in by two entries: intl[1] for media,
// dial-ins and their key copies, and kms-backup[0] for keys. Each entry's
// count is its causes' counts added up in each replication, then
// estimated; its fences add up to it.
func TestBlame(t *testing.T) {
	r := fixture.SpillReport(t)
	if len(r.Blame) != 2 {
		t.Fatalf("%d blamed entries, want 2: %+v", len(r.Blame), r.Blame)
	}
	intl, kms := r.Blame[0], r.Blame[1]
	if intl.At.Path != "routing.whitelists.intl[1]" || kms.At.Path != "routing.whitelists.kms-backup[0]" {
		t.Fatalf("entries %s and %s, want intl[1] then kms-backup[0]", intl.At.Path, kms.At.Path)
	}
	// Media 5, 8, 10 and one key copy and one dial-in in replication 1.
	if want := []float64{5, 10, 10}; !slices.Equal(intl.Count.PerReplication, want) {
		t.Errorf("intl[1] lets in %v a replication, want %v", intl.Count.PerReplication, want)
	}
	if want := results.EstimateOf([]float64{5, 10, 10}); intl.Count.Mean != want.Mean || intl.Count.HalfWidth != want.HalfWidth {
		t.Errorf("intl[1] count %v, want %v", intl.Count, want)
	}
	for _, b := range r.Blame {
		sum := make([]float64, r.Replications)
		for _, f := range b.Fences {
			for i, n := range f.Count.PerReplication {
				sum[i] += n
			}
		}
		if !slices.Equal(sum, b.Count.PerReplication) {
			t.Errorf("%s: fences add up to %v, the entry has %v", b.At.Path, sum, b.Count.PerReplication)
		}
	}
	if f := intl.Fences[0]; f.Population != "na-free" || f.Plane != "media" || f.Count.Mean != 23.0/3 {
		t.Errorf("intl[1]'s first fence %+v, want na-free media, 23/3 a replication", f)
	}
}
