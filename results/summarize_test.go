package results_test

import (
	"bytes"
	"encoding/json"
	"math"
	"slices"
	"testing"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/sim"
	"github.com/geofence/geofence/sim/latency"
)

// Offered joins of na-free are 100, 110, 120: mean 110, s = 10, and the
// half-width is t(0.975, 2)·10/√3 = 4.302653·5.773503 = 24.841377.
func TestSummarizeCounts(t *testing.T) {
	r := fixture.SpillReport(t)
	free := r.Populations[0]
	fixture.AssertEstimate(t, free.Offered, results.Estimate{Mean: 110, Low: 110 - 24.841377, High: 110 + 24.841377, HalfWidth: 24.841377, N: 3}, 1e-6)
	// The total adds na-gov's 10, 12, 8 within each replication first:
	// 110, 122, 128, not the sum of the two populations' intervals.
	fixture.AssertEstimate(t, r.Total.Offered, results.EstimateOf([]float64{110, 122, 128}), 1e-12)
	fixture.AssertEstimate(t, free.Retries, results.EstimateOf([]float64{2, 3, 4}), 1e-12)
	fixture.AssertEstimate(t, free.Violations.Keys, results.EstimateOf([]float64{1, 1, 2}), 1e-12)
	fixture.AssertEstimate(t, free.ViolatingMinutes.Media, results.EstimateOf([]float64{25, 40, 50}), 1e-12)
}

// Ratios are estimated over the per-replication ratios, not as a ratio of
// means: na-free blocks 5/100, 5/110 and 6/120.
func TestSummarizeRatios(t *testing.T) {
	r := fixture.SpillReport(t)
	free := r.Populations[0]
	fixture.AssertEstimate(t, free.BlockingProbability, results.EstimateOf([]float64{0.05, 5.0 / 110, 0.05}), 1e-12)
	fixture.AssertEstimate(t, free.ViolationRate.Media, results.EstimateOf([]float64{0.05, 8.0 / 110, 10.0 / 120}), 1e-12)
	fixture.AssertEstimate(t, r.Total.BlockingProbability, results.EstimateOf([]float64{5.0 / 110, 5.0 / 122, 7.0 / 128}), 1e-12)
}

// Latency quantiles are read per replication from the histogram, exact to
// its 0.5% bins: na-free's median is 50, 60 and 70 ms.
func TestSummarizeLatency(t *testing.T) {
	r := fixture.SpillReport(t)
	p50 := r.Populations[0].LatencyP50
	if p50.N != 3 || math.Abs(p50.Mean-0.060)/0.060 > 0.005 {
		t.Errorf("na-free latency p50 = %+v, want mean 0.060 ± 0.5%% over 3", p50)
	}
}

// The total's latency comes from the populations' histograms merged bin by
// bin; an empty histogram (never allocated) merges as nothing.
func TestTotalMergesLatency(t *testing.T) {
	slow, fast, empty := sim.PopulationTally{}, sim.PopulationTally{}, sim.PopulationTally{}
	slow.Latency.Counts = make([]int64, latency.Bins)
	fast.Latency.Counts = make([]int64, latency.Bins)
	for range 3 {
		slow.Latency.Add(1.0)
	}
	fast.Latency.Add(0.1)
	var sum sim.PopulationTally
	for _, t := range []sim.PopulationTally{empty, slow, fast} {
		sum.Add(&t)
	}
	if sum.Latency.N != 4 {
		t.Fatalf("merged N = %d, want 4", sum.Latency.N)
	}
	for _, c := range []struct{ p, want float64 }{{0.25, 0.1}, {0.5, 1.0}, {1, 1.0}} {
		if got := sum.Latency.Quantile(c.p); math.Abs(got-c.want)/c.want > 0.005 {
			t.Errorf("merged quantile %v = %v, want %v ± 0.5%%", c.p, got, c.want)
		}
	}
}

