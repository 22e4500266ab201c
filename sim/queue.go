package sim

import "math"

// eventKind says what an event does when its time comes.
type eventKind uint8

const (
	arrival   eventKind = iota // ref: population
	attempt                    // ref: walk; it continues
	departure                  // ref: join; it releases its holdings
	change                     // ref: timeline change
)

// An event packs its sequence number, kind and reference into one word
// beside its time, so that it takes 16 bytes and four siblings of a heap
// node share a cache line. The sequence number sits in the high bits: comparing
// words compares sequence numbers, which are unique.
const (
	refBits  = 26
	kindBits = 2
	seqShift = refBits + kindBits
	maxRef   = 1<<refBits - 1
	maxSeq   = 1<<(64-seqShift) - 1
)

// event is a value in the queue: no pointers, so the queue is one flat
// slice the garbage collector never scans.
type event struct {
	t    float64
	word uint64 // seq<<seqShift | kind<<refBits | ref
}

func (ev event) kind() eventKind { return eventKind(ev.word >> refBits & (1<<kindBits - 1)) }
func (ev event) ref() int32      { return int32(ev.word & maxRef) }

// before orders events by time, then by the order they were scheduled, so
// that simultaneous events resolve the same way on every run.
func (a *event) before(b *event) bool {
	return a.t < b.t || (a.t == b.t && a.word < b.word)
}

// arity is the number of children of a heap node: four halve the depth of
// a binary heap and share one cache line (eight measured no faster).
const arity = 4

// heap is a min-heap of events.
type heap []event

func (h *heap) push(ev event) {
	*h = append(*h, ev)
	h.up(len(*h) - 1)
}

// pop removes and returns the earliest event. It moves the hole left by
// the root down to a leaf along the smallest children, then lets the last
// event rise from there (Floyd's bottom-up variant): the last event almost
// always belongs near the bottom, so this saves comparing it on the way
// down at every level.
func (h *heap) pop() event {
	ev := *h
	top := ev[0]
	n := len(ev) - 1
	x := ev[n]
	ev = ev[:n]
	*h = ev
	if n == 0 {
		return top
	}
	i := 0
	for {
		c := arity*i + 1
		if c >= n {
			break
		}
		m := c
		end := min(c+arity, n)
		for k := c + 1; k < end; k++ {
			if ev[k].before(&ev[m]) {
				m = k
			}
		}
		ev[i] = ev[m]
		i = m
	}
	ev[i] = x
	h.up(i)
	return top
}

func (h heap) up(i int) {
	x := h[i]
	for i > 0 {
		p := (i - 1) / arity
		if !x.before(&h[p]) {
			break
		}
		h[i] = h[p]
		i = p
	}
	h[i] = x
}

// heapify restores the heap order of h after arbitrary appends.
func (h heap) heapify() {
	for i := 1; i < len(h); i++ {
		h.up(i)
	}
}

// queue holds the pending events in time order. It is a two-level
// calendar: time is cut into buckets of equal width; only the current
// bucket's events are kept in a heap, later buckets are unsorted slices in
// a ring, and events beyond the ring wait in an overflow list. A push far
// ahead is an append; a pop works on a heap of one bucket's events, small
// enough to stay in cache however many calls are in progress. The bucket
// width changes how fast the queue is, never the order it gives: events
// leave by (time, sequence) exactly as from one heap.
type queue struct {
	near    heap    // events of buckets ≤ cur
	cur     int64   // the bucket whose events are in near
	width   float64 // seconds per bucket
	ring    [][]event
	inRing  int
	far     []event
	farNext int64 // smallest bucket in far, if far is not empty
	n       int
	seq     uint64
}

// ringBuckets is the number of buckets ahead of the current one kept in
// the ring; eventsPerBucket is how many events bucketWidth aims to put in
// one at the peak event rate.
const (
	ringBuckets     = 4096
	eventsPerBucket = 32
)

// newQueue makes a queue whose ring buckets start as slices of one block,
// each with room for eventsPerBucket events, so that filling the ring
// takes one allocation rather than one per bucket.
func newQueue(width float64) queue {
	q := queue{width: width, ring: make([][]event, ringBuckets)}
	block := make([]event, ringBuckets*eventsPerBucket)
	for i := range q.ring {
		q.ring[i] = block[i*eventsPerBucket : i*eventsPerBucket : (i+1)*eventsPerBucket]
	}
	return q
}

func (q *queue) len() int { return q.n }

func (q *queue) bucketOf(t float64) int64 {
	b := t / q.width
	if b >= 1<<62 {
		return 1 << 62
	}
	return int64(b)
}

// push schedules an event; sequence numbers are given in push order. ref
// must be at most maxRef, and a replication may schedule at most maxSeq
// events (about 6.9·10^10); the engine checks both where they can grow.
func (q *queue) push(t float64, kind eventKind, ref int32) {
	q.seq++
	if q.seq > maxSeq {
		panic(errTooBig)
	}
	q.n++
	q.place(event{t: t, word: q.seq<<seqShift | uint64(kind)<<refBits | uint64(ref)})
}

// place files ev under its bucket.
func (q *queue) place(ev event) {
	switch b := q.bucketOf(ev.t); {
	case b <= q.cur:
		q.near.push(ev)
	case b < q.cur+ringBuckets:
		slot := &q.ring[b%ringBuckets]
		*slot = append(*slot, ev)
		q.inRing++
	default:
		if len(q.far) == 0 || b < q.farNext {
			q.farNext = b
		}
		q.far = append(q.far, ev)
	}
}

// peek returns the earliest event without removing it; the queue must not
// be empty.
func (q *queue) peek() *event {
	for len(q.near) == 0 {
		q.advance()
	}
	return &q.near[0]
}

// pop removes and returns the earliest event; the queue must not be empty.
func (q *queue) pop() event {
	q.peek()
	q.n--
	return q.near.pop()
}

// advance moves to the next bucket that holds events, bringing its events
// into the heap.
func (q *queue) advance() {
	if q.inRing == 0 && len(q.far) > 0 {
		// Nothing in the ring: jump to the first overflow bucket.
		q.cur = q.farNext - 1
	}
	q.cur++
	// Refiling every half turn of the ring, and on a jump, keeps every
	// overflow event at least half a ring ahead of the current bucket.
	if len(q.far) > 0 && (q.inRing == 0 || q.cur%(ringBuckets/2) == 0) {
		q.refile()
	}
	slot := &q.ring[q.cur%ringBuckets]
	if len(*slot) == 0 {
		return
	}
	q.near = append(q.near, *slot...)
	q.inRing -= len(*slot)
	*slot = (*slot)[:0]
	q.near.heapify()
}

// refile moves the overflow events that now fall within the ring into it.
func (q *queue) refile() {
	far := q.far
	q.far = q.far[:0]
	for _, ev := range far {
		q.place(ev)
	}
}

// bucketWidth picks the queue's bucket width for m: about eventsPerBucket
// events a bucket at the model's peak event rate, and wide enough that the ring
// spans three mean holding times, so that most departures are filed in the
// ring rather than the overflow list.
func bucketWidth(m *Model) float64 {
	var rate, hold float64
	for i := range m.compiled.pops {
		p := &m.compiled.pops[i]
		rate += p.maxRate(m.Horizon)
		hold = max(hold, p.holdMean)
	}
	width := 3 * hold / ringBuckets
	if rate > 0 {
		// Each join is an arrival and a departure at the least.
		width = max(width, eventsPerBucket/(2*rate))
	}
	if width <= 0 || math.IsInf(width, 0) || math.IsNaN(width) {
		width = 1
	}
	return width
}
