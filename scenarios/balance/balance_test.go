package balance

import (
	"fmt"
	"math"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// levels makes one level of 100 hosts per healthy percentage given, so
// that a level's healthy percentage is its healthy host count.
func levels(healthyPercent ...int) []Level {
	out := make([]Level, len(healthyPercent))
	for i, h := range healthyPercent {
		out[i] = Level{Hosts: 100, Healthy: h}
	}
	return out
}

func compute(ls []Level, f, panic int) Load {
	l := NewLoad(len(ls))
	Compute(&l, ls, f, panic)
	return l
}

// TestPriorityDocExamples reproduces every row of the three tables of
// Envoy's priority.rst (docs/root/intro/arch_overview/upstream/
// load_balancing/priority.rst), 100 hosts a level, factor 140, the
// default panic threshold 50% — as Envoy's code computes them. Where the
// doc's table says otherwise, the code wins and the doc's row is in a
// comment.
func TestPriorityDocExamples(t *testing.T) {
	for _, c := range []struct {
		healthy []int
		want    []int
	}{
		// Table A: P1 100% healthy.
		{[]int{100, 100}, []int{100, 0}},
		{[]int{72, 100}, []int{100, 0}},
		{[]int{71, 100}, []int{99, 1}},
		{[]int{50, 100}, []int{70, 30}},
		{[]int{25, 100}, []int{35, 65}},
		{[]int{0, 100}, []int{0, 100}},
		// Table B: both may be unhealthy.
		{[]int{72, 72}, []int{100, 0}},
		{[]int{71, 71}, []int{99, 1}}, // NTA = min(100, 99+99) = 100
		{[]int{50, 50}, []int{70, 30}},
		{[]int{25, 25}, []int{50, 50}}, // both below 50% with NTA 70: total panic, by host count
		// Table C: three priorities.
		{[]int{100, 100, 100}, []int{100, 0, 0}},
		{[]int{72, 72, 100}, []int{100, 0, 0}},
		{[]int{71, 71, 100}, []int{99, 1, 0}},
		{[]int{50, 50, 100}, []int{70, 30, 0}},
		{[]int{25, 100, 100}, []int{35, 65, 0}},
		{[]int{25, 25, 100}, []int{35, 35, 30}},
		// The doc says 36/36/28, but with the default panic threshold all
		// three levels are below 50% and NTA is 98 < 100: total panic, by
		// host count, 100/3 each and the remainder to P0.
		{[]int{25, 25, 20}, []int{34, 33, 33}},
	} {
		got := compute(levels(c.healthy...), 140, 50)
		if !slices.Equal(got.Healthy, c.want) {
			t.Errorf("healthy %v%%: load %v, want %v", c.healthy, got.Healthy, c.want)
		}
	}
}

// The last row of priority.rst's Table C without panic — as Istio runs
// Envoy whenever a DestinationRule has outlierDetection
// (healthy_panic_threshold = minHealthPercent, 0) — is 37/35/28: health
// 35, 35, 28, NTA 98, loads 3500/98 = 35, 35, 2800/98 = 28, and the
// remainder, 2, all to P0. The doc's 36/36/28 splits the remainder, which
// the code never does.
func TestPriorityRemainderGoesWholeToP0(t *testing.T) {
	got := compute(levels(25, 25, 20), 140, 0)
	if want := []int{37, 35, 28}; !slices.Equal(got.Healthy, want) || got.TotalPanic || slices.Contains(got.Panic, true) {
		t.Errorf("25/25/20 without panic: %+v, want %v and no panic", got, want)
	}
}

// TestPanicDocExamples reproduces panic_threshold.rst's tables (newest
// version), with each level's panic state and the normalised total
// health (NTH) the doc gives, 100 hosts a level.
func TestPanicDocExamples(t *testing.T) {
	for _, c := range []struct {
		healthy []int
		want    []int
		panic   []bool
	}{
		// P1 100% healthy: P0 never in panic, NTH 100.
		{[]int{72, 100}, []int{100, 0}, []bool{false, false}},
		{[]int{71, 100}, []int{99, 1}, []bool{false, false}},
		{[]int{50, 100}, []int{70, 30}, []bool{false, false}},
		{[]int{25, 100}, []int{35, 65}, []bool{false, false}},
		{[]int{0, 100}, []int{0, 100}, []bool{false, false}},
		// Both may be unhealthy.
		{[]int{72, 72}, []int{100, 0}, []bool{false, false}},
		{[]int{71, 71}, []int{99, 1}, []bool{false, false}},
		{[]int{50, 60}, []int{70, 30}, []bool{false, false}}, // an older version of the doc says 50/50
		{[]int{25, 100}, []int{35, 65}, []bool{false, false}},
		{[]int{25, 25}, []int{50, 50}, []bool{true, true}},
		// The doc says 7/93: health 7 and 91 give NTH 98, loads 700/98 = 7
		// and 9100/98 = 92, and the remainder, 1, to P0. P0's 8% then goes
		// to all its hosts, 95% of them unhealthy, since P0 is in panic.
		{[]int{5, 65}, []int{8, 92}, []bool{true, false}},
	} {
		got := compute(levels(c.healthy...), 140, 50)
		if !slices.Equal(got.Healthy, c.want) || !slices.Equal(got.Panic, c.panic) {
			t.Errorf("healthy %v%%: load %v panic %v, want %v %v", c.healthy, got.Healthy, got.Panic, c.want, c.panic)
		}
	}
}

// In total panic each level takes its share of hosts: "if there are 2
// hosts in priority P=0 and 8 hosts in priority P=1, priority P=0 will
// receive 20% of the traffic and priority P=1 will receive 80%"
// (panic_threshold.rst); and with panic disabled and nothing healthy no
// host is chosen at all ("503 - no healthy upstream").
func TestTotalPanic(t *testing.T) {
	got := compute([]Level{{Hosts: 2}, {Hosts: 8}}, 140, 50)
	if !got.TotalPanic || !slices.Equal(got.Healthy, []int{20, 80}) {
		t.Errorf("2 and 8 hosts, none healthy: %+v, want total panic 20/80", got)
	}
	got = compute([]Level{{Hosts: 2}, {Hosts: 8}}, 140, 0)
	if !slices.Equal(got.Healthy, []int{100, 0}) || got.TotalPanic {
		t.Errorf("nothing healthy without panic: %+v, want everything to P0, which has no host to try", got)
	}
	// Total panic with a level that has no hosts: the remainder goes to
	// the first level that has some.
	got = compute([]Level{{Hosts: 0}, {Hosts: 1}, {Hosts: 2}}, 140, 50)
	if !slices.Equal(got.Healthy, []int{0, 34, 66}) {
		t.Errorf("0, 1 and 2 hosts in total panic: %v, want 0/34/66", got.Healthy)
	}
}

// Envoy's own unit tests and code comments, as the research note quotes
// them (load_balancer_impl.cc and load_balancer_impl_base_test.cc).
func TestEnvoyCases(t *testing.T) {
	// The comment in recalculatePerPriorityState: "if there are 3 host
	// sets with 10% / 20% / 10% health and 20% / 10% / 0% degraded they
	// will get 16% / 28% / 14% load to healthy hosts and 28% / 14% / 0%
	// load to degraded hosts ... the first healthy priority is receiving
	// 2% additional load due to rounding." Factor 100 gives those healths;
	// the comment is about the load before panic, which would otherwise
	// take over (every level is below 50%), so panic is disabled here.
	got := compute([]Level{{100, 10, 20}, {100, 20, 10}, {100, 10, 0}}, 100, 0)
	if !slices.Equal(got.Healthy, []int{16, 28, 14}) || !slices.Equal(got.Degraded, []int{28, 14, 0}) {
		t.Errorf("the code comment's example: healthy %v degraded %v, want 16/28/14 and 28/14/0", got.Healthy, got.Degraded)
	}
	// GentleFailoverWithExtraLevels: P0 all 5 degraded, P1 2 healthy and 2
	// degraded of 5, P2 2 healthy of 5: healthy hosts of lower levels are
	// filled before P0's degraded ones.
	got = compute([]Level{{5, 0, 5}, {5, 2, 2}, {5, 2, 0}}, 140, 50)
	if !slices.Equal(got.Healthy, []int{0, 56, 44}) || !slices.Equal(got.Degraded, []int{0, 0, 0}) {
		t.Errorf("GentleFailoverWithExtraLevels: healthy %v degraded %v, want 0/56/44 and 0/0/0", got.Healthy, got.Degraded)
	}
	// The same test: 1 of 5 healthy in each of three levels is total
	// panic, by host count.
	got = compute([]Level{{5, 1, 0}, {5, 1, 0}, {5, 1, 0}}, 140, 50)
	if !slices.Equal(got.Healthy, []int{34, 33, 33}) || !slices.Equal(got.Panic, []bool{true, true, true}) {
		t.Errorf("1 of 5 healthy everywhere: %v panic %v, want 34/33/33 all in panic", got.Healthy, got.Panic)
	}
	// Envoy's WeightedPriorityHealth case (factor 100, weights 3,3 healthy
	// and 2,2 unhealthy, then one healthy host: 60/40) needs
	// weighted_priority_health, which Istio never sets; host counts give
	// 50/50, as Envoy does without it.
	got = compute([]Level{{4, 2, 0}, {1, 1, 0}}, 100, 50)
	if !slices.Equal(got.Healthy, []int{50, 50}) {
		t.Errorf("2 of 4 healthy, then 1 of 1, factor 100: %v, want 50/50", got.Healthy)
	}
}

// TestLocalityWeightDocExample reproduces locality_weight.rst's table:
// locality X of weight 1, Y of weight 2 and fully healthy, factor 1.4, as
// the code computes it (effectiveLocalityWeight, in floating point), and
// rounded to whole percent as the doc shows it. The doc's pseudo-code
// truncates availability to whole percent first, which moves one row: at
// 69% healthy it has 140 × 69/100 = 96 and 96/296 = 32/68, the code
// 1.4 × 0.69 = 0.966 and 0.966/2.966 = 32.57%, 33/67.
func TestLocalityWeightDocExample(t *testing.T) {
	r := &Route{Priorities: [][]Locality{{{Datacenter: 0, Weight: 1, Hosts: 100}, {Datacenter: 1, Weight: 2, Hosts: 100}}}, Overprovisioning: 140, LocalityWeighted: true}
	for _, c := range []struct {
		xHealthy int
		doc      string
		x        float64 // X's exact share
	}{
		{100, "33/67", 1.0 / 3},
		{70, "33/67", 0.98 / 2.98},
		{69, "33/67", 0.966 / 2.966}, // the doc: 32/68
		{50, "26/74", 0.7 / 2.7},
		{25, "15/85", 0.35 / 2.35},
		{0, "0/100", 0},
	} {
		s := r.Split([][]int{{c.xHealthy, 100}})
		if math.Abs(s.Shares[0][0]-c.x) > 1e-12 || math.Abs(s.Shares[0][0]+s.Shares[0][1]-1) > 1e-12 {
			t.Errorf("X %d%% healthy: shares %v, want X %.4f (doc %s)", c.xHealthy, s.Shares[0], c.x, c.doc)
		}
		if shown := fmt.Sprintf("%.0f/%.0f", 100*s.Shares[0][0], 100*s.Shares[0][1]); shown != c.doc {
			t.Errorf("X %d%% healthy: %s in whole percent, want %s", c.xHealthy, shown, c.doc)
		}
	}
}

// TestSplit follows a route's split through priorities and localities:
// the priority load, then each locality's part of its priority's.
func TestSplit(t *testing.T) {
	// P0: two localities, 2 and 1 hosts; P1: one locality of 2 hosts.
	r := &Route{
		Priorities:       [][]Locality{{{0, 2, 2}, {1, 1, 1}}, {{2, 1, 2}}},
		Overprovisioning: 140, PanicThreshold: 0,
	}
	// One of P0's three hosts ejected: health 140 × 2/3 = 93, load 93/7.
	// Not locality weighted, so P0's 93% goes by healthy host weight: the
	// first locality has one healthy host of weight 1 (2/2), the second
	// one of weight 1.
	s := r.Split([][]int{{1, 1}, {2}})
	want := [][]float64{{0.465, 0.465}, {0.07}}
	for p := range want {
		for i := range want[p] {
			if math.Abs(s.Shares[p][i]-want[p][i]) > 1e-12 {
				t.Errorf("shares %v, want %v", s.Shares, want)
			}
		}
	}
	// Locality weighted: effective weights 2 × min(1, 1.4 × 1/2) = 1.4 and 1.
	r.LocalityWeighted = true
	s = r.Split([][]int{{1, 1}, {2}})
	if math.Abs(s.Shares[0][0]-0.93*1.4/2.4) > 1e-12 || math.Abs(s.Shares[0][1]-0.93/2.4) > 1e-12 {
		t.Errorf("locality weighted: %v, want 0.93 × 1.4/2.4 and 0.93 × 1/2.4", s.Shares[0])
	}
	// Everything ejected and panic disabled: no host.
	if s := r.Split([][]int{{0, 0}, {0}}); s.None != 1 {
		t.Errorf("nothing healthy without panic: %+v, want no host for every request", s)
	}
	// One healthy host of 200 in P1 has health 140/200 = 0: with panic
	// disabled Envoy sends everything to P0, where there is none.
	wide := &Route{Priorities: [][]Locality{{{0, 1, 1}}, {{1, 1, 200}}}, Overprovisioning: 140}
	if s := wide.Split([][]int{{0}, {1}}); s.None != 1 {
		t.Errorf("1 of 200 healthy in P1 only: %+v, want no host for every request", s)
	}
	// With panic, everything ejected: total panic by host count (3 and 2
	// of 5 hosts: 60/40), within a level by the localities' whole weight.
	r.PanicThreshold = 50
	s = r.Split([][]int{{0, 0}, {0}})
	if !s.Load.TotalPanic || math.Abs(s.Shares[0][0]-0.4) > 1e-12 || math.Abs(s.Shares[0][1]-0.2) > 1e-12 || math.Abs(s.Shares[1][0]-0.4) > 1e-12 {
		t.Errorf("total panic: %v, want 0.4, 0.2 and 0.4", s.Shares)
	}
}

// Whatever the levels, the load is whole percentages adding up to 100
// (Envoy's choosePriority relies on it); a level after P0 with nothing
// available gets load only in panic (P0 takes everything when nothing is
// available at all).
func TestLoadAddsUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "levels")
		ls := make([]Level, n)
		for p := range ls {
			hosts := rapid.IntRange(0, 20).Draw(t, "hosts")
			healthy := rapid.IntRange(0, hosts).Draw(t, "healthy")
			ls[p] = Level{Hosts: hosts, Healthy: healthy, Degraded: rapid.IntRange(0, hosts-healthy).Draw(t, "degraded")}
		}
		f := rapid.IntRange(1, 1000).Draw(t, "factor")
		panic := rapid.IntRange(0, 100).Draw(t, "panic")
		l := compute(ls, f, panic)
		sum := 0
		for p := range ls {
			if l.Healthy[p] < 0 || l.Degraded[p] < 0 {
				t.Fatalf("negative load %+v", l)
			}
			sum += l.Healthy[p] + l.Degraded[p]
			if ls[p].Healthy+ls[p].Degraded == 0 && !l.Panic[p] && p > 0 && l.Healthy[p]+l.Degraded[p] > 0 {
				t.Fatalf("level %d has nothing available and is not in panic, yet gets load: %+v", p, l)
			}
		}
		if sum != 100 {
			t.Fatalf("loads %+v add up to %d", l, sum)
		}
	})
}

