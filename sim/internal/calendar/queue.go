// Package calendar is the engine's event queue: a hierarchical calendar
// (a timing wheel) whose events leave in (time, sequence) order exactly as
// from one heap, with no pointers for the garbage collector to scan.
package calendar

import (
	"errors"
	"math"
	"slices"
	"unsafe"
)

// Kind says what an event does when its time comes; its user names the
// kinds, at most 1<<KindBits of them.
type Kind uint8

// An event packs its sequence number, kind and reference into one word
// beside its time. The sequence number sits in the high bits: comparing
// words compares sequence numbers, which are unique.
const (
	RefBits  = 26
	KindBits = 2
	seqShift = RefBits + KindBits
	MaxRef   = 1<<RefBits - 1
	maxSeq   = 1<<(64-seqShift) - 1
)

// ErrTooMany is the panic of a push past the most events one queue can
// number, about 6.9·10^10.
var ErrTooMany = errors.New("calendar: over 68 billion events scheduled")

// Event is a value in the queue: no pointers, so that the garbage
// collector never scans the queue. Payload is the user's: the engine's
// departures carry their join's holdings there, so that a call in progress
// is its departure event and nothing else, 24 bytes read once, in time
// order, when it ends.
type Event struct {
	T       float64
	word    uint64 // seq<<seqShift | kind<<RefBits | ref
	Payload uint64
}

// EventBytes is the memory of an event.
const EventBytes = int(unsafe.Sizeof(Event{}))

func (ev *Event) Kind() Kind  { return Kind(ev.word >> RefBits & (1<<KindBits - 1)) }
func (ev *Event) Ref() int32  { return int32(ev.word & MaxRef) }
func (ev *Event) Seq() uint64 { return ev.word >> seqShift }

// before orders events by time, then by the order they were scheduled, so
// that simultaneous events resolve the same way on every run.
func (a *Event) before(b *Event) bool {
	return a.T < b.T || (a.T == b.T && a.word < b.word)
}

// arity is the number of children of a heap node: four halve the depth of
// a binary heap and share one cache line (eight measured no faster).
const arity = 4

// heap is a min-heap of events.
type heap []Event

func (h *heap) push(ev Event) {
	*h = append(*h, ev)
	h.up(len(*h) - 1)
}

