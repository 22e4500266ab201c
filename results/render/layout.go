package render

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// significant marks text, a change written, with "*" when the change is
// significant.
func Significant(text string, d results.Difference) string {
	if d.Significant {
		return text + " *"
	}
	return text
}

// toolName is the tool and its version, "geofence v0.1.0".
func ToolName(tool, version string) string { return strings.TrimSpace(tool + " " + version) }

// The table and markdown formats show the same content: a header block of
// run facts, then titled tables. This file lays that content out as text;
// the two renderers only draw it.

// maxCauseRows bounds the causes a text report lists; JSON and CSV hold all.
const maxCauseRows = 10

// legendPointer ends every text report.
const legendPointer = "figures: see `geofence help figures`"

// fact is one line of the header block.
type fact struct{ Name, Value string }

// scenarioFacts open the header block of a report on one scenario: the
// tool that wrote it, and the scenario's name, file and hash.
func scenarioFacts(h results.Header, ref results.ScenarioRef) []fact {
	return []fact{
		{"tool", ToolName(h.Tool, h.Version)},
		{"scenario", ref.Name},
		{"file", ref.File},
		{"sha256", ref.SHA256},
	}
}

// textTable is one titled table. Its first labels columns name the row and
// are aligned left; the others hold figures and are aligned right.
type textTable struct {
	title  string
	labels int
	header []string
	rows   [][]string
	note   string // printed under the table when set
}

// newTable starts a table: its title, how many of its first columns label
// the row, and the columns' names.
func newTable(title string, labels int, header ...string) textTable {
	return textTable{title: title, labels: labels, header: header}
}

// textDoc is what the table and markdown formats draw: a title, a header
// block of facts, titled lists that lead, titled tables, then titled
// lists; a list without items is left out.
type textDoc struct {
	title   string
	facts   []fact
	leading []textList // before the tables: what a reader must see first
	tables  []textTable
	lists   []textList
	closing string // a line before the legend pointer, in the table format only
}

// textList is a titled list of sentences.
type textList struct {
	title string
	items []string
}

// reportDoc lays out r for the table and markdown formats: the headline,
// then, with detail, every table.
func reportDoc(r *results.Report, detail bool) textDoc {
	doc := textDoc{title: r.Scenario.Name, facts: facts(r), tables: headlineTables(r)}
	if detail {
		doc.tables = append(doc.tables, tables(r)...)
	} else {
		doc.closing = "every population, datacenter, landing and cause: --detail; every figure per replication: -o json or -o csv"
	}
	return doc
}

// facts returns the header block of r: what was run, then the headline
// figures.
func facts(r *results.Report) []fact {
	fs := []fact{
		{"scenario", r.Scenario.Name},
		{"file", r.Scenario.File + " (sha256 " + r.Scenario.SHA256 + ")"},
	}
	fs = append(fs, overrideFacts(r.Scenario)...)
	fs = append(fs,
		fact{"run", fmt.Sprintf("%s %s, seed %d, %d replication%s", r.Tool, r.Version, r.Seed, r.Replications, results.Plural(r.Replications))},
		fact{"measured", MeasuredText(r)},
		fact{"intervals", IntervalsText(r.Confidence)},
	)
	return append(fs, headlineFacts(r)...)
}

// headlineFacts are the headline's figures as facts: joins offered a
// day, blocking, and forbidden landings.
func headlineFacts(r *results.Report) []fact {
	h := r.Headline
	blocking := RateCell(h.Blocking)
	if h.Blocking.UpperBy == results.UpperStudentT {
		blocking += " (95% upper bound " + results.Percent(h.Blocking.Upper) + ")"
	}
	return []fact{
		{"joins offered", EstimateCell(h.JoinsPerDay, Count, r.Replications) + " a day"},
		{"blocked", blocking + " " + AllJoins},
		{"forbidden landings", ForbiddenSummary(r)},
	}
}

// overridesText lists the overrides, or says there were none.
func OverridesText(overrides []string) string {
	if len(overrides) == 0 {
		return "none"
	}
	return strings.Join(overrides, "; ")
}

