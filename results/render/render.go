package render

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/render/sarif"
)

// formats lists the output formats of Run, in the order help shows them.
var formats = []string{"table", "json", "csv", "markdown"}

// RunFormats returns the names Run accepts.
func RunFormats() []string { return append([]string(nil), formats...) }

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
	switch format {
	case "table":
		return renderTable(w, r, opt.Detail)
	case "json":
		return renderJSON(w, r)
	case "csv":
		return renderCSV(w, r, opt.PerReplication)
	case "markdown":
		return renderMarkdown(w, r)
	}
	return fmt.Errorf("unknown format %q: want one of %s", format, strings.Join(formats, ", "))
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
