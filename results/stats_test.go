package results_test

import (
	"encoding/json"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/internal/fixture"
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
		if got := results.TQuantile(0.975, c.df); math.Abs(got-c.want) > 1e-6 {
			t.Errorf("t(0.975, %d) = %.7f, want %.6f", c.df, got, c.want)
		}
	}
}

// The interval of {2, 4, 4, 4, 5, 5, 7, 9} worked by hand: mean 5,
// s = √(32/7) = 2.138090, half = 2.364624 · 2.138090 / √8 = 1.787488.
func TestEstimateOfByHand(t *testing.T) {
	e := results.EstimateOf([]float64{2, 4, 4, 4, 5, 5, 7, 9})
	want := results.Estimate{Mean: 5, HalfWidth: 1.787488, Low: 5 - 1.787488, High: 5 + 1.787488, N: 8}
	fixture.AssertEstimate(t, e, want, 1e-6)
}

// Identical values have a zero-width interval, not an undefined one.
func TestEstimateOfConstant(t *testing.T) {
	fixture.AssertEstimate(t, results.EstimateOf([]float64{3, 3, 3}), results.Estimate{Mean: 3, Low: 3, High: 3, N: 3}, 0)
}

// NaN stands for a replication where the figure is undefined: it is left
// out, and N says so.
func TestEstimateOfSkipsNaN(t *testing.T) {
	nan := math.NaN()
	withNaN := results.EstimateOf([]float64{nan, 2, 4, nan, 4, 4, 5, 5, 7, 9})
	fixture.AssertEstimate(t, withNaN, results.EstimateOf([]float64{2, 4, 4, 4, 5, 5, 7, 9}), 0)

	one := results.EstimateOf([]float64{nan, 7})
	fixture.AssertEstimate(t, one, results.Estimate{Mean: 7, Low: nan, High: nan, HalfWidth: nan, N: 1}, 0)

	none := results.EstimateOf([]float64{nan, nan})
	fixture.AssertEstimate(t, none, results.Estimate{Mean: nan, Low: nan, High: nan, HalfWidth: nan, N: 0}, 0)
	fixture.AssertEstimate(t, results.EstimateOf(nil), none, 0)
}

// The moments give EstimateOf's mean and half-width.
func TestMeanAndHalfWidth(t *testing.T) {
	for _, xs := range [][]float64{{3}, {1, 2}, {5, 5, 5}, {0, 4, 1, 9, 2}} {
		var sum, squares float64
		for _, x := range xs {
			sum += x
			squares += x * x
		}
		mean, half := results.MeanAndHalfWidth(sum, squares, len(xs))
		want := results.EstimateOf(xs)
		if math.Abs(mean-want.Mean) > 1e-12 || !(math.Abs(half-want.HalfWidth) < 1e-12 || math.IsNaN(half) && math.IsNaN(want.HalfWidth)) {
			t.Errorf("%v: mean %v ± %v, want %v ± %v", xs, mean, half, want.Mean, want.HalfWidth)
		}
	}
}

func TestRatios(t *testing.T) {
	got := results.Ratios([]float64{1, 0, 3}, []float64{4, 0, 0})
	if got[0] != 0.25 || !math.IsNaN(got[1]) || !math.IsNaN(got[2]) {
		t.Errorf("Ratios = %v, want [0.25 NaN NaN]", got)
	}
}

