package results

import (
	"encoding/csv"
	"io"
	"math"
	"strconv"

	"github.com/geofence/geofence/sim"
)

// csvHeader names the columns of the csv format. It is tidy: one row per
// figure of one entity (and, for series, one bucket), ready for a data
// frame. Every row starts with the run's provenance (scenario, its file's
// SHA-256, seed, tool version), so that the rows of many runs can be
// concatenated and still told apart. plane and bucket are empty where they
// do not apply; series rows are means only.
var csvHeader = []string{"scenario", "sha256", "seed", "version", "section", "entity", "plane", "figure", "bucket", "mean", "low", "high", "half_width", "n"}

// renderCSV writes every figure of r as a row of csvHeader's columns:
// sections population, total, datacenter, cause, population_series and
// datacenter_series, in that order.
func renderCSV(w io.Writer, r *Report) error {
	cw := csv.NewWriter(w)
	rows := &csvRows{w: cw, provenance: []string{r.Scenario.Name, r.Scenario.SHA256, strconv.FormatUint(r.Seed, 10), r.Version}}
	rows.header()
	for _, p := range r.Populations {
		rows.figures("population", p.ID, p.Figures)
	}
	rows.figures("total", "total", r.Total)
	for _, d := range r.Datacenters {
		for _, p := range d.Planes {
			e := func(figure string, est Estimate) { rows.estimate("datacenter", d.ID, p.Plane, figure, est) }
			e("admitted_primary", p.AdmittedPrimary)
			e("admitted_secondary", p.AdmittedSecondary)
			e("refused", p.Refused)
			e("failed", p.Failed)
			e("violations", p.Violations)
			e("dropped", p.Dropped)
			e("mean_occupancy", p.MeanOccupancy)
			if p.Utilisation != nil {
				e("utilisation", *p.Utilisation)
			}
			e("time_congestion", p.TimeCongestion)
			e("down_fraction", p.DownFraction)
		}
	}
	for _, c := range r.Causes {
		entity := causeEntity(c)
		rows.estimate("cause", entity, c.Plane, "count", c.Count)
		rows.estimate("cause", entity, c.Plane, "violating_minutes", c.ViolatingMinutes)
	}
	for _, s := range r.Series.Populations {
		rows.popSeries(s)
	}
	for _, d := range r.Series.Datacenters {
		for _, p := range d.Planes {
			rows.series("datacenter_series", d.ID, p.Plane, "occupancy", p.Occupancy)
		}
	}
	cw.Flush()
	if rows.err != nil {
		return rows.err
	}
	return cw.Error()
}

// causeEntity names a cause in one cell: everything that sets it apart
// except its plane, which has a column.
func causeEntity(c CauseReport) string {
	return c.Population + " -> " + c.Datacenter + " as " + c.reach() + "; full: " + idList(c.Full) + "; down: " + idList(c.Down)
}

// csvRows writes rows behind the run's provenance, keeping the first
// error.
type csvRows struct {
	w          *csv.Writer
	provenance []string
	err        error
}

func (rows *csvRows) header() {
	if rows.err == nil {
		rows.err = rows.w.Write(csvHeader)
	}
}

func (rows *csvRows) raw(row []string) {
	if rows.err == nil {
		rows.err = rows.w.Write(append(rows.provenance[:len(rows.provenance):len(rows.provenance)], row...))
	}
}

func (rows *csvRows) estimate(section, entity, plane, figure string, e Estimate) {
	rows.raw([]string{section, entity, plane, figure, "", csvFloat(e.Mean), csvFloat(e.Low), csvFloat(e.High), csvFloat(e.HalfWidth), strconv.Itoa(e.N)})
}

// figures writes the Figures of one population or of the total.
func (rows *csvRows) figures(section, entity string, f Figures) {
	e := func(figure string, est Estimate) { rows.estimate(section, entity, "", figure, est) }
	e("offered", f.Offered)
	e("admitted_primary", f.AdmittedPrimary)
	e("admitted_secondary", f.AdmittedSecondary)
	e("blocked", f.Blocked)
	e("blocking_probability", f.BlockingProbability)
	e("secondary_share", f.SecondaryShare)
	e("retries", f.Retries)
	for p := range sim.NumPlanes {
		plane := planeName(p)
		rows.estimate(section, entity, plane, "violations", *f.Violations.at(p))
		rows.estimate(section, entity, plane, "violation_rate", *f.ViolationRate.at(p))
		rows.estimate(section, entity, plane, "violating_minutes", *f.ViolatingMinutes.at(p))
	}
	e("latency_p50", f.LatencyP50)
	e("latency_p95", f.LatencyP95)
	e("latency_p99", f.LatencyP99)
}

// popSeries writes the series of one population.
func (rows *csvRows) popSeries(s PopulationSeries) {
	rows.series("population_series", s.ID, "", "offered", s.Offered)
	rows.series("population_series", s.ID, "", "admitted_secondary", s.Secondary)
	rows.series("population_series", s.ID, "", "blocked", s.Blocked)
	for p := range sim.NumPlanes {
		rows.series("population_series", s.ID, planeName(p), "violations", *s.Violations.at(p))
	}
}

// series writes one row per bucket, the mean only.
func (rows *csvRows) series(section, entity, plane, figure string, v Values) {
	for b, x := range v {
		rows.raw([]string{section, entity, plane, figure, strconv.Itoa(b), csvFloat(x), "", "", "", ""})
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
