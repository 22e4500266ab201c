package results

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// The table and markdown formats show the same content: a header block of
// run facts, then titled tables. This file lays that content out as text;
// the two renderers only draw it.

// maxCauseRows bounds the causes a text report lists; JSON and CSV hold all.
const maxCauseRows = 10

// legendPointer ends every text report.
const legendPointer = "figures: see `geofence help figures`"

// fact is one line of the header block.
type fact struct{ name, value string }

// textTable is one titled table. Its first labels columns name the row and
// are aligned left; the others hold figures and are aligned right.
type textTable struct {
	title  string
	labels int
	header []string
	rows   [][]string
	note   string // printed under the table when set
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
func reportDoc(r *Report, detail bool) textDoc {
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
func facts(r *Report) []fact {
	return append([]fact{
		{"scenario", r.Scenario.Name},
		{"file", r.Scenario.File + " (sha256 " + r.Scenario.SHA256 + ")"},
		{"overrides", overridesText(r.Scenario.Overrides)},
		{"run", fmt.Sprintf("%s %s, seed %d, %d replication%s", r.Tool, r.Version, r.Seed, r.Replications, plural(r.Replications))},
		{"measured", measuredText(r)},
		{"intervals", intervalsText(r.Confidence)},
	}, headlineFacts(r)...)
}

// headlineFacts are the headline's figures as facts: joins offered a
// day, blocking, and forbidden landings.
func headlineFacts(r *Report) []fact {
	h := r.Headline
	blocking := rateCell(h.Blocking)
	if h.Blocking.UpperBy == UpperStudentT {
		blocking += " (95% upper bound " + percent(h.Blocking.Upper) + ")"
	}
	return []fact{
		{"joins offered", estimateCell(h.JoinsPerDay, count, r.Replications) + " a day"},
		{"blocked", blocking},
		{"forbidden landings", forbiddenSummary(r)},
	}
}

// overridesText lists the overrides, or says there were none.
func overridesText(overrides []string) string {
	if len(overrides) == 0 {
		return "none"
	}
	return strings.Join(overrides, "; ")
}

// measuredText says which part of the horizon was measured, in clock time.
func measuredText(r *Report) string {
	return fmt.Sprintf("%s from %s, after a warm-up of %s; buckets of %s",
		duration(r.HorizonS-r.WarmupS), r.clock(r.WarmupS), duration(r.WarmupS), duration(r.BucketS))
}

// forbiddenSummary says how much landed where the policy forbids, or how
// little can be ruled out when nothing did.
func forbiddenSummary(r *Report) string {
	if len(r.Headline.Forbidden) > 0 {
		return figureCell(r, r.Headline.ViolationsPerDay, count) + " violations a day, all planes; where they landed below"
	}
	worst := math.NaN()
	for plane := range sim.NumPlanes {
		if u := r.Total.ViolationRate.at(plane).Upper; !(u <= worst) {
			worst = u
		}
	}
	return fmt.Sprintf("none in %d replications; every plane's violation rate is below %s (95%% upper bound)", r.Replications, percent(worst))
}

// headlineTables are the forbidden landings by destination, the worst
// fences and the biggest causes.
func headlineTables(r *Report) []textTable {
	var ts []textTable
	h := r.Headline
	if len(h.Forbidden) > 0 {
		t := textTable{
			title:  "Forbidden landings: violations by where they landed, all populations",
			labels: 2,
			header: []string{"what", "landed in", "a day", "per join offered"},
		}
		for _, f := range h.Forbidden {
			t.rows = append(t.rows, []string{landingWhat(f.Plane, f.Via), f.Jurisdiction, figureCell(r, f.PerDay, count), rateCell(f.Rate)})
		}
		ts = append(ts, t)
	}
	if len(h.WorstFences) > 0 {
		t := textTable{
			title:  "Worst fences",
			labels: 2,
			header: []string{"population", "plane", "violation rate", "95% upper bound", "replications with violations"},
		}
		for _, f := range h.WorstFences {
			p := r.population(f.Population)
			t.rows = append(t.rows, []string{f.Population, f.Plane, rateCell(f.Rate), percent(f.Rate.Upper),
				proportionCell(*p.ReplicationsWithViolations.at(planeIndex(f.Plane)))})
		}
		ts = append(ts, t)
	}
	if h.TopCauses > 0 {
		t := textTable{
			title:  "Biggest causes",
			labels: 5,
			header: []string{"population", "plane", "landed at", "let in by", "primaries", "busiest", "violations"},
		}
		for _, c := range r.Causes[:h.TopCauses] {
			t.rows = append(t.rows, []string{
				c.Population, landingWhat(c.Plane, c.Via), c.Datacenter + " (" + c.Jurisdiction + ")",
				entryText(c), unavailableText(c),
				busiest(r, c.TopBuckets, 1), figureCell(r, c.Count, count),
			})
		}
		ts = append(ts, t)
	}
	return ts
}

// unavailableText says which primaries were full and which down: "us-east
// full, us-west down".
func unavailableText(c CauseReport) string {
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

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}

// landingWhat names a plane's landing: "media", "keys", "connector", or
// "key copies" for keys that reached a connector.
func landingWhat(plane, via string) string {
	if plane != via {
		return "key copies"
	}
	return plane
}

// entryText names the scenario entry that let a cause in, with its line
// when known: "kms-pool[3] (line 542)", "connector intl[1] (line 40)",
// "primary (line 12)".
func entryText(c CauseReport) string {
	s := reachText(c)
	if c.Secondary {
		s = strings.Replace(s, "secondary ", "", 1)
	}
	if c.At.Line > 0 {
		s += fmt.Sprintf(" (line %d)", c.At.Line)
	}
	return s
}

// population returns the report of the population called id.
func (r *Report) population(id string) *PopulationReport {
	for i := range r.Populations {
		if r.Populations[i].ID == id {
			return &r.Populations[i]
		}
	}
	return &PopulationReport{}
}

// planeIndex is the index of the plane called name.
func planeIndex(name string) sim.Plane {
	for p := range sim.NumPlanes {
		if planeName(p) == name {
			return p
		}
	}
	return sim.Media
}

// tables lays out every table of r, in reading order.
func tables(r *Report) []textTable {
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

func populationJoins(r *Report) textTable {
	t := textTable{
		title:  "Populations: joins per replication",
		labels: 2,
		header: []string{"population", "region/jurisdiction/plan", "offered", "admitted primary", "admitted secondary", "blocked", "blocking probability", "secondary share", "retries"},
	}
	for _, p := range r.Populations {
		t.rows = append(t.rows, []string{
			p.ID, p.Region + "/" + p.Jurisdiction + "/" + p.Plan,
			figureCell(r, p.Offered, count), figureCell(r, p.AdmittedPrimary, count), figureCell(r, p.AdmittedSecondary, count),
			figureCell(r, p.Blocked, count), rateCell(p.BlockingProbability), rateCell(p.SecondaryShare),
			figureCell(r, p.Retries, count),
		})
	}
	return t
}

func populationViolations(r *Report) textTable {
	t := textTable{
		title:  "Populations: geofence violations per replication",
		labels: 2,
		header: []string{"population", "plane", "violations", "violation rate", "95% upper bound", "replications with violations", "violating minutes"},
	}
	for _, p := range r.Populations {
		for plane := range sim.NumPlanes {
			rate := *p.ViolationRate.at(plane)
			t.rows = append(t.rows, []string{
				p.ID, planeName(plane),
				figureCell(r, *p.Violations.at(plane), count), rateCell(rate), percent(rate.Upper),
				proportionCell(*p.ReplicationsWithViolations.at(plane)),
				figureCell(r, *p.ViolatingMinutes.at(plane), count),
			})
		}
	}
	return t
}

func populationLatency(r *Report) textTable {
	t := textTable{
		title:  "Populations: setup latency (ms)",
		labels: 1,
		header: []string{"population", "p50", "p95", "p99"},
	}
	for _, p := range r.Populations {
		t.rows = append(t.rows, []string{p.ID, figureCell(r, p.LatencyP50, millis), figureCell(r, p.LatencyP95, millis), figureCell(r, p.LatencyP99, millis)})
	}
	return t
}

// datacenterTraffic counts attempts and violations per datacenter plane.
// Key copies at a connector and the copies that violate a key fence have
// their own columns, so that the violations column adds up to the
// populations' violations of the same plane, and the key copy violations
// with the keys plane's to the populations' key violations.
func datacenterTraffic(r *Report) textTable {
	t := textTable{
		title:  "Datacenters: attempts per replication",
		labels: 3,
		header: []string{"datacenter", "region/jurisdiction", "plane", "admitted primary", "admitted secondary", "refused", "failed", "violations", "key copies", "key copy violations", "dropped"},
	}
	for _, d := range r.Datacenters {
		for _, p := range d.Planes {
			copies, copyViolations := "-", "-"
			if p.KeyCopies != nil {
				copies, copyViolations = figureCell(r, *p.KeyCopies, count), figureCell(r, *p.KeyCopyViolations, count)
			}
			t.rows = append(t.rows, []string{
				d.ID, d.Region + "/" + d.Jurisdiction, p.Plane,
				figureCell(r, p.AdmittedPrimary, count), figureCell(r, p.AdmittedSecondary, count), figureCell(r, p.Refused, count),
				figureCell(r, p.Failed, count), figureCell(r, p.Violations, count), copies, copyViolations, figureCell(r, p.Dropped, count),
			})
		}
	}
	return t
}

func datacenterLoad(r *Report) textTable {
	t := textTable{
		title:  "Datacenters: load",
		labels: 2,
		header: []string{"datacenter", "plane", "mean occupancy", "utilisation", "time congestion", "down fraction"},
	}
	for _, d := range r.Datacenters {
		for _, p := range d.Planes {
			utilisation := "unlimited"
			if p.Utilisation != nil {
				utilisation = figureCell(r, *p.Utilisation, fraction)
			}
			t.rows = append(t.rows, []string{
				d.ID, p.Plane, figureCell(r, p.MeanOccupancy, count), utilisation,
				figureCell(r, p.TimeCongestion, fraction), figureCell(r, p.DownFraction, fraction),
			})
		}
	}
	return t
}

func total(r *Report) textTable {
	f := r.Total
	t := textTable{
		title:  "Total: all populations per replication",
		labels: 1,
		header: []string{"figure", "estimate"},
		rows: [][]string{
			{"offered", figureCell(r, f.Offered, count)},
			{"admitted primary", figureCell(r, f.AdmittedPrimary, count)},
			{"admitted secondary", figureCell(r, f.AdmittedSecondary, count)},
			{"blocked", figureCell(r, f.Blocked, count)},
			{"blocking probability", rateCell(f.BlockingProbability)},
			{"secondary share", rateCell(f.SecondaryShare)},
			{"retries", figureCell(r, f.Retries, count)},
		},
	}
	for plane := range sim.NumPlanes {
		name := planeName(plane)
		rate := *f.ViolationRate.at(plane)
		t.rows = append(t.rows,
			[]string{name + " violations", figureCell(r, *f.Violations.at(plane), count)},
			[]string{name + " violation rate", rateCell(rate) + " (95% upper bound " + percent(rate.Upper) + ")"},
			[]string{name + " replications with violations", proportionCell(*f.ReplicationsWithViolations.at(plane))},
			[]string{name + " violating minutes", figureCell(r, *f.ViolatingMinutes.at(plane), count)},
		)
	}
	t.rows = append(t.rows,
		[]string{"latency p50 (ms)", figureCell(r, f.LatencyP50, millis)},
		[]string{"latency p95 (ms)", figureCell(r, f.LatencyP95, millis)},
		[]string{"latency p99 (ms)", figureCell(r, f.LatencyP99, millis)},
	)
	return t
}

// landingsTable is the landing matrix: population × plane × jurisdiction.
func landingsTable(r *Report) textTable {
	t := textTable{
		title:  "Landings: where each population's joins and keys ended up, per replication",
		labels: 4,
		header: []string{"population", "what", "jurisdiction", "policy", "landings", "per join offered"},
	}
	for _, l := range r.Landings {
		t.rows = append(t.rows, []string{l.Population, landingWhat(l.Plane, l.Via), l.Jurisdiction, allowedText(l.Allowed), figureCell(r, l.Count, count), rateCell(l.Share)})
	}
	return t
}

// destinationsTable adds the landings up by destination.
func destinationsTable(r *Report) textTable {
	t := textTable{
		title:  "Destinations: landings per jurisdiction, all populations, per replication",
		labels: 2,
		header: []string{"what", "jurisdiction", "landings", "from other jurisdictions", "forbidden"},
	}
	for _, d := range r.Destinations {
		t.rows = append(t.rows, []string{landingWhat(d.Plane, d.Via), d.Jurisdiction, figureCell(r, d.Landed, count), figureCell(r, d.Foreign, count), figureCell(r, d.Forbidden, count)})
	}
	return t
}

func allowedText(allowed bool) string {
	if allowed {
		return "allowed"
	}
	return "FORBIDDEN"
}

func topCauses(r *Report) textTable {
	t := textTable{
		title:  "Top causes of violations",
		labels: 7,
		header: []string{"population", "plane", "admitted at", "reached as", "primaries full", "primaries down", "busiest hours (mean violations)", "violations", "violating minutes"},
	}
	for _, c := range r.Causes[:min(len(r.Causes), maxCauseRows)] {
		t.rows = append(t.rows, []string{
			c.Population, c.Plane, c.Datacenter + " (" + c.Jurisdiction + ")", reachText(c), idList(c.Full), idList(c.Down),
			busiest(r, c.TopBuckets, topBuckets), figureCell(r, c.Count, count), figureCell(r, c.ViolatingMinutes, count),
		})
	}
	if more := len(r.Causes) - maxCauseRows; more > 0 {
		t.note = fmt.Sprintf("%d more causes in the json and csv formats", more)
	}
	return t
}

// reachText says how the violating datacenter was reached: as a primary or as
// a secondary from a whitelist entry, on the route of another plane when
// that is where the breach happened (a key copied to a connector).
func reachText(c CauseReport) string {
	s := "primary"
	if c.Secondary {
		s = "secondary " + c.Whitelist
		if c.Entry != nil {
			s += fmt.Sprintf("[%d]", *c.Entry)
		}
	}
	if c.Via != c.Plane {
		s = c.Via + " " + s
	}
	return s
}

// idList joins ids for a cell, "-" when there are none.
func idList(ids []string) string {
	if len(ids) == 0 {
		return "-"
	}
	return strings.Join(ids, ", ")
}

// busiest writes a cause's first n top buckets as time windows with their
// mean count, e.g. "15:00–16:00 UTC: 224.8".
func busiest(r *Report, bs []BucketCount, n int) string {
	parts := make([]string, min(n, len(bs)))
	for i := range parts {
		parts[i] = r.Window(bs[i].Bucket) + ": " + strconv.FormatFloat(bs[i].Mean, 'f', 1, 64)
	}
	if len(parts) == 0 {
		return "-"
	}
	return strings.Join(parts, ", ")
}

// Window spells time bucket b of r as every output does: its clock times
// in UTC, "15:00–16:00 UTC", with the day when it is not the first day of
// the run, "00:00–01:00 UTC (day 2)". Clock times come from the report's
// start (00:00 UTC when the scenario gives none).
func (r *Report) Window(b int) string {
	from := float64(b) * r.BucketS
	to := min(from+r.BucketS, r.HorizonS)
	s := r.clockTime(from) + "–" + r.clockTime(to) + " UTC"
	if day := r.day(from); day > 1 {
		s += fmt.Sprintf(" (day %d)", day)
	}
	return s
}

// clock is simulation time t as a UTC clock time, "15:00 UTC", or
// "00:00 UTC (day 2)" past the first day.
func (r *Report) clock(t float64) string {
	s := r.clockTime(t) + " UTC"
	if day := r.day(t); day > 1 {
		s += fmt.Sprintf(" (day %d)", day)
	}
	return s
}

// clockTime is the UTC time of day at simulation time t, "15:00"; seconds
// and fractions are shown only when t has them.
func (r *Report) clockTime(t float64) string {
	at := r.startTime().Add(time.Duration(t * float64(time.Second)))
	switch {
	case at.Nanosecond() != 0:
		return at.Format("15:04:05.000")
	case at.Second() != 0:
		return at.Format("15:04:05")
	}
	return at.Format("15:04")
}

// day is the day of the run, counted from 1, that simulation time t falls
// in, by the UTC calendar.
func (r *Report) day(t float64) int {
	start := r.startTime()
	at := start.Add(time.Duration(t * float64(time.Second)))
	midnight := func(x time.Time) time.Time { return time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC) }
	return int(midnight(at).Sub(midnight(start)).Hours()/24) + 1
}

// startTime is the calendar time of simulation time 0: the report's start,
// or midnight UTC of no particular day.
func (r *Report) startTime() time.Time {
	if t, err := time.Parse(time.RFC3339, r.Start); err == nil {
		return t.UTC()
	}
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
}

// unit is how a figure's numbers are written.
type unit int

const (
	count    unit = iota // counts, minutes and occupancies: one decimal
	fraction             // probabilities and fractions: percent, 3 significant digits
	millis               // seconds, written in milliseconds with one decimal
)

func (u unit) format(x float64) string {
	switch u {
	case fraction:
		return percent(x)
	case millis:
		return strconv.FormatFloat(1000*x, 'f', 1, 64)
	default:
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
}

// formatHalf writes a half-width; for fractions two significant digits
// say as much as the interval knows.
func (u unit) formatHalf(x float64) string {
	if u == fraction {
		return strconv.FormatFloat(100*x, 'g', 2, 64) + "%"
	}
	return u.format(x)
}

// percent writes a fraction as a percentage with 3 significant digits,
// "n/a" when it is unknown.
func percent(x float64) string {
	if math.IsNaN(x) {
		return "n/a"
	}
	return strconv.FormatFloat(100*x, 'g', 3, 64) + "%"
}

// rateCell writes a rate as "mean ± half-width", or, when no replication
// counted an event, as "< upper bound": zero events in N joins rule out
// rates above about 3/N and nothing below, and "0 ± 0" would read as
// certainty.
func rateCell(e Estimate) string {
	if e.UpperBy == UpperClopperPearson {
		return "< " + percent(e.Upper)
	}
	return estimateCell(e, fraction, e.N)
}

// proportionCell writes k/n with its exact interval, "4/10 [12%, 74%]".
func proportionCell(p Proportion) string {
	return fmt.Sprintf("%d/%d [%s, %s]", p.K, p.N, percent(p.Low), percent(p.High))
}

// figureCell writes e as estimateCell does, for a figure of r.
func figureCell(r *Report, e Estimate, u unit) string { return estimateCell(e, u, r.Replications) }

// estimateCell writes e as "mean ± half-width", "n/a" for what is unknown,
// and says how many of the replications counted when some did not.
func estimateCell(e Estimate, u unit, replications int) string {
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
func duration(seconds float64) string {
	s := scenarios.Duration(seconds).String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
		if strings.HasSuffix(s, "h0m") {
			s = strings.TrimSuffix(s, "0m")
		}
	}
	return s
}
