package study

import (
	"context"
	"errors"
	"math"
	"strings"
	"testing"

	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
	"github.com/geofence/geofence/sim"
	"github.com/geofence/geofence/sim/oracle"
)

// erlangTail ends both Erlang models (overflowAt90, lossAt90): every
// plane fenced to the US, and the run they are planned on.
const erlangTail = `policy:
  - select: {}
    allow: {media: [US], keys: [US], connector: [US]}
run: {horizon: 40000s, warmup: 2000s, replications: 10, seed: 11}
`

// overflowAt90 offers 90 Erlangs to a US site whose overflow goes to an
// unlimited site in China: the media violation rate is B(90, c) for c
// slots at the US site, since a join lands in China exactly when it finds
// them all busy.
const overflowAt90 = `name: overflow
regions: [{id: na}]
datacenters:
  - {id: us, region: na, jurisdiction: US, capacity: {media: 90}, rtt: {na: 0s}}
  - {id: cn, region: na, jurisdiction: CN, capacity: {media: unlimited}, rtt: {na: 0s}}
populations:
  - {id: na-free, region: na, jurisdiction: US, plan: free, joins_per_second: 0.9, holding: {distribution: exponential, mean: 100s}}
routing:
  whitelists: {intl: [cn]}
  routes:
    - {region: na, media: {primaries: [us], secondaries: {whitelist: intl, picks: 1}}, keys: {custody: client}}
` + erlangTail

// The least capacity that keeps the rate of joins sent to China at or
// below 1% is, exactly, the least c with B(90, c) ≤ 0.01. The plan's
// plausible range holds it, and its answer is that range's top: the
// first capacity the replications show to be enough.
func TestPlanIsErlangB(t *testing.T) {
	s := fixture.Load(t, "overflow.yaml", overflowAt90)
	exact := 0
	for oracle.ErlangB(90, exact) > 0.01 {
		exact++
	}
	q := Question{Paths: []string{"datacenters[us].capacity.media"}, By: "set", Goal: "least", Min: 90, Max: 130, Step: 1}
	limits := [sim.NumPlanes]float64{0.01, 0.01, 0.01}
	r, a := planAnswer(t, s, q, PlanOptions{Limits: limits})
	t.Logf("exact %d (B = %.5f; B(%d) = %.5f); answer %v, plausible %v, on %d replications, %d evaluations",
		exact, oracle.ErlangB(90, exact), exact-1, oracle.ErlangB(90, exact-1), a.Value, a.Plausible, a.Replications, len(r.Evaluations))
	if float64(exact) < a.Plausible[0] || float64(exact) > a.Plausible[1] || a.Value != a.Plausible[1] {
		t.Errorf("exact answer %d outside the plausible range %v (answer %v)", exact, a.Plausible, a.Value)
	}
	// Every evaluation ran the same seed: passing grows with capacity.
	passedAt := map[[2]int]bool{}
	for _, e := range r.Evaluations {
		passedAt[[2]int{int(e.Value), e.Replications}] = e.Passed
	}
	for k, passed := range passedAt {
		for k2, passed2 := range passedAt {
			if k[1] == k2[1] && k[0] < k2[0] && passed && !passed2 {
				t.Errorf("capacity %d passes and %d does not, on %d replications", k[0], k2[0], k[1])
			}
		}
	}
}

// lossAt90 offers 90 Erlangs to 100 slots and loses what they refuse: its
// blocking is Erlang B(90·k, 100) at load ×k.
const lossAt90 = `name: loss
regions: [{id: na}]
datacenters:
  - {id: us, region: na, jurisdiction: US, capacity: {media: 100}, rtt: {na: 0s}}
populations:
  - {id: na-free, region: na, jurisdiction: US, plan: free, joins_per_second: 0.9, holding: {distribution: exponential, mean: 100s}}
routing:
  routes:
    - {region: na, media: {primaries: [us]}, keys: {custody: client}}
` + erlangTail

