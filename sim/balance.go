package sim

import (
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/balance"
	"github.com/geofence/geofence/sim/internal/random"
)

// A balance route is Envoy's load balancing as one Envoy sees it: one
// outlier detector per population and plane (the population's traffic
// goes through one Envoy, a gateway or proxy pool, whose cluster is the
// route). A join is one request, on one connection: each attempt picks a
// priority by the priority load, a locality of it, then a host of that
// locality, all from the population's routing stream (weighted random
// draws: Envoy's locality EDF and round robin have the same long-run
// shares). At a datacenter with a free slot the attempt is admitted and
// holds the slot; at a full one it is refused after one round trip (the
// connection is refused: Envoy's connect-failure), at a down one it fails
// after the route's connect timeout. Either is one consecutive error of
// the host when the failure is known, and the attempt is retried, picked
// afresh from the same loads and avoiding hosts already tried (Istio's
// default retry policy: previous_hosts, five re-picks), up to the route's
// retries; then the plane fails as a walk does. At the threshold of
// consecutive errors the host is ejected, if then at most
// max_ejection_percent of the route's hosts are; sweeps every interval
// return a host ejected for base_ejection_time × its backoff (capped at
// max(300s, base)), and count down the backoff of hosts not ejected.
// docs/DESIGN.md ("Envoy's split") says why.

// maxEjectionTime is Envoy's max_ejection_time when it is not set:
// 300 s, or base_ejection_time if that is longer.
const maxEjectionTime = 300.0

// hostSelectionRetries is how many times Envoy picks a host again when
// the one picked was tried before by the same request
// (host_selection_retry_max_attempts, 5 in Istio's default policy).
const hostSelectionRetries = 5

// balancer is a compiled balance route: its levels' localities, flat, and
// its hosts numbered from 0 locality by locality.
type balancer struct {
	route     *balance.Route
	levels    []span // localities of each level, in locs
	locs      []balanceLocality
	hosts     int32
	dcs       []int32 // the route's datacenters, each once: bit i of a cause's masks is dcs[i]
	retries   int32
	timeout   float64
	outlier   bool
	threshold int32 // consecutive errors that eject; 0: none
	interval  float64
	base      float64
	maxTime   float64
	maxEject  int // percent
}

type span struct{ first, n int32 }

type balanceLocality struct {
	dc        int32
	level     int32
	firstHost int32
	hosts     int32
	loc       balance.Locality
}

// balancerState is a balancer's live state in one replication.
type balancerState struct {
	hosts   []hostState
	healthy []int32 // per locality: hosts not ejected
	levels  []balance.Level
	load    balance.Load
	ejected int
	swept   bool // a sweep is scheduled
}

// hostState is one host's outlier detection.
type hostState struct {
	consecutive  int32
	backoff      int32
	ejected      bool
	lastEjection float64
}

// compileBalancer compiles b for the population whose datacenters index
// finds.
func compileBalancer(b *scenarios.Balance, dcIndex map[scenarios.ID]int32) balancer {
	r := balance.Compile(b, func(id scenarios.ID) int { return int(dcIndex[id]) })
	c := balancer{
		route:   r,
		retries: int32(b.EffectiveRetries()),
		timeout: b.EffectiveConnectTimeout().Seconds(),
	}
	for p, ls := range r.Priorities {
		c.levels = append(c.levels, span{int32(len(c.locs)), int32(len(ls))})
		for _, l := range ls {
			c.locs = append(c.locs, balanceLocality{dc: int32(l.Datacenter), level: int32(p), firstHost: c.hosts, hosts: int32(l.Hosts), loc: l})
			c.hosts += int32(l.Hosts)
		}
	}
	for _, id := range b.Datacenters() {
		c.dcs = append(c.dcs, dcIndex[id])
	}
	if od := b.OutlierDetection; od != nil {
		c.outlier = true
		c.threshold = int32(od.EffectiveConsecutiveErrors())
		c.interval = od.EffectiveInterval().Seconds()
		c.base = od.EffectiveBaseEjectionTime().Seconds()
		c.maxTime = max(maxEjectionTime, c.base)
		c.maxEject = od.EffectiveMaxEjectionPercent()
	}
	return c
}

