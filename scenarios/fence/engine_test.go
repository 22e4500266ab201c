package fence_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/balance"
	"github.com/geofence/geofence/scenarios/fence"
	"github.com/geofence/geofence/scenarios/validate"
	"github.com/geofence/geofence/sim"
)

// The landing rule the static analysis states (fence.Lands) is the rule the
// engine follows: with some datacenters full (drained to capacity 0) or down
// for the whole run and the others unlimited, the datacenters where the simulated
// joins land are exactly those Lands names.
func TestLandsAgreesWithEngine(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "n")
		ids := make([]scenarios.ID, n)
		s := usRegion("landing", 1, scenarios.RunSettings{Horizon: 3000, Replications: 2, Seed: 1})
		unavailable := map[int]bool{}
		for i := range n {
			ids[i] = scenarios.ID(fmt.Sprintf("dc%d", i))
			capacity, drained := scenarios.Unlimited, scenarios.Capacity(0)
			d := scenarios.Datacenter{ID: ids[i], Region: "r", Jurisdiction: "US",
				RTT: map[string]scenarios.Duration{"r": scenarios.Duration(0.01 * float64(1+rapid.IntRange(0, 20).Draw(t, "rtt")))}}
			switch rapid.IntRange(0, 2).Draw(t, "state") {
			case 1: // full: drained to no room for the whole run
				d.Timeline = []scenarios.TimelineEntry{{At: scenarios.Moment{Duration: 0}, Capacity: &scenarios.PlaneCapacity{Media: &drained}}}
				unavailable[i] = true
			case 2:
				d.Timeline = []scenarios.TimelineEntry{{At: scenarios.Moment{Duration: 0}, State: "down"}}
				unavailable[i] = true
			}
			d.Capacity.Media = &capacity
			s.Datacenters = append(s.Datacenters, d)
		}
		primaries := rapid.Permutation(indices(n)).Draw(t, "primaries")[:rapid.IntRange(0, n).Draw(t, "np")]
		whitelist := rapid.Permutation(indices(n)).Draw(t, "whitelist")[:rapid.IntRange(0, n).Draw(t, "nw")]
		if len(primaries)+len(whitelist) == 0 {
			return
		}
		route := scenarios.PlaneRoute{}
		for _, i := range primaries {
			route.Primaries = append(route.Primaries, ids[i])
		}
		order := rapid.SampledFrom([]string{"random", "nearest", "most-free"}).Draw(t, "order")
		picks := rapid.IntRange(1, 3).Draw(t, "picks")
		if len(whitelist) > 0 {
			var entries []scenarios.ID
			for _, i := range whitelist {
				entries = append(entries, ids[i])
			}
			s.Routing.Whitelists = map[string][]scenarios.ID{"w": entries}
			route.Secondaries = &scenarios.Secondary{Whitelist: "w", Picks: &picks, Order: order}
		}
		s.Routing.Routes = []scenarios.Route{{Region: "r", Media: route, Keys: scenarios.KeyRoute{Custody: "client"}}}

		if ps := validate.Scenario(s); len(ps) > 0 {
			t.Fatal(ps)
		}
		_, reps := simulate(t, s, 1, 2)
		var landed []int
		for i := range n {
			if landsMedia(reps, i) {
				landed = append(landed, i)
			}
		}
		r := &fence.Route{Primaries: primaries, Whitelist: whitelist, Picks: picks, Nearest: order == "nearest"}
		r.NearestOrder = slices.Clone(whitelist)
		slices.SortStableFunc(r.NearestOrder, func(a, b int) int {
			return int(1000 * (s.Datacenters[a].RTT["r"] - s.Datacenters[b].RTT["r"]))
		})
		want := fence.Lands(r, unavailable)
		slices.Sort(want)
		if !slices.Equal(landed, want) {
			t.Fatalf("engine landed joins at %v, Lands says %v (unavailable %v)", landed, want, unavailable)
		}
	})
}

// usRegion is a scenario of one region, r, whose one population, p, in
// the US, joins at joinsPerSecond and may have its media in the US alone;
// the test adds the datacenters and the route.
func usRegion(name string, joinsPerSecond float64, run scenarios.RunSettings) *scenarios.Scenario {
	return &scenarios.Scenario{
		Name:    name,
		Regions: []scenarios.Region{{ID: "r"}},
		Populations: []scenarios.Population{{
			ID: "p", Region: "r", Jurisdiction: "US", Plan: "free", JoinsPerSecond: joinsPerSecond,
			Holding: scenarios.Holding{Distribution: "exponential", Mean: 10},
		}},
		Policy: []scenarios.PolicyRule{{Allow: scenarios.Allow{Media: []scenarios.Code{"US"}}}},
		Run:    run,
	}
}

