package sim

import (
	"math"
	"unsafe"
)

// eventKind says what an event does when its time comes.
type eventKind uint8

const (
	arrival   eventKind = iota // ref: population
	attempt                    // ref: walk; it continues
	departure                  // ref: population; held: what it releases
	change                     // ref: timeline change
)

// An event packs its sequence number, kind and reference into one word
// beside its time. The sequence number sits in the high bits: comparing
// words compares sequence numbers, which are unique.
const (
	refBits  = 26
	kindBits = 2
	seqShift = refBits + kindBits
	maxRef   = 1<<refBits - 1
	// rejoinRef marks an arrival as the new join of a client whose call
	// an outage dropped; its held is the rest of the call's holding time.
	rejoinRef      = 1 << (refBits - 1)
	maxPopulations = rejoinRef
	maxSeq         = 1<<(64-seqShift) - 1
)

// event is a value in the queue: no pointers, so that the garbage
// collector never scans the queue. A departure carries its join's
// holdings in held: a call in progress is its departure event and
// nothing else, 24 bytes read once, in time order, when it ends.
type event struct {
	t    float64
	word uint64 // seq<<seqShift | kind<<refBits | ref
	held uint64 // a departure's holdings (see packHeld); 0 otherwise
}

// CallBytes is the memory of a call in progress: its departure event,
// which carries its holdings. The calendar queue's chunks add a link per
// chunkEvents of them; TestBytesPerCall measures the whole.
const CallBytes = int(unsafe.Sizeof(event{}))

func (ev *event) kind() eventKind { return eventKind(ev.word >> refBits & (1<<kindBits - 1)) }
func (ev *event) ref() int32      { return int32(ev.word & maxRef) }
func (ev *event) seq() uint64     { return ev.word >> seqShift }

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

