package sim

import (
	"context"
	"math"
	"testing"

	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
	"github.com/geofence/geofence/sim/oracle"
)

// The engine against queueing theory. Each test asserts that the exact
// value lies inside the 95% confidence interval the simulation gives; with
// a fixed seed the outcome is fixed, and a wrong engine misses by far more
// than the interval's width.

// interval is the Student-t confidence interval of the mean of xs at the
// given level: mean ± t_{(1+level)/2, n−1}·s/√n.
func interval(xs []float64, level float64) (lo, hi float64) {
	mean, sd := stat.MeanStdDev(xs, nil)
	n := float64(len(xs))
	t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: n - 1}.Quantile((1 + level) / 2)
	h := t * sd / math.Sqrt(n)
	return mean - h, mean + h
}

// requireInside asserts that exact lies in the 95% CI of xs. A family of k
// checks in one test uses requireAllInside, which widens each interval to
// level 1 − 0.05/k (Bonferroni) so that the family is right 95% of the time.
func requireInside(t *testing.T, what string, exact float64, xs []float64) {
	t.Helper()
	requireInsideLevel(t, what, exact, xs, 0.95)
}

func requireInsideLevel(t *testing.T, what string, exact float64, xs []float64, level float64) {
	t.Helper()
	lo, hi := interval(xs, level)
	if exact < lo || exact > hi {
		t.Errorf("%s: exact %.6g outside simulated %g%% CI [%.6g, %.6g]", what, exact, 100*level, lo, hi)
	} else {
		t.Logf("%s: exact %.6g inside %g%% CI [%.6g, %.6g]", what, exact, 100*level, lo, hi)
	}
}

func capacity(n int64) *scenarios.Capacity {
	c := scenarios.Capacity(n)
	return &c
}

// lossSystem is one region, one datacenter of c media slots and one
// population offering a Erlangs with the given holding time: the M/G/c/c
// queue. RTT is zero, so a join is admitted or refused the instant it
// arrives, as the formula assumes.
func lossSystem(a float64, c int64, hold scenarios.Holding, horizon float64, reps int) *scenarios.Scenario {
	mean := hold.Mean.Seconds()
	return &scenarios.Scenario{
		Name:    "loss",
		Regions: []scenarios.Region{{ID: "r"}},
		Datacenters: []scenarios.Datacenter{{
			ID: "dc", Region: "r", Jurisdiction: "US",
			Capacity: scenarios.PlaneCapacity{Media: capacity(c)},
			RTT:      map[string]scenarios.Duration{"r": 0},
		}},
		Populations: []scenarios.Population{{
			ID: "p", Region: "r", Jurisdiction: "US", Plan: "free",
			JoinsPerSecond: a / mean, Holding: hold,
		}},
		Routing: scenarios.Routing{Routes: []scenarios.Route{{
			Region: "r",
			Media:  scenarios.PlaneRoute{Primaries: []scenarios.ID{"dc"}},
			Keys:   scenarios.KeyRoute{Custody: "client"},
		}}},
		Policy: []scenarios.PolicyRule{{Allow: scenarios.Allow{Media: []scenarios.Code{"US"}}}},
		Run: scenarios.RunSettings{
			Horizon: scenarios.Duration(horizon), Warmup: scenarios.Duration(20 * mean),
			Replications: reps, Seed: 1,
		},
	}
}

// mustLoad is the scenario src, loaded as file. Most tests assemble
// their YAML from pieces, so one that does not load fails the test with
// the text that was loaded.
func mustLoad(t testing.TB, file, src string) *scenarios.Scenario {
	t.Helper()
	s, err := format.Load(file, []byte(src))
	if err != nil {
		t.Fatalf("%v\n%s:\n%s", err, file, src)
	}
	return s
}

