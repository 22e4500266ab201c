package fence_test

import (
	"context"
	"slices"
	"testing"

	"github.com/geofence/geofence/scenarios"
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
		m, reps := simulate(t, s, s.Run.Seed, s.Run.Replications)
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

// The split geofence routes shows for the Route 53 example: EU queries go
// to Dublin while it is healthy and to us-east-1 when it is not; the rest
// of the world always to us-east-1.
func TestAnswerSplit(t *testing.T) {
	s, err := format.LoadFile("../route53/testdata/media-geo.yaml")
	if err != nil {
		t.Fatal(err)
	}
	index := s.DatacenterIndex()
	for _, c := range []struct {
		population string
		unhealthy  []scenarios.ID
		want       scenarios.ID
	}{
		{"de-users", nil, "ie-dub"},
		{"de-users", []scenarios.ID{"ie-dub"}, "us-iad"},
		{"de-users", []scenarios.ID{"ie-dub", "us-iad"}, "ie-dub"}, // every record unhealthy: all are healthy again
		{"br-users", nil, "us-iad"},
	} {
		p := &s.Populations[slices.IndexFunc(s.Populations, func(p scenarios.Population) bool { return string(p.ID) == c.population })]
		_, pr := s.PlaneRouteOf(p, scenarios.Media)
		down := map[int]bool{}
		for _, id := range c.unhealthy {
			down[index(id)] = true
		}
		d := fence.AnswerSplit(s, p, pr, down)
		if len(d.Shares) != 1 || d.Shares[0].Datacenter != index(c.want) || d.Shares[0].P != 1 || d.None != 0 {
			t.Errorf("%s with %v unhealthy: %+v, want all at %s", c.population, c.unhealthy, d, c.want)
		}
	}
}
