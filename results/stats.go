package results

import (
	"encoding/json"
	"math"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Confidence is the coverage of every interval in a report.
const Confidence = 0.95

// Estimate is a figure estimated over replications: the sample mean and its
// two-sided 95% Student-t confidence interval [Low, High] = Mean ± HalfWidth.
// N counts the replications that contributed a value. With N < 2 the
// interval is unknown and Low, High and HalfWidth are NaN; with N = 0 Mean
// is NaN too. PerReplication keeps the value of every replication, in
// replication order, NaN where it is undefined.
type Estimate struct {
	Mean           float64   `json:"mean"`
	Low            float64   `json:"low"`
	High           float64   `json:"high"`
	HalfWidth      float64   `json:"half_width"`
	N              int       `json:"n"`
	PerReplication []float64 `json:"per_replication"`
}

// EstimateOf returns the mean of the non-NaN values of xs with its
// confidence interval:
//
//	mean = Σx / n
//	s    = sqrt(Σ(x - mean)² / (n - 1))
//	half = t(0.975, n-1) · s / √n
//
// where t(p, ν) is the p-quantile of Student's t with ν degrees of freedom.
// NaN values stand for replications where the figure is undefined (a ratio
// whose denominator was zero, a quantile of no values); they are left out
// and N says how many values counted.
func EstimateOf(xs []float64) Estimate {
	kept := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			kept = append(kept, x)
		}
	}
	n := len(kept)
	e := Estimate{Mean: math.NaN(), Low: math.NaN(), High: math.NaN(), HalfWidth: math.NaN(), N: n, PerReplication: append([]float64{}, xs...)}
	switch n {
	case 0:
		return e
	case 1:
		e.Mean = kept[0]
		return e
	}
	mean, sd := stat.MeanStdDev(kept, nil)
	half := tQuantile(0.5+Confidence/2, n-1) * sd / math.Sqrt(float64(n))
	e.Mean, e.HalfWidth = mean, half
	e.Low, e.High = mean-half, mean+half
	return e
}

// tQuantile returns the p-quantile of Student's t distribution with df ≥ 1
// degrees of freedom.
func tQuantile(p float64, df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(p)
}

// Ratios returns the per-replication ratios num[i] / den[i], NaN where
// den[i] is zero. A ratio figure (blocking probability, violation rate) is
// estimated over these ratios, one per replication, rather than as a ratio
// of means, so that its interval comes from the same Student-t argument as
// every other figure. num and den must have the same length.
func Ratios(num, den []float64) []float64 {
	if len(num) != len(den) {
		panic("results: Ratios of slices of different lengths")
	}
	out := make([]float64, len(num))
	for i := range num {
		out[i] = ratio(num[i], den[i])
	}
	return out
}

// ratio is num/den, or NaN when den is zero: the figure is undefined in
// that replication and EstimateOf leaves it out.
func ratio(num, den float64) float64 {
	if den == 0 {
		return math.NaN()
	}
	return num / den
}

// MarshalJSON encodes e with every non-finite field as null, which
// encoding/json would otherwise refuse.
func (e Estimate) MarshalJSON() ([]byte, error) {
	return json.Marshal(estimateJSON{
		Mean:           finiteOrNil(e.Mean),
		Low:            finiteOrNil(e.Low),
		High:           finiteOrNil(e.High),
		HalfWidth:      finiteOrNil(e.HalfWidth),
		N:              e.N,
		PerReplication: valuesOrNil(e.PerReplication),
	})
}

// UnmarshalJSON reads what MarshalJSON writes, null becoming NaN, so that a
// saved JSON report can be rendered again in another format.
func (e *Estimate) UnmarshalJSON(data []byte) error {
	var j estimateJSON
	if err := json.Unmarshal(data, &j); err != nil {
		return err
	}
	*e = Estimate{Mean: nanIfNil(j.Mean), Low: nanIfNil(j.Low), High: nanIfNil(j.High), HalfWidth: nanIfNil(j.HalfWidth), N: j.N}
	for _, v := range j.PerReplication {
		e.PerReplication = append(e.PerReplication, nanIfNil(v))
	}
	return nil
}

// estimateJSON is Estimate's wire form: nil stands for NaN.
type estimateJSON struct {
	Mean           *float64   `json:"mean"`
	Low            *float64   `json:"low"`
	High           *float64   `json:"high"`
	HalfWidth      *float64   `json:"half_width"`
	N              int        `json:"n"`
	PerReplication []*float64 `json:"per_replication"`
}

func valuesOrNil(xs []float64) []*float64 {
	out := make([]*float64, len(xs))
	for i, x := range xs {
		out[i] = finiteOrNil(x)
	}
	return out
}

func finiteOrNil(x float64) *float64 {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return nil
	}
	return &x
}

func nanIfNil(x *float64) float64 {
	if x == nil {
		return math.NaN()
	}
	return *x
}
