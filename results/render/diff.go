package render

import (
	"fmt"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/sim"
)

// maxListed bounds the sentences a text list of a diff shows, and
// maxTableRows the rows of a table, so that a diff of any size makes a
// pull-request comment (GitHub takes 65536 characters); JSON holds them
// all.
const (
	maxListed    = 20
	maxTableRows = 40
)

// diffDoc lays out r for the table and markdown formats, written to be
// read as a pull-request comment: the verdict and what got worse first,
// then what changed in the routing, then its consequences.
func diffDoc(r *diff.Report) textDoc {
	doc := textDoc{
		title: "geofence diff: " + r.Old.Name + " → " + r.New.Name,
		facts: DiffFacts(r),
		leading: []textList{
			{title: "Worse", items: bounded(r.Worse)},
			{title: "Improved", items: bounded(r.Improved)},
			{title: "Accepted: would be worse, but an accepted risk covers it", items: bounded(r.Accepted)},
		},
		lists: []textList{{title: "Lints that appeared, went or changed", items: lintChangeItems(r)}},
	}
	tables := []textTable{
		routingTable(r),
		landingChangesTable(r, diff.StateNew, "Forbidden landings NEW allows and OLD did not"),
		updatedLandingsTable(r),
		landingChangesTable(r, diff.StateAbsent, "Forbidden landings OLD allowed and NEW does not"),
		tolerancesTable(r),
	}
	if r.Simulation != nil {
		tables = append(tables, rateChangesTable(r), costTable(r), blockingChangesTable(r), groupChangesTable(r))
	}
	for _, t := range tables {
		if len(t.rows) > 0 {
			doc.tables = append(doc.tables, boundedTable(t))
		}
	}
	return doc
}

// boundedTable keeps the first maxTableRows rows of t and says how many
// more there are.
func boundedTable(t textTable) textTable {
	if more := len(t.rows) - maxTableRows; more > 0 {
		t.rows = t.rows[:maxTableRows]
		t.note = strings.TrimPrefix(t.note+"; ", "; ") + fmt.Sprintf("%d more rows in -o json", more)
	}
	return t
}

// bounded keeps the first maxListed items and counts the rest.
func bounded(items []string) []string { return BoundedIn(items, "in -o json") }

// BoundedIn keeps the first maxListed items and counts the rest, saying
// where they are.
func BoundedIn(items []string, where string) []string {
	if len(items) <= maxListed {
		return items
	}
	return append(items[:maxListed:maxListed], fmt.Sprintf("… and %d more %s", len(items)-maxListed, where))
}

// DiffFacts is the header block of r, ending with its verdict.
func DiffFacts(r *diff.Report) []fact {
	version := func(ref results.ScenarioRef) string {
		s := ref.Name + " (" + ref.File
		if ref.SHA256 != "" {
			s += ", sha256 " + ref.SHA256[:min(12, len(ref.SHA256))]
		}
		s += ")"
		if len(ref.Overrides) > 0 {
			s += " with " + strings.Join(ref.Overrides, "; ")
		}
		return s
	}
	simulated := "no: static analysis only"
	if r.Simulation != nil {
		simulated = fmt.Sprintf("both versions, seed %d, %d replication%s each, paired by replication (common random numbers); "+
			"intervals are 95%% Student-t, and a change is significant when its interval excludes 0", r.Seed, r.Replications, results.Plural(r.Replications))
	}
	fs := []fact{
		{"tool", ToolName(r.Tool, r.Version)},
		{"old", version(r.Old)},
		{"new", version(r.New)},
	}
	if c := ConditionWords(r.New.InWords); len(c) > 0 {
		fs = append(fs, fact{"conditions", "both versions under " + strings.Join(c, "; ")})
	}
	for _, side := range []struct {
		name string
		ref  results.ScenarioRef
	}{{"changes to OLD", r.Old}, {"changes to NEW", r.New}} {
		if c := ChangeWords(side.ref.InWords); len(c) > 0 {
			fs = append(fs, fact{side.name, strings.Join(c, "; ")})
		}
	}
	fs = append(fs, fact{"simulated", simulated})
	if r.Simulation != nil {
		fs = append(fs, fact{"limits", DiffLimits(r)}, fact{"tolerate", TolerateText(r.Tolerate)})
	}
	if r.Date != "" {
		fs = append(fs, fact{"accepted risks", "NEW's, judged on " + r.Date + ": what they cover is not worse"})
	}
	fs = append(fs,
		fact{"lints", FailOnText(r.FailOn)},
		fact{"summary", diffSummaryText(r)},
		fact{"verdict", diffVerdict(r)},
	)
	return fs
}

