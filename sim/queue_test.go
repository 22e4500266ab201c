package sim

import (
	"cmp"
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
				delay = rapid.Float64Range(0, 3*ringBuckets*width).Draw(t, "far")
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
