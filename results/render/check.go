package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/sim"
)

// FailedFences counts the fences of c that fail.
func FailedFences(c *check.Report) int {
	failed := 0
	for _, fc := range c.Fences {
		if !fc.Passed {
			failed++
		}
	}
	return failed
}

// maxCheckCauses bounds the causes the text formats list per failing fence.
const maxCheckCauses = 3

// checkDoc lays out r for the table and markdown formats.
func checkDoc(r *check.Report) textDoc {
	doc := textDoc{
		title: "geofence check: " + r.Scenario.Name,
		facts: checkFacts(r),
		lists: []textList{{title: "Lints", items: lintItems(r)}, {title: "Failures", items: r.Failures}},
	}
	doc.tables = append(doc.tables, fencesTable(r))
	if len(r.Blocking) > 0 {
		doc.tables = append(doc.tables, blockingTable(r))
	}
	if len(r.Groups) > 0 {
		doc.tables = append(doc.tables, groupsTable(r))
	}
	if t := staticTable(r); len(t.rows) > 0 {
		doc.tables = append(doc.tables, t)
	}
	if t := failingCausesTable(r); len(t.rows) > 0 {
		doc.tables = append(doc.tables, t)
	}
	if len(r.Accepted) > 0 {
		doc.tables = append(doc.tables, acceptedTable(r))
	}
	if r.Baseline != nil {
		doc.tables = append(doc.tables, baselineTable(r))
		if t := baselineViolationsTable(r); len(t.rows) > 0 {
			doc.tables = append(doc.tables, t)
		}
	}
	return doc
}

// withRunHeadline adds to a check's document the headline of the run it
// rests on, when it was simulated: the traffic, blocking and forbidden
// landings after the verdict, and the headline's tables before the
// fences, so that a page pasted into a wiki starts with the answer.
func withRunHeadline(doc textDoc, sim *results.Report) textDoc {
	if sim == nil {
		return doc
	}
	doc.facts = append(doc.facts, headlineFacts(sim)...)
	doc.tables = append(headlineTables(sim), doc.tables...)
	return doc
}

// checkFacts returns the header block of r, ending with its verdict.
func checkFacts(r *check.Report) []fact {
	replications := strconv.Itoa(r.Replications)
	if r.Replications == 0 {
		replications = "0 (static check only)"
	}
	fs := scenarioFacts(r.Header, r.Scenario)
	if len(r.Scenario.Overrides) > 0 {
		fs = append(fs, overrideFacts(r.Scenario)...)
	}
	fs = append(fs,
		fact{"seed", strconv.FormatUint(r.Seed, 10)},
		fact{"replications", replications},
	)
	if r.Baseline != nil {
		fs = append(fs, fact{"baseline", BaselineText(r.Baseline.Scenario)})
	}
	if r.Replications > 0 {
		fs = append(fs, fact{"intervals", IntervalsText(results.Confidence)})
	}
	if limits := LimitsFact(r); limits != "" {
		fs = append(fs, fact{"limits", limits})
	}
	fs = append(fs, fact{"min tolerance", MinToleranceText(r.MinTolerance)})
	if r.Replications > 0 {
		decided := "the mean violation rate against each limit"
		if r.DecidedBy == check.DecideUpper {
			decided = "the one-sided 95% upper bound of each violation rate against its limit"
		}
		fs = append(fs, fact{"decided by", decided})
	}
	if len(r.Accepted) > 0 {
		fs = append(fs, fact{"accepted risks", acceptedFact(r)})
	}
	return append(fs, fact{"verdict", verdict(r)})
}

// intervalsText says how a figure and its interval at confidence are
// written.
func IntervalsText(confidence float64) string {
	return fmt.Sprintf("mean ± half-width of the %g%% Student-t interval over replications", 100*confidence)
}

// minToleranceText says what a check's min tolerance lets pass.
func MinToleranceText(minTolerance *int) string {
	if minTolerance == nil {
		return "none: any forbidden landing fails its fence"
	}
	return fmt.Sprintf("%d datacenters full or down", *minTolerance)
}

// acceptedFact counts the accepted risks by state, and says on which day
// they were judged.
func acceptedFact(r *check.Report) string {
	count := map[string]int{}
	for _, a := range r.Accepted {
		count[a.State]++
	}
	return fmt.Sprintf("%d hold, %d expired, %d match nothing (judged on %s)", count[check.AcceptanceHolds], count[check.AcceptanceExpired], count[check.AcceptanceUnmatched], r.Date)
}

