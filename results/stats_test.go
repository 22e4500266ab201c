package results

import (
	"encoding/json"
	"math"
	"testing"
)

// Student-t 0.975 quantiles from the standard tables.
func TestTQuantile(t *testing.T) {
	for _, c := range []struct {
		df   int
		want float64
	}{
		{1, 12.706205},
		{2, 4.302653},
		{7, 2.364624},
		{9, 2.262157}, // n = 10 replications
		{29, 2.045230},
	} {
		if got := tQuantile(0.975, c.df); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("t(0.975, %d) = %.7f, want %.6f", c.df, got, c.want)
		}
	}
}

// The interval of {2, 4, 4, 4, 5, 5, 7, 9} worked by hand: mean 5,
// s = √(32/7) = 2.138090, half = 2.364624 · 2.138090 / √8 = 1.787488.
func TestEstimateOfByHand(t *testing.T) {
	e := EstimateOf([]float64{2, 4, 4, 4, 5, 5, 7, 9})
	want := Estimate{Mean: 5, HalfWidth: 1.787488, Low: 5 - 1.787488, High: 5 + 1.787488, N: 8}
	assertEstimate(t, e, want, 1e-6)
}

// Identical values have a zero-width interval, not an undefined one.
func TestEstimateOfConstant(t *testing.T) {
	assertEstimate(t, EstimateOf([]float64{3, 3, 3}), Estimate{Mean: 3, Low: 3, High: 3, N: 3}, 0)
}

// NaN stands for a replication where the figure is undefined: it is left
// out, and N says so.
func TestEstimateOfSkipsNaN(t *testing.T) {
	nan := math.NaN()
	withNaN := EstimateOf([]float64{nan, 2, 4, nan, 4, 4, 5, 5, 7, 9})
	assertEstimate(t, withNaN, EstimateOf([]float64{2, 4, 4, 4, 5, 5, 7, 9}), 0)

	one := EstimateOf([]float64{nan, 7})
	assertEstimate(t, one, Estimate{Mean: 7, Low: nan, High: nan, HalfWidth: nan, N: 1}, 0)

	none := EstimateOf([]float64{nan, nan})
	assertEstimate(t, none, Estimate{Mean: nan, Low: nan, High: nan, HalfWidth: nan, N: 0}, 0)
	assertEstimate(t, EstimateOf(nil), none, 0)
}

func TestRatios(t *testing.T) {
	got := Ratios([]float64{1, 0, 3}, []float64{4, 0, 0})
	if got[0] != 0.25 || !math.IsNaN(got[1]) || !math.IsNaN(got[2]) {
		t.Errorf("Ratios = %v, want [0.25 NaN NaN]", got)
	}
}

// An estimate with an unknown interval encodes its NaNs as null and
// decodes back to them.
func TestEstimateJSON(t *testing.T) {
	e := EstimateOf([]float64{7, math.NaN()})
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"mean":7,"low":null,"high":null,"half_width":null,"n":1,"per_replication":[7,null]}`; string(data) != want {
		t.Errorf("Marshal = %s, want %s", data, want)
	}
	var back Estimate
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	assertEstimate(t, back, e, 0)
	if len(back.PerReplication) != 2 || back.PerReplication[0] != 7 || !math.IsNaN(back.PerReplication[1]) {
		t.Errorf("per replication decoded as %v, want [7 NaN]", back.PerReplication)
	}
}

// assertEstimate fails unless got and want agree within tol, NaN
// matching NaN.
func assertEstimate(t *testing.T, got, want Estimate, tol float64) {
	t.Helper()
	near := func(a, b float64) bool {
		if math.IsNaN(a) || math.IsNaN(b) {
			return math.IsNaN(a) && math.IsNaN(b)
		}
		return math.Abs(a-b) <= tol
	}
	if !near(got.Mean, want.Mean) || !near(got.Low, want.Low) || !near(got.High, want.High) ||
		!near(got.HalfWidth, want.HalfWidth) || got.N != want.N {
		t.Errorf("estimate = %+v, want %+v", got, want)
	}
}
