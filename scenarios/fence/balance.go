package fence

import (
	"context"
	"fmt"
	"slices"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/balance"
)

// A balance route (Envoy's priorities by health) lands a client at a
// datacenter in a state of the system when the split of that state gives
// it a share of the requests (scenarios/balance). A state is a set of
// unhealthy datacenters — full or down, so that their hosts fail — and the
// hosts of theirs outlier detection has ejected so far: any of them, up
// to the ejection budget (max_ejection_percent bounds the hosts out at
// once; none without outlier detection), since which fail first depends
// on the traffic. A datacenter's witness is the smallest set of unhealthy
// datacenters that some such state gives it a share under, with the
// largest share any of them gives; the share is the fraction of requests
// whose attempt goes there.

// maxBalanceStates bounds the states the search for one witness tries:
// the witnesses of real meshes are found in a few hundred, and a route
// naming many datacenters is refused rather than searched for hours.
const maxBalanceStates = 1 << 20

// EjectionBudget is how many of a balance route's hosts outlier detection
// may eject at once: a host is ejected only if (ejected + 1) / hosts ≤
// max_ejection_percent, so floor(max × hosts / 100); 0 without outlier
// detection or with consecutive_errors 0.
func EjectionBudget(b *scenarios.Balance, hosts int) int {
	od := b.OutlierDetection
	if od == nil || od.EffectiveConsecutiveErrors() == 0 {
		return 0
	}
	return od.EffectiveMaxEjectionPercent() * hosts / 100
}

// balanceState is a set of unhealthy datacenters, as bits over the
// candidates of one search.
type balanceState uint64

// BalanceWitness is the cheapest way for a client to land at a datacenter
// through a balance route.
type BalanceWitness struct {
	Datacenter int
	Unhealthy  []int   // datacenters full or down, in route order
	Share      float64 // of the requests: the most a state with Unhealthy gives
	Priority   int     // where the datacenter gets its share: the first level that gives it one
	Locality   int
}

// ReachBalance finds the witness of datacenter dc on route r, whose
// ejection budget is budget hosts; false when no reachable state gives dc
// a share. It returns ctx's error when ctx is done, and an error when the
// search would try more than maxBalanceStates states.
func ReachBalance(ctx context.Context, r *balance.Route, dc, budget int) (BalanceWitness, bool, error) {
	others := routeDatacenters(r, dc)
	tried := 0
	for size := 0; size <= len(others); size++ {
		var best BalanceWitness
		found := false
		for set := range subsetsOfSize(len(others), size) {
			unhealthy := func(d int) bool {
				i := slices.Index(others, d)
				return i >= 0 && set&(1<<i) != 0
			}
			// The localities whose hosts may be out, and how many each has.
			var entries [][2]int
			for p, ls := range r.Priorities {
				for i, l := range ls {
					if unhealthy(l.Datacenter) {
						entries = append(entries, [2]int{p, i})
					}
				}
			}
			healthy := r.AllHealthy()
			var err error
			ejections(entries, r, budget, healthy, func() bool {
				if tried++; tried > maxBalanceStates {
					err = fmt.Errorf("the balance route names %d datacenters and %d hosts: too many states to search for the witness of one", len(others)+1, r.Hosts())
					return false
				}
				if tried%4096 == 0 && ctx.Err() != nil {
					err = ctx.Err()
					return false
				}
				w, ok := shareOf(r, dc, healthy)
				if ok && (!found || w.Share > best.Share) {
					for i, o := range others {
						if set&(1<<i) != 0 {
							w.Unhealthy = append(w.Unhealthy, o)
						}
					}
					best, found = w, true
				}
				return true
			})
			if err != nil {
				return BalanceWitness{}, false, err
			}
		}
		if found {
			return best, true, nil
		}
	}
	return BalanceWitness{}, false, nil
}