// acceptedTable lists every accepted risk with how it stands.
func acceptedTable(r *check.Report) textTable {
	t := newTable("Accepted risks", 7,
		"at", "fence", "forbidden", "state", "expires", "matches", "reason")
	for _, a := range r.Accepted {
		t.rows = append(t.rows, []string{a.At(), a.Population + " " + a.Plane, a.Datacenter + a.Jurisdiction, a.State, a.Expires, results.IdList(a.Matches), a.Reason})
	}
	return t
}

// limitsFact says each plane's limit and where it came from, e.g.
// "media 0 (default), keys 0 (default), connector 0.01 (--max-violation-rate)".
func LimitsFact(r *check.Report) string {
	var parts []string
	for p := range sim.NumPlanes {
		for _, fc := range r.Fences {
			if fc.Plane == results.PlaneName(p) {
				parts = append(parts, fmt.Sprintf("%s %s (%s)", fc.Plane, results.LimitText(fc.Limit), fc.LimitSource))
				break
			}
		}
	}
	if r.MaxBlocking != nil {
		parts = append(parts, fmt.Sprintf("blocking %s (%s)", results.LimitText(*r.MaxBlocking), r.MaxBlockingSource))
	}
	return strings.Join(parts, ", ")
}

// verdict is PASS, or FAIL with how many fences, lints and acceptances
// failed.
func verdict(r *check.Report) string {
	if r.Passed {
		return "PASS"
	}
	failed, lints, accepted := FailedFences(r), 0, 0
	for _, l := range r.Lints {
		if l.Fails {
			lints++
		}
	}
	for _, a := range r.Accepted {
		if a.State != check.AcceptanceHolds {
			accepted++
		}
	}
	v := fmt.Sprintf("FAIL (%d of %d fences", failed, len(r.Fences))
	if limits := r.LimitsVerdict(); limits != "" {
		v += "; " + limits
	}
	if lints > 0 {
		v += fmt.Sprintf("; %d lint%s at --fail-on %s", lints, results.Plural(lints), r.FailOn)
	}
	if accepted > 0 {
		v += fmt.Sprintf("; %d accepted risk%s expired or matching nothing", accepted, results.Plural(accepted))
	}
	return v + ")"
}

func fencesTable(r *check.Report) textTable {
	t := newTable("Fences", 5,
		"population", "plane", "allowed", "tolerance", "forbidden reachable (cheapest)", "violation rate", "limit", "status")
	for _, fc := range r.Fences {
		rate := "not simulated"
		if fc.ViolationRate != nil {
			rate = RateCell(*fc.ViolationRate)
			if r.DecidedBy == check.DecideUpper && fc.ViolationRate.UpperBy == results.UpperStudentT {
				rate += " (upper " + results.Percent(fc.ViolationRate.Upper) + ")"
			}
		}
		t.rows = append(t.rows, []string{
			fc.Population, fc.Plane, check.AllowedText(fc.Policy), check.ToleranceText(fc.Tolerance), cheapestCell(fc.Static),
			rate, results.LimitText(fc.Limit), fenceStatus(fc),
		})
	}
	return t
}

// staticTable lists every static finding with the scenario line that lets
// the forbidden datacenter in.
func staticTable(r *check.Report) textTable {
	t := newTable("Forbidden datacenters reachable without simulating", 6,
		"population", "plane", "datacenter", "let in by", "line", "when full or down")
	for _, fc := range r.Fences {
		for _, f := range fc.Static {
			dc := check.LandingName(f.Finding)
			witness := diff.WitnessText(f.Witness)
			if f.AcceptedBy != nil {
				dc += " (accepted)"
			}
			t.rows = append(t.rows, []string{fc.Population, fc.Plane, dc, f.Path, Where(f.File, f.Line, f.Column), witness})
		}
	}
	return t
}

// failingCausesTable lists the most frequent causes of each failing fence.
func failingCausesTable(r *check.Report) textTable {
	t := newTable("Top causes of violations in failing fences", 7,
		"population", "plane", "admitted at", "reached as", "primaries full", "primaries down", "busiest hours (mean)", "violations")
	for _, fc := range r.Fences {
		if fc.Passed {
			continue
		}
		for _, c := range fc.Causes[:min(len(fc.Causes), maxCheckCauses)] {
			t.rows = append(t.rows, []string{
				c.Population, c.Plane, c.Datacenter + " (" + c.Jurisdiction + ")", results.ReachText(c), results.IdList(c.Full), results.IdList(c.Down),
				checkBusiest(r, c.TopBuckets), EstimateCell(c.Count, Count, r.Replications),
			})
		}
	}
	return t
}

