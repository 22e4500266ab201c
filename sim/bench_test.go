package sim

import (
	"context"
	"runtime"
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