// The shares of a split and the requests that find no host add up to 1,
// and a locality with no healthy host is tried only in panic.
func TestSplitAddsUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		r := &Route{
			Overprovisioning: rapid.IntRange(1, 1000).Draw(t, "factor"),
			PanicThreshold:   rapid.IntRange(0, 100).Draw(t, "panic"),
			LocalityWeighted: rapid.Bool().Draw(t, "weighted"),
		}
		var healthy [][]int
		for range rapid.IntRange(1, 4).Draw(t, "priorities") {
			var ls []Locality
			var hs []int
			for range rapid.IntRange(1, 3).Draw(t, "localities") {
				l := Locality{Weight: float64(rapid.IntRange(1, 10).Draw(t, "weight")), Hosts: rapid.IntRange(1, 10).Draw(t, "hosts")}
				ls = append(ls, l)
				hs = append(hs, rapid.IntRange(0, l.Hosts).Draw(t, "healthy"))
			}
			r.Priorities = append(r.Priorities, ls)
			healthy = append(healthy, hs)
		}
		s := r.Split(healthy)
		sum := s.None
		for p := range s.Shares {
			for i, share := range s.Shares[p] {
				sum += share
				if share > 0 && healthy[p][i] == 0 && !s.Load.Panic[p] {
					t.Fatalf("locality %d of P%d has no healthy host and is not in panic, yet gets %v", i, p, share)
				}
			}
		}
		if math.Abs(sum-1) > 1e-9 {
			t.Fatalf("split %+v adds up to %v", s, sum)
		}
	})
}
