package portable

import (
	"encoding/binary"
	"hash/fnv"
	"math"
	"math/rand/v2"
	"testing"
)

// Exp gives math.Exp's bits where math.Exp takes its FMA path: on random
// arguments over the whole range, on the engine's (lognormal holding times
// and growth factors), and on the edges of every branch. Where the CPU
// has no FMA, math.Exp takes its other path and the test cannot compare.
func TestExpIsMathExp(t *testing.T) {
	if !hasFMA() {
		t.Skip("math.Exp takes its path without FMA here")
	}
	r := rand.New(rand.NewPCG(1, 2))
	xs := []float64{0, -0, 1, -1, 0.5, math.Ln2, -math.Ln2, 1e-300, -1e-300, overflow, math.Nextafter(overflow, 0),
		-708, -708.5, -709, -720, -744, -745, -746, -1000, 709, 709.7, 710, math.Inf(1), math.Inf(-1), math.NaN(),
		math.SmallestNonzeroFloat64, math.MaxFloat64, -math.MaxFloat64}
	edges := len(xs)
	for range 2_000_000 {
		xs = append(xs[:edges], r.NormFloat64()*3+7, (r.Float64()*2-1)*750, r.NormFloat64()*1e-3)
		for _, x := range xs {
			got, want := Exp(x), math.Exp(x)
			if math.Float64bits(got) != math.Float64bits(want) && !(math.IsNaN(got) && math.IsNaN(want)) {
				t.Fatalf("Exp(%v) = %v (%#x), math.Exp gives %v (%#x)", x, got, math.Float64bits(got), want, math.Float64bits(want))
			}
		}
	}
}

// hasFMA reports whether math.Exp takes its FMA path here: where it does,
// e^x for this x, whose two paths round apart, has the FMA path's bits.
func hasFMA() bool {
	return math.Float64bits(math.Exp(fmaWitness)) == fmaWitnessBits
}

// e^fmaWitness rounds apart on math.Exp's two amd64 paths; fmaWitnessBits
// are the FMA path's.
const (
	fmaWitness     = 3.2355228157728524
	fmaWitnessBits = 0x40396b6eb6a66e9d
)

// Exp gives the same bits on every machine, FMA or not: a digest of its
// bits over 10^5 arguments, as the engine draws them, is the one an FMA
// machine computes. `GODEBUG=cpu.fma=off go test` runs it without FMA.
func TestExpSameEverywhere(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	h := fnv.New64a()
	var b [8]byte
	for range 100_000 {
		binary.LittleEndian.PutUint64(b[:], math.Float64bits(Exp(r.NormFloat64()*3+7)))
		h.Write(b[:])
	}
	if got := h.Sum64(); got != expDigest {
		t.Errorf("digest %#x, want %#x", got, uint64(expDigest))
	}
}

const expDigest = 0x2d0b7c778213341e
