package study

import (
	"context"
	"math"
	"testing"

	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/scenarios/format"
	"github.com/geofence/geofence/sim"
)

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
policy:
  - select: {}
    allow: {media: [US], keys: [US], connector: [US]}
run: {horizon: 40000s, warmup: 2000s, replications: 10, seed: 11}
`

// The largest load the 100 slots carry with at most 1% blocked is,
// exactly, the largest k of the grid with B(90·k, 100) ≤ 0.01: a plan by
// load, held to the blocking limit alone, has it in its plausible range.
func TestPlanByLoadIsErlangB(t *testing.T) {
	s := fixture.Load(t, "loss.yaml", lossAt90)
	q := Question{Paths: []string{format.LoadPath}, By: "load", Goal: "largest", Min: 0.7, Max: 1.1, Step: 0.01}
	exact := 0.0
	for k := q.Min; k <= q.Max+1e-9; k += q.Step {
		if k = math.Round(k*100) / 100; fixture.ErlangB(90*k, 100) <= 0.01 {
			exact = k
		}
	}
	blocking := 0.01
	opt := PlanOptions{Limits: [sim.NumPlanes]float64{1, 1, 1}, MaxBlocking: &blocking, MaxBlockingSource: "test"}
	r, err := Plan(context.Background(), s, q, opt)
	if err != nil {
		t.Fatal(err)
	}
	a := r.Answer
	if a == nil {
		t.Fatalf("no answer; evaluations %+v", r.Evaluations)
	}
	t.Logf("exact %v (B = %.5f; B at %v = %.5f); answer %v, plausible %v, on %d replications, %d evaluations",
		exact, fixture.ErlangB(90*exact, 100), exact+0.01, fixture.ErlangB(90*(exact+0.01), 100), a.Value, a.Plausible, a.Replications, len(r.Evaluations))
	if exact < a.Plausible[0]-1e-9 || exact > a.Plausible[1]+1e-9 || a.Value != a.Plausible[0] {
		t.Errorf("exact answer %v outside the plausible range %v (answer %v)", exact, a.Plausible, a.Value)
	}
	for _, e := range r.Evaluations {
		if e.Worst.Plane != "blocking" {
			t.Errorf("at %v the worst rate is %s %s: blocking is what the plan holds", e.Value, e.Worst.Population, e.Worst.Plane)
		}
	}
}
