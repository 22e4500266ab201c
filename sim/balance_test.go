package sim

import (
	"testing"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/balance"
)

// balanceScenario is a scenario of US callers in region na whose media
// route balances over the datacenters (YAML list items): the route's
// fields, the population's rate and holding time and the run settings are
// given. Media, and nothing else, may go only to the US.
func balanceScenario(t *testing.T, name, datacenters, balance, population, run string) *scenarios.Scenario {
	t.Helper()
	return mustLoad(t, name+".yaml", `name: `+name+`
regions: [{id: na}]
datacenters:
`+datacenters+`populations:
  - {id: us, region: na, jurisdiction: US, plan: free, `+population+`}
routing:
  routes:
    - region: na
      media:
        balance:
`+balance+`      keys: {custody: client}
policy:
  - select: {}
    allow: {media: [US], keys: [US], connector: [US]}
run: `+run+`
`)
}

// partialOutage is a balance route whose P0 has two localities, one of
// them down from the start: its one host is ejected at its first failure
// and stays out past the horizon (base ejection 1h), so that in the
// measured window P0 has 2 of its 3 hosts healthy: health 140 × 2/3 = 93,
// P0 takes 93% of the requests and P1, Beijing alone, 7%. Capacity is
// unlimited, so every attempt at a healthy host is admitted.
func partialOutage(t *testing.T) *scenarios.Scenario {
	t.Helper()
	return balanceScenario(t, "partial", `  - {id: a, region: na, jurisdiction: US, capacity: {media: unlimited}, rtt: {na: 10ms}}
  - {id: b, region: na, jurisdiction: US, capacity: {media: unlimited}, rtt: {na: 12ms}, timeline: [{at: 0s, state: down}]}
  - {id: cn, region: na, jurisdiction: CN, capacity: {media: unlimited}, rtt: {na: 180ms}}
`, `          priorities:
            - [{datacenter: a, hosts: 2, weight: 2}, {datacenter: b}]
            - [{datacenter: cn}]
          panic_threshold: 0
          locality_weighted: true
          retries: 2
          connect_timeout: 1s
          outlier_detection: {consecutive_errors: 1, interval: 1s, base_ejection_time: 1h, max_ejection_percent: 100}
`, "joins_per_second: 20, holding: {distribution: exponential, mean: 30s}",
		"{horizon: 50m, warmup: 5m, replications: 20, seed: 5}")
}

// landedShare is, per replication, the share of the measured joins of
// population 0 admitted at datacenter dc on the media plane.
func landedShare(reps []*Replication, dc int) []float64 {
	out := make([]float64, len(reps))
	for k, r := range reps {
		p := &r.Populations[0]
		out[k] = float64(p.Landed[dc][Media]) / float64(p.Offered)
	}
	return out
}

// Under a partial outage the simulated split is Envoy's: the share the
// arithmetic gives Beijing, 7%, lies inside the simulated 95% interval.
func TestBalanceSplitUnderPartialOutage(t *testing.T) {
	s := partialOutage(t)
	r := balance.Compile(s.Routing.Routes[0].Media.Balance, func(id scenarios.ID) int {
		for i, d := range s.Datacenters {
			if d.ID == id {
				return i
			}
		}
		return -1
	})
	split := r.Split(r.HealthyWithout(func(dc int) bool { return dc == 1 }))
	cn, a := split.Shares[1][0], split.Shares[0][0]
	if cn != 0.07 || a != 0.93 {
		t.Fatalf("the arithmetic gives cn %v and a %v, want 0.07 and 0.93", cn, a)
	}
	_, reps := run(t, s)
	// Every join lands at a or in Beijing, so one share tells both.
	requireInside(t, "share landed in Beijing", cn, landedShare(reps, 2))
}

