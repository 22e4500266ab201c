package fence

import (
	"context"
	"math/bits"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/balance"
)

// genBalance draws a balance route over datacenters 0..n-1: up to three
// priorities, each naming some of them (a datacenter at most once a
// priority), with weights and host counts, and the route's factor, panic
// threshold and locality weighting.
func genBalance(t *rapid.T, n int) *balance.Route {
	r := &balance.Route{
		Overprovisioning: rapid.SampledFrom([]int{100, 140, 200}).Draw(t, "factor"),
		PanicThreshold:   rapid.SampledFrom([]int{0, 0, 50}).Draw(t, "panic"),
		LocalityWeighted: rapid.Bool().Draw(t, "weighted"),
	}
	for range rapid.IntRange(1, 3).Draw(t, "priorities") {
		dcs := rapid.Permutation(indices(n)).Draw(t, "dcs")[:rapid.IntRange(1, n).Draw(t, "localities")]
		var ls []balance.Locality
		for _, dc := range dcs {
			ls = append(ls, balance.Locality{Datacenter: dc, Weight: float64(rapid.IntRange(1, 5).Draw(t, "weight")), Hosts: rapid.IntRange(1, 4).Draw(t, "hosts")})
		}
		r.Priorities = append(r.Priorities, ls)
	}
	return r
}

// bruteForceBalance tries every set of unhealthy datacenters within the
// budget and returns the size of the smallest that gives dc a share, and
// the largest share among those of that size; -1 when none does.
func bruteForceBalance(r *balance.Route, n, dc, budget int) (int, float64) {
	best, share := -1, 0.0
	for mask := 0; mask < 1<<n; mask++ {
		size := bits.OnesCount(uint(mask))
		if mask&(1<<dc) != 0 || best >= 0 && size > best {
			continue
		}
		cost := 0
		for d := range n {
			if mask&(1<<d) != 0 {
				cost += datacenterHosts(r, d)
			}
		}
		if cost > budget {
			continue
		}
		s := r.Split(r.HealthyWithout(func(d int) bool { return mask&(1<<d) != 0 }))
		got := 0.0
		for p, ls := range r.Priorities {
			for i, l := range ls {
				if l.Datacenter == dc {
					got += s.Shares[p][i]
				}
			}
		}
		if got == 0 {
			continue
		}
		if best < 0 || size < best || got > share {
			best, share = size, got
		}
	}
	return best, share
}

// ReachBalance's witnesses are exact: the smallest set of unhealthy
// datacenters within the ejection budget that gives the datacenter a
// share, found by brute force over every set, with the largest share of
// that size; and the share is what the split gives under the witness.
func TestBalanceWitnessIsMinimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 5).Draw(t, "datacenters")
		r := genBalance(t, n)
		budget := rapid.IntRange(0, r.Hosts()).Draw(t, "budget")
		for _, dc := range routeDatacenters(r, -1) {
			size, share := bruteForceBalance(r, n, dc, budget)
			w, ok, err := ReachBalance(context.Background(), r, dc, budget)
			if err != nil {
				t.Fatal(err)
			}
			if ok != (size >= 0) || ok && (len(w.Unhealthy) != size || w.Share != share) {
				t.Fatalf("datacenter %d: witness %+v (found %v), brute force: size %d share %v", dc, w, ok, size, share)
			}
			if !ok {
				continue
			}
			cost := 0
			for _, u := range w.Unhealthy {
				cost += datacenterHosts(r, u)
			}
			got, _ := shareOf(r, dc, func(d int) bool { return slices.Contains(w.Unhealthy, d) })
			if cost > budget || got.Share != w.Share {
				t.Fatalf("witness %+v costs %d hosts of %d, gives share %v", w, cost, budget, got.Share)
			}
		}
	})
}

// The ejection budget is max_ejection_percent of the hosts, rounded down:
// Envoy ejects a host only if then at most that share of hosts are out.
func TestEjectionBudget(t *testing.T) {
	for _, c := range []struct{ max, hosts, want int }{{10, 4, 0}, {10, 9, 0}, {10, 10, 1}, {10, 19, 1}, {20, 10, 2}, {100, 4, 4}, {0, 50, 0}} {
		b := balanceWith(c.max)
		if got := EjectionBudget(b, c.hosts); got != c.want {
			t.Errorf("max %d%% of %d hosts: budget %d, want %d", c.max, c.hosts, got, c.want)
		}
	}
}

func balanceWith(maxEjection int) *scenarios.Balance {
	return &scenarios.Balance{OutlierDetection: &scenarios.OutlierDetection{MaxEjectionPercent: &maxEjection}}
}
