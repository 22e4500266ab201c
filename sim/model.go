package sim

import (
	"math"

	"github.com/geofence/geofence/scenarios"
)

// Model is a validated scenario compiled into dense, index-addressed tables.
// It is immutable once built and shared read-only by every replication.
type Model struct {
	Scenario    *scenarios.Scenario
	Populations []PopulationInfo
	Datacenters []DatacenterInfo

	Horizon    float64 // seconds simulated per replication
	Warmup     float64 // seconds before measurement starts
	Bucket     float64 // width of a time bucket in seconds
	NumBuckets int     // ceil(Horizon / Bucket)

	compiled compiled
}

// PopulationInfo names a population as the scenario does.
type PopulationInfo struct {
	ID, Region, Jurisdiction, Plan string
	// Routes gives, per plane, the index in Scenario.Routing.Routes of the
	// route the population follows for it (Scenario.PlaneRouteOf); -1 for
	// none.
	Routes [NumPlanes]int
	Rule   int // index in Scenario.Policy, -1 if no rule selects it
	// Allowed lists, per plane, the jurisdictions the policy allows the
	// population, sorted.
	Allowed [NumPlanes][]string
}

// DatacenterInfo names a datacenter and what it serves at the start.
type DatacenterInfo struct {
	ID, Region, Jurisdiction string
	Serves                   [NumPlanes]bool
	Capacity                 [NumPlanes]int64 // initial capacity, -1 when unlimited
}

// CapacitySeries returns, for each time bucket, the time-average capacity
// of plane p of datacenter dc over the bucket's measured part, counting 0
// while the datacenter is down: what it could hold, to set occupancy
// against. It is nil when the plane's capacity is unlimited at any time,
// and NaN for buckets wholly inside the warm-up. The timeline fixes it:
// no replication is needed.
func (m *Model) CapacitySeries(dc int, p Plane) []float64 {
	c := &m.compiled
	capacity := m.Datacenters[dc].Capacity[p]
	if capacity < 0 {
		capacity = noCapacity
	}
	up := true
	series := make([]float64, m.NumBuckets)
	measured := make([]float64, m.NumBuckets)
	from := m.Warmup
	// add spreads the current capacity over [from, to).
	add := func(to float64) bool {
		to = min(to, m.Horizon)
		if from >= to {
			return true
		}
		if up {
			if capacity == noCapacity {
				return false
			}
			m.spread(series, from, to, float64(capacity))
		}
		m.spread(measured, from, to, 1)
		from = to
		return true
	}
	for i := range c.changes {
		ch := &c.changes[i]
		if int(ch.dc) != dc {
			continue
		}
		if ch.t > from && !add(ch.t) {
			return nil
		}
		if ch.setState {
			up = ch.up
		}
		if ch.setCap[p] {
			capacity = ch.cap[p]
		}
	}
	if !add(m.Horizon) {
		return nil
	}
	for b := range series {
		if measured[b] == 0 {
			series[b] = math.NaN()
		} else {
			series[b] /= measured[b]
		}
	}
	return series
}

// bucket is the time bucket of time t.
func (m *Model) bucket(t float64) int {
	return min(int(t/m.Bucket), m.NumBuckets-1)
}

// spread adds rate × the length of each time bucket's part of [from, to)
// to that bucket's entry of into. The bucket index is stepped, not
// recomputed from from: for widths such as 0.7 s, (b+1)·width can round to
// a value whose bucket is b again, and the loop would never advance.
func (m *Model) spread(into []float64, from, to, rate float64) {
	for b := m.bucket(from); from < to; b++ {
		end := to
		if b < m.NumBuckets-1 {
			end = min(to, float64(b+1)*m.Bucket)
		}
		if end <= from {
			continue
		}
		into[b] += rate * (end - from)
		from = end
	}
}
