package render

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/sim"
)

// csvHeader names the columns of the csv format. It is tidy: one row per
// figure of one entity (and, for series, one bucket; with
// --per-replication, one replication), ready for a data frame. Every row
// starts with the run's provenance (scenario, its file's SHA-256, seed,
// tool version, overrides, each with what it did in words), so that the rows of many runs can be
// concatenated and still told apart. The entity columns (population to
// primaries_down) are filled where they apply and empty elsewhere; value
// is the mean over replications on summary rows and the replication's own
// value on per-replication rows, whose replication column is set.
var csvHeader = []string{
	"scenario", "sha256", "seed", "version", "overrides",
	"section", "population", "datacenter", "jurisdiction", "plane", "via", "policy", "entry", "primaries_full", "primaries_down",
	"figure", "bucket", "window", "replication",
	"value", "low", "high", "half_width", "upper", "n",
}

// csvEntity is the entity columns of a row: who or what the figure is of.
type csvEntity struct {
	population, datacenter, jurisdiction, plane, via, policy, entry, full, down string
}

func (e csvEntity) cells() []string {
	return []string{e.population, e.datacenter, e.jurisdiction, e.plane, e.via, e.policy, e.entry, e.full, e.down}
}

// renderCSV writes every figure of r as rows of csvHeader's columns:
// sections headline, population, total, datacenter, landing, destination,
// cause, blame, population_series, datacenter_series and forbidden_series,
// in that order; a forbidden_series row without a jurisdiction is a
// plane's total, with its interval.
func renderCSV(w io.Writer, r *results.Report, perReplication bool) error {
	cw := csv.NewWriter(w)
	rows := &csvRows{w: cw, perReplication: perReplication, provenance: []string{
		r.Scenario.Name, r.Scenario.SHA256, strconv.FormatUint(r.Seed, 10), r.Version, OverridesCell(r.Scenario),
	}}
	rows.header()
	h := r.Headline
	rows.estimate("headline", csvEntity{}, "joins_per_day", h.JoinsPerDay)
	rows.estimate("headline", csvEntity{}, "blocking_probability", h.Blocking)
	rows.estimate("headline", csvEntity{}, "violations_per_day", h.ViolationsPerDay)
	for p := range sim.NumPlanes {
		rows.estimate("headline", csvEntity{plane: results.PlaneName(p)}, "violations_per_day", *h.PlaneViolationsPerDay.At(p))
	}
	for _, f := range h.Forbidden {
		e := csvEntity{jurisdiction: f.Jurisdiction, plane: f.Plane, via: f.Via, policy: "forbidden"}
		rows.estimate("headline", e, "forbidden_per_day", f.PerDay)
		rows.estimate("headline", e, "forbidden_rate", f.Rate)
	}
	for _, p := range r.Populations {
		rows.figures("population", p.ID, p.Figures)
	}
	rows.figures("total", "", r.Total)
	for _, d := range r.Datacenters {
		for _, p := range d.Planes {
			ent := csvEntity{datacenter: d.ID, jurisdiction: d.Jurisdiction, plane: p.Plane}
			e := func(figure string, est results.Estimate) { rows.estimate("datacenter", ent, figure, est) }
			e("admitted_primary", p.AdmittedPrimary)
			e("admitted_secondary", p.AdmittedSecondary)
			e("refused", p.Refused)
			e("failed", p.Failed)
			e("violations", p.Violations)
			if p.KeyCopies != nil {
				e("key_copies", *p.KeyCopies)
				e("key_copy_violations", *p.KeyCopyViolations)
			}
			e("dropped", p.Dropped)
			e("mean_occupancy", p.MeanOccupancy)
			if p.Utilisation != nil {
				e("utilisation", *p.Utilisation)
			}
			e("time_congestion", p.TimeCongestion)
			e("down_fraction", p.DownFraction)
		}
	}
	for _, l := range r.Landings {
		ent := csvEntity{population: l.Population, jurisdiction: l.Jurisdiction, plane: l.Plane, via: l.Via, policy: policyWord(l.Allowed)}
		rows.estimate("landing", ent, "count", l.Count)
		rows.estimate("landing", ent, "share", l.Share)
	}
	for _, d := range r.Destinations {
		ent := csvEntity{jurisdiction: d.Jurisdiction, plane: d.Plane, via: d.Via}
		rows.estimate("destination", ent, "landed", d.Landed)
		rows.estimate("destination", ent, "foreign", d.Foreign)
		rows.estimate("destination", ent, "forbidden", d.Forbidden)
	}
	for _, c := range r.Causes {
		ent := csvEntity{
			population: c.Population, datacenter: c.Datacenter, jurisdiction: c.Jurisdiction, plane: c.Plane, via: c.Via,
			policy: "forbidden", entry: c.At.Path, full: strings.Join(c.Full, " "), down: strings.Join(c.Down, " "),
		}
		rows.estimate("cause", ent, "count", c.Count)
		rows.estimate("cause", ent, "violating_minutes", c.ViolatingMinutes)
	}
	for _, b := range r.Blame {
		ent := csvEntity{datacenter: b.Datacenter, jurisdiction: b.Jurisdiction, policy: "forbidden", entry: b.At.Path}
		rows.estimate("blame", ent, "count", b.Count)
		for _, f := range b.Fences {
			fe := ent
			fe.population, fe.plane, fe.via = f.Population, f.Plane, f.Via
			rows.estimate("blame", fe, "count", f.Count)
		}
	}
	for _, s := range r.Series.Populations {
		ent := csvEntity{population: s.ID}
		rows.series(r, "population_series", ent, "offered", s.Offered)
		rows.series(r, "population_series", ent, "admitted_secondary", s.Secondary)
		rows.series(r, "population_series", ent, "blocked", s.Blocked)
		for p := range sim.NumPlanes {
			ent.plane = results.PlaneName(p)
			rows.series(r, "population_series", ent, "violations", *s.Violations.At(p))
		}
	}
	for _, d := range r.Series.Datacenters {
		for _, p := range d.Planes {
			ent := csvEntity{datacenter: d.ID, plane: p.Plane}
			rows.series(r, "datacenter_series", ent, "occupancy", p.Occupancy)
			rows.series(r, "datacenter_series", ent, "capacity", p.Capacity)
			rows.series(r, "datacenter_series", ent, "utilisation", p.Utilisation)
		}
	}
	for _, f := range r.Series.Forbidden {
		rows.series(r, "forbidden_series", csvEntity{jurisdiction: f.Jurisdiction, plane: f.Plane, via: f.Via, policy: "forbidden"}, "violations", f.Violations)
	}
	for _, f := range r.Series.ForbiddenTotals {
		ent := csvEntity{plane: f.Plane, policy: "forbidden"}
		for b, x := range f.Violations {
			rows.raw("forbidden_series", ent, "violations", strconv.Itoa(b), r.Window(b), "", csvFloat(x), csvFloat(f.Low[b]), csvFloat(f.High[b]), csvFloat((f.High[b]-f.Low[b])/2), "", strconv.Itoa(r.Replications))
		}
	}
	cw.Flush()
	if rows.err != nil {
		return rows.err
	}
	return cw.Error()
}

