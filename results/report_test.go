package results_test

import (
	"testing"

	"github.com/geofence/geofence/results"
)

// Time buckets are clock windows in UTC from the run's start, with the day
// past the first.
func TestWindow(t *testing.T) {
	r := &results.Report{HorizonS: 26 * 3600, BucketS: 3600}
	for b, want := range map[int]string{0: "00:00–01:00 UTC", 15: "15:00–16:00 UTC", 23: "23:00–00:00 UTC", 25: "01:00–02:00 UTC (day 2)"} {
		if got := r.Window(b); got != want {
			t.Errorf("Window(%d) = %q, want %q", b, got, want)
		}
	}
	r = &results.Report{Start: "2020-03-07T06:00:00Z", HorizonS: 1.5, BucketS: 0.7}
	if got, want := r.Window(2), "06:00:01.400–06:00:01.500 UTC"; got != want {
		t.Errorf("Window(2) of 0.7 s buckets from 06:00 = %q, want %q", got, want)
	}
}
