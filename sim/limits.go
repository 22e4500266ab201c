package sim

import (
	"fmt"
	"math"

	"github.com/geofence/geofence/scenarios"
)

// Limits past which Compile refuses a scenario, whatever validation let
// through: beyond them the engine's arithmetic would overflow, lose the
// clock's resolution or build tables that do not fit in memory.
const (
	// maxSeconds bounds every span of simulated time (horizon, RTT,
	// timeout, backoff, mean holding time): at 10^12 s (about 31,700
	// years) float64 times still resolve 0.2 ms, and sums of millions of
	// such spans stay finite.
	maxSeconds = 1e12
	// maxZoneSegments bounds the hours of a horizon whose population
	// follows a time zone, whose offset Compile tabulates per hour
	// (2^20 hours, about 120 years: 8 MiB a population).
	maxZoneSegments = 1 << 20
	// maxBuckets bounds the time buckets, which every tally has one of.
	maxBuckets = math.MaxInt32
)

// checkClock refuses a run whose clock settings are out of the engine's
// range; Compile calls it before it builds anything the horizon sizes.
func (m *Model) checkClock(s *scenarios.Scenario) error {
	switch {
	case !(m.Horizon > 0 && m.Horizon <= maxSeconds):
		return fmt.Errorf("the horizon is %v s; the engine simulates at most %g s", m.Horizon, float64(maxSeconds))
	case !(m.Warmup >= 0 && m.Warmup < m.Horizon):
		return fmt.Errorf("the warm-up (%v s) must be shorter than the horizon (%v s)", m.Warmup, m.Horizon)
	case !(m.Bucket > 0) || m.NumBuckets < 1 || m.NumBuckets > maxBuckets:
		return fmt.Errorf("a horizon of %v s in buckets of %v s makes too many buckets (at most %d)", m.Horizon, m.Bucket, maxBuckets)
	}
	for _, p := range s.Populations {
		if p.Profile != nil && p.Profile.TimeZone != "" && m.compiled.segments > maxZoneSegments {
			return fmt.Errorf("population %s follows a time zone, which the engine supports over at most %d hours; the horizon has %d", p.ID, maxZoneSegments, m.compiled.segments)
		}
	}
	return nil
}

// checkRanges refuses a compiled model whose datacenters a departure
// event cannot name, whose populations an arrival cannot, or whose rates or spans of time would overflow: a
// join rate that exceeds float64 somewhere in the horizon
// (growth, surges and profile multiplied), a holding-time distribution
// whose parameters are not finite, or a span beyond maxSeconds.
func (m *Model) checkRanges() error {
	c := &m.compiled
	if c.numDCs > maxDatacenters {
		return fmt.Errorf("the scenario has %d datacenters; the engine handles at most %d", c.numDCs, maxDatacenters)
	}
	if len(c.pops) > maxPopulations {
		return fmt.Errorf("the scenario has %d populations; the engine handles at most %d", len(c.pops), maxPopulations)
	}
	for _, rtt := range c.rtt {
		if !(rtt >= 0 && rtt <= maxSeconds) {
			return fmt.Errorf("a round-trip time of %v s is beyond the engine's %g s", rtt, float64(maxSeconds))
		}
	}
	for i := range c.pops {
		p := &c.pops[i]
		id := m.Populations[i].ID
		if r := p.maxRate(m.Horizon); !(r >= 0 && r <= math.MaxFloat64) {
			return fmt.Errorf("population %s: its join rate overflows within the horizon (base rate × profile × surges × growth reaches %v)", id, r)
		}
		if !(p.holdMean > 0 && p.holdMean <= maxSeconds) {
			return fmt.Errorf("population %s: a mean holding time of %v s is beyond the engine's %g s", id, p.holdMean, float64(maxSeconds))
		}
		if math.IsNaN(p.holdMu) || math.IsInf(p.holdMu, 0) || !(p.holdSigma <= math.MaxFloat64) {
			return fmt.Errorf("population %s: the lognormal holding time's spread overflows (its standard deviation is more than 10^154 times its mean)", id)
		}
		r := &p.route
		if !(r.backoff >= 0 && r.backoff <= maxSeconds) {
			return fmt.Errorf("population %s: a backoff of %v s is beyond the engine's %g s", id, r.backoff, float64(maxSeconds))
		}
		for _, pr := range r.planes {
			if !(pr.timeout >= 0 && pr.timeout <= maxSeconds) {
				return fmt.Errorf("population %s: a connect timeout of %v s is beyond the engine's %g s", id, pr.timeout, float64(maxSeconds))
			}
		}
	}
	return nil
}