// offered = admitted_primary + admitted_secondary + blocked holds in each
// replication, so it holds for the means; and the total's counts are the
// populations' counts summed.
func TestSummarizeConservation(t *testing.T) {
	r := fixture.SpillReport(t)
	conserved := func(what string, f results.Figures) {
		sum := f.AdmittedPrimary.Mean + f.AdmittedSecondary.Mean + f.Blocked.Mean
		if math.Abs(f.Offered.Mean-sum) > 1e-9 {
			t.Errorf("%s: offered %v != admitted primary + secondary + blocked %v", what, f.Offered.Mean, sum)
		}
	}
	for _, p := range r.Populations {
		conserved(p.ID, p.Figures)
	}
	conserved("total", r.Total)

	sum := func(f func(results.Figures) results.Estimate) (s float64) {
		for _, p := range r.Populations {
			s += f(p.Figures).Mean
		}
		return s
	}
	for name, f := range map[string]func(results.Figures) results.Estimate{
		"offered":           func(f results.Figures) results.Estimate { return f.Offered },
		"blocked":           func(f results.Figures) results.Estimate { return f.Blocked },
		"media violations":  func(f results.Figures) results.Estimate { return f.Violations.Media },
		"keys minutes":      func(f results.Figures) results.Estimate { return f.ViolatingMinutes.Keys },
		"admitted primary":  func(f results.Figures) results.Estimate { return f.AdmittedPrimary },
		"connector minutes": func(f results.Figures) results.Estimate { return f.ViolatingMinutes.Connector },
	} {
		if got, want := f(r.Total).Mean, sum(f); math.Abs(got-want) > 1e-9 {
			t.Errorf("total %s = %v, populations sum to %v", name, got, want)
		}
	}
}

func TestSummarizeDatacenters(t *testing.T) {
	r := fixture.SpillReport(t)
	east, west := r.Datacenters[fixture.USEast], r.Datacenters[fixture.USWest]
	if got := len(west.Planes); got != 1 {
		t.Fatalf("us-west serves media only, got %d planes", got)
	}
	media := west.Planes[0]
	// us-west was down 1800 of 10800 measured seconds in the second
	// replication only.
	fixture.AssertEstimate(t, media.DownFraction, results.EstimateOf([]float64{0, 1.0 / 6, 0}), 1e-12)
	// Its utilisation is time-weighted over the time it was up.
	fixture.AssertEstimate(t, *media.Utilisation, results.EstimateOf([]float64{0.2, 19.0 / 100 * 10800 / 9000, 0.18}), 1e-12)
	fixture.AssertEstimate(t, media.MeanOccupancy, results.EstimateOf([]float64{20, 19, 18}), 1e-12)
	if keys := east.Planes[sim.Keys]; keys.Plane != "keys" || keys.Utilisation != nil {
		t.Errorf("us-east keys is unlimited: want no utilisation, got %+v", keys)
	}
}

func TestSummarizeCauses(t *testing.T) {
	r := fixture.SpillReport(t)
	if len(r.Causes) != 5 {
		t.Fatalf("got %d causes, want 5", len(r.Causes))
	}
	first := r.Causes[0]
	fixture.AssertEstimate(t, first.Count, results.EstimateOf([]float64{5, 6, 10}), 1e-12)
	if first.Whitelist != "intl" || first.Entry == nil || *first.Entry != 1 {
		t.Errorf("bj1 is entry 1 of intl, got %q %v", first.Whitelist, first.Entry)
	}
	if !slices.Equal(first.Full, []string{"us-east", "us-west"}) || len(first.Down) != 0 {
		t.Errorf("full %v down %v, want both primaries full", first.Full, first.Down)
	}
	if want := []results.BucketCount{{2, 11.0 / 3}, {1, 2}, {3, 4.0 / 3}}; !slices.Equal(first.TopBuckets, want) {
		t.Errorf("top buckets %v, want %v", first.TopBuckets, want)
	}
	// The second replication has no key cause through the key route: it
	// counts zero.
	keys := r.Causes[1]
	if keys.Plane != "keys" || keys.Via != "keys" || *keys.Entry != 0 || keys.Whitelist != "kms-backup" {
		t.Errorf("second cause = %+v, want keys via kms-backup[0]", keys)
	}
	fixture.AssertEstimate(t, keys.Count, results.EstimateOf([]float64{1, 0, 2}), 1e-12)
	if down := r.Causes[2].Down; !slices.Equal(down, []string{"us-west"}) {
		t.Errorf("third cause down %v, want [us-west]", down)
	}
	// Every violation has exactly one cause.
	for plane := range sim.NumPlanes {
		var sum float64
		for _, c := range r.Causes {
			if c.Plane == results.PlaneName(plane) {
				sum += c.Count.Mean
			}
		}
		if want := r.Total.Violations.At(plane).Mean; math.Abs(sum-want) > 1e-9 {
			t.Errorf("%s causes sum to %v, violations %v", results.PlaneName(plane), sum, want)
		}
	}
}

