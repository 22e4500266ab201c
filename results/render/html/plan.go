package html

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/render/html/chart"
	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/sim"
)

// planPage lays out the page of a plan: its answer, the figures against
// the value it varied with the answer and limits marked, and every
// evaluation it made.
func planPage(r *study.PlanReport, opt Options) page {
	q := r.Question
	p := newPage(r.Header, opt, r.Scenario.Name, r.Scenario.Description)
	p.Conditions = conditionsLine(r.Scenario, "every value tried alike")
	how := render.PlanHow(q)
	question := fmt.Sprintf("The %s value from %s to %s, in steps of %s, with %s %s it, that keeps every fence's violation rate's one-sided 95%% upper bound at or below its limit.",
		q.Goal, results.Number(q.Min), results.Number(q.Max), results.Number(q.Step), strings.Join(q.Paths, " and "), how)
	answer := section{ID: "answer", Title: "Answer", Paragraphs: []string{question}}
	if a := r.Answer; a != nil {
		p.Verdict = &verdictLine{Text: "Answer: " + results.Number(a.Value), Detail: "— " + a.Path + " " + how + " " + results.Number(a.Value) + " keeps every fence within its limit.", Class: "pass"}
		answer.Blocks = append(answer.Blocks, block{Cards: []card{
			{Label: "Answer", Value: results.Number(a.Value), Detail: a.Path},
			{Label: "Plausible range", Value: results.Number(a.Plausible[0]) + " to " + results.Number(a.Plausible[1]), Detail: "values the simulation cannot tell apart from the answer"},
			{Label: "Decided on", Value: strconv.Itoa(a.Replications) + " replications", Detail: "confirmed on " + strconv.Itoa(a.Confirmed)},
		}})
	} else {
		p.Verdict = &verdictLine{Text: "No answer", Detail: fmt.Sprintf("— no value from %s to %s keeps every fence's upper bound at or below its limit.", results.Number(q.Min), results.Number(q.Max)), Class: "fail"}
	}
	answer.Blocks = append(answer.Blocks, block{Note: "Limits: " + render.PlanLimits(r) + "."})
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
func decisiveEvaluations(r *study.PlanReport) []study.PlanEvaluation {
	var out []study.PlanEvaluation
	for _, e := range r.Evaluations {
		i := slices.IndexFunc(out, func(o study.PlanEvaluation) bool { return o.Value == e.Value })
		switch {
		case i < 0:
			out = append(out, e)
		case e.Replications >= out[i].Replications:
			out[i] = e
		}
	}
	slices.SortFunc(out, func(a, b study.PlanEvaluation) int { return cmp.Compare(a.Value, b.Value) })
	return out
}

// planFiguresSection draws, against the value varied, each plane's total
// violation rate with its limit and blocking, the answer marked.
func planFiguresSection(r *study.PlanReport) section {
	path := strings.Join(r.Question.Paths, ", ")
	s := section{ID: "figures", Title: "Against " + path,
		Paragraphs: []string{"All populations together at each value evaluated (its evaluation on the most replications), with the 95% interval shaded; a rate no replication saw is drawn at 0 with its interval up to its 95% upper bound. The plan decides on each fence's upper bound, which the table of evaluations shows for the worst fence."}}
	evals := decisiveEvaluations(r)
	x := make([]float64, len(evals))
	ticks := make([]string, len(evals))
	for i, e := range evals {
		x[i], ticks[i] = e.Value, results.Number(e.Value)
	}
	var answerRule []chart.Rule
	if r.Answer != nil {
		answerRule = []chart.Rule{{At: r.Answer.Value, Label: "answer " + results.Number(r.Answer.Value)}}
	}
	addChart := func(name string, of func(*results.Figures) results.Estimate, limit *float64) {
		lines := chart.Lines{Title: capitalize(name) + " against " + path, XLabel: path, YLabel: name + " (%)", X: x, XTicks: ticks, Rules: slices.Clone(answerRule)}
		series := chart.Series{Name: "all populations"}
		for _, e := range evals {
			addRate(&series, of(&e.Total))
		}
		lines.Series = []chart.Series{series}
		if limit != nil {
			lines.Rules = append(lines.Rules, chart.Rule{Across: true, At: 100 * *limit, Label: "limit " + results.Percent(*limit)})
		}
		s.Blocks = append(s.Blocks, block{Figure: &figure{chart: lines, Caption: capitalize(name) + " of all populations at each value evaluated, mean and 95% interval."}})
	}
	for pl := range sim.NumPlanes {
		seen := slices.ContainsFunc(evals, func(e study.PlanEvaluation) bool {
			return e.Total.ViolationRate.At(pl).UpperBy != results.UpperClopperPearson
		})
		if !seen {
			continue
		}
		limit := r.Limits[pl]
		addChart(results.PlaneName(pl)+" violation rate", func(f *results.Figures) results.Estimate { return *f.ViolationRate.At(pl) }, &limit)
	}
	addChart("blocking probability", func(f *results.Figures) results.Estimate { return f.BlockingProbability }, nil)
	return s
}

// planEvaluationsSection lists every evaluation in the order made.
func planEvaluationsSection(r *study.PlanReport) section {
	t := &table{
		Caption: "Evaluations, in the order made: passed when every fence's upper bound is at or below its limit, not significantly above when every fence's interval reaches down to it",
		Class:   "compact",
		Header:  append([]string{"value", "replications", "passed", "not significantly above"}, append(render.WorstHeader(r), "blocking")...),
	}
	for pl := range sim.NumPlanes {
		t.Header = append(t.Header, results.PlaneName(pl)+" violation rate")
	}
	for _, e := range r.Evaluations {
		passed := cell{Text: "yes", Class: "pass-cell"}
		if !e.Passed {
			passed = cell{Text: "no", Class: "fail-cell"}
		}
		row := []cell{
			{Text: results.Number(e.Value), Header: true}, num(strconv.Itoa(e.Replications)), passed, {Text: render.YesNo(e.NotAbove)},
			{Text: render.WorstText(e.Worst)}, rateWithUpperCell(e.Worst.Rate), rateWithUpperCell(e.Total.BlockingProbability),
		}
		for pl := range sim.NumPlanes {
			row = append(row, rateWithUpperCell(*e.Total.ViolationRate.At(pl)))
		}
		t.Rows = append(t.Rows, row)
	}
	return section{ID: "evaluations", Title: "Evaluations", Blocks: []block{{Table: t}}}
}
