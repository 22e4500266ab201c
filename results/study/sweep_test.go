package study

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/scenarios"
)

const sweepScenario = `name: spill
regions: [{id: na}]
datacenters:
  - {id: us-1, region: na, jurisdiction: US, capacity: {media: 10}, rtt: {na: 20ms}}
  - {id: cn-1, region: na, jurisdiction: CN, capacity: {media: unlimited}, rtt: {na: 180ms}}
populations:
  - {id: us-free, region: na, jurisdiction: US, plan: free, joins_per_second: 0.1, holding: {distribution: exponential, mean: 100s}}
routing:
  whitelists: {intl: [cn-1]}
  routes:
    - {region: na, media: {primaries: [us-1], secondaries: {whitelist: intl}}, keys: {custody: client}}
policy:
  - select: {}
    allow: {media: [US], keys: [US], connector: [US]}
run: {horizon: 4h, warmup: 10m, replications: 3, seed: 5}
`

const sweepStudy = `scenario: spill.yaml
set: ["run.replications=4"]
axes:
  - {set: "datacenters[us-1].capacity.media", values: [8, 12]}
  - {set: "populations[us-free].joins_per_second", values: [0.05, 0.1, 0.15]}
`

// writeStudy writes the study and its scenario to a new directory.
func writeStudy(t *testing.T) *scenarios.Study {
	t.Helper()
	dir := t.TempDir()
	for name, text := range map[string]string{"spill.yaml": sweepScenario, "study.yaml": sweepStudy} {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	st, err := scenarios.LoadStudyFile(filepath.Join(dir, "study.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Each point of a sweep has the figures `geofence run --set …` gives for
// the point's overrides: the same replications of the same scenario.
func TestSweepPointIsRun(t *testing.T) {
	st := writeStudy(t)
	sw, err := Sweep(context.Background(), st, Changes{}, SweepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sw.Points) != 6 || sw.Replications != 4 || sw.Seed != 5 {
		t.Fatalf("%d points of %d replications on seed %d, want 6 of 4 on 5", len(sw.Points), sw.Replications, sw.Seed)
	}
	for i, pt := range sw.Points {
		s, err := Load(context.Background(), st.ScenarioRef(), Changes{Set: pt.Overrides})
		if err != nil {
			t.Fatal(err)
		}
		r, err := Run(context.Background(), s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(results.PointOf(pt.Values, r))
		got, _ := json.Marshal(pt)
		if string(got) != string(want) {
			t.Errorf("point %d (%v): the sweep's figures differ from the run's", i, pt.Values)
		}
	}
	// Differences between points are paired: the offered load is the
	// same at both capacities, replication by replication.
	small, large := sw.Points[1].Total.Offered.PerReplication, sw.Points[4].Total.Offered.PerReplication
	for k := range small {
		if small[k] != large[k] {
			t.Errorf("replication %d offers %v joins at capacity 8 and %v at 12", k, small[k], large[k])
		}
	}
}

// A value that does not fit is refused before any point runs, located
// in the study file, once however many points share it.
func TestSweepRefusesBadPoints(t *testing.T) {
	st := writeStudy(t)
	st.Axes[0].Values[1] = "-3"
	_, err := Sweep(context.Background(), st, Changes{}, SweepOptions{})
	ps, ok := err.(scenarios.Problems)
	if !ok || len(ps) != 1 || ps[0].Line != 4 {
		t.Fatalf("error %v, want one problem at line 4 of the study", err)
	}
}
