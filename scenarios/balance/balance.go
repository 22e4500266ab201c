// Package balance is Envoy's load-balancing arithmetic: how the health of
// each priority level splits the requests between the levels (priority
// load, with the overprovisioning factor and the rounding remainder), when
// a level is in panic and how total panic splits by host count, and how a
// level splits its share between its localities (effective locality
// weight). It is pure arithmetic on host counts, shared by the engine
// (sim), which recomputes it as hosts are ejected and returned, and by the
// static analysis (scenarios/fence) and `geofence routes`, which evaluate
// it for a set of unhealthy datacenters.
//
// It follows Envoy's code, not its prose: envoyproxy/envoy
// source/extensions/load_balancing_policies/common/load_balancer_impl.cc
// (LoadBalancerBase::recalculatePerPriorityState, distributeLoad,
// recalculatePerPriorityPanic, recalculateLoadInTotalPanic,
// isHostSetInPanic) and locality_wrr.cc (effectiveLocalityWeight).
// docs/DESIGN.md ("Envoy's split") says where the two differ.
package balance

// Level is one priority level's hosts as the arithmetic sees them: how
// many there are, and how many of them are healthy or degraded (the rest
// are unhealthy, e.g. ejected by outlier detection). Envoy's excluded
// hosts are not modelled.
type Level struct {
	Hosts, Healthy, Degraded int
}

// Load is how a set of levels splits the requests: whole percent per
// level, to its healthy and to its degraded hosts, adding up to 100; and
// the levels in panic, which send their share to all their hosts whatever
// their health.
type Load struct {
	Healthy, Degraded []int
	Panic             []bool
	// TotalPanic: every level is in panic, and the load follows the host
	// counts.
	TotalPanic bool
}

// NewLoad returns a Load for n levels, whose slices Compute fills in place.
func NewLoad(n int) Load {
	return Load{Healthy: make([]int, n), Degraded: make([]int, n), Panic: make([]bool, n)}
}

// Health is a level's health in percent, as the overprovisioning factor f
// (in percent) inflates it:
//
//	health = min(100, f × available / hosts)
//
// in whole numbers, truncated; 0 for a level without hosts.
func Health(available, hosts, f int) int {
	if hosts == 0 {
		return 0
	}
	return min(100, f*available/hosts)
}

// Compute fills l (made by NewLoad for len(levels) levels) with the load
// of levels under overprovisioning factor f and panic threshold panic
// (both in percent; a threshold of 0 disables panic). With NTA, the
// normalised total availability, min(100, Σ health + Σ degraded health):
//
//	load(P) = min(100 − Σ load(earlier), health(P) × 100 / NTA)
//
// first for healthy hosts, then for degraded hosts with what is left; the
// rounding remainder goes whole to the first level with healthy hosts
// (else degraded ones). Unless NTA is 100, a level whose healthy and
// degraded hosts are below panic percent of its hosts is in panic; when
// all are, the load follows the host counts (100 × hosts(P) / Σ hosts,
// remainder to the first level with hosts).
func Compute(l *Load, levels []Level, f, panic int) {
	clear(l.Healthy)
	clear(l.Degraded)
	clear(l.Panic)
	l.TotalPanic = false
	nta := 0
	for _, lv := range levels {
		nta += Health(lv.Healthy, lv.Hosts, f) + Health(lv.Degraded, lv.Hosts, f)
	}
	nta = min(100, nta)
	if nta > 0 {
		firstHealthy, left := distribute(l.Healthy, levels, false, f, nta, 100)
		firstDegraded, left := distribute(l.Degraded, levels, true, f, nta, left)
		if firstHealthy >= 0 {
			l.Healthy[firstHealthy] += left
		} else {
			l.Degraded[firstDegraded] += left
		}
	}
	panic = min(100, panic)
	if nta == 100 {
		return
	}
	if panic > 0 {
		l.TotalPanic = true
		for p, lv := range levels {
			l.Panic[p] = InPanic(lv, panic)
			l.TotalPanic = l.TotalPanic && l.Panic[p]
		}
	}
	switch {
	case l.TotalPanic:
		byHostCount(l, levels)
	case nta == 0:
		l.Healthy[0] = 100
	}
}

// distribute is Envoy's distributeLoad: of left percent, each level in
// turn takes min(what is left, health × 100 / nta), its health that of its
// healthy hosts, or of its degraded ones. It returns the first level with
// health, -1 for none, and what is left.
func distribute(load []int, levels []Level, degraded bool, f, nta, left int) (first, rest int) {
	first = -1
	for p, lv := range levels {
		available := lv.Healthy
		if degraded {
			available = lv.Degraded
		}
		h := Health(available, lv.Hosts, f)
		if h > 0 && first < 0 {
			first = p
		}
		load[p] = min(left, h*100/nta)
		left -= load[p]
	}
	return first, left
}

// InPanic reports whether a level is below the panic threshold (percent):
// its healthy and degraded hosts, as a percentage of its hosts (counts,
// not inflated by the overprovisioning factor), below it. A level without
// hosts is at 0%.
func InPanic(lv Level, panic int) bool {
	if lv.Hosts == 0 {
		return 0 < panic
	}
	return 100*float64(lv.Healthy)/float64(lv.Hosts)+100*float64(lv.Degraded)/float64(lv.Hosts) < float64(panic)
}

// byHostCount is the load in total panic: by the levels' host counts,
// healthy or not, the rounding remainder to the first level with hosts.
func byHostCount(l *Load, levels []Level) {
	total := 0
	for _, lv := range levels {
		total += lv.Hosts
	}
	clear(l.Degraded)
	if total == 0 {
		clear(l.Healthy)
		l.Healthy[0] = 100
		return
	}
	left, first := 100, -1
	for p, lv := range levels {
		if first < 0 && lv.Hosts > 0 {
			first = p
		}
		l.Healthy[p] = 100 * lv.Hosts / total
		left -= l.Healthy[p]
	}
	l.Healthy[first] += left
}

// EffectiveWeight is a locality's weight as Envoy's locality-weighted
// balancing uses it within a level:
//
//	weight × min(1, f/100 × available / hosts)
//
// in floating point; 0 for a locality without hosts.
func EffectiveWeight(weight float64, available, hosts, f int) float64 {
	if hosts == 0 {
		return 0
	}
	return weight * min(1, float64(f)/100*float64(available)/float64(hosts))
}
