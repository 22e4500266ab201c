package random

import (
	"math"

	"github.com/geofence/geofence/sim/internal/portable"
)

// The ziggurat tables of the normal and exponential distributions, as
// math/rand/v2 has them (normal.go, exp.go): Marsaglia and Tsang, "The
// Ziggurat Method for Generating Random Variables", Journal of Statistical
// Software 5(8), 2000. Strips of equal area v under the density, the base
// strip ending at r and holding the tail beyond it: 128 under exp(−x²/2),
// 256 under exp(−x). Go's tables are the paper's zigset rounded to 32
// bits; newZigNormal and newZigExp build them the same way, and
// TestVariatesAreGos and TestZigguratTablesAreGos check the
// draws and tables against Go's.
const (
	zigNormalR = 3.442619855899
	zigNormalV = 9.91256303526217e-3
	zigExpR    = 7.69711747013104972
	zigExpV    = 3.949659822581572e-3
)

// zigNormal holds, per strip i: k[i], the bound on |j| (a 31-bit draw)
// below which the point j·w[i] lies inside the density for certain; w[i],
// the strip's width over 2^31; f[i], the density at the strip's edge.
type zigNormal struct {
	k [128]uint32
	w [128]float32
	f [128]float32
}

// zigExp is zigNormal's like for the exponential: 256 strips, points j of
// 32 bits, widths over 2^32.
type zigExp struct {
	k [256]uint32
	w [256]float32
	f [256]float32
}

var (
	zigN = newZigNormal()
	zigE = newZigExp()
)

// newZigNormal is the paper's zigset for the normal tables.
func newZigNormal() *zigNormal {
	const m1 = 1 << 31
	z := &zigNormal{}
	dn, tn := zigNormalR, zigNormalR
	q := zigNormalV / portable.Exp(-.5*dn*dn)
	z.k[0] = uint32(dn / q * m1)
	z.k[1] = 0
	z.w[0] = float32(q / m1)
	z.w[127] = float32(dn / m1)
	z.f[0] = 1
	z.f[127] = float32(portable.Exp(-.5 * dn * dn))
	for i := 126; i >= 1; i-- {
		dn = math.Sqrt(-2 * math.Log(zigNormalV/dn+portable.Exp(-.5*dn*dn)))
		z.k[i+1] = uint32(dn / tn * m1)
		tn = dn
		z.f[i] = float32(portable.Exp(-.5 * dn * dn))
		z.w[i] = float32(dn / m1)
	}
	return z
}

// newZigExp is the paper's zigset for the exponential tables.
func newZigExp() *zigExp {
	const m2 = 1 << 32
	z := &zigExp{}
	de, te := zigExpR, zigExpR
	q := zigExpV / portable.Exp(-de)
	z.k[0] = uint32(de / q * m2)
	z.k[1] = 0
	z.w[0] = float32(q / m2)
	z.w[255] = float32(de / m2)
	z.f[0] = 1
	z.f[255] = float32(portable.Exp(-de))
	for i := 254; i >= 1; i-- {
		de = -math.Log(zigExpV/de + portable.Exp(-de))
		z.k[i+1] = uint32(de / te * m2)
		te = de
		z.f[i] = float32(portable.Exp(-de))
		z.w[i] = float32(de / m2)
	}
	return z
}
