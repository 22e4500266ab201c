package fence_test

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/fence"
	"github.com/geofence/geofence/scenarios/format"
	"github.com/geofence/geofence/scenarios/internal/scenariotest"
)

// TestAnalyze replays the stories in testdata/*.txt: `analyze` loads its
// YAML input and prints every fence that can be breached, with each
// finding's witness and the scenario line that lets it in.
// go test ./scenarios/fence -run TestAnalyze -rewrite regenerates the output.
func TestAnalyze(t *testing.T) {
	scenariotest.ReplayCommand(t, "testdata", "analyze", func(t *testing.T, d *datadriven.TestData) string {
		s, err := format.Load("test.yaml", []byte(d.Input))
		if err != nil {
			return err.Error() + "\n"
		}
		fences, err := fence.Analyze(context.Background(), s)
		if err != nil {
			d.Fatalf(t, "%v", err)
		}
		var b strings.Builder
		for _, f := range fences {
			if f.Tolerance < 0 {
				continue
			}
			fmt.Fprintf(&b, "%s %s: tolerance %d\n", f.Population, f.Plane, f.Tolerance)
			for _, x := range f.Findings {
				via := ""
				if x.Via != f.Plane {
					via = " via " + string(x.Via)
				}
				pos := s.Source.Pos(x.Path)
				share := ""
				if x.Share != nil {
					share = fmt.Sprintf(", share %.4g", *x.Share)
				}
				fmt.Fprintf(&b, "  %s (%s)%s when [%s] full or down%s; let in at %d:%d %s\n",
					x.Datacenter, x.Jurisdiction, via, strings.Join(x.Witness, " "), share, pos.Line, pos.Column, x.Path)
			}
		}
		if b.Len() == 0 {
			return "every fence holds in every state\n"
		}
		return b.String()
	})
}

// A cancelled context stops the analysis and says why.
func TestAnalyzeCancelled(t *testing.T) {
	s, err := format.Resolve(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := fence.Analyze(ctx, s); err != context.Canceled {
		t.Errorf("cancelled analysis returned %v", err)
	}
}
