package results

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

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
	Kind          string                 `json:"kind"` // KindPlan
	FormatVersion int                    `json:"format_version"`
	Tool          string                 `json:"tool"`
	Version       string                 `json:"version"`
	Scenario      ScenarioRef            `json:"scenario"`
	Seed          uint64                 `json:"seed"`
	Question      PlanQuestion           `json:"question"`
	Limits        [sim.NumPlanes]float64 `json:"limits"` // media, keys, connector
	LimitSource   [sim.NumPlanes]string  `json:"limit_source"`
	Answer        *PlanAnswer            `json:"answer"` // null when no value in range passes
	Evaluations   []PlanEvaluation       `json:"evaluations"`
	Definitions   []Definition           `json:"definitions"`
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
	Value        float64   `json:"value"`
	Replications int       `json:"replications"`
	Passed       bool      `json:"passed"`
	NotAbove     bool      `json:"not_above"`
	Worst        FenceRate `json:"worst"`
	Total        Figures   `json:"total"`
}

// Evaluate judges a report against the limits: whether every fence's
// violation rate has its upper bound at or below its plane's limit
// (passed), whether every fence's interval reaches down to its limit
// (notAbove), and the fence whose upper bound is furthest over its limit,
// relative to it. The fences are those of the populations named, or of
// every population when none is.
func Evaluate(r *Report, limits [sim.NumPlanes]float64, populations []string) (passed, notAbove bool, worst FenceRate) {
	passed, notAbove = true, true
	worstExcess := -1.0
	for _, p := range r.Populations {
		if len(populations) > 0 && !slices.Contains(populations, p.ID) {
			continue
		}
		for plane := range sim.NumPlanes {
			rate := *p.ViolationRate.at(plane)
			if exceeds(rate, limits[plane], DecideUpper) {
				passed = false
			}
			if low := rate.Low; rate.UpperBy != UpperClopperPearson && !(low <= limits[plane]) {
				notAbove = false
			}
			if excess := rate.Upper / limits[plane]; excess > worstExcess {
				worstExcess, worst = excess, FenceRate{Population: p.ID, Plane: planeName(plane), Rate: rate}
			}
		}
	}
	return passed, notAbove, worst
}

// planFormats lists the output formats of RenderPlan.
var planFormats = []string{"table", "json", "markdown"}

// PlanFormats returns the names RenderPlan accepts.
func PlanFormats() []string { return append([]string(nil), planFormats...) }

// RenderPlan writes r to w in format, one of PlanFormats.
func RenderPlan(w io.Writer, r *PlanReport, format string) error {
	switch format {
	case "table":
		return drawTerminal(w, planDoc(r))
	case "json":
		return renderJSON(w, r)
	case "markdown":
		return drawMarkdown(w, planDoc(r))
	}
	return fmt.Errorf("unknown format %q: want one of %s", format, strings.Join(planFormats, ", "))
}

func planDoc(r *PlanReport) textDoc {
	q := r.Question
	goal := q.Goal
	how := "set to"
	if q.By == "scale" {
		how = "multiplied by"
	}
	limits := make([]string, sim.NumPlanes)
	for p := range sim.NumPlanes {
		limits[p] = fmt.Sprintf("%s %s (%s)", planeName(p), limitText(r.Limits[p]), r.LimitSource[p])
	}
	answer := fmt.Sprintf("none: no value from %s to %s keeps every fence's upper bound at or below its limit", number(q.Min), number(q.Max))
	if a := r.Answer; a != nil {
		answer = fmt.Sprintf("%s (plausible %s to %s; decided on %d replications, confirmed on %d)", number(a.Value), number(a.Plausible[0]), number(a.Plausible[1]), a.Replications, a.Confirmed)
	}
	doc := textDoc{
		title: "geofence plan: " + r.Scenario.Name,
		facts: []fact{
			{"scenario", r.Scenario.Name + ": " + r.Scenario.File + " (sha256 " + r.Scenario.SHA256 + ")"},
			{"overrides", overridesText(r.Scenario.Overrides)},
			{"run", fmt.Sprintf("%s %s, seed %d (common random numbers at every value)", r.Tool, r.Version, r.Seed)},
			{"question", fmt.Sprintf("the %s value x from %s to %s, in steps of %s, with %s %s x, that keeps the one-sided 95%% upper bound of every violation rate of %s at or below its limit",
				goal, number(q.Min), number(q.Max), number(q.Step), strings.Join(q.Paths, " and "), how, fencesOf(q.Populations))},
			{"limits", strings.Join(limits, ", ")},
			{"answer", answer},
		},
	}
	t := textTable{
		title:  "Evaluations, in the order made",
		labels: 1,
		header: []string{"value", "replications", "passed", "not significantly above", "worst fence", "its violation rate", "95% upper bound"},
	}
	for _, e := range r.Evaluations {
		t.rows = append(t.rows, []string{
			number(e.Value), strconv.Itoa(e.Replications), yesNo(e.Passed), yesNo(e.NotAbove),
			e.Worst.Population + " " + e.Worst.Plane, rateCell(e.Worst.Rate), percent(e.Worst.Rate.Upper),
		})
	}
	doc.tables = []textTable{t}
	return doc
}

// fencesOf names the populations whose fences a plan holds to their
// limits.
func fencesOf(populations []string) string {
	if len(populations) == 0 {
		return "every population"
	}
	return strings.Join(populations, ", ")
}

func number(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
