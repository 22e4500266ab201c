package sim

import (
	"bytes"
	"context"
	"errors"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
)

// tiny is a one-datacenter scenario in YAML; edits replace its lines to
// make the variants below.
const tiny = `
name: tiny
regions: [{id: r}]
datacenters:
  - {id: dc, region: r, jurisdiction: US, capacity: {media: 20}, rtt: {r: 30ms}}
populations:
  - id: p
    region: r
    jurisdiction: US
    plan: free
    joins_per_second: 1
    holding: {distribution: exponential, mean: 10s}
routing:
  routes:
    - {region: r, media: {primaries: [dc]}, keys: {custody: client}}
policy:
  - {select: {}, allow: {media: [US], keys: [US], connector: [US]}}
run: {horizon: 2h, replications: 2, seed: 1}
`

// tinyWith is tiny with each old line replaced by its new one.
func tinyWith(t *testing.T, oldNew ...string) string {
	t.Helper()
	src := tiny
	for i := 0; i < len(oldNew); i += 2 {
		if !strings.Contains(src, oldNew[i]) {
			t.Fatalf("tiny has no %q", oldNew[i])
		}
		src = strings.Replace(src, oldNew[i], oldNew[i+1], 1)
	}
	return src
}

// Values that overflow the engine's arithmetic are refused, by validation
// or by Compile, never run into +Inf times, NaN figures, a panic or a
// loop that does not end.
func TestOverflowRefused(t *testing.T) {
	for _, tc := range []struct{ name, src string }{
		{"growth", tinyWith(t, "holding:", "growth_per_day: 1e300\n    holding:", "horizon: 2h", "horizon: 3d")},
		{"surges", tinyWith(t, "holding:", "surges: [{start: 0s, end: 1h, factor: 1e200}, {start: 0s, end: 1h, factor: 1e200}]\n    holding:")},
		{"lognormal", tinyWith(t, "{distribution: exponential, mean: 10s}", "{distribution: lognormal, mean: 10s, sd: 1e290d}")},
		{"holding", tinyWith(t, "mean: 10s", "mean: 1e290d")},
		{"rtt", tinyWith(t, "rtt: {r: 30ms}", "rtt: {r: 1e303d}")},
		{"horizon", tinyWith(t, "horizon: 2h", "horizon: 1e13d, bucket: 1e9d")},
		{"timeout", tinyWith(t, "primaries: [dc]", "primaries: [dc], connect_timeout: 1e300d")},
	} {
		s, err := format.Load(tc.name+".yaml", []byte(tc.src))
		if err != nil {
			t.Logf("%s: refused by validation: %v", tc.name, err)
			continue
		}
		if _, err := Compile(s); err == nil {
			t.Errorf("%s: compiled", tc.name)
		} else {
			t.Logf("%s: refused by Compile: %v", tc.name, err)
		}
	}
}

// A surge of a nanosecond sets its hour's thinning bound 10^6 times
// above the rate, so drawing the next arrival rejects candidates by the
// billion: the run must still notice its context and stop.
func TestThinningHonoursContext(t *testing.T) {
	s := mustLoad(t, "surge.yaml", tinyWith(t, "holding:",
		"surges: [{start: 1h, end: 1h0m0.000000001s, factor: 1e6}]\n    holding:"))
	m := mustCompile(t, s)
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	done := make(chan error, 1)
	go func() {
		_, err := Replicate(ctx, m, 1, 0)
		done <- err
	}()
	select {
	case err := <-done:
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("replication returned %v, want the context's deadline", err)
		}
	case <-time.After(30 * time.Second):
		t.Fatal("the replication ignored its context")
	}
}

// The per-segment bounds computed as thinning reaches each segment bound
// the rate everywhere, and maxRate bounds them all; the squeeze of each
// segment is below the rate everywhere in it, its last float included, or
// thinning would accept what it rejected before. Besides the built-in
// (fixed offsets, two of them on the half hour, surges that end inside a
// segment, growth), a time zone on the half hour whose offset changes for
// daylight saving.
func TestRateBounds(t *testing.T) {
	src, _ := scenarios.BuiltinSource(scenarios.Default)
	// +10:30, then +9:30 from 5 April, 03:00 local.
	src = bytes.Replace(src, []byte("utc_offset: -5h"), []byte("time_zone: Australia/Adelaide"), 1)
	src = bytes.Replace(src, []byte("\nrun:\n"), []byte("\nrun:\n  start: 2020-04-04T00:00:00Z\n"), 1)
	zoned, err := format.Load("zoned.yaml", src)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []*scenarios.Scenario{builtin(t), zoned} {
		m := mustCompile(t, s)
		for i := range m.compiled.pops {
			p := &m.compiled.pops[i]
			top := p.maxRate(m.Horizon)
			for k := range m.compiled.segments {
				b, floor := p.bound(k), p.floor(k)
				if b > top*(1+1e-12) {
					t.Errorf("%s, segment %d: bound %v above maxRate %v", m.Populations[i].ID, k, b, top)
				}
				end := float64(k+1) * segment
				for f := 0.0; f <= 1; f += 1.0 / 64 {
					at := min((float64(k)+f)*segment, math.Nextafter(end, 0))
					if r := p.rate(at); r > b*(1+1e-12) || math.IsNaN(r) {
						t.Fatalf("%s, segment %d: rate %v above its bound %v", m.Populations[i].ID, k, r, b)
					} else if r <= floor {
						t.Fatalf("%s, segment %d, t = %v: rate %v not above its squeeze %v", m.Populations[i].ID, k, at, r, floor)
					}
				}
			}
		}
	}
}
