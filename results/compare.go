package results

import (
	"math"
	"slices"

	"github.com/geofence/geofence/sim"
)

// Difference compares one figure between a baseline run and this run,
// replication by replication.
type Difference struct {
	Baseline Estimate `json:"baseline"`
	This     Estimate `json:"this"`
	Change   Estimate `json:"change"` // this − baseline, paired by replication
	// Significant is set when the 95% interval of Change lies wholly on
	// one side of zero: the figure rose (Change.Mean > 0) or fell.
	Significant bool `json:"significant"`
}

// Comparison compares two runs of the same system — a baseline and a
// change to it — population by population, with paired differences.
type Comparison struct {
	// Populations has a row per population of both runs, in this run's
	// order, then "total": those populations together.
	Populations []PopulationChange `json:"populations"`
	// OnlyThis and OnlyBaseline name the populations that one run has and
	// the other has not: they are not compared, nor in the total.
	OnlyThis     []string `json:"only_this"`
	OnlyBaseline []string `json:"only_baseline"`
}

// PopulationChange is how one population's figures moved.
type PopulationChange struct {
	Population     string          `json:"population"` // a population ID, or "total"
	Blocking       Difference      `json:"blocking_probability"`
	SecondaryShare Difference      `json:"secondary_share"`
	ViolationRate  PlaneDifference `json:"violation_rate"`
	LatencyP95     Difference      `json:"latency_p95"` // seconds, of admitted joins; n/a in the total: compared per population
}

// Compare compares this run with a baseline run, population by population
// in this run's order, then in total over the populations both have.
//
// Replication i of one run is paired with replication i of the other, and
// each change is the estimate of the per-replication differences, e.g.
//
//	d_i = blocked_i/offered_i (this) − blocked_i/offered_i (baseline)
//
// This paired interval is valid, and much narrower than one built from
// the two runs' separate intervals, because both runs use common random
// numbers: the same seed, and arrival streams keyed by population ID, so
// that replication i offers the same joins to both systems and the load
// that both share cancels out of d_i. Only the first min(n, n')
// replications are paired; a replication in which either value is
// undefined (no offered joins, no latency) does not count.
func Compare(base, this *Report) Comparison {
	c := Comparison{OnlyThis: []string{}, OnlyBaseline: []string{}}
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
		pair := [2]*Figures{&base.Populations[j].Figures, &p.Figures}
		common = append(common, pair)
		c.Populations = append(c.Populations, change(p.ID, n, func(side int) *Figures { return pair[side] }))
	}
	for _, p := range base.Populations {
		if !slices.ContainsFunc(this.Populations, func(q PopulationReport) bool { return q.ID == p.ID }) {
			c.OnlyBaseline = append(c.OnlyBaseline, p.ID)
		}
	}
	// The total of the common populations: counts added up in each
	// replication of one side, then divided.
	total := func(side int) *Figures {
		figs := make([]*Figures, len(common))
		for i, pair := range common {
			figs[i] = pair[side]
		}
		// Set-up latency is of admitted joins, and compared per population
		// only: a total's quantile mixes the populations in the shares
		// admitted, so a change that blocks one population's slow joins
		// would move it without making any join faster.
		t := Pooled(figs, n)
		return &t
	}
	totals := [2]*Figures{total(0), total(1)}
	c.Populations = append(c.Populations, change("total", n, func(side int) *Figures { return totals[side] }))
	return c
}

// change pairs the figures of one population on the two sides (0 the
// baseline, 1 this run) over their first n replications.
func change(population string, n int, side func(int) *Figures) PopulationChange {
	pair := func(f func(*Figures) *Estimate) Difference {
		base, this := f(side(0)), f(side(1))
		d := Paired(base.PerReplication[:n], this.PerReplication[:n])
		// Where every replication is paired, each side is its own estimate,
		// a rate's upper bound included.
		if len(base.PerReplication) == n {
			d.Baseline = *base
		}
		if len(this.PerReplication) == n {
			d.This = *this
		}
		return d
	}
	pc := PopulationChange{
		Population:     population,
		Blocking:       pair(func(f *Figures) *Estimate { return &f.BlockingProbability }),
		SecondaryShare: pair(func(f *Figures) *Estimate { return &f.SecondaryShare }),
		LatencyP95:     pair(func(f *Figures) *Estimate { return &f.LatencyP95 }),
	}
	for p := range sim.NumPlanes {
		*pc.ViolationRate.At(p) = pair(func(f *Figures) *Estimate { return f.ViolationRate.At(p) })
	}
	return pc
}

// Paired estimates base, this and their paired difference from one value
// per replication of each, replication i with replication i.
func Paired(base, this []float64) Difference {
	change := make([]float64, len(this))
	for i := range change {
		change[i] = this[i] - base[i] // NaN when either is, and then left out
	}
	d := Difference{Baseline: EstimateOf(base), This: EstimateOf(this), Change: EstimateOf(change)}
	d.Significant = d.Change.Low > 0 || d.Change.High < 0 // false when the interval is unknown (NaN)
	return d
}

// nanSeries is n undefined values.
func nanSeries(n int) []float64 {
	out := make([]float64, n)
	for i := range out {
		out[i] = math.NaN()
	}
	return out
}
