package study

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
	"github.com/geofence/geofence/sim"
)

// The what-if files: eu.yaml, whose backup list names us-east, and
// eu-fixed.yaml, the fix (us-east off the list), whose baseline is eu.yaml.
var (
	euFile      = filepath.Join("testdata", "whatif", "eu.yaml")
	euFixedFile = filepath.Join("testdata", "whatif", "eu-fixed.yaml")
)

// frankfurtDown is an outage of eu-fra from 12:00 to 14:00 UTC: a
// condition of the world, not part of the fix.
var frankfurtDown = []string{
	"datacenters[eu-fra].timeline+={at: 12h, state: down}",
	"datacenters[eu-fra].timeline+={at: 14h, state: up}",
}

// duringOutage loads eu.yaml, as OLD, and the fix, eu-fixed.yaml, as NEW,
// both under frankfurtDown.
func duringOutage(t *testing.T) (old, fixed *scenarios.Scenario) {
	t.Helper()
	when := Changes{When: frankfurtDown}
	fixed, err := Load(context.Background(), euFixedFile, when)
	if err != nil {
		t.Fatal(err)
	}
	old, err = LoadOld(context.Background(), euFile, when)
	if err != nil {
		t.Fatal(err)
	}
	return old, fixed
}

// A condition reaches the baseline: the check of a fix under an outage
// compares it with its baseline under the same outage, and its paired
// cost and benefit are the diff's of the two under that outage, number
// for number (the same seed, the same replications). Both sides record
// the condition, in syntax and in words.
func TestConditionReachesBaseline(t *testing.T) {
	ctx := context.Background()
	old, fixed := duringOutage(t)
	c, err := Check(ctx, fixed, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Diff(ctx, old, fixed, DiffOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if c.Baseline == nil || d.Simulation == nil {
		t.Fatal("no comparison")
	}
	checked, _ := json.Marshal(c.Baseline.Comparison)
	diffed, _ := json.Marshal(d.Simulation.Comparison)
	if string(checked) != string(diffed) {
		t.Errorf("the check's comparison with its baseline differs from the diff's:\ncheck %s\ndiff  %s", checked, diffed)
	}
	// The outage matters: the fix removes the violations it causes and
	// blocks instead, significantly.
	total := c.Baseline.Populations[len(c.Baseline.Populations)-1]
	if !total.Blocking.Significant || !total.ViolationRate.Media.Significant || total.ViolationRate.Media.Change.Mean >= 0 {
		t.Errorf("under the outage the fix should remove violations and add blocking: %+v", total)
	}
	for _, ref := range []struct {
		side      string
		overrides []string
		words     []string
	}{
		{"scenario", c.Scenario.Overrides, wordsOf(c.Scenario.InWords)},
		{"baseline", c.Baseline.Scenario.Overrides, wordsOf(c.Baseline.Scenario.InWords)},
		{"old", d.Old.Overrides, wordsOf(d.Old.InWords)},
		{"new", d.New.Overrides, wordsOf(d.New.InWords)},
	} {
		want := []string{"--when " + frankfurtDown[0], "--when " + frankfurtDown[1]}
		if strings.Join(ref.overrides, "\n") != strings.Join(want, "\n") {
			t.Errorf("%s ran under %q, want %q", ref.side, ref.overrides, want)
		}
		if len(ref.words) != 2 || ref.words[0] != "eu-fra down 12:00–14:00 UTC (condition)" {
			t.Errorf("%s says %q in words", ref.side, ref.words)
		}
	}
}

// wordsOf writes each override in words with its kind.
func wordsOf(ws []results.OverrideWords) []string {
	var out []string
	for _, w := range ws {
		kind := "change"
		if w.Condition {
			kind = "condition"
		}
		out = append(out, w.Words+" ("+kind+")")
	}
	return out
}

// A --set on what describes the world, with a baseline, would compare the
// fix under an outage with the baseline without it: it is refused, at the
// override, naming --when. A change to the configuration is not.
func TestWorldChangeRefusedWithBaseline(t *testing.T) {
	ctx := context.Background()
	for _, c := range []struct {
		set     string
		refused bool
	}{
		{frankfurtDown[0], true},
		{"populations[eu-de-free].joins_per_second*=1.2", true},
		{"load[jurisdiction:EU]=1.2", true},
		{"datacenters[eu-dub].capacity.media=80", true},
		{"run.horizon=22h", true},
		{"run.replications=3", false},
		{"routing.routes[eu].media.secondaries.picks=1", false},
	} {
		fixed, err := Load(ctx, euFixedFile, Changes{Set: []string{c.set}})
		if err != nil {
			t.Fatal(err)
		}
		_, err = Check(ctx, fixed, CheckOptions{StaticOnly: false, Options: Options{Workers: 1}})
		var ps scenarios.Problems
		switch {
		case !c.refused && err != nil:
			t.Errorf("--set %s: %v", c.set, err)
		case c.refused && !errors.As(err, &ps):
			t.Errorf("--set %s with a baseline: %v, want it refused", c.set, err)
		case c.refused && (ps[0].File != "--set" || !strings.Contains(ps[0].Msg, "--when")):
			t.Errorf("--set %s: %v, want it located at --set and naming --when", c.set, ps)
		}
	}
}

// A condition that fits one side of a comparison and not the other is
// located at its flag, naming the side.
func TestConditionNamesItsSide(t *testing.T) {
	ctx := context.Background()
	fixed, err := Load(ctx, euFixedFile, Changes{When: []string{"routing.whitelists[backup]+=us-east"}})
	if err != nil {
		t.Fatal(err)
	}
	_, err = Check(ctx, fixed, CheckOptions{})
	var ps scenarios.Problems
	if !errors.As(err, &ps) || ps[0].File != "--when" || !strings.HasPrefix(ps[0].Msg, "in the baseline "+euFile+": ") {
		t.Errorf("a condition that fails on the baseline: %v", err)
	}
	_, err = LoadNew(ctx, euFixedFile, Changes{When: []string{"routing.whitelists[backup]-=us-east"}})
	if !errors.As(err, &ps) || ps[0].File != "--when" || !strings.HasPrefix(ps[0].Msg, "in NEW "+euFixedFile+": ") {
		t.Errorf("a condition that fails on NEW: %v", err)
	}
}

// One load axis moves every EU population's join rate at once, capacities
// unchanged: at factor k the EU populations together (their group) are
// offered k·λ·T joins a replication in the measured window T, in
// expectation — inside the exact 95% Poisson interval of all the joins
// they were offered — and the US population, on its own streams, the very
// same joins at every point. The study's condition is said at every point.
func TestSweepLoadAxis(t *testing.T) {
	sw := sweepWhatIf(t, "eu-load.study.yaml")
	base, err := format.LoadFile(euFile)
	if err != nil {
		t.Fatal(err)
	}
	window := (base.Run.Horizon - base.Run.Warmup).Seconds()
	usOffered := sw.Points[0].Populations[2].Offered.PerReplication
	var euRate float64 // joins a second of the EU populations together
	for _, p := range base.Populations {
		if p.Jurisdiction != "US" {
			euRate += p.JoinsPerSecond
		}
	}
	for i, pt := range sw.Points {
		k, _ := strconv.ParseFloat(pt.Values[0], 64)
		for _, p := range pt.Populations {
			if p.Jurisdiction == "US" && !slices.Equal(p.Offered.PerReplication, usOffered) {
				t.Errorf("point %d: %s offered %v, at point 0 %v: its load is not EU's", i, p.ID, p.Offered.PerReplication, usOffered)
			}
		}
		// The EU populations' joins over every replication are Poisson:
		// the exact (Garwood) 95% interval of their count holds k·λ·T·n.
		eu := pt.Groups[0] // eu-calls: every EU population, its joins pooled
		var joins float64
		for _, x := range eu.Offered.PerReplication {
			joins += x
		}
		low := distuv.ChiSquared{K: 2 * joins}.Quantile(0.025) / 2
		high := distuv.ChiSquared{K: 2*joins + 2}.Quantile(0.975) / 2
		if want := k * euRate * window * float64(len(eu.Offered.PerReplication)); want < low || want > high {
			t.Errorf("point %d (load ×%v): the EU populations offered %v joins in all, [%v, %v]; want %v inside", i, k, joins, low, high, want)
		}
	}
	if len(sw.AtEveryPoint) != 1 || !sw.AtEveryPoint[0].Condition || sw.AtEveryPoint[0].Words != "eu-fra down from 12:00 UTC" {
		t.Errorf("at every point: %+v", sw.AtEveryPoint)
	}
	// More load, more overflow to us-east behind the outage.
	if v0, v2 := sw.Points[0].Total.ViolationRate.Media.Mean, sw.Points[2].Total.ViolationRate.Media.Mean; !(v2 > v0) {
		t.Errorf("media violation rate %v at ×1.0 and %v at ×1.4", v0, v2)
	}
}

// Zipped axes move together: 2 points, not 4, each the k-th value of both.
func TestSweepZip(t *testing.T) {
	sw := sweepWhatIf(t, "eu-zip.study.yaml")
	if len(sw.Points) != 2 || len(sw.Axes) != 2 || sw.Axes[0].Zip != 1 || sw.Axes[1].Zip != 1 {
		t.Fatalf("%d points on axes %+v, want 2 points on two axes of one zip", len(sw.Points), sw.Axes)
	}
	for i, want := range [][]string{{"1.0", "60"}, {"1.5", "90"}} {
		if !slices.Equal(sw.Points[i].Values, want) {
			t.Errorf("point %d has values %v, want %v", i, sw.Points[i].Values, want)
		}
	}
}

// A fix that removes violations but blocks past its limit fails its check,
// saying why at the limit's line; diff calls the blocking rise worse.
func TestBlockingInTheVerdict(t *testing.T) {
	ctx := context.Background()
	old, fixed := duringOutage(t)
	limit := float64(*fixed.Run.MaxBlocking)
	c, err := Check(ctx, fixed, CheckOptions{CheckSettings: CheckSettings{MaxBlocking: &limit, MaxBlockingSource: check.MaxBlockingInScenario}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Passed || slices.ContainsFunc(c.Fences, func(f check.Fence) bool { return !f.Passed }) {
		t.Fatalf("the fix passes (%v) or breaks fences: %v", c.Passed, c.Failures)
	}
	blocked, _ := c.FailedLimits()
	if blocked != 2 {
		t.Errorf("%d populations blocked past the limit, want the two EU ones: %+v", blocked, c.Blocking)
	}
	lines := c.FailureLines()
	if len(lines) == 0 || !strings.HasPrefix(lines[0], euFixedFile+":") || !strings.Contains(lines[0], "eu-de-free blocking: blocking ") || !strings.Contains(lines[0], "exceeds 0.005 (scenario run.max_blocking)") {
		t.Errorf("failure lines %q", lines)
	}
	if pos := fixed.Source.Pos("run.max_blocking"); !strings.HasPrefix(lines[0], fmt.Sprintf("%s:%d:%d: ", euFixedFile, pos.Line, pos.Column)) {
		t.Errorf("%q is not located at run.max_blocking (%d:%d)", lines[0], pos.Line, pos.Column)
	}

	d, err := Diff(ctx, old, fixed, DiffOptions{Settings: diff.Settings{MaxBlocking: &limit, MaxBlockingSource: check.MaxBlockingInScenario}})
	if err != nil {
		t.Fatal(err)
	}
	worse := strings.Join(d.Worse, "\n")
	if !d.Failed || !strings.Contains(worse, "eu-de-free blocking: blocking rose from < ") || !strings.Contains(worse, "above its limit 0.005 (scenario run.max_blocking)") {
		t.Errorf("the diff does not call the blocking rise worse: failed %v, worse %q", d.Failed, d.Worse)
	}
	// Without the outage the fix blocks little: it passes, and diff finds
	// nothing worse in blocking.
	calm, _ := Load(ctx, euFixedFile, Changes{})
	if c, err := Check(ctx, calm, CheckOptions{CheckSettings: CheckSettings{MaxBlocking: &limit, MaxBlockingSource: check.MaxBlockingInScenario}}); err != nil || !c.Passed {
		t.Errorf("without the outage the fix fails: %v %v", err, c.Failures)
	}
}

// A group limit — at most 0.1% of all EU calls outside the EU — is checked
// on the group's joins pooled, and planned: the least capacity at Dublin
// that keeps it under the outage.
func TestGroupLimitCheckedAndPlanned(t *testing.T) {
	ctx := context.Background()
	s, err := Load(ctx, euFile, Changes{When: frankfurtDown})
	if err != nil {
		t.Fatal(err)
	}
	c, err := Check(ctx, s, CheckOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Groups) != 1 {
		t.Fatalf("groups %+v", c.Groups)
	}
	g := c.Groups[0]
	pooled := results.PooledOf(c.Simulation.Populations, []string{"eu-de-free", "eu-fr-paid"})
	if g.Passed || g.Rates[0].Figure != "media" || g.Rates[0].Rate.Mean != pooled.ViolationRate.Media.Mean || *g.Rates[0].Limit != 0.001 ||
		!slices.Equal(g.Populations, []string{"eu-de-free", "eu-fr-paid"}) || g.Chosen != "select {jurisdiction: EU}" {
		t.Errorf("group %+v, pooled media rate %v", g, pooled.ViolationRate.Media.Mean)
	}
	if !slices.ContainsFunc(c.Failures, func(f string) bool { return strings.HasPrefix(f, "group eu-calls: media violation rate of its joins ") }) {
		t.Errorf("failures %q", c.Failures)
	}

	q := Question{Paths: []string{"datacenters[eu-dub].capacity.media"}, Populations: []string{"eu-calls"}, By: "set", Goal: "least", Min: 60, Max: 140, Step: 5}
	s.Run.Replications = 4
	r, err := Plan(ctx, s, q, PlanOptions{Limits: [sim.NumPlanes]float64{1, 1, 1}, MaxReplications: 8})
	if err != nil {
		t.Fatal(err)
	}
	if r.Answer == nil || r.Answer.Value <= 60 {
		t.Fatalf("answer %+v: Dublin's 60 slots do not carry the outage", r.Answer)
	}
	for _, e := range r.Evaluations {
		if !e.Worst.Group || e.Worst.Population != "eu-calls" {
			t.Errorf("at %v the plan held %+v, not the group", e.Value, e.Worst)
		}
	}
}

// sweepWhatIf runs the study file of testdata/whatif called name.
func sweepWhatIf(t *testing.T, name string) *SweepReport {
	t.Helper()
	st, err := format.LoadStudyFile(filepath.Join("testdata", "whatif", name))
	if err != nil {
		t.Fatal(err)
	}
	sw, err := Sweep(context.Background(), st, Changes{}, SweepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	return sw
}
