package sim

import (
	"math"
	"testing"
)

// Quantiles read from the histogram are within its stated resolution of
// the exact ones: 0.5% relative, or 1 ms near zero.
func TestHistogramQuantile(t *testing.T) {
	h := Histogram{Counts: make([]int64, HistogramBins)}
	if !math.IsNaN(h.Quantile(0.5)) {
		t.Error("the quantile of nothing is not NaN")
	}
	// 1 ms, 2 ms, ..., 10 s.
	const n = 10000
	for i := 1; i <= n; i++ {
		h.Add(float64(i) / 1000)
	}
	for _, p := range []float64{0.01, 0.5, 0.95, 0.99, 1} {
		exact := math.Ceil(p*n) / 1000
		got := h.Quantile(p)
		if math.Abs(got-exact) > max(0.005*exact, HistogramUnit) {
			t.Errorf("p%g = %g s, exact %g s", 100*p, got, exact)
		}
	}
	h.Add(1e9) // beyond the last bin's lower edge: counted in it
	if h.N != n+1 || h.Counts[HistogramBins-1] != 1 {
		t.Errorf("a huge value: N %d, last bin %d", h.N, h.Counts[HistogramBins-1])
	}
}
