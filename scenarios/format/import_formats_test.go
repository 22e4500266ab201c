package format

import (
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/geofence/geofence/scenarios"
)

// runImportFormats runs the stories in testdata/import_formats: `load
// file=PATH` loads a scenario that imports Consul or Route 53 files (PATH
// relative to this package) and prints its problems, or each imported
// route with where its values stand, and the import's lints.
func runImportFormats(t *testing.T, d *datadriven.TestData) string {
	var file string
	d.ScanArgs(t, "file", &file)
	s, err := LoadFile(filepath.FromSlash(file))
	if err != nil {
		return err.Error() + "\n"
	}
	var b strings.Builder
	positions := s.Source.Positions()
	for ri, r := range s.Routing.Routes {
		if r.Imported == "" {
			continue
		}
		fmt.Fprintf(&b, "route %d population %s (%s)\n", ri, r.Population, r.Imported)
		for _, plane := range scenarios.Planes {
			if !r.Gives(plane) {
				continue
			}
			pr := r.PlaneRoute(plane)
			prefix := scenarios.PlaneRoutePath(ri, plane)
			switch {
			case pr.Failover != nil:
				f := pr.Failover
				fmt.Fprintf(&b, "  %s failover targets %v only_passing=%v ttl=%v connect_timeout=%v\n", plane, f.Targets, f.OnlyPassing, f.EffectiveTTL(), f.EffectiveConnectTimeout())
			case pr.DNS != nil:
				fmt.Fprintf(&b, "  %s dns ttl=%v\n", plane, pr.DNS.EffectiveTTL())
				for _, g := range pr.DNS.Groups {
					fmt.Fprintf(&b, "    %s %s\n", g.Policy, g.Name)
					for _, rec := range g.Records {
						fmt.Fprintf(&b, "      %+v\n", describeRecord(rec))
					}
				}
			}
			var paths []string
			for p := range positions {
				if strings.HasPrefix(p, prefix+".") {
					paths = append(paths, p)
				}
			}
			slices.Sort(paths)
			for _, p := range paths {
				pos := positions[p]
				fmt.Fprintf(&b, "    %s @ %s:%d:%d\n", strings.TrimPrefix(p, prefix+"."), filepath.ToSlash(pos.File), pos.Line, pos.Column)
			}
		}
	}
	for _, l := range s.Routing.Import.Lints {
		fmt.Fprintf(&b, "lint %s %s %s:%d:%d %s\n", l.Rule, l.Severity, filepath.ToSlash(l.Pos.File), l.Pos.Line, l.Pos.Column, l.Message)
	}
	return b.String()
}

func describeRecord(r scenarios.Record) string {
	var parts []string
	add := func(k, v string) {
		if v != "" {
			parts = append(parts, k+"="+v)
		}
	}
	add("id", r.ID)
	add("datacenter", string(r.Datacenter))
	add("alias", r.Alias)
	if r.EvaluateTargetHealth {
		add("evaluate_target_health", "true")
	}
	if h := r.HealthCheck; h != nil {
		add("health_check", fmt.Sprintf("%v x%d", h.EffectiveInterval(), h.EffectiveFailureThreshold()))
	}
	add("failover", r.Failover)
	add("continent", r.Continent)
	add("country", r.Country)
	add("subdivision", r.Subdivision)
	if r.Weight != nil {
		add("weight", fmt.Sprint(*r.Weight))
	}
	return strings.Join(parts, " ")
}