// resetBalancer readies st for a replication of b: every host healthy.
func resetBalancer(st *balancerState, b *balancer) {
	st.hosts = resize(st.hosts, int(b.hosts))
	clear(st.hosts)
	st.healthy = resize(st.healthy, len(b.locs))
	for i, l := range b.locs {
		st.healthy[i] = l.hosts
	}
	st.levels = resize(st.levels, len(b.levels))
	for p, lv := range b.levels {
		st.levels[p] = balance.Level{}
		for _, l := range b.locs[lv.first : lv.first+lv.n] {
			st.levels[p].Hosts += int(l.hosts)
			st.levels[p].Healthy += int(l.hosts)
		}
	}
	if len(st.load.Healthy) != len(b.levels) {
		st.load = balance.NewLoad(len(b.levels))
	}
	st.ejected, st.swept = 0, false
	st.recompute(b)
}

// recompute updates the priority load after hosts were ejected or
// returned.
func (st *balancerState) recompute(b *balancer) {
	balance.Compute(&st.load, st.levels, b.route.Overprovisioning, b.route.PanicThreshold)
}

// pickHost picks the host an attempt of walk j goes to on balancer b: a
// priority by the load, a locality by its weight in that priority, a host
// among those the priority may use; the index of its locality and of the
// host, or -1 when the priority has no host to try ("no healthy
// upstream"). A retry picks again, up to hostSelectionRetries times, when
// the host was tried before.
func (e *engine) pickHost(j *walk, b *balancer, st *balancerState, rs *random.Stream) (loc, host int32) {
	for try := 0; ; try++ {
		loc, host = pickOnce(b, st, rs)
		if host < 0 || j.attempt == 0 || try >= hostSelectionRetries || !triedBefore(j, host) {
			return loc, host
		}
	}
}

// pickOnce is one pick of pickHost.
func pickOnce(b *balancer, st *balancerState, rs *random.Stream) (loc, host int32) {
	x := rs.Uniform() * 100
	level, sum := len(b.levels)-1, 0.0
	for p := range b.levels {
		sum += float64(st.load.Healthy[p] + st.load.Degraded[p])
		if x < sum {
			level = p
			break
		}
	}
	inPanic := st.load.Panic[level]
	lv := b.levels[level]
	total := 0.0
	for i := lv.first; i < lv.first+lv.n; i++ {
		total += b.route.LocalityWeight(b.locs[i].loc, int(st.healthy[i]), inPanic)
	}
	if total == 0 {
		return -1, -1
	}
	y := rs.Uniform() * total
	loc = lv.first + lv.n - 1
	for i := lv.first; i < lv.first+lv.n; i++ {
		if y -= b.route.LocalityWeight(b.locs[i].loc, int(st.healthy[i]), inPanic); y < 0 {
			loc = i
			break
		}
	}
	l := &b.locs[loc]
	eligible := st.healthy[loc]
	if inPanic {
		eligible = l.hosts
	}
	if eligible == 0 {
		return -1, -1
	}
	k := int32(rs.Intn(int(eligible)))
	for h := l.firstHost; h < l.firstHost+l.hosts; h++ {
		if inPanic || !st.hosts[h].ejected {
			if k == 0 {
				return loc, h
			}
			k--
		}
	}
	return -1, -1 // unreachable: eligible counts the hosts scanned
}

// triedBefore reports whether walk j's request tried host before; its
// hosts are kept in picks (a balance plane has no secondaries), the first
// maxPicks of them.
func triedBefore(j *walk, host int32) bool {
	for i := range j.npicks {
		if j.picks[i] == host {
			return true
		}
	}
	return false
}

