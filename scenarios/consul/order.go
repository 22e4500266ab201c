package consul

import (
	"cmp"
	"math"
	"slices"

	"github.com/geofence/geofence/scenarios/internal/tree"
)

// Step is one datacenter a query or resolver tries, and what in the file
// puts it there.
type Step struct {
	Name    string
	Local   bool // the client's own datacenter, always tried first
	Nearest bool // one of the NearestN picks
	Peer    bool
	From    *tree.Node // NearestN, the Datacenters entry or the target; nil for the local datacenter
}

// QueryOrder returns the datacenters query q tries for a client whose
// local datacenter is local, in order, as Consul's PreparedQuery.Execute
// and queryFailover do:
//
//  1. the local datacenter;
//  2. the NearestN datacenters nearest the local one by round-trip time,
//     among every datacenter of the federation (not only the listed ones),
//     ties by name, those with no known time last;
//  3. Datacenters (or Targets) in order, except a datacenter NearestN
//     already chose and one the federation does not know (skipped, as
//     Consul skips it; unknown reports them), and peers as they come.
//
// federation lists every datacenter's name; rtt gives the round-trip time
// from the local datacenter to another, ok false when unknown.
func QueryOrder(q *Query, local string, federation []string, rtt func(string) (float64, bool)) (steps []Step, unknown []Ref) {
	steps = []Step{{Name: local, Local: true}}
	nearest := nearestOrder(local, federation, rtt)
	chosen := map[string]bool{}
	for _, dc := range nearest[:min(q.NearestN, len(nearest))] {
		chosen[dc] = true
		steps = append(steps, Step{Name: dc, Nearest: true, From: q.NearestNNode})
	}
	for _, ref := range q.Datacenters {
		switch {
		case ref.Peer:
			steps = append(steps, Step{Name: ref.Name, Peer: true, From: ref.Node})
		case !slices.Contains(nearest, ref.Name):
			unknown = append(unknown, ref)
		case !chosen[ref.Name]:
			steps = append(steps, Step{Name: ref.Name, From: ref.Node})
		}
	}
	return steps, unknown
}

// nearestOrder is every datacenter of the federation but local, by
// round-trip time from local (Router.GetDatacentersByDistance): ties by
// name, datacenters with no known time last.
func nearestOrder(local string, federation []string, rtt func(string) (float64, bool)) []string {
	type entry struct {
		name string
		rtt  float64
	}
	var es []entry
	for _, dc := range federation {
		if dc == local || slices.ContainsFunc(es, func(e entry) bool { return e.name == dc }) {
			continue
		}
		t, ok := rtt(dc)
		if !ok {
			t = math.Inf(1)
		}
		es = append(es, entry{dc, t})
	}
	slices.SortFunc(es, func(a, b entry) int { return cmp.Or(cmp.Compare(a.rtt, b.rtt), cmp.Compare(a.name, b.name)) })
	out := make([]string, len(es))
	for i, e := range es {
		out[i] = e.name
	}
	return out
}

// ResolverOrder returns the datacenters resolver res sends a client's
// requests to, for the subset the client asks for (its DefaultSubset): the
// local datacenter, then the failover targets of the subset's entry, or of
// "*" when the subset has none. Datacenters the federation does not know
// are left out (no endpoint can answer there) and returned.
func ResolverOrder(res *Resolver, local string, federation []string) (steps []Step, unknown []Ref) {
	steps = []Step{{Name: local, Local: true}}
	e := res.Failover[res.DefaultSubset]
	if e == nil {
		e = res.Failover["*"]
	}
	if e == nil {
		return steps, nil
	}
	for _, t := range e.Targets {
		switch {
		case t.Peer:
			steps = append(steps, Step{Name: t.Name, Peer: true, From: t.Node})
		case slices.Contains(federation, t.Name):
			steps = append(steps, Step{Name: t.Name, From: t.Node})
		default:
			unknown = append(unknown, t)
		}
	}
	return steps, unknown
}
