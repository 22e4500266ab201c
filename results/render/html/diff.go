package html

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/render/html/chart"
	"github.com/geofence/geofence/sim"
)

// diffPage lays out the page of a diff in the order a reviewer reads it:
// the verdict and its counts, what got worse and what improved, then the
// forbidden landings, failure tolerances, routing and lints that changed,
// the simulated paired changes, provenance and definitions.
func diffPage(r *diff.Report, opt Options) page {
	p := newPage(r.Header, opt, r.Old.Name+" → "+r.New.Name, "What NEW "+versionName(r.New)+" changes from OLD "+versionName(r.Old)+".")
	p.Verdict = diffVerdictLine(r)
	p.Conditions = conditionsLine(r.New, "OLD and NEW alike")
	p.Sections = []section{
		diffSummarySection(r),
		diffChangesSection(r),
		diffLandingsSection(r),
		diffTolerancesSection(r),
		diffRoutingSection(r),
		diffLintsSection(r),
		diffSimulationSection(r),
		diffProvenance(r, p.Generator, opt.Date),
		definitionsSection(r.Definitions),
	}
	return p
}

// versionName names one version of a diff by its scenario and file, and
// the overrides that changed it.
func versionName(ref results.ScenarioRef) string {
	s := ref.Name + " (" + ref.File
	if len(ref.Overrides) > 0 {
		s += ", with " + strings.Join(ref.Overrides, "; ")
	}
	return s + ")"
}

// diffVerdictLine is the diff's verdict, as its summary says it, coloured
// by what got worse or better.
func diffVerdictLine(r *diff.Report) *verdictLine {
	word, counts, exit := render.DiffJudgement(r)
	detail := "— " + exit + "."
	if counts != "" {
		detail = "— " + counts + "; " + exit + "."
	}
	class := "none"
	switch {
	case len(r.Worse) > 0:
		class = "fail"
	case len(r.Improved) > 0:
		class = "pass"
	}
	return &verdictLine{Text: word, Detail: detail, Class: class}
}

// effectCounts counts how many of effects are worse and how many
// improved.
func effectCounts(effects []string) (worse, improved int) {
	for _, e := range effects {
		switch e {
		case diff.EffectWorse:
			worse++
		case diff.EffectImproved:
			improved++
		}
	}
	return worse, improved
}

// effectClass colours what got worse red and what improved green.
func effectClass(worse, improved int) string {
	switch {
	case worse > 0:
		return "fail"
	case improved > 0:
		return "pass"
	}
	return ""
}

// diffSummarySection counts what changed, as the diff's summary does, and
// says what the diff judged it by.
func diffSummarySection(r *diff.Report) section {
	s := section{ID: "summary", Title: "Summary"}
	sum := r.Summary
	var landings, lints, tolerances []string
	for _, c := range r.Landings {
		landings = append(landings, c.Effect)
	}
	for _, c := range r.Lints {
		lints = append(lints, c.Effect)
	}
	for _, c := range r.Tolerances {
		tolerances = append(tolerances, c.Effect)
	}
	stateCard := func(label string, c diff.StateCounts, effects []string) card {
		return card{Label: label, Value: fmt.Sprintf("%d new, %d gone", c.New, c.Absent),
			Detail: fmt.Sprintf("%d changed, %d unchanged", c.Updated, c.Unchanged), Class: effectClass(effectCounts(effects))}
	}
	cards := []card{
		stateCard("Forbidden landings", sum.Landings, landings),
		{Label: "Fences whose failure tolerance changed", Value: fmt.Sprintf("%d lower, %d higher", sum.ToleranceLower, sum.ToleranceHigher),
			Detail: "lower: fewer datacenters full or down let clients out", Class: effectClass(effectCounts(tolerances))},
		stateCard("Lints", sum.Lints, lints),
		{Label: "Routing changes", Value: fmt.Sprint(sum.RoutingChanges), Detail: "edits to datacenters, populations, lists, routes and policy"},
	}
	if sd := r.Simulation; sd != nil {
		cards = append(cards, card{Label: "Simulated violation rates", Value: fmt.Sprintf("%d worse, %d improved", sum.RatesWorse, sum.RatesImproved),
			Detail: fmt.Sprintf("%d of %d fences changed significantly", sum.SignificantRates, len(sd.Fences)), Class: effectClass(sum.RatesWorse, sum.RatesImproved)})
	}
	s.Blocks = append(s.Blocks, block{Cards: cards})
	// The text formats' facts, but for those the page shows elsewhere.
	var facts []term
	for _, f := range render.DiffFacts(r) {
		if !slices.Contains([]string{"tool", "old", "new", "summary", "verdict"}, f.Name) {
			facts = append(facts, term{f.Name, f.Value})
		}
	}
	s.Blocks = append(s.Blocks, block{Facts: facts})
	return s
}

