// Package portable computes e^x for the engine with the same bits on every
// machine. math.Exp on amd64 takes a fused multiply-add path where the CPU
// has FMA and another where it does not, so that one seed gave figures
// that differed in their last digits from one CPU to another. (The
// engine's other functions of package math take one path on every amd64
// CPU.)
package portable

import "math"

// The constants of Go's src/math/exp_amd64.s.
const (
	log2e    = 1.4426950408889634073599246810018920 // 1/ln 2
	ln2Hi    = 0.69314718055966295651160180568695068359375
	ln2Lo    = 0.28235290563031577122588448175013436025525412068e-12
	overflow = 7.09782712893384e+02
)

// Exp is e^x, bit for bit as Go's math.Exp computes it on amd64 with FMA
// (the avxfma path of src/math/exp_amd64.s, Go 1.26): the argument
// reduced by k·ln 2 with k = round(x/ln 2) and then by 16, a Taylor
// polynomial in Horner form, squared back four times, scaled by 2^k. Each
// fused step is a math.FMA, which rounds once on every machine (in
// software where the CPU has no FMA), and every other product is rounded
// on its own (float64(…)), so that no compiler fuses it either.
func Exp(x float64) float64 {
	switch {
	case math.IsNaN(x) || math.IsInf(x, 1):
		return x
	case math.IsInf(x, -1):
		return 0
	case x > overflow:
		return math.Inf(1)
	}
	k := int32(math.RoundToEven(float64(x * log2e)))
	fk := float64(k)
	r := math.FMA(-ln2Hi, fk, x)
	r = math.FMA(-ln2Lo, fk, r)
	r = float64(r * 0.0625)
	p := 2.4801587301587301587e-5
	p = math.FMA(p, r, 1.9841269841269841270e-4)
	p = math.FMA(p, r, 1.3888888888888888889e-3)
	p = math.FMA(p, r, 8.3333333333333333333e-3)
	p = math.FMA(p, r, 4.1666666666666666667e-2)
	p = math.FMA(p, r, 1.6666666666666666667e-1)
	p = math.FMA(p, r, 0.5)
	p = math.FMA(p, r, 1)
	// e^r − 1 for the reduced r, then squared four times as
	// (1 + y)² − 1 = y·(y + 2).
	y := float64(r * p)
	for range 3 {
		y = float64(y * (y + 2))
	}
	y = math.FMA(y+2, y, 1)
	return scale(y, k)
}

// scale is y·2^k as the assembly's ldexp does it: one product by a power
// of two, or two where 2^k is below the normal range.
func scale(y float64, k int32) float64 {
	e := k + 0x3FF
	switch {
	case e >= 0x7FF:
		return math.Inf(1)
	case e > 0:
		return float64(y * math.Float64frombits(uint64(e)<<52))
	case e < -52:
		return 0
	}
	y = float64(y * math.Float64frombits(uint64(e+0x3FE)<<52))
	return float64(y * math.Float64frombits(1<<52))
}
