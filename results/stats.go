package results

import (
	"bytes"
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
//
// A rate (events per join offered) also has Upper, a one-sided 95% upper
// bound, and UpperBy names how it was found (see RateOf); Upper is NaN and
// UpperBy empty for every other figure.
type Estimate struct {
	Mean           float64
	Low            float64
	High           float64
	HalfWidth      float64
	Upper          float64
	UpperBy        string
	N              int
	PerReplication []float64
}

// How a rate's upper bound was found.
const (
	UpperStudentT       = "student-t"       // some replication counted events
	UpperClopperPearson = "clopper-pearson" // no replication did: exact bound on the pooled joins
)

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
	e, _ := estimateAndSD(xs)
	return e
}

// estimateAndSD is EstimateOf, with the s it found (NaN when N < 2).
func estimateAndSD(xs []float64) (e Estimate, sd float64) {
	kept := nonNaN(xs)
	n := len(kept)
	e = Estimate{Mean: math.NaN(), Low: math.NaN(), High: math.NaN(), HalfWidth: math.NaN(), Upper: math.NaN(), N: n, PerReplication: append([]float64{}, xs...)}
	switch n {
	case 0:
		return e, math.NaN()
	case 1:
		e.Mean = kept[0]
		return e, math.NaN()
	}
	mean, sd := stat.MeanStdDev(kept, nil)
	half := tQuantile(0.5+Confidence/2, n-1) * sd / math.Sqrt(float64(n))
	e.Mean, e.HalfWidth = mean, half
	e.Low, e.High = mean-half, mean+half
	return e, sd
}

// meanAndHalfWidth is EstimateOf's mean and half-width for n values known
// only by their sum and sum of squares:
//
//	mean = sum / n
//	s²   = (sumSquares - sum²/n) / (n - 1)
//	half = t(0.975, n-1) · s / √n
//
// The half-width is NaN when n < 2, and the mean too when n = 0.
func meanAndHalfWidth(sum, sumSquares float64, n int) (mean, half float64) {
	switch n {
	case 0:
		return math.NaN(), math.NaN()
	case 1:
		return sum, math.NaN()
	}
	k := float64(n)
	mean = sum / k
	variance := max((sumSquares-sum*sum/k)/(k-1), 0) // rounding can take a zero variance below 0
	return mean, tQuantile(0.5+Confidence/2, n-1) * math.Sqrt(variance/k)
}

// RateOf estimates a rate from the count of events num[i] and of joins
// den[i] in each replication i: the Estimate of the per-replication ratios
// (see Ratios), with a one-sided 95% upper bound.
//
// When some replication counted events, the bound is Student-t's over the
// replications:
//
//	upper = mean + t(0.95, n-1) · s / √n
//
// When none did, that would be 0 — "never" — where all the replications
// show is "not in N joins". The bound is then the exact Clopper–Pearson
// bound for 0 events in the pooled N = Σ den[i] joins, the p with
// P(0 events | N, p) = 0.05:
//
//	upper = 1 - 0.05^(1/N)  (about 3/N, the rule of three)
//
// It is NaN when no join was offered, and when events were counted but
// fewer than two replications offered joins: there is then no spread to
// take a t bound from.
func RateOf(num, den []float64) Estimate {
	e, sd := estimateAndSD(Ratios(num, den))
	var events, joins float64
	for i := range num {
		events += num[i]
		joins += den[i]
	}
	switch {
	case joins == 0:
	case events > 0 && e.N >= 2:
		e.Upper, e.UpperBy = studentUpper(e, sd), UpperStudentT
	case events == 0:
		e.Upper = ClopperPearsonUpper(0, joins)
		e.UpperBy = UpperClopperPearson
	}
	return e
}

// studentUpper is the one-sided 95% upper bound of e, whose values have
// standard deviation sd: mean + t(0.95, n-1) · s / √n.
func studentUpper(e Estimate, sd float64) float64 {
	return e.Mean + tQuantile(Confidence, e.N-1)*sd/math.Sqrt(float64(e.N))
}

