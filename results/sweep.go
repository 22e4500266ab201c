package results

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/geofence/geofence/sim"
)

// KindSweep is the kind of a sweep's result.
const KindSweep = "sweep"

// SweepFormatVersion is the version of the SweepReport's JSON layout. It
// changes when a field is renamed or removed, not when one is added.
const SweepFormatVersion = 1

// SweepReport is a study's result: the figures of one scenario at every
// point of the study's axes. Every point ran with the same seed and
// replications (common random numbers), so differences between points are
// paired; each point's figures are what `geofence run` with the point's
// overrides reports.
type SweepReport struct {
	Kind          string       `json:"kind"` // KindSweep
	FormatVersion int          `json:"format_version"`
	Tool          string       `json:"tool"`
	Version       string       `json:"version"`
	Study         FileRef      `json:"study"`
	Scenario      ScenarioRef  `json:"scenario"` // the scenario before the study's changes; its overrides are the command line's
	Seed          uint64       `json:"seed"`
	Replications  int          `json:"replications"`
	Confidence    float64      `json:"confidence"`
	Axes          []SweepAxis  `json:"axes"`
	Points        []SweepPoint `json:"points"`
	Definitions   []Definition `json:"definitions"`
}

// FileRef names a file and the hash of its bytes.
type FileRef struct {
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
}

// SweepAxis is one axis of a study: the value it varies, by its override
// path, and the values it takes, as written.
type SweepAxis struct {
	Path   string   `json:"path"`
	Values []string `json:"values"`
}

// SweepPoint is the figures at one point of a study.
type SweepPoint struct {
	Values      []string           `json:"values"`    // one per axis, as written in the study
	Overrides   []string           `json:"overrides"` // every change made at this point, in order
	Headline    Headline           `json:"headline"`
	Total       Figures            `json:"total"`
	Populations []PopulationReport `json:"populations"`
}

// PointOf keeps of a point's report what a sweep shows.
func PointOf(values []string, r *Report) SweepPoint {
	return SweepPoint{Values: values, Overrides: r.Scenario.Overrides, Headline: r.Headline, Total: r.Total, Populations: r.Populations}
}

// sweepFormats lists the output formats of RenderSweep.
var sweepFormats = []string{"table", "json", "csv", "markdown"}

// SweepFormats returns the names RenderSweep accepts.
func SweepFormats() []string { return append([]string(nil), sweepFormats...) }

// RenderSweep writes r to w in format, one of SweepFormats.
func RenderSweep(w io.Writer, r *SweepReport, format string) error {
	switch format {
	case "table":
		return drawTerminal(w, sweepDoc(r))
	case "json":
		return renderJSON(w, r)
	case "csv":
		return renderSweepCSV(w, r)
	case "markdown":
		return drawMarkdown(w, sweepDoc(r))
	}
	return fmt.Errorf("unknown format %q: want one of %s", format, strings.Join(sweepFormats, ", "))
}

// sweepDoc lays out a sweep: its facts, then one row per point with the
// total blocking and violation rates by plane.
func sweepDoc(r *SweepReport) textDoc {
	doc := textDoc{
		title: "geofence sweep: " + r.Study.File,
		facts: []fact{
			{"study", r.Study.File + " (sha256 " + r.Study.SHA256 + ")"},
			{"scenario", r.Scenario.Name + ": " + r.Scenario.File + " (sha256 " + r.Scenario.SHA256 + ")"},
			{"overrides", overridesText(r.Scenario.Overrides)},
			{"run", fmt.Sprintf("%s %s, seed %d, %d replications at each of %d points (common random numbers)", r.Tool, r.Version, r.Seed, r.Replications, len(r.Points))},
			{"intervals", intervalsText(r.Confidence) + "; ≤ the one-sided 95% upper bound; < a bound where no replication saw any"},
		},
	}
	t := textTable{title: "Points: all populations", labels: len(r.Axes)}
	for _, a := range r.Axes {
		t.header = append(t.header, a.Path)
	}
	t.header = append(t.header, "joins a day", "blocking")
	for p := range sim.NumPlanes {
		t.header = append(t.header, planeName(p)+" violation rate")
	}
	for _, pt := range r.Points {
		row := append([]string{}, pt.Values...)
		row = append(row, estimateCell(pt.Headline.JoinsPerDay, count, r.Replications), rateWithUpper(pt.Total.BlockingProbability))
		for p := range sim.NumPlanes {
			row = append(row, rateWithUpper(*pt.Total.ViolationRate.at(p)))
		}
		t.rows = append(t.rows, row)
	}
	doc.tables = []textTable{t}
	return doc
}

// rateWithUpper writes a rate as rateCell does, with its upper bound when
// some replication saw events: "0.27% ± 0.03% (≤ 0.29%)".
func rateWithUpper(e Estimate) string {
	if e.UpperBy == UpperStudentT {
		return rateCell(e) + " (≤ " + percent(e.Upper) + ")"
	}
	return rateCell(e)
}

// renderSweepCSV writes every figure of every point as a tidy row: the
// provenance, one column per axis (named by its path) with the point's
// value, then the figure of the total or of one population.
func renderSweepCSV(w io.Writer, r *SweepReport) error {
	cw := csv.NewWriter(w)
	header := []string{"study", "study_sha256", "scenario", "sha256", "seed", "version", "overrides"}
	for _, a := range r.Axes {
		header = append(header, csvSafe(a.Path))
	}
	header = append(header, "section", "population", "plane", "figure", "value", "low", "high", "half_width", "upper", "n")
	if err := cw.Write(header); err != nil {
		return err
	}
	provenance := []string{r.Study.File, r.Study.SHA256, r.Scenario.Name, r.Scenario.SHA256, strconv.FormatUint(r.Seed, 10), r.Version, strings.Join(r.Scenario.Overrides, "; ")}
	for i := range provenance {
		provenance[i] = csvSafe(provenance[i])
	}
	for _, pt := range r.Points {
		lead := slices.Clone(provenance)
		for _, v := range pt.Values {
			lead = append(lead, csvSafe(v))
		}
		write := func(section, population string, f *Figures) error {
			for _, nf := range figureList(f) {
				row := append(slices.Clone(lead), section, csvSafe(population), nf.plane, nf.name)
				if err := cw.Write(append(row, nf.csv()...)); err != nil {
					return err
				}
			}
			return nil
		}
		if err := write("total", "", &pt.Total); err != nil {
			return err
		}
		for _, p := range pt.Populations {
			if err := write("population", p.ID, &p.Figures); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
