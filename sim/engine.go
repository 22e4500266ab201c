package sim

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"

	"github.com/geofence/geofence/scenarios/answer"
	"github.com/geofence/geofence/sim/internal/calendar"
	"github.com/geofence/geofence/sim/internal/portable"
	"github.com/geofence/geofence/sim/internal/random"
	"github.com/geofence/geofence/sim/latency"
)

// errTooBig ends a replication that outgrows the event encoding: more than
// 2^26 joins being set up at once, or more than 2^36 events.
var errTooBig = errors.New("sim: replication too large: over 67 million joins being set up at once or 68 billion events; shorten the horizon or scale the rates down")

// The stages of a plane walk.
const (
	walkPrimaries uint8 = iota
	walkSecondaries
	walkAnswered // a failover or dns route answered: try that datacenter
)

// walk is a join being set up: everything about it that matters only
// until every plane it needs has admitted it or it is blocked. Few joins
// are being set up at any moment, so walks live in a small pool that stays
// in cache; a set-up join is only its departure event, which carries its
// holdings.
type walk struct {
	held     [NumPlanes]int32 // datacenter whose slot it holds so far, by plane; -1 for none
	lost     uint8            // bit p: held[p]'s datacenter went down since, cutting the slot
	arrival  float64
	hold     float64
	pop      int32
	plane    Plane // the plane being walked
	stage    uint8
	idx      int16 // position in primaries or picks
	attempt  int32 // attempts made at the current datacenter
	tries    int32 // retries made after backoff
	npicks   int8
	dialIn   bool
	measured bool  // arrived in the measured window
	home     bool  // the answered datacenter is where the route answers when all is healthy
	pending  int32 // on a balance plane: 1 + the host whose failed attempt is yet to be counted, 0 for none
	// unanswered: the plane's failover or dns route gave no answer, so
	// the join is blocked for that reason.
	unanswered bool
	rejoin     bool // the client of a call an outage dropped, joining again

	secondary [NumPlanes]bool
	full      [NumPlanes]uint64 // primaries found full, by position
	down      [NumPlanes]uint64 // primaries found down, by position
	picks     [maxPicks]int32
}

// unheld is the holdings of a join that holds nothing.
var unheld = [NumPlanes]int32{-1, -1, -1}

// A departure event carries the datacenters its join holds, one field of
// heldBits bits per plane: the datacenter's index + 1, or 0 for none.
// Whether a datacenter has gone down since the join was set up, cutting
// its calls, is told by the departure's sequence number (see site.cut).
const (
	heldBits       = 21
	maxDatacenters = 1<<heldBits - 2
)

// packHeld is the departure payload of walk j's holdings, leaving out the
// slots already lost to an outage during set-up.
func packHeld(j *walk) uint64 {
	var held uint64
	for p := range NumPlanes {
		if dc := j.held[p]; dc >= 0 && j.lost&(1<<p) == 0 {
			held |= uint64(dc+1) << (heldBits * uint(p))
		}
	}
	return held
}

// heldAt is the datacenter a departure payload holds on plane p, or -1.
func heldAt(held uint64, p Plane) int32 {
	return int32(held>>(heldBits*uint(p))&(1<<heldBits-1)) - 1
}

// slot is one datacenter plane's live state.
//
// Its busy area is not integrated at every change of occupancy: each
// change adds its own share, ±(edge − t) for a change at t, to the
// integral over the clock's current span, which busy holds as if nothing
// changed again before the span's edge (see engine.advanceWindow). Its other
// time-weighted figures change only when it turns full or no longer full,
// or with the timeline; last is when that state began.
type slot struct {
	occ    int64
	cap    int64
	busy   area    // ∫ occupancy dt over the current span of the clock, to its edge
	closed area    // ∫ occupancy dt over the spans of the window closed so far
	last   float64 // when the state of fullness, capacity and being up last changed
}

// area is a sum kept as hi + lo, two floats whose sum is the value (a
// double-double), so that a busy area made of many shares of both signs,
// and of a size far above their sum, rounds no more than the integral
// of occupancy over each span did: TestOccupancyAccumulatesAsIntegrated
// holds it to 1e-12 of that, or of a bucket's width for an area far
// smaller than one, the size of its shares.
type area struct{ hi, lo float64 }

