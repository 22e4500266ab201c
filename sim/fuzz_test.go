package sim

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
)

// fuzzWork bounds the work (events and thinning candidates, by
// EstimateCost) of a replication the fuzz and property tests run.
const fuzzWork = 2e5

// runBriefly runs two replications of s on one worker and checks that the
// run ends and conserves joins: every join offered is admitted at a
// primary or a secondary, or blocked, in each population of each
// replication. A scenario whose estimated work is beyond fuzzWork runs
// with its join rates scaled down to fit (which keeps it valid), so that
// large seeds such as the built-ins run too. Scenarios that do not
// compile, or whose work or memory is still too large, are skipped; so is
// a run that is still going after a few seconds (the estimate counts no
// refusals). A run that does not stop soon after its context is done has
// hung, and fails; so does one whose counts break conservation, or whose
// rejoins are more than its joins or come without an outage.
func runBriefly(t fataler, s *scenarios.Scenario) (ran bool) {
	m, err := Compile(s)
	if err != nil {
		return false
	}
	c := EstimateCost(m, 2, 1)
	if work := c.Events + c.Candidates; work > fuzzWork && !math.IsInf(work, 1) {
		k := 0.9 * fuzzWork / work
		t.Logf("join rates scaled by %.3g to fit the work of a brief run", k)
		scaled := *s
		scaled.Populations = slices.Clone(s.Populations)
		for i := range scaled.Populations {
			scaled.Populations[i].JoinsPerSecond *= k
		}
		if m, err = Compile(&scaled); err != nil {
			return false
		}
		c = EstimateCost(m, 2, 1)
	}
	if !(c.Events+c.Candidates <= fuzzWork) || !(c.Bytes() <= 1<<28) {
		return false
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	type result struct {
		reps []*Replication
		err  error
	}
	done := make(chan result, 1)
	go func() {
		reps, err := Run(ctx, m, s.Run.Seed, 2, 1)
		done <- result{reps, err}
	}()
	var r result
	select {
	case r = <-done:
	case <-time.After(15 * time.Second):
		t.Fatal("the run did not stop within 10 s of its context's deadline")
	}
	if errors.Is(r.err, context.DeadlineExceeded) {
		return false
	}
	if r.err != nil {
		t.Fatalf("run: %v", r.err)
	}
	for _, rep := range r.reps {
		for i, p := range rep.Populations {
			if p.Offered != p.AdmittedPrimary+p.AdmittedSecondary+p.Blocked {
				t.Fatalf("replication %d, %s: offered %d != %d primary + %d secondary + %d blocked",
					rep.Index, m.Populations[i].ID, p.Offered, p.AdmittedPrimary, p.AdmittedSecondary, p.Blocked)
			}
			if p.Rejoins > p.Offered || p.RejoinsBlocked > min(p.Rejoins, p.Blocked) || p.Rejoins > 0 && !m.Outages() {
				t.Fatalf("replication %d, %s: %d rejoins, %d of them blocked, of %d joins offered and %d blocked (outages: %v)",
					rep.Index, m.Populations[i].ID, p.Rejoins, p.RejoinsBlocked, p.Offered, p.Blocked, m.Outages())
			}
		}
	}
	return true
}

// fataler is what runBriefly needs of *testing.T and *rapid.T.
type fataler interface {
	Fatal(args ...any)
	Fatalf(format string, args ...any)
	Logf(format string, args ...any)
}

// FuzzLoadAndRun loads a scenario and, when it loads and compiles, runs
// two brief replications of it: no panic, an end, and conservation (see
// runBriefly). Its seeds are the built-ins and the loader's fuzz
// corpus (scenarios/testdata/fuzz/FuzzLoad):
//
//	go test ./sim -run '^$' -fuzz FuzzLoadAndRun -fuzztime 10m
func FuzzLoadAndRun(f *testing.F) {
	for _, b := range scenarios.Builtins() {
		src, _ := scenarios.BuiltinSource(b.Name)
		f.Add(src)
	}
	files, _ := filepath.Glob("../scenarios/testdata/fuzz/FuzzLoad/*")
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		src, err := corpusEntry(data)
		if err != nil {
			f.Fatalf("%s: %v", file, err)
		}
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := format.Load("fuzz.yaml", data)
		if err != nil {
			return
		}
		runBriefly(t, s)
	})
}

// corpusEntry is the []byte value of a seed file in the "go test fuzz v1"
// format.
func corpusEntry(data []byte) ([]byte, error) {
	_, rest, ok := strings.Cut(string(data), "\n")
	rest = strings.TrimSpace(rest)
	if !ok || !strings.HasPrefix(rest, "[]byte(") || !strings.HasSuffix(rest, ")") {
		return nil, errors.New("not a go test fuzz v1 []byte entry")
	}
	s, err := strconv.Unquote(strings.TrimSuffix(strings.TrimPrefix(rest, "[]byte("), ")"))
	return []byte(s), err
}

