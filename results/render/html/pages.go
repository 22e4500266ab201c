package html

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/legend"
	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/render/html/chart"
	"github.com/geofence/geofence/sim"
)

// The pages of each kind of result, in the order the issue that asked for
// them reads: the headline, forbidden landings over the day, utilisation
// against capacity, the blame, the static fences, the baseline's cost and
// benefit, provenance, and the definitions of every figure shown.

// runPage lays out the page of a run.
func runPage(r *results.Report, opt Options) page {
	p := newPage(r.Header, opt, r.Scenario.Name, r.Scenario.Description)
	p.Verdict = &verdictLine{Text: "No verdict", Detail: "— a run simulates; geofence check holds the figures to the policy's limits.", Class: "none"}
	p.Conditions = conditionsLine(r.Scenario, "")
	p.Sections = []section{
		headlineSection(r, nil),
		forbiddenSection(r),
		utilisationSection(r),
		blameSection(r, nil),
		provenanceSection(opt.Date, []term{{"tool", p.Generator}}, scenarioFacts("", r.Scenario), seedFacts(r.Seed, r.Replications), simulationFacts(r)),
		definitionsSection(r.Definitions),
	}
	return p
}

// checkPage lays out the page of a check, and of the run it rests on
// unless it is static only.
func checkPage(c *check.Report, opt Options) page {
	p := newPage(c.Header, opt, c.Scenario.Name, c.Scenario.Description)
	p.Verdict = checkVerdict(c)
	sides := ""
	if c.Baseline != nil {
		sides = "this scenario and its baseline " + c.Baseline.Scenario.Name + " alike"
	}
	p.Conditions = conditionsLine(c.Scenario, sides)
	r := c.Simulation
	p.Sections = append(p.Sections, headlineSection(r, c))
	if r != nil {
		p.Sections = append(p.Sections, forbiddenSection(r), utilisationSection(r), blameSection(r, c))
	} else {
		p.Sections = append(p.Sections, section{ID: "simulation", Title: "Simulation",
			Paragraphs: []string{"Not simulated: this is a static-only check. Forbidden landings over the day, utilisation and the blame of simulated landings need geofence check without --static-only."}})
	}
	p.Sections = append(p.Sections, fencesSection(c))
	if len(c.Blocking) > 0 || len(c.Groups) > 0 {
		p.Sections = append(p.Sections, limitsSection(c))
	}
	if c.Baseline != nil {
		p.Sections = append(p.Sections, baselineSection(c))
	}
	defs := slices.Clone(c.Definitions)
	if r != nil {
		for _, d := range r.Definitions {
			if !slices.ContainsFunc(defs, func(e legend.Definition) bool { return e.Figure == d.Figure }) {
				defs = append(defs, d)
			}
		}
	}
	p.Sections = append(p.Sections,
		provenanceSection(opt.Date, []term{{"tool", p.Generator}}, scenarioFacts("", c.Scenario), seedFacts(c.Seed, c.Replications), simulationFacts(r), checkProvenance(c)),
		definitionsSection(defs))
	return p
}

// checkVerdict is PASS or FAIL with how many fences failed and what the
// simulated rates were judged by.
func checkVerdict(c *check.Report) *verdictLine {
	if c.Passed {
		return &verdictLine{Text: "PASS", Detail: fmt.Sprintf("— every one of the %d fences holds.", len(c.Fences)), Class: "pass"}
	}
	how := "a forbidden datacenter is reachable"
	if c.Replications > 0 {
		how += " or a simulated violation rate exceeds its limit (judged by its " + decidedWord(c) + ")"
	}
	var why []string
	if failed := render.FailedFences(c); failed > 0 || len(limitReasons(c)) == 0 {
		why = append(why, fmt.Sprintf("%d of %d fences break: %s", failed, len(c.Fences), how))
	}
	why = append(why, limitReasons(c)...)
	return &verdictLine{Text: "FAIL", Detail: "— " + strings.Join(why, "; ") + ".", Class: "fail"}
}

