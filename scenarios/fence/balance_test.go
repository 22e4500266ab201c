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

// bruteForceBalance tries every set of hosts outlier detection may have
// ejected (at most budget of them, none of dc's): the datacenters they
// stand in are the unhealthy ones. It returns the fewest datacenters any
// such set that gives dc a share stands in, and the largest share among
// the sets standing in that few; -1 when none gives dc a share.
func bruteForceBalance(r *balance.Route, dc, budget int) (int, float64) {
	type host struct{ p, i int }
	var hosts []host
	for p, ls := range r.Priorities {
		for i, l := range ls {
			for range l.Hosts {
				hosts = append(hosts, host{p, i})
			}
		}
	}
	best, share := -1, 0.0
	for mask := 0; mask < 1<<len(hosts); mask++ {
		if bits.OnesCount(uint(mask)) > budget {
			continue
		}
		healthy := r.AllHealthy()
		var dcs []int
		ok := true
		for k, h := range hosts {
			if mask&(1<<k) == 0 {
				continue
			}
			healthy[h.p][h.i]--
			d := r.Priorities[h.p][h.i].Datacenter
			ok = ok && d != dc
			if !slices.Contains(dcs, d) {
				dcs = append(dcs, d)
			}
		}
		if !ok {
			continue
		}
		s := r.Split(healthy)
		got := 0.0
		for p, ls := range r.Priorities {
			for i, l := range ls {
				if l.Datacenter == dc {
					got += s.Shares[p][i]
				}
			}
		}
		switch size := len(dcs); {
		case got == 0 || best >= 0 && size > best:
		case best < 0 || size < best:
			best, share = size, got
		case got > share:
			share = got
		}
	}
	return best, share
}

// ReachBalance's witnesses are exact: the fewest unhealthy datacenters
// whose hosts, ejected within the budget, give the datacenter a share,
// found by brute force over every set of hosts, with the largest share of
// that size.
func TestBalanceWitnessIsMinimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 4).Draw(t, "datacenters")
		r := genBalance(t, n)
		if r.Hosts() > 14 {
			t.Skip("too many hosts for brute force")
		}
		budget := rapid.IntRange(0, r.Hosts()).Draw(t, "budget")
		for _, dc := range routeDatacenters(r, -1) {
			size, share := bruteForceBalance(r, dc, budget)
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
			if slices.Contains(w.Unhealthy, dc) {
				t.Fatalf("witness %+v has the datacenter unhealthy", w)
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
