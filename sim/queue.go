package sim

// eventKind says what an event does when its time comes.
type eventKind uint8

const (
	arrival   eventKind = iota // ref: population
	attempt                    // ref: join; its walk continues
	departure                  // ref: join; it releases its slots
	change                     // ref: timeline change
)

// An event packs its sequence number, kind and reference into one word
// beside its time, so that it takes 16 bytes and four siblings of the heap
// share a cache line. The sequence number sits in the high bits: comparing
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

// queue is a min-heap of events.
type queue struct {
	ev  []event
	seq uint64
}

func (q *queue) len() int { return len(q.ev) }

// push schedules an event; sequence numbers are given in push order. ref
// must be at most maxRef, and a replication may schedule at most maxSeq
// events (about 6.9·10^10); the engine checks both where they can grow.
func (q *queue) push(t float64, kind eventKind, ref int32) {
	q.seq++
	if q.seq > maxSeq {
		panic(errTooBig)
	}
	q.ev = append(q.ev, event{t: t, word: q.seq<<seqShift | uint64(kind)<<refBits | uint64(ref)})
	q.up(len(q.ev) - 1)
}

// pop removes and returns the earliest event. It moves the hole left by
// the root down to a leaf along the smallest children, then lets the last
// event rise from there (Floyd's bottom-up variant): the last event almost
// always belongs near the bottom, so this saves comparing it on the way
// down at every level.
func (q *queue) pop() event {
	ev := q.ev
	top := ev[0]
	n := len(ev) - 1
	x := ev[n]
	ev = ev[:n]
	q.ev = ev
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
	q.up(i)
	return top
}

func (q *queue) up(i int) {
	ev := q.ev
	x := ev[i]
	for i > 0 {
		p := (i - 1) / arity
		if !x.before(&ev[p]) {
			break
		}
		ev[i] = ev[p]
		i = p
	}
	ev[i] = x
}
