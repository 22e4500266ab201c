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
		{Estimate{Mean: 0.0216685, HalfWidth: 0.0012345, N: 3}, fraction, "0.02167 ± 0.0012"},
		{Estimate{Mean: 0.0600227, HalfWidth: 0.0247151, N: 3}, millis, "60.0 ± 24.7"},
		{Estimate{Mean: 0.05, HalfWidth: 0.01, N: 2}, fraction, "0.05 ± 0.01 (n=2)"},
		{Estimate{Mean: 7, HalfWidth: nan, N: 1}, count, "7.0 ± n/a (n=1)"},
		{Estimate{Mean: nan, HalfWidth: nan, N: 0}, count, "n/a"},
	} {
		if got := r.cell(c.e, c.u); got != c.want {
			t.Errorf("cell(%+v) = %q, want %q", c.e, got, c.want)
		}
	}
}

func TestMarkdownEscape(t *testing.T) {
	if got, want := markdownEscape("na_free|<b>*"), `na\_free\|&lt;b>\*`; got != want {
		t.Errorf("markdownEscape = %q, want %q", got, want)
	}
}