// mustCompile is s compiled; it fails the test if s does not compile.
func mustCompile(t testing.TB, s *scenarios.Scenario) *Model {
	t.Helper()
	m, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// run runs every replication of s, with its seed.
func run(t testing.TB, s *scenarios.Scenario) (*Model, []*Replication) {
	t.Helper()
	m := mustCompile(t, s)
	reps, err := Run(context.Background(), m, s.Run.Seed, s.Run.Replications, 0)
	if err != nil {
		t.Fatal(err)
	}
	return m, reps
}

func blocking(reps []*Replication) []float64 {
	xs := make([]float64, len(reps))
	for i, r := range reps {
		p := r.Populations[0]
		xs[i] = float64(p.Blocked) / float64(p.Offered)
	}
	return xs
}

func exponential(mean float64) scenarios.Holding {
	return scenarios.Holding{Distribution: "exponential", Mean: scenarios.Duration(mean)}
}

func TestErlangB(t *testing.T) {
	for _, tc := range []struct {
		a float64
		c int64
	}{{10, 10}, {90, 100}, {50, 60}} {
		s := lossSystem(tc.a, tc.c, exponential(100), 4e5, 20)
		_, reps := run(t, s)
		requireInside(t, "blocking", oracle.ErlangB(tc.a, int(tc.c)), blocking(reps))
	}
}

// Erlang B depends on the holding time only through its mean.
func TestErlangInsensitivity(t *testing.T) {
	for _, hold := range []scenarios.Holding{
		{Distribution: "lognormal", Mean: 100, SD: 200},
		{Distribution: "deterministic", Mean: 100},
	} {
		s := lossSystem(50, 60, hold, 4e5, 20)
		s.Run.Seed = 2
		_, reps := run(t, s)
		requireInside(t, hold.Distribution+" blocking", oracle.ErlangB(50, 60), blocking(reps))
	}
}

// Little's law, L = λW: the time-average occupancy equals the admitted rate
// times the mean holding time, a·(1 − B) for the loss system.
func TestLittlesLaw(t *testing.T) {
	s := lossSystem(90, 100, exponential(100), 4e5, 20)
	_, reps := run(t, s)
	occupancy := make([]float64, len(reps))
	for i, r := range reps {
		occupancy[i] = r.Datacenters[0].Planes[Media].BusyArea / r.Window
	}
	requireInside(t, "mean occupancy", 90*(1-oracle.ErlangB(90, 100)), occupancy)
}

// For arrivals at rate λ(t) = λ̄(1 + a·cos(ω(t − φ))) to infinitely many
// servers with exponential holding at rate μ, the mean number in service,
// once the start is forgotten, is
//
//	m(t) = λ̄/μ + λ̄·a·(μ·cos ω(t−φ) + ω·sin ω(t−φ)) / (μ² + ω²)
//
// (the solution of m' = λ(t) − μ·m). Its average over each bucket is
// compared with the simulated bucket occupancy.
func TestInfiniteServerSinusoid(t *testing.T) {
	const (
		mean   = 3600.0 // holding: an hour
		rate   = 0.5    // λ̄ per second
		amp    = 0.6
		period = 86400.0
		peak   = 14 * 3600.0
	)
	s := lossSystem(rate*mean, 1, exponential(mean), 2*period, 30)
	s.Datacenters[0].Capacity.Media = capacity(int64(scenarios.Unlimited))
	s.Populations[0].Profile = &scenarios.Profile{Sinusoid: &scenarios.Sinusoid{
		Amplitude: amp, Peak: scenarios.Duration(peak), Period: new(scenarios.Duration(period)),
	}}
	s.Run.Warmup = scenarios.Duration(period)
	s.Run.Bucket = new(scenarios.Duration(3 * 3600))
	m, reps := run(t, s)

	mu, w := 1/mean, 2*math.Pi/period
	// ∫ m(t) dt over [t0, t1], in closed form.
	integral := func(t0, t1 float64) float64 {
		f := func(t float64) float64 {
			x := w * (t - peak)
			return rate/mu*t + rate*amp*(mu*math.Sin(x)/w-math.Cos(x))/(mu*mu+w*w)
		}
		return f(t1) - f(t0)
	}
	first := int(m.Warmup / m.Bucket)
	level := 1 - 0.05/float64(m.NumBuckets-first)
	for b := first; b < m.NumBuckets; b++ {
		t0, t1 := float64(b)*m.Bucket, float64(b+1)*m.Bucket
		xs := make([]float64, len(reps))
		for i, r := range reps {
			xs[i] = r.Datacenters[0].Planes[Media].BucketBusy[b] / m.Bucket
		}
		requireInsideLevel(t, "bucket occupancy", integral(t0, t1)/m.Bucket, xs, level)
	}
}

// The intervals above are honest only if a 95% interval covers the exact
// value 95% of the time. Over many seeds, the share of intervals covering
// B(10, 10) must be within binomial noise of 0.95: a biased engine, or an
// interval that is too narrow, falls short.
func TestConfidenceIntervalCoverage(t *testing.T) {
	if testing.Short() {
		t.Skip("calibration run")
	}
	const experiments = 200
	exact := oracle.ErlangB(10, 10)
	covered := 0
	for seed := range uint64(experiments) {
		s := lossSystem(10, 10, exponential(10), 5000, 10)
		s.Run.Seed = seed
		_, reps := run(t, s)
		if lo, hi := interval(blocking(reps), 0.95); lo <= exact && exact <= hi {
			covered++
		}
	}
	// sd of the share is √(0.95·0.05/200) ≈ 0.015; allow about 3 sd.
	share := float64(covered) / experiments
	if share < 0.90 || share > 0.995 {
		t.Errorf("95%% intervals covered B(10,10) in %.3f of %d experiments", share, experiments)
	}
	t.Logf("coverage %.3f over %d experiments", share, experiments)
}

// A one-region loss system whose primaries (40 + 30 + 30 slots, tried in
// order) overflow to one forbidden datacenter of unlimited capacity: a join
// violates exactly when every primary is full, and hunting through the
// primaries makes them one pool of 100, so the violation rate is
// B(90, 100).
func TestViolationRateIsErlangB(t *testing.T) {
	s := lossSystem(90, 40, exponential(100), 4e5, 20)
	zero := map[string]scenarios.Duration{"r": 0}
	s.Datacenters = append(s.Datacenters,
		scenarios.Datacenter{ID: "dc2", Region: "r", Jurisdiction: "US", Capacity: scenarios.PlaneCapacity{Media: capacity(30)}, RTT: zero},
		scenarios.Datacenter{ID: "dc3", Region: "r", Jurisdiction: "US", Capacity: scenarios.PlaneCapacity{Media: capacity(30)}, RTT: zero},
		scenarios.Datacenter{ID: "cn", Region: "r", Jurisdiction: "CN", Capacity: scenarios.PlaneCapacity{Media: capacity(int64(scenarios.Unlimited))}, RTT: zero},
	)
	s.Routing.Whitelists = map[string][]scenarios.ID{"intl": {"cn"}}
	s.Routing.Routes[0].Media = scenarios.PlaneRoute{
		Primaries:   []scenarios.ID{"dc", "dc2", "dc3"},
		Secondaries: &scenarios.Secondary{Whitelist: "intl"},
	}
	_, reps := run(t, s)
	rates := make([]float64, len(reps))
	for i, r := range reps {
		p := r.Populations[0]
		if p.Blocked != 0 {
			t.Fatalf("replication %d blocked %d joins; the unlimited secondary takes them all", i, p.Blocked)
		}
		rates[i] = float64(p.Violations[Media]) / float64(p.Offered)
	}
	requireInside(t, "violation rate", oracle.ErlangB(90, 100), rates)
}

// The erlang built-in, as shipped, reproduces the value its description
// promises.
func TestBuiltinErlang(t *testing.T) {
	if testing.Short() {
		t.Skip("10^7 arrivals")
	}
	s, err := format.Resolve("erlang")
	if err != nil {
		t.Fatal(err)
	}
	_, reps := run(t, s)
	requireInside(t, "erlang built-in blocking", oracle.ErlangB(90, 100), blocking(reps))
}
