package results

import (
	"bytes"
	"cmp"
	"context"
	"encoding/json"
	"encoding/xml"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"
	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/fence"
	"github.com/geofence/geofence/scenarios/lint"
	"github.com/geofence/geofence/sim"
)

// TestRenderCheck replays testdata/check_*.txt:
//
//	check scenario=<file> [baseline=<file>] [static] [max-violation-rate=<x>] format=<name>
//
// loads testdata/<file>, analyses and lints it, and unless static simulates
// its replications; with baseline, compares blocking with the baseline
// scenario run on the same seed. Every plane's limit is x (flag
// --max-violation-rate), 0 by default. The check report is rendered in
// format. Run with -rewrite to regenerate the expected output.
func TestRenderCheck(t *testing.T) {
	files, err := filepath.Glob("testdata/check_*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no check stories: %v", err)
	}
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
				if d.Cmd != "check" {
					t.Fatalf("%s: unknown command %q", d.Pos, d.Cmd)
				}
				var file, baseline, format string
				d.ScanArgs(t, "scenario", &file)
				d.MaybeScanArgs(t, "baseline", &baseline)
				d.ScanArgs(t, "format", &format)
				in := checkInput(t, file, d.HasArg("static"))
				if d.HasArg("max-violation-rate") {
					var limit float64
					d.ScanArgs(t, "max-violation-rate", &limit)
					for p := range in.Limits {
						in.Limits[p], in.LimitSource[p] = limit, "--max-violation-rate"
					}
				}
				if baseline != "" {
					base := simulated(t, baseline)
					this := simulated(t, file)
					in.Baseline = &BaselineInput{
						Scenario:   ScenarioRef{Name: base.s.Name, File: base.s.Source.File, SHA256: base.s.Source.SHA256},
						Comparison: Compare(summarize(t, base.m, base.reps, Meta{}), summarize(t, this.m, this.reps, Meta{})),
					}
				}
				var out bytes.Buffer
				if err := RenderCheck(&out, Check(in), format, CIOptions{}); err != nil {
					return "error: " + err.Error() + "\n"
				}
				return out.String()
			})
		})
	}
}

// checkRun is a loaded scenario and, once simulated, its replications.
type checkRun struct {
	s    *scenarios.Scenario
	m    *sim.Model
	reps []*sim.Replication
}

// checkRuns caches the simulation of each testdata scenario: every story
// checks the same few.
var checkRuns = map[string]*checkRun{}

