package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/render/codeclimate"
	"github.com/geofence/geofence/results/render/sarif"
	"github.com/geofence/geofence/results/routes"
	"github.com/geofence/geofence/results/study"
)

// runFormats are Run's formats, in the order help shows them, writing
// with opt.
func runFormats(opt Options) formatList[*results.Report] {
	return formatList[*results.Report]{
		{"table", func(w io.Writer, r *results.Report) error { return drawTerminal(w, reportDoc(r, opt.Detail)) }},
		jsonFormat[*results.Report](),
		{"csv", func(w io.Writer, r *results.Report) error { return renderCSV(w, r, opt.PerReplication) }},
		markdownFormat(func(r *results.Report) textDoc { return reportDoc(r, true) }),
	}
}

// RunFormats returns the names Run accepts.
func RunFormats() []string { return runFormats(Options{}).names() }

// Options are the choices a renderer offers on top of the format.
type Options struct {
	// Detail makes the table format show every table, not just the
	// headline (markdown always does).
	Detail bool
	// PerReplication makes the csv format add one row per replication
	// for every figure estimated over replications.
	PerReplication bool
}

// Run writes r to w in format, one of RunFormats. The output depends on r
// and opt alone, so that the same report always renders to the same bytes.
func Run(w io.Writer, r *results.Report, format string, opt Options) error {
	return runFormats(opt).write(w, r, format)
}

// checkFormats are Check's formats, in the order help shows them, writing
// with opt.
func checkFormats(opt CIOptions) formatList[*check.Report] {
	return formatList[*check.Report]{
		tableFormat(checkDoc),
		jsonFormat[*check.Report](),
		markdownFormat(func(r *check.Report) textDoc { return withRunHeadline(checkDoc(r), r.Simulation) }),
		{"junit", func(w io.Writer, r *check.Report) error { return renderJUnit(w, r, opt) }},
		{"sarif", func(w io.Writer, r *check.Report) error { return sarif.Check(w, r, opt.Artifacts) }},
		{"codeclimate", func(w io.Writer, r *check.Report) error { return codeclimate.Check(w, r, opt.Artifacts) }},
	}
}

// CheckFormats returns the names Check accepts.
func CheckFormats() []string { return checkFormats(CIOptions{}).names() }

// Check writes r to w in format, one of CheckFormats. The output
// depends on r and opt alone: the same report always renders to the same
// bytes.
func Check(w io.Writer, r *check.Report, format string, opt CIOptions) error {
	return checkFormats(opt).write(w, r, format)
}

// diffFormats are Diff's formats, in the order help shows them, writing
// with opt.
func diffFormats(opt CIOptions) formatList[*diff.Report] {
	ci := formatList[*diff.Report]{
		{"sarif", func(w io.Writer, r *diff.Report) error { return sarif.Diff(w, r, opt.Artifacts) }},
		{"junit", func(w io.Writer, r *diff.Report) error { return renderDiffJUnit(w, r, opt) }},
		{"codeclimate", func(w io.Writer, r *diff.Report) error { return codeclimate.Diff(w, r, opt.Artifacts) }},
	}
	return append(docFormats(diffDoc), ci...)
}

// DiffFormats returns the names Diff accepts.
func DiffFormats() []string { return diffFormats(CIOptions{}).names() }

// Diff writes r to w in format, one of DiffFormats. The output
// depends on r and opt alone: the same report always renders to the same
// bytes.
func Diff(w io.Writer, r *diff.Report, format string, opt CIOptions) error {
	return diffFormats(opt).write(w, r, format)
}

// sweepFormats are Sweep's formats, in the order help shows them.
var sweepFormats = formatList[*study.SweepReport]{
	tableFormat(sweepDoc),
	jsonFormat[*study.SweepReport](),
	{"csv", renderSweepCSV},
	markdownFormat(sweepDoc),
}

// SweepFormats returns the names Sweep accepts.
func SweepFormats() []string { return sweepFormats.names() }

// Sweep writes r to w in format, one of SweepFormats.
func Sweep(w io.Writer, r *study.SweepReport, format string) error {
	return sweepFormats.write(w, r, format)
}

// planFormats are Plan's formats, in the order help shows them.
var planFormats = docFormats(planDoc)

// PlanFormats returns the names Plan accepts.
func PlanFormats() []string { return planFormats.names() }

// Plan writes r to w in format, one of PlanFormats.
func Plan(w io.Writer, r *study.PlanReport, format string) error {
	return planFormats.write(w, r, format)
}

// routesFormats are Routes' formats, in the order help shows them.
var routesFormats = docFormats(routesDoc)

// RoutesFormats returns the names Routes accepts.
func RoutesFormats() []string { return routesFormats.names() }

// Routes writes r to w in format, one of RoutesFormats.
func Routes(w io.Writer, r *routes.Report, format string) error {
	return routesFormats.write(w, r, format)
}

// A format is one way of writing a report of type R.
type format[R any] struct {
	name  string
	write func(w io.Writer, r R) error
}

// formatList is the formats of one kind of report, in the order help
// shows them: the one list both the names a command accepts and the
// writing come from.
type formatList[R any] []format[R]

func (l formatList[R]) names() []string {
	names := make([]string, len(l))
	for i, f := range l {
		names[i] = f.name
	}
	return names
}

// write writes r to w in the format named name.
func (l formatList[R]) write(w io.Writer, r R, name string) error {
	for _, f := range l {
		if f.name == name {
			return f.write(w, r)
		}
	}
	return fmt.Errorf("unknown format %q: want one of %s", name, strings.Join(l.names(), ", "))
}

// docFormats are the formats of a report laid out as the document doc
// gives: a table, JSON and Markdown.
func docFormats[R any](doc func(R) textDoc) formatList[R] {
	return formatList[R]{tableFormat(doc), jsonFormat[R](), markdownFormat(doc)}
}

// tableFormat draws the document doc lays out for a terminal.
func tableFormat[R any](doc func(R) textDoc) format[R] {
	return format[R]{"table", func(w io.Writer, r R) error { return drawTerminal(w, doc(r)) }}
}

// markdownFormat draws the document doc lays out as Markdown.
func markdownFormat[R any](doc func(R) textDoc) format[R] {
	return format[R]{"markdown", func(w io.Writer, r R) error { return drawMarkdown(w, doc(r)) }}
}

// jsonFormat writes the report itself as JSON.
func jsonFormat[R any]() format[R] {
	return format[R]{"json", func(w io.Writer, r R) error { return renderJSON(w, r) }}
}

// renderJSON writes a report as indented JSON. Field order is the struct
// order and there are no maps, so the output is stable.
func renderJSON(w io.Writer, report any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // the report is not embedded in HTML; keep "->" and "<" legible
	return enc.Encode(report)
}

// CIOptions are what the formats CI reads (SARIF, JUnit) need that a
// report does not hold: where the scenario files are for code review, and
// how long the command took.
type CIOptions struct {
	// Artifacts gives, for a scenario file as a report names it, where
	// SARIF locates it; a file not listed is written as given.
	Artifacts sarif.Artifacts
	// Elapsed is how long the command took, which JUnit's time attributes
	// give; zero leaves them out, so that the same inputs render to the
	// same bytes (as golden tests need).
	Elapsed time.Duration
}
