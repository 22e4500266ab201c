package balance

import "github.com/geofence/geofence/scenarios"

// Route is a balance route with its localities' datacenters as indices
// into Scenario.Datacenters and its defaults applied.
type Route struct {
	Priorities       [][]Locality
	Overprovisioning int // percent
	PanicThreshold   int // percent; 0 disables panic
	LocalityWeighted bool
}

// Locality is one locality of a priority: the hosts of one datacenter.
type Locality struct {
	Datacenter int
	Weight     float64
	Hosts      int
}

// Compile makes the Route of b, whose datacenters index finds.
func Compile(b *scenarios.Balance, index func(scenarios.ID) int) *Route {
	r := &Route{
		Overprovisioning: b.EffectiveOverprovisioning(),
		PanicThreshold:   b.EffectivePanicThreshold(),
		LocalityWeighted: b.LocalityWeighted,
	}
	for _, priority := range b.Priorities {
		ls := make([]Locality, len(priority))
		for i, l := range priority {
			ls[i] = Locality{Datacenter: index(l.Datacenter), Weight: float64(l.EffectiveWeight()), Hosts: l.EffectiveHosts()}
		}
		r.Priorities = append(r.Priorities, ls)
	}
	return r
}

// Hosts is the number of hosts of every priority.
func (r *Route) Hosts() int {
	n := 0
	for _, ls := range r.Priorities {
		for _, l := range ls {
			n += l.Hosts
		}
	}
	return n
}

// Split is how requests spread over a route's localities: Shares[p][i] is
// the fraction of requests whose attempt goes to locality i of priority p,
// and None the fraction that finds no host to try ("no healthy
// upstream"); together they add up to 1. Load is the priority load the
// split follows.
type Split struct {
	Load   Load
	Shares [][]float64
	None   float64
}

// Split is the split of r when healthy[p][i] of the hosts of locality i
// of priority p are healthy (the others ejected). Within a priority not
// in panic, a locality's part of the priority's load is in proportion to
// its effective weight (EffectiveWeight) when the route is locality
// weighted, else to the weight of its healthy hosts, weight × healthy /
// hosts (hosts of a locality weigh alike); in panic it is in proportion
// to the weight of all its hosts.
func (r *Route) Split(healthy [][]int) Split {
	levels := make([]Level, len(r.Priorities))
	for p, ls := range r.Priorities {
		for i, l := range ls {
			levels[p].Hosts += l.Hosts
			levels[p].Healthy += healthy[p][i]
		}
	}
	s := Split{Load: NewLoad(len(levels)), Shares: make([][]float64, len(r.Priorities))}
	Compute(&s.Load, levels, r.Overprovisioning, r.PanicThreshold)
	for p, ls := range r.Priorities {
		s.Shares[p] = make([]float64, len(ls))
		load := float64(s.Load.Healthy[p]) / 100
		weights := s.Shares[p]
		total := 0.0
		for i, l := range ls {
			weights[i] = r.LocalityWeight(l, healthy[p][i], s.Load.Panic[p])
			total += weights[i]
		}
		if total == 0 {
			s.None += load
			continue
		}
		for i := range weights {
			weights[i] *= load / total
		}
	}
	return s
}

// LocalityWeight is what locality l, with healthy of its hosts healthy,
// weighs against the other localities of its priority (see Split).
func (r *Route) LocalityWeight(l Locality, healthy int, inPanic bool) float64 {
	switch {
	case inPanic:
		return l.Weight
	case r.LocalityWeighted:
		return EffectiveWeight(l.Weight, healthy, l.Hosts, r.Overprovisioning)
	}
	return l.Weight * float64(healthy) / float64(l.Hosts)
}

// AllHealthy is the healthy host counts of r with every host healthy.
func (r *Route) AllHealthy() [][]int {
	out := make([][]int, len(r.Priorities))
	for p, ls := range r.Priorities {
		out[p] = make([]int, len(ls))
		for i, l := range ls {
			out[p][i] = l.Hosts
		}
	}
	return out
}

// HealthyWithout is the healthy host counts of r with every host of the
// datacenters down (by index) ejected, the others healthy.
func (r *Route) HealthyWithout(down func(dc int) bool) [][]int {
	out := r.AllHealthy()
	for p, ls := range r.Priorities {
		for i, l := range ls {
			if down(l.Datacenter) {
				out[p][i] = 0
			}
		}
	}
	return out
}
