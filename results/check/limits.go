package check

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// BlockingCheck is a population's simulated blocking held to the blocking
// limit (--max-blocking, or the scenario's run.max_blocking): a fix that
// keeps calls in their fence by blocking them has a cost, and past the
// limit it fails.
type BlockingCheck struct {
	Population string           `json:"population"`
	Blocking   results.Estimate `json:"blocking_probability"`
	Passed     bool             `json:"passed"`
	Reason     string           `json:"reason"` // why it failed; "" when it passed
}

// GroupCheck is a group of populations (run.groups) held to its own
// limits on its joins pooled: in each replication, the violations (or
// blocked joins) of all its populations over the joins all of them
// offered, then estimated over replications.
type GroupCheck struct {
	ID          string   `json:"id"`
	Populations []string `json:"populations"`
	// Chosen says how the scenario chooses its populations: "select
	// {jurisdiction: EU}", "rule eu-calls", "populations a, b".
	Chosen string `json:"chosen"`
	// At is where the group is declared in the scenario, and SetBy the
	// override that declared it when the file does not ("" otherwise).
	At      results.Location `json:"at"`
	SetBy   string           `json:"set_by,omitempty"`
	Offered results.Estimate `json:"offered"` // joins per replication, all its populations
	Rates   []GroupRate      `json:"rates"`   // each plane's violation rate, then blocking
	Passed  bool             `json:"passed"`
	Reasons []string         `json:"reasons"` // why it failed, one sentence each
}

// GroupRate is one rate of a group's pooled joins — a plane's violation
// rate, or blocking — and the group's limit for it (null when the group
// sets none: the rate is reported, not held).
type GroupRate struct {
	Figure string           `json:"figure"` // media, keys, connector or blocking
	Rate   results.Estimate `json:"rate"`
	Limit  *float64         `json:"limit"`
	Passed bool             `json:"passed"`
}

// BlockingFigure names blocking among a group's rates.
const BlockingFigure = "blocking"

// judgeLimits holds the simulated blocking of every population to the
// blocking limit, when there is one, and every group of the scenario to
// its limits.
func (r *Report) judgeLimits(in Input) {
	if in.Report == nil {
		return
	}
	s := in.Scenario
	if in.MaxBlocking != nil {
		r.MaxBlocking, r.MaxBlockingSource = in.MaxBlocking, in.MaxBlockingSource
		if in.MaxBlockingSource == MaxBlockingInScenario {
			pos := s.Source.Pos("run.max_blocking")
			r.MaxBlockingAt = &results.Location{Path: "run.max_blocking", Line: pos.Line, Column: pos.Column}
		}
		r.Blocking = []BlockingCheck{}
		for _, p := range in.Report.Populations {
			b := BlockingCheck{Population: p.ID, Blocking: p.BlockingProbability, Passed: true}
			if Exceeds(b.Blocking, *in.MaxBlocking, in.Decide) {
				b.Passed = false
				b.Reason = exceedsSentence("blocking", "no blocked join", b.Blocking, *in.MaxBlocking, in.MaxBlockingSource, in.Decide)
				r.Passed = false
				r.Failures = append(r.Failures, p.ID+" blocking: "+b.Reason)
			}
			r.Blocking = append(r.Blocking, b)
		}
	}
	for i := range s.Run.Groups {
		g := &s.Run.Groups[i]
		figures := in.Report.Group(string(g.ID))
		if figures == nil {
			continue
		}
		path := scenarios.Index("run.groups", i)
		pos := s.Source.Pos(path)
		gc := GroupCheck{ID: string(g.ID), Populations: figures.Populations, Chosen: chosen(g), At: results.Location{Path: path, Line: pos.Line, Column: pos.Column},
			Offered: figures.Offered, Passed: true, Reasons: []string{}}
		if o, ok := s.Source.OverriddenBy(path); ok {
			gc.SetBy = strings.TrimSpace(o.Origin + " " + o.String())
		}
		source := fmt.Sprintf("run.groups[%s]", g.ID)
		hold := func(figure string, rate results.Estimate, limit *scenarios.Probability) {
			gr := GroupRate{Figure: figure, Rate: rate, Passed: true}
			if limit != nil {
				l := float64(*limit)
				gr.Limit = &l
				if Exceeds(rate, l, in.Decide) {
					gr.Passed, gc.Passed = false, false
					what, none := figure+" violation rate", "no "+figure+" violation"
					if figure == BlockingFigure {
						what, none = figure, "no blocked join"
					}
					gc.Reasons = append(gc.Reasons, exceedsSentence(what+" of its joins", none, rate, l, source, in.Decide))
				}
			}
			gc.Rates = append(gc.Rates, gr)
		}
		for p := range sim.NumPlanes {
			hold(results.PlaneName(p), *figures.ViolationRate.At(p), g.MaxViolationRate.For(scenarios.Planes[p]))
		}
		hold(BlockingFigure, figures.BlockingProbability, g.MaxBlocking)
		if !gc.Passed {
			r.Passed = false
			for _, reason := range gc.Reasons {
				r.Failures = append(r.Failures, "group "+gc.ID+": "+reason)
			}
		}
		r.Groups = append(r.Groups, gc)
	}
}

