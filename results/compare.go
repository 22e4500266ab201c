package results

import "slices"

// Difference compares one figure between a baseline run and this run,
// replication by replication.
type Difference struct {
	Population string   `json:"population"` // a population ID, or "total"
	Baseline   Estimate `json:"baseline"`
	This       Estimate `json:"this"`
	Change     Estimate `json:"change"` // this − baseline, paired by replication
}

// BlockingComparison compares the blocking probability of two runs of
// the same system, population by population.
type BlockingComparison struct {
	// Blocking has a row per population of both runs, in this run's order,
	// then "total": the blocking of those populations together.
	Blocking []Difference `json:"blocking"`
	// OnlyThis and OnlyBaseline name the populations that one run has and
	// the other has not: they are not compared, nor in the total.
	OnlyThis     []string `json:"only_this"`
	OnlyBaseline []string `json:"only_baseline"`
}

// CompareBlocking compares the blocking probability of two runs,
// population by population in this run's order, then in total over the
// populations both have.
//
// Replication i of one run is paired with replication i of the other, and
// each change is the estimate of the per-replication differences
//
//	d_i = blocked_i/offered_i (this) − blocked_i/offered_i (baseline)
//
// This paired interval is valid, and much narrower than one built from
// the two runs' separate intervals, because both runs use common random
// numbers: the same seed, and arrival streams keyed by population ID, so
// that replication i offers the same joins to both systems and the
// load that both share cancels out of d_i. Only the first min(n, n')
// replications are paired; a replication in which either ratio is
// undefined (no offered joins) does not count.
func CompareBlocking(base, this *Report) BlockingComparison {
	c := BlockingComparison{OnlyThis: []string{}, OnlyBaseline: []string{}}
	n := min(base.Replications, this.Replications)
	baseIndex := map[string]int{}
	for i, p := range base.Populations {
		baseIndex[p.ID] = i
	}
	var common [][2]*Figures
	for i := range this.Populations {
		p := &this.Populations[i]
		j, ok := baseIndex[p.ID]
		if !ok {
			c.OnlyThis = append(c.OnlyThis, p.ID)
			continue
		}
		b := &base.Populations[j]
		common = append(common, [2]*Figures{&b.Figures, &p.Figures})
		c.Blocking = append(c.Blocking, Paired(p.ID, b.BlockingProbability.PerReplication[:n], p.BlockingProbability.PerReplication[:n]))
	}
	for _, p := range base.Populations {
		if !slices.ContainsFunc(this.Populations, func(q PopulationReport) bool { return q.ID == p.ID }) {
			c.OnlyBaseline = append(c.OnlyBaseline, p.ID)
		}
	}
	// total is the blocking of the common populations together in each
	// replication of one side.
	total := func(side int) []float64 {
		out := make([]float64, n)
		for k := range out {
			var blocked, offered float64
			for _, f := range common {
				blocked += f[side].Blocked.PerReplication[k]
				offered += f[side].Offered.PerReplication[k]
			}
			out[k] = ratio(blocked, offered)
		}
		return out
	}
	c.Blocking = append(c.Blocking, Paired("total", total(0), total(1)))
	return c
}

// Paired estimates base, this and their paired difference from one value
// per replication of each, replication i with replication i.
func Paired(population string, base, this []float64) Difference {
	change := make([]float64, len(this))
	for i := range change {
		change[i] = this[i] - base[i] // NaN when either is, and then left out
	}
	return Difference{Population: population, Baseline: EstimateOf(base), This: EstimateOf(this), Change: EstimateOf(change)}
}