func policyWord(allowed bool) string {
	if allowed {
		return "allowed"
	}
	return "forbidden"
}

// csvRows writes rows behind the run's provenance, keeping the first
// error.
type csvRows struct {
	w              *csv.Writer
	provenance     []string
	perReplication bool
	err            error
}

func (rows *csvRows) header() {
	if rows.err == nil {
		rows.err = rows.w.Write(csvHeader)
	}
}

// raw writes one row: provenance, section, entity, then the figure and
// its numbers. The text that comes from the scenario and the command line
// (provenance and entity) is neutralised against spreadsheet formula
// injection; the numbers are left alone, negative ones included.
func (rows *csvRows) raw(section string, e csvEntity, figureAndNumbers ...string) {
	if rows.err != nil {
		return
	}
	var row []string
	for _, cell := range rows.provenance {
		row = append(row, csvSafe(cell))
	}
	row = append(row, section)
	for _, cell := range e.cells() {
		row = append(row, csvSafe(cell))
	}
	rows.err = rows.w.Write(append(row, figureAndNumbers...))
}

// estimate writes e's summary row and, with per-replication rows asked
// for, one row per replication.
func (rows *csvRows) estimate(section string, ent csvEntity, figure string, e results.Estimate) {
	rows.raw(section, ent, append([]string{figure, "", "", ""}, estimateCSV(e)...)...)
	if !rows.perReplication {
		return
	}
	for i, x := range e.PerReplication {
		rows.raw(section, ent, figure, "", "", strconv.Itoa(i), csvFloat(x), "", "", "", "", "")
	}
}

