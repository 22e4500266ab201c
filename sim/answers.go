package sim

import (
	"math"
	"slices"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/answer"
)

// The routes that answer by health — failover and dns — and the health
// checks they rely on. A check is a periodic event at k × its interval;
// when one changes status, each route relying on it computes its answer's
// distribution once and keeps it with the time, in a history as long as
// the route's TTL: a join resolves at arrival − age, age uniform in
// [0, TTL), and reads the answer of that moment (docs/DESIGN.md, "Answers
// by health").

// checkSpec is one health check of the compiled model.
type checkSpec struct {
	dc        int32
	plane     Plane
	threshold int
	full      answer.Status // what it observes at a full datacenter
}

// checkGroup is the checks that share an interval: one periodic event
// observes them all.
type checkGroup struct {
	interval float64
	checks   []int32
}

// answerRoute is one population's failover or dns route for one plane.
type answerRoute struct {
	targets     []int32 // failover: the targets, in order
	onlyPassing bool
	answerFirst bool
	plan        *answer.Plan // dns; nil for failover
	checks      []int32      // the route's own check order -> the model's checks
	ttl         float64
	home        []int32 // datacenters answered with every check passing: landing elsewhere is secondary
	datacenters int     // distinct datacenters it can answer with
	histCap     int     // history entries its TTL can need
}

// The observations a timeline entry can impose on a datacenter's checks.
const checkObserved int8 = -1

// AnswerRoutes reports whether some population follows a failover or dns
// route, whose joins can be unanswered.
func (m *Model) AnswerRoutes() bool { return len(m.compiled.answers) > 0 }

func checkOverride(s string) int8 {
	if st, ok := answer.ParseStatus(s); ok {
		return int8(st)
	}
	return checkObserved
}

// compileAnswers gives population pi (compiled as pop) its failover and
// dns plane routes: each an answerRoute, and a planeRoute that points to
// it and tries the answered datacenter once.
func (c *compiled) compileAnswers(s *scenarios.Scenario, sp *scenarios.Population, pop *population, dcIndex map[scenarios.ID]int32) {
	for i, plane := range scenarios.Planes {
		_, pr := s.PlaneRouteOf(sp, plane)
		if pr == nil || (pr.Failover == nil && pr.DNS == nil) {
			continue
		}
		var ar answerRoute
		var checks []scenarios.Check
		var timeout float64
		if f := pr.Failover; f != nil {
			for _, id := range f.Targets {
				ar.targets = append(ar.targets, dcIndex[id])
			}
			ar.onlyPassing = f.OnlyPassing
			ar.answerFirst = f.EffectiveWhenNoneHealthy() == "first"
			ar.ttl = f.EffectiveTTL().Seconds()
			timeout = f.EffectiveConnectTimeout().Seconds()
			checks = f.Checks()
			ar.datacenters = len(ar.targets)
		} else {
			ar.plan, checks = s.AnswerPlan(sp, pr.DNS)
			ar.ttl = pr.DNS.EffectiveTTL().Seconds()
			timeout = pr.DNS.EffectiveConnectTimeout().Seconds()
			ar.datacenters = len(pr.AnswerDatacenters())
		}
		minInterval := math.Inf(1)
		for _, chk := range checks {
			ar.checks = append(ar.checks, c.check(chk, Plane(i), dcIndex))
			minInterval = min(minInterval, chk.Interval.Seconds())
		}
		ar.histCap = 2
		if ar.ttl > 0 && len(checks) > 0 {
			ar.histCap += int(math.Ceil(ar.ttl / minInterval))
		}
		ar.home = homeOf(&ar, len(checks))
		pop.route.planes[i] = planeRoute{enabled: true, attempts: 1, timeout: timeout, answer: int32(len(c.answers)) + 1}
		c.answers = append(c.answers, ar)
	}
}

// homeOf is where route ar answers when every check passes.
func homeOf(ar *answerRoute, checks int) []int32 {
	if ar.plan == nil {
		return ar.targets[:1]
	}
	var d answer.Dist
	ar.plan.Answer(make([]answer.Status, checks), &d)
	var out []int32
	for _, sh := range d.Shares {
		out = append(out, int32(sh.Datacenter))
	}
	return out
}

// check returns the index of the model's check equal to chk on plane,
// adding it (and its interval's group) if new.
func (c *compiled) check(chk scenarios.Check, plane Plane, dcIndex map[scenarios.ID]int32) int32 {
	full, _ := answer.ParseStatus(chk.Full)
	spec := checkSpec{dc: dcIndex[chk.Datacenter], plane: plane, threshold: chk.FailureThreshold, full: full}
	interval := chk.Interval.Seconds()
	g := slices.IndexFunc(c.checkGroups, func(g checkGroup) bool { return g.interval == interval })
	if g >= 0 {
		for _, k := range c.checkGroups[g].checks {
			if c.checks[k] == spec {
				return k
			}
		}
	} else {
		g = len(c.checkGroups)
		c.checkGroups = append(c.checkGroups, checkGroup{interval: interval})
	}
	k := int32(len(c.checks))
	c.checks = append(c.checks, spec)
	c.checkGroups[g].checks = append(c.checkGroups[g].checks, k)
	return k
}

// routesOfChecks indexes, for each check, the answer routes relying on it.
func (c *compiled) routesOfChecks() {
	c.checkRoutes = make([][]int32, len(c.checks))
	for r, ar := range c.answers {
		for _, k := range ar.checks {
			if !slices.Contains(c.checkRoutes[k], int32(r)) {
				c.checkRoutes[k] = append(c.checkRoutes[k], int32(r))
			}
		}
	}
}