// diffChangesSection lists the diff's sentences: what got worse, what
// improved, and what would be worse but an accepted risk covers, each
// starting with where it is.
func diffChangesSection(r *diff.Report) section {
	s := section{ID: "changes", Title: "What got worse, what improved"}
	s.Paragraphs = []string{"One sentence per change that makes the geofence worse or better, each starting with the file:line:column (or the override) of the entry to look at: NEW's, or OLD's for what NEW no longer has."}
	const where = "— each in the sections below, all in -o json"
	list := func(title string, items []string, none string) {
		if len(items) == 0 {
			s.Blocks = append(s.Blocks, block{Heading: title, Note: none})
			return
		}
		s.Blocks = append(s.Blocks, block{Heading: fmt.Sprintf("%s (%d)", title, len(items)), List: render.BoundedIn(items, where)})
	}
	list("Worse", r.Worse, "Nothing got worse.")
	list("Improved", r.Improved, "Nothing improved.")
	if len(r.Accepted) > 0 {
		list("Accepted: would be worse, but an accepted risk of NEW covers it", r.Accepted, "")
	}
	return s
}

// diffLandingsSection tables the forbidden landings that are new, changed
// or gone, each with what opens it and the entry that lets it in.
func diffLandingsSection(r *diff.Report) section {
	s := section{ID: "landings", Title: "Forbidden landings: new, changed, gone"}
	sum := r.Summary.Landings
	s.Paragraphs = []string{"Found without simulating: a forbidden landing is a datacenter outside a population's fence that its plane can reach once every datacenter of the witness is full or down at once. Let in by names the whitelist member or primary that lets it in, and where it stands."}
	if n := sum.Unchanged; n > 0 {
		s.Paragraphs[0] += " " + alikeNotListed(n, "landing", "allow")
	}
	header := []string{"population", "plane", "datacenter (jurisdiction)", "witness: full or down at once", "let in by"}
	for _, part := range []struct {
		state, caption, file string
	}{
		{diff.StateNew, "New: forbidden landings NEW allows and OLD did not, let in at line:column of " + r.New.File, r.New.File},
		{diff.StateUpdated, "Changed: forbidden landings both allow, opened otherwise (under each witness, OLD's), let in at line:column of " + r.New.File, r.New.File},
		{diff.StateAbsent, "Gone: forbidden landings OLD allowed and NEW does not, let in at line:column of " + r.Old.File, r.Old.File},
	} {
		t := &table{Caption: part.caption, Class: "landings", Header: header}
		for _, c := range r.Landings {
			if c.State != part.state {
				continue
			}
			target := cell{Text: diff.LandingTarget(c)}
			if c.Accepted != nil {
				target.Sub = "accepted until " + c.Accepted.Expires + " (" + c.Accepted.At + ")"
			}
			witness := cell{Text: diff.WitnessText(c.Witness)}
			if c.State == diff.StateUpdated {
				witness = effectCell(c.Effect)
				witness.Text, witness.Sub = diff.WitnessText(c.Witness), "was "+diff.WitnessText(c.OldWitness)
			}
			t.Rows = append(t.Rows, []cell{
				{Text: c.Population, Header: true}, {Text: c.Plane}, target, witness,
				{Text: entryName(c.At.Path), Sub: locationIn(c.At, part.file), Class: "mono nowrap"},
			})
		}
		if len(t.Rows) > 0 {
			s.Blocks = append(s.Blocks, block{Table: t})
		}
	}
	if len(s.Blocks) == 0 {
		s.Blocks = []block{{Note: "No forbidden landing is new, changed or gone."}}
	}
	return s
}