// balanceWalk makes walk id's next attempt on the balance route of its
// plane: it records the failure of the previous attempt first, then picks
// a host and tries it.
func (e *engine) balanceWalk(id int32, j *walk, pop *population, r *planeRoute, rtt []float64) {
	bi := r.balancer - 1
	b := &e.c.balancers[bi]
	st := &e.balancers[bi]
	if j.pending > 0 {
		e.hostFailed(bi, j.pending-1)
		j.pending = 0
		if j.attempt > b.retries {
			e.fail(id)
			return
		}
	}
	for {
		loc, host := e.pickHost(j, b, st, &e.routing[j.pop])
		if host < 0 {
			e.fail(id) // Envoy answers 503 at once, with no upstream to blame or retry
			return
		}
		if j.npicks < maxPicks {
			j.picks[j.npicks] = host
			j.npicks++
		}
		l := &b.locs[loc]
		dc := l.dc
		s := &e.sites[dc]
		sl := &s.slots[j.plane]
		dt := &e.out.Datacenters[dc].Planes[j.plane]
		secondary := l.level > 0
		if s.up && sl.occ < sl.cap {
			st.hosts[host].consecutive = 0 // a success resets the count
			e.admit(id, j, pop, dc, secondary, rtt)
			return
		}
		var delay float64
		bit := uint64(0)
		if i := indexOf(b.dcs, dc); i < 64 {
			bit = 1 << uint(i)
		}
		if s.up {
			delay = rtt[dc]
			if j.measured {
				dt.Refused++
			}
			j.full[j.plane] |= bit
		} else {
			delay = b.timeout
			if j.measured {
				dt.Failed++
			}
			j.down[j.plane] |= bit
		}
		j.attempt++
		if delay > 0 {
			j.pending = host + 1
			e.q.Push(e.now+delay, attempt, id, 0)
			return
		}
		e.hostFailed(bi, host)
		if j.attempt > b.retries {
			e.fail(id)
			return
		}
	}
}

// indexOf is the index of dc in dcs, or len(dcs).
func indexOf(dcs []int32, dc int32) int {
	for i, d := range dcs {
		if d == dc {
			return i
		}
	}
	return len(dcs)
}

// hostFailed counts a failed attempt at host of balancer bi: at the
// threshold of consecutive errors it is ejected, if the budget allows.
func (e *engine) hostFailed(bi int32, host int32) {
	b := &e.c.balancers[bi]
	if !b.outlier || b.threshold == 0 {
		return
	}
	st := &e.balancers[bi]
	h := &st.hosts[host]
	h.consecutive++
	// Envoy ejects when the count reaches the threshold, and only if then
	// at most max_ejection_percent of the hosts are out (100·(n+1)/hosts
	// ≤ max).
	if h.consecutive != b.threshold || h.ejected || 100*(st.ejected+1) > b.maxEject*int(b.hosts) {
		return
	}
	h.ejected, h.lastEjection = true, e.now
	if b.base*float64(h.backoff) < b.maxTime+b.base {
		h.backoff++
	}
	st.ejected++
	loc := b.locOf(host)
	st.healthy[loc]--
	st.levels[b.locs[loc].level].Healthy--
	st.recompute(b)
	if !st.swept {
		st.swept = true
		next := (float64(int64(e.now/b.interval)) + 1) * b.interval
		e.q.Push(next, change, e.sweepRef(bi), 0)
	}
}

// sweepRef is the reference of balancer bi's sweep events: change
// events past the timeline's and the check groups' (see step).
func (e *engine) sweepRef(bi int32) int32 {
	return int32(len(e.c.changes)+len(e.c.checkGroups)) + bi
}

// locOf is the locality host belongs to.
func (b *balancer) locOf(host int32) int32 {
	lo, hi := int32(0), int32(len(b.locs)) // the last locality whose first host is at or before host
	for lo+1 < hi {
		mid := (lo + hi) / 2
		if b.locs[mid].firstHost <= host {
			lo = mid
		} else {
			hi = mid
		}
	}
	return lo
}

// sweep is balancer bi's outlier detection sweep, every interval while a
// host is ejected or has a backoff to count down: ejected hosts whose time
// is up return, with their counts reset; the others' backoff counts down.
func (e *engine) sweep(bi int32) {
	b := &e.c.balancers[bi]
	st := &e.balancers[bi]
	changed, busy := false, false
	for h := range st.hosts {
		hs := &st.hosts[h]
		switch {
		case !hs.ejected:
			if hs.backoff > 0 {
				hs.backoff--
			}
		case min(b.base*float64(hs.backoff), b.maxTime) <= e.now-hs.lastEjection:
			hs.ejected, hs.consecutive = false, 0
			st.ejected--
			loc := b.locOf(int32(h))
			st.healthy[loc]++
			st.levels[b.locs[loc].level].Healthy++
			changed = true
		}
		busy = busy || hs.ejected || hs.backoff > 0
	}
	if changed {
		st.recompute(b)
	}
	st.swept = busy
	if busy {
		e.q.Push(e.now+b.interval, change, e.sweepRef(bi), 0)
	}
}
