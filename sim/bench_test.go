package sim

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

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

// warmUp runs e for eight turns of its queue's ring: long enough for the
// joins' holdings, the free lists and every ring bucket to reach the size the
// load needs, after which the loop allocates nothing. (Each bucket grows
// the first times it holds more events than ever before; such records
// become rare after a few turns.)
func warmUp(e *engine) {
	for e.q.cur < 8*ringBuckets && e.q.len() > 0 {
		e.step()
	}
}

// benchmarkEvents measures the event loop alone: b.N events, after
// warmUp.
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
	for range b.N {
		if e.q.len() == 0 || e.q.peek().t >= m.Horizon {
			b.StopTimer()
			e = fresh()
			b.StartTimer()
		}
		e.step()
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "events/s")
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
// after warmUp, 10^5 events make no allocation at all. (The count is the
// runtime's own, not testing.AllocsPerRun's average, which rounds down.)
func TestEventLoopAllocatesNothing(t *testing.T) {
	for _, s := range []*scenarios.Scenario{erlangBench(), pendingBench()} {
		m, err := Compile(s)
		if err != nil {
			t.Fatal(err)
		}
		e := newEngine(context.Background(), m, 1, 0)
		warmUp(e)
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		for range 100_000 {
			e.step()
		}
		runtime.ReadMemStats(&after)
		if n := after.Mallocs - before.Mallocs; n != 0 {
			t.Errorf("%d allocations in 10^5 events, %d in the queue", n, e.q.len())
		}
	}
}

// Memory follows the calls in progress, not the calls made: after 10^6
// arrivals at a datacenter of 100 slots, the joins' holdings and the event
// queue hold about a hundred entries, and a handful of walks.
func TestMemoryFollowsConcurrency(t *testing.T) {
	m, err := Compile(erlangBench())
	if err != nil {
		t.Fatal(err)
	}
	e := newEngine(context.Background(), m, 1, 0)
	if err := e.run(); err != nil {
		t.Fatal(err)
	}
	if offered := e.out.Populations[0].Offered; offered < 900_000 {
		t.Fatalf("only %d joins offered", offered)
	}
	// 100 held slots, plus joins still being refused at the instant of
	// their arrival; the queue holds their departures and one arrival.
	if n := len(e.holds); n > 110 {
		t.Errorf("joins' holdings grew to %d entries", n)
	}
	if n := len(e.walks); n > 10 {
		t.Errorf("walks grew to %d entries; joins are set up the instant they arrive", n)
	}
	if n := e.q.len(); n > 110 {
		t.Errorf("event queue holds %d events", n)
	}
}

// BenchmarkScale runs whole replications of the default built-in (one
// measured day after two hours of warm-up) at 10, 100 and 1000 times its
// size, the last being the real April 2020 day: 316M joins and about 14M
// calls in progress at the peak. It reports the time per event and per
// join offered, the peak number of joins in progress, and the live heap
// of the finished replication per join in progress at the peak: the
// engine's bytes per concurrent call. The ×1000 run takes minutes; select
// it alone with -bench 'Scale/x1000' -benchtime 1x.
func BenchmarkScale(b *testing.B) {
	for _, k := range []int64{10, 100, 1000} {
		b.Run(fmt.Sprintf("x%d", k), func(b *testing.B) {
			if k == 1000 && !strings.Contains(b.Name(), "x1000") {
				b.Skip()
			}
			m, err := Compile(scaled(b, k))
			if err != nil {
				b.Fatal(err)
			}
			var events, joins int64
			var calls, perCall float64
			b.ReportAllocs()
			for i := range b.N {
				e := newEngine(context.Background(), m, 1, i)
				if err := e.run(); err != nil {
					b.Fatal(err)
				}
				events += e.out.Events
				for _, p := range e.out.Populations {
					joins += p.Offered
				}
				if i == 0 {
					b.StopTimer()
					calls, perCall = liveBytesPerCall(e)
					b.StartTimer()
				}
			}
			ns := float64(b.Elapsed().Nanoseconds())
			b.ReportMetric(ns/float64(events), "ns/event")
			b.ReportMetric(ns/float64(joins), "ns/join")
			b.ReportMetric(calls, "peak-calls")
			b.ReportMetric(perCall, "B/call")
		})
	}
}

// liveBytesPerCall returns the peak number of joins in progress during
// e's run and the live heap, e included, per such join.
func liveBytesPerCall(e *engine) (calls, perCall float64) {
	runtime.GC()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	calls = float64(peakJoins(e))
	runtime.KeepAlive(e)
	return calls, float64(ms.HeapAlloc) / calls
}

// peakJoins is the most joins e had in progress at once.
func peakJoins(e *engine) int { return len(e.holds) }
