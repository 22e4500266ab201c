package fence_test

import (
	"context"
	"slices"
	"testing"

	"github.com/geofence/geofence/scenarios/fence"
	"github.com/geofence/geofence/scenarios/format"
	"github.com/geofence/geofence/sim"
)

// Where the engine lands joins through failover and dns routes, outside
// their fences, the static analysis finds too: simulated forbidden
// landings are a subset of the statically reachable ones, and in these
// examples (an outage of the primary) they are the same.
func TestAnswerLandingsWithinStaticReach(t *testing.T) {
	for _, file := range []string{"../consul/testdata/media-nearest.yaml", "../route53/testdata/media-geo.yaml"} {
		s, err := format.LoadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		fences, err := fence.Analyze(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		m, err := sim.Compile(s)
		if err != nil {
			t.Fatal(err)
		}
		reps, err := sim.Run(context.Background(), m, s.Run.Seed, s.Run.Replications, 0)
		if err != nil {
			t.Fatal(err)
		}
		landed := 0
		for pi, p := range m.Populations {
			for dc, d := range m.Datacenters {
				for pl := range sim.NumPlanes {
					if _, ok := slices.BinarySearch(p.Allowed[pl], d.Jurisdiction); ok {
						continue
					}
					var n int64
					for _, r := range reps {
						n += r.Populations[pi].Landed[dc][pl]
					}
					if n == 0 {
						continue
					}
					landed++
					found := false
					for _, f := range fences {
						if f.Population == p.ID && int(sim.Plane(slices.Index(planeNames, string(f.Plane)))) == int(pl) {
							found = found || slices.ContainsFunc(f.Findings, func(x fence.Finding) bool { return x.Datacenter == d.ID })
						}
					}
					if !found {
						t.Errorf("%s: %d joins of %s landed at %s (%s), which the static analysis does not reach", file, n, p.ID, d.ID, d.Jurisdiction)
					}
				}
			}
		}
		if landed == 0 {
			t.Errorf("%s: no forbidden landing simulated: the outage should send joins outside the fence", file)
		}
	}
}

var planeNames = []string{"media", "keys", "connector"}