// add adds x + xErr, a rounded term and its rounding error.
func (a *area) add(x, xErr float64) {
	s, err := twoSum(a.hi, x)
	a.hi, a.lo = s, a.lo+err+xErr
}

// addTimes adds n·(x + xErr), the product's rounding error found by a
// fused multiply-add.
func (a *area) addTimes(n int64, x, xErr float64) {
	f := float64(n)
	p := f * x
	a.add(p, math.FMA(f, x, -p)+f*xErr)
}

func (a area) value() float64 { return a.hi + a.lo }

// twoSum returns a + b rounded, and the rounding error: a + b = s + err
// exactly (Knuth's TwoSum, for any a and b).
func twoSum(a, b float64) (s, err float64) {
	s = a + b
	bb := s - a
	return s, (a - (s - bb)) + (b - bb)
}

// site is one datacenter's live state.
type site struct {
	up bool
	// cut is the queue's sequence number when it last went down: the
	// departures scheduled until then, numbered up to it, lost their
	// slots then.
	cut   uint64
	slots [NumPlanes]slot
}

// causeKey identifies a Cause.
type causeKey struct {
	pop, dc    int32
	plane, via Plane
	secondary  bool
	full, down uint64
}

// segmentBound is the thinning bound λ* of segment k, and its squeeze
// λ_* (see population.floor).
type segmentBound struct {
	k            int
	bound, floor float64
}

// workCheck is how many events or thinning candidates pass between looks
// at the context: a few milliseconds' work.
const workCheck = 1 << 16

// engine runs one replication. It is a plain state machine: step takes the
// next event and applies it; nothing in it reads a clock or does I/O.
type engine struct {
	m   *Model
	c   *compiled
	q   calendar.Queue
	now float64

	walks     []walk
	freeWalks []int32

	sites     []site
	balancers []balancerState // per compiled balancer: its hosts' outlier detection and the priority load
	arrivals  []random.Stream // per population: arrival times, holding times, dial-in
	routing   []random.Stream // per population: secondary picks
	rejoins   []random.Stream // per population: whether and when a dropped call's client joins again, and dials in
	drops     []drop          // the calls an outage is dropping
	scratch   []int32

	inSetup int // joins arrived but neither set up nor blocked
	causes  map[causeKey]int

	// The health checks and the answers of failover and dns routes
	// (answers.go).
	checks    []answer.Check
	overrides []int8 // per datacenter: what its checks observe, or checkObserved
	histories []history
	dirty     []bool
	statuses  []answer.Status

	// bounds caches, per population, the thinning bound of the segment
	// its arrivals are being drawn in.
	bounds []segmentBound

	// The clock of the measured window cuts time into spans at the
	// warm-up, the ends of the time buckets and the horizon: bucket is
	// the time bucket being measured (-1 before the window), edge the
	// end of the current span (the warm-up before the window, the
	// bucket's end in it, the horizon after it), and turn the time of
	// the next cut: edge, or +Inf once the window has closed.
	bucket     int
	edge, turn float64
	// rest + restErr is edge − now exactly: the share of the current
	// span that a change of occupancy now adds to a slot's busy area.
	rest, restErr float64

	// work counts events and rejected thinning candidates: every
	// workCheck of them, ctx is looked at. err is why the run stopped
	// early.
	ctx  context.Context
	work uint64
	err  error

	out Replication
}

func newEngine(ctx context.Context, m *Model, seed uint64, rep int) *engine {
	e := &engine{}
	e.reset(ctx, m, seed, rep)
	return e
}