// alikeNotListed says that n items both versions have alike are left
// out: "3 landings both versions allow alike are not listed."
func alikeNotListed(n int, item, verb string) string {
	are := "are"
	if n == 1 {
		are = "is"
	}
	return fmt.Sprintf("%d %s%s both versions %s alike %s not listed.", n, item, results.Plural(n), verb, are)
}

// locationIn writes where l is: its line:column when it is in file, else
// the file too, or the override that set it.
func locationIn(l diff.Location, file string) string {
	if l.SetBy == "" && l.File == file && l.Line > 0 {
		return render.LineColumn(l.Line, l.Column)
	}
	return l.String()
}

// effectCell writes an effect, coloured.
func effectCell(effect string) cell {
	return cell{Text: effect, Class: map[string]string{diff.EffectWorse: "fail-cell", diff.EffectImproved: "pass-cell"}[effect]}
}

// diffTolerancesSection shows the fences whose failure tolerance
// changed, population by plane, as the check's fences section does.
func diffTolerancesSection(r *diff.Report) section {
	s := section{ID: "tolerances", Title: "Failure tolerance"}
	s.Paragraphs = []string{fmt.Sprintf("A fence's failure tolerance is the fewest datacenters that must be full or down at once for its clients to land outside it; \"never\" when no state of the system does. Under each change, the entry of the cheapest landing of the lower of the two tolerances, at its line:column: in NEW (%s) where it fell, in OLD (%s) where it rose.", r.New.File, r.Old.File)}
	if len(r.Tolerances) == 0 {
		s.Blocks = []block{{Note: "No fence's failure tolerance changed."}}
		return s
	}
	t := &table{
		Caption: "Failure tolerance OLD → NEW where it changed; red worse, green improved",
		Header:  []string{"population"},
	}
	for p := range sim.NumPlanes {
		t.Header = append(t.Header, results.PlaneName(p))
	}
	rows := map[string]int{}
	for _, c := range r.Tolerances {
		i, ok := rows[c.Population]
		if !ok {
			i = len(t.Rows)
			rows[c.Population] = i
			row := make([]cell, 1+sim.NumPlanes)
			row[0] = cell{Text: c.Population, Header: true}
			t.Rows = append(t.Rows, row)
		}
		p := slices.IndexFunc(t.Header, func(h string) bool { return h == c.Plane })
		if p < 0 {
			continue
		}
		file := map[string]string{"new": r.New.File, "old": r.Old.File}[c.At.Version]
		change := effectCell(c.Effect)
		change.Text = check.ToleranceText(c.Old) + " → " + check.ToleranceText(c.New)
		change.Sub = entryName(c.At.Path) + " " + locationIn(c.At, file)
		if c.Accepted != nil {
			change.Sub += "; accepted until " + c.Accepted.Expires
		}
		t.Rows[i][p] = change
	}
	s.Blocks = []block{{Table: t}}
	return s
}

// routingWord says what became of a routing item.
var routingWord = map[string]string{diff.StateNew: "added", diff.StateAbsent: "removed", diff.StateUpdated: "changed"}

// diffRoutingSection tables what the change edits in the routing, the
// policy and what they name, each located.
func diffRoutingSection(r *diff.Report) section {
	s := section{ID: "routing", Title: "Routing changes"}
	s.Paragraphs = []string{"What the change edits, matched by ids rather than by where things stand, so that moving an item is no change unless its order means something. Each is located in NEW, or in OLD for what was removed. A routing change is neither worse nor better: its consequences are."}
	if len(r.Routing) == 0 {
		s.Blocks = []block{{Note: "No routing change."}}
		return s
	}
	t := &table{Caption: "Routing, policy, datacenters, populations and groups: what changed, and where", Header: []string{"", "change", "at"}}
	for _, c := range r.Routing {
		t.Rows = append(t.Rows, []cell{{Text: routingWord[c.State], Header: true}, {Text: c.Change}, {Text: c.At.String(), Class: "mono nowrap"}})
	}
	s.Blocks = []block{{Table: t}}
	return s
}