// queue holds the pending events in time order. It is a hierarchical
// calendar, a timing wheel: time is cut into fine buckets of equal width,
// and only the current bucket's events are kept in a heap. The next
// fineSize fine buckets are unsorted slices in a ring. Beyond them, two
// rings of levelSize coarser buckets (a level-1 bucket is fineSize fine
// ones, a level-2 bucket levelSize level-1 ones) hold their events in
// lists of fixed-size chunks; events beyond those too wait in an overflow
// list. An event far ahead is an append. When the current bucket reaches
// the start of a coarser bucket, that bucket's events are spread over the
// level below, so that each event is moved at most once a level, reading
// and writing memory in order; and a pop works on a heap of one fine
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
type queue struct {
	near   heap    // events of fine buckets ≤ cur
	cur    uint64  // the fine bucket whose events are in near
	perSec float64 // fine buckets per second: 1 / their width

	fine   [][]event // fine bucket b in (cur, cur+fineSize) at b%fineSize
	inFine int
	// levels[k-1] holds, for the level-k buckets c in (cur>>shift(k),
	// cur>>shift(k)+levelSize), those events not in a lower level, at
	// c%levelSize; a level-1 bucket is fineSize fine buckets, a level-2
	// one levelSize level-1 buckets.
	levels [2]level
	blocks [][]chunk // the chunk pool, by chunk id / blockChunks
	next   []int32   // by chunk id: the next chunk in its list, or in the free list
	free   int32     // first free chunk, -1 if none

	far     []event
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
// built-in's size. Small fine buckets make small heaps: eventsPerBucket
// is how many events bucketWidth aims to put in one at the peak event
// rate.
const (
	fineBits        = 10
	fineSize        = 1 << fineBits
	levelBits       = 9
	levelSize       = 1 << levelBits
	level2Shift     = fineBits + levelBits // fine buckets to level-2 buckets
	eventsPerBucket = 4
	bucketRoom      = 4 * eventsPerBucket // a Poisson(4) count passes 16 once in 10^6
	chunkEvents     = 128                 // 3 KiB
	blockChunks     = 512                 // 1.5 MiB
)

// chunk is a piece of a coarse bucket's list.
type chunk [chunkEvents]event

// chunkList is a coarse bucket: its chunks from head to tail, the tail
// holding n events; head is -1 when it is empty.
type chunkList struct{ head, tail, n int32 }

// reset empties q for a new replication with fine buckets of width
// seconds, keeping its memory: every chunk goes back to the free list. A
// new fine ring starts as slices of one block, each with room for
// bucketRoom events, so that filling it takes one allocation rather than
// one per bucket and a bucket seldom grows.
func (q *queue) reset(width float64) {
	q.near = q.near[:0]
	q.cur, q.perSec = 0, 1/width
	if q.fine == nil {
		q.fine = make([][]event, fineSize)
		block := make([]event, fineSize*bucketRoom)
		for i := range q.fine {
			q.fine[i] = block[i*bucketRoom : i*bucketRoom : (i+1)*bucketRoom]
		}
		for k := range q.levels {
			q.levels[k].lists = make([]chunkList, levelSize)
		}
	}
	for i := range q.fine {
		q.fine[i] = q.fine[i][:0]
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

func (q *queue) len() int { return q.n }

// bucketOf is the fine bucket of time t: unsigned, so that dividing it by
// the ring size is a shift.
func (q *queue) bucketOf(t float64) uint64 {
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

// push schedules an event; sequence numbers are given in push order. ref
// must be at most maxRef, and a replication may schedule at most maxSeq
// events (about 6.9·10^10); the engine checks both where they can grow.
func (q *queue) push(t float64, kind eventKind, ref int32) {
	q.add(event{t: t, word: uint64(kind)<<refBits | uint64(ref)})
}

// pushDeparture schedules the departure of a call of population pop that
// releases held.
func (q *queue) pushDeparture(t float64, pop int32, held uint64) {
	q.add(event{t: t, word: uint64(departure)<<refBits | uint64(pop), held: held})
}

// pushRejoin schedules the new join of a client of population pop whose
// call was dropped, for the hold seconds left of its call.
func (q *queue) pushRejoin(t float64, pop int32, hold float64) {
	q.add(event{t: t, word: uint64(arrival)<<refBits | uint64(pop) | rejoinRef, held: math.Float64bits(hold)})
}

// eachDeparture calls f with every pending departure, in no particular
// order; f may change its holdings, not its time. An outage reads the calls
// it drops so: outages are rare, and this is a call of f per call in
// progress, not per event.
func (q *queue) eachDeparture(f func(*event)) {
	visit := func(evs []event) {
		for i := range evs {
			if evs[i].kind() == departure {
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

func (q *queue) add(ev event) {
	q.seq++
	if q.seq > maxSeq {
		panic(errTooBig)
	}
	ev.word |= q.seq << seqShift
	q.n++
	q.place(ev)
}

// place files ev under its bucket.
func (q *queue) place(ev event) {
	b := q.bucketOf(ev.t)
	switch {
	case b <= q.cur:
		q.near.push(ev)
	case b < q.cur+fineSize:
		slot := &q.fine[b%fineSize]
		*slot = append(*slot, ev)
		q.inFine++
	case b>>fineBits < q.cur>>fineBits+levelSize:
		q.appendChunk(&q.levels[0], b>>fineBits, ev)
	case b>>level2Shift < q.cur>>level2Shift+levelSize:
		q.appendChunk(&q.levels[1], b>>level2Shift, ev)
	default:
		if len(q.far) == 0 || b < q.farNext {
			q.farNext = b
		}
		q.far = append(q.far, ev)
	}
}

func (q *queue) chunk(c int32) *chunk {
	return &q.blocks[c/blockChunks][c%blockChunks]
}

// appendChunk files ev under bucket c of level lv.
func (q *queue) appendChunk(lv *level, c uint64, ev event) {
	l := &lv.lists[c%levelSize]
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
func (q *queue) newChunk() int32 {
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

// advance moves to the next fine bucket that may hold events, bringing
// its events into the heap. Where a whole level below holds nothing, it
// jumps to the start of the next bucket of the level above.
func (q *queue) advance() {
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
	if q.cur%fineSize == 0 {
		q.enter()
	}
	slot := &q.fine[q.cur%fineSize]
	if len(*slot) == 0 {
		return
	}
	// Event by event: a bucket holds a few, which runtime.memmove, called
	// by append(q.near, *slot...), copies slower than this loop.
	for _, ev := range *slot {
		q.near = append(q.near, ev)
	}
	q.inFine -= len(*slot)
	*slot = (*slot)[:0]
	q.near.heapify()
}

// enter is called when cur has just reached the first fine bucket of a
// level-1 bucket, and maybe of a level-2 one: it spreads their events
// over the levels below, top level first, and gives their chunks back.
// Every half turn of the top ring it also refiles the overflow, which
// keeps every overflow event at least half that ring ahead.
func (q *queue) enter() {
	if top := q.cur >> level2Shift; q.cur%(1<<level2Shift) == 0 {
		if len(q.far) > 0 && top%(levelSize/2) == 0 {
			q.refile()
		}
		q.drain(&q.levels[1], top)
	}
	q.drain(&q.levels[0], q.cur>>fineBits)
}

// drain refiles the events of bucket c of level lv, which belong below it
// now, and frees its chunks.
func (q *queue) drain(lv *level, c uint64) {
	l := &lv.lists[c%levelSize]
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
func (q *queue) refile() {
	far := q.far
	q.far = q.far[:0]
	for _, ev := range far {
		q.place(ev)
	}
}

// bucketWidth picks the queue's fine bucket width for m: about
// eventsPerBucket events a bucket at the model's peak event rate.
func bucketWidth(m *Model) float64 {
	var rate float64
	for i := range m.compiled.pops {
		p := &m.compiled.pops[i]
		rate += p.maxRate(m.Horizon) * p.eventsPerJoin()
	}
	width := eventsPerBucket / rate
	if width <= 0 || math.IsInf(width, 0) || math.IsNaN(width) {
		width = 1
	}
	return width
}

// eventsPerJoin is how many events a join of p makes when it is admitted
// at the first datacenter it tries on every plane: its arrival, its
// departure, and an attempt for each plane after media that it walks.
func (p *population) eventsPerJoin() float64 {
	n := 2.0
	if p.route.planes[Keys].enabled {
		n++
	}
	if p.route.planes[Connector].enabled {
		n += p.dialIn
	}
	return n
}
