package results

import "github.com/geofence/geofence/sim"

// Difference compares one figure between a baseline run and this run,
// replication by replication.
type Difference struct {
	Population string   `json:"population"` // a population ID, or "total"
	Baseline   Estimate `json:"baseline"`
	This       Estimate `json:"this"`
	Change     Estimate `json:"change"` // this − baseline, paired by replication
}

// CompareBlocking compares the blocking probability of two runs of the
// same system, population by population, in this run's order, then in
// total. A population missing from either run is left out; the total row
// is each run's own total over all its populations, as in its Report.
//
// Replication i of one run is paired with replication i of the other, and
// Change is the estimate of the per-replication differences
//
//	d_i = blocked_i/offered_i (this) − blocked_i/offered_i (baseline)
//
// This paired interval is valid, and much narrower than one built from
// the two runs' separate intervals, because both runs use common random
// numbers: the same seed, and arrival streams keyed by population ID, so
// that replication i offers the same joins to both systems and the
// load that both share cancels out of d_i. Only the first min(len(baseReps),
// len(reps)) replications are paired; a replication in which either ratio
// is undefined (no offered joins) does not count.
func CompareBlocking(base *sim.Model, baseReps []*sim.Replication, this *sim.Model, reps []*sim.Replication) []Difference {
	n := min(len(baseReps), len(reps))
	baseReps, reps = baseReps[:n], reps[:n]
	baseIndex := map[string]int{}
	for i, p := range base.Populations {
		baseIndex[p.ID] = i
	}
	var out []Difference
	for i, p := range this.Populations {
		j, ok := baseIndex[p.ID]
		if !ok {
			continue
		}
		out = append(out, pairedDifference(p.ID,
			blockingPerRep(baseReps, func(rep *sim.Replication) *sim.PopulationTally { return &rep.Populations[j] }),
			blockingPerRep(reps, func(rep *sim.Replication) *sim.PopulationTally { return &rep.Populations[i] })))
	}
	total := func(rep *sim.Replication) *sim.PopulationTally { return sumTallies(rep.Populations) }
	return append(out, pairedDifference("total", blockingPerRep(baseReps, total), blockingPerRep(reps, total)))
}

// blockingPerRep returns the blocking probability of the tally that pick
// chooses in each replication, NaN where nothing was offered.
func blockingPerRep(reps []*sim.Replication, pick func(*sim.Replication) *sim.PopulationTally) []float64 {
	return perRep(reps, func(rep *sim.Replication) float64 {
		t := pick(rep)
		return ratio(float64(t.Blocked), float64(t.Offered))
	})
}

// pairedDifference estimates base, this and their paired difference.
func pairedDifference(population string, base, this []float64) Difference {
	change := make([]float64, len(this))
	for i := range change {
		change[i] = this[i] - base[i] // NaN when either is, and then left out
	}
	return Difference{Population: population, Baseline: EstimateOf(base), This: EstimateOf(this), Change: EstimateOf(change)}
}
