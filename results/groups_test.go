package results_test

import (
	"math"
	"testing"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// A group's rate is of its joins pooled: in each replication the
// violations of all its populations over the joins all of them offered,
// then the Student-t interval over replications — not an average of the
// populations' rates. Worked out here from the replications' own counts:
// the group of na-free and na-gov, whose media violations are na-free's.
func TestGroupRateIsPooledPerReplication(t *testing.T) {
	m := fixture.SpillModel()
	m.Scenario.Populations = []scenarios.Population{{ID: "na-free", Plan: "free"}, {ID: "na-gov", Plan: "gov"}}
	m.Scenario.Run.Groups = []scenarios.Group{{ID: "na", Populations: []scenarios.ID{"na-free", "na-gov"}}, {ID: "free", Select: &scenarios.Selector{Plan: "free"}}}
	reps := fixture.SpillReplications(3)
	r := fixture.Summarize(t, m, reps, fixture.SpillMeta)
	g := r.Group("na")
	if g == nil || len(g.Populations) != 2 {
		t.Fatalf("group na: %+v", g)
	}

	// By hand: the ratio of sums in each replication, their mean, sample
	// standard deviation and t(0.975, 2) = 4.302653 half-width; the
	// one-sided bound with t(0.95, 2) = 2.919986.
	var ratios, blocking []float64
	for _, rep := range reps {
		free, gov := rep.Populations[0], rep.Populations[1]
		offered := float64(free.Offered + gov.Offered)
		ratios = append(ratios, float64(free.Violations[sim.Media]+gov.Violations[sim.Media])/offered)
		blocking = append(blocking, float64(free.Blocked+gov.Blocked)/offered)
	}
	for _, c := range []struct {
		name   string
		got    results.Estimate
		values []float64
	}{{"media violation rate", g.ViolationRate.Media, ratios}, {"blocking", g.BlockingProbability, blocking}} {
		mean := (c.values[0] + c.values[1] + c.values[2]) / 3
		var ss float64
		for _, x := range c.values {
			ss += (x - mean) * (x - mean)
		}
		sd := math.Sqrt(ss / 2)
		half := 4.302653 * sd / math.Sqrt(3)
		upper := mean + 2.919986*sd/math.Sqrt(3)
		if math.Abs(c.got.Mean-mean) > 1e-12 || math.Abs(c.got.Low-(mean-half)) > 1e-6 || math.Abs(c.got.High-(mean+half)) > 1e-6 || math.Abs(c.got.Upper-upper) > 1e-6 {
			t.Errorf("%s: %v [%v, %v] upper %v, by hand %v [%v, %v] upper %v", c.name, c.got.Mean, c.got.Low, c.got.High, c.got.Upper, mean, mean-half, mean+half, upper)
		}
		// Not the average of the populations' rates, which weighs na-gov's
		// few joins as much as na-free's many.
		free, gov := r.Populations[0].Figures, r.Populations[1].Figures
		avg := (free.ViolationRate.Media.Mean + gov.ViolationRate.Media.Mean) / 2
		if c.name == "media violation rate" && math.Abs(c.got.Mean-avg) < 1e-9 {
			t.Errorf("the group's rate %v is the average of its populations' rates", c.got.Mean)
		}
	}
	if f := r.Group("free"); f == nil || len(f.Populations) != 1 || f.ViolationRate.Media.Mean != r.Populations[0].ViolationRate.Media.Mean {
		t.Errorf("a group of one population has its figures: %+v", f)
	}
}