// An estimate with an unknown interval encodes its NaNs as null and
// decodes back to them.
func TestEstimateJSON(t *testing.T) {
	e := results.EstimateOf([]float64{7, math.NaN()})
	data, err := json.Marshal(e)
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"mean":7,"low":null,"high":null,"half_width":null,"n":1,"per_replication":[7,null]}`; string(data) != want {
		t.Errorf("Marshal = %s, want %s", data, want)
	}
	var back results.Estimate
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	fixture.AssertEstimate(t, back, e, 0)
	if len(back.PerReplication) != 2 || back.PerReplication[0] != 7 || !math.IsNaN(back.PerReplication[1]) {
		t.Errorf("per replication decoded as %v, want [7 NaN]", back.PerReplication)
	}
}

// With no event in n joins the bound is the p at which seeing none has
// probability 5%, checked against the binomial itself: P(X = 0 | n, p) =
// (1-p)^n = 0.05, for n from 10^3 to 10^7; and about 3/n (the rule of
// three).
func TestClopperPearsonUpperNoEvents(t *testing.T) {
	for _, n := range []float64{1e3, 1e4, 1e5, 1e6, 1e7} {
		u := results.ClopperPearsonUpper(0, n)
		if p0 := (distuv.Binomial{N: n, P: u}).Prob(0); math.Abs(p0-0.05) > 1e-9 {
			t.Errorf("n = %g: P(X = 0 | n, %g) = %.12f, want 0.05", n, u, p0)
		}
		if rule := 3 / n; math.Abs(u-rule)/rule > 0.005 {
			t.Errorf("n = %g: bound %g is not about 3/n = %g", n, u, rule)
		}
	}
}

// With k events the bound is the p at which k or fewer have probability
// 5%, by the binomial's CDF.
func TestClopperPearsonUpperEvents(t *testing.T) {
	for _, c := range []struct{ k, n float64 }{{1, 100}, {4, 60}, {10, 1e4}, {250, 1e6}} {
		u := results.ClopperPearsonUpper(c.k, c.n)
		if cdf := (distuv.Binomial{N: c.n, P: u}).CDF(c.k); math.Abs(cdf-0.05) > 1e-6 {
			t.Errorf("k = %g, n = %g: P(X ≤ k | n, %g) = %.9f, want 0.05", c.k, c.n, u, cdf)
		}
	}
	if u := results.ClopperPearsonUpper(5, 5); u != 1 {
		t.Errorf("k = n: bound %v, want 1", u)
	}
}

// 4 days with violations out of 60 (the story in the issue): the exact
// interval, by the binomial's tails at its ends.
func TestProportionOf(t *testing.T) {
	xs := make([]float64, 60)
	xs[3], xs[17], xs[40], xs[59] = 2, 1, 5, 1
	p := results.ProportionOf(xs)
	if p.K != 4 || p.N != 60 || p.Fraction != 4.0/60 {
		t.Fatalf("proportion %+v, want 4 of 60", p)
	}
	if tail := 1 - (distuv.Binomial{N: 60, P: p.Low}).CDF(3); math.Abs(tail-0.025) > 1e-6 {
		t.Errorf("P(X ≥ 4 | 60, low %g) = %v, want 0.025", p.Low, tail)
	}
	if tail := (distuv.Binomial{N: 60, P: p.High}).CDF(4); math.Abs(tail-0.025) > 1e-6 {
		t.Errorf("P(X ≤ 4 | 60, high %g) = %v, want 0.025", p.High, tail)
	}
	none := results.ProportionOf([]float64{0, 0, 0, 0, 0, 0, 0, 0, 0, 0})
	if none.Low != 0 || math.Abs(none.High-(1-math.Pow(0.025, 0.1))) > 1e-9 {
		t.Errorf("0 of 10: %+v, want [0, 1-0.025^(1/10)]", none)
	}
}

// A rate some replication saw is bounded by Student-t over replications; a
// rate none saw by Clopper–Pearson on the pooled joins, never by 0.
func TestRateOf(t *testing.T) {
	seen := results.RateOf([]float64{1, 3, 2, 0}, []float64{100, 100, 100, 100})
	e := results.EstimateOf([]float64{0.01, 0.03, 0.02, 0})
	_, sd := stat.MeanStdDev(e.PerReplication, nil)
	if want := e.Mean + results.TQuantile(0.95, 3)*sd/2; seen.UpperBy != results.UpperStudentT || math.Abs(seen.Upper-want) > 1e-15 {
		t.Errorf("seen: upper %v by %s, want %v by student-t", seen.Upper, seen.UpperBy, want)
	}
	unseen := results.RateOf([]float64{0, 0, 0}, []float64{1e5, 2e5, 3e5})
	if unseen.Mean != 0 || unseen.UpperBy != results.UpperClopperPearson || unseen.Upper != results.ClopperPearsonUpper(0, 6e5) {
		t.Errorf("unseen: %+v, want mean 0 and the Clopper–Pearson bound for 0 in 600000", unseen)
	}
	if none := results.RateOf([]float64{0, 0}, []float64{0, 0}); !math.IsNaN(none.Upper) || none.UpperBy != "" {
		t.Errorf("no joins: upper %v by %q, want none", none.Upper, none.UpperBy)
	}
}
