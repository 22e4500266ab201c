package results

import "github.com/geofence/geofence/sim"

// populationReports estimates the figures of each population of m.
func populationReports(m *sim.Model, reps []*sim.Replication) []PopulationReport {
	out := make([]PopulationReport, len(m.Populations))
	for i, info := range m.Populations {
		tallies := make([]*sim.PopulationTally, len(reps))
		for k, rep := range reps {
			tallies[k] = &rep.Populations[i]
		}
		out[i] = PopulationReport{
			ID:           info.ID,
			Region:       info.Region,
			Jurisdiction: info.Jurisdiction,
			Plan:         info.Plan,
			Figures:      figuresOf(tallies),
		}
	}
	return out
}

// totalFigures estimates the figures of all populations together. Counts
// are summed within each replication before estimating, and ratios and
// latency quantiles are taken of those sums, so that the total is the
// estimate for the union of the populations and not an average of theirs.
func totalFigures(reps []*sim.Replication) Figures {
	tallies := make([]*sim.PopulationTally, len(reps))
	for k, rep := range reps {
		tallies[k] = sumTallies(rep.Populations)
	}
	return figuresOf(tallies)
}

// figuresOf estimates Figures from one tally per replication.
func figuresOf(ts []*sim.PopulationTally) Figures {
	count := func(f func(*sim.PopulationTally) int64) []float64 {
		return perRep(ts, func(t *sim.PopulationTally) float64 { return float64(f(t)) })
	}
	latency := func(p float64) Estimate {
		return EstimateOf(perRep(ts, func(t *sim.PopulationTally) float64 { return t.Latency.Quantile(p) }))
	}
	offered := count(func(t *sim.PopulationTally) int64 { return t.Offered })
	blocked := count(func(t *sim.PopulationTally) int64 { return t.Blocked })
	secondary := count(func(t *sim.PopulationTally) int64 { return t.AdmittedSecondary })

	var f Figures
	f.Offered = EstimateOf(offered)
	f.AdmittedPrimary = EstimateOf(count(func(t *sim.PopulationTally) int64 { return t.AdmittedPrimary }))
	f.AdmittedSecondary = EstimateOf(secondary)
	f.Blocked = EstimateOf(blocked)
	f.BlockingProbability = EstimateOf(Ratios(blocked, offered))
	f.SecondaryShare = EstimateOf(Ratios(secondary, offered))
	f.Retries = EstimateOf(count(func(t *sim.PopulationTally) int64 { return t.Retries }))
	for p := range sim.NumPlanes {
		violations := count(func(t *sim.PopulationTally) int64 { return t.Violations[p] })
		*f.Violations.at(p) = EstimateOf(violations)
		*f.ViolationRate.at(p) = EstimateOf(Ratios(violations, offered))
		*f.ViolatingMinutes.at(p) = EstimateOf(perRep(ts, func(t *sim.PopulationTally) float64 { return t.ViolatingMinutes[p] }))
	}
	f.LatencyP50 = latency(0.50)
	f.LatencyP95 = latency(0.95)
	f.LatencyP99 = latency(0.99)
	return f
}

// sumTallies adds up ts, merging their latency histograms bin by bin.
func sumTallies(ts []sim.PopulationTally) *sim.PopulationTally {
	var sum sim.PopulationTally
	for i := range ts {
		sum.Add(&ts[i])
	}
	return &sum
}

// at returns the estimate for plane p.
func (pp *PerPlane) at(p sim.Plane) *Estimate {
	switch p {
	case sim.Media:
		return &pp.Media
	case sim.Keys:
		return &pp.Keys
	default:
		return &pp.Connector
	}
}
