// Package random is the engine's random numbers: a stream per entity and
// purpose, a PCG keyed by their names so that one entity's draws do not
// depend on the others, with normal and exponential variates by Go's own
// ziggurats.
package random

import (
	"math"
	"math/rand/v2"

	"github.com/geofence/geofence/sim/internal/portable"
)

// Stream is one entity's random numbers: a PCG generator used by value, so
// that drawing is a direct, inlinable call rather than a call through the
// rand.Source interface.
type Stream struct{ pcg rand.PCG }

// New seeds a stream for one purpose of one entity of one replication.
// Streams are keyed by the entity's name, not its position, so adding a
// population to a scenario leaves every other population's draws unchanged.
func New(seed uint64, rep int, key uint64, purpose uint64) Stream {
	return Stream{pcg: *rand.NewPCG(
		splitmix(seed^splitmix(uint64(rep)+1)),
		splitmix(key^splitmix(purpose+0x9e3779b97f4a7c15)),
	)}
}

// splitmix is SplitMix64's finaliser: a bijective mix of the bits of x.
func splitmix(x uint64) uint64 {
	x += 0x9e3779b97f4a7c15
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9
	x = (x ^ (x >> 27)) * 0x94d049bb133111eb
	return x ^ (x >> 31)
}

// KeyOf hashes a name (FNV-1a) into a stream key.
func KeyOf(name string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return h
}

// Uniform returns a number in (0, 1]: never 0, so that log(u) is finite.
func (s *Stream) Uniform() float64 {
	return float64(s.pcg.Uint64()>>11+1) * 0x1p-53
}

// Exp returns an Exp(1) variate by the ziggurat of Marsaglia and Tsang,
// step for step as math/rand/v2's (*Rand).ExpFloat64 (exp.go), over the
// stream's own PCG: one 64-bit draw picks a strip (8 bits) and a point in
// it (32 bits); more than 98% of draws end there, without a logarithm.
func (s *Stream) Exp() float64 {
	for {
		u := s.pcg.Uint64()
		j := uint32(u)
		i := uint8(u >> 32)
		x := float64(j) * float64(zigE.w[i])
		if j < zigE.k[i] {
			return x
		}
		if i == 0 {
			return zigExpR - math.Log(s.Float64())
		}
		if zigE.f[i]+float32(s.Float64())*(zigE.f[i-1]-zigE.f[i]) < float32(portable.Exp(-x)) {
			return x
		}
	}
}

// Normal returns a N(0,1) variate by the ziggurat of Marsaglia and Tsang,
// step for step as math/rand/v2's (*Rand).NormFloat64 (normal.go), over
// the stream's own PCG rather than through the rand.Source interface. One
// 64-bit draw picks a strip (7 bits) and a point in it (32 bits, signed);
// more than 99% of draws end there, without a logarithm. The rest test
// the point against the density (an Exp), or, in the base strip, draw
// from the tail beyond zigNormalR (two Logs a try).
func (s *Stream) Normal() float64 {
	for {
		u := s.pcg.Uint64()
		j := int32(u)
		i := u >> 32 & 0x7f
		x := float64(j) * float64(zigN.w[i])
		if absInt32(j) < zigN.k[i] {
			return x
		}
		if i == 0 {
			for {
				x = -math.Log(s.Float64()) * (1 / zigNormalR)
				y := -math.Log(s.Float64())
				if y+y >= x*x {
					break
				}
			}
			if j > 0 {
				return zigNormalR + x
			}
			return -zigNormalR - x
		}
		if zigN.f[i]+float32(s.Float64())*(zigN.f[i-1]-zigN.f[i]) < float32(portable.Exp(-.5*x*x)) {
			return x
		}
	}
}

// Float64 returns a number in [0, 1) in steps of 2^-53, as math/rand/v2's
// (*Rand).Float64, for the ziggurats' slow paths.
func (s *Stream) Float64() float64 {
	return float64(s.pcg.Uint64()<<11>>11) / (1 << 53)
}

func absInt32(i int32) uint32 {
	if i < 0 {
		return uint32(-i)
	}
	return uint32(i)
}

// Intn returns an integer in [0, n) by multiplying 32 random bits by n
// (Lemire's method without the rejection step): each value's probability
// is off from 1/n by less than 2^-32, far below anything a whitelist pick
// could show.
func (s *Stream) Intn(n int) int {
	return int((s.pcg.Uint64() >> 32) * uint64(n) >> 32)
}