// diffLintsSection tables the lints that appeared, went or changed.
func diffLintsSection(r *diff.Report) section {
	s := section{ID: "lints", Title: "Lints appeared and disappeared"}
	s.Paragraphs = []string{"What runs but may not be what was meant, matched across versions by rule and subject. Lints " + render.FailOnText(r.FailOn) + "."}
	t := &table{Caption: "Lints that appeared, went or changed, located in NEW (in OLD when gone); red when the diff judges it worse, green improved", Class: "compact", Header: []string{"", "severity", "rule", "at", "message"}}
	word := map[string]string{diff.StateNew: "appeared", diff.StateAbsent: "gone", diff.StateUpdated: "changed"}
	for _, c := range r.Lints {
		if c.State == diff.StateUnchanged {
			continue
		}
		message := cell{Text: c.Message}
		if c.State == diff.StateUpdated {
			message.Sub = "was: " + c.OldMessage
		}
		state := effectCell(c.Effect)
		state.Text, state.Header = word[c.State], true
		t.Rows = append(t.Rows, []cell{state, {Text: c.Severity}, {Text: c.Rule, Class: "nowrap"}, {Text: c.At.String(), Class: "mono nowrap"}, message})
	}
	if len(t.Rows) == 0 {
		s.Blocks = []block{{Note: fmt.Sprintf("No lint appeared or went; %d unchanged.", r.Summary.Lints.Unchanged)}}
		return s
	}
	s.Blocks = []block{{Table: t}}
	if n := r.Summary.Lints.Unchanged; n > 0 {
		s.Blocks = append(s.Blocks, block{Note: alikeNotListed(n, "lint", "have")})
	}
	return s
}

// diffSimulationSection charts the paired changes of the simulated runs,
// population by population: each plane's violation rate, judged against
// its limit, then blocking, secondary share and p95 set-up latency.
func diffSimulationSection(r *diff.Report) section {
	s := section{ID: "simulation", Title: "By simulation: paired changes"}
	sd := r.Simulation
	if sd == nil {
		s.Paragraphs = []string{"Not simulated: this is a static-only diff. geofence diff without --static-only runs both versions on the same seed and replications and shows the paired change of every figure."}
		return s
	}
	s.Paragraphs = []string{fmt.Sprintf("Both versions run with seed %d and %d replications on the same arrival streams (common random numbers), so each change is the mean of paired differences NEW − OLD, replication by replication, with its 95%% interval. Rates change in percentage points (pp), latency in milliseconds; * marks a significant change, whose interval excludes 0.",
		r.Seed, r.Replications)}
	pcs := sd.Populations
	rows := populationNames(pcs)
	violations := violationColumns()
	rates := chart.Intervals{Title: "Change in violation rate, NEW − OLD, per population", Rows: rows, Panels: []chart.Panel{
		changePanel("Change in violation rate", "NEW − OLD (percentage points)", pcs, violations),
	}}
	t := changeTable("Violation rate per population and plane: the paired change NEW − OLD, and under it OLD → NEW; red when the diff judges it worse, green improved; "+significantNote, pcs, violations)
	for i, pc := range pcs {
		for p := range sim.NumPlanes {
			for _, f := range sd.Fences {
				if f.Population == pc.Population && f.Plane == results.PlaneName(p) {
					c := &t.Rows[i][1+int(p)]
					if class := effectCell(f.Effect).Class; class != "" {
						c.Class += " " + class
					}
					if f.Accepted != nil {
						c.Sub += "; accepted until " + f.Accepted.Expires
					}
				}
			}
		}
	}
	costs := []changeColumn{blockingColumn, secondaryColumn}
	others := chart.Intervals{Title: "Change in blocking, secondary share and p95 set-up latency, NEW − OLD, per population", Rows: rows, Panels: []chart.Panel{
		changePanel("Change in blocking and secondary share", "NEW − OLD (percentage points)", pcs, costs),
		changePanel("Change in p95 set-up latency", "NEW − OLD (ms)", pcs, []changeColumn{latencyColumn}),
	}}
	s.Blocks = []block{
		{Figure: &figure{chart: rates, Caption: "Paired changes NEW − OLD of each plane's violation rate with their 95% intervals: left of zero, fewer violations than OLD; a whisker that crosses zero is no significant change."}},
		{Table: t},
		{Note: "Limits: " + render.DiffLimits(r) + ". Tolerate: " + render.TolerateText(r.Tolerate) + "."},
		{Figure: &figure{chart: others, Caption: "Paired changes NEW − OLD with their 95% intervals: right of zero, more joins blocked, more joins admitted at a secondary, slower set-up."}},
		{Table: changeTable("Blocking, secondary share and p95 set-up latency per population: the paired change NEW − OLD, and under it OLD → NEW; "+significantNote, pcs, append(costs, latencyColumn))},
	}
	if note := unpairedNote(sd.Comparison, "NEW", "OLD"); note != "" {
		s.Blocks = append(s.Blocks, block{Note: note})
	}
	s.Blocks = append(s.Blocks, diffLimitBlocks(sd)...)
	return s
}

