package istio_test

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/rogpeppe/go-internal/txtar"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
	"github.com/geofence/geofence/scenarios/internal/scenariotest"
	"github.com/geofence/geofence/scenarios/istio"
	"github.com/geofence/geofence/scenarios/lint"
)

// TestImport runs the cases in testdata/import: each input is a txtar
// archive of a scenario (scenario.yaml) and the Istio files it imports,
// written to a directory and loaded. Commands:
//
//	import [population=ID]  print each population's imported routes (or
//	                        one's), every value with the place it stands,
//	                        then the lints of the files (and the ejection
//	                        budget's, which is about them); or the problems
func TestImport(t *testing.T) {
	scenariotest.ReplayCommand(t, "testdata/import", "import", func(t *testing.T, d *datadriven.TestData) string {
		dir := t.TempDir()
		for _, f := range txtar.Parse([]byte(d.Input)).Files {
			if err := os.MkdirAll(filepath.Join(dir, filepath.Dir(f.Name)), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(filepath.Join(dir, f.Name), f.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		s, err := format.LoadFile(filepath.Join(dir, "scenario.yaml"))
		if err != nil {
			return strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "") + "\n"
		}
		var only string
		d.MaybeScanArgs(t, "population", &only)
		var b strings.Builder
		where := func(path string) string {
			pos := s.Source.Pos(path)
			file := strings.TrimPrefix(pos.File, dir+string(filepath.Separator))
			if file == "" {
				file = "scenario.yaml"
			}
			return fmt.Sprintf("%s:%d:%d", file, pos.Line, pos.Column)
		}
		for ri, r := range s.Routing.Routes {
			if r.Imported == "" || only != "" && string(r.Population) != only {
				continue
			}
			fmt.Fprintf(&b, "%s (%s)\n", r.Key(), where(scenarios.RoutePath(ri)))
			for _, plane := range scenarios.Planes {
				if !r.Gives(plane) {
					continue
				}
				bal := r.PlaneRoute(plane).Balance
				path := scenarios.Join(scenarios.PlaneRoutePath(ri, plane), "balance")
				fmt.Fprintf(&b, "  %s: overprovisioning %d, panic %d%% (%s), locality weighted %t, retries %d, connect timeout %v (%s)\n", plane,
					*bal.Overprovisioning, *bal.PanicThreshold, where(scenarios.Join(path, "panic_threshold")), bal.LocalityWeighted, *bal.Retries,
					*bal.ConnectTimeout, where(scenarios.Join(path, "connect_timeout")))
				if od := bal.OutlierDetection; od != nil {
					odPath := scenarios.Join(path, "outlier_detection")
					fmt.Fprintf(&b, "    outlier detection: %d errors (%s), interval %v, base ejection %v, max ejection %d%% (%s)\n",
						*od.ConsecutiveErrors, where(scenarios.Join(odPath, "consecutive_errors")), *od.Interval, *od.BaseEjectionTime,
						*od.MaxEjectionPercent, where(scenarios.Join(odPath, "max_ejection_percent")))
				} else {
					fmt.Fprintf(&b, "    no outlier detection\n")
				}
				for p, level := range bal.Priorities {
					for i, l := range level {
						lp := scenarios.Index(scenarios.Index(scenarios.Join(path, "priorities"), p), i)
						fmt.Fprintf(&b, "    P%d %s weight %d hosts %d (%s)\n", p, l.Datacenter, *l.Weight, *l.Hosts, where(lp))
					}
				}
			}
		}
		for _, l := range lint.Check(s) {
			if !strings.HasPrefix(l.Rule, "istio-") && l.Rule != "ejection-budget" {
				continue // the model's lints are scenarios/lint's to test
			}
			fmt.Fprintf(&b, "lint %s:%d:%d %s: %s\n", strings.TrimPrefix(l.File, dir+string(filepath.Separator)), l.Line, l.Column, l.Rule, l.Message)
		}
		return b.String()
	})
}

// Every rule shows up in the expected output of some case, so that
// dropping one fails a test; the rules are sorted and each has a summary.
func TestEveryRuleHasACase(t *testing.T) {
	all := scenariotest.Stories(t, "testdata/import/*.txt")
	for i, r := range istio.Rules {
		if !strings.Contains(all, " "+r.ID+": ") {
			t.Errorf("no case in testdata expects a %s lint", r.ID)
		}
		if i > 0 && istio.Rules[i-1].ID >= r.ID || r.Summary == "" {
			t.Errorf("rule %s is out of order or has no summary", r.ID)
		}
	}
}
