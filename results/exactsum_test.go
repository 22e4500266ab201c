package results

import (
	"math"
	"testing"
)

// Occupancy integrals add up exactly, in any order, to a 2^-10 grain.
func TestExactSum(t *testing.T) {
	xs := []float64{1e-3, 3.6e10, 0.1, 7, 1e19, 2.5e-4, 12345.678}
	var fwd, back exactSum
	for i := range xs {
		fwd.add(xs[i])
		back.add(xs[len(xs)-1-i])
	}
	if fwd != back {
		t.Errorf("order changes the sum: %+v vs %+v", fwd, back)
	}
	var want float64
	for _, x := range xs {
		want += x
	}
	if got := fwd.value(); math.Abs(got-want)/want > 1e-15 {
		t.Errorf("sum %v, want %v", got, want)
	}
}