// reset readies e for replication rep of m, keeping the memory an earlier
// replication grew (the queue's chunks, walks, fine buckets), so that a
// worker running replication after replication allocates only their
// tallies. Nothing of the earlier replication's state survives.
func (e *engine) reset(ctx context.Context, m *Model, seed uint64, rep int) {
	c := &m.compiled
	e.q.Reset(bucketWidth(m))
	if e.causes == nil {
		e.causes = map[causeKey]int{}
	}
	clear(e.causes)
	*e = engine{
		m:         m,
		c:         c,
		ctx:       ctx,
		q:         e.q,
		walks:     e.walks[:0],
		freeWalks: e.freeWalks[:0],
		scratch:   e.scratch[:0],
		causes:    e.causes,
		checks:    e.checks,
		overrides: e.overrides,
		histories: e.histories,
		dirty:     e.dirty,
		statuses:  e.statuses,
		bounds:    resize(e.bounds, len(c.pops)),
		sites:     resize(e.sites, c.numDCs),
		balancers: resize(e.balancers, len(c.balancers)),
		arrivals:  resize(e.arrivals, len(c.pops)),
		routing:   resize(e.routing, len(c.pops)),
		rejoins:   resize(e.rejoins, len(c.pops)),
		drops:     e.drops[:0],
		bucket:    -1,
		edge:      m.Warmup,
		turn:      m.Warmup,
		out: Replication{
			Index:       rep,
			Window:      m.Horizon - m.Warmup,
			Populations: make([]PopulationTally, len(c.pops)),
			Datacenters: make([]DatacenterTally, c.numDCs),
		},
	}
	for i := range e.sites {
		s := &e.sites[i]
		*s = site{up: true}
		for p := range s.slots {
			s.slots[p].cap = c.capacity[i*int(NumPlanes)+p]
			e.out.Datacenters[i].Planes[p].BucketBusy = make([]float64, m.NumBuckets)
		}
	}
	for i := range c.pops {
		p := &c.pops[i]
		e.bounds[i].k = -1
		e.arrivals[i] = random.New(seed, rep, p.key, 1)
		e.routing[i] = random.New(seed, rep, p.key, 2)
		e.rejoins[i] = random.New(seed, rep, p.key, 3)
		t := &e.out.Populations[i]
		t.Latency.Counts = make([]int64, latency.Bins)
		t.Landed = make([][NumPlanes]int64, c.numDCs)
		t.KeyCopies = make([]int64, c.numDCs)
		t.Buckets = make([]BucketTally, m.NumBuckets)
		if first := e.nextArrival(int32(i), 0); first < m.Horizon {
			e.q.Push(first, arrival, int32(i), 0)
		}
	}
	for i, ch := range c.changes {
		e.q.Push(ch.t, change, int32(i), 0)
	}
	e.resetAnswers()
	for i := range e.balancers {
		resetBalancer(&e.balancers[i], &c.balancers[i])
	}
}

// resize returns s with n elements, reusing its array when it is large
// enough; the caller sets every element.
func resize[T any](s []T, n int) []T {
	if cap(s) < n {
		return make([]T, n)
	}
	return s[:n]
}

// run processes events until the horizon has passed and every join that
// arrived before it has been set up or blocked, or until the engine's
// context is done.
func (e *engine) run() error {
	for e.q.Len() > 0 {
		if e.q.Peek().T >= e.m.Horizon && e.inSetup == 0 {
			break
		}
		e.step()
		e.work++
		if e.work%workCheck == 0 && e.interrupted() {
			return e.err
		}
	}
	if e.err != nil {
		// Thinning saw the context done and stopped drawing arrivals.
		return e.err
	}
	e.finish()
	return nil
}

// interrupted reports whether the run must stop, and remembers why.
func (e *engine) interrupted() bool {
	if e.err == nil {
		e.err = e.ctx.Err()
	}
	return e.err != nil
}

// step applies the earliest event.
func (e *engine) step() {
	ev := e.q.Pop()
	e.at(ev.T)
	e.out.Events++
	switch ref := ev.Ref(); ev.Kind() {
	case arrival:
		if ref&rejoinRef != 0 {
			e.rejoin(ref&^rejoinRef, math.Float64frombits(ev.Payload))
		} else {
			e.arrive(ref)
		}
	case attempt:
		e.walk(ref)
	case departure:
		e.depart(&ev)
	case change: // a timeline change; past them a check group's observation, then a balance route's outlier sweep
		switch n := int32(len(e.c.changes)); {
		case ref < n:
			e.apply(&e.c.changes[ref])
		case ref < n+int32(len(e.c.checkGroups)):
			e.tick(ref - n)
		default:
			e.sweep(ref - n - int32(len(e.c.checkGroups)))
		}
	}
}

// finish closes the measured window: every time bucket's busy area and
// the window's, and every slot's other time-weighted figures up to the
// horizon.
func (e *engine) finish() {
	e.advanceWindow(e.m.Horizon)
	for d := range e.sites {
		for p := range NumPlanes {
			e.integrate(int32(d), p, e.m.Horizon)
			e.out.Datacenters[d].Planes[p].BusyArea = max(e.sites[d].slots[p].closed.value(), 0)
		}
	}
}