// pop removes and returns the earliest event. It moves the hole left by
// the root down to a leaf along the smallest children, then lets the last
// event rise from there (Floyd's bottom-up variant): the last event almost
// always belongs near the bottom, so this saves comparing it on the way
// down at every level.
func (h *heap) pop() Event {
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

// Queue holds the pending events in time order. It is a hierarchical
// calendar, a timing wheel: time is cut into fine buckets of equal width,
// and only the current bucket's events are kept in order: a few, sorted,
// or a heap when a crowd gathers at one instant. The next
// FineBuckets fine buckets are unsorted slices in a ring. Beyond them, two
// rings of LevelBuckets coarser buckets (a level-1 bucket is FineBuckets fine
// ones, a level-2 bucket LevelBuckets level-1 ones) hold their events in
// lists of fixed-size chunks; events beyond those too wait in an overflow
// list. An event far ahead is an append. When the current bucket reaches
// the start of a coarser bucket, that bucket's events are spread over the
// level below, so that each event is moved at most once a level, reading
// and writing memory in order; and a pop takes the first of one fine
// bucket's events.
//
// The rings are small so that what is being written stays in cache
// however many calls are in progress: the fine ring, and the tails of the
// few coarse buckets that departures go to. (At the built-in's real
// size, 14M calls in progress, a replication took 177 s with rings of
// 4096 buckets at every level and 157 s with these, the difference being
// writes to the tails of lists no longer in cache.) The coarser levels
// hold most calls in progress:
// their chunks come from one pool, so that memory follows the events
// pending, not the most that each bucket ever held. The bucket width
// changes how fast the queue is, never the order it gives: events leave
// by (time, sequence) exactly as from one heap.
type Queue struct {
	// near holds the events of fine buckets ≤ cur: while stacked, sorted
	// latest first, so that a pop takes the last; past maxStacked of them,
	// a heap.
	near    heap
	stacked bool
	cur     uint64  // the fine bucket whose events are in near
	perSec  float64 // fine buckets per second: 1 / their width

	fine   [][]Event // fine bucket b in (cur, cur+FineBuckets) at b%FineBuckets
	inFine int
	block  []Event // the fine buckets' room: BucketRoom events each
	// spares are the buffers of fine buckets that outgrew their room,
	// emptied: a crowd of events at one instant (an outage's rejoins)
	// takes one from here rather than allocating, and memory follows the
	// largest crowd, not every bucket a crowd passed through.
	spares [][]Event
	// levels[k-1] holds, for the level-k buckets c in (cur>>shift(k),
	// cur>>shift(k)+LevelBuckets), those events not in a lower level, at
	// c%LevelBuckets; a level-1 bucket is FineBuckets fine buckets, a level-2
	// one LevelBuckets level-1 buckets.
	levels [2]level
	blocks [][]chunk // the chunk pool, by chunk id / blockChunks
	next   []int32   // by chunk id: the next chunk in its list, or in the free list
	free   int32     // first free chunk, -1 if none

	far     []Event
	farNext uint64 // smallest fine bucket in far, if far is not empty

	n   int
	seq uint64
}

// level is a ring of coarse buckets and the number of events in them.
type level struct {
	lists []chunkList
	n     int
}

// The calendar's sizes, measured best at ten to a thousand times the
// built-in's size. Small fine buckets are quick to sort: EventsPerBucket
// is how many events Width aims to put in one at the peak event
// rate.
const (
	fineBits        = 10
	FineBuckets     = 1 << fineBits
	levelBits       = 9
	LevelBuckets    = 1 << levelBits
	level2Shift     = fineBits + levelBits // fine buckets to level-2 buckets
	EventsPerBucket = 4
	BucketRoom      = 4 * EventsPerBucket // a Poisson(4) count passes 16 once in 10^6
	chunkEvents     = 128                 // 3 KiB
	blockChunks     = 512                 // 1.5 MiB
)

// BlockBytes is the memory of a block of chunks: the pool grows by one when
// events wait beyond the fine ring and every chunk is taken.
const BlockBytes = blockChunks * int(unsafe.Sizeof(chunk{}))

// ChunkListBytes is the memory of a coarse bucket's list, LevelBuckets of
// them in each of the two coarse rings.
const ChunkListBytes = int(unsafe.Sizeof(chunkList{}))

// Width is the fine bucket width for events at rate a second at most:
// about EventsPerBucket to a bucket.
func Width(rate float64) float64 {
	width := EventsPerBucket / rate
	if width <= 0 || math.IsInf(width, 0) || math.IsNaN(width) {
		width = 1
	}
	return width
}

// Stats is what a test looks at to see that memory follows the events
// pending: the blocks of chunks allocated, the chunks not free, and the
// events filed in chunks.
func (q *Queue) Stats() (blocks, chunksUsed, eventsInChunks int) {
	free := 0
	for c := q.free; c >= 0; c = q.next[c] {
		free++
	}
	return len(q.blocks), len(q.next) - free, q.levels[0].n + q.levels[1].n
}

// Turns is how many times the fine ring has turned.
func (q *Queue) Turns() uint64 { return q.cur / FineBuckets }

// chunk is a piece of a coarse bucket's list.
type chunk [chunkEvents]Event

// chunkList is a coarse bucket: its chunks from head to tail, the tail
// holding n events; head is -1 when it is empty.
type chunkList struct{ head, tail, n int32 }

// Reset empties q for a new replication with fine buckets of width
// seconds, keeping its memory: every chunk goes back to the free list. A
// new fine ring starts as slices of one block, each with room for
// BucketRoom events, so that filling it takes one allocation rather than
// one per bucket and a bucket seldom grows.
func (q *Queue) Reset(width float64) {
	q.near, q.stacked = q.near[:0], true
	q.cur, q.perSec = 0, 1/width
	if q.fine == nil {
		q.fine = make([][]Event, FineBuckets)
		q.block = make([]Event, FineBuckets*BucketRoom)
		for i := range q.fine {
			q.fine[i] = q.room(i)
		}
		for k := range q.levels {
			q.levels[k].lists = make([]chunkList, LevelBuckets)
		}
	}
	for i := range q.fine {
		q.empty(i)
	}
	q.inFine = 0
	for k := range q.levels {
		for i := range q.levels[k].lists {
			q.levels[k].lists[i] = chunkList{head: -1}
		}
		q.levels[k].n = 0
	}
	q.free = -1
	for c := len(q.next) - 1; c >= 0; c-- {
		q.next[c], q.free = q.free, int32(c)
	}
	q.far = q.far[:0]
	q.n, q.seq = 0, 0
}

// Len is the number of events pending.
func (q *Queue) Len() int { return q.n }

// Seq is the sequence number of the last event pushed: every event pushed
// before it has one at most this, every event pushed after a greater one.
func (q *Queue) Seq() uint64 { return q.seq }

// bucketOf is the fine bucket of time t: unsigned, so that dividing it by
// the ring size is a shift.
func (q *Queue) bucketOf(t float64) uint64 {
	// A product rather than a quotient, for speed: the order events
	// leave in depends only on the bucket being monotone in t.
	b := t * q.perSec
	switch {
	case b >= 1<<62:
		return 1 << 62
	case !(b > 0):
		return 0
	}
	return uint64(b)
}

// Push schedules an event of kind and ref (at most MaxRef) at time t,
// carrying payload; sequence numbers are given in push order. A queue
// numbers at most about 6.9·10^10 events: past that, Push panics with
// ErrTooMany.
func (q *Queue) Push(t float64, kind Kind, ref int32, payload uint64) {
	q.add(Event{T: t, word: uint64(kind)<<RefBits | uint64(ref), Payload: payload})
}

// Each calls f with every pending event of kind, in no particular order;
// f may change its payload, not its time. It is a pass over everything
// pending, for what is rare (the engine's outages), never per event.
func (q *Queue) Each(kind Kind, f func(*Event)) {
	visit := func(evs []Event) {
		for i := range evs {
			if evs[i].Kind() == kind {
				f(&evs[i])
			}
		}
	}
	visit(q.near)
	for _, slot := range q.fine {
		visit(slot)
	}
	for k := range q.levels {
		for _, l := range q.levels[k].lists {
			for c := l.head; c >= 0; c = q.next[c] {
				n := int32(chunkEvents)
				if c == l.tail {
					n = l.n
				}
				visit(q.chunk(c)[:n])
			}
		}
	}
	visit(q.far)
}

func (q *Queue) add(ev Event) {
	q.seq++
	if q.seq > maxSeq {
		panic(ErrTooMany)
	}
	ev.word |= q.seq << seqShift
	q.n++
	q.place(ev)
}

// place files ev under its bucket.
func (q *Queue) place(ev Event) {
	b := q.bucketOf(ev.T)
	switch {
	case b <= q.cur:
		q.nearby(ev)
	case b < q.cur+FineBuckets:
		slot := &q.fine[b%FineBuckets]
		if len(*slot) == cap(*slot) {
			q.grow(slot)
		}
		*slot = append(*slot, ev)
		q.inFine++
	case b>>fineBits < q.cur>>fineBits+LevelBuckets:
		q.appendChunk(&q.levels[0], b>>fineBits, ev)
	case b>>level2Shift < q.cur>>level2Shift+LevelBuckets:
		q.appendChunk(&q.levels[1], b>>level2Shift, ev)
	default:
		if len(q.far) == 0 || b < q.farNext {
			q.farNext = b
		}
		q.far = append(q.far, ev)
	}
}

func (q *Queue) chunk(c int32) *chunk {
	return &q.blocks[c/blockChunks][c%blockChunks]
}

// appendChunk files ev under bucket c of level lv.
func (q *Queue) appendChunk(lv *level, c uint64, ev Event) {
	l := &lv.lists[c%LevelBuckets]
	if l.head < 0 || l.n == chunkEvents {
		c := q.newChunk()
		if l.head < 0 {
			l.head = c
		} else {
			q.next[l.tail] = c
		}
		l.tail, l.n = c, 0
	}
	q.chunk(l.tail)[l.n] = ev
	l.n++
	lv.n++
}

// newChunk takes a chunk from the free list, growing the pool by a block
// when it is empty.
func (q *Queue) newChunk() int32 {
	if q.free < 0 {
		first := int32(len(q.next))
		q.blocks = append(q.blocks, make([]chunk, blockChunks))
		for c := first + 1; c <= first+blockChunks; c++ {
			q.next = append(q.next, c)
		}
		q.next[len(q.next)-1] = -1
		q.free = first
	}
	c := q.free
	q.free = q.next[c]
	q.next[c] = -1
	return c
}

// Peek returns the earliest event without removing it; the queue must not
// be empty.
func (q *Queue) Peek() *Event {
	for len(q.near) == 0 {
		q.advance()
	}
	if q.stacked {
		return &q.near[len(q.near)-1]
	}
	return &q.near[0]
}

// pop removes and returns the earliest event; the queue must not be empty.
func (q *Queue) Pop() Event {
	q.Peek()
	q.n--
	if n := len(q.near) - 1; q.stacked {
		ev := q.near[n]
		q.near = q.near[:n]
		return ev
	}
	return q.near.pop()
}

// advance moves to the next fine bucket that may hold events, bringing
// its events into near, which is empty. Where a whole level below holds
// nothing, it jumps to the start of the next bucket of the level above.
func (q *Queue) advance() {
	q.stacked = true // near is empty
	switch {
	case q.inFine > 0:
		q.cur++
	case q.levels[0].n > 0:
		q.cur = (q.cur>>fineBits + 1) << fineBits
	case q.levels[1].n > 0:
		q.cur = (q.cur>>level2Shift + 1) << level2Shift
	default:
		// Nothing but overflow: jump to the top bucket of its first.
		q.cur = q.farNext >> level2Shift << level2Shift
		q.refile()
	}
	if q.cur%FineBuckets == 0 {
		q.enter()
	}
	slot := &q.fine[q.cur%FineBuckets]
	if len(*slot) == 0 {
		return
	}
	q.inFine -= len(*slot)
	if q.stacked && len(q.near)+len(*slot) > maxStacked {
		q.unstack()
	}
	if q.stacked {
		for _, ev := range *slot {
			q.stack(ev)
		}
	} else {
		q.near = append(q.near, *slot...)
		q.near.heapify()
	}
	q.empty(int(q.cur % FineBuckets))
}

// maxStacked is the most events near keeps sorted: a bucket holds about
// EventsPerBucket, which an insertion sorts with a few comparisons and
// a pop then takes with none: measured against a heap, 13% less CPU a
// join at ten times the built-in's size, the same at real size.
// Past it, each insertion would move too many: near becomes a heap.
const maxStacked = 32

// nearby files ev, of a fine bucket ≤ cur, in near.
func (q *Queue) nearby(ev Event) {
	if q.stacked && len(q.near) >= maxStacked {
		q.unstack()
	}
	if q.stacked {
		q.stack(ev)
	} else {
		q.near.push(ev)
	}
}

// stack inserts ev into near, which is sorted latest first.
func (q *Queue) stack(ev Event) {
	q.near = append(q.near, ev)
	s := q.near
	i := len(s) - 1
	for i > 0 && s[i-1].before(&ev) {
		s[i] = s[i-1]
		i--
	}
	s[i] = ev
}

// unstack turns near, sorted latest first, into a heap: reversed, a
// sorted slice is one.
func (q *Queue) unstack() {
	slices.Reverse(q.near)
	q.stacked = false
}

// room is fine bucket i's room in the block.
func (q *Queue) room(i int) []Event {
	return q.block[i*BucketRoom : i*BucketRoom : (i+1)*BucketRoom]
}

// empty empties fine bucket i, giving the buffer it grew into, if any, to
// the spares.
func (q *Queue) empty(i int) {
	if s := q.fine[i]; cap(s) > BucketRoom {
		q.spares = append(q.spares, s[:0])
		q.fine[i] = q.room(i)
		return
	}
	q.fine[i] = q.fine[i][:0]
}

// grow moves a full fine bucket into a larger buffer: the smallest spare
// with room for more, or a new one twice its size. The buffer it leaves,
// unless it is its room in the block, becomes a spare.
func (q *Queue) grow(slot *[]Event) {
	n := len(*slot)
	best := -1
	for i, s := range q.spares {
		if cap(s) > n && (best < 0 || cap(s) < cap(q.spares[best])) {
			best = i
		}
	}
	var buf []Event
	if best < 0 {
		buf = make([]Event, 0, 2*n)
	} else {
		last := len(q.spares) - 1
		buf, q.spares[best] = q.spares[best], q.spares[last]
		q.spares = q.spares[:last]
	}
	if cap(*slot) > BucketRoom {
		q.spares = append(q.spares, (*slot)[:0])
	}
	*slot = append(buf, *slot...)
}

// enter is called when cur has just reached the first fine bucket of a
// level-1 bucket, and maybe of a level-2 one: it spreads their events
// over the levels below, top level first, and gives their chunks back.
// Every half turn of the top ring it also refiles the overflow, which
// keeps every overflow event at least half that ring ahead.
func (q *Queue) enter() {
	if top := q.cur >> level2Shift; q.cur%(1<<level2Shift) == 0 {
		if len(q.far) > 0 && top%(LevelBuckets/2) == 0 {
			q.refile()
		}
		q.drain(&q.levels[1], top)
	}
	q.drain(&q.levels[0], q.cur>>fineBits)
}

// drain refiles the events of bucket c of level lv, which belong below it
// now, and frees its chunks.
func (q *Queue) drain(lv *level, c uint64) {
	l := &lv.lists[c%LevelBuckets]
	if l.head < 0 {
		return
	}
	for c := l.head; c >= 0; c = q.next[c] {
		n := int32(chunkEvents)
		if c == l.tail {
			n = l.n
		}
		for i := range n {
			q.place(q.chunk(c)[i])
		}
		lv.n -= int(n)
	}
	q.next[l.tail] = q.free
	q.free = l.head
	*l = chunkList{head: -1}
}

// refile moves the overflow events that now fall within the calendar into
// it.
func (q *Queue) refile() {
	far := q.far
	q.far = q.far[:0]
	for _, ev := range far {
		q.place(ev)
	}
}