// The largest load the 100 slots carry with at most 1% blocked is,
// exactly, the largest k of the grid with B(90·k, 100) ≤ 0.01: a plan by
// load, held to the blocking limit alone, has it in its plausible range.
func TestPlanByLoadIsErlangB(t *testing.T) {
	s := fixture.Load(t, "loss.yaml", lossAt90)
	q := Question{Paths: []string{format.LoadPath}, By: "load", Goal: "largest", Min: 0.7, Max: 1.1, Step: 0.01}
	exact := 0.0
	for k := q.Min; k <= q.Max+1e-9; k += q.Step {
		if k = math.Round(k*100) / 100; oracle.ErlangB(90*k, 100) <= 0.01 {
			exact = k
		}
	}
	blocking := 0.01
	opt := PlanOptions{Limits: [sim.NumPlanes]float64{1, 1, 1}, MaxBlocking: &blocking, MaxBlockingSource: "test"}
	r, a := planAnswer(t, s, q, opt)
	t.Logf("exact %v (B = %.5f; B at %v = %.5f); answer %v, plausible %v, on %d replications, %d evaluations",
		exact, oracle.ErlangB(90*exact, 100), exact+0.01, oracle.ErlangB(90*(exact+0.01), 100), a.Value, a.Plausible, a.Replications, len(r.Evaluations))
	if exact < a.Plausible[0]-1e-9 || exact > a.Plausible[1]+1e-9 || a.Value != a.Plausible[0] {
		t.Errorf("exact answer %v outside the plausible range %v (answer %v)", exact, a.Plausible, a.Value)
	}
	for _, e := range r.Evaluations {
		if e.Worst.Plane != "blocking" {
			t.Errorf("at %v the worst rate is %s %s: blocking is what the plan holds", e.Value, e.Worst.Population, e.Worst.Plane)
		}
	}
}

// planAnswer plans q on s; an error, or no value that passes, fails the
// test.
func planAnswer(t *testing.T, s *scenarios.Scenario, q Question, opt PlanOptions) (*PlanReport, *PlanAnswer) {
	t.Helper()
	r, err := Plan(context.Background(), s, q, opt)
	if err != nil {
		t.Fatal(err)
	}
	if r.Answer == nil {
		t.Fatalf("no answer; evaluations %+v", r.Evaluations)
	}
	return r, r.Answer
}

// Finding the largest demand the configuration carries: a multiplier of
// the join rate, searched downwards from the top of its range.
func TestPlanLargest(t *testing.T) {
	s := fixture.Load(t, "overflow.yaml", overflowAt90)
	s.Run.Replications = 4
	q := Question{Paths: []string{"populations[na-free].joins_per_second"}, By: "scale", Goal: "largest", Min: 0.5, Max: 1.5, Step: 0.05}
	r, err := Plan(context.Background(), s, q, PlanOptions{Limits: [sim.NumPlanes]float64{0.01, 0.01, 0.01}})
	if err != nil {
		t.Fatal(err)
	}
	// At 90 slots, B(90·x, 90) ≤ 1% needs x ≤ about 0.84.
	if a := r.Answer; a == nil || a.Value < 0.6 || a.Value > 0.9 {
		t.Errorf("answer %+v, want a multiplier near 0.8", a)
	}
}

// A limit of 0 cannot be shown, however many replications run.
func TestPlanNeedsPositiveLimits(t *testing.T) {
	s := fixture.Load(t, "overflow.yaml", overflowAt90)
	q := Question{Paths: []string{"datacenters[us].capacity.media"}, By: "set", Goal: "least", Min: 90, Max: 130, Step: 1}
	if _, err := Plan(context.Background(), s, q, PlanOptions{}); err == nil {
		t.Error("a plan with limits of 0 ran")
	}
}