// ejections calls visit with healthy set to every way of ejecting at most
// budget hosts from the localities entries names (each from none to all
// of its hosts); visit returns false to stop.
func ejections(entries [][2]int, r *balance.Route, budget int, healthy [][]int, visit func() bool) bool {
	if len(entries) == 0 {
		return visit()
	}
	p, i := entries[0][0], entries[0][1]
	hosts := r.Priorities[p][i].Hosts
	for out := 0; out <= min(hosts, budget); out++ {
		healthy[p][i] = hosts - out
		if !ejections(entries[1:], r, budget-out, healthy, visit) {
			healthy[p][i] = hosts
			return false
		}
	}
	healthy[p][i] = hosts
	return true
}

// shareOf is dc's share of r's requests when healthy[p][i] hosts of
// each locality are healthy, and the first level and locality that give
// it one; false when none does.
func shareOf(r *balance.Route, dc int, healthy [][]int) (BalanceWitness, bool) {
	s := r.Split(healthy)
	w := BalanceWitness{Datacenter: dc, Priority: -1}
	for p, ls := range r.Priorities {
		for i, l := range ls {
			if l.Datacenter == dc && s.Shares[p][i] > 0 {
				w.Share += s.Shares[p][i]
				if w.Priority < 0 {
					w.Priority, w.Locality = p, i
				}
			}
		}
	}
	return w, w.Priority >= 0
}

// routeDatacenters lists the datacenters r names but skip, in route order.
func routeDatacenters(r *balance.Route, skip int) []int {
	var out []int
	for _, ls := range r.Priorities {
		for _, l := range ls {
			if l.Datacenter != skip && !slices.Contains(out, l.Datacenter) {
				out = append(out, l.Datacenter)
			}
		}
	}
	return out
}

// subsetsOfSize yields the subsets of n items that have k of them, as
// bits, in increasing order (Gosper's hack); none when n > 63.
func subsetsOfSize(n, k int) func(func(balanceState) bool) {
	return func(yield func(balanceState) bool) {
		if n > 63 || k > n {
			return
		}
		if k == 0 {
			yield(0)
			return
		}
		s := uint64(1)<<k - 1
		for s < uint64(1)<<n {
			if !yield(balanceState(s)) {
				return
			}
			c := s & -s
			r := s + c
			s = (((r ^ s) >> 2) / c) | r
		}
	}
}

// balanceFindings are the forbidden landings of population p through the
// balance route pr (route ri, plane via), for plane's fence.
func balanceFindings(ctx context.Context, s *scenarios.Scenario, p *scenarios.Population, plane, via scenarios.Plane, ri int, pr *scenarios.PlaneRoute,
	allowed []string, dcIndex map[scenarios.ID]int) ([]Finding, error) {
	r := balance.Compile(pr.Balance, func(id scenarios.ID) int { return dcIndex[id] })
	budget := EjectionBudget(pr.Balance, r.Hosts())
	var out []Finding
	for _, dc := range routeDatacenters(r, -1) {
		d := &s.Datacenters[dc]
		if _, ok := slices.BinarySearch(allowed, string(d.Jurisdiction)); ok {
			continue
		}
		w, ok, err := ReachBalance(ctx, r, dc, budget)
		if err != nil {
			return nil, fmt.Errorf("population %s, %s route: %w", p.ID, via, err)
		}
		if !ok {
			continue
		}
		f := Finding{
			Population: string(p.ID), Plane: plane, Via: via,
			Datacenter: string(d.ID), Jurisdiction: string(d.Jurisdiction),
			Witness: []string{}, Share: &w.Share,
			Path: scenarios.Index(scenarios.Index(scenarios.Join(scenarios.PlaneRoutePath(ri, via), "balance.priorities"), w.Priority), w.Locality),
		}
		for _, u := range w.Unhealthy {
			f.Witness = append(f.Witness, string(s.Datacenters[u].ID))
		}
		out = append(out, f)
	}
	return out, nil
}
