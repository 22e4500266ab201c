package results_test

import (
	"math"
	"testing"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/sim/oracle"
)

// The report of a real run holds the engine's figures together: joins are
// conserved, the overflow is Erlang B, every violation has its cause.
func TestSummarizeEngineRun(t *testing.T) {
	s := fixture.OverflowScenario()
	m, reps := fixture.RunScenario(t, s)
	r := fixture.Summarize(t, m, reps, results.Meta{Seed: s.Run.Seed})
	f := r.Populations[0].Figures

	sum := f.AdmittedPrimary.Mean + f.AdmittedSecondary.Mean + f.Blocked.Mean
	if math.Abs(f.Offered.Mean-sum) > 1e-9 {
		t.Errorf("offered %v != admitted primary + secondary + blocked %v", f.Offered.Mean, sum)
	}
	exact := oracle.ErlangB(10, 10)
	for name, e := range map[string]results.Estimate{"secondary_share": f.SecondaryShare, "violation_rate.media": f.ViolationRate.Media} {
		if e.Low > exact || exact > e.High {
			t.Errorf("%s: Erlang B(10, 10) = %.6f outside [%.6f, %.6f]", name, exact, e.Low, e.High)
		}
	}
	if len(r.Causes) != 1 {
		t.Fatalf("want one cause (us full, cn picked from intl), got %+v", r.Causes)
	}
	c := r.Causes[0]
	if c.Count.Mean != f.Violations.Media.Mean || c.Datacenter != "cn" || *c.Entry != 0 || c.Full[0] != "us" {
		t.Errorf("cause %+v does not account for the %v media violations", c, f.Violations.Media.Mean)
	}
	// Little's law through the report: us holds a·(1 − B) participants on
	// average, and is full a fraction B of the time (PASTA).
	us := r.Datacenters[0].Planes[0]
	if want := 10 * (1 - exact); us.MeanOccupancy.Low > want || want > us.MeanOccupancy.High {
		t.Errorf("us mean occupancy %+v, want %.4f inside", us.MeanOccupancy, want)
	}
	if us.TimeCongestion.Low > exact || exact > us.TimeCongestion.High {
		t.Errorf("us time congestion %+v, want %.6f inside", us.TimeCongestion, exact)
	}
}