// at sets the time to t, and moves the clock of the measured window with
// it.
func (e *engine) at(t float64) {
	e.now = t
	if t >= e.turn {
		e.advanceWindow(t)
	}
	e.rest, e.restErr = twoSum(e.edge, -t)
}

// advanceWindow moves the clock of the measured window past every cut up to t: at
// each, it closes the current span (a time bucket's measured part keeps its
// slots' busy areas) and opens the next at every slot with
//
//	busy = occupancy × (edge − start)
//
// so that a change of occupancy at t in the span adds ±(edge − t): the
// busy area is linear in the changes. A span a bucket boundary rounds to
// nothing stays empty, as Model.spread steps over it. Rounding can leave
// the sum of changes a few ulps below zero where occupancy was zero
// throughout; an area is not negative.
func (e *engine) advanceWindow(t float64) {
	for e.turn <= t {
		if e.bucket >= 0 {
			for d := range e.sites {
				for p := range NumPlanes {
					sl := &e.sites[d].slots[p]
					sl.closed.add(sl.busy.hi, sl.busy.lo)
					e.out.Datacenters[d].Planes[p].BucketBusy[e.bucket] = max(sl.busy.value(), 0)
				}
			}
		}
		e.bucket++
		start := e.edge
		if e.bucket == e.m.NumBuckets {
			e.edge, e.turn = e.m.Horizon, math.Inf(1)
			return
		}
		end := e.m.Horizon
		if e.bucket < e.m.NumBuckets-1 {
			end = min(end, float64(e.bucket+1)*e.m.Bucket)
		}
		e.edge = max(end, start)
		e.turn = e.edge
		span, spanErr := twoSum(e.edge, -start)
		for d := range e.sites {
			for p := range NumPlanes {
				sl := &e.sites[d].slots[p]
				sl.busy = area{}
				sl.busy.addTimes(sl.occ, span, spanErr)
			}
		}
	}
}

// nextArrival returns the first arrival of population p after t, by
// thinning against the per-segment bound, or +Inf past the horizon (or
// once the context is done). Rejected candidates and skipped segments
// count as work, so that a bound far above the rate cannot keep the run
// from seeing its context.
func (e *engine) nextArrival(p int32, t float64) float64 {
	pop := &e.c.pops[p]
	s := &e.arrivals[p]
	if pop.flat {
		return t + s.Exp()/pop.base
	}
	sb := &e.bounds[p]
	for {
		k := int(t / segment)
		if k >= e.c.segments {
			return math.Inf(1)
		}
		if k != sb.k {
			sb.k, sb.bound, sb.floor = k, pop.bound(k), pop.floor(k)
		}
		end := float64(k+1) * segment
		bound := sb.bound
		e.work++
		if e.work%workCheck == 0 && e.interrupted() {
			return math.Inf(1)
		}
		if bound == 0 {
			t = end
			continue
		}
		t += s.Exp() / bound
		if t >= end {
			// Memoryless: start afresh at the segment boundary.
			t = end
			continue
		}
		if u := s.Uniform() * bound; u <= sb.floor || u <= pop.rate(t) {
			return t
		}
	}
}

func (e *engine) holdingTime(p int32) float64 {
	pop := &e.c.pops[p]
	s := &e.arrivals[p]
	switch pop.holdKind {
	case holdExponential:
		return pop.holdMean * s.Exp()
	case holdLognormal:
		return portable.Exp(pop.holdMu + pop.holdSigma*s.Normal())
	}
	return pop.holdMean
}

// allocWalk returns the index of an unused walk, reusing freed ones.
func (e *engine) allocWalk() int32 {
	if n := len(e.freeWalks); n > 0 {
		id := e.freeWalks[n-1]
		e.freeWalks = e.freeWalks[:n-1]
		return id
	}
	if len(e.walks) > calendar.MaxRef {
		panic(errTooBig)
	}
	e.walks = append(e.walks, walk{})
	return int32(len(e.walks) - 1)
}

