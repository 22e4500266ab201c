package istio

import (
	"cmp"
	"maps"
	"math"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// entry is one group of endpoints as Istio places it for one client
// locality: its priority, its weight, and why it is there — the line to
// change to move it: the endpoint, the distribute or failover entry that
// names its locality, the failoverPriority that ranks it, or, for an
// endpoint in another region that nothing names, the setting whose
// missing distribute lets it in (catchAll).
type entry struct {
	group     *group
	endpoints []*workload // the group's, or those of its failoverPriority level
	priority  int
	weight    uint64
	why       *yaml.Node
	named     bool // by a distribute or failover entry, or failoverPriority
	catchAll  bool
}

// setting is the locality load-balancing setting in force: the
// DestinationRule's localityLbSetting, or the mesh's default (enabled, no
// rules); nil when the DestinationRule disables it (GetEffectiveLbSetting).
func (svc *service) setting() *localityLB {
	if lb := svc.policy.loadBalancer; lb != nil && lb.locality != nil {
		if l := lb.locality; l.enabled != nil && !*l.enabled {
			return nil
		}
		return lb.locality
	}
	return &localityLB{} // meshConfig.localityLbSetting: {enabled: true}
}

// lbAt is where the service's locality load balancing is decided, for a
// value that follows from it as a whole: the localityLbSetting, else the
// loadBalancer or trafficPolicy that would hold one, else the
// DestinationRule's host, else the ServiceEntry's hosts.
func (svc *service) lbAt() *yaml.Node {
	switch lb := svc.policy.loadBalancer; {
	case lb != nil && lb.locality != nil:
		return lb.locality.at
	case lb != nil:
		return lb.at
	case svc.dr != nil && svc.policy.portAt != nil:
		return svc.policy.portAt
	case svc.dr != nil && svc.dr.policy != nil:
		return svc.dr.policy.at
	case svc.dr != nil:
		return svc.dr.hostAt
	}
	return svc.se.hostsAt
}

// lbFile is the file lbAt is in.
func (svc *service) lbFile() string {
	if svc.dr != nil {
		return svc.dr.file
	}
	return svc.se.file
}

// place builds, for a client at locality client, the groups' priorities
// and weights as Istio's ApplyLocalityLoadBalancer does
// (pilot/pkg/networking/core/loadbalancer/loadbalancer.go): with
// distribute, weights only, and groups outside every "to" removed; else,
// with outlier detection, priorities by failoverPriority labels and by
// region, zone and subzone with the failover entry for the client's
// region, compacted to 0..N-1; else every group at priority 0. The
// entries come out by priority, then in the groups' order.
func (im *importer) place(svc *service, client locality, clientLabels map[string]string) []entry {
	var entries []entry
	for _, g := range svc.groups {
		entries = append(entries, entry{group: g, endpoints: g.endpoints, weight: g.weight, why: endpointAt(g.endpoints[0])})
	}
	l := svc.setting()
	switch {
	case l == nil:
	case len(l.distribute) > 0:
		entries = distributeWeights(svc, l, client, entries)
	case svc.policy.outlier != nil:
		if len(l.failoverPriority) > 0 {
			entries = failoverPriorities(entries, l, clientLabels)
			if len(l.failover) > 0 {
				entries = localityFailover(l, client, entries)
			}
		} else {
			entries = localityFailover(l, client, entries)
		}
	}
	for i := range entries {
		if e := &entries[i]; !e.named && e.group.loc.region != client.region {
			e.why, e.catchAll = svc.lbAt(), true
		}
	}
	slices.SortStableFunc(entries, func(a, b entry) int { return cmp.Compare(a.priority, b.priority) })
	return entries
}

// endpointAt is where an endpoint's locality is written, or the endpoint.
func endpointAt(w *workload) *yaml.Node {
	if w.localityAt != nil {
		return w.localityAt
	}
	return w.at
}

// distribute is applyLocalityWeights: the first rule whose from matches
// the client gives each group matching one of its "to" localities the
// weight ceil(weight × w / Σ weights of the groups that locality
// matches), and removes every other group; a client no rule matches
// keeps every group as it is.
func distributeWeights(svc *service, l *localityLB, client locality, entries []entry) []entry {
	i := slices.IndexFunc(l.distribute, func(d distribute) bool { return client.matches(d.from) })
	if i < 0 {
		return entries
	}
	d := l.distribute[i]
	claimed := make([]bool, len(entries))
	var out []entry
	for _, to := range d.to {
		var total uint64
		var matched []int
		for j, e := range entries {
			if e.group.loc.matches(to.locality) {
				if claimed[j] {
					continue // a group matching two patterns: Istio's map order decides; validation refuses it (reported once per service)
				}
				claimed[j] = true
				matched = append(matched, j)
				total += e.weight
			}
		}
		for _, j := range matched {
			e := entries[j]
			if w := float64(e.weight*to.weight) / float64(total); w > 0 {
				e.weight = uint64(math.Ceil(w))
			}
			e.why, e.named = to.at, true
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b entry) int {
		return cmp.Compare(slices.Index(svc.groups, a.group), slices.Index(svc.groups, b.group))
	})
	return out
}

// localityFailover is applyLocalityFailover: each entry's priority by
// LbPriority (0 same subzone, 1 same zone, 2 same region, 3 elsewhere),
// elsewhere becoming 4 unless the first failover entry whose from is the
// client's region names the entry's region as its to; combined with the
// priority already there as priority × 5 + that, then compacted.
func localityFailover(l *localityLB, client locality, entries []entry) []entry {
	rule := slices.IndexFunc(l.failover, func(f failover) bool { return f.from == client.region })
	for i := range entries {
		e := &entries[i]
		p := lbPriority(client, e.group.loc)
		if p == 3 && rule >= 0 {
			if l.failover[rule].to == e.group.loc.region {
				e.why, e.named = l.failover[rule].toAt, true
			} else {
				p = 4
			}
		}
		e.priority = e.priority*5 + p
	}
	return compact(entries)
}

// compact renumbers the priorities 0..N-1 in order, without gaps.
func compact(entries []entry) []entry {
	var ps []int
	for _, e := range entries {
		ps = append(ps, e.priority)
	}
	slices.Sort(ps)
	ps = slices.Compact(ps)
	for i := range entries {
		entries[i].priority, _ = slices.BinarySearch(ps, entries[i].priority)
	}
	return entries
}

// failoverPriorities is applyFailoverPriorities: each group split by the
// priority of its endpoints' labels — N − j for the first label j (of N)
// whose value differs from the client's (or from the value the entry
// gives after "="), 0 when all match; a mismatch of a first label
// topology.istio.io/network is not counted there but adds N — and the
// priorities compacted.
func failoverPriorities(entries []entry, l *localityLB, clientLabels map[string]string) []entry {
	labels := make([]string, len(l.failoverPriority))
	overrides := map[string]string{}
	for i, lp := range l.failoverPriority {
		name, value, ok := strings.Cut(lp, "=")
		labels[i] = name
		if ok {
			overrides[name] = value
		}
	}
	n := len(labels)
	network := n > 0 && labels[0] == "topology.istio.io/network"
	var out []entry
	for _, e := range entries {
		byPriority := map[int][]*workload{}
		for _, ep := range e.endpoints {
			priority, adjust := 0, 0
			for j, name := range labels {
				want, ok := overrides[name]
				if !ok {
					want = clientLabels[name]
				}
				if want != ep.labels[name] {
					if j == 0 && network {
						adjust = n
						continue
					}
					priority = n - j
					break
				}
			}
			byPriority[priority+adjust] = append(byPriority[priority+adjust], ep)
		}
		for _, p := range slices.Sorted(maps.Keys(byPriority)) {
			sub := e
			sub.endpoints, sub.priority, sub.weight = byPriority[p], p, 0
			for _, ep := range sub.endpoints {
				sub.weight += max(ep.weight, 1)
			}
			if p > 0 {
				sub.why, sub.named = l.failoverPriorityAt, true
			}
			out = append(out, sub)
		}
	}
	return compact(out)
}
