package results

import (
	"cmp"
	"slices"

	"github.com/geofence/geofence/sim"
)

// headlineFences and headlineCauses are how many of the worst fences and
// biggest causes the headline names.
const (
	headlineFences = 3
	headlineCauses = 3
)

// Headline is the answer a reader looks for first: how much traffic there
// was, how much of it — and of its keys — landed where the policy forbids,
// by destination, how much was blocked, and where it was worst.
type Headline struct {
	// JoinsPerDay is offered joins scaled to 24 hours of the measured
	// window, over all populations.
	JoinsPerDay Estimate `json:"joins_per_day"`
	// Blocking is the total blocking probability.
	Blocking Estimate `json:"blocking_probability"`
	// ViolationsPerDay is every population's violations of every plane,
	// scaled to 24 hours of the measured window.
	ViolationsPerDay Estimate `json:"violations_per_day"`
	// PlaneViolationsPerDay is the same for each plane on its own: calls
	// whose media, keys (issued or copied) or dial-in left their fence.
	PlaneViolationsPerDay PerPlane `json:"plane_violations_per_day"`
	// Forbidden is every population's violations added up by the plane
	// whose fence broke, the route that led there and the jurisdiction
	// they landed in, per day and per join offered.
	Forbidden []ForbiddenTotal `json:"forbidden"`
	// WorstFences are the fences (a population's plane) with the highest
	// violation rate, at most three, worst first; only fences with
	// violations.
	WorstFences []FenceRate `json:"worst_fences"`
	// TopCauses counts the report's first causes (the most frequent)
	// that the headline shows.
	TopCauses int `json:"top_causes"`
}

// ForbiddenTotal is the violations that landed in one jurisdiction for one
// plane: keys via connector are key copies at connectors.
type ForbiddenTotal struct {
	Plane        string   `json:"plane"`
	Via          string   `json:"via"`
	Jurisdiction string   `json:"jurisdiction"`
	PerDay       Estimate `json:"per_day"`
	Rate         Estimate `json:"rate"` // per join offered, all populations
}

// FenceRate is one fence's violation rate. A plan's worst may also be a
// population's blocking (Plane "blocking"), or a rate of a group's joins
// pooled (Group set, Population the group's id).
type FenceRate struct {
	Population string   `json:"population"`
	Plane      string   `json:"plane"`
	Rate       Estimate `json:"rate"`
	Group      bool     `json:"group,omitempty"`
}

// headline sums up r, whose other figures are already estimated.
func (a *Accumulator) headline(r *Report) Headline {
	perDay := func(xs []float64) Estimate {
		scaled := make([]float64, len(xs))
		for i, x := range xs {
			scaled[i] = x * 86400 / a.records[i].Window
		}
		return EstimateOf(scaled)
	}
	offered := perRep(a.records, func(rec *record) float64 { return float64(rec.Total.Offered) })
	violations := perRep(a.records, func(rec *record) float64 {
		var n int64
		for _, v := range rec.Total.Violations {
			n += v
		}
		return float64(n)
	})
	var byPlane PerPlane
	for p := range sim.NumPlanes {
		*byPlane.At(p) = perDay(perRep(a.records, func(rec *record) float64 { return float64(rec.Total.Violations[p]) }))
	}
	h := Headline{
		JoinsPerDay:           perDay(offered),
		ViolationsPerDay:      perDay(violations),
		PlaneViolationsPerDay: byPlane,
		Blocking:              r.Total.BlockingProbability,
		Forbidden:             []ForbiddenTotal{},
		WorstFences:           []FenceRate{},
		TopCauses:             min(headlineCauses, len(r.Causes)),
	}

	for _, k := range a.forbiddenKeys() {
		counts := perRep(a.records, func(rec *record) float64 {
			var n int64
			for _, c := range rec.Causes {
				if a.forbiddenKeyOf(keyOf(&c)) == k {
					n += c.Count
				}
			}
			return float64(n)
		})
		h.Forbidden = append(h.Forbidden, ForbiddenTotal{
			Plane: PlaneName(k.plane), Via: PlaneName(k.via), Jurisdiction: k.jurisdiction,
			PerDay: perDay(counts), Rate: RateOf(counts, offered),
		})
	}

	for _, p := range r.Populations {
		for plane := range sim.NumPlanes {
			if rate := *p.ViolationRate.At(plane); rate.Mean > 0 {
				h.WorstFences = append(h.WorstFences, FenceRate{Population: p.ID, Plane: PlaneName(plane), Rate: rate})
			}
		}
	}
	slices.SortStableFunc(h.WorstFences, func(x, y FenceRate) int { return cmp.Compare(y.Rate.Mean, x.Rate.Mean) })
	h.WorstFences = h.WorstFences[:min(len(h.WorstFences), headlineFences)]
	return h
}