// history is the answers one route gave over the last TTL: entry i holds
// from times[i] until the next entry's time. It is a ring of preallocated
// entries, so that recording an answer allocates nothing.
type history struct {
	times []float64
	dists []answer.Dist
	head  int // index of the oldest entry
	n     int // entries held
}

func (h *history) reset(capacity, shares int) {
	if cap(h.times) < capacity {
		h.times = make([]float64, capacity)
		h.dists = make([]answer.Dist, capacity)
	}
	h.times, h.dists = h.times[:capacity], h.dists[:capacity]
	for i := range h.dists {
		if cap(h.dists[i].Shares) < shares {
			h.dists[i].Shares = make([]answer.Share, 0, shares)
		}
	}
	h.head, h.n = 0, 0
}

// next returns the entry to fill for an answer given at time t, after
// dropping the entries no join can read any more (those that ended before
// t − ttl).
func (h *history) next(t, ttl float64) *answer.Dist {
	for h.n > 1 && h.times[(h.head+1)%len(h.times)] <= t-ttl {
		h.head = (h.head + 1) % len(h.times)
		h.n--
	}
	if h.n == len(h.times) { // the bound on changes within a TTL was exceeded: drop the oldest
		h.head = (h.head + 1) % len(h.times)
		h.n--
	}
	i := (h.head + h.n) % len(h.times)
	h.times[i] = t
	h.n++
	return &h.dists[i]
}

// at returns the answer given at time t: the latest entry not after t,
// or the oldest one held.
func (h *history) at(t float64) *answer.Dist {
	for k := h.n - 1; k > 0; k-- {
		i := (h.head + k) % len(h.times)
		if h.times[i] <= t {
			return &h.dists[i]
		}
	}
	return &h.dists[h.head]
}

// resetAnswers readies the checks and answer routes for a replication:
// every check passing, each route's answer of that state recorded at time
// 0, and each interval group's first observation scheduled.
func (e *engine) resetAnswers() {
	c := e.c
	e.checks = resize(e.checks, len(c.checks))
	clear(e.checks)
	e.overrides = resize(e.overrides, c.numDCs)
	for i := range e.overrides {
		e.overrides[i] = checkObserved
	}
	e.histories = resize(e.histories, len(c.answers))
	e.dirty = resize(e.dirty, len(c.answers))
	clear(e.dirty)
	most := 0
	for _, ar := range c.answers {
		most = max(most, len(ar.checks))
	}
	e.statuses = resize(e.statuses, most)
	for r := range c.answers {
		ar := &c.answers[r]
		e.histories[r].reset(ar.histCap, ar.datacenters+1)
		e.record(int32(r))
	}
	for g, grp := range c.checkGroups {
		if grp.interval < e.m.Horizon {
			e.q.Push(grp.interval, change, int32(len(c.changes)+g), 0)
		}
	}
}

// record computes route r's answer for the checks' present statuses and
// adds it to the route's history at the present time.
func (e *engine) record(r int32) {
	ar := &e.c.answers[r]
	st := e.statuses[:len(ar.checks)]
	for i, k := range ar.checks {
		st[i] = e.checks[k].Status
	}
	d := e.histories[r].next(e.now, ar.ttl)
	if ar.plan != nil {
		ar.plan.Answer(st, d)
		return
	}
	d.Shares, d.None = d.Shares[:0], 0
	if k := answer.First(st, ar.onlyPassing, ar.answerFirst); k == answer.None {
		d.None = 1
	} else {
		d.Shares = append(d.Shares, answer.Share{Datacenter: int(ar.targets[k]), P: 1})
	}
}

// tick is a check group's periodic observation: each of its checks
// observes its datacenter, and the routes whose checks changed record
// their new answer.
func (e *engine) tick(g int32) {
	grp := &e.c.checkGroups[g]
	for _, k := range grp.checks {
		spec := &e.c.checks[k]
		if e.checks[k].Observe(e.observe(spec), spec.threshold) {
			for _, r := range e.c.checkRoutes[k] {
				e.dirty[r] = true
			}
		}
	}
	for r, d := range e.dirty {
		if d {
			e.dirty[r] = false
			e.record(int32(r))
		}
	}
	if next := e.now + grp.interval; next < e.m.Horizon {
		e.q.Push(next, change, int32(len(e.c.changes))+g, 0)
	}
}

// observe is what check spec sees now: what a timeline entry imposes,
// else critical at a down datacenter, its full setting at a full one,
// passing otherwise.
func (e *engine) observe(spec *checkSpec) answer.Status {
	if o := e.overrides[spec.dc]; o != checkObserved {
		return answer.Status(o)
	}
	s := &e.sites[spec.dc]
	switch {
	case !s.up:
		return answer.Critical
	case s.slots[spec.plane].occ >= s.slots[spec.plane].cap:
		return spec.full
	}
	return answer.Passing
}

// resolve is the datacenter route r answers join j with, read at the
// moment its resolver asked (now less an age uniform in [0, TTL)), or -1
// for no answer; home reports whether it is one the route answers with
// when every check passes.
func (e *engine) resolve(j *walk, r int32) (dc int32, home bool) {
	ar := &e.c.answers[r]
	rs := &e.routing[j.pop]
	t := e.now
	if ar.ttl > 0 {
		t -= (1 - rs.Uniform()) * ar.ttl
	}
	pick := e.histories[r].at(t).Pick(rs.Uniform())
	if pick == answer.None {
		return -1, false
	}
	dc = int32(pick)
	return dc, slices.Contains(ar.home, dc)
}
