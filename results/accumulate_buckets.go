package results

import (
	"github.com/geofence/geofence/sim"
)

// A replication's per-bucket tallies are dense — an entry for every
// bucket of the horizon, 100,000 of them at one-second buckets over a day
// — and in a quiet system almost all zero. Adding them costs what they
// hold, not what they span: a tally is skipped when the replication's
// totals say it is empty, read only until everything its totals count has
// been found, and its zero entries leave the sums untouched.

// addPopulationBuckets adds population tally t's per-bucket counts to
// sums. Its buckets count the joins it offered, set up at a secondary and
// blocked, and its violations, each once: as many as its totals.
func addPopulationBuckets(sums []sim.BucketTally, t *sim.PopulationTally) {
	left := t.Offered + t.AdmittedSecondary + t.Blocked
	for p := range sim.NumPlanes {
		left += t.Violations[p]
	}
	for b := 0; left > 0 && b < len(t.Buckets); b++ {
		x := &t.Buckets[b]
		if *x == (sim.BucketTally{}) {
			continue
		}
		sums[b].Add(x)
		left -= x.Offered + x.Secondary + x.Blocked
		for p := range sim.NumPlanes {
			left -= x.Violations[p]
		}
	}
}

// addBusyBuckets adds plane tally t's occupancy per bucket to sums;
// nothing when it was never occupied.
func addBusyBuckets(sums []exactSum, t *sim.PlaneTally) {
	if !(t.BusyArea > 0) {
		return
	}
	for b, busy := range t.BucketBusy {
		if busy > 0 {
			sums[b].add(busy)
		}
	}
}

// addForbidden adds one replication's violations per plane and bucket,
// and their squares, to the sums: over the buckets where its causes
// counted any.
func (a *Accumulator) addForbidden(causes []sim.Cause) {
	if len(causes) == 0 {
		return
	}
	if a.perBucket[0] == nil {
		for p := range a.perBucket {
			a.perBucket[p] = make([]int64, a.model.NumBuckets)
		}
	}
	var touched [sim.NumPlanes][]int
	for _, c := range causes {
		counts := a.perBucket[c.Plane]
		left := c.Count
		for b := 0; left > 0 && b < len(c.Buckets); b++ {
			if n := c.Buckets[b]; n != 0 {
				if counts[b] == 0 {
					touched[c.Plane] = append(touched[c.Plane], b)
				}
				counts[b] += n
				left -= n
			}
		}
	}
	for p, buckets := range touched {
		for _, b := range buckets {
			n := a.perBucket[p][b]
			m := &a.sums.Forbidden[p][b]
			m.Sum += n
			m.SumSquares += n * n
			a.perBucket[p][b] = 0
		}
	}
}

// addCauseBuckets adds a cause's per-bucket counts, count of them in all,
// to its sums, which it starts at the cause's first sight.
func (a *Accumulator) addCauseBuckets(key causeKey, counts []int64, count int64) {
	sum := a.sums.Causes[key]
	if sum == nil {
		sum = make([]int64, a.model.NumBuckets)
		a.sums.Causes[key] = sum
	}
	for b := 0; count > 0 && b < len(counts); b++ {
		if n := counts[b]; n != 0 {
			sum[b] += n
			count -= n
		}
	}
}
