package sarif_test

import (
	"bytes"
	"testing"

	gosarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/results/render/sarif"
)

// The SARIF log is valid SARIF 2.1.0 by the OASIS schema go-sarif embeds,
// and its results point at the line that opens the fence: the static
// finding and the violation rate at intl[0] (line 17, column 9), each lint
// at its own line.
func TestCheckSARIF(t *testing.T) {
	for _, static := range []bool{false, true} {
		r := fixture.OverflowCheck(t, static)
		var out bytes.Buffer
		if err := sarif.Check(&out, r, nil); err != nil {
			t.Fatal(err)
		}
		fixture.ValidSARIF(t, out.Bytes())
		log, err := gosarif.FromBytes(out.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		run := log.Runs[0]
		if name := *run.Tool.Driver.Name; name != "geofence" {
			t.Errorf("driver %q, want geofence", name)
		}
		rules := map[string]string{}
		for _, rule := range run.Tool.Driver.Rules {
			rules[*rule.ID] = rule.DefaultConfiguration.Level
		}
		if rules[sarif.RuleStaticReachable] != "error" || rules[sarif.RuleViolationRate] != "error" || rules["thin-fence"] != "note" {
			t.Errorf("rule levels %v", rules)
		}
		lintLine := map[string]int{}
		for _, l := range r.Lints {
			lintLine[l.Rule] = l.Line
		}
		seen := map[string]int{}
		for _, res := range run.Results {
			id := *res.RuleID
			seen[id]++
			if res.Level != rules[id] {
				t.Errorf("%s result at level %s, rule says %s", id, res.Level, rules[id])
			}
			region := res.Locations[0].PhysicalLocation.Region
			if uri := *res.Locations[0].PhysicalLocation.ArtifactLocation.URI; uri != "test.yaml" {
				t.Errorf("%s located in %q, want test.yaml", id, uri)
			}
			wantLine, wantColumn := lintLine[id], 0
			if id == sarif.RuleStaticReachable || id == sarif.RuleViolationRate {
				wantLine, wantColumn = 17, 9
			}
			if *region.StartLine != wantLine || (wantColumn > 0 && *region.StartColumn != wantColumn) {
				t.Errorf("%s at %d:%d, want line %d", id, *region.StartLine, *region.StartColumn, wantLine)
			}
		}
		wantRate := 1
		if static {
			wantRate = 0
		}
		if seen[sarif.RuleStaticReachable] != 1 || seen[sarif.RuleViolationRate] != wantRate || seen["fail-open"] != 1 {
			t.Errorf("static=%v: results by rule %v", static, seen)
		}
	}
}

// The SARIF of every golden story is valid too, and rendering is
// deterministic: the same report gives the same bytes.
func TestCheckSARIFStoriesValidate(t *testing.T) {
	for _, static := range []bool{false, true} {
		r := check.Check(fixture.CheckInput(t, "check_spill.yaml", static))
		var a, b bytes.Buffer
		if err := sarif.Check(&a, r, nil); err != nil {
			t.Fatal(err)
		}
		if err := sarif.Check(&b, r, nil); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("static=%v: two renderings of one report differ", static)
		}
		fixture.ValidSARIF(t, a.Bytes())
	}
}

// The SARIF of a diff is valid SARIF 2.1.0 as written; every result
// carries a baselineState, and the landings the change introduced are
// exactly the new results, at the lines of NEW's file that let them in.
func TestDiffSARIF(t *testing.T) {
	for _, static := range []bool{true, false} {
		r := diff.Diff(fixture.DiffInput(t, fixture.LoadStory(t, "check_spill_media_fixed.yaml"), fixture.LoadStory(t, "diff_spill_kms_bj2.yaml"), static))
		var out bytes.Buffer
		if err := sarif.Diff(&out, r, sarif.Artifacts{
			"testdata/diff_spill_kms_bj2.yaml": {URI: "results/testdata/diff_spill_kms_bj2.yaml", BaseID: sarif.SourceRoot},
		}); err != nil {
			t.Fatal(err)
		}
		fixture.ValidSARIF(t, out.Bytes())
		log, err := gosarif.FromBytes(out.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		states := map[string]int{}
		for _, res := range log.Runs[0].Results {
			if res.BaselineState == nil {
				t.Fatalf("%s result without baselineState: %s", *res.RuleID, *res.Message.Text)
			}
			states[*res.RuleID+" "+*res.BaselineState]++
			if *res.RuleID == sarif.RuleStaticReachable && *res.BaselineState == diff.StateNew {
				loc := res.Locations[0].PhysicalLocation
				if *loc.ArtifactLocation.URI != "results/testdata/diff_spill_kms_bj2.yaml" || *loc.ArtifactLocation.URIBaseID != sarif.SourceRoot || *loc.Region.StartLine != 30 {
					t.Errorf("new landing at %s (base %v) line %d", *loc.ArtifactLocation.URI, loc.ArtifactLocation.URIBaseID, *loc.Region.StartLine)
				}
				if len(res.RelatedLocations) != 2 {
					t.Errorf("new landing has %d related fences, want 2 (keys, connector)", len(res.RelatedLocations))
				}
			}
		}
		if states[sarif.RuleStaticReachable+" new"] != 1 || states[sarif.RuleStaticReachable+" unchanged"] != 1 || states[sarif.RuleRoutingChange+" new"] != 2 {
			t.Errorf("static=%v: results by rule and state %v", static, states)
		}
	}
}
