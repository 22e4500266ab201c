package results

import (
	"fmt"
	"math"
	"strconv"
	"strings"

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
// block of facts, titled tables, then titled lists; a list without items
// is left out.
type textDoc struct {
	title  string
	facts  []fact
	tables []textTable
	lists  []textList
}

// textList is a titled list of sentences.
type textList struct {
	title string
	items []string
}

// reportDoc lays out r for the table and markdown formats.
func reportDoc(r *Report) textDoc {
	return textDoc{title: r.Scenario.Name, facts: facts(r), tables: tables(r)}
}

// facts returns the header block of r.
func facts(r *Report) []fact {
	return []fact{
		{"tool", strings.TrimSpace(r.Tool + " " + r.Version)},
		{"scenario", r.Scenario.Name},
		{"file", r.Scenario.File},
		{"sha256", r.Scenario.SHA256},
		{"seed", strconv.FormatUint(r.Seed, 10)},
		{"replications", strconv.Itoa(r.Replications)},
		{"horizon", fmt.Sprintf("%s (warm-up %s, buckets of %s)", duration(r.HorizonS), duration(r.WarmupS), duration(r.BucketS))},
		{"intervals", fmt.Sprintf("mean ± half-width of the %g%% Student-t interval over replications", 100*r.Confidence)},
	}
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
			r.cell(p.Offered, count), r.cell(p.AdmittedPrimary, count), r.cell(p.AdmittedSecondary, count),
			r.cell(p.Blocked, count), r.cell(p.BlockingProbability, fraction), r.cell(p.SecondaryShare, fraction),
			r.cell(p.Retries, count),
		})
	}
	return t
}

func populationViolations(r *Report) textTable {
	t := textTable{
		title:  "Populations: geofence violations per replication",
		labels: 2,
		header: []string{"population", "plane", "violations", "violation rate", "violating minutes"},
	}
	for _, p := range r.Populations {
		for plane := range sim.NumPlanes {
			t.rows = append(t.rows, []string{
				p.ID, planeName(plane),
				r.cell(*p.Violations.at(plane), count), r.cell(*p.ViolationRate.at(plane), fraction),
				r.cell(*p.ViolatingMinutes.at(plane), count),
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
		t.rows = append(t.rows, []string{p.ID, r.cell(p.LatencyP50, millis), r.cell(p.LatencyP95, millis), r.cell(p.LatencyP99, millis)})
	}
	return t
}

func datacenterTraffic(r *Report) textTable {
	t := textTable{
		title:  "Datacenters: attempts per replication",
		labels: 3,
		header: []string{"datacenter", "region/jurisdiction", "plane", "admitted primary", "admitted secondary", "refused", "failed", "violations", "dropped"},
	}
	for _, d := range r.Datacenters {
		for _, p := range d.Planes {
			t.rows = append(t.rows, []string{
				d.ID, d.Region + "/" + d.Jurisdiction, p.Plane,
				r.cell(p.AdmittedPrimary, count), r.cell(p.AdmittedSecondary, count), r.cell(p.Refused, count),
				r.cell(p.Failed, count), r.cell(p.Violations, count), r.cell(p.Dropped, count),
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
				utilisation = r.cell(*p.Utilisation, fraction)
			}
			t.rows = append(t.rows, []string{
				d.ID, p.Plane, r.cell(p.MeanOccupancy, count), utilisation,
				r.cell(p.TimeCongestion, fraction), r.cell(p.DownFraction, fraction),
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
			{"offered", r.cell(f.Offered, count)},
			{"admitted primary", r.cell(f.AdmittedPrimary, count)},
			{"admitted secondary", r.cell(f.AdmittedSecondary, count)},
			{"blocked", r.cell(f.Blocked, count)},
			{"blocking probability", r.cell(f.BlockingProbability, fraction)},
			{"secondary share", r.cell(f.SecondaryShare, fraction)},
			{"retries", r.cell(f.Retries, count)},
		},
	}
	for plane := range sim.NumPlanes {
		name := planeName(plane)
		t.rows = append(t.rows,
			[]string{name + " violations", r.cell(*f.Violations.at(plane), count)},
			[]string{name + " violation rate", r.cell(*f.ViolationRate.at(plane), fraction)},
			[]string{name + " violating minutes", r.cell(*f.ViolatingMinutes.at(plane), count)},
		)
	}
	t.rows = append(t.rows,
		[]string{"latency p50 (ms)", r.cell(f.LatencyP50, millis)},
		[]string{"latency p95 (ms)", r.cell(f.LatencyP95, millis)},
		[]string{"latency p99 (ms)", r.cell(f.LatencyP99, millis)},
	)
	return t
}

func topCauses(r *Report) textTable {
	t := textTable{
		title:  "Top causes of violations",
		labels: 7,
		header: []string{"population", "plane", "admitted at", "reached as", "primaries full", "primaries down", "busiest buckets (start: mean)", "violations", "violating minutes"},
	}
	for _, c := range r.Causes[:min(len(r.Causes), maxCauseRows)] {
		t.rows = append(t.rows, []string{
			c.Population, c.Plane, c.Datacenter + " (" + c.Jurisdiction + ")", c.reach(), idList(c.Full), idList(c.Down),
			r.peaks(c.TopBuckets), r.cell(c.Count, count), r.cell(c.ViolatingMinutes, count),
		})
	}
	if more := len(r.Causes) - maxCauseRows; more > 0 {
		t.note = fmt.Sprintf("%d more causes in the json and csv formats", more)
	}
	return t
}

// reach says how the violating datacenter was reached: as a primary or as
// a secondary from a whitelist entry, on the route of another plane when
// that is where the breach happened (a key copied to a connector).
func (c CauseReport) reach() string {
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

// peaks formats a cause's top buckets as "start: mean count".
func (r *Report) peaks(bs []BucketCount) string {
	parts := make([]string, len(bs))
	for i, b := range bs {
		parts[i] = duration(float64(b.Bucket)*r.BucketS) + ": " + strconv.FormatFloat(b.Mean, 'f', 1, 64)
	}
	return strings.Join(parts, ", ")
}

// unit is how a figure's numbers are written.
type unit int

const (
	count    unit = iota // counts, minutes and occupancies: one decimal
	fraction             // probabilities and fractions: 4 significant digits
	millis               // seconds, written in milliseconds with one decimal
)

func (u unit) format(x float64) string {
	switch u {
	case fraction:
		return strconv.FormatFloat(x, 'g', 4, 64)
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
		return strconv.FormatFloat(x, 'g', 2, 64)
	}
	return u.format(x)
}

// cell writes e as estimateCell does, for a figure of r.
func (r *Report) cell(e Estimate, u unit) string { return estimateCell(e, u, r.Replications) }

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