// diffLimits says each plane's limit and where it came from.
func DiffLimits(r *diff.Report) string {
	var parts []string
	for p := range sim.NumPlanes {
		for _, f := range r.Simulation.Fences {
			if f.Plane == results.PlaneName(p) {
				parts = append(parts, fmt.Sprintf("%s %s (%s)", f.Plane, results.LimitText(f.Limit), f.LimitSource))
				break
			}
		}
	}
	if len(parts) == 0 {
		return "none compared"
	}
	if sd := r.Simulation; sd.MaxBlocking != nil {
		parts = append(parts, fmt.Sprintf("blocking %s (%s)", results.LimitText(*sd.MaxBlocking), sd.MaxBlockingSource))
	}
	return strings.Join(parts, ", ")
}

func TolerateText(t float64) string {
	if t == 0 {
		return "0: any significant rise of a violation rate is worse"
	}
	return results.Percent(t) + ": a significant rise is worse when it is larger, or ends above the limit"
}

func FailOnText(failOn string) string {
	if failOn == check.SeverityError {
		return "reported; none makes the diff worse (--fail-on error)"
	}
	return "one of severity " + failOn + " or above that appears makes the diff worse (--fail-on " + failOn + ")"
}

// diffSummaryText counts what changed, as terraform's plan does before
// the detail.
func diffSummaryText(r *diff.Report) string {
	s := r.Summary
	counts := func(c diff.StateCounts, gone string) string {
		return fmt.Sprintf("%d new, %d %s, %d changed, %d unchanged", c.New, c.Absent, gone, c.Updated, c.Unchanged)
	}
	parts := []string{
		"forbidden landings: " + counts(s.Landings, "gone"),
		fmt.Sprintf("failure tolerance: %d lower, %d higher", s.ToleranceLower, s.ToleranceHigher),
		"lints: " + counts(s.Lints, "gone"),
		fmt.Sprintf("routing: %d change%s", s.RoutingChanges, results.Plural(s.RoutingChanges)),
	}
	if r.Simulation != nil {
		parts = append(parts, fmt.Sprintf("violation rates: %d worse, %d improved, %d significant changes", s.RatesWorse, s.RatesImproved, s.SignificantRates))
	}
	return strings.Join(parts, "; ")
}

// diffVerdict is WORSE, IMPROVED, CHANGED or UNCHANGED, and whether the
// diff fails under its exit_on.
func diffVerdict(r *diff.Report) string {
	word, counts, exit := DiffJudgement(r)
	if counts != "" {
		word += " (" + counts + ")"
	}
	return word + "; " + exit
}

// diffJudgement is the verdict of r in its parts: WORSE, IMPROVED,
// CHANGED or UNCHANGED; how many items got worse and how many better (""
// when unchanged); and whether the diff fails under its exit_on.
func DiffJudgement(r *diff.Report) (word, counts, exit string) {
	switch {
	case len(r.Worse) > 0:
		word, counts = "WORSE", fmt.Sprintf("%d worse, %d improved", len(r.Worse), len(r.Improved))
	case len(r.Improved) > 0:
		word, counts = "IMPROVED", fmt.Sprintf("%d improved, nothing worse", len(r.Improved))
	case r.Changed:
		word, counts = "CHANGED", "nothing worse or better"
	default:
		word = "UNCHANGED"
	}
	exit = "passes with --exit-on " + r.ExitOn
	if r.Failed {
		exit = "fails with --exit-on " + r.ExitOn
	}
	return word, counts, exit
}

