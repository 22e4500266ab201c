package sim

import (
	"math"

	"github.com/geofence/geofence/sim/internal/portable"
)

// rate is the population's join rate at simulation time t (seconds):
//
//	λ(t) = base × profile(local t) × Π surge factors active at t × e^(growth·t)
func (p *population) rate(t float64) float64 {
	r := p.base * p.profile(t) * p.surge(t)
	if p.growth != 0 {
		r *= portable.Exp(p.growth * t)
	}
	return r
}

// homogeneous reports whether λ(t) is the constant base rate.
func (p *population) homogeneous() bool {
	return p.hourly == nil && p.sinPeriod == 0 && len(p.surges) == 0 && p.growth == 0
}

// profile is the daily factor at simulation time t: the hourly factor of
// the local hour, or 1 + a·cos(2π(local − peak)/period), or 1.
func (p *population) profile(t float64) float64 {
	return p.profileAt(t, p.offsetAt(t))
}

// profileAt is profile with the local time's offset given.
func (p *population) profileAt(t, offset float64) float64 {
	local := t + offset
	switch {
	case p.hourly != nil:
		h := int(math.Floor(local/3600)) % 24
		if h < 0 {
			h += 24
		}
		return p.hourly[h]
	case p.sinPeriod > 0:
		return 1 + p.sinAmp*math.Cos(2*math.Pi*(local-p.sinPeak)/p.sinPeriod)
	}
	return 1
}

// offsetAt is the local time's offset from UTC at simulation time t.
func (p *population) offsetAt(t float64) float64 {
	if p.offsets == nil {
		return p.offset
	}
	return p.offsets[min(int(t/segment), len(p.offsets)-1)]
}

func (p *population) surge(t float64) float64 {
	f := 1.0
	for i := range p.surges {
		if s := &p.surges[i]; t >= s.Start.Seconds() && t < s.End.Seconds() {
			f *= s.Factor
		}
	}
	return f
}

// bound returns λ* ≥ λ(t) over hour-long segment k of the horizon:
// thinning draws candidates at rate λ* and keeps each with probability
// λ(t)/λ*, so a tight bound per segment wastes few draws where the rate is
// low. It is computed when thinning enters the segment, not tabulated, so
// that a long horizon costs no memory.
func (p *population) bound(k int) float64 {
	start, end := float64(k)*segment, float64(k+1)*segment
	prof := 1 + p.sinAmp // sinusoid or flat: its global maximum
	if p.hourly != nil {
		// A segment may straddle two local hours when run.start or the
		// offset is not on a whole hour.
		prof = max(p.profile(start), p.profile(math.Nextafter(end, start)))
	}
	surge := 1.0
	for i := range p.surges {
		s := &p.surges[i]
		if s.Start.Seconds() < end && s.End.Seconds() > start {
			surge *= max(s.Factor, 1)
		}
	}
	growth := portable.Exp(max(p.growth*start, p.growth*end))
	return p.base * prof * surge * growth
}

// floor returns λ_* ≤ λ(t) over hour-long segment k, a squeeze for
// thinning: a candidate whose uniform draw U has U·λ* ≤ λ_* is accepted
// without computing λ(t), as it would have been. λ_* is the product of the
// least factor of each kind over the segment — the local hours it
// touches, the surges that cover all of it (and those that cover part of
// it, if below 1), the growth at its start — less 2^-30 of itself, far more
// than the few ulps by which λ(t), rounded, can fall below the same
// product.
func (p *population) floor(k int) float64 {
	start, end := float64(k)*segment, float64(k+1)*segment
	prof := 1 - p.sinAmp // sinusoid or flat: its global minimum
	if p.hourly != nil {
		// The hour is monotone in t at a given offset, so the ends of the
		// segment span its hours; the offset is offsetAt(start) but near
		// the end, where t/segment may round up to the next segment's.
		last := math.Nextafter(end, start)
		prof = math.Inf(1)
		for _, off := range [...]float64{p.offsetAt(start), p.offsetAt(last)} {
			prof = min(prof, p.profileAt(start, off), p.profileAt(last, off))
		}
	}
	surge := 1.0
	for i := range p.surges {
		s := &p.surges[i]
		switch {
		case s.Start.Seconds() <= start && s.End.Seconds() >= end:
			surge *= s.Factor
		case s.Start.Seconds() < end && s.End.Seconds() > start:
			surge *= min(s.Factor, 1)
		}
	}
	growth := portable.Exp(min(p.growth*start, p.growth*end))
	return p.base * prof * surge * growth * (1 - 0x1p-30)
}

// maxRate bounds λ(t) over the whole horizon, looser than the segments'
// bounds (every surge at once, the highest hour at every hour) but found
// without visiting each segment.
func (p *population) maxRate(horizon float64) float64 {
	prof := 1 + p.sinAmp
	if p.hourly != nil {
		prof = 0
		for _, f := range p.hourly {
			prof = max(prof, f)
		}
	}
	surge := 1.0
	for i := range p.surges {
		surge *= max(p.surges[i].Factor, 1)
	}
	return p.base * prof * surge * portable.Exp(max(0, p.growth*horizon))
}
