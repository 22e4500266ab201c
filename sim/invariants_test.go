package sim

import (
	"context"
	"math"
	"reflect"
	"testing"
	"time"
)

// On the built-in April 2020 scenario — outages, capacity changes, keys,
// connectors, every pick order in use — every replication conserves joins
// per population, and the run is the same whatever the number of workers.
func TestBuiltinInvariants(t *testing.T) {
	s := builtin(t)
	m := mustCompile(t, s)
	const replications = 3
	one, err := Run(context.Background(), m, s.Run.Seed, replications, 1)
	if err != nil {
		t.Fatal(err)
	}
	two, err := Run(context.Background(), m, s.Run.Seed, replications, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one, two) {
		t.Error("one worker and two workers gave different replications")
	}
	for _, r := range one {
		var offered, settled int64
		for i, p := range r.Populations {
			if p.Offered != p.AdmittedPrimary+p.AdmittedSecondary+p.Blocked {
				t.Errorf("replication %d, %s: offered %d != %d primary + %d secondary + %d blocked",
					r.Index, m.Populations[i].ID, p.Offered, p.AdmittedPrimary, p.AdmittedSecondary, p.Blocked)
			}
			var blocked int64
			for _, b := range p.BlockedPlane {
				blocked += b
			}
			if blocked != p.Blocked {
				t.Errorf("replication %d, %s: blocked %d but %d by plane", r.Index, m.Populations[i].ID, p.Blocked, blocked)
			}
			offered += p.Offered
			settled += p.AdmittedPrimary + p.AdmittedSecondary + p.Blocked
		}
		if offered == 0 || offered != settled {
			t.Errorf("replication %d: %d offered in total, %d settled", r.Index, offered, settled)
		}
	}
	// A different replication index draws different numbers.
	if reflect.DeepEqual(one[0].Populations, one[1].Populations) {
		t.Error("replications 0 and 1 are identical")
	}
}

// A cancelled context stops a run and says why.
func TestRunCancelled(t *testing.T) {
	m := mustCompile(t, erlangBench())
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, m, 1, 2, 0); err != context.Canceled {
		t.Errorf("cancelled run returned %v", err)
	}
}

// Buckets that are not a whole number of seconds are stepped through one
// by one: the run ends, and every datacenter plane's busy area per bucket
// adds up to its total. (Recomputing the bucket index from a float once
// looped for ever at 0.7 s.)
func TestFractionalBuckets(t *testing.T) {
	for _, width := range []string{"100ms", "300ms", "700ms", "1.1s"} {
		s := mustLoad(t, "buckets.yaml", `
name: buckets
regions: [{id: r}]
datacenters:
  - {id: dc, region: r, jurisdiction: US, capacity: {media: 20}, rtt: {r: 30ms}}
populations:
  - {id: p, region: r, jurisdiction: US, plan: free, joins_per_second: 2, holding: {distribution: exponential, mean: 10s}}
routing:
  routes:
    - {region: r, media: {primaries: [dc]}, keys: {custody: client}}
policy:
  - {select: {}, allow: {media: [US], keys: [US], connector: [US]}}
run: {horizon: 250s, warmup: 10.05s, replications: 2, seed: 3, bucket: `+width+`}
`)
		m := mustCompile(t, s)
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		reps, err := Run(ctx, m, s.Run.Seed, s.Run.Replications, 1)
		cancel()
		if err != nil {
			t.Fatalf("bucket %s: %v", width, err)
		}
		for _, r := range reps {
			pt := &r.Datacenters[0].Planes[Media]
			var sum float64
			for _, b := range pt.BucketBusy {
				sum += b
			}
			if pt.BusyArea == 0 || math.Abs(sum-pt.BusyArea) > 1e-9*pt.BusyArea {
				t.Errorf("bucket %s, replication %d: buckets add up to %v, busy area %v", width, r.Index, sum, pt.BusyArea)
			}
		}
	}
}

// A worker's engine reuses its memory from one replication to the next,
// across models too: nothing of one replication leaks into the next, so
// each is the same as on a fresh engine.
func TestEngineReuse(t *testing.T) {
	big, err := Compile(builtin(t))
	if err != nil {
		t.Fatal(err)
	}
	small, err := Compile(lossSystem(10, 10, exponential(10), 5000, 2))
	if err != nil {
		t.Fatal(err)
	}
	batches := []Batch{{Model: big, Seed: 3, From: 0, To: 2}, {Model: small, Seed: 4, From: 0, To: 2}, {Model: big, Seed: 5, From: 2, To: 3}}
	got := map[[2]int]*Replication{}
	err = RunBatches(context.Background(), batches, 1, func(batch int, r *Replication) error {
		c := *r
		got[[2]int{batch, r.Index}] = &c
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for b, bt := range batches {
		for rep := bt.From; rep < bt.To; rep++ {
			want, err := Replicate(context.Background(), bt.Model, bt.Seed, rep)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(got[[2]int{b, rep}], want) {
				t.Errorf("batch %d, replication %d differs on a reused engine", b, rep)
			}
		}
	}
}
