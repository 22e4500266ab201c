package render

import (
	"math"
	"testing"

	"github.com/geofence/geofence/results"
)

func TestDuration(t *testing.T) {
	for seconds, want := range map[float64]string{
		0: "0s", 90: "1m30s", 1800: "30m", 3600: "1h", 5400: "1h30m", 14400: "4h", 86400: "1d", 0.25: "250ms",
	} {
		if got := Duration(seconds); got != want {
			t.Errorf("duration(%v) = %q, want %q", seconds, got, want)
		}
	}
}

// A cell says "mean ± half-width", n/a for what is unknown, and how many
// replications counted when some could not.
func TestCell(t *testing.T) {
	r := &results.Report{Replications: 3}
	nan := math.NaN()
	for _, c := range []struct {
		e    results.Estimate
		u    Unit
		want string
	}{
		{results.Estimate{Mean: 110, HalfWidth: 24.841377, N: 3}, Count, "110.0 ± 24.8"},
		{results.Estimate{Mean: 0.0216685, HalfWidth: 0.0012345, N: 3}, Fraction, "2.17% ± 0.12%"},
		{results.Estimate{Mean: 0.0600227, HalfWidth: 0.0247151, N: 3}, Millis, "60.0 ± 24.7"},
		{results.Estimate{Mean: 0.05, HalfWidth: 0.01, N: 2}, Fraction, "5% ± 1% (n=2)"},
		{results.Estimate{Mean: 7, HalfWidth: nan, N: 1}, Count, "7.0 ± n/a (n=1)"},
		{results.Estimate{Mean: nan, HalfWidth: nan, N: 0}, Count, "n/a"},
	} {
		if got := FigureCell(r, c.e, c.u); got != c.want {
			t.Errorf("cell(%+v) = %q, want %q", c.e, got, c.want)
		}
	}
}

// A rate no replication saw is shown as the bound it is under, never as
// 0 ± 0; a rate seen is shown with its interval.
func TestRateCell(t *testing.T) {
	unseen := results.RateOf([]float64{0, 0, 0}, []float64{10000, 10000, 11000})
	if got, want := RateCell(unseen), "< 0.00966%"; got != want {
		t.Errorf("rateCell(0 in 31000 joins) = %q, want %q", got, want)
	}
	seen := results.RateOf([]float64{1, 3, 2}, []float64{100, 100, 100})
	if got, want := RateCell(seen), "2% ± 2.5%"; got != want {
		t.Errorf("rateCell(seen) = %q, want %q", got, want)
	}
}
