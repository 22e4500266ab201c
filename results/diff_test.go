package results

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/lint"
)

// TestRenderDiff replays testdata/diff_*.txt:
//
//	diff old=<file> new=<file> [static] [tolerate=<x>] [fail-on=<severity>] [exit-on=<kind>] format=<name>
//
// loads testdata/<file> for each version, analyses and lints both and
// unless static simulates both on NEW's seed and replications, diffs them
// with every limit 0 and renders the diff in format. Each line of the
// input, if any, is an override applied to NEW. Run with -rewrite to
// regenerate the expected output.
func TestRenderDiff(t *testing.T) {
	datadriven.Walk(t, "testdata", func(t *testing.T, path string) {
		if !strings.HasPrefix(filepathBase(path), "diff_") || !strings.HasSuffix(path, ".txt") {
			return
		}
		datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
			if d.Cmd != "diff" {
				t.Fatalf("%s: unknown command %q", d.Pos, d.Cmd)
			}
			var oldFile, newFile, format string
			d.ScanArgs(t, "old", &oldFile)
			d.ScanArgs(t, "new", &newFile)
			d.ScanArgs(t, "format", &format)
			in := diffInput(t, loadCheckScenario(t, oldFile), withOverrides(t, loadCheckScenario(t, newFile), d.Input), d.HasArg("static"))
			if d.HasArg("tolerate") {
				d.ScanArgs(t, "tolerate", &in.Tolerate)
			}
			d.MaybeScanArgs(t, "fail-on", &in.FailOn)
			d.MaybeScanArgs(t, "exit-on", &in.ExitOn)
			var out bytes.Buffer
			if err := RenderDiff(&out, Diff(in), format, CIOptions{}); err != nil {
				return "error: " + err.Error() + "\n"
			}
			return out.String()
		})
	})
}

// filepathBase is the last element of a slash-separated path.
func filepathBase(path string) string { return path[strings.LastIndexByte(path, '/')+1:] }

