package results

import (
	"math"
	"testing"
)

func TestDuration(t *testing.T) {
	for seconds, want := range map[float64]string{
		0: "0s", 90: "1m30s", 1800: "30m", 3600: "1h", 5400: "1h30m", 14400: "4h", 86400: "1d", 0.25: "250ms",
	} {
		if got := duration(seconds); got != want {
			t.Errorf("duration(%v) = %q, want %q", seconds, got, want)
		}
	}
}

// A cell says "mean ± half-width", n/a for what is unknown, and how many
// replications counted when some could not.
func TestCell(t *testing.T) {
	r := &Report{Replications: 3}
	nan := math.NaN()
	for _, c := range []struct {
		e    Estimate
		u    unit
		want string
	}{
		{Estimate{Mean: 110, HalfWidth: 24.841377, N: 3}, count, "110.0 ± 24.8"},
		{Estimate{Mean: 0.0216685, HalfWidth: 0.0012345, N: 3}, fraction, "2.17% ± 0.12%"},
		{Estimate{Mean: 0.0600227, HalfWidth: 0.0247151, N: 3}, millis, "60.0 ± 24.7"},
		{Estimate{Mean: 0.05, HalfWidth: 0.01, N: 2}, fraction, "5% ± 1% (n=2)"},
		{Estimate{Mean: 7, HalfWidth: nan, N: 1}, count, "7.0 ± n/a (n=1)"},
		{Estimate{Mean: nan, HalfWidth: nan, N: 0}, count, "n/a"},
	} {
		if got := figureCell(r, c.e, c.u); got != c.want {
			t.Errorf("cell(%+v) = %q, want %q", c.e, got, c.want)
		}
	}
}

// A rate no replication saw is shown as the bound it is under, never as
// 0 ± 0; a rate seen is shown with its interval.
func TestRateCell(t *testing.T) {
	unseen := RateOf([]float64{0, 0, 0}, []float64{10000, 10000, 11000})
	if got, want := rateCell(unseen), "< 0.00966%"; got != want {
		t.Errorf("rateCell(0 in 31000 joins) = %q, want %q", got, want)
	}
	seen := RateOf([]float64{1, 3, 2}, []float64{100, 100, 100})
	if got, want := rateCell(seen), "2% ± 2.5%"; got != want {
		t.Errorf("rateCell(seen) = %q, want %q", got, want)
	}
}

// Time buckets are clock windows in UTC from the run's start, with the day
// past the first.
func TestWindow(t *testing.T) {
	r := &Report{HorizonS: 26 * 3600, BucketS: 3600}
	for b, want := range map[int]string{0: "00:00–01:00 UTC", 15: "15:00–16:00 UTC", 23: "23:00–00:00 UTC", 25: "01:00–02:00 UTC (day 2)"} {
		if got := r.Window(b); got != want {
			t.Errorf("Window(%d) = %q, want %q", b, got, want)
		}
	}
	r = &Report{Start: "2020-03-07T06:00:00Z", HorizonS: 1.5, BucketS: 0.7}
	if got, want := r.Window(2), "06:00:01.400–06:00:01.500 UTC"; got != want {
		t.Errorf("Window(2) of 0.7 s buckets from 06:00 = %q, want %q", got, want)
	}
}