// simulate compiles s and runs replications of it on seed.
func simulate(t rapid.TB, s *scenarios.Scenario, seed uint64, replications int) (*sim.Model, []*sim.Replication) {
	t.Helper()
	m, err := sim.Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	reps, err := sim.Run(context.Background(), m, seed, replications, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m, reps
}

// landsMedia reports whether some replication admitted joins' media at
// datacenter i.
func landsMedia(reps []*sim.Replication, i int) bool {
	return slices.ContainsFunc(reps, func(r *sim.Replication) bool {
		pt := r.Datacenters[i].Planes[sim.Media]
		return pt.AdmittedPrimary+pt.AdmittedSecondary > 0
	})
}

func indices(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// What the engine does on a balance route stays within what the static
// analysis says is reachable: with some datacenters full or down for the
// whole run, every datacenter a simulated join lands at has a witness
// (a reachable state, within the ejection budget, that gives it a share).
func TestBalanceLandingsAreReachable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 4).Draw(t, "n")
		s := usRegion("balance", 2, scenarios.RunSettings{Horizon: 1200, Replications: 2, Seed: rapid.Uint64().Draw(t, "seed")})
		for i := range n {
			capacity, drained := scenarios.Unlimited, scenarios.Capacity(0)
			d := scenarios.Datacenter{ID: scenarios.ID(fmt.Sprintf("dc%d", i)), Region: "r", Jurisdiction: "US",
				Capacity: scenarios.PlaneCapacity{Media: &capacity}, RTT: map[string]scenarios.Duration{"r": 0.02}}
			switch rapid.IntRange(0, 2).Draw(t, "state") {
			case 1:
				d.Timeline = []scenarios.TimelineEntry{{At: scenarios.Moment{Duration: 0}, Capacity: &scenarios.PlaneCapacity{Media: &drained}}}
			case 2:
				d.Timeline = []scenarios.TimelineEntry{{At: scenarios.Moment{Duration: 0}, State: "down"}}
			}
			s.Datacenters = append(s.Datacenters, d)
		}
		b := &scenarios.Balance{
			PanicThreshold:   ptr(rapid.SampledFrom([]int{0, 50}).Draw(t, "panic")),
			LocalityWeighted: rapid.Bool().Draw(t, "weighted"),
			Retries:          ptr(rapid.IntRange(0, 2).Draw(t, "retries")),
			ConnectTimeout:   ptr(scenarios.Duration(0.5)),
		}
		if rapid.Bool().Draw(t, "outlier") {
			b.OutlierDetection = &scenarios.OutlierDetection{
				ConsecutiveErrors:  ptr(rapid.IntRange(1, 3).Draw(t, "errors")),
				Interval:           ptr(scenarios.Duration(1)),
				BaseEjectionTime:   ptr(scenarios.Duration(rapid.SampledFrom([]float64{2, 600}).Draw(t, "base"))),
				MaxEjectionPercent: ptr(rapid.SampledFrom([]int{10, 50, 100}).Draw(t, "max")),
			}
		}
		for range rapid.IntRange(1, 3).Draw(t, "priorities") {
			var level []scenarios.BalanceLocality
			for _, i := range rapid.Permutation(indices(n)).Draw(t, "dcs")[:rapid.IntRange(1, n).Draw(t, "localities")] {
				level = append(level, scenarios.BalanceLocality{Datacenter: s.Datacenters[i].ID,
					Weight: ptr(rapid.IntRange(1, 3).Draw(t, "weight")), Hosts: ptr(rapid.IntRange(1, 3).Draw(t, "hosts"))})
			}
			b.Priorities = append(b.Priorities, level)
		}
		s.Routing.Routes = []scenarios.Route{{Region: "r", Media: scenarios.PlaneRoute{Balance: b}, Keys: scenarios.KeyRoute{Custody: "client"}}}
		if ps := validate.Scenario(s); len(ps) > 0 {
			t.Fatal(ps)
		}
		_, reps := simulate(t, s, 1, 2)
		r := balance.Compile(b, func(id scenarios.ID) int {
			return slices.IndexFunc(s.Datacenters, func(d scenarios.Datacenter) bool { return d.ID == id })
		})
		budget := fence.EjectionBudget(b, r.Hosts())
		for i := range n {
			if !landsMedia(reps, i) {
				continue
			}
			if _, ok, err := fence.ReachBalance(context.Background(), r, i, budget); err != nil || !ok {
				t.Fatalf("the engine landed joins at dc%d, which no state within the budget of %d hosts gives a share (%v)", i, budget, err)
			}
		}
	})
}

func ptr[T any](v T) *T { return &v }
