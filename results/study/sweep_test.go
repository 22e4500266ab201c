package study

import (
	"context"
	"encoding/json"
	"path/filepath"
	"testing"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
)

// loadStudy loads testdata/sweep/study.yaml, a 6-point study of a small
// system whose overflow goes to Beijing; .ci/slurm-sweep.sh runs it on
// Slurm too.
func loadStudy(t *testing.T) *format.Study {
	t.Helper()
	st, err := format.LoadStudyFile(filepath.Join("testdata", "sweep", "study.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return st
}

// Each point of a sweep has the figures `geofence run --set …` gives for
// the point's overrides: the same replications of the same scenario.
func TestSweepPointIsRun(t *testing.T) {
	st := loadStudy(t)
	sw, err := Sweep(context.Background(), st, Changes{}, SweepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	if len(sw.Points) != 6 || sw.Replications != 4 || sw.Seed != 5 {
		t.Fatalf("%d points of %d replications on seed %d, want 6 of 4 on 5", len(sw.Points), sw.Replications, sw.Seed)
	}
	for i, pt := range sw.Points {
		s, err := loadRecorded(st.ScenarioRef(), pt.Overrides)
		if err != nil {
			t.Fatal(err)
		}
		r, err := Run(context.Background(), s, Options{})
		if err != nil {
			t.Fatal(err)
		}
		want, _ := json.Marshal(PointOf(pt.Values, r))
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
	st := loadStudy(t)
	st.Axes[0].Values[1] = "-3"
	_, err := Sweep(context.Background(), st, Changes{}, SweepOptions{})
	ps, ok := err.(scenarios.Problems)
	if !ok || len(ps) != 1 || ps[0].Line != 4 {
		t.Fatalf("error %v, want one problem at line 4 of the study", err)
	}
}

// loadRecorded loads ref with the changes a report recorded.
func loadRecorded(ref string, overrides []string) (*scenarios.Scenario, error) {
	s, err := format.Resolve(ref)
	if err != nil {
		return nil, err
	}
	return apply(s, overrides, "test")
}