func routingTable(r *diff.Report) textTable {
	t := newTable("Routing changes", 3, "", "at", "change")
	for _, c := range r.Routing {
		t.rows = append(t.rows, []string{stateMark(c.State), c.At.String(), c.Change})
	}
	return t
}

// stateMark is a short sign for a state: + new, - absent, ~ updated.
func stateMark(state string) string {
	switch state {
	case diff.StateNew:
		return "+"
	case diff.StateAbsent:
		return "-"
	case diff.StateUpdated:
		return "~"
	}
	return ""
}

// landingChangesTable lists the landings in state, each with its witness and
// the entry that lets it in.
func landingChangesTable(r *diff.Report, state, title string) textTable {
	t := newTable(title, 6,
		"population", "plane", "datacenter", "when full or down", "let in by", "at")
	for _, c := range r.Landings {
		if c.State == state {
			t.rows = append(t.rows, []string{c.Population, c.Plane, diff.LandingTarget(c), diff.WitnessText(c.Witness), c.At.Path, c.At.String()})
		}
	}
	return t
}

// updatedLandingsTable lists the landings both versions have that changed.
func updatedLandingsTable(r *diff.Report) textTable {
	t := newTable("Forbidden landings both allow, changed", 7,
		"population", "plane", "datacenter", "effect", "was when full or down", "now when full or down", "at")
	for _, c := range r.Landings {
		if c.State == diff.StateUpdated {
			t.rows = append(t.rows, []string{c.Population, c.Plane, diff.LandingTarget(c), c.Effect, diff.WitnessText(c.OldWitness), diff.WitnessText(c.Witness), c.At.String()})
		}
	}
	return t
}

func tolerancesTable(r *diff.Report) textTable {
	t := newTable("Failure tolerance changed", 3, "population", "plane", "effect", "old", "new")
	for _, c := range r.Tolerances {
		t.rows = append(t.rows, []string{c.Population, c.Plane, c.Effect, check.ToleranceText(c.Old), check.ToleranceText(c.New)})
	}
	return t
}

// rateChangesTable lists the fences whose violation rate changed
// significantly.
func rateChangesTable(r *diff.Report) textTable {
	t := newTable("Violation rates, paired (NEW − OLD)", 3,
		"population", "plane", "effect", "old", "new", "change", "limit")
	for _, f := range r.Simulation.Fences {
		d := f.ViolationRate
		if !d.Significant {
			continue
		}
		t.rows = append(t.rows, []string{f.Population, f.Plane, f.Effect, RateCell(d.Baseline), RateCell(d.This), signedChange(d, Fraction, r.Replications), results.LimitText(f.Limit)})
	}
	t.note = "* significant: the 95% interval of the paired change excludes 0"
	return t
}

// costTable is what the change costs or saves: blocking, secondary share
// and p95 set-up latency per population and in total.
func costTable(r *diff.Report) textTable {
	sd := r.Simulation
	t := newTable("Blocking, secondary share and p95 set-up latency, paired (NEW − OLD)", 1,
		"population", "blocking old", "blocking new", "blocking change", "secondary share change", "p95 latency change (ms)")
	for _, pc := range sd.Populations {
		t.rows = append(t.rows, []string{
			pc.Population, RateCell(pc.Blocking.Baseline), RateCell(pc.Blocking.This),
			signedChange(pc.Blocking, Fraction, r.Replications), signedChange(pc.SecondaryShare, Fraction, r.Replications),
			signedChange(pc.LatencyP95, Millis, r.Replications),
		})
	}
	notes := []string{"* significant: the 95% interval of the paired change excludes 0", "set-up latency is of admitted joins, compared per population (a total's quantile mixes the populations in the shares admitted)"}
	if len(sd.OnlyThis) > 0 {
		notes = append(notes, "only in NEW, not compared: "+strings.Join(sd.OnlyThis, ", "))
	}
	if len(sd.OnlyBaseline) > 0 {
		notes = append(notes, "only in OLD, not compared: "+strings.Join(sd.OnlyBaseline, ", "))
	}
	t.note = strings.Join(notes, "; ")
	return t
}

