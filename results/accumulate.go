package results

import (
	"fmt"
	"math"
	"math/bits"
	"slices"

	"github.com/geofence/geofence/sim"
	"github.com/geofence/geofence/sim/latency"
)

// Accumulator gathers a run's replications as they finish, in whatever
// order, and keeps of each only what its figures need: the counts and
// integrals of each population, datacenter plane and cause (scalars), and
// the per-bucket tallies summed over replications. Its memory grows with
// the replications times the populations, datacenters and causes, never
// times the buckets, so 200 replications cost little more than 10.
//
// Every sum it keeps is exact — integers, and occupancy integrals as whole
// multiples of 2^-10 participant-seconds — so the report is the same bytes
// whatever order replications arrive in, and whatever shards they were
// run in (see Merge).
type Accumulator struct {
	model *sim.Model
	// jurisdictions are the datacenters' jurisdictions, sorted; landings
	// are tallied by them. dcJurisdiction maps a datacenter to its entry.
	jurisdictions  []string
	dcJurisdiction []int
	from           int       // the replication records[0] is for
	records        []*record // one per replication of [from, from+len), nil until added
	sums           bucketSums
	// perBucket is where Add counts a replication's violations per plane
	// and bucket, zero between calls.
	perBucket [sim.NumPlanes][]int64
}

// record is what one replication contributes besides its buckets.
type record struct {
	Index       int
	Window      float64
	Events      int64
	Populations []populationRecord
	Total       populationRecord // the populations added up, latency from their merged histograms
	Datacenters []sim.DatacenterTally
	Causes      []sim.Cause // sorted by key, without buckets
}

// populationRecord is a population's tally in one replication, with its
// latency quantiles read from the histogram, and landings by jurisdiction.
type populationRecord struct {
	sim.Counts
	Latency quantiles
	Landed  [][numLandingKinds]int64 // by jurisdiction
}

// latencyQuantiles are the setup-latency quantiles a report gives.
var latencyQuantiles = [...]float64{0.50, 0.95, 0.99}

// quantiles are one replication's latency quantiles, NaN where it set up
// no join.
type quantiles [len(latencyQuantiles)]float64

// A landing kind is a plane admitting a join, or a key copied to a
// connector: the places a join's traffic or key can end up.
type landingKind int

const (
	landMedia landingKind = iota
	landKeys
	landConnector
	landKeyCopy
	numLandingKinds
)

// plane is the plane whose fence a landing of kind k can break, and via
// the plane route that leads there.
func (k landingKind) plane() (plane, via sim.Plane) {
	if k == landKeyCopy {
		return sim.Keys, sim.Connector
	}
	return sim.Plane(k), sim.Plane(k)
}

// bucketSums are the per-bucket tallies of every replication added up.
type bucketSums struct {
	Populations [][]sim.BucketTally         // [population][bucket]
	Busy        [][sim.NumPlanes][]exactSum // [datacenter][plane][bucket], participant-seconds
	Causes      map[causeKey][]int64        // per bucket
	// Forbidden is, per plane and bucket, the sum over replications of
	// the plane's violations in the bucket and of their squares: enough
	// for an interval over replications without keeping each one's.
	Forbidden    [sim.NumPlanes][]moments
	Replications int // how many were added
}

// moments are the sum and the sum of squares of integer values, exact and
// so independent of the order they were added in.
type moments struct {
	Sum        int64 `json:"sum"`
	SumSquares int64 `json:"sum_squares"`
}

// NewAccumulator returns an accumulator for replications from, from+1, …,
// to-1 of m: all of a run's, or one shard's.
func NewAccumulator(m *sim.Model, from, to int) *Accumulator {
	a := &Accumulator{model: m, from: from, records: make([]*record, to-from)}
	a.jurisdictions, a.dcJurisdiction = jurisdictionsOf(m)
	a.sums = bucketSums{
		Populations: make([][]sim.BucketTally, len(m.Populations)),
		Busy:        make([][sim.NumPlanes][]exactSum, len(m.Datacenters)),
		Causes:      map[causeKey][]int64{},
	}
	for i := range a.sums.Populations {
		a.sums.Populations[i] = make([]sim.BucketTally, m.NumBuckets)
	}
	for i := range a.sums.Busy {
		for p := range sim.NumPlanes {
			a.sums.Busy[i][p] = make([]exactSum, m.NumBuckets)
		}
	}
	for p := range sim.NumPlanes {
		a.sums.Forbidden[p] = make([]moments, m.NumBuckets)
	}
	return a
}