// arrive is a fresh join of population p: it draws its holding time, and
// schedules the population's next arrival.
func (e *engine) arrive(p int32) {
	id := e.join(p, e.holdingTime(p), &e.arrivals[p])
	if next := e.nextArrival(p, e.now); next < e.m.Horizon {
		e.q.Push(next, arrival, p, 0)
	}
	e.walk(id)
}

// rejoin is the new join of a client of population p whose call an outage
// dropped, for the hold seconds left of that call.
func (e *engine) rejoin(p int32, hold float64) {
	id := e.join(p, hold, &e.rejoins[p])
	j := &e.walks[id]
	j.rejoin = true
	if j.measured {
		e.out.Populations[p].Rejoins++
	}
	e.walk(id)
}

// join starts the set-up of a join of population p that will hold its
// slots for hold seconds, drawing whether it dials in from s.
func (e *engine) join(p int32, hold float64, s *random.Stream) int32 {
	id := e.allocWalk()
	j := &e.walks[id]
	*j = walk{held: unheld, arrival: e.now, pop: p, measured: e.now >= e.m.Warmup}
	j.hold = hold
	if dial := e.c.pops[p].dialIn; dial > 0 {
		j.dialIn = s.Uniform() <= dial
	}
	if j.measured {
		e.out.Populations[p].Offered++
		e.out.Populations[p].Buckets[e.m.bucket(e.now)].Offered++
	}
	e.inSetup++
	return id
}

// walk continues walk id at the current time. Each attempt either
// admits it, or costs time (one RTT at a full datacenter, the connect
// timeout at a down one); when time must pass the walk is rescheduled.
func (e *engine) walk(id int32) {
	j := &e.walks[id]
	pop := &e.c.pops[j.pop]
	rtt := e.c.rtt[int(pop.region)*e.c.numDCs:]
	if r := &pop.route.planes[j.plane]; r.balancer > 0 {
		e.balanceWalk(id, j, pop, r, rtt)
		return
	}
	for {
		r := &pop.route.planes[j.plane]
		var dc int32
		if r.answer > 0 && j.stage == walkPrimaries {
			dc, j.home = e.resolve(j, r.answer-1)
			if dc < 0 {
				j.unanswered = true
				e.fail(id)
				return
			}
			j.stage, j.idx, j.attempt, j.npicks, j.picks[0] = walkAnswered, 0, 0, 1, dc
		}
		if j.stage == walkPrimaries {
			if int(j.idx) >= len(r.primaries) {
				if len(r.whitelist) == 0 {
					e.fail(id)
					return
				}
				j.stage, j.idx, j.attempt = walkSecondaries, 0, 0
				e.pick(j, r)
				continue
			}
			dc = r.primaries[j.idx]
		} else {
			if j.idx >= int16(j.npicks) {
				e.fail(id)
				return
			}
			dc = j.picks[j.idx]
		}

		s := &e.sites[dc]
		sl := &s.slots[j.plane]
		dt := &e.out.Datacenters[dc].Planes[j.plane]
		if s.up && sl.occ < sl.cap {
			e.admit(id, j, pop, dc, j.stage == walkSecondaries || j.stage == walkAnswered && !j.home, rtt)
			return
		}

		var delay float64
		if s.up {
			delay = rtt[dc]
			if j.measured {
				dt.Refused++
			}
			if j.stage == walkPrimaries {
				j.full[j.plane] |= 1 << uint(j.idx)
			}
		} else {
			delay = r.timeout
			if j.measured {
				dt.Failed++
			}
			if j.stage == walkPrimaries {
				j.down[j.plane] |= 1 << uint(j.idx)
			}
		}
		j.attempt++
		if j.attempt >= r.attempts {
			j.idx++
			j.attempt = 0
		}
		if delay > 0 {
			e.q.Push(e.now+delay, attempt, id, 0)
			return
		}
	}
}

// admit takes a slot of datacenter dc's plane for walk id, as a secondary
// or not, and sends the join on to its next plane one round trip later,
// or sets it up.
func (e *engine) admit(id int32, j *walk, pop *population, dc int32, secondary bool, rtt []float64) {
	e.occupy(&e.sites[dc].slots[j.plane], dc, j.plane)
	j.held[j.plane] = dc
	j.secondary[j.plane] = secondary
	if j.measured {
		dt := &e.out.Datacenters[dc].Planes[j.plane]
		if secondary {
			dt.AdmittedSecondary++
		} else {
			dt.AdmittedPrimary++
		}
	}
	next := e.nextPlane(j, pop)
	if next == NumPlanes {
		e.setUp(id, e.now+rtt[dc])
		return
	}
	j.plane, j.stage, j.idx, j.attempt, j.npicks = next, walkPrimaries, 0, 0, 0
	e.q.Push(e.now+rtt[dc], attempt, id, 0)
}

