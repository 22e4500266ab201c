package answer

import (
	"cmp"
	"slices"
)

// Policy is a Route 53 routing policy: how a group of records (same name
// and type) picks the record that answers.
type Policy uint8

// The routing policies.
const (
	Simple Policy = iota
	Failover
	Geolocation
	Latency
	Weighted
	Multivalue
)

var policyNames = [...]string{"simple", "failover", "geolocation", "latency", "weighted", "multivalue"}

func (p Policy) String() string { return policyNames[p] }

// ParsePolicy reads a policy by name.
func ParsePolicy(name string) (Policy, bool) { return byName[Policy](policyNames[:], name) }

// Tree is a set of record groups; Groups[0] is the one queried, and alias
// records name other groups by index. Aliases form no cycle (Route 53
// refuses one, and so does the scenario's validation).
type Tree struct {
	Groups []Group
}

// Group is the records of one name and type.
type Group struct {
	Policy  Policy
	Records []Record
}

// Record is one record set: it answers with a datacenter, or is an alias
// to another group of the tree.
type Record struct {
	Datacenter int // the datacenter it answers with; -1 for an alias to a group
	Target     int // the group an alias names; -1 otherwise

	// Check is the index (into the statuses an evaluation is given) of the
	// health check associated with the record, -1 for none: a record
	// without one is always healthy.
	Check int
	// EvaluateTargetHealth makes an alias healthy only when its target
	// is: a group with at least one healthy record, or the resource whose
	// health TargetCheck stands for (-1: none, so always healthy).
	EvaluateTargetHealth bool
	TargetCheck          int

	Secondary bool // failover: SECONDARY (else PRIMARY)

	// Geolocation: the area the record serves; Country "*" is the default.
	Continent, Country, Subdivision string

	// Latency: the datacenter whose round-trip time from the client stands
	// for the latency to the record's region.
	LatencyTo int

	Weight int64 // weighted: relative weight, 0 to 255
}

// Client is who asks: where its resolver is placed, and its round-trip
// time to each datacenter.
type Client struct {
	Country, Subdivision string
	RTT                  func(datacenter int) (seconds float64, ok bool)
}

// Plan is a tree as one client sees it: each group's records in the order
// its policy prefers them for that client (geolocation records that do
// not match the client left out; latency records by round-trip time).
type Plan struct {
	tree  *Tree
	order [][]int
}

// Specialize returns the plan of t for client c.
func (t *Tree) Specialize(c Client) *Plan {
	p := &Plan{tree: t, order: make([][]int, len(t.Groups))}
	continent := Continent(c.Country)
	for g, group := range t.Groups {
		var order []int
		for i := range group.Records {
			if group.Policy != Geolocation || geoRank(&group.Records[i], c, continent) >= 0 {
				order = append(order, i)
			}
		}
		switch group.Policy {
		case Failover: // PRIMARY first
			slices.SortStableFunc(order, func(a, b int) int {
				return cmp.Compare(b2i(group.Records[a].Secondary), b2i(group.Records[b].Secondary))
			})
		case Geolocation: // the smallest matching area first
			slices.SortStableFunc(order, func(a, b int) int {
				return cmp.Compare(geoRank(&group.Records[a], c, continent), geoRank(&group.Records[b], c, continent))
			})
		case Latency: // the lowest latency first; a region with no known time last
			rtt := func(i int) float64 {
				if s, ok := c.RTT(group.Records[i].LatencyTo); ok {
					return s
				}
				return inf
			}
			slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(rtt(a), rtt(b)) })
		}
		p.order[g] = order
	}
	return p
}

const inf = 1e300

func b2i(b bool) int {
	if b {
		return 1
	}
	return 0
}

// geoRank is how closely record r's area fits the client: 0 its
// subdivision, 1 its country, 2 its continent, 3 the default record; -1
// when r's area does not contain the client.
func geoRank(r *Record, c Client, continent string) int {
	switch {
	case r.Country == "*":
		return 3
	case r.Subdivision != "":
		if r.Country == c.Country && r.Subdivision == c.Subdivision {
			return 0
		}
	case r.Country != "":
		if r.Country == c.Country {
			return 1
		}
	case r.Continent != "":
		if r.Continent == continent {
			return 2
		}
	}
	return -1
}

// Share is the probability that an answer names a datacenter, and the
// first record (by group and position) that answers with it.
type Share struct {
	Datacenter    int
	P             float64
	Group, Record int
}

// Dist is the distribution of one query's answer: the datacenters it
// names, and the probability of no answer at all (a geolocation group
// with no record for the client's area and no default).
type Dist struct {
	Shares []Share
	None   float64
}