// measuredText says which part of the horizon was measured, in clock time.
func MeasuredText(r *results.Report) string {
	return fmt.Sprintf("%s from %s, after a warm-up of %s; buckets of %s",
		Duration(r.HorizonS-r.WarmupS), r.Clock(r.WarmupS), Duration(r.WarmupS), Duration(r.BucketS))
}

// forbiddenSummary says how much landed where the policy forbids, or how
// little can be ruled out when nothing did.
func ForbiddenSummary(r *results.Report) string {
	if len(r.Headline.Forbidden) > 0 {
		return FigureCell(r, r.Headline.ViolationsPerDay, Count) + " violations a day, all planes; where they landed below"
	}
	worst := math.NaN()
	for plane := range sim.NumPlanes {
		if u := r.Total.ViolationRate.At(plane).Upper; !(u <= worst) {
			worst = u
		}
	}
	return fmt.Sprintf("none in %d replications; every plane's violation rate is below %s (95%% upper bound)", r.Replications, results.Percent(worst))
}

// headlineTables are the forbidden landings by destination, the worst
// fences and the biggest causes.
func headlineTables(r *results.Report) []textTable {
	var ts []textTable
	h := r.Headline
	if len(h.Forbidden) > 0 {
		t := newTable("Forbidden landings: violations by where they landed, all populations", 2,
			"what", "landed in", "a day", "per join offered (all populations)")
		for _, f := range h.Forbidden {
			t.rows = append(t.rows, []string{LandingWhat(f.Plane, f.Via), f.Jurisdiction, FigureCell(r, f.PerDay, Count), RateCell(f.Rate)})
		}
		ts = append(ts, t)
	}
	if len(h.WorstFences) > 0 {
		t := newTable("Worst fences", 2,
			"population", "plane", "violation rate (of its joins)", "95% upper bound", "replications with violations")
		for _, f := range h.WorstFences {
			p := r.Population(f.Population)
			t.rows = append(t.rows, []string{f.Population, f.Plane, RateCell(f.Rate), results.Percent(f.Rate.Upper),
				ProportionCell(*p.ReplicationsWithViolations.At(results.PlaneIndex(f.Plane)))})
		}
		ts = append(ts, t)
	}
	if len(r.Groups) > 0 {
		ts = append(ts, groupFiguresTable(r))
	}
	if h.TopCauses > 0 {
		t := newTable("Biggest causes", 5,
			"population", "plane", "landed at", "let in by", "primaries", "busiest", "violations")
		for _, c := range r.Causes[:h.TopCauses] {
			t.rows = append(t.rows, []string{
				c.Population, LandingWhat(c.Plane, c.Via), c.Datacenter + " (" + c.Jurisdiction + ")",
				entryText(c), unavailableText(c),
				busiest(r, c.TopBuckets, 1), FigureCell(r, c.Count, Count),
			})
		}
		ts = append(ts, t)
	}
	return ts
}

// AllJoins says what a headline rate is of: every population's joins.
const AllJoins = "of all joins offered (every population)"

// groupFiguresTable gives each group's rates, of the group's joins
// pooled: "5.56% of EU joins" beside the 3.71% of all joins.
func groupFiguresTable(r *results.Report) textTable {
	t := newTable("Groups: rates of each group's joins (its populations' events over the joins they offered, pooled per replication)", 2,
		"group", "populations", "joins offered", "blocking")
	for p := range sim.NumPlanes {
		t.header = append(t.header, results.PlaneName(p)+" violation rate")
	}
	for _, g := range r.Groups {
		row := []string{g.ID, strings.Join(g.Populations, ", "), FigureCell(r, g.Offered, Count), RateCell(g.BlockingProbability)}
		for p := range sim.NumPlanes {
			row = append(row, RateCell(*g.ViolationRate.At(p)))
		}
		t.rows = append(t.rows, row)
	}
	return t
}