// withOverrides applies overrides, one per line, to s.
func withOverrides(t *testing.T, s *scenarios.Scenario, lines string) *scenarios.Scenario {
	t.Helper()
	var overrides []scenarios.Override
	for _, line := range strings.Split(strings.TrimSpace(lines), "\n") {
		if line == "" {
			continue
		}
		o, err := scenarios.ParseOverride(line, "--set")
		if err != nil {
			t.Fatal(err)
		}
		overrides = append(overrides, o)
	}
	if len(overrides) == 0 {
		return s
	}
	c, err := s.With(overrides)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// diffInput is what the CLI would hand Diff for two versions, with every
// limit at its default 0: both sides analysed and linted, and unless
// static both simulated on NEW's seed and replications.
func diffInput(t *testing.T, old, new *scenarios.Scenario, static bool) DiffInput {
	t.Helper()
	side := func(s *scenarios.Scenario) DiffSide {
		var overrides []string
		for _, o := range s.Source.Overrides {
			overrides = append(overrides, o.String())
		}
		meta := Meta{Tool: "geofence", Version: "v0.1.0-test", Seed: s.Run.Seed, File: s.Source.File, SHA256: s.Source.SHA256, Overrides: overrides}
		d := DiffSide{Scenario: s, Meta: meta, Static: analyze(t, s), Lints: lint.Check(s)}
		if !static {
			m, reps := runScenario(t, s)
			d.Report = summarize(t, m, reps, meta)
		}
		return d
	}
	paired := *old
	paired.Run.Seed, paired.Run.Replications = new.Run.Seed, new.Run.Replications
	in := DiffInput{Old: side(&paired), New: side(new)}
	for p := range in.LimitSource {
		in.LimitSource[p] = "default"
	}
	return in
}

// landingStates maps each landing of a diff to its state.
func landingStates(r *DiffReport) map[string]string {
	out := map[string]string{}
	for _, c := range r.Landings {
		out[c.Population+" "+c.Plane+" "+c.Via+" "+c.Datacenter] = c.State
	}
	return out
}

// A diff of a version with itself shows nothing, and fails under no
// --exit-on, simulated or not.
func TestDiffSelf(t *testing.T) {
	for _, static := range []bool{true, false} {
		s := loadCheckScenario(t, "check_spill.yaml")
		for _, exitOn := range []string{ExitOnWorse, ExitOnImproved, ExitOnChanged} {
			in := diffInput(t, s, s, static)
			in.ExitOn = exitOn
			r := Diff(in)
			if r.Changed || r.Failed || len(r.Worse)+len(r.Improved)+len(r.Routing)+len(r.Tolerances) > 0 {
				t.Errorf("static=%v exit-on %s: changed %v, failed %v, worse %q, improved %q, routing %v", static, exitOn, r.Changed, r.Failed, r.Worse, r.Improved, r.Routing)
			}
			for _, c := range r.Landings {
				if c.State != StateUnchanged || c.Effect != EffectNone {
					t.Errorf("static=%v: landing %+v", static, c)
				}
			}
		}
	}
}

// Editing only where things stand — the order of datacenters, populations,
// routes and whitelists, flow style, the name and comments — changes
// nothing the diff sees, simulated included: every paired difference is
// exactly zero.
func TestDiffReorderedIsUnchanged(t *testing.T) {
	r := Diff(diffInput(t, loadCheckScenario(t, "check_spill.yaml"), loadCheckScenario(t, "diff_spill_reordered.yaml"), false))
	if r.Changed || r.Failed || len(r.Routing) > 0 {
		t.Errorf("changed %v, failed %v, routing %+v, worse %q, improved %q", r.Changed, r.Failed, r.Routing, r.Worse, r.Improved)
	}
	for _, c := range r.Lints {
		if c.State != StateUnchanged {
			t.Errorf("lint %+v", c)
		}
	}
	for _, pc := range r.Simulation.Populations {
		for name, d := range map[string]Difference{
			"blocking": pc.Blocking, "secondary share": pc.SecondaryShare, "p95 latency": pc.LatencyP95,
			"media violation rate": pc.ViolationRate.Media, "keys violation rate": pc.ViolationRate.Keys, "connector violation rate": pc.ViolationRate.Connector,
		} {
			if c := d.Change; c.Mean != 0 || c.HalfWidth != 0 {
				t.Errorf("%s: %s changed by %v ± %v", pc.Population, name, c.Mean, c.HalfWidth)
			}
		}
	}
}

// Adding bj2 to the key backup pool makes new key landings for na-free,
// located at the new entry in NEW's file; the reverse diff shows them
// absent, located in the file that had them.
func TestDiffKeyPoolBeijing(t *testing.T) {
	fixed, bj2 := loadCheckScenario(t, "check_spill_media_fixed.yaml"), loadCheckScenario(t, "diff_spill_kms_bj2.yaml")
	r := Diff(diffInput(t, fixed, bj2, true))
	states := landingStates(r)
	for _, k := range []string{"na-free keys keys bj2", "na-free keys connector bj2", "na-free connector connector bj2"} {
		if states[k] != StateNew {
			t.Errorf("%s: state %q, want new (states %v)", k, states[k], states)
		}
	}
	if !r.Failed || len(r.Worse) != 3 {
		t.Fatalf("failed %v, worse %q; want 3 new landings", r.Failed, r.Worse)
	}
	want := "testdata/diff_spill_kms_bj2.yaml:30:23: na-free keys: new forbidden landing at bj2 (CN) via connector when us-east is full or down, let in by routing.whitelists.kms-backup[1]"
	if r.Worse[0] != want {
		t.Errorf("worse[0] = %q, want %q", r.Worse[0], want)
	}
	back := Diff(diffInput(t, bj2, fixed, true))
	if back.Failed || len(back.Improved) != 3 {
		t.Errorf("reverse: failed %v, improved %q", back.Failed, back.Improved)
	}
	absent := 0
	for _, c := range back.Landings {
		if c.State != StateAbsent {
			continue
		}
		absent++
		if c.At.Version != "old" || c.At.File != "testdata/diff_spill_kms_bj2.yaml" || c.At.Line != 30 {
			t.Errorf("absent landing located at %+v, want OLD's line 30", c.At)
		}
	}
	if absent != 3 {
		t.Errorf("reverse: %d absent landings, want the 3 bj2 landings", absent)
	}
	if i := slices.IndexFunc(back.Routing, func(c RoutingChange) bool { return c.State == StateAbsent && strings.Contains(c.Change, "bj2 removed") }); i < 0 {
		t.Errorf("routing %+v lacks bj2 removed from kms-backup", back.Routing)
	}
}

// A violation rate's effect: worse only when it rose significantly and
// ends above its limit or rose by more than tolerate; improved when it fell
// significantly.
func TestRateEffect(t *testing.T) {
	diff := func(base, this []float64) Difference { return Paired(base, this) }
	rise := diff([]float64{0.01, 0.02, 0.015}, []float64{0.03, 0.041, 0.034}) // +0.0197, significant
	noisy := diff([]float64{0.01, 0.02, 0.015}, []float64{0.02, 0.01, 0.03})  // +0.005, not significant
	fall := diff([]float64{0.03, 0.041, 0.034}, []float64{0.01, 0.02, 0.015})
	for _, c := range []struct {
		name            string
		d               Difference
		limit, tolerate float64
		want            string
	}{
		{"rise above the limit", rise, 0.01, 0, EffectWorse},
		{"rise above the limit, within tolerate", rise, 0.01, 0.05, EffectWorse},
		{"rise within the limit, above tolerate", rise, 0.1, 0.01, EffectWorse},
		{"rise within the limit and tolerate", rise, 0.1, 0.05, EffectNeutral},
		{"noise above the limit", noisy, 0, 0, EffectNone},
		{"fall", fall, 0, 0, EffectImproved},
	} {
		if got := rateEffect(c.d, c.limit, c.tolerate); got != c.want {
			t.Errorf("%s: %s, want %s (change %v [%v, %v])", c.name, got, c.want, c.d.Change.Mean, c.d.Change.Low, c.d.Change.High)
		}
	}
}

// Lints are matched by rule and subject: a lint whose whitelist entry
// moved to another index is the same lint; one on a new entry is new, and
// is worse only at --fail-on's severity.
func TestDiffLints(t *testing.T) {
	fixed, bj2 := loadCheckScenario(t, "check_spill_media_fixed.yaml"), loadCheckScenario(t, "diff_spill_kms_bj2.yaml")
	for _, c := range []struct {
		failOn string
		worse  bool
	}{{"", false}, {lint.Note, true}} {
		in := diffInput(t, fixed, bj2, true)
		in.FailOn = c.failOn
		r := Diff(in)
		var news []LintChange
		for _, l := range r.Lints {
			if l.State == StateNew {
				news = append(news, l)
			}
		}
		if len(news) == 0 {
			t.Fatalf("no new lint: %+v", r.Lints)
		}
		for _, l := range news {
			if (l.Effect == EffectWorse) != c.worse {
				t.Errorf("fail on %q: new lint %s at %s has effect %s", c.failOn, l.Rule, l.Subject, l.Effect)
			}
			if l.At.Version != "new" || l.At.Line == 0 {
				t.Errorf("new lint located at %+v", l.At)
			}
		}
	}
}

// The SARIF of a diff is valid SARIF 2.1.0 as written; every result
// carries a baselineState, and the landings the change introduced are
// exactly the new results, at the lines of NEW's file that let them in.
func TestDiffSARIF(t *testing.T) {
	for _, static := range []bool{true, false} {
		r := Diff(diffInput(t, loadCheckScenario(t, "check_spill_media_fixed.yaml"), loadCheckScenario(t, "diff_spill_kms_bj2.yaml"), static))
		var out bytes.Buffer
		if err := RenderDiff(&out, r, "sarif", CIOptions{Artifacts: map[string]Artifact{
			"testdata/diff_spill_kms_bj2.yaml": {URI: "results/testdata/diff_spill_kms_bj2.yaml", BaseID: SourceRoot},
		}}); err != nil {
			t.Fatal(err)
		}
		validSARIF(t, out.Bytes())
		log, err := sarif.FromBytes(out.Bytes())
		if err != nil {
			t.Fatal(err)
		}
		states := map[string]int{}
		for _, res := range log.Runs[0].Results {
			if res.BaselineState == nil {
				t.Fatalf("%s result without baselineState: %s", *res.RuleID, *res.Message.Text)
			}
			states[*res.RuleID+" "+*res.BaselineState]++
			if *res.RuleID == ruleStaticReachable && *res.BaselineState == StateNew {
				loc := res.Locations[0].PhysicalLocation
				if *loc.ArtifactLocation.URI != "results/testdata/diff_spill_kms_bj2.yaml" || *loc.ArtifactLocation.URIBaseID != SourceRoot || *loc.Region.StartLine != 30 {
					t.Errorf("new landing at %s (base %v) line %d", *loc.ArtifactLocation.URI, loc.ArtifactLocation.URIBaseID, *loc.Region.StartLine)
				}
				if len(res.RelatedLocations) != 2 {
					t.Errorf("new landing has %d related fences, want 2 (keys, connector)", len(res.RelatedLocations))
				}
			}
		}
		if states[ruleStaticReachable+" new"] != 1 || states[ruleStaticReachable+" unchanged"] != 1 || states[ruleRoutingChange+" new"] != 2 {
			t.Errorf("static=%v: results by rule and state %v", static, states)
		}
	}
}

// JUnit has a case per fence, failing where the change made it worse,
// then a case per lint of NEW.
func TestDiffJUnit(t *testing.T) {
	r := Diff(diffInput(t, loadCheckScenario(t, "check_spill_media_fixed.yaml"), loadCheckScenario(t, "diff_spill_kms_bj2.yaml"), true))
	var out bytes.Buffer
	if err := RenderDiff(&out, r, "junit", CIOptions{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Classname string    `xml:"classname,attr"`
				Name      string    `xml:"name,attr"`
				Failure   *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var failing []string
	fences := 0
	for _, tc := range doc.Suites[0].Cases {
		if tc.Classname != "lint" {
			fences++
		}
		if tc.Failure != nil {
			failing = append(failing, tc.Classname+"/"+tc.Name)
		}
	}
	if want := []string{"na-free/keys", "na-free/connector"}; !slices.Equal(failing, want) || doc.Failures != 2 || fences != len(r.Fences) {
		t.Errorf("failing %v (%d), %d fence cases; want %v and %d", failing, doc.Failures, fences, want, len(r.Fences))
	}
	if bytes.Contains(out.Bytes(), []byte("time=")) {
		t.Errorf("time attributes without a measured time")
	}
}

// The JSON says its kind and format version and reads back into the same
// report.
func TestDiffJSON(t *testing.T) {
	r := Diff(diffInput(t, loadCheckScenario(t, "check_spill.yaml"), loadCheckScenario(t, "check_spill_media_fixed.yaml"), true))
	var out bytes.Buffer
	if err := RenderDiff(&out, r, "json", CIOptions{}); err != nil {
		t.Fatal(err)
	}
	var back DiffReport
	if err := json.Unmarshal(out.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, r) {
		t.Errorf("JSON does not read back into the same report:\n%s", out.String())
	}
	if !strings.Contains(out.String(), `"kind": "diff"`) || !strings.Contains(out.String(), `"format_version": 1`) || !strings.Contains(out.String(), `"simulation": null`) {
		t.Errorf("JSON lacks its kind, version or null simulation:\n%.400s", out.String())
	}
}

// Accepted risks of NEW, holding on the day judged, keep what they cover
// from counting as worse: the new key and connector landings at bj2 are
// accepted, and the diff passes; SARIF suppresses them. Expired, they
// cover nothing.
func TestDiffAccepted(t *testing.T) {
	fixed, bj2 := loadCheckScenario(t, "check_spill_media_fixed.yaml"), loadCheckScenario(t, "diff_spill_kms_bj2.yaml")
	in := diffInput(t, fixed, bj2, false)
	in.Accepted = []scenarios.Accepted{
		{Population: "na-free", Plane: "keys", Datacenter: "bj2", Reason: "second key site, CAB-9", Expires: "2026-12-31", File: "risks.yaml", Pos: scenarios.Position{Line: 2, Column: 5}},
		{Population: "na-free", Plane: "connector", Jurisdiction: "CN", Reason: "dial-in fallback", Expires: "2026-12-31", File: "risks.yaml", Pos: scenarios.Position{Line: 3, Column: 5}},
	}
	in.Date = storyDate
	r := Diff(in)
	if r.Failed || len(r.Worse) != 0 || len(r.Accepted) < 3 || r.Date != "2026-11-30" {
		t.Fatalf("failed %v, worse %q, accepted %q on %s", r.Failed, r.Worse, r.Accepted, r.Date)
	}
	for _, c := range r.Landings {
		if c.State == StateNew && (c.Accepted == nil || c.Effect != EffectNeutral) {
			t.Errorf("new landing %s %s at %s: effect %s, accepted %v", c.Population, c.Plane, c.Datacenter, c.Effect, c.Accepted)
		}
	}
	var out bytes.Buffer
	if err := RenderDiff(&out, r, "sarif", CIOptions{}); err != nil {
		t.Fatal(err)
	}
	validSARIF(t, out.Bytes())
	if !bytes.Contains(out.Bytes(), []byte(`"justification": "second key site, CAB-9 (until 2026-12-31, risks.yaml:2:5)"`)) {
		t.Errorf("SARIF lacks the suppression")
	}

	in.Date = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if r := Diff(in); !r.Failed || len(r.Accepted) != 0 {
		t.Errorf("expired: failed %v, accepted %q", r.Failed, r.Accepted)
	}
}