// With every US datacenter down, outlier detection ejects them all and
// Beijing, the last priority, takes every join: the violation rate is 1
// after the first failures, and nothing is blocked. With Envoy's default
// max_ejection_percent (10%) of 3 hosts nothing may be ejected, so the
// joins keep trying the dead hosts and are blocked, and Beijing gets only
// what its own share was from the start — 0, with all of P0 there.
func TestBalanceFailsOverOnlyWithinTheEjectionBudget(t *testing.T) {
	down := func(budget string) *scenarios.Scenario {
		return balanceScenario(t, "down", `  - {id: a, region: na, jurisdiction: US, capacity: {media: unlimited}, rtt: {na: 10ms}, timeline: [{at: 0s, state: down}]}
  - {id: cn, region: na, jurisdiction: CN, capacity: {media: unlimited}, rtt: {na: 180ms}}
`, `          priorities: [[{datacenter: a, hosts: 2}], [{datacenter: cn}]]
          panic_threshold: 0
          connect_timeout: 0s
          outlier_detection: {consecutive_errors: 1, base_ejection_time: 1h`+budget+`}
`, "joins_per_second: 5, holding: {distribution: exponential, mean: 30s}",
			"{horizon: 30m, warmup: 1m, replications: 4, seed: 2}")
	}
	_, reps := run(t, down(", max_ejection_percent: 100"))
	for _, r := range reps {
		p := &r.Populations[0]
		if p.Blocked != 0 || p.Violations[Media] != p.Offered {
			t.Errorf("all hosts ejectable: %d offered, %d blocked, %d violations; want every join in Beijing", p.Offered, p.Blocked, p.Violations[Media])
		}
	}
	_, reps = run(t, down(""))
	for _, r := range reps {
		p := &r.Populations[0]
		if p.Blocked != p.Offered || p.Violations[Media] != 0 {
			t.Errorf("no host ejectable: %d offered, %d blocked, %d violations; want every join blocked at the dead hosts", p.Offered, p.Blocked, p.Violations[Media])
		}
	}
}

// A host returns after base_ejection_time × its backoff, at the first
// sweep after that: a datacenter down for ten minutes, then up, takes its
// share again once its hosts are back, and while it is out the joins go
// to the next priority.
func TestBalanceHostsReturn(t *testing.T) {
	s := balanceScenario(t, "back", `  - {id: a, region: na, jurisdiction: US, capacity: {media: unlimited}, rtt: {na: 10ms}, timeline: [{at: 10m, state: down}, {at: 20m, state: up}]}
  - {id: b, region: na, jurisdiction: US, capacity: {media: unlimited}, rtt: {na: 30ms}}
`, `          priorities: [[{datacenter: a}], [{datacenter: b}]]
          panic_threshold: 0
          retries: 3
          outlier_detection: {consecutive_errors: 2, interval: 5s, base_ejection_time: 30s, max_ejection_percent: 100}
`, "joins_per_second: 5, holding: {distribution: exponential, mean: 10s}",
		"{horizon: 40m, replications: 2, seed: 3, bucket: 10m}")
	_, reps := run(t, s)
	for _, r := range reps {
		p := &r.Populations[0]
		if p.Blocked != 0 {
			t.Errorf("%d joins blocked: the next priority takes them while a is out", p.Blocked)
		}
		// a's busy area by bucket: it carries calls before the outage and
		// after it, none in between.
		busy := r.Datacenters[0].Planes[Media].BucketBusy
		if !(busy[0] > 0 && busy[1] == 0 && busy[3] > 0) {
			t.Errorf("a's busy area by 10-minute bucket %v: want calls before, none during, calls after the outage", busy)
		}
		if b := r.Datacenters[1].Planes[Media].BucketBusy; !(b[1] > 0 && b[3] < b[1]) {
			t.Errorf("b's busy area %v: want it to carry the outage and give it back", b)
		}
	}
}

// The event loop of a balance route allocates nothing: picking, failing,
// ejecting and sweeping reuse the replication's state.
func TestBalanceEventLoopAllocatesNothing(t *testing.T) {
	s := partialOutage(t)
	// Ejections keep coming: the down host returns every second and fails again.
	s.Routing.Routes[0].Media.Balance.OutlierDetection.BaseEjectionTime = ptrTo(scenarios.Duration(1))
	s.Run.Horizon = 24 * 3600 // events enough for warming up and 10^5 more
	// A violation's cause is recorded the first time it is met, as the
	// walk's are; this test is about the balance route alone.
	s.Policy[0].Allow.Media = append(s.Policy[0].Allow.Media, "CN")
	m := mustCompile(t, s)
	// The walk pool and the queue's rings grow to their size over the first
	// ejection cycles: 10^6 more steps of warming up.
	fewest := fewestAllocations(m, 1_000_000)
	if fewest != 0 {
		t.Errorf("%d allocations in 10^5 events", fewest)
	}
}

func ptrTo[T any](v T) *T { return &v }
