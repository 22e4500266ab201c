package fence

import (
	"math/bits"
	"slices"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/answer"
)

// Reached is a datacenter a health-driven route (failover or dns) can send
// a client to, with the smallest set of datacenters that must be
// unhealthy for it: its witness. A datacenter is unhealthy when its checks
// report critical — it is down, or full with a check that reports
// critical then — and a datacenter in the witness cannot admit the client
// itself: it is down or full.
type Reached struct {
	Datacenter int
	Unhealthy  []int // datacenters, in the order the route meets them
	// Target is the position in the failover route's targets; for a dns
	// route, Group and Record locate the record that answers.
	Target, Group, Record int
}

// FailoverReach returns every datacenter a failover route (datacenters as
// indices) can send a client to: target k once every earlier target is
// unhealthy. With answerFirst the first target is also answered when all
// are unhealthy — which adds nothing, as it is reached with nothing
// unhealthy already.
func FailoverReach(targets []int) []Reached {
	out := make([]Reached, len(targets))
	for k, dc := range targets {
		out[k] = Reached{Datacenter: dc, Unhealthy: slices.Clone(targets[:k]), Target: k, Group: -1, Record: -1}
	}
	return out
}

// maxSearched bounds the datacenters whose every subset DNSReach tries:
// 2^16 evaluations of a record tree are a few milliseconds.
const maxSearched = 16

// DNSReach returns every datacenter a record tree, as plan answers one
// client, can send the client to, each with its smallest witness, and the
// smallest witness under which the client gets no answer at all (nil when
// it always gets one). checkDC gives the datacenter each check observes.
// It tries the sets of observed datacenters by increasing size — the fail
// open rules make reachability depend on a set as a whole, not on each
// member alone — so the witness is the smallest there is; past
// maxSearched observed datacenters it tries sets of at most three.
func DNSReach(plan *answer.Plan, checkDC []int) (reach []Reached, unanswered []int) {
	var observed []int
	for _, dc := range checkDC {
		if !slices.Contains(observed, dc) {
			observed = append(observed, dc)
		}
	}
	n := len(observed)
	largest := n
	if n > maxSearched {
		largest = 3
	}
	statuses := make([]answer.Status, len(checkDC))
	var d answer.Dist
	found := map[int]bool{}
	unansweredFound := false
	for size := 0; size <= largest; size++ {
		for set := range subsets(n, size) {
			for c, dc := range checkDC {
				statuses[c] = answer.Passing
				if set&(1<<slices.Index(observed, dc)) != 0 {
					statuses[c] = answer.Critical
				}
			}
			plan.Answer(statuses, &d)
			witness := members(observed, set)
			for _, sh := range d.Shares {
				if found[sh.Datacenter] || slices.Contains(witness, sh.Datacenter) {
					continue
				}
				found[sh.Datacenter] = true
				reach = append(reach, Reached{Datacenter: sh.Datacenter, Unhealthy: witness, Target: -1, Group: sh.Group, Record: sh.Record})
			}
			if d.None > 0 && !unansweredFound {
				unansweredFound, unanswered = true, witness
			}
		}
	}
	return reach, unanswered
}

// subsets yields the subsets of {0..n-1} with size members, as bit sets,
// in increasing order.
func subsets(n, size int) func(func(uint64) bool) {
	return func(yield func(uint64) bool) {
		if size > n {
			return
		}
		if size == 0 {
			yield(0)
			return
		}
		set := uint64(1)<<size - 1
		for set < 1<<n {
			if !yield(set) {
				return
			}
			// Gosper's hack: the next larger set with as many members.
			low := set & -set
			ripple := set + low
			set = ripple | ((set^ripple)>>2)/low
		}
	}
}

// members lists the datacenters of observed that set holds, in order.
func members(observed []int, set uint64) []int {
	out := make([]int, 0, bits.OnesCount64(set))
	for i, dc := range observed {
		if set&(1<<i) != 0 {
			out = append(out, dc)
		}
	}
	return out
}