// unavailableText says which primaries were full and which down: "us-east
// full, us-west down".
func unavailableText(c results.CauseReport) string {
	var parts []string
	if len(c.Full) > 0 {
		parts = append(parts, strings.Join(c.Full, ", ")+" full")
	}
	if len(c.Down) > 0 {
		parts = append(parts, strings.Join(c.Down, ", ")+" down")
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// landingWhat names a plane's landing: "media", "keys", "connector", or
// "key copies" for keys that reached a connector.
func LandingWhat(plane, via string) string {
	if plane != via {
		return "key copies"
	}
	return plane
}

// entryText names the scenario entry that let a cause in, with its line
// when known: "kms-pool[3] (line 542)", "connector intl[1] (line 40)",
// "primary (line 12)".
func entryText(c results.CauseReport) string {
	s := results.ReachText(c)
	if c.Secondary {
		s = strings.Replace(s, "secondary ", "", 1)
	}
	switch {
	case c.At.Line > 0 && c.At.File != "":
		s += fmt.Sprintf(" (%s:%d)", c.At.File, c.At.Line)
	case c.At.Line > 0:
		s += fmt.Sprintf(" (line %d)", c.At.Line)
	}
	return s
}

// tables lays out every table of r, in reading order.
func tables(r *results.Report) []textTable {
	ts := []textTable{
		populationJoins(r),
		populationViolations(r),
		populationLatency(r),
		datacenterTraffic(r),
		datacenterLoad(r),
		total(r),
	}
	if len(r.Landings) > 0 {
		ts = append(ts, landingsTable(r), destinationsTable(r))
	}
	if len(r.Causes) > 0 {
		ts = append(ts, topCauses(r))
	}
	return ts
}

func populationJoins(r *results.Report) textTable {
	t := newTable("Populations: joins per replication", 2,
		"population", "region/jurisdiction/plan", "offered", "admitted primary", "admitted secondary", "blocked", "blocking probability", "secondary share", "retries")
	for _, p := range r.Populations {
		t.rows = append(t.rows, []string{
			p.ID, p.Region + "/" + p.Jurisdiction + "/" + p.Plan,
			FigureCell(r, p.Offered, Count), FigureCell(r, p.AdmittedPrimary, Count), FigureCell(r, p.AdmittedSecondary, Count),
			FigureCell(r, p.Blocked, Count), RateCell(p.BlockingProbability), RateCell(p.SecondaryShare),
			FigureCell(r, p.Retries, Count),
		})
	}
	return t
}

func populationViolations(r *results.Report) textTable {
	t := newTable("Populations: geofence violations per replication", 2,
		"population", "plane", "violations", "violation rate", "95% upper bound", "replications with violations", "violating minutes")
	for _, p := range r.Populations {
		for plane := range sim.NumPlanes {
			rate := *p.ViolationRate.At(plane)
			t.rows = append(t.rows, []string{
				p.ID, results.PlaneName(plane),
				FigureCell(r, *p.Violations.At(plane), Count), RateCell(rate), results.Percent(rate.Upper),
				ProportionCell(*p.ReplicationsWithViolations.At(plane)),
				FigureCell(r, *p.ViolatingMinutes.At(plane), Count),
			})
		}
	}
	return t
}

func populationLatency(r *results.Report) textTable {
	t := newTable("Populations: setup latency (ms)", 1,
		"population", "p50", "p95", "p99")
	for _, p := range r.Populations {
		t.rows = append(t.rows, []string{p.ID, FigureCell(r, p.LatencyP50, Millis), FigureCell(r, p.LatencyP95, Millis), FigureCell(r, p.LatencyP99, Millis)})
	}
	return t
}

// datacenterTraffic counts attempts and violations per datacenter plane.
// Key copies at a connector and the copies that violate a key fence have
// their own columns, so that the violations column adds up to the
// populations' violations of the same plane, and the key copy violations
// with the keys plane's to the populations' key violations.
func datacenterTraffic(r *results.Report) textTable {
	t := newTable("Datacenters: attempts per replication", 3,
		"datacenter", "region/jurisdiction", "plane", "admitted primary", "admitted secondary", "refused", "failed", "violations", "key copies", "key copy violations", "dropped")
	for _, d := range r.Datacenters {
		for _, p := range d.Planes {
			copies, copyViolations := "-", "-"
			if p.KeyCopies != nil {
				copies, copyViolations = FigureCell(r, *p.KeyCopies, Count), FigureCell(r, *p.KeyCopyViolations, Count)
			}
			t.rows = append(t.rows, []string{
				d.ID, d.Region + "/" + d.Jurisdiction, p.Plane,
				FigureCell(r, p.AdmittedPrimary, Count), FigureCell(r, p.AdmittedSecondary, Count), FigureCell(r, p.Refused, Count),
				FigureCell(r, p.Failed, Count), FigureCell(r, p.Violations, Count), copies, copyViolations, FigureCell(r, p.Dropped, Count),
			})
		}
	}
	return t
}

func datacenterLoad(r *results.Report) textTable {
	t := newTable("Datacenters: load", 2,
		"datacenter", "plane", "mean occupancy", "utilisation", "time congestion", "down fraction")
	for _, d := range r.Datacenters {
		for _, p := range d.Planes {
			utilisation := "unlimited"
			if p.Utilisation != nil {
				utilisation = FigureCell(r, *p.Utilisation, Fraction)
			}
			t.rows = append(t.rows, []string{
				d.ID, p.Plane, FigureCell(r, p.MeanOccupancy, Count), utilisation,
				FigureCell(r, p.TimeCongestion, Fraction), FigureCell(r, p.DownFraction, Fraction),
			})
		}
	}
	return t
}

func total(r *results.Report) textTable {
	f := r.Total
	t := newTable("Total: all populations per replication", 1, "figure", "estimate")
	t.rows = [][]string{
		{"offered", FigureCell(r, f.Offered, Count)},
		{"admitted primary", FigureCell(r, f.AdmittedPrimary, Count)},
		{"admitted secondary", FigureCell(r, f.AdmittedSecondary, Count)},
		{"blocked", FigureCell(r, f.Blocked, Count)},
		{"blocking probability", RateCell(f.BlockingProbability)},
		{"secondary share", RateCell(f.SecondaryShare)},
		{"retries", FigureCell(r, f.Retries, Count)},
	}
	if f.Unanswered != nil {
		t.rows = append(t.rows,
			[]string{"unanswered", FigureCell(r, *f.Unanswered, Count)},
			[]string{"unanswered rate", RateCell(*f.UnansweredRate) + " (95% upper bound " + results.Percent(f.UnansweredRate.Upper) + ")"})
	}
	if f.Rejoins != nil {
		t.rows = append(t.rows,
			[]string{"rejoins after a drop (of offered)", FigureCell(r, *f.Rejoins, Count)},
			[]string{"rejoins blocked", RateCell(*f.RejoinBlocking) + " (95% upper bound " + results.Percent(f.RejoinBlocking.Upper) + ")"})
	}
	for plane := range sim.NumPlanes {
		name := results.PlaneName(plane)
		rate := *f.ViolationRate.At(plane)
		t.rows = append(t.rows,
			[]string{name + " violations", FigureCell(r, *f.Violations.At(plane), Count)},
			[]string{name + " violation rate", RateCell(rate) + " (95% upper bound " + results.Percent(rate.Upper) + ")"},
			[]string{name + " replications with violations", ProportionCell(*f.ReplicationsWithViolations.At(plane))},
			[]string{name + " violating minutes", FigureCell(r, *f.ViolatingMinutes.At(plane), Count)},
		)
	}
	t.rows = append(t.rows,
		[]string{"latency p50 (ms)", FigureCell(r, f.LatencyP50, Millis)},
		[]string{"latency p95 (ms)", FigureCell(r, f.LatencyP95, Millis)},
		[]string{"latency p99 (ms)", FigureCell(r, f.LatencyP99, Millis)},
	)
	return t
}

// landingsTable is the landing matrix: population × plane × jurisdiction.
func landingsTable(r *results.Report) textTable {
	t := newTable("Landings: where each population's joins and keys ended up, per replication", 4,
		"population", "what", "jurisdiction", "policy", "landings", "per join offered")
	for _, l := range r.Landings {
		t.rows = append(t.rows, []string{l.Population, LandingWhat(l.Plane, l.Via), l.Jurisdiction, allowedText(l.Allowed), FigureCell(r, l.Count, Count), RateCell(l.Share)})
	}
	return t
}

// destinationsTable adds the landings up by destination.
func destinationsTable(r *results.Report) textTable {
	t := newTable("Destinations: landings per jurisdiction, all populations, per replication", 2,
		"what", "jurisdiction", "landings", "from other jurisdictions", "forbidden")
	for _, d := range r.Destinations {
		t.rows = append(t.rows, []string{LandingWhat(d.Plane, d.Via), d.Jurisdiction, FigureCell(r, d.Landed, Count), FigureCell(r, d.Foreign, Count), FigureCell(r, d.Forbidden, Count)})
	}
	return t
}

func allowedText(allowed bool) string {
	if allowed {
		return "allowed"
	}
	return "FORBIDDEN"
}

func topCauses(r *results.Report) textTable {
	t := newTable("Top causes of violations", 7,
		"population", "plane", "admitted at", "reached as", "primaries full", "primaries down", "busiest hours (mean violations)", "violations", "violating minutes")
	for _, c := range r.Causes[:min(len(r.Causes), maxCauseRows)] {
		t.rows = append(t.rows, []string{
			c.Population, c.Plane, c.Datacenter + " (" + c.Jurisdiction + ")", results.ReachText(c), results.IdList(c.Full), results.IdList(c.Down),
			busiest(r, c.TopBuckets, results.TopBuckets), FigureCell(r, c.Count, Count), FigureCell(r, c.ViolatingMinutes, Count),
		})
	}
	if more := len(r.Causes) - maxCauseRows; more > 0 {
		t.note = fmt.Sprintf("%d more causes in the json and csv formats", more)
	}
	return t
}

// busiest writes a cause's first n top buckets as time windows with their
// mean count, e.g. "15:00–16:00 UTC: 224.8".
func busiest(r *results.Report, bs []results.BucketCount, n int) string {
	parts := make([]string, min(n, len(bs)))
	for i := range parts {
		parts[i] = r.Window(bs[i].Bucket) + ": " + strconv.FormatFloat(bs[i].Mean, 'f', 1, 64)
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// unit is how a figure's numbers are written.
type Unit int

const (
	Count    Unit = iota // counts, minutes and occupancies: one decimal
	Fraction             // probabilities and fractions: percent, 3 significant digits
	Millis               // seconds, written in milliseconds with one decimal
)

func (u Unit) format(x float64) string {
	switch u {
	case Fraction:
		return results.Percent(x)
	case Millis:
		return strconv.FormatFloat(1000*x, 'f', 1, 64)
	default:
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
}

// formatHalf writes a half-width; for fractions two significant digits
// say as much as the interval knows.
func (u Unit) formatHalf(x float64) string {
	if u == Fraction {
		return strconv.FormatFloat(100*x, 'g', 2, 64) + "%"
	}
	return u.format(x)
}

// rateCell writes a rate as "mean ± half-width", or, when no replication
// counted an event, as "< upper bound": zero events in N joins rule out
// rates above about 3/N and nothing below, and "0 ± 0" would read as
// certainty.
func RateCell(e results.Estimate) string {
	if e.UpperBy == results.UpperClopperPearson {
		return "< " + results.Percent(e.Upper)
	}
	return EstimateCell(e, Fraction, e.N)
}

// proportionCell writes k/n with its exact interval, "4/10 [12%, 74%]".
func ProportionCell(p results.Proportion) string {
	return fmt.Sprintf("%d/%d [%s, %s]", p.K, p.N, results.Percent(p.Low), results.Percent(p.High))
}

// figureCell writes e as estimateCell does, for a figure of r.
func FigureCell(r *results.Report, e results.Estimate, u Unit) string {
	return EstimateCell(e, u, r.Replications)
}

// estimateCell writes e as "mean ± half-width", "n/a" for what is unknown,
// and says how many of the replications counted when some did not.
func EstimateCell(e results.Estimate, u Unit, replications int) string {
	if math.IsNaN(e.Mean) {
		return "n/a"
	}
	half := "n/a"
	if !math.IsNaN(e.HalfWidth) {
		half = u.formatHalf(e.HalfWidth)
	}
	s := u.format(e.Mean) + " ± " + half
	if e.N < replications {
		s += fmt.Sprintf(" (n=%d)", e.N)
	}
	return s
}

// duration writes seconds the way the scenario format does, without
// trailing zero units ("4h" and "30m", not "4h0m0s" and "30m0s").
func Duration(seconds float64) string {
	s := scenarios.Duration(seconds).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
		if strings.HasSuffix(s, "h0m") {
			s = strings.TrimSuffix(s, "0m")
		}
	}
	return s
}
