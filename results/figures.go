package results

import (
	"github.com/geofence/geofence/sim"
)

// populationReports estimates the figures of each population.
func (a *Accumulator) populationReports() []PopulationReport {
	out := make([]PopulationReport, len(a.model.Populations))
	for i, info := range a.model.Populations {
		out[i] = PopulationReport{
			ID:           info.ID,
			Region:       info.Region,
			Jurisdiction: info.Jurisdiction,
			Plan:         info.Plan,
			Figures:      figuresOf(perRep(a.records, func(r *record) *populationRecord { return &r.Populations[i] }), a.model.AnswerRoutes(), a.model.Outages()),
		}
	}
	return out
}

// totalFigures estimates the figures of all populations together. Counts
// are summed within each replication before estimating, and ratios and
// latency quantiles are taken of those sums (the latency histograms merged
// bin by bin), so that the total is the estimate for the union of the
// populations and not an average of theirs.
func (a *Accumulator) totalFigures() Figures {
	return figuresOf(perRep(a.records, func(r *record) *populationRecord { return &r.Total }), a.model.AnswerRoutes(), a.model.Outages())
}

// figuresOf estimates Figures from one population record per replication;
// answered adds the unanswered joins, which only failover and dns routes
// have, and outages the rejoins, which only a datacenter going down makes.
func figuresOf(ts []*populationRecord, answered, outages bool) Figures {
	count := func(f func(*populationRecord) int64) []float64 {
		return perRep(ts, func(t *populationRecord) float64 { return float64(f(t)) })
	}
	latency := func(q int) Estimate {
		return EstimateOf(perRep(ts, func(t *populationRecord) float64 { return t.Latency[q] }))
	}
	offered := count(func(t *populationRecord) int64 { return t.Offered })
	blocked := count(func(t *populationRecord) int64 { return t.Blocked })
	secondary := count(func(t *populationRecord) int64 { return t.AdmittedSecondary })

	var f Figures
	f.Offered = EstimateOf(offered)
	f.AdmittedPrimary = EstimateOf(count(func(t *populationRecord) int64 { return t.AdmittedPrimary }))
	f.AdmittedSecondary = EstimateOf(secondary)
	f.Blocked = EstimateOf(blocked)
	f.BlockingProbability = RateOf(blocked, offered)
	f.SecondaryShare = RateOf(secondary, offered)
	f.Retries = EstimateOf(count(func(t *populationRecord) int64 { return t.Retries }))
	if answered {
		unanswered := count(func(t *populationRecord) int64 { return t.Unanswered })
		est, rate := EstimateOf(unanswered), RateOf(unanswered, offered)
		f.Unanswered, f.UnansweredRate = &est, &rate
	}
	if outages {
		rejoins := count(func(t *populationRecord) int64 { return t.Rejoins })
		blocked := count(func(t *populationRecord) int64 { return t.RejoinsBlocked })
		est, rate := EstimateOf(rejoins), RateOf(blocked, rejoins)
		f.Rejoins, f.RejoinBlocking = &est, &rate
	}
	for p := range sim.NumPlanes {
		violations := count(func(t *populationRecord) int64 { return t.Violations[p] })
		*f.Violations.At(p) = EstimateOf(violations)
		*f.ViolationRate.At(p) = RateOf(violations, offered)
		*f.ViolatingMinutes.At(p) = EstimateOf(perRep(ts, func(t *populationRecord) float64 { return t.ViolatingMinutes[p] }))
		*f.ReplicationsWithViolations.At(p) = ProportionOf(violations)
	}
	f.LatencyP50 = latency(0)
	f.LatencyP95 = latency(1)
	f.LatencyP99 = latency(2)
	return f
}
