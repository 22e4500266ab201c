// Package latency is the set-up latency histogram: logarithmic bins of
// constant relative width, so that a quantile read from it is exact to
// 0.5% in fixed memory however many joins it counts.
package latency

import "math"

// Histogram counts non-negative values (seconds) in logarithmic bins of
// constant relative width, so that its memory is fixed however many values
// it sees. Bin i holds values v with
//
//	floor(log(1 + v/Unit) / log(Growth)) = i
//
// so any quantile read from it is exact to within Growth-1 (0.5%)
// relative error, or Unit absolute.
type Histogram struct {
	Counts []int64 // Bins entries, allocated on first use
	N      int64
}

// Histogram bin layout: 1 ms resolution near zero, 0.5% relative beyond,
// values above about 10^5 s land in the last bin.
const (
	Unit   = 0.001
	Growth = 1.005
	Bins   = 3700
)

var logGrowth = math.Log(Growth)

// binOf is the bin of v ≥ 0 by its definition, with values past the last
// bin in it:
//
//	min(floor(log1p(v/Unit) / log(Growth)), Bins−1)
//
// evaluated in float64 exactly as it always was, so that counts stay the
// same bytes. Add finds the same bin without the logarithm.
func binOf(v float64) int {
	return min(int(math.Log1p(v/Unit)/logGrowth), Bins-1)
}

// Add counts v (v ≥ 0) in bin binOf(v). The float's exponent and top
// binKeyBits mantissa bits pick, from binStart, the bin of the smallest
// float that shares them; the edges above it then place v exactly. A key
// spans 2^-7 of its value, less than two bins' 0.5% (or, below a second,
// their 5 µs), so v is at most two edges past its key's bin.
func (h *Histogram) Add(v float64) {
	k := int(math.Float64bits(v)>>(52-binKeyBits)) - binKeyLow
	i := int(binStart[max(0, min(k, len(binStart)-1))])
	for v >= binEdges[i+1] {
		i++
	}
	h.Counts[i]++
	h.N++
}

// The keys of binStart: floats from binKeyMin (below the first edge, 5 µs)
// up to binKeyMax (above the last bin's lower edge, 1.03·10^5 s), in steps
// of 2^-binKeyBits of their power of two. Smaller values, negative ones
// included, share the first key, larger ones the last.
const (
	binKeyBits = 7
	binKeyMin  = 0x1p-18
	binKeyMax  = 0x1p17
)

var (
	binKeyLow = int(math.Float64bits(binKeyMin) >> (52 - binKeyBits))
	// binEdges[i] is the smallest float whose binOf is i, for 0 < i <
	// Bins; binEdges[0] is 0 and binEdges[Bins] +Inf.
	binEdges = histogramEdges()
	// binStart[k] is binOf of the smallest float of key k + binKeyLow.
	binStart = histogramStarts()
)

// histogramEdges finds each bin's lower edge as a float: from
// Unit·expm1(i·logGrowth), binOf inverted, it steps an ulp at a
// time to the first float that binOf puts in bin i. binOf's rounding moves
// the edge by a few ulps (7 on average, 26 at most), so this takes under
// a millisecond, once.
func histogramEdges() []float64 {
	edges := make([]float64, Bins+1)
	for i := 1; i < Bins; i++ {
		v := Unit * math.Expm1(float64(i)*logGrowth)
		for binOf(v) >= i {
			v = math.Nextafter(v, 0)
		}
		for binOf(v) < i {
			v = math.Nextafter(v, math.Inf(1))
		}
		edges[i] = v
	}
	edges[Bins] = math.Inf(1)
	return edges
}

func histogramStarts() []uint16 {
	keyHigh := int(math.Float64bits(binKeyMax) >> (52 - binKeyBits))
	starts := make([]uint16, keyHigh-binKeyLow+1)
	for k := range starts {
		starts[k] = uint16(binOf(math.Float64frombits(uint64(k+binKeyLow) << (52 - binKeyBits))))
	}
	return starts
}

// BinUpper returns the upper edge of bin i in seconds.
func BinUpper(i int) float64 {
	return Unit * (math.Pow(Growth, float64(i+1)) - 1)
}

// BinLower returns the lower edge of bin i in seconds.
func BinLower(i int) float64 {
	return Unit * (math.Pow(Growth, float64(i)) - 1)
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
	return BinUpper(Bins - 1)
}

// Merge adds the counts of o to h.
func (h *Histogram) Merge(o *Histogram) {
	if o.N == 0 {
		return
	}
	if h.Counts == nil {
		h.Counts = make([]int64, Bins)
	}
	for i, c := range o.Counts {
		h.Counts[i] += c
	}
	h.N += o.N
}