// A plan's verdicts rest on intervals: --max-replications below what
// every value starts on (1 gave 124 where the answer is 107) is refused
// before anything runs, and a plan that may not grow its replications
// still finds the exact answer in its plausible range.
func TestPlanMaxReplications(t *testing.T) {
	s := fixture.Load(t, "overflow.yaml", overflowAt90)
	const exact = 107 // the least c with B(90, c) ≤ 0.01
	if oracle.ErlangB(90, exact) > 0.01 || oracle.ErlangB(90, exact-1) <= 0.01 {
		t.Fatalf("B(90, %d) = %v, B(90, %d) = %v: 107 is not the exact answer", exact, oracle.ErlangB(90, exact), exact-1, oracle.ErlangB(90, exact-1))
	}
	q := Question{Paths: []string{"datacenters[us].capacity.media"}, By: "set", Goal: "least", Min: 90, Max: 130, Step: 1}
	limits := [sim.NumPlanes]float64{0.01, 0.01, 0.01}
	for _, max := range []int{-1, 1, 2, 9, 10001} {
		ran := false
		opt := PlanOptions{Options: Options{Progress: func(int, int) { ran = true }}, Limits: limits, MaxReplications: max}
		if r, err := Plan(context.Background(), s, q, opt); err == nil || ran {
			t.Errorf("--max-replications %d: answer %+v, error %v, simulated %v; want a refusal before anything runs", max, r.Answer, err, ran)
		}
	}
	r, err := Plan(context.Background(), s, q, PlanOptions{Limits: limits, MaxReplications: s.Run.Replications})
	if err != nil {
		t.Fatal(err)
	}
	if a := r.Answer; a == nil || a.Replications != s.Run.Replications || a.Plausible[0] > exact || a.Plausible[1] < exact {
		t.Errorf("on %d replications at most: answer %+v; want %d in its plausible range", s.Run.Replications, a, exact)
	}
}

// Only a quantity can be searched: a path that names a string, a list or
// a whole capacity, or a grid the value cannot take, is refused with a
// problem at --vary before anything runs.
func TestPlanVariesQuantities(t *testing.T) {
	s := fixture.Load(t, "overflow.yaml", overflowAt90)
	limits := [sim.NumPlanes]float64{0.01, 0.01, 0.01}
	for _, tc := range []struct {
		path, by  string
		min, step float64
		want      string
	}{
		{"populations[na-free].plan", "set", 1, 1, "populations[na-free].plan is a string, not a quantity"},
		{"populations[na-free].id", "scale", 1, 1, "is a string, not a quantity"},
		{"routing.whitelists.intl", "set", 1, 1, "routing.whitelists[intl] is a list, not a quantity"},
		{"datacenters[us]", "scale", 1, 1, "is a mapping, not a quantity"},
		{"datacenters[us].capacity", "set", 1, 1, "is a capacity on every plane"},
		{"populations[na-free].holding.distribution", "set", 1, 1, "not a quantity"},
		{"datacenters[us].capacity.media", "set", 90, 0.5, "must be a whole number"},
		{"datacenters[uk].capacity.media", "set", 90, 1, `datacenters has no item with id "uk"`},
		{"run.horizon=5", "set", 90, 1, "is an override, not a path"},
	} {
		q := Question{Paths: []string{tc.path}, By: tc.by, Goal: "least", Min: tc.min, Max: tc.min + 10*tc.step, Step: tc.step}
		ran := false
		opt := PlanOptions{Options: Options{Progress: func(int, int) { ran = true }}, Limits: limits}
		_, err := Plan(context.Background(), s, q, opt)
		var problems scenarios.Problems
		if !errors.As(err, &problems) || problems[0].File != "--vary" || !strings.Contains(err.Error(), tc.want) || ran {
			t.Errorf("--vary %s --by %s: error %v, simulated %v; want a problem at --vary saying %q", tc.path, tc.by, err, ran, tc.want)
		}
	}
	// Durations and whole capacities scaled by a fraction are quantities.
	for _, q := range []Question{
		{Paths: []string{"run.warmup"}, By: "set", Goal: "least", Min: 100, Max: 300, Step: 100},
		{Paths: []string{"datacenters[us].capacity"}, By: "scale", Goal: "least", Min: 1, Max: 1.5, Step: 0.25},
	} {
		s := *s
		s.Run.Replications = 2
		if _, err := Plan(context.Background(), &s, q, PlanOptions{Limits: limits}); err != nil {
			t.Errorf("--vary %s --by %s: %v", q.Paths[0], q.By, err)
		}
	}
}
