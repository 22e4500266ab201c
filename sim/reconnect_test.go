package sim

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"

	"github.com/geofence/geofence/scenarios"
)

// A reconnection storm against its hand computation. One population
// offers λ = 1 join/s with exponential holding times of mean h = 100 s to
// datacenter a, unlimited, empty at time 0: the calls in progress at time
// T are the M/M/∞ transient, N ~ Poisson(m) with
//
//	m = λh·(1 − e^(−T/h)).
//
// At T = 1000 s a goes down and drops them all. Each client rejoins with
// probability p after a deterministic delay d, for the rest of its call,
// which is again exponential of mean h (memoryless): it rejoins if the
// rest outlasts d, so the rejoins are Poisson with mean
//
//	r = p·m·e^(−d/h)
//
// (thinning twice). They all reach a at T + d, find it down, and a
// connect timeout later reach the backup b together; fresh joins all but
// stop at T (a surge of factor 10⁻⁶), so b, empty until then, admits
// min(R, C) of them and blocks
//
//	E[(R − C)⁺] = Σ_{n > C} (n − C)·P(R = n).
func TestReconnectionStorm(t *testing.T) {
	const (
		lambda, h, T, C = 1.0, 100.0, 1000.0, 30
		replications    = 400
	)
	m := lambda * h * (1 - math.Exp(-T/h))
	for _, tc := range []struct {
		name      string
		reconnect string
		p, d      float64
	}{
		{"at once", "", 1, 0},
		{"half after 30s", ", reconnect: {probability: 0.5, delay: {distribution: deterministic, mean: 30s}}", 0.5, 30},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := stormScenario(t, T, fmt.Sprint(C),
				fmt.Sprintf("joins_per_second: %g, holding: {distribution: exponential, mean: %gs}, surges: [{start: %gs, end: 2d, factor: 1e-6}]%s", lambda, h, T, tc.reconnect),
				fmt.Sprintf("horizon: %gs, replications: %d, seed: 7", T+tc.d+10, replications))
			_, reps := run(t, s)
			r := tc.p * m * math.Exp(-tc.d/h)
			var overflow float64
			storm := distuv.Poisson{Lambda: r}
			for n := C + 1; n < int(r+40*math.Sqrt(r)); n++ {
				overflow += float64(n-C) * storm.Prob(float64(n))
			}
			dropped, rejoins, blocked := make([]float64, len(reps)), make([]float64, len(reps)), make([]float64, len(reps))
			for i, rep := range reps {
				dropped[i] = float64(rep.Datacenters[0].Planes[Media].Dropped)
				rejoins[i] = float64(rep.Populations[0].Rejoins)
				blocked[i] = float64(rep.Populations[0].RejoinsBlocked)
			}
			requireInsideLevel(t, "calls dropped", m, dropped, 1-0.05/3)
			requireInsideLevel(t, "rejoins", r, rejoins, 1-0.05/3)
			requireInsideLevel(t, "rejoins blocked", overflow, blocked, 1-0.05/3)
		})
	}
}

// An outage that drops 10⁵ calls at once sets up 10⁵ rejoins together,
// each waiting out a 2 s connect timeout, which grows the walk pool past
// minCompactedWalks. Fresh joins go on arriving and wait out the same
// timeout, so that some 2000 are being set up at any time. Once the storm
// has passed, the pool is compacted back to those, and the replication is
// the same, figure for figure, as one stepped through without compaction.
func TestWalksCompactAfterStorm(t *testing.T) {
	m := mustCompile(t, stormScenario(t, 300, "unlimited",
		"joins_per_second: 1000, holding: {distribution: exponential, mean: 100s}",
		"horizon: 500s, warmup: 0s, replications: 2, seed: 7"))
	compacted := newEngine(context.Background(), m, 1, 0)
	if err := compacted.run(); err != nil {
		t.Fatal(err)
	}
	if n := compacted.out.Populations[0].Rejoins; n <= minCompactedWalks {
		t.Fatalf("%d rejoins: too few to grow the pool past %d walks", n, minCompactedWalks)
	}
	if n := cap(compacted.walks); n >= minCompactedWalks {
		t.Errorf("after the storm the walk pool has room for %d walks, want it compacted below %d", n, minCompactedWalks)
	}

	stepped := newEngine(context.Background(), m, 1, 0)
	for stepped.q.Len() > 0 && (stepped.q.Peek().T < m.Horizon || stepped.inSetup > 0) {
		stepped.step()
	}
	stepped.finish()
	if !reflect.DeepEqual(compacted.out, stepped.out) {
		t.Error("the replication with its walk pool compacted differs from the one without")
	}
}

// stormScenario is the frame of the storm tests: one region r, whose
// population p joins datacenter a, which goes down at outage seconds, and
// falls back a 2 s connect timeout later to b, whose media capacity is
// backup. population is p's demand and reconnection, run the run's fields.
func stormScenario(t *testing.T, outage float64, backup, population, run string) *scenarios.Scenario {
	return mustLoad(t, "storm.yaml", fmt.Sprintf(`name: storm
regions: [{id: r}]
datacenters:
  - {id: a, region: r, jurisdiction: US, capacity: {media: unlimited}, rtt: {r: 0s}, timeline: [{at: %gs, state: down}]}
  - {id: b, region: r, jurisdiction: US, capacity: {media: %s}, rtt: {r: 0s}}
populations:
  - {id: p, region: r, jurisdiction: US, plan: free, %s}
routing:
  whitelists: {backup: [b]}
  routes:
    - region: r
      media: {primaries: [a], connect_timeout: 2s, secondaries: {whitelist: backup, picks: 1}}
      keys: {custody: client}
policy: [{select: {}, allow: {media: [US], keys: [US], connector: [US]}}]
run: {%s}
`, outage, backup, population, run))
}
