package sim

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"unsafe"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
	"github.com/geofence/geofence/sim/internal/calendar"
	"github.com/geofence/geofence/sim/latency"
)

// EstimateCost is within a factor of two of what a replication counts and
// allocates: joins, events, calls in progress at the peak and the memory
// the engine holds, on scenarios from a small loss system to the default
// built-in at ten times its size. (Warm-up is set to zero so that every
// join is counted; it changes no event.)
func TestEstimateCost(t *testing.T) {
	pending := pendingBench()
	pending.Run.Horizon = 2000
	for _, tc := range []struct {
		name string
		s    *scenarios.Scenario
	}{
		{"erlang", lossSystem(90, 100, exponential(100), 1e5, 1)},
		{"pending", pending},
		{"builtin", builtin(t)},
		{"builtin ×10", scaled(t, 10)},
	} {
		tc.s.Run.Warmup = 0
		m, err := Compile(tc.s)
		if err != nil {
			t.Fatal(err)
		}
		est := EstimateCost(m, 1, 1)
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		e := newEngine(context.Background(), m, 1, 0)
		if err := e.run(); err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		runtime.ReadMemStats(&after)
		var joins int64
		for _, p := range e.out.Populations {
			joins += p.Offered
		}
		calls, _ := liveBytesPerCall(m, e)
		runtime.KeepAlive(e)
		for _, f := range []struct {
			what      string
			est, real float64
		}{
			{"joins", est.Joins, float64(joins)},
			{"events", est.Events, float64(e.out.Events)},
			{"peak calls", est.PeakCalls, calls},
			{"engine bytes", est.EngineBytes, float64(after.HeapAlloc) - float64(before.HeapAlloc)},
		} {
			if r := f.est / f.real; r < 0.5 || r > 2 {
				t.Errorf("%s: %s estimated %.4g, counted %.4g", tc.name, f.what, f.est, f.real)
			} else {
				t.Logf("%s: %s estimated %.4g, counted %.4g (×%.2f)", tc.name, f.what, f.est, f.real, r)
			}
		}
	}
}

// The byte counts CostFormula prints are the sizes EstimateCost uses.
func TestCostFormulaSizes(t *testing.T) {
	for _, want := range []string{
		fmt.Sprintf("P·(B·%d + D·32 + %d·8)", unsafe.Sizeof(BucketTally{}), latency.Bins),
		fmt.Sprintf("D·%d·(B·8 + %d)", NumPlanes, unsafe.Sizeof(PlaneTally{})),
		fmt.Sprintf("causes·(B·8 + %d)", unsafe.Sizeof(Cause{})),
		fmt.Sprintf("%d·(24 + %d·CallBytes) + 2·%d·%d", calendar.FineBuckets, calendar.BucketRoom, calendar.LevelBuckets, calendar.ChunkListBytes),
		fmt.Sprintf("%.1f MiB", float64(calendar.BlockBytes)/(1<<20)),
		fmt.Sprintf("BucketEntries/%d", BucketEntriesPerEvent),
		fmt.Sprintf("%d bucket entries counted as one event", BucketEntriesPerEvent),
	} {
		if !strings.Contains(CostFormula, want) {
			t.Errorf("CostFormula does not say %q", want)
		}
	}
}

func builtin(t testing.TB) *scenarios.Scenario {
	t.Helper()
	s, err := format.Resolve(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Runs too big for any machine are seen as such before they start: the
// highest rate validation allows, 10^7 joins a second, for a day (about
// 10^12 events and 10^10 calls at once), and 10^4 replications of a year.
func TestEstimateCostHuge(t *testing.T) {
	for _, tc := range []struct {
		name        string
		src         string
		work, bytes float64 // at least one of them exceeded
	}{
		{"rate", tinyWith(t, "joins_per_second: 1", "joins_per_second: 1e7", "{horizon: 2h,", "{horizon: 1d,"), 1e12, 1 << 33},
		{"horizon", tinyWith(t, "{horizon: 2h, replications: 2, seed: 1}", "{horizon: 366d, bucket: 1d, replications: 10000, seed: 1}"), 1e11, 0},
	} {
		s := mustLoad(t, tc.name+".yaml", tc.src)
		m := mustCompile(t, s)
		c := EstimateCost(m, s.Run.Replications, 2)
		t.Logf("%s: work %.3g, %.3g bytes", tc.name, c.Work(), c.Bytes())
		if !(tc.work > 0 && c.Work() >= tc.work || tc.bytes > 0 && c.Bytes() >= tc.bytes) {
			t.Errorf("%s: estimated work %.3g and %.3g bytes; not flagged", tc.name, c.Work(), c.Bytes())
		}
	}
}

// A quiet run of many buckets costs what its buckets do: the estimate
// counts, for each replication, every entry of the per-bucket tallies the
// engine clears and the figures read — here 100,000 one-second buckets of
// a system with about one join a replication, whose events alone would
// say the run costs nothing. The entries counted are at least those a
// replication has, and at most those and the buckets of the causes the
// estimate allows for.
func TestEstimateCountsBuckets(t *testing.T) {
	src := tinyWith(t, "joins_per_second: 1", "joins_per_second: 0.00001", "{horizon: 2h, replications: 2, seed: 1}", "{horizon: 100000s, bucket: 1s, replications: 2, seed: 1}")
	s := mustLoad(t, "idle.yaml", src)
	m := mustCompile(t, s)
	est := EstimateCost(m, 10_000, 1)
	r, err := Replicate(context.Background(), m, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	var entries int
	for _, p := range r.Populations {
		entries += len(p.Buckets)
	}
	for _, d := range r.Datacenters {
		for _, p := range d.Planes {
			entries += len(p.BucketBusy)
		}
	}
	for _, c := range r.Causes {
		entries += len(c.Buckets)
	}
	if got := est.BucketEntries; got < float64(entries) || got > float64(entries+est.Causes*m.NumBuckets) {
		t.Errorf("estimated %v bucket entries a replication; it has %d, and the estimate allows %d causes of %d buckets", got, entries, est.Causes, m.NumBuckets)
	}
	if events := float64(est.Replications) * (est.Events + est.Candidates); est.Work() < events+1e4*float64(entries)/BucketEntriesPerEvent {
		t.Errorf("work %.3g for 10,000 replications of %d bucket entries and %.3g events: the buckets are not counted", est.Work(), entries, events)
	}
}