// nextPlane is the plane a join walks after j.plane, or NumPlanes when it
// is set up: keys unless custody is the client's, then a connector if it
// dials in.
func (e *engine) nextPlane(j *walk, pop *population) Plane {
	for p := j.plane + 1; p < NumPlanes; p++ {
		if p == Connector && !j.dialIn {
			continue
		}
		if pop.route.planes[p].enabled {
			return p
		}
	}
	return NumPlanes
}

// pick chooses the secondaries of the plane route r for join j.
func (e *engine) pick(j *walk, r *planeRoute) {
	n := min(int(r.picks), len(r.whitelist))
	j.npicks = int8(n)
	switch r.order {
	case pickNearest:
		copy(j.picks[:n], r.nearest)
	case pickRandom:
		// A partial Fisher–Yates shuffle draws n distinct entries in a
		// uniformly random order.
		e.scratch = append(e.scratch[:0], r.whitelist...)
		rs := &e.routing[j.pop]
		for i := 0; i < n; i++ {
			k := i + rs.Intn(len(e.scratch)-i)
			e.scratch[i], e.scratch[k] = e.scratch[k], e.scratch[i]
			j.picks[i] = e.scratch[i]
		}
	case pickMostFree:
		// The n entries with most free capacity now, down ones last; ties
		// keep whitelist order.
		e.scratch = append(e.scratch[:0], r.whitelist...)
		for i := 0; i < n; i++ {
			best := i
			for k := i + 1; k < len(e.scratch); k++ {
				if e.freeSlots(e.scratch[k], j.plane) > e.freeSlots(e.scratch[best], j.plane) {
					best = k
				}
			}
			e.scratch[i], e.scratch[best] = e.scratch[best], e.scratch[i]
			j.picks[i] = e.scratch[i]
		}
	}
}

func (e *engine) freeSlots(dc int32, p Plane) int64 {
	s := &e.sites[dc]
	if !s.up {
		return -1
	}
	return s.slots[p].cap - s.slots[p].occ
}

// fail ends a plane walk that found no datacenter: the join gives back what
// it holds and either starts over after backoff or is blocked.
func (e *engine) fail(id int32) {
	j := &e.walks[id]
	pop := &e.c.pops[j.pop]
	plane := j.plane
	e.vacate(j)
	if j.tries < pop.route.retries {
		j.tries++
		if j.measured {
			e.out.Populations[j.pop].Retries++
		}
		j.plane, j.stage, j.idx, j.attempt, j.npicks = Media, walkPrimaries, 0, 0, 0
		j.full, j.down = [NumPlanes]uint64{}, [NumPlanes]uint64{}
		j.unanswered = false
		e.q.Push(e.now+pop.route.backoff, attempt, id, 0)
		return
	}
	if j.measured {
		t := &e.out.Populations[j.pop]
		t.Blocked++
		t.BlockedPlane[plane]++
		if j.unanswered {
			t.Unanswered++
		}
		if j.rejoin {
			t.RejoinsBlocked++
		}
		t.Buckets[e.m.bucket(j.arrival)].Blocked++
	}
	e.inSetup--
	e.freeWalks = append(e.freeWalks, id)
}

// vacate releases every slot walk j holds, unless its datacenter has gone
// down since (its calls were dropped then).
func (e *engine) vacate(j *walk) {
	for p := range NumPlanes {
		dc := j.held[p]
		if dc < 0 {
			continue
		}
		j.held[p] = -1
		if j.lost&(1<<p) != 0 {
			continue
		}
		e.release(&e.sites[dc].slots[p], dc, p)
	}
	j.lost = 0
}

