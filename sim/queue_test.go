package sim

import (
	"cmp"
	"math/rand/v2"
	"slices"
	"testing"

	"pgregory.net/rapid"
)

// The calendar queue gives events in (time, sequence) order whatever its
// bucket width: checked against sorting, over random interleavings of
// pushes and pops with ties, far-future events and jumps over empty
// stretches.
func TestQueueOrder(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		width := rapid.Float64Range(1e-3, 1e3).Draw(t, "width")
		q := newQueue(width)
		var pending []event // what the queue should hold
		now := 0.0
		steps := rapid.IntRange(1, 400).Draw(t, "steps")
		for i := range steps {
			if len(pending) > 0 && rapid.Bool().Draw(t, "pop") {
				slices.SortFunc(pending, func(a, b event) int {
					return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.word, b.word))
				})
				want := pending[0]
				pending = pending[1:]
				if got := q.pop(); got != want {
					t.Fatalf("step %d: popped %+v, want %+v", i, got, want)
				}
				now = want.t
				continue
			}
			// Delays: zero (ties), small, or far beyond the ring.
			var delay float64
			switch rapid.IntRange(0, 3).Draw(t, "kind") {
			case 1:
				delay = rapid.Float64Range(0, 10*width).Draw(t, "small")
			case 2:
				// Within the fine ring, the coarse one or beyond both.
				delay = rapid.Float64Range(0, 3*fineSize*width*float64(rapid.SampledFrom([]int{1, levelSize / 8, 2 * levelSize, levelSize * levelSize / 4, 2 * levelSize * levelSize}).Draw(t, "reach"))).Draw(t, "far")
			case 3:
				delay = float64(rapid.IntRange(0, 5).Draw(t, "whole")) * width // on bucket edges
			}
			q.push(now+delay, attempt, int32(i))
			pending = append(pending, event{t: now + delay, word: q.seq<<seqShift | uint64(attempt)<<refBits | uint64(i)})
			if q.len() != len(pending) {
				t.Fatalf("len %d, want %d", q.len(), len(pending))
			}
		}
	})
}

// Enough events to fill many chunks of one coarse bucket and several
// blocks of the chunk pool, pushed and popped in waves and then again
// after a reset, still leave in (time, sequence) order.
func TestQueueChunks(t *testing.T) {
	const width = 1e-3
	q := newQueue(width)
	for round := range 2 {
		r := rand.New(rand.NewPCG(1, uint64(round)))
		var pending []event
		now := 0.0
		for wave := range 4 {
			for i := range 60_000 {
				// Ties, the fine ring, a few level-1 buckets (crowded), the
				// whole level-1 ring, level 2, and beyond both.
				span := [...]float64{0, fineSize, 4 * fineSize, fineSize * levelSize, 3 * fineSize * levelSize, 3 * fineSize * levelSize * levelSize}[i%6]
				t := now + r.Float64()*span*width
				q.push(t, attempt, int32(i))
				pending = append(pending, event{t: t, word: q.seq<<seqShift | uint64(attempt)<<refBits | uint64(i)})
			}
			slices.SortFunc(pending, func(a, b event) int {
				return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.word, b.word))
			})
			// Pop all but a quarter of them, then push the next wave.
			keep := len(pending) / 4
			if wave == 3 {
				keep = 0
			}
			for len(pending) > keep {
				if got := q.pop(); got != pending[0] {
					t.Fatalf("round %d, wave %d: popped %+v, want %+v", round, wave, got, pending[0])
				}
				now = pending[0].t
				pending = pending[1:]
			}
		}
		if q.len() != 0 || len(q.blocks) < 2 {
			t.Fatalf("round %d: %d events left, %d blocks of chunks", round, q.len(), len(q.blocks))
		}
		// The next round reuses the queue and its chunks.
		q.reset(width)
	}
}

// newQueue is an empty queue with buckets of the given width.
func newQueue(width float64) *queue {
	q := &queue{}
	q.reset(width)
	return q
}