// jurisdictionsOf are the jurisdictions of m's datacenters, sorted, and
// each datacenter's index among them.
func jurisdictionsOf(m *sim.Model) (jurisdictions []string, ofDatacenter []int) {
	for _, d := range m.Datacenters {
		if !slices.Contains(jurisdictions, d.Jurisdiction) {
			jurisdictions = append(jurisdictions, d.Jurisdiction)
		}
	}
	slices.Sort(jurisdictions)
	for _, d := range m.Datacenters {
		ofDatacenter = append(ofDatacenter, slices.Index(jurisdictions, d.Jurisdiction))
	}
	return jurisdictions, ofDatacenter
}

// Add takes replication r of the accumulator's model. It keeps nothing of
// r itself, so r's buffers may be reused once Add returns.
func (a *Accumulator) Add(r *sim.Replication) error {
	i := r.Index - a.from
	switch {
	case i < 0 || i >= len(a.records):
		return fmt.Errorf("results: replication %d is outside [%d, %d)", r.Index, a.from, a.from+len(a.records))
	case a.records[i] != nil:
		return fmt.Errorf("results: replication %d was added twice", r.Index)
	case len(r.Populations) != len(a.model.Populations) || len(r.Datacenters) != len(a.model.Datacenters):
		return fmt.Errorf("results: replication %d is not of this model", r.Index)
	}
	rec := &record{Index: r.Index, Window: r.Window, Events: r.Events}
	rec.Total.Landed = make([][numLandingKinds]int64, len(a.jurisdictions))
	var merged latency.Histogram // every population's, merged
	for p := range r.Populations {
		t := &r.Populations[p]
		pr := a.populationRecord(t)
		rec.Populations = append(rec.Populations, pr)
		rec.Total.add(&pr)
		merged.Merge(&t.Latency)
		addPopulationBuckets(a.sums.Populations[p], t)
	}
	rec.Total.Latency = quantilesOf(&merged)
	for d := range r.Datacenters {
		dt := r.Datacenters[d]
		for p := range sim.NumPlanes {
			addBusyBuckets(a.sums.Busy[d][p], &dt.Planes[p])
			dt.Planes[p].BucketBusy = nil
		}
		rec.Datacenters = append(rec.Datacenters, dt)
	}
	a.addForbidden(r.Causes)
	for _, c := range r.Causes {
		key := keyOf(&c)
		a.addCauseBuckets(key, c.Buckets, c.Count)
		c.Buckets = nil
		// The engine files each cause once; two tallies of one cause add up.
		if k := slices.IndexFunc(rec.Causes, func(o sim.Cause) bool { return keyOf(&o) == key }); k >= 0 {
			rec.Causes[k].Count += c.Count
			rec.Causes[k].Minutes += c.Minutes
			continue
		}
		rec.Causes = append(rec.Causes, c)
	}
	slices.SortFunc(rec.Causes, func(x, y sim.Cause) int { return keyOf(&x).compare(keyOf(&y)) })
	a.records[i] = rec
	a.sums.Replications++
	return nil
}

// populationRecord keeps the scalars of t and the landings by
// jurisdiction.
func (a *Accumulator) populationRecord(t *sim.PopulationTally) populationRecord {
	pr := populationRecord{Counts: t.Counts, Landed: make([][numLandingKinds]int64, len(a.jurisdictions))}
	pr.Latency = quantilesOf(&t.Latency)
	for dc, landed := range t.Landed {
		j := a.dcJurisdiction[dc]
		for p := range sim.NumPlanes {
			pr.Landed[j][p] += landed[p]
		}
		pr.Landed[j][landKeyCopy] += t.KeyCopies[dc]
	}
	return pr
}