// proportion writes the share of replications with something, k/n, with
// its exact interval.
func (rows *csvRows) proportion(section string, ent csvEntity, figure string, p results.Proportion) {
	rows.raw(section, ent, append([]string{figure, "", "", ""}, proportionCSV(p)...)...)
}

// estimateCSV is e's value, low, high, half_width, upper and n cells; upper
// only for a rate.
func estimateCSV(e results.Estimate) []string {
	upper := ""
	if e.UpperBy != "" {
		upper = csvFloat(e.Upper)
	}
	return []string{csvFloat(e.Mean), csvFloat(e.Low), csvFloat(e.High), csvFloat(e.HalfWidth), upper, strconv.Itoa(e.N)}
}

// proportionCSV is p's cells in estimateCSV's columns: the fraction as the
// value, its exact interval, and no half-width or upper bound.
func proportionCSV(p results.Proportion) []string {
	return []string{csvFloat(p.Fraction), csvFloat(p.Low), csvFloat(p.High), "", "", strconv.Itoa(p.N)}
}

// csv is nf's cells in estimateCSV's columns.
func (nf namedFigure) csv() []string {
	if nf.proportion != nil {
		return proportionCSV(*nf.proportion)
	}
	return estimateCSV(*nf.estimate)
}

// figures writes the Figures of one population or of the total.
func (rows *csvRows) figures(section, population string, f results.Figures) {
	for _, nf := range figureList(&f) {
		ent := csvEntity{population: population, plane: nf.plane}
		if nf.proportion != nil {
			rows.proportion(section, ent, nf.name, *nf.proportion)
		} else {
			rows.estimate(section, ent, nf.name, *nf.estimate)
		}
	}
}

// namedFigure is one figure of a Figures, named as JSON and CSV name it:
// an estimate, or a proportion of replications.
type namedFigure struct {
	name, plane string
	estimate    *results.Estimate
	proportion  *results.Proportion
}

// figureList lists the figures of f in the order CSV writes them.
func figureList(f *results.Figures) []namedFigure {
	e := func(name string, est *results.Estimate) namedFigure { return namedFigure{name: name, estimate: est} }
	out := []namedFigure{
		e("offered", &f.Offered),
		e("admitted_primary", &f.AdmittedPrimary),
		e("admitted_secondary", &f.AdmittedSecondary),
		e("blocked", &f.Blocked),
		e("blocking_probability", &f.BlockingProbability),
		e("secondary_share", &f.SecondaryShare),
		e("retries", &f.Retries),
	}
	if f.Unanswered != nil {
		out = append(out, e("unanswered", f.Unanswered), e("unanswered_rate", f.UnansweredRate))
	}
	if f.Rejoins != nil {
		out = append(out, e("rejoins", f.Rejoins), e("rejoin_blocking", f.RejoinBlocking))
	}
	for p := range sim.NumPlanes {
		plane := results.PlaneName(p)
		out = append(out,
			namedFigure{name: "violations", plane: plane, estimate: f.Violations.At(p)},
			namedFigure{name: "violation_rate", plane: plane, estimate: f.ViolationRate.At(p)},
			namedFigure{name: "replications_with_violations", plane: plane, proportion: f.ReplicationsWithViolations.At(p)},
			namedFigure{name: "violating_minutes", plane: plane, estimate: f.ViolatingMinutes.At(p)},
		)
	}
	return append(out, e("latency_p50", &f.LatencyP50), e("latency_p95", &f.LatencyP95), e("latency_p99", &f.LatencyP99))
}

// series writes one row per bucket, the mean only.
func (rows *csvRows) series(r *results.Report, section string, ent csvEntity, figure string, v results.Values) {
	for b, x := range v {
		rows.raw(section, ent, figure, strconv.Itoa(b), r.Window(b), "", csvFloat(x), "", "", "", "", "")
	}
}

// csvFloat writes x exactly (shortest round-tripping form), NaN as empty:
// the cell pandas and R read as missing.
func csvFloat(x float64) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return ""
	}
	return strconv.FormatFloat(x, 'g', -1, 64)
}
