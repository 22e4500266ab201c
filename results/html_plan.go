package results

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/geofence/geofence/results/chart"
	"github.com/geofence/geofence/sim"
)

// planPage lays out the page of a plan: its answer, the figures against
// the value it varied with the answer and limits marked, and every
// evaluation it made.
func planPage(r *PlanReport, opt HTMLOptions) page {
	q := r.Question
	p := page{
		Kind:        "geofence plan report",
		Title:       r.Scenario.Name,
		Description: r.Scenario.Description,
		Generator:   toolName(r.Tool, r.Version),
		Date:        opt.Date,
	}
	how := "set to"
	if q.By == "scale" {
		how = "multiplied by"
	}
	question := fmt.Sprintf("The %s value from %s to %s, in steps of %s, with %s %s it, that keeps every fence's violation rate's one-sided 95%% upper bound at or below its limit.",
		q.Goal, number(q.Min), number(q.Max), number(q.Step), strings.Join(q.Paths, " and "), how)
	answer := section{ID: "answer", Title: "Answer", Paragraphs: []string{question}}
	if a := r.Answer; a != nil {
		p.Verdict = &verdictLine{Text: "Answer: " + number(a.Value), Detail: "— " + a.Path + " " + how + " " + number(a.Value) + " keeps every fence within its limit.", Class: "pass"}
		answer.Blocks = append(answer.Blocks, block{Cards: []card{
			{Label: "Answer", Value: number(a.Value), Detail: a.Path},
			{Label: "Plausible range", Value: number(a.Plausible[0]) + " to " + number(a.Plausible[1]), Detail: "values the simulation cannot tell apart from the answer"},
			{Label: "Decided on", Value: strconv.Itoa(a.Replications) + " replications", Detail: "confirmed on " + strconv.Itoa(a.Confirmed)},
		}})
	} else {
		p.Verdict = &verdictLine{Text: "No answer", Detail: fmt.Sprintf("— no value from %s to %s keeps every fence's upper bound at or below its limit.", number(q.Min), number(q.Max)), Class: "fail"}
	}
	limits := make([]string, sim.NumPlanes)
	for pl := range sim.NumPlanes {
		limits[pl] = fmt.Sprintf("%s %s (%s)", planeName(pl), limitText(r.Limits[pl]), r.LimitSource[pl])
	}
	answer.Blocks = append(answer.Blocks, block{Note: "Limits: " + strings.Join(limits, ", ") + "."})
	p.Sections = []section{answer, planFiguresSection(r), planEvaluationsSection(r)}
	// A plan runs each value on replications of its own: no one number.
	seed := []term{{"seed", strconv.FormatUint(r.Seed, 10)}}
	p.Sections = append(p.Sections,
		provenanceSection(opt.Date, []term{{"tool", p.Generator}}, scenarioFacts("", r.Scenario), seed),
		definitionsSection(r.Definitions))
	return p
}

// decisiveEvaluations keeps, of the evaluations of each value, the one on the most
// replications (the last made among equals), in order of value.
func decisiveEvaluations(r *PlanReport) []PlanEvaluation {
	var out []PlanEvaluation
	for _, e := range r.Evaluations {
		i := slices.IndexFunc(out, func(o PlanEvaluation) bool { return o.Value == e.Value })
		switch {
		case i < 0:
			out = append(out, e)
		case e.Replications >= out[i].Replications:
			out[i] = e
		}
	}
	slices.SortFunc(out, func(a, b PlanEvaluation) int { return cmp.Compare(a.Value, b.Value) })
	return out
}

// planFiguresSection draws, against the value varied, each plane's total
// violation rate with its limit and blocking, the answer marked.
func planFiguresSection(r *PlanReport) section {
	path := strings.Join(r.Question.Paths, ", ")
	s := section{ID: "figures", Title: "Against " + path,
		Paragraphs: []string{"All populations together at each value evaluated (its evaluation on the most replications), with the 95% interval shaded; a rate no replication saw is drawn at 0 with its interval up to its 95% upper bound. The plan decides on each fence's upper bound, which the table of evaluations shows for the worst fence."}}
	evals := decisiveEvaluations(r)
	x := make([]float64, len(evals))
	ticks := make([]string, len(evals))
	for i, e := range evals {
		x[i], ticks[i] = e.Value, number(e.Value)
	}
	var answerRule []chart.Rule
	if r.Answer != nil {
		answerRule = []chart.Rule{{At: r.Answer.Value, Label: "answer " + number(r.Answer.Value)}}
	}
	addChart := func(name string, of func(*Figures) Estimate, limit *float64) {
		lines := chart.Lines{Title: capitalize(name) + " against " + path, XLabel: path, YLabel: name + " (%)", X: x, XTicks: ticks, Rules: slices.Clone(answerRule)}
		series := chart.Series{Name: "all populations"}
		for _, e := range evals {
			addRate(&series, of(&e.Total))
		}
		lines.Series = []chart.Series{series}
		if limit != nil {
			lines.Rules = append(lines.Rules, chart.Rule{Across: true, At: 100 * *limit, Label: "limit " + percent(*limit)})
		}
		s.Blocks = append(s.Blocks, block{Figure: &figure{chart: lines, Caption: capitalize(name) + " of all populations at each value evaluated, mean and 95% interval."}})
	}
	for pl := range sim.NumPlanes {
		seen := slices.ContainsFunc(evals, func(e PlanEvaluation) bool { return e.Total.ViolationRate.at(pl).UpperBy != UpperClopperPearson })
		if !seen {
			continue
		}
		limit := r.Limits[pl]
		addChart(planeName(pl)+" violation rate", func(f *Figures) Estimate { return *f.ViolationRate.at(pl) }, &limit)
	}
	addChart("blocking probability", func(f *Figures) Estimate { return f.BlockingProbability }, nil)
	return s
}

// planEvaluationsSection lists every evaluation in the order made.
func planEvaluationsSection(r *PlanReport) section {
	t := &table{
		Caption: "Evaluations, in the order made: passed when every fence's upper bound is at or below its limit, not significantly above when every fence's interval reaches down to it",
		Class:   "compact",
		Header:  []string{"value", "replications", "passed", "not significantly above", "worst fence", "its violation rate", "blocking"},
	}
	for pl := range sim.NumPlanes {
		t.Header = append(t.Header, planeName(pl)+" violation rate")
	}
	for _, e := range r.Evaluations {
		passed := cell{Text: "yes", Class: "pass-cell"}
		if !e.Passed {
			passed = cell{Text: "no", Class: "fail-cell"}
		}
		row := []cell{
			{Text: number(e.Value), Header: true}, num(strconv.Itoa(e.Replications)), passed, {Text: yesNo(e.NotAbove)},
			{Text: e.Worst.Population + " " + e.Worst.Plane}, rateWithUpperCell(e.Worst.Rate), rateWithUpperCell(e.Total.BlockingProbability),
		}
		for pl := range sim.NumPlanes {
			row = append(row, rateWithUpperCell(*e.Total.ViolationRate.at(pl)))
		}
		t.Rows = append(t.Rows, row)
	}
	return section{ID: "evaluations", Title: "Evaluations", Blocks: []block{{Table: t}}}
}
