package study

import (
	"slices"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/sim"
)

// KindPlan is the kind of a plan's result.
const KindPlan = "plan"

// PlanFormatVersion is the version of the PlanReport's JSON layout. It
// changes when a field is renamed or removed, not when one is added.
const PlanFormatVersion = 1

// PlanReport is the answer to a capacity planner's question — the least
// (or largest) value of a quantity for which every fence keeps its
// violation rate at or below its limit — and every evaluation it rests
// on.
type PlanReport struct {
	results.Header
	Scenario    results.ScenarioRef    `json:"scenario"`
	Seed        uint64                 `json:"seed"`
	Question    PlanQuestion           `json:"question"`
	Limits      [sim.NumPlanes]float64 `json:"limits"` // media, keys, connector
	LimitSource [sim.NumPlanes]string  `json:"limit_source"`
	Answer      *PlanAnswer            `json:"answer"` // null when no value in range passes
	Evaluations []PlanEvaluation       `json:"evaluations"`
	Definitions []results.Definition   `json:"definitions"`
}

// PlanQuestion is what a plan searches: the values min, min+step, …, max
// of the quantity, set at (By "set") or multiplying (By "scale") every
// path in Paths, for the least value at which the fences of Populations
// pass (Goal "least") or the largest (Goal "largest").
type PlanQuestion struct {
	Paths []string `json:"paths"`
	// Populations are those whose fences must keep within their limits;
	// every population's when empty.
	Populations []string `json:"populations"`
	By          string   `json:"by"`
	Goal        string   `json:"goal"`
	Min         float64  `json:"min"`
	Max         float64  `json:"max"`
	Step        float64  `json:"step"`
}

// PlanAnswer is the value found. Plausible is the range of values the
// simulation cannot tell apart from the answer: from the least value
// whose rates are not significantly above their limits (every fence's
// 95% interval reaches down to its limit) to the answer itself (every
// fence's one-sided 95% upper bound at or below its limit); for Goal
// "largest" the other way round. The exact answer lies in it.
type PlanAnswer struct {
	Path         string     `json:"path"` // the first of the question's paths
	Value        float64    `json:"value"`
	Plausible    [2]float64 `json:"plausible"`
	Replications int        `json:"replications"` // of the evaluations that decided it
	Confirmed    int        `json:"confirmed"`    // replications on which both sides of it kept their verdicts
}

// PlanEvaluation is one value tried: its replications, whether it passed
// (every fence's upper bound at or below its limit), whether it was not
// significantly above (every fence's low end at or below), the fence with
// the rate nearest or furthest over its limit, and the total figures.
type PlanEvaluation struct {
	Value        float64           `json:"value"`
	Replications int               `json:"replications"`
	Passed       bool              `json:"passed"`
	NotAbove     bool              `json:"not_above"`
	Worst        results.FenceRate `json:"worst"`
	Total        results.Figures   `json:"total"`
}

// Evaluate judges a report against the limits: whether every fence's
// violation rate has its upper bound at or below its plane's limit
// (passed), whether every fence's interval reaches down to its limit
// (notAbove), and the fence whose upper bound is furthest over its limit,
// relative to it. The fences are those of the populations named, or of
// every population when none is.
func Evaluate(r *results.Report, limits [sim.NumPlanes]float64, populations []string) (passed, notAbove bool, worst results.FenceRate) {
	passed, notAbove = true, true
	worstExcess := -1.0
	for _, p := range r.Populations {
		if len(populations) > 0 && !slices.Contains(populations, p.ID) {
			continue
		}
		for plane := range sim.NumPlanes {
			rate := *p.ViolationRate.At(plane)
			if check.Exceeds(rate, limits[plane], check.DecideUpper) {
				passed = false
			}
			if low := rate.Low; rate.UpperBy != results.UpperClopperPearson && !(low <= limits[plane]) {
				notAbove = false
			}
			if excess := rate.Upper / limits[plane]; excess > worstExcess {
				worstExcess, worst = excess, results.FenceRate{Population: p.ID, Plane: results.PlaneName(plane), Rate: rate}
			}
		}
	}
	return passed, notAbove, worst
}
