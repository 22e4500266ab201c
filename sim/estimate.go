package sim

import (
	"math"
	"slices"
	"unsafe"

	"github.com/geofence/geofence/sim/internal/calendar"
	"github.com/geofence/geofence/sim/latency"
)

// Cost is what running a model is expected to take, from the model alone:
// how much work and memory, before any of it is spent. Figures are
// expectations (or, where the model leaves them open, upper estimates),
// meant to be within a factor of two of a real run.
type Cost struct {
	Replications, Workers int

	// Per replication:
	Joins      float64 // joins arriving over the horizon, warm-up included
	Candidates float64 // thinning candidates drawn for them (rejected ones are work too)
	Events     float64 // events processed
	// BucketEntries are the entries of the per-bucket tallies (one per
	// time bucket of each population, datacenter plane and cause) that
	// are cleared for the replication and read when it is summarised:
	// work that a quiet system of many buckets does however few its
	// events.
	BucketEntries float64
	PeakCalls     float64 // calls in progress at the busiest hour
	// Rejoins are the most calls an outage drops whose clients join
	// again, all set up at once: their walks and events.
	Rejoins float64
	Causes  int // causes of violations to allow for: four per forbidden datacenter a route names
	// Bytes of memory:
	ModelBytes       float64 // the compiled model, shared by every worker
	EngineBytes      float64 // one worker running one replication, its tallies included
	ReplicationBytes float64 // one finished replication's tallies
}

// Work is the events and thinning candidates of every replication, and
// their bucket entries, BucketEntriesPerEvent of them counting as one
// event.
func (c Cost) Work() float64 {
	return float64(c.Replications) * (c.Events + c.Candidates + c.BucketEntries/BucketEntriesPerEvent)
}

// BucketEntriesPerEvent is how many bucket entries cost what one event
// does: an entry is cleared and read, a few machine words; an event is
// drawn, queued, routed and tallied. The figure errs towards counting
// buckets dear.
const BucketEntriesPerEvent = 16

// Bytes is the memory the simulation itself takes: the model and one
// engine per worker, each with the tallies of the replication it runs.
// What is kept of finished replications is the caller's to add.
func (c Cost) Bytes() float64 {
	return c.ModelBytes + float64(min(c.Workers, c.Replications))*c.EngineBytes
}

// estimateBins bounds the rate evaluations EstimateCost makes (four per
// hour-long segment and population); beyond it the horizon is costed at
// each population's highest rate throughout, an upper estimate.
const estimateBins = 1 << 22

// walkAllowance is how long EstimateCost expects a join to take to be set
// up, at most: a few round trips, or a connect timeout at a down site.
const walkAllowance = 5.0

// CostFormula is how EstimateCost estimates, for geofence help cost.
const CostFormula = `With λ_p(t) population p's join rate, h_p its mean holding time, H the
horizon, B the number of time buckets, P populations and D datacenters:

    Joins      = Σ_p ∫₀^H λ_p(t) dt               (sampled 4 times an hour)
    Candidates = Σ_p Σ_hours λ*_p(hour)·3600s     (λ* the thinning bound; = Joins where λ is flat)
    Events     = Joins · (2 + 1 for server-held keys + the dial-in share)
                 (arrival, departure, one attempt event per further plane;
                 refusals under congestion add more, up to about 1.5× at
                 the built-in's peak)
                 + H / interval for each balance route with outlier detection
                 (its sweeps, at most)
    BucketEntries = B·(P + 3·D + causes)          (the per-bucket tallies' entries, cleared
                                                  and read again every replication)
    PeakCalls  = min(max_hour Σ_p λ_p·h_p, Σ_dc highest media capacity)
                                                  (Erlang's offered load a = λ·h)
    EngineBytes      = PeakCalls·CallBytes (bytes per call in progress)
                     + 1024·(24 + 16·CallBytes) + 2·512·12  (the rings: fine buckets
                       with room for 16 events, and two levels of coarser ones)
                     + 1.5 MiB (the block of chunks being filled, when calls
                       outlast the fine ring)
                     + peak λ·5s·size(walk) + ReplicationBytes
                     + Rejoins·(size(walk) + 3·CallBytes)  (an outage's rejoins,
                       set up at once: walks, their events, the list of drops)
    Rejoins          = max over outages of Σ_p λ_p(t)·h_p·P(rejoin), over the
                       populations whose first media primary goes down at t
    ReplicationBytes = P·(B·48 + D·32 + 3700·8) + D·3·(B·8 + 120)
                     + causes·(B·8 + 88), causes = 4 per (population, plane, forbidden datacenter it can reach)
    ModelBytes       = P·3·D + regions·D·8 + P·H/3600·8 (time-zone populations)

and the run as a whole does Work() = replications·(Events + Candidates +
BucketEntries/16) — 16 bucket entries counted as one event — and holds
Bytes() = ModelBytes + min(workers, replications)·EngineBytes.
`