// Random scenarios within the documented limits — regions, datacenters
// some of which go down or change capacity in a timeline (unlimited ones
// too), populations with profiles, surges, growth and dial-in, routes
// with primaries, whitelists, picks, orders, attempts and retries, key
// custody by server or client, buckets whole or fractional — run to their
// end and conserve joins. On a failure rapid prints the scenario it shrank
// to and how to replay it: -rapid.seed=SEED, or the fail file it writes
// under testdata/rapid.
func TestRandomScenarios(t *testing.T) {
	var loaded, ran int
	rapid.Check(t, func(t *rapid.T) {
		src := genScenario(t)
		s, err := format.Load("random.yaml", []byte(src))
		if err != nil {
			t.Logf("scenario:\n%s", src)
			t.Skipf("refused by validation: %v", err)
		}
		loaded++
		t.Logf("scenario:\n%s", src)
		if runBriefly(t, s) {
			ran++
		}
	})
	t.Logf("%d scenarios loaded, %d run", loaded, ran)
	if ran < loaded/2 {
		t.Errorf("only %d of %d scenarios ran: the generator makes them too big", ran, loaded)
	}
}

// genScenario draws a scenario in YAML. Every datacenter serves media and
// has an RTT from every region; the key and connector planes are served
// by some, and each plane's routes and whitelist name only datacenters
// that serve it.
func genScenario(t *rapid.T) string {
	var b strings.Builder
	w := func(format string, args ...any) { fmt.Fprintf(&b, format, args...) }
	codes := []string{"US", "CN", "DE"}
	dur := func(label string, lo, hi int) string { // milliseconds
		return fmt.Sprintf("%dms", rapid.IntRange(lo, hi).Draw(t, label))
	}
	capacity := func(label string, lo, hi int) string {
		if rapid.IntRange(0, 5).Draw(t, label+"-unlimited") == 0 {
			return "unlimited"
		}
		return strconv.Itoa(rapid.IntRange(lo, hi).Draw(t, label))
	}
	horizon := rapid.IntRange(60, 3*3600).Draw(t, "horizon") // seconds

	w("name: random\nregions:\n")
	regions := rapid.IntRange(1, 3).Draw(t, "regions")
	for r := range regions {
		w("  - {id: r%d}\n", r)
	}
	w("datacenters:\n")
	ndc := rapid.IntRange(1, 6).Draw(t, "datacenters")
	var serves [NumPlanes][]string
	for d := range ndc {
		id := fmt.Sprintf("dc%d", d)
		w("  - id: %s\n    region: r%d\n    jurisdiction: %s\n", id, rapid.IntRange(0, regions-1).Draw(t, "dc-region"), rapid.SampledFrom(codes).Draw(t, "dc-code"))
		w("    capacity: {media: %s", capacity("media", 1, 40))
		serves[Media] = append(serves[Media], id)
		for _, p := range []Plane{Keys, Connector} {
			if rapid.Bool().Draw(t, "serves") {
				w(", %s: %s", scenarios.Planes[p], capacity("capacity", 1, 40))
				serves[p] = append(serves[p], id)
			}
		}
		w("}\n    rtt: {")
		for r := range regions {
			if r > 0 {
				w(", ")
			}
			w("r%d: %s", r, dur("rtt", 0, 300))
		}
		w("}\n")
		if n := rapid.IntRange(0, 3).Draw(t, "timeline"); n > 0 {
			w("    timeline:\n")
			at := 0
			for range n {
				at += rapid.IntRange(1, max(1, horizon/2)).Draw(t, "at")
				if rapid.Bool().Draw(t, "state") {
					w("      - {at: %ds, state: %s}\n", at, rapid.SampledFrom([]string{"up", "down"}).Draw(t, "up"))
				} else {
					w("      - {at: %ds, capacity: {media: %s}}\n", at, capacity("drain", 0, 40))
				}
			}
		}
	}

	w("populations:\n")
	npop := rapid.IntRange(1, 4).Draw(t, "populations")
	dials := make([]bool, regions)
	popRegions := make([]bool, regions)
	for i := range npop {
		r := rapid.IntRange(0, regions-1).Draw(t, "pop-region")
		popRegions[r] = true
		w("  - id: p%d\n    region: r%d\n    jurisdiction: %s\n    plan: %s\n", i, r, rapid.SampledFrom(codes).Draw(t, "pop-code"), rapid.SampledFrom([]string{"free", "paid"}).Draw(t, "plan"))
		w("    joins_per_second: %g\n", rapid.Float64Range(0.01, 3).Draw(t, "rate"))
		switch rapid.IntRange(0, 2).Draw(t, "holding") {
		case 0:
			w("    holding: {distribution: exponential, mean: %s}\n", dur("mean", 100, 120_000))
		case 1:
			w("    holding: {distribution: lognormal, mean: %s, sd: %s}\n", dur("mean", 100, 120_000), dur("sd", 1, 200_000))
		default:
			w("    holding: {distribution: deterministic, mean: %s}\n", dur("mean", 100, 120_000))
		}
		if rapid.Bool().Draw(t, "reconnect") { // else every dropped call's client rejoins at once
			w("    reconnect: {probability: %g, delay: {distribution: %s, mean: %s}}\n", rapid.Float64Range(0, 1).Draw(t, "rejoin"),
				rapid.SampledFrom([]string{"deterministic", "exponential", "uniform"}).Draw(t, "delay"), dur("delay-mean", 0, 60_000))
		}
		switch rapid.IntRange(0, 2).Draw(t, "profile") {
		case 1:
			w("    profile: {utc_offset: %dm, hourly: [", 30*rapid.IntRange(-24, 28).Draw(t, "offset"))
			for h := range 24 {
				if h > 0 {
					w(", ")
				}
				w("%g", float64(rapid.IntRange(0, 30).Draw(t, "factor"))/10)
			}
			w("]}\n")
		case 2:
			w("    profile: {sinusoid: {amplitude: %g, peak: %dh}}\n", rapid.Float64Range(0, 1).Draw(t, "amplitude"), rapid.IntRange(0, 23).Draw(t, "peak"))
		}
		if rapid.IntRange(0, 3).Draw(t, "surge") == 0 {
			start := rapid.IntRange(0, horizon).Draw(t, "surge-start")
			w("    surges: [{start: %ds, end: %ds, factor: %g}]\n", start, start+rapid.IntRange(1, horizon).Draw(t, "surge-length"), rapid.Float64Range(0.1, 5).Draw(t, "surge-factor"))
		}
		if rapid.IntRange(0, 3).Draw(t, "grows") == 0 {
			w("    growth_per_day: %g\n", rapid.Float64Range(-0.5, 2).Draw(t, "growth"))
		}
		if len(serves[Connector]) > 0 && rapid.IntRange(0, 2).Draw(t, "dials") == 0 {
			dials[r] = true
			w("    dial_in_share: %g\n", rapid.Float64Range(0, 1).Draw(t, "dial"))
		}
	}

	w("routing:\n  whitelists:\n")
	for p, list := range serves {
		if len(list) > 0 {
			w("    w%d: [%s]\n", p, strings.Join(rapid.Permutation(list).Draw(t, "whitelist"), ", "))
		}
	}
	planeRoute := func(p Plane) string {
		list := serves[p]
		primaries := rapid.Permutation(list).Draw(t, "primaries")[:rapid.IntRange(0, len(list)).Draw(t, "nprimaries")]
		out := fmt.Sprintf("primaries: [%s]", strings.Join(primaries, ", "))
		if rapid.Bool().Draw(t, "attempts") {
			out += fmt.Sprintf(", attempts: %d", rapid.IntRange(1, 3).Draw(t, "nattempts"))
		}
		if rapid.Bool().Draw(t, "timeout") {
			out += ", connect_timeout: " + dur("connect-timeout", 0, 3000)
		}
		if len(primaries) == 0 || rapid.Bool().Draw(t, "secondaries") {
			out += fmt.Sprintf(", secondaries: {whitelist: w%d, picks: %d, order: %s}", p,
				rapid.IntRange(1, 8).Draw(t, "picks"), rapid.SampledFrom([]string{"random", "nearest", "most-free"}).Draw(t, "order"))
		}
		return out
	}
	w("  routes:\n")
	for r := range regions {
		if !popRegions[r] {
			continue
		}
		w("    - region: r%d\n      media: {%s}\n", r, planeRoute(Media))
		if len(serves[Keys]) > 0 && rapid.Bool().Draw(t, "server-keys") {
			w("      keys: {%s}\n", planeRoute(Keys))
		} else {
			w("      keys: {custody: client}\n")
		}
		if dials[r] {
			w("      connector: {%s}\n", planeRoute(Connector))
		}
		if retries := rapid.IntRange(0, 2).Draw(t, "retries"); retries > 0 {
			w("      retries: %d\n      backoff: %s\n", retries, dur("backoff", 1, 3000))
		}
	}
	w("policy:\n  - select: {}\n    allow: {media: [US, DE], keys: [US], connector: [US, CN]}\n")
	bucket := rapid.SampledFrom([]string{"100ms", "300ms", "700ms", "1.1s", "7s", "1m", "1h"}).Draw(t, "bucket")
	if bucket == "100ms" {
		horizon = min(horizon, 9000) // at most 10^5 buckets
	}
	w("run: {horizon: %ds, warmup: %ds, replications: 2, seed: %d, bucket: %s}\n",
		horizon, rapid.IntRange(0, horizon-1).Draw(t, "warmup"), rapid.Uint64().Draw(t, "seed"), bucket)
	return b.String()
}
