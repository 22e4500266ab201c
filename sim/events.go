package sim

import "github.com/geofence/geofence/sim/internal/calendar"

// The kinds of the engine's events, and what their reference and payload
// are.
const (
	arrival   calendar.Kind = iota // ref: population; a rejoin: | rejoinRef, payload: the seconds of call left (math.Float64bits)
	attempt                        // ref: walk; it continues
	departure                      // ref: population; payload: what it releases (packHeld)
	change                         // ref: timeline change, check group or balance sweep
)

// rejoinRef marks an arrival as the new join of a client whose call an
// outage dropped.
const (
	rejoinRef      = 1 << (calendar.RefBits - 1)
	maxPopulations = rejoinRef
)

// CallBytes is the memory of a call in progress: its departure event,
// which carries its holdings. The calendar queue's chunks add a link per
// chunk of them; TestBytesPerCall measures the whole.
const CallBytes = calendar.EventBytes

// bucketWidth picks the queue's fine bucket width for m: about
// calendar.EventsPerBucket events a bucket at the model's peak event rate.
func bucketWidth(m *Model) float64 {
	var rate float64
	for i := range m.compiled.pops {
		p := &m.compiled.pops[i]
		rate += p.maxRate(m.Horizon) * p.eventsPerJoin()
	}
	return calendar.Width(rate)
}

// eventsPerJoin is how many events a join of p makes when it is admitted
// at the first datacenter it tries on every plane: its arrival, its
// departure, and an attempt for each plane after media that it walks.
func (p *population) eventsPerJoin() float64 {
	n := 2.0
	if p.route.planes[Keys].enabled {
		n++
	}
	if p.route.planes[Connector].enabled {
		n += p.dialIn
	}
	return n
}
