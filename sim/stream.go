package sim

import (
	"math"
	"math/rand/v2"
)

// stream is one entity's random numbers: a PCG generator used by value, so
// that drawing is a direct, inlinable call rather than a call through the
// rand.Source interface.
type stream struct{ pcg rand.PCG }

// newStream seeds a stream for one purpose of one entity of one replication.
// Streams are keyed by the entity's name, not its position, so adding a
// population to a scenario leaves every other population's draws unchanged.
func newStream(seed uint64, rep int, key uint64, purpose uint64) stream {
	return stream{pcg: *rand.NewPCG(
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

// keyOf hashes a name (FNV-1a) into a stream key.
func keyOf(name string) uint64 {
	h := uint64(14695981039346656037)
	for i := 0; i < len(name); i++ {
		h ^= uint64(name[i])
		h *= 1099511628211
	}
	return h
}

// uniform returns a number in (0, 1]: never 0, so that log(u) is finite.
func (s *stream) uniform() float64 {
	return float64(s.pcg.Uint64()>>11+1) * 0x1p-53
}

// exp returns an Exp(1) variate by inversion: -log(U).
func (s *stream) exp() float64 { return -math.Log(s.uniform()) }

// normal returns a N(0,1) variate by Marsaglia's polar method.
func (s *stream) normal() float64 {
	for {
		u := 2*s.uniform() - 1
		v := 2*s.uniform() - 1
		q := u*u + v*v
		if q > 0 && q < 1 {
			return u * math.Sqrt(-2*math.Log(q)/q)
		}
	}
}

// intn returns an integer in [0, n) by multiplying 32 random bits by n
// (Lemire's method without the rejection step): each value's probability
// is off from 1/n by less than 2^-32, far below anything a whitelist pick
// could show.
func (s *stream) intn(n int) int {
	return int((s.pcg.Uint64() >> 32) * uint64(n) >> 32)
}