// setUp completes walk id at time done: every plane its join needs has
// admitted it. The join now holds its slots for its holding time, and the
// walk is free again (j stays valid: nothing below allocates a walk).
func (e *engine) setUp(id int32, done float64) {
	j := &e.walks[id]
	e.inSetup--
	e.q.Push(done+j.hold, departure, j.pop, packHeld(j))
	e.freeWalks = append(e.freeWalks, id)
	if !j.measured {
		return
	}
	t := &e.out.Populations[j.pop]
	if j.secondary[Media] {
		t.AdmittedSecondary++
		t.Buckets[e.m.bucket(j.arrival)].Secondary++
	} else {
		t.AdmittedPrimary++
	}
	if j.dialIn {
		t.DialIns++
	}
	t.Latency.Add(done - j.arrival)

	h := &j.held
	for p := range NumPlanes {
		dc := h[p]
		if dc < 0 {
			continue
		}
		t.Landed[dc][p]++
		if e.forbidden(j.pop, p, dc) {
			e.violate(j, p, p, dc)
		}
	}
	// A dial-in join's key is copied to its connector; end-to-end keys are
	// not, and connectors cannot join end-to-end meetings. A key already
	// issued in a forbidden jurisdiction is one violation, not two.
	if dc, kms := h[Connector], h[Keys]; dc >= 0 && kms >= 0 {
		t.KeyCopies[dc]++
		e.out.Datacenters[dc].Planes[Connector].KeyCopies++
		if e.forbidden(j.pop, Keys, dc) && !e.forbidden(j.pop, Keys, kms) {
			e.violate(j, Keys, Connector, dc)
		}
	}
}

func (e *engine) forbidden(pop int32, p Plane, dc int32) bool {
	return e.c.forbidden[(int(pop)*int(NumPlanes)+int(p))*e.c.numDCs+int(dc)]
}

// violate records that j broke its fence for plane p at dc, reached through
// the route of plane via.
func (e *engine) violate(j *walk, p, via Plane, dc int32) {
	t := &e.out.Populations[j.pop]
	t.Violations[p]++
	t.ViolatingMinutes[p] += j.hold / 60
	b := e.m.bucket(j.arrival)
	t.Buckets[b].Violations[p]++
	if via == p {
		e.out.Datacenters[dc].Planes[p].Violations++
	} else {
		e.out.Datacenters[dc].Planes[via].KeyCopyViolations++
	}

	k := causeKey{pop: j.pop, dc: dc, plane: p, via: via, secondary: j.secondary[via], full: j.full[via], down: j.down[via]}
	i, ok := e.causes[k]
	if !ok {
		i = len(e.out.Causes)
		e.causes[k] = i
		e.out.Causes = append(e.out.Causes, Cause{
			Population: int(k.pop), Plane: p, Via: via, Datacenter: int(dc),
			Secondary: k.secondary, Full: k.full, Down: k.down,
			Buckets: make([]int64, e.m.NumBuckets),
		})
	}
	c := &e.out.Causes[i]
	c.Count++
	c.Minutes += j.hold / 60
	c.Buckets[b]++
}

// depart releases the slots a set-up join holds, unless their datacenter
// has gone down since it was set up.
func (e *engine) depart(ev *calendar.Event) {
	for p, held := Plane(0), ev.Payload; held != 0; p, held = p+1, held>>heldBits {
		dc := heldAt(held, 0) // plane p's field, shifted down
		if dc < 0 {
			continue
		}
		s := &e.sites[dc]
		if ev.Seq() <= s.cut {
			continue
		}
		e.release(&s.slots[p], dc, p)
	}
}

// apply carries out a timeline change.
func (e *engine) apply(ch *timelineChange) {
	s := &e.sites[ch.dc]
	for p := range NumPlanes {
		e.integrate(ch.dc, p, e.now)
	}
	if ch.setState && ch.up != s.up {
		s.up = ch.up
		if !ch.up {
			// Every call it carried is cut: the joins being set up
			// that hold a slot here lose it, and cut tells the
			// departures already scheduled that theirs are gone.
			for i := range e.walks {
				w := &e.walks[i] // free walks too: harmless
				for p := range NumPlanes {
					if w.held[p] == ch.dc {
						w.lost |= 1 << p
					}
				}
			}
			e.dropCalls(ch.dc)
			s.cut = e.q.Seq()
			for p := range NumPlanes {
				sl := &s.slots[p]
				if e.now >= e.m.Warmup && e.now < e.m.Horizon {
					e.out.Datacenters[ch.dc].Planes[p].Dropped += sl.occ
				}
				sl.busy.addTimes(-sl.occ, e.rest, e.restErr)
				sl.occ = 0
			}
		}
	}
	for p := range NumPlanes {
		if ch.setCap[p] {
			s.slots[p].cap = ch.cap[p]
		}
	}
	if ch.setCheck {
		e.overrides[ch.dc] = ch.check
	}
}