// headlineSection is the answer first: traffic, blocking, and what left
// its fence and where to. r is nil for a static-only check.
func headlineSection(r *results.Report, c *check.Report) section {
	s := section{ID: "headline", Title: "Headline"}
	if r == nil {
		failing := 0
		for _, fc := range c.Fences {
			if len(fc.Static) > 0 {
				failing++
			}
		}
		s.Blocks = []block{{Cards: []card{{Label: "Fences a forbidden datacenter can reach", Value: fmt.Sprintf("%d of %d", failing, len(c.Fences)), Class: failClass(failing > 0)}}}}
		return s
	}
	h := r.Headline
	s.Paragraphs = []string{fmt.Sprintf("Every figure is the mean over %d replications (%s each) with the half-width of its 95%% confidence interval; a rate no replication saw is shown by its 95%% upper bound.",
		r.Replications, render.Duration(r.HorizonS-r.WarmupS)+" measured")}
	cards := []card{
		{Label: "Joins offered, a day", Value: countText(h.JoinsPerDay), Detail: "all populations"},
		{Label: "Joins blocked", Value: render.RateCell(h.Blocking), Detail: upperDetail(h.Blocking, render.AllJoins)},
	}
	for _, plane := range []struct {
		p     sim.Plane
		label string
	}{{sim.Media, "Calls whose media left their fence"}, {sim.Keys, "Keys issued or copied outside their fence"}, {sim.Connector, "Dial-ins served outside their fence"}} {
		perDay := *h.PlaneViolationsPerDay.At(plane.p)
		rate := *r.Total.ViolationRate.At(plane.p)
		cd := card{Label: plane.label + ", a day", Value: countText(perDay), Class: failClass(perDay.Mean > 0)}
		if rate.UpperBy == results.UpperClopperPearson {
			cd.Value = fmt.Sprintf("none in %d replications", r.Replications)
			cd.Detail = "rate " + render.RateCell(rate) + " " + render.AllJoins + " (95% upper bound)"
		} else {
			cd.Detail = render.RateCell(rate) + " " + render.AllJoins + "; " + upperDetail(rate, "")
		}
		cards = append(cards, cd)
	}
	if c != nil {
		failed := render.FailedFences(c)
		cards = append(cards, card{Label: "Fences that break", Value: fmt.Sprintf("%d of %d", failed, len(c.Fences)), Detail: "a population's plane", Class: failClass(failed > 0)})
	}
	s.Blocks = append(s.Blocks, block{Cards: cards})
	if len(h.Forbidden) == 0 {
		s.Blocks = append(s.Blocks, block{Note: "Forbidden landings: " + render.ForbiddenSummary(r) + "."})
		return s
	}
	where := &table{
		Caption: "Where they landed: violations by the jurisdiction they landed in, all populations",
		Header:  []string{"what", "landed in", "a day", "per join offered (all populations)", "95% upper bound"},
	}
	for _, f := range h.Forbidden {
		where.Rows = append(where.Rows, []cell{
			{Text: render.LandingWhat(f.Plane, f.Via), Header: true}, {Text: f.Jurisdiction},
			num(render.FigureCell(r, f.PerDay, render.Count)), num(render.RateCell(f.Rate)), num(results.Percent(f.Rate.Upper)),
		})
	}
	s.Blocks = append(s.Blocks, block{Table: where})
	if len(h.WorstFences) > 0 {
		worst := &table{
			Caption: "Worst fences: the highest violation rates",
			Header:  []string{"population", "plane", "violation rate (of its joins)", "95% upper bound", "replications with violations"},
		}
		for _, f := range h.WorstFences {
			p := r.Population(f.Population)
			worst.Rows = append(worst.Rows, []cell{
				{Text: f.Population, Header: true}, {Text: f.Plane}, num(render.RateCell(f.Rate)), num(results.Percent(f.Rate.Upper)),
				num(render.ProportionCell(*p.ReplicationsWithViolations.At(results.PlaneIndex(f.Plane)))),
			})
		}
		s.Blocks = append(s.Blocks, block{Table: worst})
	}
	if len(r.Groups) > 0 {
		s.Blocks = append(s.Blocks, block{Table: groupFiguresTable(r)})
	}
	return s
}

