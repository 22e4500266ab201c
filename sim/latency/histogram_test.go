package latency

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Quantiles read from the histogram are within its stated resolution of
// the exact ones: 0.5% relative, or 1 ms near zero.
func TestHistogramQuantile(t *testing.T) {
	h := Histogram{Counts: make([]int64, Bins)}
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
		if math.Abs(got-exact) > max(0.005*exact, Unit) {
			t.Errorf("p%g = %g s, exact %g s", 100*p, got, exact)
		}
	}
	h.Add(1e9) // beyond the last bin's lower edge: counted in it
	if h.N != n+1 || h.Counts[Bins-1] != 1 {
		t.Errorf("a huge value: N %d, last bin %d", h.N, h.Counts[Bins-1])
	}
}

// Add puts every value in the bin its definition, binOf, gives: on random
// values over the whole range and beyond, on powers of two (where the key
// of the bin table changes exponent), and on every bin edge and the floats
// a few ulps either side of it, of the float edges Add compares with and
// of the exact edges BinLower gives.
func TestHistogramBinsAsDefined(t *testing.T) {
	var values []float64
	r := rand.New(rand.NewPCG(1, 2))
	for range 1_000_000 {
		values = append(values,
			math.Exp(r.Float64()*math.Log(1e12))*1e-7, // log-uniform on [1e-7, 1e5]
			r.Float64()*10,
			float64(r.IntN(100_000))/1000)
	}
	for e := -30; e <= 20; e++ {
		values = append(values, math.Ldexp(1, e))
	}
	for i := 0; i <= Bins; i++ {
		for _, edge := range []float64{binEdges[min(i, Bins-1)], BinLower(i)} {
			v := edge
			for range 3 {
				v = math.Nextafter(v, 0)
			}
			for range 7 {
				values = append(values, v)
				v = math.Nextafter(v, math.Inf(1))
			}
		}
	}
	values = append(values, 0, binKeyMin, binKeyMax, 1e6, 1e300)
	h := Histogram{Counts: make([]int64, Bins)}
	for _, v := range values {
		want := binOf(v)
		clear(h.Counts)
		h.Add(v)
		if h.Counts[want] != 1 {
			t.Fatalf("Add(%v = %#x) missed bin %d, its binOf", v, math.Float64bits(v), want)
		}
	}
	// Each edge is where binOf steps from the bin below to its own.
	for i := 1; i < Bins; i++ {
		if below := binOf(math.Nextafter(binEdges[i], 0)); binOf(binEdges[i]) != i || below != i-1 {
			t.Errorf("edge %d at %v: binOf %d, an ulp below %d", i, binEdges[i], binOf(binEdges[i]), below)
		}
	}
}
