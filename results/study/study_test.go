package study

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
)

// The tables add up: on the built-in April 2020 scenario, in every
// replication, each plane's violations summed over datacenters equal the
// populations' violations of that plane — keys counting the key servers'
// violations and the key copies at connectors — and each population's
// media landings add up to the joins it set up.
func TestColumnsAddUp(t *testing.T) {
	s := fixture.Resolve(t, scenarios.Default)
	s.Run.Replications = 2
	r, err := Run(context.Background(), s, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for k := range r.Replications {
		var byDatacenter, keyCopies [3]float64
		for _, d := range r.Datacenters {
			for _, p := range d.Planes {
				byDatacenter[planeIndex(p.Plane)] += p.Violations.PerReplication[k]
				if p.KeyCopyViolations != nil {
					keyCopies[planeIndex(p.Plane)] += p.KeyCopyViolations.PerReplication[k]
				}
			}
		}
		total := r.Total.Violations
		if byDatacenter[0] != total.Media.PerReplication[k] || byDatacenter[2] != total.Connector.PerReplication[k] ||
			byDatacenter[1]+keyCopies[2] != total.Keys.PerReplication[k] {
			t.Errorf("replication %d: datacenters' violations %v (+%v key copies) do not add up to the populations' %v, %v, %v",
				k, byDatacenter, keyCopies[2], total.Media.PerReplication[k], total.Keys.PerReplication[k], total.Connector.PerReplication[k])
		}
		if byDatacenter[1] == 0 || keyCopies[2] == 0 {
			t.Errorf("replication %d: no key violation at a key server or no key copy violation; the check proves little", k)
		}
		for _, p := range r.Populations {
			var landed float64
			for _, l := range r.Landings {
				if l.Population == p.ID && l.Plane == "media" {
					landed += l.Count.PerReplication[k]
				}
			}
			if setUp := p.AdmittedPrimary.PerReplication[k] + p.AdmittedSecondary.PerReplication[k]; landed != setUp {
				t.Errorf("replication %d, %s: media landings %v, joins set up %v", k, p.ID, landed, setUp)
			}
		}
	}
}

func planeIndex(name string) int {
	for i, p := range scenarios.Planes {
		if string(p) == name {
			return i
		}
	}
	panic(name)
}

// manyBuckets is a small system with many populations, datacenters and
// time buckets, so that what a replication tallies per bucket (populations
// × buckets, datacenter planes × buckets) dwarfs what it tallies in all.
func manyBuckets(replications int) *scenarios.Scenario {
	var b strings.Builder
	b.WriteString("name: many-buckets\nregions: [{id: r}]\ndatacenters:\n")
	for d := range 8 {
		fmt.Fprintf(&b, "  - {id: dc%d, region: r, jurisdiction: US, capacity: {media: 5, keys: 5, connector: 5}, rtt: {r: 10ms}}\n", d)
	}
	b.WriteString("populations:\n")
	for p := range 12 {
		fmt.Fprintf(&b, "  - {id: p%d, region: r, jurisdiction: US, plan: free, joins_per_second: 0.002, dial_in_share: 0.5, holding: {distribution: exponential, mean: 60s}}\n", p)
	}
	b.WriteString(`routing:
  routes:
    - region: r
      media: {primaries: [dc0, dc1, dc2, dc3]}
      keys: {primaries: [dc4, dc5]}
      connector: {primaries: [dc6, dc7]}
policy:
  - select: {}
    allow: {media: [US], keys: [US], connector: [US]}
`)
	fmt.Fprintf(&b, "run: {horizon: 3d, bucket: 1m, replications: %d, seed: 1}\n", replications)
	s, err := format.Load("many-buckets.yaml", []byte(b.String()))
	if err != nil {
		panic(err)
	}
	return s
}

// Memory follows the figures, not the replications' tallies: 200
// replications of a system with 4320 buckets keep the live heap of 10 and
// a few kilobytes of scalars per replication more, where keeping each
// replication's buckets would add 3.3 MB each. The live heap is sampled
// after a collection while replications run.
func TestMemoryFollowsFigures(t *testing.T) {
	peak := func(replications int) uint64 {
		var most uint64
		var ms runtime.MemStats
		_, err := Run(context.Background(), manyBuckets(replications), Options{Workers: 2, Progress: func(done, total int) {
			if done < total && (done < 10 || done%10 == 0) {
				runtime.GC()
				runtime.ReadMemStats(&ms)
				most = max(most, ms.HeapAlloc)
			}
		}})
		if err != nil {
			t.Fatal(err)
		}
		return most
	}
	ten, twoHundred := peak(10), peak(200)
	// One replication's buckets: 12 populations × 4320 × 48 bytes and 24
	// datacenter planes × 4320 × 8: 3.3 MB, 630 MB for 190 more. Its
	// scalars: about 7 kB.
	const perReplication = 16 << 10
	if twoHundred > ten+190*perReplication {
		t.Errorf("live heap %.1f MB at 200 replications, %.1f MB at 10: it grows with the replications", float64(twoHundred)/1e6, float64(ten)/1e6)
	}
	t.Logf("peak live heap: %.1f MB at 10 replications, %.1f MB at 200", float64(ten)/1e6, float64(twoHundred)/1e6)
}
