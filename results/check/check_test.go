package check_test

import (
	"bytes"
	"cmp"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/results/render/sarif"
	"github.com/geofence/geofence/scenarios/lint"
	"github.com/geofence/geofence/sim"
)

// A hand-made fence decides on the mean of its violation rate, not on its
// interval; a static finding fails the fence whatever the rate; lints never
// fail the check.
func TestCheckDecision(t *testing.T) {
	s := fixture.Load(t, "test.yaml", fixture.OverflowYAML)
	report := func(media, keys results.Estimate) *results.Report {
		var f results.Figures
		f.ViolationRate.Media, f.ViolationRate.Keys, f.ViolationRate.Connector = media, keys, results.EstimateOf([]float64{0, 0})
		return &results.Report{Replications: 2, Populations: []results.PopulationReport{{ID: "na-free", Figures: f}}}
	}
	under := results.Estimate{Mean: 0.004, Low: -0.004, High: 0.012, HalfWidth: 0.008, N: 2} // interval crosses the limit, mean below
	over := results.Estimate{Mean: 0.006, Low: 0.001, High: 0.011, HalfWidth: 0.005, N: 2}
	undefined := results.EstimateOf(nil) // no joins offered: NaN, never over a limit
	warning := []lint.Lint{{Rule: "fail-open", Severity: lint.Warning, Message: "m"}}
	limits := [sim.NumPlanes]float64{0.005, 0.005, 0.005}
	sources := [sim.NumPlanes]string{"default", "default", "default"}

	// Without the static finding the media fence is decided by its rate.
	r := check.Check(check.Input{Scenario: s, Report: report(under, over), Lints: warning, Limits: limits, LimitSource: sources})
	if !r.Fences[0].Passed || r.Fences[1].Passed || !r.Fences[2].Passed || r.Passed {
		t.Errorf("media under, keys over: passed %v %v %v, check %v", r.Fences[0].Passed, r.Fences[1].Passed, r.Fences[2].Passed, r.Passed)
	}
	if want := []string{"na-free keys: violation rate 0.006 [0.001, 0.011] exceeds 0.005 (default)"}; !slices.Equal(r.Failures, want) {
		t.Errorf("failures %q, want %q", r.Failures, want)
	}
	r = check.Check(check.Input{Scenario: s, Report: report(under, undefined), Lints: warning, Limits: limits, LimitSource: sources})
	if !r.Passed || len(r.Lints) != 1 {
		t.Errorf("every rate under its limit, one lint: passed %v, failures %q, lints %v", r.Passed, r.Failures, r.Lints)
	}

	// With it, the media fence fails at any rate.
	r = check.Check(check.Input{Scenario: s, Static: fixture.Analyze(t, s), Report: report(under, under), Limits: limits, LimitSource: sources})
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
		r = check.Check(check.Input{Scenario: s, Static: fixture.Analyze(t, s), Report: report(under, under), Limits: limits, LimitSource: sources, MinTolerance: &tc.min})
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
	s := fixture.Load(t, "test.yaml", fixture.OverflowYAML)
	offered := []float64{10000, 12000, 11000} // 33000 joins: the bound is 9.08e-05
	zero := results.RateOf([]float64{0, 0, 0}, offered)
	seen := results.RateOf([]float64{40, 80, 60}, offered) // mean 0.0054, upper 0.0078
	report := func(media results.Estimate) *results.Report {
		var f results.Figures
		f.ViolationRate.Media, f.ViolationRate.Keys, f.ViolationRate.Connector = media, zero, zero
		return &results.Report{Replications: 3, Populations: []results.PopulationReport{{ID: "na-free", Figures: f}}}
	}
	judge := func(media results.Estimate, limit float64, decide string) *check.Report {
		limits := [sim.NumPlanes]float64{limit, 1, 1}
		return check.Check(check.Input{Scenario: s, Report: report(media), Limits: limits, Decide: decide})
	}
	for _, c := range []struct {
		media  results.Estimate
		limit  float64
		decide string
		passed bool
	}{
		{zero, 5e-5, check.DecideMean, true},   // the mean, 0, is under any limit
		{zero, 5e-5, check.DecideUpper, false}, // 33000 joins cannot show a rate under 5e-5
		{zero, 1e-4, check.DecideUpper, true},  // but can show it under 1e-4
		{seen, 0.006, check.DecideMean, true},
		{seen, 0.006, check.DecideUpper, false},
		{seen, 0.01, check.DecideUpper, true},
	} {
		r := judge(c.media, c.limit, c.decide)
		if r.Fences[0].Passed != c.passed || r.DecidedBy != cmp.Or(c.decide, check.DecideMean) {
			t.Errorf("rate %v (upper %v) against %v by %s: passed %v, want %v; failures %q",
				c.media.Mean, c.media.Upper, c.limit, c.decide, r.Fences[0].Passed, c.passed, r.Failures)
		}
	}
	r := judge(zero, 5e-5, check.DecideUpper)
	if want := "na-free media: no violation simulated, but too few joins to rule out a rate above the limit: the 95% upper bound 9.08e-05 exceeds 5e-05 ()"; !slices.Equal(r.Failures, []string{want}) {
		t.Errorf("failures %q, want %q", r.Failures, want)
	}
}

// The linter's own lints pass through the check unchanged, in its order,
// each named by its subject.
func TestCheckKeepsLints(t *testing.T) {
	r := fixture.OverflowCheck(t, true)
	s := fixture.Load(t, "test.yaml", fixture.OverflowYAML)
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
	s := fixture.Load(t, "test.yaml", fixture.OverflowYAML)
	for _, c := range []struct {
		failOn  string
		failing []string // rules of the lints that fail
	}{
		{"", nil},
		{check.SeverityError, nil},
		{lint.Warning, []string{"fail-open"}},
		{lint.Note, []string{"fail-open", "thin-fence"}},
	} {
		r := check.Check(check.Input{Scenario: s, Lints: lint.Check(s), FailOn: c.failOn})
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
		if got := check.WitnessClause(c.witness); got != c.want {
			t.Errorf("witnessClause(%v) = %q, want %q", c.witness, got, c.want)
		}
	}
}

// Accepted risks, judged on a day: one that holds accepts the findings it
// matches, statically and by simulation; one that has expired accepts
// nothing and fails; one that matches nothing fails. The same acceptance
// that holds on its expiry day has expired the day after.
func TestCheckAccepted(t *testing.T) {
	in := fixture.CheckInput(t, "check_spill_accepted.yaml", false)
	r := check.Check(in)
	states := map[string]string{}
	for _, a := range r.Accepted {
		states[a.What()] = a.State
	}
	want := map[string]string{"na-free keys bj1": check.AcceptanceHolds, "na-free connector CN": check.AcceptanceExpired, "na-gov media bj1": check.AcceptanceUnmatched}
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
	if r := check.Check(in); r.Accepted[0].State != check.AcceptanceHolds {
		t.Errorf("on its expiry day the acceptance %s", r.Accepted[0].State)
	}
	in.Date = in.Date.AddDate(0, 0, 1)
	if r := check.Check(in); r.Accepted[0].State != check.AcceptanceExpired || r.Fences[1].Passed {
		t.Errorf("the day after its expiry the acceptance %s, keys fence passed %v", r.Accepted[0].State, r.Fences[1].Passed)
	}

	var out bytes.Buffer
	if err := sarif.Check(&out, r, nil); err != nil {
		t.Fatal(err)
	}
	fixture.ValidSARIF(t, out.Bytes())
}