// Answer computes into d (reusing its storage) the distribution of the
// answer to a query given each check's status. It follows Route 53's
// documented choice ("How Amazon Route 53 chooses records when health
// checking is configured"):
//
//   - a record is healthy when its health check (if any) is healthy and,
//     for an alias that evaluates target health, when its target is: an
//     alias to a group is healthy when some record of the group is;
//   - when no record of a group is healthy, all its records are treated
//     as healthy;
//   - among the healthy records the policy chooses: failover the primary,
//     else the secondary (both unhealthy: the primary, by the rule above);
//     geolocation the smallest matching area, and no answer when no
//     healthy record matches; latency the lowest latency; weighted in
//     proportion to the non-zero weights, the zero-weighted records only
//     when no non-zero one is healthy, equally when all weights are zero;
//     multivalue up to eight healthy records, of which the client uses one
//     (so uniformly over the healthy ones);
//   - an alias record answers what its target group answers, recursively.
func (p *Plan) Answer(statuses []Status, d *Dist) {
	d.Shares, d.None = d.Shares[:0], 0
	p.group(0, 1, statuses, d)
}

// group adds what group g answers, with probability w, to d.
func (p *Plan) group(g int, w float64, st []Status, d *Dist) {
	group := &p.tree.Groups[g]
	open := !p.anyHealthy(g, st) // fail open: all records count as healthy
	order := p.order[g]
	switch group.Policy {
	case Weighted:
		var total float64
		var n int
		for _, i := range order {
			if p.eligible(&group.Records[i], open, st) {
				total += float64(group.Records[i].Weight)
				n++
			}
		}
		for _, i := range order {
			if !p.eligible(&group.Records[i], open, st) {
				continue
			}
			switch {
			case total > 0:
				if wt := float64(group.Records[i].Weight); wt > 0 {
					p.record(g, i, w*wt/total, st, d)
				}
			default:
				p.record(g, i, w/float64(n), st, d)
			}
		}
		if n == 0 {
			d.None += w
		}
	case Multivalue:
		var n int
		for _, i := range order {
			if p.eligible(&group.Records[i], open, st) {
				n++
			}
		}
		for _, i := range order {
			if p.eligible(&group.Records[i], open, st) {
				p.record(g, i, w/float64(n), st, d)
			}
		}
		if n == 0 {
			d.None += w
		}
	default:
		for _, i := range order {
			if p.eligible(&group.Records[i], open, st) {
				p.record(g, i, w, st, d)
				return
			}
		}
		d.None += w
	}
}

// record adds what record i of group g answers to d.
func (p *Plan) record(g, i int, w float64, st []Status, d *Dist) {
	r := &p.tree.Groups[g].Records[i]
	if r.Target >= 0 {
		p.group(r.Target, w, st, d)
		return
	}
	for k := range d.Shares {
		if d.Shares[k].Datacenter == r.Datacenter {
			d.Shares[k].P += w
			return
		}
	}
	d.Shares = append(d.Shares, Share{Datacenter: r.Datacenter, P: w, Group: g, Record: i})
}

// eligible reports whether the policy may choose record r: it is healthy,
// or its group fails open.
func (p *Plan) eligible(r *Record, open bool, st []Status) bool {
	return open || p.healthy(r, st)
}

// healthy reports whether record r is healthy.
func (p *Plan) healthy(r *Record, st []Status) bool {
	if r.Check >= 0 && !st[r.Check].Healthy(false) {
		return false
	}
	if !r.EvaluateTargetHealth {
		return true
	}
	if r.Target >= 0 {
		return p.anyHealthy(r.Target, st)
	}
	return r.TargetCheck < 0 || st[r.TargetCheck].Healthy(false)
}

// anyHealthy reports whether some record of group g is healthy: the
// health of an alias to it that evaluates target health, and what decides
// whether the group fails open.
func (p *Plan) anyHealthy(g int, st []Status) bool {
	for i := range p.tree.Groups[g].Records {
		if p.healthy(&p.tree.Groups[g].Records[i], st) {
			return true
		}
	}
	return false
}

// Pick returns the datacenter a query answered by d names, for u uniform
// in (0, 1], or None.
func (d *Dist) Pick(u float64) int {
	for _, s := range d.Shares {
		if u <= s.P {
			return s.Datacenter
		}
		u -= s.P
	}
	if d.None > 0 || len(d.Shares) == 0 {
		return None
	}
	return d.Shares[len(d.Shares)-1].Datacenter // rounding left u just above the total
}
