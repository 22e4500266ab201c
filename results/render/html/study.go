package html

import (
	"cmp"
	"fmt"
	"math"
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

// maxFacets bounds the charts of one figure against one axis when a study
// has more than two axes: one chart per combination of the other axes'
// values, the rest in the table of all points.
const maxFacets = 4

// sweepPage lays out the page of a sweep: each figure against each axis,
// a line per value of a second axis, then every point.
func sweepPage(r *study.SweepReport, opt Options) page {
	p := newPage(r.Header, opt, r.Study.File, fmt.Sprintf("Scenario %s at %d points of %d axes, %d replications each on the same seed (common random numbers): differences between points are paired.", r.Scenario.Name, len(r.Points), len(r.Axes), r.Replications))
	p.Conditions = conditionsLine(results.ScenarioRef{InWords: slices.Concat(r.Scenario.InWords, r.AtEveryPoint)}, "every point alike")
	axes := &table{Caption: "The study's axes: the first is outermost", Header: []string{"axis", "values"}}
	if slices.ContainsFunc(r.Axes, func(a study.SweepAxis) bool { return a.Zip != 0 }) {
		axes.Caption += "; the axes of a zip move together, value k of each at once"
	}
	for i, a := range r.Axes {
		values := cell{Text: strings.Join(a.Values, ", ")}
		for j, b := range r.Axes {
			if j != i && tied(r, i, j) {
				values.Sub = strings.TrimPrefix(values.Sub+", ", ", ") + "with " + b.Path
			}
		}
		axes.Rows = append(axes.Rows, []cell{{Text: a.Path, Header: true, Class: "mono"}, values})
	}
	p.Sections = append(p.Sections, section{ID: "study", Title: "Study", Blocks: []block{
		{Cards: []card{
			{Label: "Points", Value: strconv.Itoa(len(r.Points))},
			{Label: "Replications at each", Value: strconv.Itoa(r.Replications)},
			{Label: "Seed", Value: strconv.FormatUint(r.Seed, 10)},
		}},
		{Table: axes},
	}})
	if words := render.InWordsText(r.AtEveryPoint); words != "" {
		p.Sections[len(p.Sections)-1].Blocks = append(p.Sections[len(p.Sections)-1].Blocks, block{Note: "At every point, from the study: " + words + "."})
	}
	for i := range r.Axes {
		p.Sections = append(p.Sections, axisSection(r, i))
	}
	study := []term{{"study", r.Study.File + " (sha256 " + r.Study.SHA256 + ")"}, {"tool", p.Generator}}
	p.Sections = append(p.Sections, pointsSection(r),
		provenanceSection(opt.Date, study, scenarioFacts("", r.Scenario), seedFacts(r.Seed, r.Replications)),
		definitionsSection(r.Definitions))
	return p
}

// sweepFigure is a figure of a point's total that the page draws against
// the axes.
type sweepFigure struct {
	name string
	of   func(*study.SweepPoint) results.Estimate
}

// sweepFigures are total blocking and each plane's violation rate.
func sweepFigures() []sweepFigure {
	figures := []sweepFigure{{"blocking probability", func(pt *study.SweepPoint) results.Estimate { return pt.Total.BlockingProbability }}}
	for p := range sim.NumPlanes {
		figures = append(figures, sweepFigure{results.PlaneName(p) + " violation rate", func(pt *study.SweepPoint) results.Estimate { return *pt.Total.ViolationRate.At(p) }})
	}
	return figures
}

// axisSection draws every figure against axis x: a chart per figure (per
// combination of the other axes beyond the second, up to maxFacets), a
// line per value of the second axis, and the numbers under each chart.
func axisSection(r *study.SweepReport, x int) section {
	axis := r.Axes[x]
	s := section{ID: "axis-" + strconv.Itoa(x+1), Title: "Against " + axis.Path}
	lineAxis := -1
	for a := range r.Axes {
		if a != x && !tied(r, a, x) {
			lineAxis = a
			break
		}
	}
	s.Paragraphs = []string{"Each figure for all populations together at each value of " + axis.Path + ", with its 95% confidence interval shaded; a rate no replication saw is drawn at 0 with its interval up to its 95% upper bound."}
	if lineAxis >= 0 {
		s.Paragraphs[0] += " One line per value of " + r.Axes[lineAxis].Path + "."
	}
	positions, ticks := axisPositions(axis.Values)
	facets := sweepFacets(r, x, lineAxis)
	if len(facets) > maxFacets {
		s.Paragraphs = append(s.Paragraphs, fmt.Sprintf("The charts show the first %d of the %d combinations of the other axes; every point is in the table of all points.", maxFacets, len(facets)))
		facets = facets[:maxFacets]
	}
	for _, f := range sweepFigures() {
		if !sweepSeen(r, f) {
			s.Blocks = append(s.Blocks, block{Note: capitalize(f.name) + ": no replication saw any at any point; the upper bounds are in the table of all points."})
			continue
		}
		for _, facet := range facets {
			title := capitalize(f.name) + " against " + axis.Path
			if facet.label != "" {
				title += " (" + facet.label + ")"
			}
			lines := chart.Lines{Title: title, XLabel: axis.Path, YLabel: f.name + " (%)", X: positions, XTicks: ticks}
			t := &table{Caption: capitalize(f.name) + ": mean ± half-width, and under it (≤) the 95% upper bound; " + axis.Path + " down, the lines across", Class: "compact", Header: []string{axis.Path}}
			lineValues := []string{""}
			if lineAxis >= 0 {
				lineValues = r.Axes[lineAxis].Values
			}
			rows := make([][]cell, len(axis.Values))
			for i, v := range axis.Values {
				rows[i] = []cell{{Text: v, Header: true}}
			}
			for li, lv := range lineValues {
				series := chart.Series{Name: sweepLineName(r, lineAxis, lv), Colour: li}
				t.Header = append(t.Header, series.Name)
				for i, v := range axis.Values {
					e := results.Estimate{Mean: math.NaN(), Low: math.NaN(), High: math.NaN()}
					if pt := sweepPointAt(r, facet.values, x, v, lineAxis, lv); pt != nil {
						e = f.of(pt)
					}
					addRate(&series, e)
					rows[i] = append(rows[i], rateWithUpperCell(e))
				}
				lines.Series = append(lines.Series, series)
			}
			t.Rows = rows
			s.Blocks = append(s.Blocks, block{Figure: &figure{chart: lines, Caption: capitalize(f.name) + " of all populations at each value of " + axis.Path + "; mean of " + strconv.Itoa(r.Replications) + " replications, shaded its 95% interval."}}, block{Table: t})
		}
	}
	return s
}

// facet is a combination of values of the axes a chart holds fixed: those
// other than its x and line axes. values has an entry per axis, "" for the
// two it does not fix.
type facet struct {
	values []string
	label  string
}

// sweepFacets lists the combinations of the axes other than x and line, in
// point order.
func sweepFacets(r *study.SweepReport, x, line int) []facet {
	var out []facet
	seen := map[string]bool{}
	for _, pt := range r.Points {
		values := slices.Clone(pt.Values)
		var parts []string
		for a := range values {
			if a == x || a == line || tied(r, a, x) || line >= 0 && tied(r, a, line) {
				values[a] = ""
				continue
			}
			parts = append(parts, r.Axes[a].Path+" = "+values[a])
		}
		key := strings.Join(values, "\x00")
		if !seen[key] {
			seen[key] = true
			out = append(out, facet{values: values, label: strings.Join(parts, ", ")})
		}
	}
	return out
}

// tied reports whether axes a and b move together, in one zip.
func tied(r *study.SweepReport, a, b int) bool {
	return r.Axes[a].Zip != 0 && r.Axes[a].Zip == r.Axes[b].Zip
}

// sweepPointAt is the point at the facet's values with axis x at xv and axis
// line (when not -1) at lv; nil when the study has none.
func sweepPointAt(r *study.SweepReport, fixed []string, x int, xv string, line int, lv string) *study.SweepPoint {
	for i := range r.Points {
		pt := &r.Points[i]
		match := len(pt.Values) == len(r.Axes)
		for a := 0; match && a < len(pt.Values); a++ {
			switch {
			case a == x:
				match = pt.Values[a] == xv
			case a == line:
				match = pt.Values[a] == lv
			case tied(r, a, x) || line >= 0 && tied(r, a, line):
				// moves with x or the line: its value follows theirs
			default:
				match = pt.Values[a] == fixed[a]
			}
		}
		if match {
			return pt
		}
	}
	return nil
}

// sweepLineName names the line of value v of axis line by the axis's last
// two steps, "secondaries.picks = 2", short enough for a legend; "all
// populations" for a study of one axis.
func sweepLineName(r *study.SweepReport, line int, v string) string {
	if line < 0 {
		return "all populations"
	}
	path := r.Axes[line].Path
	steps := strings.Split(path, ".")
	if len(steps) > 2 {
		path = strings.Join(steps[len(steps)-2:], ".")
	}
	return path + " = " + v
}

// sweepSeen reports whether some replication at some point saw the figure.
func sweepSeen(r *study.SweepReport, f sweepFigure) bool {
	return slices.ContainsFunc(r.Points, func(pt study.SweepPoint) bool { return f.of(&pt).UpperBy != results.UpperClopperPearson })
}

// axisPositions places an axis's values: at their numbers when every one
// is a number, in order, else one apart in the study's order; labelled as
// the study writes them.
func axisPositions(values []string) ([]float64, []string) {
	positions := make([]float64, len(values))
	numeric := true
	for i, v := range values {
		x, err := strconv.ParseFloat(strings.TrimSpace(v), 64)
		if err != nil || math.IsNaN(x) || math.IsInf(x, 0) || (i > 0 && x <= positions[i-1]) {
			numeric = false
			break
		}
		positions[i] = x
	}
	if !numeric {
		for i := range positions {
			positions[i] = float64(i)
		}
	}
	return positions, slices.Clone(values)
}

// pointsSection lists every point with its totals.
func pointsSection(r *study.SweepReport) section {
	t := &table{Caption: "Every point, all populations: mean ± half-width, and under it (≤) the 95% upper bound", Class: "compact", Header: render.PointsHeader(r)}
	for _, pt := range r.Points {
		var row []cell
		for i, v := range pt.Values {
			row = append(row, cell{Text: v, Header: i == 0})
		}
		row = append(row, num(countText(pt.Headline.JoinsPerDay)), rateWithUpperCell(pt.Total.BlockingProbability))
		for p := range sim.NumPlanes {
			row = append(row, rateWithUpperCell(*pt.Total.ViolationRate.At(p)))
		}
		t.Rows = append(t.Rows, row)
	}
	return section{ID: "points", Title: "All points", Blocks: []block{{Table: t}}}
}

// addRate adds a rate to a line, in percent: its mean and 95% interval,
// or, when no replication saw any, 0 and an interval up to its upper
// bound.
func addRate(s *chart.Series, e results.Estimate) {
	if e.UpperBy == results.UpperClopperPearson {
		e.Low, e.High = 0, e.Upper
	}
	addPoints(s, e, render.Fraction)
}

// rateWithUpperCell writes a rate as rateCell does, with its upper bound
// under it when some replication saw events.
func rateWithUpperCell(e results.Estimate) cell {
	c := num(render.RateCell(e))
	if e.UpperBy == results.UpperStudentT {
		c.Sub = "≤ " + results.Percent(e.Upper)
	}
	return c
}
