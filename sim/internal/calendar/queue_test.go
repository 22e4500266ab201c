package calendar

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
		var pending []Event // what the queue should hold
		now := 0.0
		steps := rapid.IntRange(1, 400).Draw(t, "steps")
		for i := range steps {
			if len(pending) > 0 && rapid.Bool().Draw(t, "pop") {
				slices.SortFunc(pending, func(a, b Event) int {
					return cmp.Or(cmp.Compare(a.T, b.T), cmp.Compare(a.word, b.word))
				})
				want := pending[0]
				pending = pending[1:]
				if got := q.Pop(); got != want {
					t.Fatalf("step %d: popped %+v, want %+v", i, got, want)
				}
				now = want.T
				continue
			}
			// Delays: zero (ties), small, or far beyond the ring.
			var delay float64
			switch rapid.IntRange(0, 3).Draw(t, "kind") {
			case 1:
				delay = rapid.Float64Range(0, 10*width).Draw(t, "small")
			case 2:
				// Within the fine ring, the coarse one or beyond both.
				delay = rapid.Float64Range(0, 3*FineBuckets*width*float64(rapid.SampledFrom([]int{1, LevelBuckets / 8, 2 * LevelBuckets, LevelBuckets * LevelBuckets / 4, 2 * LevelBuckets * LevelBuckets}).Draw(t, "reach"))).Draw(t, "far")
			case 3:
				delay = float64(rapid.IntRange(0, 5).Draw(t, "whole")) * width // on bucket edges
			}
			q.Push(now+delay, attempt, int32(i), 0)
			pending = append(pending, Event{T: now + delay, word: q.seq<<seqShift | uint64(attempt)<<RefBits | uint64(i)})
			if q.Len() != len(pending) {
				t.Fatalf("len %d, want %d", q.Len(), len(pending))
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
		var pending []Event
		now := 0.0
		for wave := range 4 {
			for i := range 60_000 {
				// Ties, the fine ring, a few level-1 buckets (crowded), the
				// whole level-1 ring, level 2, and beyond both.
				span := [...]float64{0, FineBuckets, 4 * FineBuckets, FineBuckets * LevelBuckets, 3 * FineBuckets * LevelBuckets, 3 * FineBuckets * LevelBuckets * LevelBuckets}[i%6]
				t := now + r.Float64()*span*width
				q.Push(t, attempt, int32(i), 0)
				pending = append(pending, Event{T: t, word: q.seq<<seqShift | uint64(attempt)<<RefBits | uint64(i)})
			}
			slices.SortFunc(pending, func(a, b Event) int {
				return cmp.Or(cmp.Compare(a.T, b.T), cmp.Compare(a.word, b.word))
			})
			// Pop all but a quarter of them, then push the next wave.
			keep := len(pending) / 4
			if wave == 3 {
				keep = 0
			}
			for len(pending) > keep {
				if got := q.Pop(); got != pending[0] {
					t.Fatalf("round %d, wave %d: popped %+v, want %+v", round, wave, got, pending[0])
				}
				now = pending[0].T
				pending = pending[1:]
			}
		}
		if q.Len() != 0 || len(q.blocks) < 2 {
			t.Fatalf("round %d: %d events left, %d blocks of chunks", round, q.Len(), len(q.blocks))
		}
		// The next round reuses the queue and its chunks.
		q.Reset(width)
	}
}

// attempt is a kind of event for the tests.
const attempt Kind = 1

// newQueue is an empty queue with buckets of the given width.
func newQueue(width float64) *Queue {
	q := &Queue{}
	q.Reset(width)
	return q
}

// Crowds of events at a few instants — an outage's rejoins, each a
// connect timeout later at the next datacenter — leave in order, and once
// a crowd has passed its buffers are spares: the same crowds again
// allocate nothing, and the buckets they passed through keep only their
// room.
func TestQueueCrowds(t *testing.T) {
	const width, crowd = 1e-3, 5000
	q := newQueue(width)
	waves := func() {
		now := 0.0
		for wave := range 3 {
			at := now + float64(10+wave)*width
			first := q.Seq() + 1
			for i := range crowd {
				q.Push(at, attempt, int32(i), 0)
			}
			for i := range crowd {
				ev := q.Pop()
				if ev.T != at || ev.Seq() != first+uint64(i) {
					t.Fatalf("wave %d: popped %v #%d, want %v #%d", wave, ev.T, ev.Seq(), at, first+uint64(i))
				}
			}
			now = at
		}
	}
	waves()
	q.Reset(width)
	if allocs := testing.AllocsPerRun(3, func() { waves(); q.Reset(width) }); allocs != 0 {
		t.Errorf("the same crowds again: %v allocations", allocs)
	}
	for i, slot := range q.fine {
		if cap(slot) != BucketRoom {
			t.Fatalf("fine bucket %d kept a buffer of %d events", i, cap(slot))
		}
	}
}
