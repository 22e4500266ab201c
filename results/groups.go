package results

import (
	"slices"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// GroupReport is the figures of a group of populations (run.groups): "all
// EU calls". They are of the group's joins pooled, never an average of its
// populations' rates: see Pooled.
type GroupReport struct {
	ID string `json:"id"`
	// Populations are the group's populations, in the scenario's order.
	Populations []string `json:"populations"`
	Figures
}

// groupReports estimates the figures of every group of the scenario, from
// the populations' figures.
func groupReports(s *scenarios.Scenario, pops []PopulationReport) []GroupReport {
	var out []GroupReport
	for i := range s.Run.Groups {
		g := &s.Run.Groups[i]
		members := s.Members(g)
		out = append(out, GroupReport{ID: string(g.ID), Populations: members, Figures: PooledOf(pops, members)})
	}
	return out
}

// Group returns the group of r called id, or nil.
func (r *Report) Group(id string) *GroupReport {
	for i := range r.Groups {
		if r.Groups[i].ID == id {
			return &r.Groups[i]
		}
	}
	return nil
}

// PooledOf is Pooled over the populations of pops whose ids are members.
func PooledOf(pops []PopulationReport, members []string) Figures {
	var figs []*Figures
	for i := range pops {
		if slices.Contains(members, pops[i].ID) {
			figs = append(figs, &pops[i].Figures)
		}
	}
	n := 0
	if len(figs) > 0 {
		n = len(figs[0].Offered.PerReplication)
	}
	return Pooled(figs, n)
}

// Pooled estimates the figures of several populations' joins together,
// over their first n replications. Each count is summed over the
// populations within each replication, and each rate is the ratio of
// those sums, e.g. in replication i
//
//	violation_rate_i = Σ_p violations_p,i / Σ_p offered_p,i
//
// before the estimate over replications (RateOf): the rate of the pooled
// joins, which weighs each population by the joins it offered, not an
// average of the populations' rates. Latency quantiles cannot be pooled
// from the populations' quantiles, and are n/a.
func Pooled(figs []*Figures, n int) Figures {
	sum := func(f func(*Figures) *Estimate) []float64 {
		out := make([]float64, n)
		for k := range out {
			for _, fig := range figs {
				out[k] += f(fig).PerReplication[k]
			}
		}
		return out
	}
	offered := sum(func(f *Figures) *Estimate { return &f.Offered })
	blocked := sum(func(f *Figures) *Estimate { return &f.Blocked })
	secondary := sum(func(f *Figures) *Estimate { return &f.AdmittedSecondary })
	p := Figures{
		Offered:             EstimateOf(offered),
		AdmittedPrimary:     EstimateOf(sum(func(f *Figures) *Estimate { return &f.AdmittedPrimary })),
		AdmittedSecondary:   EstimateOf(secondary),
		Blocked:             EstimateOf(blocked),
		BlockingProbability: RateOf(blocked, offered),
		SecondaryShare:      RateOf(secondary, offered),
		Retries:             EstimateOf(sum(func(f *Figures) *Estimate { return &f.Retries })),
		LatencyP50:          EstimateOf(nanSeries(n)),
		LatencyP95:          EstimateOf(nanSeries(n)),
		LatencyP99:          EstimateOf(nanSeries(n)),
	}
	for plane := range sim.NumPlanes {
		violations := sum(func(f *Figures) *Estimate { return f.Violations.At(plane) })
		*p.Violations.At(plane) = EstimateOf(violations)
		*p.ViolationRate.At(plane) = RateOf(violations, offered)
		*p.ViolatingMinutes.At(plane) = EstimateOf(sum(func(f *Figures) *Estimate { return f.ViolatingMinutes.At(plane) }))
		*p.ReplicationsWithViolations.At(plane) = ProportionOf(violations)
	}
	return p
}