// MaxBlockingInScenario is the source of a blocking limit the scenario
// sets.
const MaxBlockingInScenario = "scenario run.max_blocking"

// exceedsSentence says why a rate fails its limit, as decide judged it:
// "blocking 4.13% [3.9%, 4.4%] exceeds 1% (--max-blocking)"; none says
// that no event was simulated ("no violation").
func exceedsSentence(what, none string, rate results.Estimate, limit float64, source, decide string) string {
	upper := strconv.FormatFloat(rate.Upper, 'g', 3, 64)
	switch {
	case decide == DecideUpper && rate.UpperBy == results.UpperClopperPearson:
		return fmt.Sprintf("%s simulated, but too few joins to rule out a rate above the limit: the 95%% upper bound %s exceeds %s (%s)",
			none, upper, results.LimitText(limit), source)
	case decide == DecideUpper:
		return fmt.Sprintf("%s %s has a 95%% upper bound %s above %s (%s)", what, RateWithInterval(rate), upper, results.LimitText(limit), source)
	}
	return fmt.Sprintf("%s %s exceeds %s (%s)", what, RateWithInterval(rate), results.LimitText(limit), source)
}

// chosen says how a group chooses its populations, as the scenario writes
// it.
func chosen(g *scenarios.Group) string {
	switch {
	case g.Select != nil:
		var parts []string
		for _, f := range []struct{ key, value string }{{"region", string(g.Select.Region)}, {"jurisdiction", string(g.Select.Jurisdiction)}, {"plan", string(g.Select.Plan)}} {
			if f.value != "" {
				parts = append(parts, f.key+": "+f.value)
			}
		}
		return "select {" + strings.Join(parts, ", ") + "}"
	case g.Rule != "":
		return "rule " + g.Rule
	}
	ids := make([]string, len(g.Populations))
	for i, id := range g.Populations {
		ids[i] = string(id)
	}
	return "populations " + strings.Join(ids, ", ")
}

// limitLines says why blocking and groups failed, each starting with
// where to look: the limit in the scenario, or the group's declaration.
func (r *Report) limitLines() []string {
	var lines []string
	at := r.Scenario.File
	if l := r.MaxBlockingAt; l != nil {
		at = results.FileLine(r.Scenario.File, l.Line, l.Column)
	}
	for _, b := range r.Blocking {
		if !b.Passed {
			lines = append(lines, at+": "+b.Population+" blocking: "+b.Reason)
		}
	}
	for _, g := range r.Groups {
		if !g.Passed {
			at := results.FileLine(r.Scenario.File, g.At.Line, g.At.Column)
			if g.SetBy != "" {
				at = g.SetBy
			}
			lines = append(lines, at+": group "+g.ID+": "+strings.Join(g.Reasons, "; "))
		}
	}
	return lines
}

// FailedLimits counts the populations blocked past the blocking limit and
// the groups over a limit of theirs.
func (r *Report) FailedLimits() (blocking, groups int) {
	for _, b := range r.Blocking {
		if !b.Passed {
			blocking++
		}
	}
	for _, g := range r.Groups {
		if !g.Passed {
			groups++
		}
	}
	return blocking, groups
}

// LimitsVerdict says what of blocking and groups failed, for a verdict:
// "2 populations blocked past 1% (--max-blocking); group eu-calls over
// its limits"; "" when nothing did.
func (r *Report) LimitsVerdict() string {
	blocking, groups := r.FailedLimits()
	var parts []string
	if blocking > 0 {
		parts = append(parts, fmt.Sprintf("%d population%s blocked past %s (%s)", blocking, results.Plural(blocking), results.LimitText(*r.MaxBlocking), r.MaxBlockingSource))
	}
	if groups > 0 {
		var ids []string
		for _, g := range r.Groups {
			if !g.Passed {
				ids = append(ids, g.ID)
			}
		}
		parts = append(parts, fmt.Sprintf("group%s %s over %s limits", results.Plural(groups), andList(ids), map[bool]string{true: "its", false: "their"}[groups == 1]))
	}
	return strings.Join(parts, "; ")
}