// groupFiguresTable gives each group's rates of its joins pooled: the
// denominator a reader of "all EU calls" means.
func groupFiguresTable(r *results.Report) *table {
	t := &table{
		Caption: "Groups: each rate of the group's joins — its populations' violations (or blocked joins) over the joins they offered, pooled in each replication",
		Header:  []string{"group", "joins offered", "blocking"},
	}
	for p := range sim.NumPlanes {
		t.Header = append(t.Header, results.PlaneName(p)+" violation rate")
	}
	for _, g := range r.Groups {
		row := []cell{{Text: g.ID, Sub: strings.Join(g.Populations, ", "), Header: true}, num(render.FigureCell(r, g.Offered, render.Count)), num(render.RateCell(g.BlockingProbability))}
		for p := range sim.NumPlanes {
			row = append(row, num(render.RateCell(*g.ViolationRate.At(p))))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// forbiddenSection charts each plane's forbidden landings per bucket,
// stacked by the jurisdiction they landed in.
func forbiddenSection(r *results.Report) section {
	s := section{ID: "forbidden", Title: "Forbidden landings over the day"}
	if len(r.Series.ForbiddenTotals) == 0 {
		s.Paragraphs = []string{"No forbidden landing: " + render.ForbiddenSummary(r) + "."}
		return s
	}
	buckets := measuredBuckets(r)
	per := "per " + bucketWord(r.BucketS)
	s.Paragraphs = []string{fmt.Sprintf("Joins arriving in each %s that landed where their population's policy forbids, by the plane whose fence broke, stacked by the jurisdiction they landed in. Bars are means over %d replications; the whisker is the 95%% interval of the %s's total.",
		bucketWord(r.BucketS), r.Replications, bucketWord(r.BucketS))}
	colours := stackColours(r.Series.Forbidden)
	for _, band := range r.Series.ForbiddenTotals {
		bars := chart.StackedBars{
			Title:        capitalize(band.Plane) + ": forbidden landings " + per,
			XLabel:       "arrival time (UTC)",
			YLabel:       "violations " + per + " (mean)",
			Edges:        edgeLabels(r, buckets),
			Low:          pick(band.Low, buckets),
			High:         pick(band.High, buckets),
			IntervalName: "95% interval of the total",
		}
		t := &table{
			Caption: capitalize(band.Plane) + ": the numbers behind the chart, mean violations " + per + "; " + bucketWord(r.BucketS) + "s without any are left out",
			Class:   "compact",
			Header:  []string{"time (UTC)"},
		}
		var stacks []results.ForbiddenSeries
		for _, f := range r.Series.Forbidden {
			if f.Plane == band.Plane {
				stacks = append(stacks, f)
				name := stackName(f)
				bars.Stacks = append(bars.Stacks, chart.Stack{Name: name, Values: pick(f.Violations, buckets), Colour: colours[name]})
				t.Header = append(t.Header, name)
			}
		}
		t.Header = append(t.Header, "total", "95% interval")
		for _, b := range buckets {
			if !(band.Violations[b] > 0) {
				continue
			}
			row := []cell{{Text: r.Window(b), Header: true}}
			for _, f := range stacks {
				row = append(row, num(oneDecimal(f.Violations[b])))
			}
			row = append(row, num(oneDecimal(band.Violations[b])), num("["+oneDecimal(band.Low[b])+", "+oneDecimal(band.High[b])+"]"))
			t.Rows = append(t.Rows, row)
		}
		caption := fmt.Sprintf("Violations of the %s fence %s by arrival time, mean of %d replications, stacked by destination jurisdiction", band.Plane, per, r.Replications)
		if band.Plane == "keys" {
			caption += "; key copies are meeting keys copied to a dial-in connector"
		}
		s.Blocks = append(s.Blocks, block{Figure: &figure{chart: bars, Caption: caption + "."}}, block{Table: t})
	}
	return s
}

// utilisationClasses are the heat map's colour classes: fine near full,
// where congestion starts.
var utilisationClasses = []chart.Class{
	{Upper: 0.25, Label: "up to 25%"}, {Upper: 0.5, Label: "25–50%"}, {Upper: 0.8, Label: "50–80%"},
	{Upper: 0.95, Label: "80–95%"}, {Upper: 1, Label: "95–100%"},
}

// utilisationSection draws each datacenter plane's utilisation per bucket
// against its capacity then, with the timeline's events marked.
func utilisationSection(r *results.Report) section {
	s := section{ID: "utilisation", Title: "Datacenter utilisation over the day"}
	buckets := measuredBuckets(r)
	heat := chart.HeatMap{
		Title:   "Utilisation: occupancy against capacity per " + bucketWord(r.BucketS),
		XLabel:  "time (UTC)",
		Edges:   edgeLabels(r, buckets),
		Classes: utilisationClasses,
		Over:    chart.Class{Label: "over 100%"},
		Missing: "down (capacity 0)",
	}
	first := 0.0
	if len(buckets) > 0 {
		first = r.Series.StartS[buckets[0]]
	}
	var unlimited []string
	type heatRow struct {
		dc, plane string
		values    []float64
	}
	var rows []heatRow
	for _, d := range r.Series.Datacenters {
		for _, p := range d.Planes {
			name := d.ID + " " + p.Plane
			if !slices.ContainsFunc(pick(p.Capacity, buckets), func(c float64) bool { return !math.IsNaN(c) }) {
				unlimited = append(unlimited, name)
				continue
			}
			row := len(heat.Rows)
			heat.Rows = append(heat.Rows, name)
			heat.Values = append(heat.Values, pick(p.Utilisation, buckets))
			rows = append(rows, heatRow{d.ID, p.Plane, pick(p.Utilisation, buckets)})
			for _, e := range d.Timeline {
				x := (e.AtS - first) / r.BucketS
				switch e.State {
				case "down":
					heat.Marks = append(heat.Marks, chart.Mark{Row: row, X: x, Shape: chart.Cross, Label: "goes down"})
				case "up":
					heat.Marks = append(heat.Marks, chart.Mark{Row: row, X: x, Shape: chart.Ring, Label: "comes up"})
				}
				if slices.ContainsFunc(e.Capacity, func(c results.CapacityChange) bool { return c.Plane == p.Plane }) {
					heat.Marks = append(heat.Marks, chart.Mark{Row: row, X: x, Shape: chart.Diamond, Label: "capacity changes"})
				}
			}
		}
	}
	if len(heat.Rows) == 0 {
		s.Paragraphs = []string{"Every datacenter plane has unlimited capacity: there is no utilisation to show."}
	} else {
		s.Paragraphs = []string{fmt.Sprintf("Each cell is a datacenter plane's mean occupancy over the %s divided by its capacity then (mean of %d replications; the capacity follows the timeline, 0 while down). Marks show the timeline's outages and capacity changes.",
			bucketWord(r.BucketS), r.Replications)}
		s.Blocks = append(s.Blocks, block{Figure: &figure{chart: heat, Caption: "Utilisation per " + bucketWord(r.BucketS) + ", by datacenter and plane; grey cells were down throughout."}})
		// The numbers, a table per half day of buckets, and never more
		// than twelve, so that a line fits an A4 page.
		perTable := max(1, min(12, int(math.Round(43200/r.BucketS))))
		for from := 0; from < len(buckets); from += perTable {
			part := buckets[from:min(from+perTable, len(buckets))]
			t := &table{Class: "compact heat", Header: []string{"datacenter plane"}}
			t.Caption = "Utilisation in % per " + bucketWord(r.BucketS) + ", from " + r.Clock(r.Series.StartS[part[0]])
			for _, b := range part {
				t.Header = append(t.Header, r.ClockTime(r.Series.StartS[b]))
			}
			for _, hr := range rows {
				row := []cell{{Text: hr.dc + " " + hr.plane, Header: true}}
				for k := range part {
					row = append(row, utilisationCell(hr.values[from+k]))
				}
				t.Rows = append(t.Rows, row)
			}
			s.Blocks = append(s.Blocks, block{Table: t})
		}
	}
	s.Blocks = append(s.Blocks, block{Table: loadTable(r)})
	if events := timelineTable(r); len(events.Rows) > 0 {
		s.Blocks = append(s.Blocks, block{Table: events})
	}
	if len(unlimited) > 0 {
		s.Blocks = append(s.Blocks, block{Note: "Unlimited capacity, so no utilisation: " + strings.Join(unlimited, ", ") + "."})
	}
	return s
}

// loadTable gives each datacenter plane's load over the whole measured
// window, with intervals.
func loadTable(r *results.Report) *table {
	t := &table{
		Caption: "Over the whole measured window, per replication",
		Header:  []string{"datacenter plane", "mean occupancy", "utilisation", "time congestion", "down fraction"},
	}
	for _, d := range r.Datacenters {
		for _, p := range d.Planes {
			utilisation := "unlimited"
			if p.Utilisation != nil {
				utilisation = render.FigureCell(r, *p.Utilisation, render.Fraction)
			}
			t.Rows = append(t.Rows, []cell{
				{Text: d.ID + " " + p.Plane, Header: true}, num(render.FigureCell(r, p.MeanOccupancy, render.Count)), num(utilisation),
				num(render.FigureCell(r, p.TimeCongestion, render.Fraction)), num(render.FigureCell(r, p.DownFraction, render.Fraction)),
			})
		}
	}
	return t
}

// utilisationCell writes a utilisation as a whole percentage, coloured as
// the heat map colours it.
func utilisationCell(u float64) cell {
	if math.IsNaN(u) {
		return cell{Text: "down", Class: "u-missing"}
	}
	class := "u-over"
	for i, c := range utilisationClasses {
		if u <= c.Upper {
			class = "u-" + strconv.Itoa(i)
			break
		}
	}
	return cell{Text: strconv.FormatFloat(100*u, 'f', 0, 64), Class: class}
}

// timelineTable lists every datacenter's timeline events.
func timelineTable(r *results.Report) *table {
	t := &table{Caption: "Timeline: outages and capacity changes", Header: []string{"datacenter", "at", "change"}}
	for _, d := range r.Series.Datacenters {
		for _, e := range d.Timeline {
			var what []string
			if e.State != "" {
				what = append(what, map[string]string{"down": "goes down", "up": "comes up"}[e.State])
			}
			for _, c := range e.Capacity {
				capacity := "unlimited"
				if c.Capacity != nil {
					capacity = strconv.FormatInt(*c.Capacity, 10)
				}
				what = append(what, c.Plane+" capacity "+capacity)
			}
			t.Rows = append(t.Rows, []cell{{Text: d.ID, Header: true}, {Text: r.Clock(e.AtS)}, {Text: strings.Join(what, "; ")}})
		}
	}
	return t
}

// blameSection lists each scenario entry that let forbidden traffic in,
// with the fences it broke and, for a check, the witness that opens each.
func blameSection(r *results.Report, c *check.Report) section {
	s := section{ID: "blame", Title: "Blame: the entries that let forbidden traffic in"}
	if len(r.Blame) == 0 {
		s.Paragraphs = []string{"No entry of the scenario let a simulated join land where its policy forbids."}
		return s
	}
	s.Paragraphs = []string{fmt.Sprintf("Each entry is a whitelist member a forbidden secondary was picked from, or a primary a join was admitted at: the line to change. Landings are violations per replication (%s measured each), the entry's causes added up in each replication, with the 95%% interval.",
		render.Duration(r.HorizonS-r.WarmupS))}
	t := &table{
		Caption: "Entries of " + r.Scenario.File + ", at line:column",
		Class:   "blame",
		Header:  []string{"entry", "at", "lets in", "landings", "fence", "landings"},
	}
	if c != nil {
		t.Header = append(t.Header, "witness: full or down at once")
	} else {
		s.Paragraphs = append(s.Paragraphs, "The witness that opens each entry comes from the static check: geofence report on the scenario, or on a check result, shows it.")
	}
	for _, b := range r.Blame {
		for i, f := range b.Fences {
			// An entry's own cells are on its first row only, and not
			// spanned down its fences, so that a page can break anywhere
			// in a long list.
			row := []cell{{Header: true, Class: "more"}, {Class: "more"}, {Class: "more"}, {Class: "more"}}
			if i == 0 {
				row = []cell{
					{Text: entryName(b.At.Path), Header: true, Class: "mono"},
					{Text: render.Where(b.At.File, b.At.Line, b.At.Column), Class: "mono"},
					{Text: b.Datacenter + " (" + b.Jurisdiction + ")"},
					num(render.FigureCell(r, b.Count, render.Count)),
				}
			}
			fence := f.Population + " " + f.Plane
			if f.Via != f.Plane {
				fence += " via " + f.Via
			}
			row = append(row, cell{Text: fence}, num(render.FigureCell(r, f.Count, render.Count)))
			if c != nil {
				row = append(row, cell{Text: witnessOf(c, f, b.At.Path)})
			}
			t.Rows = append(t.Rows, row)
		}
	}
	s.Blocks = []block{{Table: t}}
	return s
}

// entryName names the entry at a scenario path as a reader finds it in
// the file, as the blame table names it.
func entryName(path string) string {
	return strings.TrimPrefix(strings.TrimPrefix(path, "routing."), "whitelists.")
}

// witnessOf names the datacenters that must be full or down for the
// fence's clients to come in through the entry at path, from the check's
// static findings.
func witnessOf(c *check.Report, f results.BlameFence, path string) string {
	for _, fc := range c.Fences {
		if fc.Population != f.Population || fc.Plane != f.Plane {
			continue
		}
		for _, finding := range fc.Static {
			if finding.Path == path && string(finding.Via) == f.Via {
				return diff.WitnessText(finding.Witness)
			}
		}
	}
	return "not found statically"
}

// fencesSection shows each fence's failure tolerance, population by
// plane, then the lints and the reasons fences fail.
func fencesSection(c *check.Report) section {
	s := section{ID: "fences", Title: "Static fences: failure tolerance"}
	s.Paragraphs = []string{"Found without simulating. A fence is a population's plane; its tolerance is the fewest datacenters that must be full or down at once for a client to land outside it — \"never\" when no state of the system does. Under each, the cheapest forbidden datacenter it reaches."}
	t := &table{Header: []string{"population", "allowed"}}
	for p := range sim.NumPlanes {
		t.Header = append(t.Header, results.PlaneName(p))
	}
	t.Header = append(t.Header, "check")
	for i := 0; i < len(c.Fences); {
		pop := c.Fences[i].Population
		row := []cell{{Text: pop, Header: true}, {Text: check.AllowedText(c.Fences[i].Policy)}}
		var failing []string
		for ; i < len(c.Fences) && c.Fences[i].Population == pop; i++ {
			fc := c.Fences[i]
			cl := cell{Text: check.ToleranceText(fc.Tolerance), Class: toleranceClass(fc.Tolerance)}
			if len(fc.Static) > 0 {
				f := fc.Static[0]
				cl.Sub = f.Datacenter + " (" + f.Jurisdiction + ")"
				if f.Via != f.Plane {
					cl.Sub += " via " + string(f.Via)
				}
				if more := len(fc.Static) - 1; more > 0 {
					cl.Sub += fmt.Sprintf(" +%d", more)
				}
			}
			row = append(row, cl)
			if !fc.Passed {
				failing = append(failing, fc.Plane)
			}
		}
		verdict := cell{Text: "PASS", Class: "pass-cell"}
		if len(failing) > 0 {
			verdict = cell{Text: "FAIL", Sub: strings.Join(failing, ", "), Class: "fail-cell"}
		}
		t.Rows = append(t.Rows, append(row, verdict))
	}
	t.Caption = "Tolerance per population and plane; the check column says which fences fail, statically or by simulation"
	s.Blocks = append(s.Blocks, block{Table: t})
	if len(c.Lints) > 0 {
		lints := &table{
			Caption: "Lints: what runs but may not be what was meant; they never fail the check",
			Class:   "compact",
			Header:  []string{"at", "rule", "severity", "message"},
		}
		for _, l := range c.Lints {
			lints.Rows = append(lints.Rows, []cell{{Text: render.Where(l.File, l.Line, l.Column), Header: true, Class: "mono"}, {Text: l.Rule}, {Text: string(l.Severity)}, {Text: l.Message}})
		}
		s.Blocks = append(s.Blocks, block{Table: lints})
	}
	return s
}

// toleranceClass colours a tolerance: the fewer datacenters it takes to
// break a fence, the redder.
func toleranceClass(tolerance int) string {
	switch {
	case tolerance < 0:
		return "tol-never"
	case tolerance <= 3:
		return "tol-" + strconv.Itoa(tolerance)
	}
	return ""
}

// baselineSection sets the change's benefit (violation rates removed)
// beside its cost (blocking added), population by population, each a
// paired change against the baseline.
func baselineSection(c *check.Report) section {
	b := c.Baseline
	s := section{ID: "baseline", Title: "Against the baseline: benefit and cost"}
	s.Paragraphs = []string{fmt.Sprintf("This scenario against baseline %s (%s), both run with seed %d and %d replications on the same arrival streams%s, so each change is the mean of paired differences, replication by replication, with its 95%% interval: far narrower than the two figures' own intervals suggest. Changes are in percentage points (pp).",
		b.Scenario.Name, b.Scenario.File, c.Seed, c.Replications, underClause(b.Scenario))}
	violations, blocking := violationColumns(), []changeColumn{blockingColumn}
	const change = "this − baseline (percentage points)"
	both := chart.Intervals{Title: "Benefit and cost against the baseline, per population", Rows: populationNames(b.Populations), Panels: []chart.Panel{
		changePanel("Benefit: change in violation rate", change, b.Populations, violations),
		changePanel("Cost: change in blocking", change, b.Populations, blocking),
	}}
	t := changeTable("Per population: violations removed (benefit) and blocking added (cost), paired changes this − baseline; "+significantNote,
		b.Populations, append(violations, blocking...))
	s.Blocks = []block{
		{Figure: &figure{chart: both, Caption: "Paired changes this − baseline with their 95% intervals: left of zero in the benefit panel, fewer violations than the baseline; right of zero in the cost panel, more joins blocked."}},
		{Table: t},
	}
	if note := unpairedNote(b.Comparison, "this scenario", "the baseline"); note != "" {
		s.Blocks = append(s.Blocks, block{Note: note})
	}
	return s
}

// significantNote says what the mark of a significant change means.
const significantNote = "* significant: the 95% interval of the paired change excludes 0"

// changeColumn is a figure whose paired change, population by population,
// a table shows in a column and a chart as a series.
type changeColumn struct {
	name   string      // of the column: "media violation rate"
	series string      // in a legend: "media"
	colour int         // the series' colour, an index into chart.Categorical
	u      render.Unit // fraction: changes in percentage points; millis: in ms
	of     func(*results.PopulationChange) results.Difference
}

// violationColumns are each plane's violation rate, in the plane's
// colour.
func violationColumns() []changeColumn {
	cols := make([]changeColumn, sim.NumPlanes)
	for p := range sim.NumPlanes {
		cols[p] = changeColumn{name: results.PlaneName(p) + " violation rate", series: results.PlaneName(p), colour: int(p), u: render.Fraction,
			of: func(pc *results.PopulationChange) results.Difference { return *pc.ViolationRate.At(p) }}
	}
	return cols
}

// The paired figures beside the violation rates, each in a colour no
// plane has.
var (
	blockingColumn = changeColumn{name: "blocking", series: "blocking", colour: 6, u: render.Fraction,
		of: func(pc *results.PopulationChange) results.Difference { return pc.Blocking }}
	secondaryColumn = changeColumn{name: "secondary share", series: "secondary share", colour: 4, u: render.Fraction,
		of: func(pc *results.PopulationChange) results.Difference { return pc.SecondaryShare }}
	latencyColumn = changeColumn{name: "p95 set-up latency", series: "p95 set-up latency", colour: 8, u: render.Millis,
		of: func(pc *results.PopulationChange) results.Difference { return pc.LatencyP95 }}
)

// populationNames are the rows of a chart of paired changes.
func populationNames(pcs []results.PopulationChange) []string {
	names := make([]string, len(pcs))
	for i, pc := range pcs {
		names[i] = pc.Population
	}
	return names
}

// changePanel is a panel of an Intervals chart with each column's paired
// changes as a series, a value per population.
func changePanel(title, xLabel string, pcs []results.PopulationChange, cols []changeColumn) chart.Panel {
	panel := chart.Panel{Title: title, XLabel: xLabel}
	for _, col := range cols {
		series := chart.Series{Name: col.series, Colour: col.colour}
		for i := range pcs {
			addPoints(&series, col.of(&pcs[i]).Change, col.u)
		}
		panel.Series = append(panel.Series, series)
	}
	return panel
}

// changeTable lays out paired changes: a row per population, a column per
// figure.
func changeTable(caption string, pcs []results.PopulationChange, cols []changeColumn) *table {
	t := &table{Caption: caption, Header: []string{"population"}}
	for _, col := range cols {
		t.Header = append(t.Header, col.name)
	}
	for i := range pcs {
		row := []cell{{Text: pcs[i].Population, Header: true}}
		for _, col := range cols {
			row = append(row, changeCell(col.of(&pcs[i]), col.u))
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// unpairedNote names the populations only one side of a comparison has,
// "" when both have the same.
func unpairedNote(c results.Comparison, this, baseline string) string {
	var unpaired []string
	if len(c.OnlyThis) > 0 {
		unpaired = append(unpaired, "only in "+this+", not compared: "+strings.Join(c.OnlyThis, ", "))
	}
	if len(c.OnlyBaseline) > 0 {
		unpaired = append(unpaired, "only in "+baseline+", not compared: "+strings.Join(c.OnlyBaseline, ", "))
	}
	if len(unpaired) == 0 {
		return ""
	}
	return capitalize(strings.Join(unpaired, "; ")) + ". The total is over the populations both have."
}

// addPoints adds a change to a series: a rate's in percentage points, a
// latency's in milliseconds.
func addPoints(s *chart.Series, e results.Estimate, u render.Unit) {
	scale := 100.0
	if u == render.Millis {
		scale = 1000
	}
	s.Mean = append(s.Mean, scale*e.Mean)
	s.Low = append(s.Low, scale*e.Low)
	s.High = append(s.High, scale*e.High)
}

// changeCell writes a paired change with its interval, signed and marked
// "*" when significant — a rate's in percentage points, a latency's in
// milliseconds — and under it the two sides.
func changeCell(d results.Difference, u render.Unit) cell {
	if u == render.Millis {
		text := "n/a"
		switch {
		case degenerate(d.Change):
			text = results.Signed(d.Change.Mean, strconv.FormatFloat(1000*d.Change.Mean, 'f', 1, 64)) + " ms in every replication"
		case !math.IsNaN(d.Change.Mean):
			text = results.Signed(d.Change.Mean, render.EstimateCell(d.Change, render.Millis, d.Change.N)) + " ms"
		}
		return cell{Text: render.Significant(text, d), Sub: render.EstimateCell(d.Baseline, render.Millis, d.Baseline.N) + " → " + render.EstimateCell(d.This, render.Millis, d.This.N) + " ms", Class: "num"}
	}
	if d.Baseline.UpperBy == results.UpperClopperPearson && d.This.UpperBy == results.UpperClopperPearson {
		return cell{Text: "none either side", Sub: render.RateCell(d.This), Class: "num"}
	}
	return cell{Text: render.Significant(results.Signed(d.Change.Mean, pointsText(d.Change)), d), Sub: render.RateCell(d.Baseline) + " → " + render.RateCell(d.This), Class: "num"}
}

// pointsText writes a change of a rate in percentage points, "-1.46 pp ±
// 0.067", "n/a" when unknown.
func pointsText(e results.Estimate) string {
	if math.IsNaN(e.Mean) {
		return "n/a"
	}
	s := strconv.FormatFloat(100*e.Mean, 'g', 3, 64) + " pp"
	switch {
	case degenerate(e):
		s += " in every replication"
	case !math.IsNaN(e.HalfWidth):
		s += " ± " + strconv.FormatFloat(100*e.HalfWidth, 'g', 2, 64)
	}
	return s
}

// degenerate reports whether a paired change is the same in every
// replication: it has no spread, and so no interval to show.
func degenerate(e results.Estimate) bool { return e.N >= 2 && e.HalfWidth == 0 }

// provenanceSection says exactly what was run — the tool, the scenario
// (see scenarioFacts), seed and replications, each kind of result's own
// facts — in the groups of facts given, then the date given.
func provenanceSection(date string, groups ...[]term) section {
	if date == "" {
		date = "not given (geofence report --date sets it; the page reads no clock, so that the same result always gives the same page)"
	}
	facts := append(slices.Concat(groups...), term{"date", date})
	return section{ID: "provenance", Title: "Provenance", Blocks: []block{{Facts: facts}}}
}

// seedFacts are the seed and the replications run on it.
func seedFacts(seed uint64, replications int) []term {
	return []term{{"seed", strconv.FormatUint(seed, 10)}, {"replications", strconv.Itoa(replications)}}
}

// simulationFacts say what was measured of a simulated run, and how its
// intervals are made; none for r nil, a static-only check.
func simulationFacts(r *results.Report) []term {
	if r == nil {
		return nil
	}
	facts := []term{
		{"measured", render.MeasuredText(r)},
		{"intervals", render.IntervalsText(r.Confidence)},
	}
	if r.Start != "" {
		facts = append(facts, term{"simulation time 0", r.Start})
	}
	return facts
}

// checkProvenance says what a check held the fences to: its limits,
// tolerance, decision and baseline.
func checkProvenance(c *check.Report) []term {
	var facts []term
	if limits := render.LimitsFact(c); limits != "" {
		facts = append(facts, term{"limits", limits})
	}
	facts = append(facts, term{"min tolerance", render.MinToleranceText(c.MinTolerance)})
	if c.Replications > 0 {
		facts = append(facts, term{"decided by", c.DecidedBy})
	}
	if b := c.Baseline; b != nil {
		facts = append(facts, term{"baseline", render.BaselineText(b.Scenario)})
	}
	return facts
}

// scenarioFacts identify a scenario by its name, file, hash and
// overrides; version, when not "", says which of two ("old", "new").
func scenarioFacts(version string, ref results.ScenarioRef) []term {
	name := func(n string) string { return strings.TrimSpace(version + " " + n) }
	terms := []term{
		{name("scenario"), ref.Name},
		{name("file"), ref.File},
		{name("sha256"), ref.SHA256},
		{name("overrides"), render.OverridesText(ref.Overrides)},
	}
	if words := render.InWordsText(ref.InWords); words != "" {
		terms = append(terms, term{name("overrides in words"), words})
	}
	return terms
}

// conditionsLine says under which conditions of the world a result ran,
// in words, and on which sides ("this scenario and its baseline alike");
// "" when it ran under none.
func conditionsLine(ref results.ScenarioRef, sides string) string {
	c := render.ConditionWords(ref.InWords)
	if len(c) == 0 {
		return ""
	}
	s := "Under " + strings.Join(c, "; ")
	if sides != "" {
		s += " — " + sides
	}
	return s + "."
}

// underClause says, for a sentence about a comparison, the conditions
// both sides ran under: ", both under eu-fra down 12:00–14:00 UTC"; ""
// when none.
func underClause(ref results.ScenarioRef) string {
	c := render.ConditionWords(ref.InWords)
	if len(c) == 0 {
		return ""
	}
	return ", both under " + strings.Join(c, "; ")
}

// definitionsSection defines every figure the page shows.
func definitionsSection(defs []legend.Definition) section {
	terms := make([]term, len(defs))
	for i, d := range defs {
		terms[i] = term{d.Figure, d.Meaning}
	}
	return section{ID: "definitions", Title: "Definitions", Blocks: []block{{Facts: terms}}}
}

// measuredBuckets are the buckets with a measured part, in order.
func measuredBuckets(r *results.Report) []int {
	var out []int
	for b, start := range r.Series.StartS {
		if start+r.BucketS > r.WarmupS && start < r.HorizonS {
			out = append(out, b)
		}
	}
	return out
}

// edgeLabels label the edges of buckets, consecutive ones, with their
// clock times: one more label than buckets.
func edgeLabels(r *results.Report, buckets []int) []string {
	labels := make([]string, 0, len(buckets)+1)
	for _, b := range buckets {
		labels = append(labels, edgeLabel(r, r.Series.StartS[b]))
	}
	if len(buckets) > 0 {
		labels = append(labels, edgeLabel(r, min(r.Series.StartS[buckets[len(buckets)-1]]+r.BucketS, r.HorizonS)))
	}
	return labels
}

// edgeLabel is a clock time, with its day past the first: "15:00",
// "d2 00:00".
func edgeLabel(r *results.Report, t float64) string {
	if day := r.Day(t); day > 1 {
		return fmt.Sprintf("d%d %s", day, r.ClockTime(t))
	}
	return r.ClockTime(t)
}

// bucketWord names a bucket by its width: "hour", or "30m bucket".
func bucketWord(seconds float64) string {
	if seconds == 3600 {
		return "hour"
	}
	return render.Duration(seconds) + " bucket"
}

// stackName names a forbidden series in a chart: its jurisdiction, and
// whether it is key copies at connectors there.
func stackName(f results.ForbiddenSeries) string {
	if f.Via != f.Plane {
		return f.Jurisdiction + " (key copies)"
	}
	return f.Jurisdiction
}

// stackColours gives each stack of the forbidden series a colour of its
// own, the same in every chart — a jurisdiction keeps its colour from
// plane to plane, its key copies have another — by their sorted names.
func stackColours(series []results.ForbiddenSeries) map[string]int {
	var names []string
	for _, f := range series {
		if name := stackName(f); !slices.Contains(names, name) {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	colours := make(map[string]int, len(names))
	for i, n := range names {
		colours[n] = i
	}
	return colours
}

// pick returns the values of v at the indices given.
func pick(v results.Values, indices []int) []float64 {
	out := make([]float64, len(indices))
	for i, b := range indices {
		out[i] = v[b]
	}
	return out
}

// countText writes a count estimate for a headline card: whole numbers
// with thousands grouped from 100 on, one decimal below.
func countText(e results.Estimate) string {
	if math.IsNaN(e.Mean) {
		return "n/a"
	}
	format := func(x float64) string {
		if math.Abs(e.Mean) >= 100 {
			return grouped(x)
		}
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	if math.IsNaN(e.HalfWidth) {
		return format(e.Mean)
	}
	return format(e.Mean) + " ± " + format(e.HalfWidth)
}

// grouped writes x rounded to a whole number with commas between groups
// of three digits: "316,099".
func grouped(x float64) string {
	s := strconv.FormatFloat(math.Abs(x), 'f', 0, 64)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if x < 0 && s != "0" {
		s = "-" + s
	}
	return s
}

// upperDetail says a rate's one-sided 95% upper bound.
func upperDetail(e results.Estimate, what string) string {
	s := "95% upper bound " + results.Percent(e.Upper)
	if what != "" {
		s = what + "; " + s
	}
	return s
}

func failClass(failing bool) string {
	if failing {
		return "fail"
	}
	return ""
}

// num is a right-aligned cell of a figure.
func num(text string) cell { return cell{Text: text, Class: "num"} }

// oneDecimal writes a mean with one decimal, "n/a" when unknown.
func oneDecimal(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return strconv.FormatFloat(x, 'f', 1, 64)
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
