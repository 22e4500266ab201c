package sim

import (
	"math"
	"math/rand/v2"
	"testing"
)

// normal draws what math/rand/v2's NormFloat64 draws from the same PCG,
// bit for bit: the same algorithm, and tables built as Go's were. 10^7
// draws reach the tail (about 1 in 3600) and the wedges (about 1 in 100)
// thousands of times each.
func TestNormalIsGos(t *testing.T) {
	s := newStream(1, 0, keyOf("p"), 1)
	pcg := s.pcg
	r := rand.New(&pcg)
	var tail int
	for n := range 10_000_000 {
		got, want := s.normal(), r.NormFloat64()
		if math.Float64bits(got) != math.Float64bits(want) {
			t.Fatalf("draw %d: %v, Go's NormFloat64 %v", n, got, want)
		}
		if math.Abs(got) > zigNormalR {
			tail++
		}
	}
	if tail < 1000 {
		t.Errorf("only %d draws in the tail", tail)
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

// The ziggurat's tables are Go's: in every strip, Go's NormFloat64 returns
// at once (one draw) for the largest point below the strip's bound k and
// not for the point at it (strip 1, whose bound is 0, never returns at
// once), and returns the point's position j·w.
func TestZigguratTablesAreGos(t *testing.T) {
	for i := range uint64(128) {
		k := zigN.k[i]
		for _, j := range []uint32{max(k, 1) - 1, k} {
			// After the probe, 0 for the uniform a slow path draws, then
			// a point that returns at once should it reject.
			src := &scripted{values: []uint64{i<<32 | uint64(j), 0, 2 << 32}}
			x := rand.New(src).NormFloat64()
			fast := j < k
			if (src.calls == 1) != fast {
				t.Errorf("strip %d, point %#x: Go's NormFloat64 took %d draws; the bound is %#x", i, j, src.calls, k)
			}
			if want := float64(int32(j)) * float64(zigN.w[i]); fast && x != want {
				t.Errorf("strip %d: Go's NormFloat64 gives %v for point %#x, %v here", i, x, j, want)
			}
		}
	}
}
