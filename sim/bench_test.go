package sim

import (
	"context"
	"flag"
	"fmt"
	"math"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/geofence/geofence/scenarios"
)

// erlangBench is the erlang built-in's system: 100 slots offered 90
// Erlangs, 10^6 arrivals per replication.
func erlangBench() *scenarios.Scenario {
	return lossSystem(90, 100, exponential(100), 1e6/0.9, 1)
}

// pendingBench keeps about 10^5 calls in progress, so 10^5 departures
// wait in the event queue: 1000 joins a second holding 100 s each on
// unlimited capacity.
func pendingBench() *scenarios.Scenario {
	s := lossSystem(1e5, 1, exponential(100), 1e5, 1)
	s.Datacenters[0].Capacity.Media = capacity(int64(scenarios.Unlimited))
	return s
}

// warmUp runs e for eight turns of its queue's fine ring and eight of its
// longest mean holding time: long enough for the calls in progress to reach
// their steady number, and the walks, the chunk pool and every fine bucket
// the size the load needs, after which the loop allocates nothing. (Each
// bucket grows the first times it holds more events than ever before;
// such records become rare after a few turns.)
func warmUp(e *engine) {
	until := 8 * longestHold(e.m)
	for (e.q.Turns() < 8 || e.now < until) && e.q.Len() > 0 {
		e.step()
	}
}

// benchmarkEvents measures the event loop alone: b.N events, after
// warmUp. Besides the wall clock it reports the process's CPU time per
// event, which a busy machine inflates far less.
func benchmarkEvents(b *testing.B, s *scenarios.Scenario) {
	m, err := Compile(s)
	if err != nil {
		b.Fatal(err)
	}
	fresh := func() *engine {
		e := newEngine(context.Background(), m, 1, 0)
		warmUp(e)
		return e
	}
	e := fresh()
	b.ReportAllocs()
	b.ResetTimer()
	start := cpuTime()
	var cpu time.Duration
	for range b.N {
		if e.q.Len() == 0 || e.q.Peek().T >= m.Horizon {
			b.StopTimer()
			cpu += cpuTime() - start
			e = fresh()
			start = cpuTime()
			b.StartTimer()
		}
		e.step()
	}
	cpu += cpuTime() - start
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
	b.ReportMetric(float64(cpu.Nanoseconds())/float64(b.N), "cpu-ns/event")
}

func BenchmarkEventsErlang(b *testing.B)     { benchmarkEvents(b, erlangBench()) }
func BenchmarkEventsPending1e5(b *testing.B) { benchmarkEvents(b, pendingBench()) }

// BenchmarkReplicationErlang runs whole replications of 10^6 arrivals,
// set-up and tallies included.
func BenchmarkReplicationErlang(b *testing.B) {
	m, err := Compile(erlangBench())
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	var events int64
	for i := range b.N {
		r, err := Replicate(context.Background(), m, 1, i)
		if err != nil {
			b.Fatal(err)
		}
		events += r.Events
	}
	b.ReportMetric(float64(events)/b.Elapsed().Seconds(), "events/s")
}

// The event loop must not allocate once the holdings and queue have grown:
// after warmUp, 10^5 events make no allocation at all. The count is the
// runtime's own, not testing.AllocsPerRun's average, which rounds down;
// but it counts the whole process, where the test harness now and then
// allocates too. The engine is deterministic, so an allocation of its own
// recurs in every replay of the same events: the test takes the fewest of
// three replays.
func TestEventLoopAllocatesNothing(t *testing.T) {
	for _, s := range []*scenarios.Scenario{erlangBench(), pendingBench()} {
		m := mustCompile(t, s)
		if n := fewestAllocations(m, 0); n != 0 {
			t.Errorf("%s: %d allocations in 10^5 events", s.Name, n)
		}
	}
}

// fewestAllocations is the fewest heap allocations the process made in
// three replays of 10^5 events of m on one P, each after warmUp and then
// extra more steps. Where a datacenter goes down, each replay is on an
// engine that has run the same replication to its end before, as a
// worker's engine has: the rejoins of an outage's dropped calls are set
// up all at once, growing the walk pool and the heap to that peak once,
// and what remains is allocation per event. The count is the
// whole process's, and the test harness allocates now and then; the
// engine is deterministic, so an allocation of its own shows in every
// replay.
func fewestAllocations(m *Model, extra int) uint64 {
	defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(1))
	fewest := uint64(math.MaxUint64)
	for range 3 {
		e := newEngine(context.Background(), m, 1, 0)
		if m.Outages() {
			if err := e.run(); err != nil {
				panic(err)
			}
			e.reset(context.Background(), m, 1, 0)
		}
		warmUp(e)
		for range extra {
			e.step()
		}
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range 100_000 {
			e.step()
		}
		runtime.ReadMemStats(&after)
		fewest = min(fewest, after.Mallocs-before.Mallocs)
	}
	return fewest
}

