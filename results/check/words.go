package check

// How a check says what it found: the sentences and cells its reports
// share.

import (
	"cmp"
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/scenarios/fence"
)

// reachableList names each forbidden datacenter with the datacenters that
// must be full or down for a client to land there, datacenters reached
// the same way named together: "a (CN) and b (CN) when x is full or down".
func reachableList(findings []StaticFinding) string {
	type group struct {
		first fence.Finding
		names []string
	}
	var groups []*group
	byWay := map[string]*group{}
	for _, f := range findings {
		way := string(f.Via) + " " + strings.Join(f.Witness, ",")
		g := byWay[way]
		if g == nil {
			g = &group{first: f.Finding}
			byWay[way] = g
			groups = append(groups, g)
		}
		g.names = append(g.names, f.Datacenter+" ("+f.Jurisdiction+")")
	}
	parts := make([]string, len(groups))
	for i, g := range groups {
		parts[i] = andList(g.names) + viaClause(g.first) + " " + WitnessClause(g.first.Witness)
	}
	return strings.Join(parts, "; ")
}

// Reachable says, e.g., "bj1 (CN) via connector when us-east is full or
// down".
func Reachable(f fence.Finding) string {
	return LandingName(f) + " " + WitnessClause(f.Witness) + ShareClause(f)
}

// ShareClause says, for a landing through a balance route, what share of
// the requests goes there under the witness: " (taking 28% of requests)";
// "" for another route.
func ShareClause(f fence.Finding) string {
	if f.Share == nil {
		return ""
	}
	return " (taking " + results.Percent(*f.Share) + " of requests)"
}

// LandingName names the forbidden datacenter of f with its jurisdiction,
// and the route when it is another plane's: "bj1 (CN) via connector".
func LandingName(f fence.Finding) string {
	return f.Datacenter + " (" + f.Jurisdiction + ")" + viaClause(f)
}

// viaClause names the route that leads to f when it is another plane's: a
// key copied to a connector.
func viaClause(f fence.Finding) string {
	if f.Via == f.Plane {
		return ""
	}
	return " via " + string(f.Via)
}

// WitnessClause says what must be full or down: "when a and b are full or
// down", or "with nothing full or down" for an empty witness.
func WitnessClause(witness []string) string {
	switch len(witness) {
	case 0:
		return "with nothing full or down"
	case 1:
		return "when " + witness[0] + " is full or down"
	}
	return "when " + andList(witness) + " are full or down"
}

// andList joins items as a sentence does: "a", "a and b", "a, b and c".
func andList(items []string) string {
	if len(items) < 2 {
		return strings.Join(items, "")
	}
	return strings.Join(items[:len(items)-1], ", ") + " and " + items[len(items)-1]
}

// RateWithInterval writes a rate with three significant digits and its
// interval, e.g. "0.0145 [0.0138, 0.0152]"; a rate no replication saw by
// its bound, "< 2.89e-06 (none simulated; 95% upper bound)", since
// "0 [0, 0]" would read as certainty.
func RateWithInterval(e results.Estimate) string {
	g := func(x float64) string { return strconv.FormatFloat(x, 'g', 3, 64) }
	if e.UpperBy == results.UpperClopperPearson {
		return "< " + g(e.Upper) + " (none simulated; 95% upper bound)"
	}
	if math.IsNaN(e.HalfWidth) {
		return g(e.Mean) + " [interval n/a]"
	}
	return g(e.Mean) + " [" + g(e.Low) + ", " + g(e.High) + "]"
}

// FailureLines says why the check failed, one line per failing fence,
// then per failing lint and per expired or unmatched acceptance, each
// starting with where to look — the
// file:line:column of the entry that lets clients out (the one with the
// smallest witness), else of the entry most simulated violations came
// through, else of the fence's policy rule — as compilers write errors.
func (r *Report) FailureLines() []string {
	var lines []string
	for _, fc := range r.Fences {
		if fc.Passed {
			continue
		}
		at := r.Scenario.File
		switch failing := TooFragile(fc.Static, r.MinTolerance); {
		case len(failing) > 0:
			at = results.FileLine(cmp.Or(failing[0].File, r.Scenario.File), failing[0].Line, failing[0].Column)
		case fc.TopCauseAt != nil:
			at = results.FileLine(cmp.Or(fc.TopCauseAt.File, r.Scenario.File), fc.TopCauseAt.Line, fc.TopCauseAt.Column)
		case fc.PolicyAt != nil:
			at = results.FileLine(cmp.Or(fc.PolicyAt.File, r.Scenario.File), fc.PolicyAt.Line, fc.PolicyAt.Column)
		}
		lines = append(lines, at+": "+fc.Population+" "+fc.Plane+": "+strings.Join(fc.Reasons, "; "))
	}
	lines = append(lines, r.limitLines()...)
	for _, l := range r.Lints {
		if l.Fails {
			lines = append(lines, r.LintLine(l))
		}
	}
	for _, a := range r.Accepted {
		switch a.State {
		case AcceptanceExpired:
			lines = append(lines, fmt.Sprintf("%s: accepted risk %s expired after %s", a.At(), a.What(), a.Expires))
		case AcceptanceUnmatched:
			lines = append(lines, fmt.Sprintf("%s: accepted risk %s matches no finding: remove it", a.At(), a.What()))
		}
	}
	return lines
}

// LintLine writes a lint as compilers write errors: "file:line:column:
// severity rule: message".
func (r *Report) LintLine(l Lint) string {
	return fmt.Sprintf("%s: %s %s: %s", results.FileLine(cmp.Or(l.File, r.Scenario.File), l.Line, l.Column), l.Severity, l.Rule, l.Message)
}

// maxAllowedShown bounds the jurisdictions a fences table cell lists; the
// JSON holds them all.
const maxAllowedShown = 6

// AllowedText lists the allowed jurisdictions for a table cell, the first
// few of a long list.
func AllowedText(allowed []string) string {
	switch {
	case len(allowed) == 0:
		return "none"
	case len(allowed) <= maxAllowedShown:
		return strings.Join(allowed, ", ")
	}
	return fmt.Sprintf("%s, … (%d)", strings.Join(allowed[:maxAllowedShown-1], ", "), len(allowed))
}

// ToleranceText writes a fence's failure tolerance for a table cell: the
// least number of datacenters full or down before a client lands outside
// it, or "never" (-1) when no state lets one out.
func ToleranceText(tolerance int) string {
	if tolerance < 0 {
		return "never"
	}
	return strconv.Itoa(tolerance)
}