// EstimateCost estimates the cost of running replications of m on workers
// goroutines (0: GOMAXPROCS is not known here, so one is assumed), by
// CostFormula.
func EstimateCost(m *Model, replications, workers int) Cost {
	c := &m.compiled
	cost := Cost{Replications: replications, Workers: max(workers, 1)}
	nseg := c.segments
	exact := float64(nseg)*float64(len(c.pops)) <= estimateBins

	var load []float64 // Erlangs offered, by hour
	if exact {
		load = make([]float64, nseg)
	}
	var peakRate, events float64
	for i := range c.pops {
		p := &c.pops[i]
		var joins, candidates float64
		if !exact {
			top := p.maxRate(m.Horizon)
			joins, candidates = top*m.Horizon, top*m.Horizon
			peakRate += top
			cost.PeakCalls += top * p.holdMean
		} else {
			var top float64
			for k := range nseg {
				start, end := float64(k)*segment, min(float64(k+1)*segment, m.Horizon)
				var sum float64
				for q := range 4 {
					sum += p.rate(start + (float64(q)+0.5)*(end-start)/4)
				}
				rate := sum / 4
				joins += rate * (end - start)
				load[k] += rate * p.holdMean
				top = max(top, rate)
				if p.flat {
					candidates += rate * (end - start)
				} else {
					candidates += p.bound(k) * (end - start)
				}
			}
			peakRate += top
		}
		cost.Joins += joins
		cost.Candidates += candidates
		events += p.eventsPerJoin() * joins
	}
	for i := range c.balancers { // outlier sweeps, at most one an interval while hosts are out
		if b := &c.balancers[i]; b.outlier && b.threshold > 0 {
			events += m.Horizon / b.interval
		}
	}
	cost.Events = events
	for _, a := range load {
		cost.PeakCalls = max(cost.PeakCalls, a)
	}
	if capacity := mediaCapacity(m); capacity < cost.PeakCalls {
		cost.PeakCalls = capacity
	}

	buckets := float64(m.NumBuckets)
	pops, dcs := float64(len(c.pops)), float64(c.numDCs)
	cost.Causes = 4 * reachableForbidden(m)
	cost.BucketEntries = buckets * (pops + float64(NumPlanes)*dcs + float64(cost.Causes))
	cost.ReplicationBytes = pops*(buckets*float64(unsafe.Sizeof(BucketTally{}))+dcs*32+latency.Bins*8) +
		dcs*float64(NumPlanes)*(buckets*8+float64(unsafe.Sizeof(PlaneTally{}))) +
		float64(cost.Causes)*(buckets*8+float64(unsafe.Sizeof(Cause{})))
	cost.EngineBytes = cost.PeakCalls*float64(CallBytes) +
		calendar.FineBuckets*(24+calendar.BucketRoom*float64(CallBytes)) + 2*calendar.LevelBuckets*float64(calendar.ChunkListBytes) +
		peakRate*walkAllowance*float64(unsafe.Sizeof(walk{})) + cost.ReplicationBytes
	cost.Rejoins = outageRejoins(m)
	cost.EngineBytes += cost.Rejoins * float64(unsafe.Sizeof(walk{})+3*uintptr(CallBytes))
	if hold := longestHold(m); hold > calendar.FineBuckets*bucketWidth(m) {
		// Departures beyond the fine ring fill chunks, a block at a time.
		cost.EngineBytes += float64(calendar.BlockBytes)
	}
	cost.ModelBytes = float64(len(c.forbidden)) + float64(len(c.rtt))*8
	for i := range c.pops {
		cost.ModelBytes += float64(len(c.pops[i].offsets)) * 8
	}
	return cost
}

// outageRejoins estimates the most rejoins an outage of m sets up at once:
// the calls the datacenter going down carries — the load (Erlang's λ·h at
// the time) of the populations whose media route names it, at most its
// highest media capacity — times their chance of rejoining.
func outageRejoins(m *Model) float64 {
	c := &m.compiled
	var most float64
	for i := range c.changes {
		ch := &c.changes[i]
		if !ch.setState || ch.up {
			continue
		}
		var calls, rejoining float64
		for k := range c.pops {
			p := &c.pops[k]
			if r := &p.route.planes[Media]; slices.Contains(r.primaries, ch.dc) || slices.Contains(r.whitelist, ch.dc) {
				load := p.rate(ch.t) * p.holdMean
				calls += load
				rejoining += load * p.rejoinP
			}
		}
		if capacity := highestMediaCapacity(m, ch.dc); capacity < calls {
			rejoining *= capacity / calls
		}
		most = max(most, rejoining)
	}
	return most
}

// longestHold is the longest mean holding time of m's populations.
func longestHold(m *Model) float64 {
	var hold float64
	for i := range m.compiled.pops {
		hold = max(hold, m.compiled.pops[i].holdMean)
	}
	return hold
}

// mediaCapacity is the most media slots there can be at once, counting
// each datacenter at its highest capacity in the timeline; +Inf when one
// is unlimited.
func mediaCapacity(m *Model) float64 {
	var sum float64
	for dc := range m.compiled.numDCs {
		sum += highestMediaCapacity(m, int32(dc))
	}
	return sum
}

// highestMediaCapacity is datacenter dc's highest media capacity in the
// timeline; +Inf when unlimited.
func highestMediaCapacity(m *Model, dc int32) float64 {
	c := &m.compiled
	most := c.capacity[int(dc)*int(NumPlanes)+int(Media)]
	for _, ch := range c.changes {
		if ch.dc == dc && ch.setCap[Media] {
			most = max(most, ch.cap[Media])
		}
	}
	if most == noCapacity {
		return math.Inf(1)
	}
	return float64(most)
}

// reachableForbidden counts the (population, plane, datacenter) triples
// where a population's route names a datacenter its fence forbids for the
// plane: the places causes of violations can be.
func reachableForbidden(m *Model) int {
	c := &m.compiled
	n := 0
	for pi := range c.pops {
		for p := range NumPlanes {
			r := &c.pops[pi].route.planes[p]
			var balanced []int32
			if r.enabled && r.balancer > 0 {
				balanced = c.balancers[r.balancer-1].dcs
			}
			for _, list := range [][]int32{r.primaries, r.whitelist, balanced} {
				for _, dc := range list {
					if c.forbidden[(pi*int(NumPlanes)+int(p))*c.numDCs+int(dc)] {
						n++
					}
				}
			}
		}
	}
	return n
}