// drop is a call an outage dropped: the sequence number of its departure
// (the order calls were set up in), its population and the seconds it had
// left.
type drop struct {
	seq  uint64
	pop  int32
	rest float64
}

// dropCalls ends the calls whose media datacenter dc is going down now:
// each gives back its slots elsewhere at once (its slots at dc are cut
// with the rest), and its client joins again as its population's
// reconnection says. The calls are taken in the order they were set up,
// so that the draws do not depend on how the queue files them.
func (e *engine) dropCalls(dc int32) {
	cut := e.sites[dc].cut
	e.drops = e.drops[:0]
	e.q.Each(departure, func(ev *calendar.Event) {
		held := ev.Payload
		if heldAt(held, Media) != dc || ev.Seq() <= cut {
			return
		}
		ev.Payload = 0
		for p := Media + 1; p < NumPlanes; p++ {
			if other := heldAt(held, p); other >= 0 && other != dc && ev.Seq() > e.sites[other].cut {
				e.release(&e.sites[other].slots[p], other, p)
			}
		}
		e.drops = append(e.drops, drop{seq: ev.Seq(), pop: ev.Ref(), rest: ev.T - e.now})
	})
	slices.SortFunc(e.drops, func(a, b drop) int { return cmp.Compare(a.seq, b.seq) })
	for _, d := range e.drops {
		e.reconnect(d)
	}
}

// reconnect schedules the new join of dropped call d's client, if it
// joins again before its call would have ended and before the horizon.
func (e *engine) reconnect(d drop) {
	pop := &e.c.pops[d.pop]
	s := &e.rejoins[d.pop]
	if pop.rejoinP < 1 && !(s.Uniform() <= pop.rejoinP) {
		return
	}
	var delay float64
	switch pop.rejoinKind {
	case holdDeterministic:
		delay = pop.rejoinMean
	case holdExponential:
		delay = pop.rejoinMean * s.Exp()
	case delayUniform:
		delay = 2 * pop.rejoinMean * s.Uniform()
	}
	if at := e.now + delay; delay < d.rest && at < e.m.Horizon {
		e.q.Push(at, arrival, d.pop|rejoinRef, math.Float64bits(d.rest-delay))
	}
}

// occupy takes one place of slot sl, plane p of datacenter dc, now: its
// busy area gains the rest of the clock's span, and its other figures are
// brought up to now if it turns full.
func (e *engine) occupy(sl *slot, dc int32, p Plane) {
	if sl.occ == sl.cap-1 {
		e.integrate(dc, p, e.now)
	}
	sl.occ++
	sl.busy.add(e.rest, e.restErr)
}

// release gives back one place of slot sl, plane p of datacenter dc, now:
// its busy area loses the rest of the clock's span, and its other figures
// are brought up to now if it was full.
func (e *engine) release(sl *slot, dc int32, p Plane) {
	if sl.occ == sl.cap {
		e.integrate(dc, p, e.now)
	}
	sl.occ--
	sl.busy.add(-e.rest, -e.restErr)
}

// integrate accumulates the time-weighted figures of slot (dc, p) that
// follow its state — down time, time full, capacity area — from the
// moment that state began to t, clipped to the measured window. It is
// called whenever the state changes: when the slot turns full or no longer
// full, at a timeline change and at the horizon.
func (e *engine) integrate(dc int32, p Plane, t float64) {
	s := &e.sites[dc]
	sl := &s.slots[p]
	from := max(sl.last, e.m.Warmup)
	sl.last = t
	t = min(t, e.m.Horizon)
	if from >= t {
		return
	}
	pt := &e.out.Datacenters[dc].Planes[p]
	span := t - from
	switch {
	case !s.up:
		pt.DownTime += span
		pt.FullTime += span
	case sl.cap != noCapacity:
		pt.CapArea += float64(sl.cap) * span
		if sl.occ >= sl.cap {
			pt.FullTime += span
		}
	}
}
