package sim

import "math"

// Histogram counts non-negative values (seconds) in logarithmic bins of
// constant relative width, so that its memory is fixed however many values
// it sees. Bin i holds values v with
//
//	floor(log(1 + v/HistogramUnit) / log(HistogramGrowth)) = i
//
// so any quantile read from it is exact to within HistogramGrowth-1 (0.5%)
// relative error, or HistogramUnit absolute.
type Histogram struct {
	Counts []int64 // HistogramBins entries, allocated on first use
	N      int64
}

// Histogram bin layout: 1 ms resolution near zero, 0.5% relative beyond,
// values above about 10^5 s land in the last bin.
const (
	HistogramUnit   = 0.001
	HistogramGrowth = 1.005
	HistogramBins   = 3700
)

var logGrowth = math.Log(HistogramGrowth)

// Add counts v.
func (h *Histogram) Add(v float64) {
	i := int(math.Log1p(v/HistogramUnit) / logGrowth)
	if i >= HistogramBins {
		i = HistogramBins - 1
	}
	h.Counts[i]++
	h.N++
}

// BinUpper returns the upper edge of bin i in seconds.
func BinUpper(i int) float64 {
	return HistogramUnit * (math.Pow(HistogramGrowth, float64(i+1)) - 1)
}

// BinLower returns the lower edge of bin i in seconds.
func BinLower(i int) float64 {
	return HistogramUnit * (math.Pow(HistogramGrowth, float64(i)) - 1)
}

// Quantile returns the p-quantile (0 < p ≤ 1) of the counted values: the
// smallest bin whose cumulative count reaches ceil(p·N), reported at the
// bin's midpoint. It returns NaN when the histogram is empty.
func (h *Histogram) Quantile(p float64) float64 {
	if h.N == 0 {
		return math.NaN()
	}
	rank := int64(math.Ceil(p * float64(h.N)))
	if rank < 1 {
		rank = 1
	}
	var cum int64
	for i, c := range h.Counts {
		cum += c
		if cum >= rank {
			return (BinLower(i) + BinUpper(i)) / 2
		}
	}
	return BinUpper(HistogramBins - 1)
}

// Merge adds the counts of o to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.N == 0 {
		return
	}
	if h.Counts == nil {
		h.Counts = make([]int64, HistogramBins)
	}
	for i, c := range o.Counts {
		h.Counts[i] += c
	}
	h.N += o.N
}
