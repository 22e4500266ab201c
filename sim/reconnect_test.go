package sim

import (
	"fmt"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat/distuv"
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
			src := fmt.Sprintf(`name: storm
regions: [{id: r}]
datacenters:
  - {id: a, region: r, jurisdiction: US, capacity: {media: unlimited}, rtt: {r: 0s}, timeline: [{at: %gs, state: down}]}
  - {id: b, region: r, jurisdiction: US, capacity: {media: %d}, rtt: {r: 0s}}
populations:
  - {id: p, region: r, jurisdiction: US, plan: free, joins_per_second: %g, holding: {distribution: exponential, mean: %gs}, surges: [{start: %gs, end: 2d, factor: 1e-6}]%s}
routing:
  whitelists: {backup: [b]}
  routes:
    - region: r
      media: {primaries: [a], connect_timeout: 2s, secondaries: {whitelist: backup, picks: 1}}
      keys: {custody: client}
policy: [{select: {}, allow: {media: [US], keys: [US], connector: [US]}}]
run: {horizon: %gs, replications: %d, seed: 7}
`, T, C, lambda, h, T, tc.reconnect, T+tc.d+10, replications)
			s := mustLoad(t, "storm.yaml", src)
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
