package results_test

import (
	"math"
	"testing"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/scenarios"
)

// Each plane's total per bucket is its stacks added up, with the interval
// of the replications' own totals in that bucket.
func TestForbiddenTotals(t *testing.T) {
	r := fixture.SpillReport(t)
	s := r.Series
	if len(s.ForbiddenTotals) != len(scenarios.Planes) {
		t.Fatalf("%d plane totals, want one per plane: %+v", len(s.ForbiddenTotals), s.ForbiddenTotals)
	}
	for _, band := range s.ForbiddenTotals {
		p := results.PlaneIndex(band.Plane)
		for b := range s.StartS {
			var stacked float64
			for _, f := range s.Forbidden {
				if f.Plane == band.Plane {
					stacked += f.Violations[b]
				}
			}
			perRep := make([]float64, r.Replications)
			for k := range perRep {
				for _, c := range fixture.SpillCauses(k) {
					if c.Plane == p {
						perRep[k] += float64(c.Buckets[b])
					}
				}
			}
			want := results.EstimateOf(perRep)
			got := band.Violations[b]
			if b == 0 {
				if !math.IsNaN(got) || !math.IsNaN(band.Low[b]) {
					t.Errorf("%s bucket 0 is warm-up: %v [%v, %v], want NaN", band.Plane, got, band.Low[b], band.High[b])
				}
				continue
			}
			if math.Abs(got-stacked) > 1e-12 || math.Abs(got-want.Mean) > 1e-12 ||
				math.Abs(band.Low[b]-want.Low) > 1e-9 || math.Abs(band.High[b]-want.High) > 1e-9 {
				t.Errorf("%s bucket %d: %v [%v, %v], stacks %v, want %v [%v, %v]", band.Plane, b, got, band.Low[b], band.High[b], stacked, want.Mean, want.Low, want.High)
			}
		}
	}
}

// Utilisation per bucket is occupancy over capacity: undefined where the
// capacity is unlimited or zero throughout.
func TestSeriesUtilisation(t *testing.T) {
	s := fixture.SpillReport(t).Series
	for _, d := range s.Datacenters {
		for _, p := range d.Planes {
			for b := range p.Utilisation {
				want := p.Occupancy[b] / p.Capacity[b]
				if p.Capacity[b] == 0 || math.IsNaN(p.Capacity[b]) {
					want = math.NaN()
				}
				if got := p.Utilisation[b]; !(got == want || math.IsNaN(got) && math.IsNaN(want)) {
					t.Errorf("%s %s bucket %d: utilisation %v, want %v", d.ID, p.Plane, b, got, want)
				}
			}
		}
	}
	if u := s.Datacenters[fixture.USEast].Planes[0].Utilisation[3]; u != 0.85 {
		t.Errorf("us-east media bucket 3: utilisation %v, want 85/100", u)
	}
}

// A datacenter's timeline comes into the series as the scenario writes
// it, up to the horizon.
func TestSeriesTimeline(t *testing.T) {
	m := fixture.SpillModel()
	unlimited := scenarios.Unlimited
	six := scenarios.Capacity(6)
	m.Scenario.Datacenters = []scenarios.Datacenter{{ID: "us-west", Timeline: []scenarios.TimelineEntry{
		{At: scenarios.Moment{Duration: 5400}, State: "down"},
		{At: scenarios.Moment{Duration: 7200}, State: "up", Capacity: &scenarios.PlaneCapacity{Media: &six, Keys: &unlimited}},
		{At: scenarios.Moment{Duration: 4 * 3600}, State: "down"}, // at the horizon: never happens
	}}}
	reps := fixture.SpillReplications(3)
	got := fixture.Summarize(t, m, reps, fixture.SpillMeta).Series.Datacenters
	if len(got[fixture.USEast].Timeline) != 0 || len(got[fixture.BJ1].Timeline) != 0 {
		t.Errorf("us-east and bj1 have no timeline, got %+v and %+v", got[fixture.USEast].Timeline, got[fixture.BJ1].Timeline)
	}
	west := got[fixture.USWest].Timeline
	if len(west) != 2 || west[0].AtS != 5400 || west[0].State != "down" || len(west[0].Capacity) != 0 ||
		west[1].State != "up" || len(west[1].Capacity) != 2 || *west[1].Capacity[0].Capacity != 6 || west[1].Capacity[1].Capacity != nil {
		t.Errorf("us-west timeline %+v, want down at 5400 s, then up at 7200 s with media 6 and keys unlimited", west)
	}
}
