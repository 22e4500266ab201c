package results_test

import (
	"fmt"
	"math"
	"runtime"
	"testing"
	"time"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// idleReplication runs a replication of the overflow system so quiet that
// no join arrives, over buckets one-second buckets, and one in which a
// few joins arrive in the first seconds only.
func idleReplication(t testing.TB, buckets int, busyFirst bool) (*sim.Model, *sim.Replication) {
	t.Helper()
	s := fixture.OverflowScenario()
	s.Populations[0].JoinsPerSecond = 1e-9
	s.Run.Horizon, s.Run.Warmup, s.Run.Bucket, s.Run.Replications = scenarios.Duration(buckets), 0, new(scenarios.Duration(1)), 2
	m, reps := fixture.RunScenario(t, s)
	r := reps[0]
	if busyFirst {
		// Ten joins offered, blocked and counted in the first ten buckets:
		// a tally the engine could give.
		p := &r.Populations[0]
		p.Offered, p.Blocked, p.BlockedPlane[sim.Media] = 10, 10, 10
		for b := range 10 {
			p.Buckets[b].Offered, p.Buckets[b].Blocked = 1, 1
		}
	}
	return m, r
}

// addCost is the least time, over a few rounds, and the bytes allocated
// per Add of r to an accumulator of model m.
func addCost(t *testing.T, m *sim.Model, r *sim.Replication) (nsPerAdd float64, bytesPerAdd uint64) {
	t.Helper()
	const adds, rounds = 200, 5
	nsPerAdd = math.Inf(1)
	for range rounds {
		a := results.NewAccumulator(m, 0, adds)
		reps := make([]sim.Replication, adds)
		for k := range reps {
			reps[k] = *r
			reps[k].Index = k
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		start := time.Now()
		for k := range reps {
			if err := a.Add(&reps[k]); err != nil {
				t.Fatal(err)
			}
		}
		elapsed := time.Since(start)
		runtime.ReadMemStats(&after)
		nsPerAdd = min(nsPerAdd, float64(elapsed.Nanoseconds())/adds)
		bytesPerAdd = (after.TotalAlloc - before.TotalAlloc) / adds
	}
	return nsPerAdd, bytesPerAdd
}

// Summarising a replication costs what its tallies hold, not the buckets
// they span: a replication of a system where nothing happened, or where
// everything happened in its first seconds, is added in the same time and
// with the same allocations whether its horizon has 100 one-second buckets
// or 100,000 — where reading every bucket would take a thousand times as
// long. (The engine's own clearing of its tallies is sim's cost, counted
// by sim.EstimateCost.)
func TestAccumulateIdleBucketsCostNothing(t *testing.T) {
	for _, busyFirst := range []bool{false, true} {
		smallModel, small := idleReplication(t, 100, busyFirst)
		largeModel, large := idleReplication(t, 100_000, busyFirst)
		smallNs, smallBytes := addCost(t, smallModel, small)
		largeNs, largeBytes := addCost(t, largeModel, large)
		t.Logf("busy first: %v; an Add: %.0f ns and %d bytes at 100 buckets, %.0f ns and %d bytes at 100,000", busyFirst, smallNs, smallBytes, largeNs, largeBytes)
		if largeBytes > smallBytes+512 {
			t.Errorf("busy first: %v; an Add allocates %d bytes at 100,000 buckets, %d at 100: it allocates per bucket", busyFirst, largeBytes, smallBytes)
		}
		// A thousand times the buckets; ten times the time is noise on a
		// shared machine, not a scan of every bucket.
		if largeNs > 10*smallNs+2000 {
			t.Errorf("busy first: %v; an Add takes %.0f ns at 100,000 buckets, %.0f at 100: it reads every bucket", busyFirst, largeNs, smallNs)
		}
	}
}

// BenchmarkAccumulateIdle adds replications of a quiet system (nothing
// happens in 100 or 100,000 one-second buckets) to an accumulator: run
// with -benchmem; the time and bytes per Add do not depend on the buckets.
func BenchmarkAccumulateIdle(b *testing.B) {
	for _, buckets := range []int{100, 100_000} {
		b.Run(fmt.Sprintf("buckets=%d", buckets), func(b *testing.B) {
			m, r := idleReplication(b, buckets, false)
			a := results.NewAccumulator(m, 0, b.N)
			reps := make([]sim.Replication, b.N)
			for k := range reps {
				reps[k] = *r
				reps[k].Index = k
			}
			b.ReportAllocs()
			b.ResetTimer()
			for k := range b.N {
				if err := a.Add(&reps[k]); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