// Memory follows the calls in progress, not the calls made: after 10^6
// arrivals at a datacenter of 100 slots, the event queue holds about a
// hundred entries and there are a handful of walks. With exponential
// holding times every departure falls within the fine ring; with
// heavy-tailed ones (lognormal, sd 20 times the mean) some 6000 fall
// beyond it, in chunks that go back to the pool once read: it stays at one
// block, and every chunk not free holds an event.
func TestMemoryFollowsConcurrency(t *testing.T) {
	for _, tc := range []struct {
		name   string
		hold   scenarios.Holding
		blocks int
	}{
		{"exponential", exponential(100), 0},
		{"lognormal", scenarios.Holding{Distribution: "lognormal", Mean: 100, SD: 2000}, 1},
	} {
		m, err := Compile(lossSystem(90, 100, tc.hold, 1e6/0.9, 1))
		if err != nil {
			t.Fatal(err)
		}
		e := newEngine(context.Background(), m, 1, 0)
		if err := e.run(); err != nil {
			t.Fatal(err)
		}
		if offered := e.out.Populations[0].Offered; offered < 900_000 {
			t.Fatalf("%s: only %d joins offered", tc.name, offered)
		}
		// 100 held slots, plus joins still being refused at the instant of
		// their arrival; the queue holds their departures and one arrival.
		blocks, used, filed := e.q.Stats()
		if blocks != tc.blocks {
			t.Errorf("%s: the queue's chunk pool has %d blocks, want %d", tc.name, blocks, tc.blocks)
		}
		if used > filed {
			t.Errorf("%s: %d chunks are not free, holding %d events", tc.name, used, filed)
		}
		if n := len(e.walks); n > 10 {
			t.Errorf("%s: walks grew to %d entries; joins are set up the instant they arrive", tc.name, n)
		}
		if n := e.q.Len(); n > 110 {
			t.Errorf("%s: event queue holds %d events", tc.name, n)
		}
	}
}

// BenchmarkScale runs whole replications of the default built-in (one
// measured day after two hours of warm-up) at 10, 100 and 1000 times its
// size, the last being the real April 2020 day: 316M joins and about 14M
// calls in progress at the peak. It reports the time per event and per
// join offered, the same in CPU time of the process (which a busy machine
// inflates far less than the wall clock), the peak number of calls in
// progress, and the live heap of the finished replication per such call:
// the engine's bytes per concurrent call. The ×1000 run takes minutes;
// it runs only when -bench names it: -bench 'Scale/x1000' -benchtime 1x.
func BenchmarkScale(b *testing.B) {
	for _, k := range []int64{10, 100, 1000} {
		b.Run(fmt.Sprintf("x%d", k), func(b *testing.B) {
			if k == 1000 && !strings.Contains(flag.Lookup("test.bench").Value.String(), "x1000") {
				b.Skip()
			}
			m, err := Compile(scaled(b, k))
			if err != nil {
				b.Fatal(err)
			}
			var events, joins int64
			var calls, perCall float64
			var cpu time.Duration
			b.ReportAllocs()
			for i := range b.N {
				start := cpuTime()
				e := newEngine(context.Background(), m, 1, i)
				if err := e.run(); err != nil {
					b.Fatal(err)
				}
				cpu += cpuTime() - start
				events += e.out.Events
				for _, p := range e.out.Populations {
					joins += p.Offered
				}
				if i == 0 {
					b.StopTimer()
					calls, perCall = liveBytesPerCall(m, e)
					b.StartTimer()
				}
			}
			ns := float64(b.Elapsed().Nanoseconds())
			b.ReportMetric(ns/float64(events), "ns/event")
			b.ReportMetric(ns/float64(joins), "ns/join")
			b.ReportMetric(float64(cpu.Nanoseconds())/float64(joins), "cpu-ns/join")
			b.ReportMetric(calls, "peak-calls")
			b.ReportMetric(perCall, "B/call")
		})
	}
}

// liveBytesPerCall returns the peak number of calls in progress in e's
// run, as the highest mean over a time bucket of the media slots occupied,
// and the live heap, e included, per such call.
func liveBytesPerCall(m *Model, e *engine) (calls, perCall float64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	for b := range m.NumBuckets {
		var busy float64
		for _, d := range e.out.Datacenters {
			busy += d.Planes[Media].BucketBusy[b]
		}
		measured := min(float64(b+1)*m.Bucket, m.Horizon) - max(float64(b)*m.Bucket, m.Warmup)
		if measured > 0 {
			calls = max(calls, busy/measured)
		}
	}
	runtime.KeepAlive(e)
	return calls, float64(ms.HeapAlloc) / calls
}

// A call in progress costs the engine CallBytes of memory and nearly
// nothing more: as 10^6 calls build up (on unlimited capacity), the live
// heap grows by that much per call between the moments 2·10^5 and 8·10^5
// calls are in progress, whatever fixed memory the engine has besides.
func TestBytesPerCall(t *testing.T) {
	s := lossSystem(1e6, 1, exponential(100), 1000, 1)
	s.Datacenters[0].Capacity.Media = capacity(int64(scenarios.Unlimited))
	s.Run.Warmup = 0
	m := mustCompile(t, s)
	e := newEngine(context.Background(), m, 1, 0)
	// heapAt runs e until calls are in progress, and returns the live
	// heap and the calls: the departures in the queue.
	heapAt := func(calls int) (bytes, pending float64) {
		for e.q.Len() < calls {
			e.step()
		}
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		return float64(ms.HeapAlloc), float64(e.q.Len())
	}
	b1, n1 := heapAt(2e5)
	b2, n2 := heapAt(8e5)
	perCall := (b2 - b1) / (n2 - n1)
	t.Logf("%.1f bytes per call in progress (%.0f and %.0f calls: %.0f and %.0f bytes)", perCall, n1, n2, b1, b2)
	if perCall > 1.1*float64(CallBytes) {
		t.Errorf("%.1f bytes per call in progress, want about %d", perCall, CallBytes)
	}
}
