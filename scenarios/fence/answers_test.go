package fence

import (
	"fmt"
	"slices"
	"testing"

	"pgregory.net/rapid"

	"github.com/geofence/geofence/scenarios/answer"
)

// randomTree draws a record tree over datacenters 0..dcs-1: groups of
// every policy, aliases only to later groups (no loop), checks on some
// records observing their datacenter.
func randomTree(t *rapid.T, dcs int) (*answer.Tree, []int) {
	var checkDC []int
	groups := rapid.IntRange(1, 3).Draw(t, "groups")
	tree := &answer.Tree{Groups: make([]answer.Group, groups)}
	areas := []struct{ continent, country string }{{"EU", ""}, {"", "DE"}, {"", "*"}, {"NA", ""}, {"", "FR"}}
	for g := range groups {
		policy := answer.Policy(rapid.IntRange(0, 5).Draw(t, "policy"))
		n := 1
		if policy != answer.Simple {
			n = rapid.IntRange(1, 4).Draw(t, "records")
		}
		if policy == answer.Failover {
			n = min(n, 2)
		}
		if policy == answer.Geolocation {
			n = min(n, len(areas))
		}
		for i := range n {
			r := answer.Record{Datacenter: rapid.IntRange(0, dcs-1).Draw(t, "dc"), Target: -1, Check: -1, TargetCheck: -1}
			r.LatencyTo = r.Datacenter
			if g+1 < groups && policy != answer.Multivalue && rapid.Bool().Draw(t, "alias") {
				r.Target = rapid.IntRange(g+1, groups-1).Draw(t, "target")
				r.EvaluateTargetHealth = rapid.Bool().Draw(t, "eth")
			}
			if rapid.Bool().Draw(t, "checked") {
				r.Check = len(checkDC)
				checkDC = append(checkDC, r.Datacenter)
			}
			if r.Target < 0 && r.EvaluateTargetHealth {
				r.TargetCheck = len(checkDC)
				checkDC = append(checkDC, r.Datacenter)
			}
			r.Secondary = i == 1
			r.Continent, r.Country = areas[i].continent, areas[i].country
			r.Weight = int64(rapid.IntRange(0, 3).Draw(t, "weight"))
			tree.Groups[g].Policy = policy
			tree.Groups[g].Records = append(tree.Groups[g].Records, r)
		}
	}
	return tree, checkDC
}

// Every datacenter answered under any set of unhealthy datacenters that it
// is not in is found, with a witness no larger than that set; every
// witness found does answer it; likewise for no answer at all.
func TestDNSReachAgainstEverySubset(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		const dcs = 5
		tree, checkDC := randomTree(t, dcs)
		plan := tree.Specialize(answer.Client{Country: "DE", RTT: func(dc int) (float64, bool) { return float64(dc), true }})
		reach, unanswered := DNSReach(plan, checkDC)
		answerUnder := func(unhealthy []int) answer.Dist {
			st := make([]answer.Status, len(checkDC))
			for c, dc := range checkDC {
				if slices.Contains(unhealthy, dc) {
					st[c] = answer.Critical
				}
			}
			var d answer.Dist
			plan.Answer(st, &d)
			return d
		}
		for _, r := range reach {
			d := answerUnder(r.Unhealthy)
			if !slices.ContainsFunc(d.Shares, func(s answer.Share) bool { return s.Datacenter == r.Datacenter }) || slices.Contains(r.Unhealthy, r.Datacenter) {
				t.Fatalf("witness %v does not land at %d: %+v", r.Unhealthy, r.Datacenter, d)
			}
		}
		if unanswered != nil && answerUnder(unanswered).None == 0 {
			t.Fatalf("witness %v of no answer gets an answer", unanswered)
		}
		for set := range 1 << dcs {
			var unhealthy []int
			for dc := range dcs {
				if set&(1<<dc) != 0 {
					unhealthy = append(unhealthy, dc)
				}
			}
			// Datacenters no check observes cannot change the answer.
			d := answerUnder(unhealthy)
			for _, s := range d.Shares {
				if slices.Contains(unhealthy, s.Datacenter) {
					continue
				}
				i := slices.IndexFunc(reach, func(r Reached) bool { return r.Datacenter == s.Datacenter })
				if i < 0 || len(reach[i].Unhealthy) > len(relevant(unhealthy, checkDC)) {
					t.Fatalf("datacenter %d is answered with %v unhealthy, but DNSReach found %v", s.Datacenter, unhealthy, reach)
				}
			}
			if d.None > 0 && (unanswered == nil || len(unanswered) > len(relevant(unhealthy, checkDC))) {
				t.Fatalf("no answer with %v unhealthy, but DNSReach's witness is %v", unhealthy, unanswered)
			}
		}
	})
}

// relevant is the members of unhealthy some check observes.
func relevant(unhealthy, checkDC []int) []int {
	var out []int
	for _, dc := range unhealthy {
		if slices.Contains(checkDC, dc) {
			out = append(out, dc)
		}
	}
	return out
}

func TestFailoverReach(t *testing.T) {
	got := fmt.Sprint(FailoverReach([]int{4, 2, 7}))
	want := "[{4 [] 0 -1 -1} {2 [4] 1 -1 -1} {7 [4 2] 2 -1 -1}]"
	if got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestSubsets(t *testing.T) {
	var got []uint64
	for size := range 4 {
		for s := range subsets(3, size) {
			got = append(got, s)
		}
	}
	if fmt.Sprint(got) != "[0 1 2 4 3 5 6 7]" {
		t.Errorf("subsets of 3 by size: %v", got)
	}
}
