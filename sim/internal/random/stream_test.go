package random

import (
	"math"
	"math/rand/v2"
	"testing"
)

// Normal and Exp draw what math/rand/v2's NormFloat64 and ExpFloat64 draw
// from the same PCG, bit for bit: the same algorithms, and tables built as
// Go's were. 10^7 draws reach the tails (about 1 in 3600 for the normal, 1
// in 2200 for the exponential) and the wedges (about 1 in 100) thousands
// of times each.
func TestVariatesAreGos(t *testing.T) {
	for _, c := range []struct {
		name   string
		ours   func(*Stream) float64
		gos    func(*rand.Rand) float64
		inTail func(float64) bool
	}{
		{"NormFloat64", (*Stream).Normal, (*rand.Rand).NormFloat64, func(x float64) bool { return math.Abs(x) > zigNormalR }},
		{"ExpFloat64", (*Stream).Exp, (*rand.Rand).ExpFloat64, func(x float64) bool { return x > zigExpR }},
	} {
		s := New(1, 0, KeyOf("p"), 1)
		pcg := s.pcg
		r := rand.New(&pcg)
		var tail int
		for n := range 10_000_000 {
			got, want := c.ours(&s), c.gos(r)
			if math.Float64bits(got) != math.Float64bits(want) {
				t.Fatalf("draw %d: %v, Go's %s %v", n, got, c.name, want)
			}
			if c.inTail(got) {
				tail++
			}
		}
		if tail < 1000 {
			t.Errorf("%s: only %d draws in the tail", c.name, tail)
		}
	}
}

// scripted is a rand.Source that returns the values it is given and counts
// how many it gave.
type scripted struct {
	values []uint64
	calls  int
}

func (s *scripted) Uint64() uint64 {
	v := s.values[s.calls%len(s.values)]
	s.calls++
	return v
}

// The ziggurat's tables are Go's: in every strip, Go's NormFloat64 and
// ExpFloat64 return at once (one draw) for the largest point below the
// strip's bound k and not for the point at it (strip 1, whose bound is 0,
// never returns at once), and return the point's position j·w.
func TestZigguratTablesAreGos(t *testing.T) {
	type table struct {
		name   string
		k      []uint32
		w      []float32
		signed bool // the point is a signed 32-bit draw
		draw   func(*rand.Rand) float64
	}
	for _, tb := range []table{
		{"NormFloat64", zigN.k[:], zigN.w[:], true, (*rand.Rand).NormFloat64},
		{"ExpFloat64", zigE.k[:], zigE.w[:], false, (*rand.Rand).ExpFloat64},
	} {
		for i, k := range tb.k {
			for _, j := range []uint32{max(k, 1) - 1, k} {
				// After the probe, 0 for the uniform a slow path draws,
				// then a point that returns at once should it reject.
				src := &scripted{values: []uint64{uint64(i)<<32 | uint64(j), 0, 2 << 32}}
				x := tb.draw(rand.New(src))
				fast := j < k
				if (src.calls == 1) != fast {
					t.Errorf("%s, strip %d, point %#x: %d draws; the bound is %#x", tb.name, i, j, src.calls, k)
				}
				want := float64(j) * float64(tb.w[i])
				if tb.signed {
					want = float64(int32(j)) * float64(tb.w[i])
				}
				if fast && x != want {
					t.Errorf("%s, strip %d: %v for point %#x, %v here", tb.name, i, x, j, want)
				}
			}
		}
	}
}