// answerFindings returns the forbidden datacenters population p can reach
// through plane route pr (route ri's route for via), a failover or dns
// route, each with its witness, located at the target or record that
// answers with it.
func answerFindings(s *scenarios.Scenario, p *scenarios.Population, plane, via scenarios.Plane, ri int, pr *scenarios.PlaneRoute, allowed []string) []Finding {
	index := s.DatacenterIndex()
	var reached []Reached
	var at func(Reached) string
	if f := pr.Failover; f != nil {
		targets := make([]int, len(f.Targets))
		for i, id := range f.Targets {
			targets[i] = index(id)
		}
		reached = FailoverReach(targets)
		at = func(r Reached) string {
			return scenarios.Index(scenarios.Join(scenarios.PlaneRoutePath(ri, via), "failover.targets"), r.Target)
		}
	} else {
		plan, checks := s.AnswerPlan(p, pr.DNS)
		reached, _ = DNSReach(plan, checkDatacenters(checks, index))
		at = func(r Reached) string { return RecordPath(ri, via, r.Group, r.Record) }
	}
	var out []Finding
	for _, r := range reached {
		d := &s.Datacenters[r.Datacenter]
		if _, ok := slices.BinarySearch(allowed, string(d.Jurisdiction)); ok {
			continue
		}
		f := Finding{Population: string(p.ID), Plane: plane, Via: via, Datacenter: string(d.ID), Jurisdiction: string(d.Jurisdiction), Witness: []string{}, Path: at(r)}
		for _, u := range r.Unhealthy {
			f.Witness = append(f.Witness, string(s.Datacenters[u].ID))
		}
		out = append(out, f)
	}
	return out
}

// checkDatacenters is the datacenter (index) each check observes.
func checkDatacenters(checks []scenarios.Check, index func(scenarios.ID) int) []int {
	out := make([]int, len(checks))
	for i, c := range checks {
		out[i] = index(c.Datacenter)
	}
	return out
}

// RecordPath is the path of record r of group g of route ri's dns route
// for plane.
func RecordPath(ri int, plane scenarios.Plane, g, r int) string {
	group := scenarios.Index(scenarios.Join(scenarios.PlaneRoutePath(ri, plane), "dns.groups"), g)
	return scenarios.Index(scenarios.Join(group, "records"), r)
}

// Unanswered returns the smallest set of datacenters that must be
// unhealthy for population p's queries to dns route d to get no answer at
// all, and false when they always get one.
func Unanswered(s *scenarios.Scenario, p *scenarios.Population, d *scenarios.DNSRoute) ([]string, bool) {
	plan, checks := s.AnswerPlan(p, d)
	_, none := DNSReach(plan, checkDatacenters(checks, s.DatacenterIndex()))
	if none == nil {
		return nil, false
	}
	out := make([]string, len(none))
	for i, dc := range none {
		out[i] = string(s.Datacenters[dc].ID)
	}
	return out, true
}

// AnswerSplit is the exact distribution of population p's answers from
// plane route pr (failover or dns) when the datacenters in unhealthy
// (indices) are full or down, as `geofence routes` shows it: each
// datacenter's share, and the share with no answer.
func AnswerSplit(s *scenarios.Scenario, p *scenarios.Population, pr *scenarios.PlaneRoute, unhealthy map[int]bool) answer.Dist {
	index := s.DatacenterIndex()
	status := func(c scenarios.Check) answer.Status {
		if unhealthy[index(c.Datacenter)] {
			return answer.Critical
		}
		return answer.Passing
	}
	var d answer.Dist
	if f := pr.Failover; f != nil {
		checks := f.Checks()
		st := make([]answer.Status, len(checks))
		for i, c := range checks {
			st[i] = status(c)
		}
		if k := answer.First(st, f.OnlyPassing, f.EffectiveWhenNoneHealthy() == "first"); k == answer.None {
			d.None = 1
		} else {
			d.Shares = []answer.Share{{Datacenter: index(f.Targets[k]), P: 1}}
		}
		return d
	}
	plan, checks := s.AnswerPlan(p, pr.DNS)
	st := make([]answer.Status, len(checks))
	for i, c := range checks {
		st[i] = status(c)
	}
	plan.Answer(st, &d)
	return d
}
