package render

import (
	"fmt"
	"strconv"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/routes"
)

// routesDoc lays out r for the table and markdown formats: one table per
// population and plane, its datacenters in the order the route names
// them, and under it what the route never names and the split.
func routesDoc(r *routes.Report) textDoc {
	unhealthy := "none"
	if len(r.Unhealthy) > 0 {
		unhealthy = strings.Join(r.Unhealthy, ", ")
	}
	doc := textDoc{
		title: "geofence routes: " + r.Scenario.Name,
		facts: append(scenarioFacts(r.Header, r.Scenario),
			fact{"overrides", OverridesText(r.Scenario.Overrides)},
			fact{"unhealthy", unhealthy + " (full or down: outlier detection ejects their hosts, health checks fail them)"}),
	}
	for _, c := range r.Chains {
		t := newTable(fmt.Sprintf("%s %s: %s (route %s, %s)", c.Population, c.Plane, c.Kind, c.Route, where(c.At)), 4,
			"step", "datacenter", "jurisdiction", "fence", "weight", "hosts", "healthy", "share", "at")
		for _, p := range c.Priorities {
			step := fmt.Sprintf("P%d (load %d%%", p.Priority, p.Load)
			if p.Panic {
				step += ", panic"
			}
			step += ")"
			for _, l := range p.Localities {
				t.rows = append(t.rows, chainRow(step, l))
			}
		}
		for _, l := range c.Primaries {
			t.rows = append(t.rows, chainRow("primary", l))
		}
		for i, l := range c.Answers {
			step := "answer"
			if c.Kind == "failover" {
				step = fmt.Sprintf("target %d", i+1)
			}
			t.rows = append(t.rows, chainRow(step, l))
		}
		if sec := c.Secondaries; sec != nil {
			step := fmt.Sprintf("secondary (%d %s from %s)", sec.Picks, sec.Order, sec.Whitelist)
			for _, l := range sec.Entries {
				t.rows = append(t.rows, chainRow(step, l))
			}
		}
		t.note = chainNote(c)
		if len(t.rows) == 0 {
			t.rows = [][]string{{"-", "-", "-", "-", "", "", "", "", ""}}
		}
		doc.tables = append(doc.tables, t)
	}
	return doc
}

func chainRow(step string, l routes.ChainLocality) []string {
	count := func(n int) string {
		if n == 0 {
			return ""
		}
		return strconv.Itoa(n)
	}
	healthy := strconv.Itoa(l.Healthy)
	if l.Hosts == 0 {
		healthy = map[int]string{0: "no", 1: "yes"}[l.Healthy]
	}
	return []string{step, l.Datacenter, l.Jurisdiction, allowedText(l.Allowed), count(l.Weight), count(l.Hosts), healthy, shareText(l.Share), where(l.At)}
}

// chainNote says under a chain's table what it never names and how its
// requests split.
func chainNote(c routes.Chain) string {
	var parts []string
	if b := c.Balance; b != nil {
		outlier := "no outlier detection: no host is ever ejected"
		if b.OutlierDetection {
			outlier = fmt.Sprintf("outlier detection ejects at most %d of %d hosts", b.EjectionBudget, b.Hosts)
		}
		parts = append(parts, fmt.Sprintf("overprovisioning %d%%, panic below %d%% healthy, locality weighted %t, %d retries, connect timeout %s; %s",
			b.Overprovisioning, b.PanicThreshold, b.LocalityWeighted, b.Retries, Duration(b.ConnectTimeoutS), outlier))
	}
	if len(c.Excluded) > 0 {
		parts = append(parts, "never sends a client to "+strings.Join(c.Excluded, ", "))
	}
	if len(c.Jurisdictions) > 0 {
		js := make([]string, len(c.Jurisdictions))
		for i, j := range c.Jurisdictions {
			js[i] = fmt.Sprintf("%s %s (%s)", j.Name, shareText(j.Share), allowedText(j.Allowed))
		}
		parts = append(parts, "split by jurisdiction: "+strings.Join(js, ", "))
	}
	if c.NoHost == nil || *c.NoHost > 0 {
		parts = append(parts, "finds no datacenter: "+shareText(c.NoHost))
	}
	return strings.Join(parts, "\n")
}

// shareText writes a share of requests as a percentage, "depends on load"
// when it is not known without simulating.
func shareText(x *float64) string {
	if x == nil {
		return "depends on load"
	}
	return results.Percent(*x)
}

// where writes a location as a table shows it: file:line:column for a
// file the scenario imports, line:column for the scenario's own.
func where(l results.Location) string { return Where(l.File, l.Line, l.Column) }
