package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/geofence/geofence/scenarios"
)

// largeScenario writes a scenario of 50 regions and 200 datacenters (four
// per region, one in a forbidden jurisdiction), 100 populations, and one
// backup whitelist of 50 datacenters that every region shares — the shape
// of the April 2020 configuration, made large.
func largeScenario(tb testing.TB) string {
	var b strings.Builder
	countries := []string{"US", "CA", "MX", "BR", "AR", "DE", "FR", "NL", "IE", "ES", "IT", "PL", "SE", "NO", "FI", "DK", "GB", "IN", "JP", "KR", "AU", "NZ", "SG", "ZA", "EG"}
	fmt.Fprintf(&b, "name: large\nregions:\n")
	for r := range 50 {
		fmt.Fprintf(&b, "  - {id: r%d, location: {lat: %d, lon: %d}}\n", r, -60+r*2, -170+r*7)
	}
	fmt.Fprintf(&b, "datacenters:\n")
	for d := range 200 {
		r := d / 4
		j := countries[r%len(countries)]
		if d%4 == 3 {
			j = "CN"
		}
		fmt.Fprintf(&b, "  - {id: dc%d, region: r%d, jurisdiction: %q, capacity: {media: 100, keys: 100, connector: 10}, location: {lat: %d, lon: %d}}\n",
			d, r, j, -60+r*2, -170+r*7+d%4)
	}
	fmt.Fprintf(&b, "populations:\n")
	for r := range 50 {
		for _, plan := range []string{"free", "paid"} {
			fmt.Fprintf(&b, "  - {id: r%d-%s, region: r%d, jurisdiction: %q, plan: %s, joins_per_second: 1, dial_in_share: 0.1, holding: {distribution: exponential, mean: 30m}}\n",
				r, plan, r, countries[r%len(countries)], plan)
		}
	}
	fmt.Fprintf(&b, "routing:\n  whitelists:\n    backup: [")
	for d := 0; d < 200; d += 4 {
		if d > 0 {
			b.WriteString(", ")
		}
		fmt.Fprintf(&b, "dc%d", d+(d/4)%4)
	}
	fmt.Fprintf(&b, "]\n  routes:\n")
	for r := range 50 {
		p := func(k int) string { return fmt.Sprintf("dc%d", 4*r+k) }
		fmt.Fprintf(&b, "    - region: r%d\n      media: {primaries: [%s, %s, %s], secondaries: {whitelist: backup, order: random}}\n", r, p(0), p(1), p(2))
		fmt.Fprintf(&b, "      keys: {primaries: [%s, %s], secondaries: {whitelist: backup, order: nearest}}\n", p(0), p(1))
		fmt.Fprintf(&b, "      connector: {primaries: [%s], secondaries: {whitelist: backup, order: most-free}}\n", p(2))
	}
	fmt.Fprintf(&b, "policy:\n")
	for r := range 50 {
		j := countries[r%len(countries)]
		fmt.Fprintf(&b, "  - {select: {region: r%d}, allow: {media: [%q], keys: [%q], connector: [%q]}}\n", r, j, j, j)
	}
	fmt.Fprintf(&b, "run: {horizon: 1d, replications: 2, seed: 1}\n")
	path := filepath.Join(tb.TempDir(), "large.yaml")
	if err := os.WriteFile(path, []byte(b.String()), 0o644); err != nil {
		tb.Fatal(err)
	}
	return path
}

// BenchmarkStaticCheck is `geofence check --static-only` end to end on the
// large scenario: load, validate, witnesses for every population and
// plane, lints, and the JSON report.
func BenchmarkStaticCheck(b *testing.B) {
	// Exit 1: the shared backup list lets every region out.
	loopCommand(b, exitViolation, "check", "--static-only", "-o", "json", largeScenario(b))
}

// BenchmarkRunDefault is `geofence run -o json` on the default built-in,
// end to end: load, ten replications on every core, summary, rendering.
func BenchmarkRunDefault(b *testing.B) {
	benchmarkMemory(b, "run", "-o", "json")
}

// BenchmarkDiffStatic is `geofence diff --static-only -o json` of the
// default built-in against its fix, end to end: both loaded, analysed and
// linted, the routing compared, the report rendered. A pull request's
// static diff.
func BenchmarkDiffStatic(b *testing.B) {
	benchmarkCommand(b, exitOK, "diff", "--static-only", "-o", "json", scenarios.Default, "zoom-2020-04-fixed")
}

// BenchmarkCheckDefault is `geofence check -o json` of the default
// built-in, end to end: the static check and ten replications; the unit
// BenchmarkDiffSimulated is measured against.
func BenchmarkCheckDefault(b *testing.B) {
	benchmarkCommand(b, exitViolation, "check", "-o", "json", scenarios.Default)
}

// BenchmarkDiffSimulated is `geofence diff -o json` of the default
// built-in against its fix, end to end: both analysed, and both simulated
// for ten replications on common random numbers in one pool of workers.
func BenchmarkDiffSimulated(b *testing.B) {
	benchmarkCommand(b, exitOK, "diff", "-o", "json", scenarios.Default, "zoom-2020-04-fixed")
}

// benchmarkCommand runs geofence with args, which must exit with want.
// cpu-s/op is the processor time the process spent per run, user and
// system on every core: on a shared machine it says what the work costs
// when wall-clock time says mostly how busy the neighbours were.
func benchmarkCommand(b *testing.B, want int, args ...string) {
	before := cpuTime(b)
	loopCommand(b, want, args...)
	b.ReportMetric((cpuTime(b)-before).Seconds()/float64(b.N), "cpu-s/op")
}

// benchmarkMemory runs geofence with args, which must exit 0. sys-MB is
// the memory the Go runtime has obtained from the system by the end, an
// upper bound on the run's peak heap.
func benchmarkMemory(b *testing.B, args ...string) {
	loopCommand(b, exitOK, args...)
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)
	b.ReportMetric(float64(ms.Sys)/1e6, "sys-MB")
}

// loopCommand runs geofence with args, which must exit with want, for
// every iteration of b, counting allocations.
func loopCommand(b *testing.B, want int, args ...string) {
	b.ReportAllocs()
	for b.Loop() {
		if code := run(context.Background(), args, io.Discard, io.Discard); code != want {
			b.Fatalf("%q: exit %d, want %d", args, code, want)
		}
	}
}

// cpuTime is the processor time the process has used so far.
func cpuTime(b *testing.B) time.Duration {
	var u syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &u); err != nil {
		b.Fatal(err)
	}
	return time.Duration(u.Utime.Nano() + u.Stime.Nano())
}

// BenchmarkSweep12 is `geofence sweep -o json` over a study of 12 points
// (3 surge factors × 4 pick counts) of the default built-in at 10
// replications: its time per op is to be compared with 12 times
// BenchmarkRunDefault's, all points' replications sharing one pool.
func BenchmarkSweep12(b *testing.B) {
	dir := b.TempDir()
	study := filepath.Join(dir, "study.yaml")
	if err := os.WriteFile(study, []byte(`scenario: zoom-2020-04
axes:
  - {set: "populations[us-free].surges[0].factor", values: [1.0, 1.3, 1.5]}
  - {set: "routing.routes[us].media.secondaries.picks", values: [1, 2, 3, 4]}
replications: 10
`), 0o644); err != nil {
		b.Fatal(err)
	}
	benchmarkMemory(b, "sweep", "-o", "json", study)
}