// loadCheckScenario loads testdata/file, naming it by that relative path.
func loadCheckScenario(t *testing.T, file string) *scenarios.Scenario {
	t.Helper()
	path := filepath.Join("testdata", file)
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := scenarios.Load(path, data)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// simulated returns testdata/file run for its replications on its seed.
func simulated(t *testing.T, file string) *checkRun {
	t.Helper()
	if run := checkRuns[file]; run != nil {
		return run
	}
	s := loadCheckScenario(t, file)
	m, reps := runScenario(t, s)
	run := &checkRun{s: s, m: m, reps: reps}
	checkRuns[file] = run
	return run
}

// storyDate is the day the stories judge accepted risks on.
var storyDate = time.Date(2026, 11, 30, 0, 0, 0, 0, time.UTC)

// checkInput is what the CLI would hand Check for testdata/file, with every
// limit at its default 0, storyLints for lints, and the scenario's
// accepted risks judged on storyDate.
func checkInput(t *testing.T, file string, static bool) CheckInput {
	t.Helper()
	s := loadCheckScenario(t, file)
	meta := Meta{Tool: "geofence", Version: "v0.1.0-test", Seed: s.Run.Seed, File: s.Source.File, SHA256: s.Source.SHA256}
	in := CheckInput{Scenario: s, Meta: meta, Static: analyze(t, s), Lints: storyLints(s), Accepted: s.Accepted, Date: storyDate}
	for p := range in.LimitSource {
		in.LimitSource[p] = "default"
	}
	if !static {
		run := simulated(t, file)
		in.Scenario = run.s
		in.Report = summarize(t, run.m, run.reps, meta)
	}
	return in
}

// storyLints stand for the linter's findings, at real positions in s, so
// that the golden output changes with this package and not with the
// linter's wording (TestCheckKeepsLints passes real lints through).
func storyLints(s *scenarios.Scenario) []lint.Lint {
	at := func(rule, severity, path, message string) lint.Lint {
		pos := s.Source.Pos(path)
		return lint.Lint{Rule: rule, Severity: severity, Path: path, Line: pos.Line, Column: pos.Column, Message: message}
	}
	return []lint.Lint{
		at("fail-open", lint.Warning, "routing.whitelists.kms-backup[0]", "na-free's keys and connectors can land at bj1 (CN) once us-east is full or down"),
		at("thin-fence", lint.Note, "routing.routes[1].keys", "only us-east is inside na-gov's keys fence"),
	}
}

// overflowYAML sends na-free's media to cn, in China, whenever the one US
// datacenter is full. The whitelist entry that lets cn in, intl[0], sits on
// line 17, column 9.
const overflowYAML = `name: overflow
regions:
  - id: na
datacenters:
  - {id: us, region: na, jurisdiction: US, capacity: {media: 2}, rtt: {na: 0s}}
  - {id: cn, region: na, jurisdiction: CN, capacity: {media: unlimited}, rtt: {na: 0s}}
populations:
  - id: na-free
    region: na
    jurisdiction: US
    plan: free
    joins_per_second: 0.05
    holding: {distribution: exponential, mean: 60s}
routing:
  whitelists:
    intl:
      - cn
  routes:
    - region: na
      media: {primaries: [us], secondaries: {whitelist: intl, picks: 1}}
      keys: {custody: client}
policy:
  - select: {}
    allow: {media: [US], keys: [US], connector: [US]}
run: {horizon: 2h, warmup: 10m, replications: 3, seed: 1}
`

// overflowCheck checks overflowYAML with the real linter, simulated unless
// static.
func overflowCheck(t *testing.T, static bool) *CheckReport {
	t.Helper()
	s, err := scenarios.Load("test.yaml", []byte(overflowYAML))
	if err != nil {
		t.Fatal(err)
	}
	meta := Meta{Tool: "geofence", Version: "v0.1.0-test", Seed: s.Run.Seed, File: s.Source.File, SHA256: s.Source.SHA256}
	in := CheckInput{Scenario: s, Meta: meta, Static: analyze(t, s), Lints: lint.Check(s)}
	if !static {
		m, reps := runScenario(t, s)
		in.Report = summarize(t, m, reps, meta)
	}
	return Check(in)
}

// The SARIF log is valid SARIF 2.1.0 by the OASIS schema go-sarif embeds,
// and its results point at the line that opens the fence: the static
// finding and the violation rate at intl[0] (line 17, column 9), each lint
// at its own line.
func TestCheckSARIF(t *testing.T) {
	for _, static := range []bool{false, true} {
		r := overflowCheck(t, static)
		var out bytes.Buffer
		if err := RenderCheck(&out, r, "sarif", CIOptions{}); err != nil {
			t.Fatal(err)
		}
		validSARIF(t, out.Bytes())
		log, err := sarif.FromBytes(out.Bytes())
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
		if rules[ruleStaticReachable] != "error" || rules[ruleViolationRate] != "error" || rules["thin-fence"] != "note" {
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
			if id == ruleStaticReachable || id == ruleViolationRate {
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
		if seen[ruleStaticReachable] != 1 || seen[ruleViolationRate] != wantRate || seen["fail-open"] != 1 {
			t.Errorf("static=%v: results by rule %v", static, seen)
		}
	}
}

// The SARIF of every golden story is valid too, and rendering is
// deterministic: the same report gives the same bytes.
func TestCheckSARIFStoriesValidate(t *testing.T) {
	for _, static := range []bool{false, true} {
		r := Check(checkInput(t, "check_spill.yaml", static))
		var a, b bytes.Buffer
		if err := RenderCheck(&a, r, "sarif", CIOptions{}); err != nil {
			t.Fatal(err)
		}
		if err := RenderCheck(&b, r, "sarif", CIOptions{}); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(a.Bytes(), b.Bytes()) {
			t.Errorf("static=%v: two renderings of one report differ", static)
		}
		validSARIF(t, a.Bytes())
	}
}

// JUnit XML parses back with one test case per fence, then one per lint;
// failing fences carry a failure whose text names the witness and the
// simulated rate, and the lints also go to system-out. The time the
// command passes in is the suite's.
func TestCheckJUnit(t *testing.T) {
	r := Check(checkInput(t, "check_spill_media_fixed.yaml", false))
	var out bytes.Buffer
	if err := RenderCheck(&out, r, "junit", CIOptions{Elapsed: 1234567 * time.Microsecond}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Time     string `xml:"time,attr"`
		Suites   []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Time     string `xml:"time,attr"`
			Cases    []struct {
				Classname string `xml:"classname,attr"`
				Name      string `xml:"name,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
			SystemOut string `xml:"system-out"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 8 || doc.Failures != 2 || len(doc.Suites) != 1 || doc.Time != "1.235" {
		t.Fatalf("testsuites: %d tests, %d failures, %d suites, time %q; want 8, 2, 1, 1.235", doc.Tests, doc.Failures, len(doc.Suites), doc.Time)
	}
	suite := doc.Suites[0]
	if suite.Name != "geofence check spill-media-fixed" || suite.Tests != 8 || suite.Failures != 2 || len(suite.Cases) != 8 || suite.Time != "1.235" {
		t.Errorf("suite %q: %d tests, %d failures, %d cases, time %q", suite.Name, suite.Tests, suite.Failures, len(suite.Cases), suite.Time)
	}
	for i, l := range r.Lints {
		tc := suite.Cases[len(r.Fences)+i]
		if tc.Classname != "lint" || tc.Name != l.Rule+" "+l.Subject || tc.Failure != nil {
			t.Errorf("lint case %d is %s/%s (failure %v), want lint/%s %s passing", i, tc.Classname, tc.Name, tc.Failure, l.Rule, l.Subject)
		}
	}
	failed := 0
	for i, tc := range suite.Cases[:len(r.Fences)] {
		fc := r.Fences[i]
		if tc.Classname != fc.Population || tc.Name != fc.Plane {
			t.Errorf("case %d is %s/%s, want %s/%s", i, tc.Classname, tc.Name, fc.Population, fc.Plane)
		}
		if (tc.Failure != nil) == fc.Passed {
			t.Errorf("%s/%s: failure %v, passed %v", tc.Classname, tc.Name, tc.Failure, fc.Passed)
		}
		if tc.Failure != nil {
			failed++
			for _, want := range []string{"when us-east is full or down", "routing.whitelists.kms-backup[0]", rateWithInterval(*fc.ViolationRate)} {
				if !strings.Contains(tc.Failure.Text, want) {
					t.Errorf("%s/%s failure text lacks %q:\n%s", tc.Classname, tc.Name, want, tc.Failure.Text)
				}
			}
		}
	}
	if failed != 2 {
		t.Errorf("%d failing cases, want 2", failed)
	}
	if !strings.Contains(suite.SystemOut, "fail-open") {
		t.Errorf("system-out lacks the lints: %q", suite.SystemOut)
	}
}

// JSON is deterministic and reads back into the same report; a static-only
// check has null simulated figures.
func TestCheckJSON(t *testing.T) {
	r := Check(checkInput(t, "check_spill.yaml", true))
	var out bytes.Buffer
	if err := RenderCheck(&out, r, "json", CIOptions{}); err != nil {
		t.Fatal(err)
	}
	var back CheckReport
	if err := json.Unmarshal(out.Bytes(), &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, r) {
		t.Errorf("JSON does not read back into the same report:\n%s", out.String())
	}
	if !strings.Contains(out.String(), `"violation_rate": null`) {
		t.Errorf("static-only JSON should have a null violation_rate")
	}
}

// A hand-made fence decides on the mean of its violation rate, not on its
// interval; a static finding fails the fence whatever the rate; lints never
// fail the check.
func TestCheckDecision(t *testing.T) {
	s, err := scenarios.Load("test.yaml", []byte(overflowYAML))
	if err != nil {
		t.Fatal(err)
	}
	report := func(media, keys Estimate) *Report {
		var f Figures
		f.ViolationRate.Media, f.ViolationRate.Keys, f.ViolationRate.Connector = media, keys, EstimateOf([]float64{0, 0})
		return &Report{Replications: 2, Populations: []PopulationReport{{ID: "na-free", Figures: f}}}
	}
	under := Estimate{Mean: 0.004, Low: -0.004, High: 0.012, HalfWidth: 0.008, N: 2} // interval crosses the limit, mean below
	over := Estimate{Mean: 0.006, Low: 0.001, High: 0.011, HalfWidth: 0.005, N: 2}
	undefined := EstimateOf(nil) // no joins offered: NaN, never over a limit
	warning := []lint.Lint{{Rule: "fail-open", Severity: lint.Warning, Message: "m"}}
	limits := [sim.NumPlanes]float64{0.005, 0.005, 0.005}
	sources := [sim.NumPlanes]string{"default", "default", "default"}

	// Without the static finding the media fence is decided by its rate.
	r := Check(CheckInput{Scenario: s, Report: report(under, over), Lints: warning, Limits: limits, LimitSource: sources})
	if !r.Fences[0].Passed || r.Fences[1].Passed || !r.Fences[2].Passed || r.Passed {
		t.Errorf("media under, keys over: passed %v %v %v, check %v", r.Fences[0].Passed, r.Fences[1].Passed, r.Fences[2].Passed, r.Passed)
	}
	if want := []string{"na-free keys: violation rate 0.006 [0.001, 0.011] exceeds 0.005 (default)"}; !slices.Equal(r.Failures, want) {
		t.Errorf("failures %q, want %q", r.Failures, want)
	}
	r = Check(CheckInput{Scenario: s, Report: report(under, undefined), Lints: warning, Limits: limits, LimitSource: sources})
	if !r.Passed || len(r.Lints) != 1 {
		t.Errorf("every rate under its limit, one lint: passed %v, failures %q, lints %v", r.Passed, r.Failures, r.Lints)
	}

	// With it, the media fence fails at any rate.
	r = Check(CheckInput{Scenario: s, Static: analyze(t, s), Report: report(under, under), Limits: limits, LimitSource: sources})
	want := []string{"na-free media: statically reachable: cn (CN) when us is full or down"}
	if r.Passed || r.Fences[0].Tolerance != 1 || !slices.Equal(r.Failures, want) {
		t.Errorf("static finding: passed %v, tolerance %d, failures %q; want %q", r.Passed, r.Fences[0].Tolerance, r.Failures, want)
	}
	if f := r.Fences[0].Static[0]; f.Line != 17 || f.Column != 9 {
		t.Errorf("finding at %d:%d, want 17:9", f.Line, f.Column)
	}

	// A required tolerance lets a finding with a large enough witness pass:
	// the landing at cn needs one datacenter (us) full or down.
	for _, tc := range []struct {
		min    int
		passed bool
	}{{1, true}, {2, false}} {
		r = Check(CheckInput{Scenario: s, Static: analyze(t, s), Report: report(under, under), Limits: limits, LimitSource: sources, MinTolerance: &tc.min})
		if r.Fences[0].Passed != tc.passed || *r.MinTolerance != tc.min {
			t.Errorf("min tolerance %d: media fence passed %v, want %v (failures %q)", tc.min, r.Fences[0].Passed, tc.passed, r.Failures)
		}
	}
	if want := "na-free media: tolerance 1 is below the 2 required: cn (CN) when us is full or down"; !slices.Contains(r.Failures, want) {
		t.Errorf("failures %q, want %q", r.Failures, want)
	}
}

// Under --decide upper a fence is held to its rate's upper bound: a rate
// no replication saw still fails a limit below what zero violations in the
// joins offered can rule out (1 - 0.05^(1/N), about 3/N), and passes one
// above it; a rate seen fails when its Student-t bound crosses the limit
// though its mean does not.
func TestCheckDecideUpper(t *testing.T) {
	s, err := scenarios.Load("test.yaml", []byte(overflowYAML))
	if err != nil {
		t.Fatal(err)
	}
	offered := []float64{10000, 12000, 11000} // 33000 joins: the bound is 9.08e-05
	zero := RateOf([]float64{0, 0, 0}, offered)
	seen := RateOf([]float64{40, 80, 60}, offered) // mean 0.0054, upper 0.0078
	report := func(media Estimate) *Report {
		var f Figures
		f.ViolationRate.Media, f.ViolationRate.Keys, f.ViolationRate.Connector = media, zero, zero
		return &Report{Replications: 3, Populations: []PopulationReport{{ID: "na-free", Figures: f}}}
	}
	check := func(media Estimate, limit float64, decide string) *CheckReport {
		limits := [sim.NumPlanes]float64{limit, 1, 1}
		return Check(CheckInput{Scenario: s, Report: report(media), Limits: limits, Decide: decide})
	}
	for _, c := range []struct {
		media  Estimate
		limit  float64
		decide string
		passed bool
	}{
		{zero, 5e-5, DecideMean, true},   // the mean, 0, is under any limit
		{zero, 5e-5, DecideUpper, false}, // 33000 joins cannot show a rate under 5e-5
		{zero, 1e-4, DecideUpper, true},  // but can show it under 1e-4
		{seen, 0.006, DecideMean, true},
		{seen, 0.006, DecideUpper, false},
		{seen, 0.01, DecideUpper, true},
	} {
		r := check(c.media, c.limit, c.decide)
		if r.Fences[0].Passed != c.passed || r.DecidedBy != cmp.Or(c.decide, DecideMean) {
			t.Errorf("rate %v (upper %v) against %v by %s: passed %v, want %v; failures %q",
				c.media.Mean, c.media.Upper, c.limit, c.decide, r.Fences[0].Passed, c.passed, r.Failures)
		}
	}
	r := check(zero, 5e-5, DecideUpper)
	if want := "na-free media: no violation simulated, but too few joins to rule out a rate above the limit: the 95% upper bound 9.08e-05 exceeds 5e-05 ()"; !slices.Equal(r.Failures, []string{want}) {
		t.Errorf("failures %q, want %q", r.Failures, want)
	}
}

// The linter's own lints pass through the check unchanged, in its order,
// each named by its subject.
func TestCheckKeepsLints(t *testing.T) {
	r := overflowCheck(t, true)
	s, err := scenarios.Load("test.yaml", []byte(overflowYAML))
	if err != nil {
		t.Fatal(err)
	}
	var got []lint.Lint
	for _, l := range r.Lints {
		got = append(got, l.Lint)
	}
	if want := lint.Check(s); !reflect.DeepEqual(got, want) || len(want) == 0 {
		t.Errorf("lints %+v, want %+v", got, want)
	}
	if r.Lints[0].Subject != "routing.whitelists.intl[cn]" {
		t.Errorf("subject %q, want routing.whitelists.intl[cn]", r.Lints[0].Subject)
	}
}

// By default lints never fail a check; with FailOn a lint of at least that
// severity does, and is listed among the failures.
func TestCheckFailOn(t *testing.T) {
	s, err := scenarios.Load("test.yaml", []byte(overflowYAML))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		failOn  string
		failing []string // rules of the lints that fail
	}{
		{"", nil},
		{SeverityError, nil},
		{lint.Warning, []string{"fail-open"}},
		{lint.Note, []string{"fail-open", "thin-fence"}},
	} {
		r := Check(CheckInput{Scenario: s, Lints: lint.Check(s), FailOn: c.failOn})
		var failing []string
		for _, l := range r.Lints {
			if l.Fails {
				failing = append(failing, l.Rule)
			}
		}
		if !slices.Equal(failing, c.failing) || r.Passed != (len(c.failing) == 0) || len(r.Failures) != len(c.failing) {
			t.Errorf("fail on %q: failing lints %v, passed %v, failures %q; want %v", c.failOn, failing, r.Passed, r.Failures, c.failing)
		}
	}
}

func TestWitnessClause(t *testing.T) {
	for _, c := range []struct {
		witness []string
		want    string
	}{
		{nil, "with nothing full or down"},
		{[]string{"a"}, "when a is full or down"},
		{[]string{"a", "b"}, "when a and b are full or down"},
		{[]string{"a", "b", "c"}, "when a, b and c are full or down"},
	} {
		if got := witnessClause(c.witness); got != c.want {
			t.Errorf("witnessClause(%v) = %q, want %q", c.witness, got, c.want)
		}
	}
}

// analyze is fence.Analyze run to its end.
func analyze(t testing.TB, s *scenarios.Scenario) []fence.Fence {
	t.Helper()
	fences, err := fence.Analyze(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return fences
}

// Accepted risks, judged on a day: one that holds accepts the findings it
// matches, statically and by simulation; one that has expired accepts
// nothing and fails; one that matches nothing fails. The same acceptance
// that holds on its expiry day has expired the day after.
func TestCheckAccepted(t *testing.T) {
	in := checkInput(t, "check_spill_accepted.yaml", false)
	r := Check(in)
	states := map[string]string{}
	for _, a := range r.Accepted {
		states[a.What()] = a.State
	}
	want := map[string]string{"na-free keys bj1": AcceptanceHolds, "na-free connector CN": AcceptanceExpired, "na-gov media bj1": AcceptanceUnmatched}
	if !reflect.DeepEqual(states, want) || r.Date != "2026-11-30" {
		t.Errorf("states %v on %s, want %v on 2026-11-30", states, r.Date, want)
	}
	keys, connector := r.Fences[1], r.Fences[2]
	if !keys.Passed || keys.RateAcceptedBy == nil || len(keys.Accepted) != 3 || connector.Passed {
		t.Errorf("keys passed %v (accepted %q), connector passed %v", keys.Passed, keys.Accepted, connector.Passed)
	}
	for _, f := range keys.Static {
		if f.AcceptedBy == nil || *f.AcceptedBy != 0 {
			t.Errorf("keys finding %s via %s not accepted by the first acceptance", f.Datacenter, f.Via)
		}
	}
	if r.Passed || len(r.Failures) != 4 {
		t.Errorf("passed %v, failures %q", r.Passed, r.Failures)
	}

	in.Date = time.Date(2099, 12, 31, 0, 0, 0, 0, time.UTC)
	if r := Check(in); r.Accepted[0].State != AcceptanceHolds {
		t.Errorf("on its expiry day the acceptance %s", r.Accepted[0].State)
	}
	in.Date = in.Date.AddDate(0, 0, 1)
	if r := Check(in); r.Accepted[0].State != AcceptanceExpired || r.Fences[1].Passed {
		t.Errorf("the day after its expiry the acceptance %s, keys fence passed %v", r.Accepted[0].State, r.Fences[1].Passed)
	}

	var out bytes.Buffer
	if err := RenderCheck(&out, r, "sarif", CIOptions{}); err != nil {
		t.Fatal(err)
	}
	validSARIF(t, out.Bytes())
}
