package fence

import (
	"math/bits"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// genRoute draws a route over datacenters 0..n-1: primaries and whitelist
// are random ordered subsets, the nearest order a random permutation of the
// whitelist.
func genRoute(t *rapid.T, n int) *Route {
	perm := rapid.Permutation(indices(n)).Draw(t, "perm")
	np := rapid.IntRange(0, n).Draw(t, "primaries")
	r := &Route{Primaries: perm[:np]}
	wperm := rapid.Permutation(indices(n)).Draw(t, "wperm")
	nw := rapid.IntRange(0, n).Draw(t, "whitelist")
	r.Whitelist = wperm[:nw]
	r.Picks = rapid.IntRange(1, 4).Draw(t, "picks")
	r.Nearest = rapid.Bool().Draw(t, "nearest")
	r.NearestOrder = rapid.Permutation(slices.Clone(r.Whitelist)).Draw(t, "nearestOrder")
	return r
}

func indices(n int) []int {
	out := make([]int, n)
	for i := range out {
		out[i] = i
	}
	return out
}

// bruteForce tries every set of unavailable datacenters and returns the
// size of the smallest in which a client lands at dc, or -1.
func bruteForce(r *Route, n, dc int) int {
	best := -1
	for mask := 0; mask < 1<<n; mask++ {
		size := bits.OnesCount(uint(mask))
		if best >= 0 && size >= best {
			continue
		}
		unavailable := map[int]bool{}
		for i := range n {
			if mask&(1<<i) != 0 {
				unavailable[i] = true
			}
		}
		if slices.Contains(Lands(r, unavailable), dc) {
			best = size
		}
	}
	return best
}

// Reach's witnesses are exact: as small as the smallest state, found by
// brute force, in which a client lands there; and a client does land
// there when exactly the witness is unavailable.
func TestWitnessIsMinimal(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 9).Draw(t, "n")
		r := genRoute(t, n)
		dc := rapid.IntRange(0, n-1).Draw(t, "dc")
		want := bruteForce(r, n, dc)
		w, ok := Reach(r, dc)
		if !ok {
			if want >= 0 {
				t.Fatalf("Reach: unreachable; brute force lands with %d unavailable", want)
			}
			return
		}
		if len(w.Unavailable) != want {
			t.Fatalf("witness %v has size %d, brute force %d", w.Unavailable, len(w.Unavailable), want)
		}
		unavailable := map[int]bool{}
		for _, u := range w.Unavailable {
			unavailable[u] = true
		}
		if !slices.Contains(Lands(r, unavailable), dc) {
			t.Fatalf("with witness %v unavailable the client lands at %v, not %d", w.Unavailable, Lands(r, unavailable), dc)
		}
	})
}

// Reach returns the cheapest witness for landing at dc through route r, and
// false when no state of the system lands a client there: reach, for a
// datacenter found by its id, as the tests ask.
func Reach(r *Route, dc int) (Witness, bool) {
	if i := slices.Index(r.Primaries, dc); i >= 0 {
		return r.reach(candidate{dc: dc, primary: i, entry: -1})
	}
	return r.reach(candidate{dc: dc, primary: -1, entry: slices.Index(r.Whitelist, dc)})
}