// diffLimitBlocks are the tables of blocking held to its limit and of the
// groups' pooled rates, each judged, when the diff has them.
func diffLimitBlocks(sd *diff.SimulationDiff) []block {
	var blocks []block
	if sd.MaxBlocking != nil {
		t := &table{Caption: fmt.Sprintf("Blocking against its limit %s (%s): the paired change NEW − OLD, and under it OLD → NEW; red when it rose significantly past the limit; %s",
			results.LimitText(*sd.MaxBlocking), sd.MaxBlockingSource, significantNote), Header: []string{"population", "blocking", "effect"}}
		for _, b := range sd.Blocking {
			t.Rows = append(t.Rows, []cell{{Text: b.Population, Header: true}, effectClassed(changeCell(b.Blocking, render.Fraction), b.Effect), effectCell(b.Effect)})
		}
		blocks = append(blocks, block{Table: t})
	}
	if len(sd.Groups) > 0 {
		t := &table{Caption: "Groups: each rate of a group's joins pooled (all its populations' events over the joins they offered), paired NEW − OLD; held to the group's limit when it sets one; " + significantNote,
			Header: []string{"group", "figure", "change", "limit", "effect"}}
		for _, g := range sd.Groups {
			limit := "none"
			if g.Limit != nil {
				limit = results.LimitText(*g.Limit)
			}
			t.Rows = append(t.Rows, []cell{{Text: g.Group, Sub: strings.Join(g.Populations, ", "), Header: true}, {Text: render.GroupFigure(g.Figure)},
				effectClassed(changeCell(g.Rate, render.Fraction), g.Effect), num(limit), effectCell(g.Effect)})
		}
		blocks = append(blocks, block{Table: t})
	}
	return blocks
}

// effectClassed colours a cell as effectCell colours an effect.
func effectClassed(c cell, effect string) cell {
	if class := effectCell(effect).Class; class != "" {
		c.Class += " " + class
	}
	return c
}

// diffProvenance says what was compared: both versions' scenarios with
// their hashes and overrides, the seed and replications they ran on, the
// day accepted risks were judged on and the date given.
func diffProvenance(r *diff.Report, tool, date string) section {
	run := []term{{"seed", strconv.FormatUint(r.Seed, 10)}, {"replications", "none: static analysis only"}}
	if r.Simulation != nil {
		run = seedFacts(r.Seed, r.Replications)
		run = append(run, term{"intervals", "mean ± half-width of the 95% Student-t interval of the per-replication differences NEW − OLD"})
	}
	if r.Date != "" {
		run = append(run, term{"accepted risks judged on", r.Date})
	}
	return provenanceSection(date, []term{{"tool", tool}}, scenarioFacts("old", r.Old), scenarioFacts("new", r.New), run)
}