// lintItems writes each lint as "line:column rule (severity): message": a
// list, not a table, because lint messages are sentences.
func lintItems(r *check.Report) []string {
	items := make([]string, len(r.Lints))
	for i, l := range r.Lints {
		items[i] = fmt.Sprintf("%s %s (%s): %s", Where(l.File, l.Line, l.Column), l.Rule, l.Severity, l.Message)
	}
	return items
}

func baselineTable(r *check.Report) textTable {
	b := r.Baseline
	t := newTable("Blocking probability against baseline "+b.Scenario.Name+" ("+b.Scenario.File+")", 1,
		"population", "baseline", "this", "change (paired)")
	for _, pc := range b.Populations {
		d := pc.Blocking
		t.rows = append(t.rows, []string{
			pc.Population, RateCell(d.Baseline), RateCell(d.This), changeText(d, Fraction, r.Replications),
		})
	}
	var unpaired []string
	if len(b.OnlyThis) > 0 {
		unpaired = append(unpaired, "only in this scenario, not compared: "+strings.Join(b.OnlyThis, ", "))
	}
	if len(b.OnlyBaseline) > 0 {
		unpaired = append(unpaired, "only in the baseline, not compared: "+strings.Join(b.OnlyBaseline, ", "))
	}
	if len(unpaired) > 0 {
		t.note = strings.Join(unpaired, "; ") + ". The total is over the populations both have."
	}
	return t
}

// baselineViolationsTable is the benefit beside baselineTable's cost: the
// violation rates the change removed (or added), for the fences that had
// any on either side.
func baselineViolationsTable(r *check.Report) textTable {
	t := newTable("Violation rate against baseline "+r.Baseline.Scenario.Name, 2,
		"population", "plane", "baseline", "this", "change (paired)")
	for _, pc := range r.Baseline.Populations {
		for p := range sim.NumPlanes {
			d := *pc.ViolationRate.At(p)
			if d.Baseline.Mean == 0 && d.This.Mean == 0 {
				continue
			}
			t.rows = append(t.rows, []string{
				pc.Population, results.PlaneName(p), RateCell(d.Baseline), RateCell(d.This), changeText(d, Fraction, r.Replications),
			})
		}
	}
	return t
}

// cheapestCell names the finding with the smallest witness (Analyze sorts
// them so), and how many more there are.
func cheapestCell(findings []check.StaticFinding) string {
	if len(findings) == 0 {
		return "-"
	}
	s := check.Reachable(findings[0].Finding)
	if more := len(findings) - 1; more > 0 {
		s += fmt.Sprintf(" (+%d more)", more)
	}
	return s
}

// fenceStatus is PASS or FAIL, and says when an accepted risk let the
// fence pass.
func fenceStatus(fc check.Fence) string {
	switch {
	case !fc.Passed:
		return "FAIL"
	case len(fc.Accepted) > 0:
		return "PASS (accepted)"
	}
	return "PASS"
}

// lineColumn writes "line:column", "-" when the position is unknown.
func LineColumn(line, column int) string {
	if line == 0 {
		return "-"
	}
	return fmt.Sprintf("%d:%d", line, column)
}

// Where writes a position in the scenario as LineColumn does, and one in
// another file (one the scenario imports routing from) as
// "file:line:column".
func Where(file string, line, column int) string {
	if file == "" || line == 0 {
		return LineColumn(line, column)
	}
	return results.FileLine(file, line, column)
}

// checkBusiest writes a cause's top buckets as time windows with their mean
// count, as the run report does.
func checkBusiest(r *check.Report, bs []results.BucketCount) string {
	w := results.Report{Start: r.Start, BucketS: r.BucketS, HorizonS: r.HorizonS}
	return busiest(&w, bs, results.TopBuckets)
}

// BaselineText names a check's baseline and what it ran under: the same
// conditions as the scenario, which a reader must see to trust the
// comparison.
func BaselineText(ref results.ScenarioRef) string {
	s := ref.Name + " (" + ref.File
	if ref.SHA256 != "" {
		s += ", sha256 " + ref.SHA256[:min(12, len(ref.SHA256))]
	}
	s += "), on the same seed and replications"
	if c := ConditionWords(ref.InWords); len(c) > 0 {
		return s + ", under the same conditions: " + strings.Join(c, "; ") + " (" + strings.Join(ref.Overrides, "; ") + ")"
	}
	return s + ", overrides " + OverridesText(ref.Overrides)
}