func TestSummarizeSeries(t *testing.T) {
	r := fixture.SpillReport(t)
	s := r.Series
	if !slices.Equal(s.StartS, []float64{0, 3600, 7200, 10800}) {
		t.Errorf("bucket starts %v", s.StartS)
	}
	offered := s.Populations[0].Offered
	if !math.IsNaN(offered[0]) {
		t.Errorf("bucket 0 lies in the warm-up, want NaN, got %v", offered[0])
	}
	if want := (33.0 + 36 + 40) / 3; offered[1] != want {
		t.Errorf("na-free offered in bucket 1 = %v, want %v", offered[1], want)
	}
	if got := s.Populations[0].Violations.Media[2]; got != 13.0/3 {
		t.Errorf("na-free media violations in bucket 2 = %v, want 13/3", got)
	}
	occ := s.Datacenters[fixture.USEast].Planes[0]
	if occ.Plane != "media" || occ.Occupancy[3] != 85 {
		t.Errorf("us-east media occupancy in bucket 3 = %v, want 85", occ)
	}
}

// The JSON report carries what makes it reproducible.
func TestReportJSONProvenance(t *testing.T) {
	var buf bytes.Buffer
	if err := render.Run(&buf, fixture.SpillReport(t), "json", render.Options{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		FormatVersion *int    `json:"format_version"`
		Seed          *uint64 `json:"seed"`
		Version       *string `json:"version"`
		Scenario      struct {
			SHA256 *string `json:"sha256"`
		} `json:"scenario"`
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.FormatVersion == nil || *doc.FormatVersion != results.FormatVersion ||
		doc.Seed == nil || *doc.Seed != fixture.SpillMeta.Seed ||
		doc.Version == nil || *doc.Version != fixture.SpillMeta.Version ||
		doc.Scenario.SHA256 == nil || *doc.Scenario.SHA256 != fixture.SpillMeta.SHA256 {
		t.Errorf("JSON provenance wrong or missing: %s", buf.Bytes()[:300])
	}
}

// A saved JSON report renders exactly as the report it was saved from.
func TestReportJSONRoundTrip(t *testing.T) {
	for _, reps := range []int{1, 3} {
		r := fixture.Summarize(t, fixture.SpillModel(), fixture.SpillReplications(reps), fixture.SpillMeta)
		var saved bytes.Buffer
		if err := render.Run(&saved, r, "json", render.Options{}); err != nil {
			t.Fatal(err)
		}
		var back results.Report
		if err := json.Unmarshal(saved.Bytes(), &back); err != nil {
			t.Fatal(err)
		}
		for _, format := range render.RunFormats() {
			var want, got bytes.Buffer
			if err := render.Run(&want, r, format, render.Options{Detail: true}); err != nil {
				t.Fatal(err)
			}
			if err := render.Run(&got, &back, format, render.Options{Detail: true}); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("%d replications, %s: the reloaded report renders differently", reps, format)
			}
		}
	}
}

// Occupancy per bucket is over the bucket's measured part: here the
// warm-up ends halfway through bucket 0 and the horizon halfway through
// bucket 2, so each of them measured 1800 s.
func TestSeriesPartialBuckets(t *testing.T) {
	m := &sim.Model{
		Scenario:    fixture.SpillModel().Scenario,
		Datacenters: []sim.DatacenterInfo{{ID: "dc", Serves: [3]bool{true, false, false}, Capacity: [3]int64{10, 0, 0}}},
		Horizon:     9000, Warmup: 1800, Bucket: 3600, NumBuckets: 3,
	}
	var dc sim.DatacenterTally
	dc.Planes[sim.Media].BucketBusy = []float64{4 * 1800, 4 * 3600, 4 * 1800}
	dc.Planes[sim.Media].BusyArea = 4 * 7200
	rep := &sim.Replication{Window: 7200, Datacenters: []sim.DatacenterTally{dc}}
	got := fixture.Summarize(t, m, []*sim.Replication{rep}, results.Meta{}).Series.Datacenters[0].Planes[0].Occupancy
	if !slices.Equal(got, results.Values{4, 4, 4}) {
		t.Errorf("occupancy = %v, want 4 in every bucket", got)
	}
}

// Two tallies of one cause in a replication add up; the sim does not emit
// them today, but aggregation must not depend on it.
func TestCausesAddUpWithinReplication(t *testing.T) {
	rep := fixture.SpillReplication(0)
	split := rep.Causes[0]
	split.Count, split.Minutes, split.Buckets = 1, 5, []int64{0, 1, 0, 0}
	rep.Causes[0].Count--
	rep.Causes[0].Minutes -= 5
	rep.Causes[0].Buckets = []int64{0, 0, 3, 1}
	rep.Causes = append(rep.Causes, split)
	c := fixture.Summarize(t, fixture.SpillModel(), []*sim.Replication{rep}, fixture.SpillMeta).Causes[0]
	if c.Count.Mean != 5 || c.ViolatingMinutes.Mean != 25 || c.TopBuckets[0] != (results.BucketCount{2, 3}) {
		t.Errorf("cause = %+v, want the two halves added: 5 violations, 25 minutes", c)
	}
}
