package study

import (
	"fmt"
	"runtime"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// CostLimits bound what a run may cost, judged before it starts from
// sim.EstimateCost and results.SummaryBytes: a run over either is refused
// with its estimate, so that a scenario that would exhaust the machine's
// memory, or run for days, is told so at once.
type CostLimits struct {
	Bytes  float64 // memory; 0 means DefaultMaxBytes
	Events float64 // events and thinning candidates over every replication; 0 means DefaultMaxEvents
}

// The default limits: 4 GiB, and 10^11 events (hours of work on a few
// cores at several million events a second).
const (
	DefaultMaxBytes  = 4 << 30
	DefaultMaxEvents = 1e11
)

// afford refuses a run of the scenarios, with their models, that would
// cost more than the limits: the estimate is in the message, located at
// the scenario that costs most.
func afford(ss []*scenarios.Scenario, models []*sim.Model, replications []int, opt Options) error {
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	maxBytes, maxEvents := opt.Cost.Bytes, opt.Cost.Events
	if maxBytes == 0 {
		maxBytes = DefaultMaxBytes
	}
	if maxEvents == 0 {
		maxEvents = DefaultMaxEvents
	}
	var bytes, work, engine, summary, most float64
	worst := 0
	for i, m := range models {
		c := sim.EstimateCost(m, replications[i], workers)
		figures := results.SummaryBytes(m, replications[i], c)
		if b := c.Bytes() + figures; b > most {
			worst, most = i, b
		}
		bytes += c.ModelBytes + figures
		summary += figures
		work += c.Work()
		engine = max(engine, c.EngineBytes)
	}
	// The scenarios share the workers: at most one engine each at a time.
	engines := min(workers, maxReplications(replications))
	bytes += float64(engines) * engine
	if bytes <= maxBytes && work <= maxEvents {
		return nil
	}
	file := ""
	if src := ss[worst].Source; src != nil {
		file = src.File
	}
	return scenarios.Problems{{File: file, Msg: fmt.Sprintf(
		"the run is estimated at %.3g events (its time buckets included) and %s of memory (%s × %s per engine, %s of figures), over the limits of %g events and %s: "+
			"shorten the horizon, lower the rates or the replications, or raise --max-events or --max-memory (geofence help cost shows the estimate's formula)",
		work, size(bytes), workersOf(engines), size(engine), size(summary), maxEvents, size(maxBytes))}}
}

// workersOf says how many workers hold an engine: "1 worker", "2 workers".
func workersOf(n int) string {
	if n == 1 {
		return "1 worker"
	}
	return fmt.Sprintf("%d workers", n)
}

func maxReplications(rs []int) int {
	n := 0
	for _, r := range rs {
		n = max(n, r)
	}
	return n
}

// size writes bytes in binary units.
func size(b float64) string {
	units := []string{"B", "KiB", "MiB", "GiB", "TiB", "PiB"}
	i := 0
	for b >= 1024 && i < len(units)-1 {
		b /= 1024
		i++
	}
	return fmt.Sprintf("%.3g %s", b, units[i])
}
