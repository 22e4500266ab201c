package results

import (
	"fmt"
	"io"
	"net/url"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report"
	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/geofence/geofence/scenarios/lint"
)

// The rules of the check's own results; lint rules come from lint.Rules.
const (
	ruleStaticReachable = "static-reachable"
	ruleViolationRate   = "violation-rate"
)

// renderSARIF writes r as a SARIF 2.1.0 log with one run, so that code
// review tools annotate the scenario lines that open a fence. Results come
// in fence order, then lints in their order; nothing in the log depends on
// the clock or on randomness.
func renderSARIF(w io.Writer, r *CheckReport) error {
	uri := (&url.URL{Path: r.Scenario.File}).String() // relative, as given; escaped where a URI must be
	run := sarif.NewRun().WithTool(sarif.NewTool().WithDriver(sarifDriver(r.Version))).
		WithProperties(sarif.NewPropertyBag().Add("scenario", r.Scenario.Name).Add("seed", r.Seed).Add("replications", r.Replications))
	if r.Scenario.File != "" {
		artifact := run.AddDistinctArtifact(uri)
		if r.Scenario.SHA256 != "" {
			artifact.Hashes = map[string]string{"sha-256": r.Scenario.SHA256}
		}
	}
	for _, fc := range r.Fences {
		for _, f := range fc.Static {
			route := ""
			if f.Via != f.Plane {
				route = " on the " + string(f.Via) + " route"
			}
			msg := fmt.Sprintf("%s %s: %s (%s) is forbidden (allowed: %s) but reachable%s %s; let in by %s",
				fc.Population, fc.Plane, f.Datacenter, f.Jurisdiction, allowedCell(fc.Allowed), route, witnessClause(f.Witness), f.Path)
			if fc.ViolationRate != nil {
				msg += "; simulated violation rate " + rateWithInterval(*fc.ViolationRate)
			}
			properties := fenceProperties(fc).
				Add("datacenter", f.Datacenter).
				Add("jurisdiction", f.Jurisdiction).
				Add("via", string(f.Via)).
				Add("witness", f.Witness)
			run.CreateResultForRule(ruleStaticReachable).
				WithLevel(sarif.LevelError).
				WithMessage(sarif.NewTextMessage(msg)).
				AddLocation(sarifLocation(uri, f.Line, f.Column)).
				WithPartialFingerprints(map[string]string{"geofenceFinding/v1": strings.Join([]string{ruleStaticReachable, fc.Population, fc.Plane, string(f.Via), f.Datacenter}, "/")}).
				WithProperties(properties)
		}
		if fc.ViolationRate == nil || fc.ViolationRate.Mean <= fc.Limit {
			continue
		}
		msg := fmt.Sprintf("%s %s: simulated violation rate %s exceeds %s (%s)",
			fc.Population, fc.Plane, rateWithInterval(*fc.ViolationRate), limitText(fc.Limit), fc.LimitSource)
		result := run.CreateResultForRule(ruleViolationRate).
			WithLevel(sarif.LevelError).
			WithPartialFingerprints(map[string]string{"geofenceFinding/v1": strings.Join([]string{ruleViolationRate, fc.Population, fc.Plane}, "/")}).
			WithProperties(fenceProperties(fc).Add("violation_rate", fc.ViolationRate.Mean).Add("limit", fc.Limit))
		if at := fc.TopCauseAt; at != nil {
			msg += "; top cause: " + causeSentence(fc.Causes[0]) + " (" + at.Path + ")"
			result.AddLocation(sarifLocation(uri, at.Line, at.Column))
		}
		result.WithMessage(sarif.NewTextMessage(msg))
	}
	for _, l := range r.Lints {
		run.CreateResultForRule(l.Rule).
			WithLevel(l.Severity).
			WithMessage(sarif.NewTextMessage(l.Message)).
			AddLocation(sarifLocation(uri, l.Line, l.Column)).
			WithPartialFingerprints(map[string]string{"geofenceFinding/v1": l.Rule + "/" + l.Path}).
			WithProperties(sarif.NewPropertyBag().Add("path", l.Path))
	}
	log := report.NewV210Report().AddRun(run)
	if err := log.PrettyWrite(w); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// sarifDriver describes geofence and every rule it can report.
func sarifDriver(version string) *sarif.ToolComponent {
	driver := sarif.NewToolComponent().WithName("geofence")
	if version != "" {
		driver.WithVersion(version)
	}
	rule := func(id, level, summary string) {
		driver.AddRule(sarif.NewRule(id).
			WithDescription(summary).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level)))
	}
	rule(ruleStaticReachable, sarif.LevelError, "A forbidden datacenter is reachable in some state of the system: "+
		"once the witness datacenters are full or down, a client lands outside its fence.")
	rule(ruleViolationRate, sarif.LevelError, "The simulated violation rate of a fence exceeds its plane's limit.")
	for _, lr := range lint.Rules() {
		rule(lr.ID, lr.Severity, lr.Summary)
	}
	return driver
}

// fenceProperties names the fence a result is about.
func fenceProperties(fc FenceCheck) *sarif.PropertyBag {
	return sarif.NewPropertyBag().Add("population", fc.Population).Add("plane", fc.Plane)
}

// sarifLocation points at line:column of the scenario file, or at the file
// alone when the line is unknown.
func sarifLocation(uri string, line, column int) *sarif.Location {
	physical := sarif.NewPhysicalLocation().WithArtifactLocation(sarif.NewSimpleArtifactLocation(uri))
	if line > 0 {
		region := sarif.NewRegion().WithStartLine(line)
		if column > 0 {
			region.WithStartColumn(column)
		}
		physical.WithRegion(region)
	}
	return sarif.NewLocationWithPhysicalLocation(physical)
}