// quantilesOf are the latency quantiles a report gives of h.
func quantilesOf(h *latency.Histogram) quantiles {
	var q quantiles
	for i, p := range latencyQuantiles {
		q[i] = h.Quantile(p)
	}
	return q
}

// add adds the counts of o to pr: the total of a replication's
// populations is the sum of their records, in population order, and
// their latency is that of their merged histograms.
func (pr *populationRecord) add(o *populationRecord) {
	pr.Counts.Add(&o.Counts)
	for j := range o.Landed {
		for k := range o.Landed[j] {
			pr.Landed[j][k] += o.Landed[j][k]
		}
	}
}

// Merge adds the replications of b, another shard of the same run, to a.
func (a *Accumulator) Merge(b *Accumulator) error {
	if b.model.NumBuckets != a.model.NumBuckets || len(b.sums.Busy) != len(a.sums.Busy) || len(b.sums.Populations) != len(a.sums.Populations) {
		return fmt.Errorf("results: the shards are not of one model")
	}
	for _, rec := range b.records {
		if rec == nil {
			continue
		}
		i := rec.Index - a.from
		if i < 0 || i >= len(a.records) {
			return fmt.Errorf("results: replication %d is outside [%d, %d)", rec.Index, a.from, a.from+len(a.records))
		}
		if a.records[i] != nil {
			return fmt.Errorf("results: replication %d is in two shards", rec.Index)
		}
		a.records[i] = rec
	}
	for p, buckets := range b.sums.Populations {
		for k := range buckets {
			a.sums.Populations[p][k].Add(&buckets[k])
		}
	}
	for d := range b.sums.Busy {
		for p := range sim.NumPlanes {
			for k, v := range b.sums.Busy[d][p] {
				a.sums.Busy[d][p][k].merge(v)
			}
		}
	}
	for p := range sim.NumPlanes {
		for k, m := range b.sums.Forbidden[p] {
			a.sums.Forbidden[p][k].Sum += m.Sum
			a.sums.Forbidden[p][k].SumSquares += m.SumSquares
		}
	}
	for key, buckets := range b.sums.Causes {
		a.addCauseBuckets(key, buckets, math.MaxInt64)
	}
	a.sums.Replications += b.sums.Replications
	return nil
}

// Covers reports whether the accumulator is for replications from to
// to-1 and holds every one of them.
func (a *Accumulator) Covers(from, to int) bool {
	return a.from == from && a.from+len(a.records) == to && len(a.Missing()) == 0
}

// Missing returns the replications not added yet, in order.
func (a *Accumulator) Missing() []int {
	var out []int
	for i, rec := range a.records {
		if rec == nil {
			out = append(out, a.from+i)
		}
	}
	return out
}

// exactSum adds non-negative reals exactly, each rounded to a whole
// multiple of 2^-10, in 128 bits: the sum does not depend on the order of
// the additions, as a float sum would.
type exactSum struct{ Hi, Lo uint64 }

const exactScale = 1 << 10

func (s *exactSum) add(x float64) {
	v := math.Round(x * exactScale)
	if !(v > 0) {
		return // occupancy is never negative; NaN adds nothing; a sliver below 2^-11 rounds to nothing
	}
	hi := math.Floor(math.Ldexp(v, -64))
	lo := uint64(v - math.Ldexp(hi, 64))
	s.merge(exactSum{Hi: uint64(hi), Lo: lo})
}

func (s *exactSum) merge(o exactSum) {
	var carry uint64
	s.Lo, carry = bits.Add64(s.Lo, o.Lo, 0)
	s.Hi += o.Hi + carry
}

func (s exactSum) value() float64 {
	return (math.Ldexp(float64(s.Hi), 64) + float64(s.Lo)) / exactScale
}

// keyOf is the key of cause c.
func keyOf(c *sim.Cause) causeKey {
	return causeKey{c.Population, c.Plane, c.Via, c.Datacenter, c.Secondary, c.Full, c.Down}
}

// sortedCauseKeys returns the keys of the cause sums in key order, so that
// iterating them is deterministic.
func (s *bucketSums) sortedCauseKeys() []causeKey {
	keys := make([]causeKey, 0, len(s.Causes))
	for k := range s.Causes {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(x, y causeKey) int { return x.compare(y) })
	return keys
}