// ClopperPearsonUpper is the exact one-sided 95% upper confidence bound on
// a probability after k events in n trials: the p at which seeing k or
// fewer events has probability 0.05, the (0.95)-quantile of Beta(k+1, n-k):
//
//	P(X ≤ k | n, p) = 0.05,  X ~ Binomial(n, p)
//
// For k = 0 this is 1 - 0.05^(1/n), computed as -expm1(ln(0.05)/n) so that
// it keeps its digits for large n. It is 1 when k ≥ n.
func ClopperPearsonUpper(k, n float64) float64 {
	switch {
	case k >= n:
		return 1
	case k == 0:
		return -math.Expm1(math.Log(1-Confidence) / n)
	}
	return distuv.Beta{Alpha: k + 1, Beta: n - k}.Quantile(Confidence)
}

// Proportion is K replications out of N in which something happened (a
// violation, say), with the exact two-sided 95% Clopper–Pearson interval
// for the probability that a replication has it:
//
//	Low  = Beta(0.025; K, N-K+1)   (0 when K = 0)
//	High = Beta(0.975; K+1, N-K)   (1 when K = N)
type Proportion struct {
	K        int     `json:"k"`
	N        int     `json:"n"`
	Fraction float64 `json:"fraction"`
	Low      float64 `json:"low"`
	High     float64 `json:"high"`
}

// ProportionOf counts the replications whose value is above zero among
// those where it is defined.
func ProportionOf(xs []float64) Proportion {
	var p Proportion
	for _, x := range xs {
		if math.IsNaN(x) {
			continue
		}
		p.N++
		if x > 0 {
			p.K++
		}
	}
	p.Low, p.High = 0, 1 // all that 0 of 0 says
	if p.N == 0 {
		return p
	}
	k, n := float64(p.K), float64(p.N)
	alpha := (1 - Confidence) / 2
	p.Fraction = k / n
	if p.K > 0 {
		p.Low = distuv.Beta{Alpha: k, Beta: n - k + 1}.Quantile(alpha)
	}
	if p.K < p.N {
		p.High = distuv.Beta{Alpha: k + 1, Beta: n - k}.Quantile(1 - alpha)
	}
	return p
}

// nonNaN returns the values of xs that are numbers.
func nonNaN(xs []float64) []float64 {
	kept := make([]float64, 0, len(xs))
	for _, x := range xs {
		if !math.IsNaN(x) {
			kept = append(kept, x)
		}
	}
	return kept
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
	j := estimateJSON{
		Mean:           finiteOrNil(e.Mean),
		Low:            finiteOrNil(e.Low),
		High:           finiteOrNil(e.High),
		HalfWidth:      finiteOrNil(e.HalfWidth),
		UpperBy:        e.UpperBy,
		N:              e.N,
		PerReplication: valuesOrNil(e.PerReplication),
	}
	if e.UpperBy != "" {
		j.Upper = finiteOrNil(e.Upper)
	}
	return json.Marshal(j)
}

// UnmarshalJSON reads what MarshalJSON writes, null becoming NaN, so that a
// saved JSON report can be rendered again in another format.
func (e *Estimate) UnmarshalJSON(data []byte) error {
	var j estimateJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields() // as strict as strictjson.Read is around it
	if err := dec.Decode(&j); err != nil {
		return err
	}
	*e = Estimate{Mean: nanIfNil(j.Mean), Low: nanIfNil(j.Low), High: nanIfNil(j.High), HalfWidth: nanIfNil(j.HalfWidth),
		Upper: nanIfNil(j.Upper), UpperBy: j.UpperBy, N: j.N}
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
	Upper          *float64   `json:"upper,omitempty"`
	UpperBy        string     `json:"upper_by,omitempty"`
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