// blockingChangesTable judges every population's blocking against the
// blocking limit, when there is one.
func blockingChangesTable(r *diff.Report) textTable {
	sd := r.Simulation
	t := textTable{labels: 2, header: []string{"population", "effect", "old", "new", "change"}}
	if sd.MaxBlocking == nil {
		return t
	}
	t.title = "Blocking against its limit " + results.LimitText(*sd.MaxBlocking) + " (" + sd.MaxBlockingSource + "), paired (NEW − OLD)"
	for _, b := range sd.Blocking {
		t.rows = append(t.rows, []string{b.Population, b.Effect, RateCell(b.Blocking.Baseline), RateCell(b.Blocking.This), signedChange(b.Blocking, Fraction, r.Replications)})
	}
	t.note = "* significant: the 95% interval of the paired change excludes 0; worse: a significant rise that ends above the limit (or is larger than --tolerate-blocking)"
	return t
}

// groupChangesTable lists the rates of NEW's groups, of each group's
// joins pooled, paired.
func groupChangesTable(r *diff.Report) textTable {
	t := newTable("Groups: rates of each group's joins pooled, paired (NEW − OLD)", 3,
		"group", "figure", "effect", "old", "new", "change", "limit")
	for _, g := range r.Simulation.Groups {
		limit := "none"
		if g.Limit != nil {
			limit = results.LimitText(*g.Limit)
		}
		t.rows = append(t.rows, []string{g.Group, GroupFigure(g.Figure), g.Effect, RateCell(g.Rate.Baseline), RateCell(g.Rate.This), signedChange(g.Rate, Fraction, r.Replications), limit})
	}
	return t
}

// signedChange writes a paired change as "mean ± half-width", with a sign,
// and "*" when it is significant.
func signedChange(d results.Difference, u Unit, replications int) string {
	return Significant(results.Signed(d.Change.Mean, changeText(d, u, replications)), d)
}

// changeText writes a paired change as "mean ± half-width"; a rate that
// no replication of either side saw as "none either side", and a change
// the same in every replication — no spread, so no interval — as such,
// not as a certain "± 0".
func changeText(d results.Difference, u Unit, replications int) string {
	switch {
	case d.Baseline.UpperBy == results.UpperClopperPearson && d.This.UpperBy == results.UpperClopperPearson:
		return "none either side"
	case d.Change.N >= 2 && d.Change.HalfWidth == 0: // no spread: no interval
		return u.format(d.Change.Mean) + " in every replication"
	}
	return EstimateCell(d.Change, u, replications)
}

// lintChangeItems writes each lint that appeared, went or changed:
// "new warning fail-open at new.yaml:12:5: message".
func lintChangeItems(r *diff.Report) []string {
	var items []string
	for _, c := range r.Lints {
		var what string
		switch c.State {
		case diff.StateNew:
			what = "new"
		case diff.StateAbsent:
			what = "gone"
		case diff.StateUpdated:
			what = "changed"
		default:
			continue
		}
		item := fmt.Sprintf("%s %s %s at %s: %s", what, c.Severity, c.Rule, c.At, c.Message)
		if c.State == diff.StateUpdated {
			item += " (was: " + c.OldMessage + ")"
		}
		items = append(items, item)
	}
	return bounded(items)
}
