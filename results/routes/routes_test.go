package routes_test

import (
	"math"
	"strings"
	"testing"

	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/results/routes"
	"github.com/geofence/geofence/scenarios/format"
)

const routesYAML = `name: routes
regions: [{id: na}]
datacenters:
  - {id: us-1, region: na, jurisdiction: US, capacity: {media: 10, keys: 10}, rtt: {na: 10ms}}
  - {id: us-2, region: na, jurisdiction: US, capacity: {media: 10, keys: 10}, rtt: {na: 20ms}}
  - {id: us-3, region: na, jurisdiction: US, capacity: {media: 10, keys: 10}, rtt: {na: 30ms}}
  - {id: de-1, region: na, jurisdiction: DE, capacity: {media: 10, keys: 10}, rtt: {na: 90ms}}
  - {id: cn-1, region: na, jurisdiction: CN, capacity: {media: 10, keys: 10}, rtt: {na: 180ms}}
populations:
  - {id: us, region: na, jurisdiction: US, plan: free, joins_per_second: 1, holding: {distribution: exponential, mean: 1m}}
routing:
  whitelists:
    backup: [us-2, us-3, de-1, cn-1]
  routes:
    - region: na
      media:
        balance:
          priorities:
            - [{datacenter: us-1, hosts: 3}]
            - [{datacenter: us-2, weight: 3}, {datacenter: cn-1}]
          panic_threshold: 0
          locality_weighted: true
          outlier_detection: {max_ejection_percent: 100}
      keys: {primaries: [us-1], secondaries: {whitelist: backup, picks: 2}}
policy:
  - select: {}
    allow: {media: [US], keys: [US], connector: [US]}
run: {horizon: 1h, replications: 2, seed: 1}
`

// Routes gives, for the datacenters taken to be unhealthy, the exact
// split: a balance route's by Envoy's arithmetic, a walk's by its first
// available primary, then its random picks.
func TestRoutes(t *testing.T) {
	s := fixture.Load(t, "routes.yaml", routesYAML)
	r, err := routes.Build(s, routes.Options{Unhealthy: []string{"us-1", "us-2"}})
	if err != nil {
		t.Fatal(err)
	}
	shares := func(c routes.Chain) map[string]float64 {
		out := map[string]float64{}
		for _, sh := range c.Split {
			out[sh.Name] = *sh.Share
		}
		return out
	}
	media, keys := r.Chains[0], r.Chains[1]
	// us-1 and us-2 down: P0 has no healthy host, P1 takes everything,
	// all of it to cn-1, the only healthy locality left.
	if got := shares(media); got["cn-1"] != 1 || got["us-1"] != 0 || got["us-2"] != 0 {
		t.Errorf("media split %v: want everything at cn-1", got)
	}
	if media.Priorities[1].Load != 100 || media.Balance.EjectionBudget != 5 || len(media.Excluded) != 2 {
		t.Errorf("media chain %+v: want P1 at 100%%, a budget of 5 hosts and us-3, de-1 excluded", media)
	}
	// The walk: us-1 down, so two of the four backup entries are picked at
	// random. Only us-2 of them is down, so two picks are never both down
	// (C(1,2) = 0), and each of the three available entries is the first
	// available pick alike: a third each.
	got := shares(keys)
	for _, id := range []string{"us-3", "de-1", "cn-1"} {
		if math.Abs(got[id]-1.0/3) > 1e-15 {
			t.Errorf("keys split %v: want a third each at us-3, de-1 and cn-1", got)
		}
	}
	if *keys.NoHost != 0 {
		t.Errorf("keys blocked %v, want 0", *keys.NoHost)
	}
	// With us-3 down too, the picks both fall among the two down entries
	// (us-2, us-3) with chance C(2,2)/C(4,2) = 1/6; else de-1 or cn-1 alike.
	r, err = routes.Build(s, routes.Options{Unhealthy: []string{"us-1", "us-2", "us-3"}, Plane: "keys"})
	if err != nil {
		t.Fatal(err)
	}
	got = shares(r.Chains[0])
	if math.Abs(got["de-1"]-5.0/12) > 1e-15 || math.Abs(got["cn-1"]-5.0/12) > 1e-15 || math.Abs(*r.Chains[0].NoHost-1.0/6) > 1e-15 {
		t.Errorf("keys split %v, blocked %v: want 5/12, 5/12 and 1/6", got, *r.Chains[0].NoHost)
	}
	if len(r.Chains[0].Jurisdictions) != 3 || r.Chains[0].Jurisdictions[0].Allowed || r.Chains[0].Jurisdictions[2].Name != "US" {
		t.Errorf("jurisdictions %+v: want CN and DE (forbidden), then US", r.Chains[0].Jurisdictions)
	}
	if _, err := routes.Build(s, routes.Options{Unhealthy: []string{"us-9"}}); err == nil || !strings.Contains(err.Error(), "us-1, us-2") {
		t.Errorf("an unknown datacenter: %v, want an error listing the datacenters", err)
	}
}

// A failover route's chain is its targets in order, and the split
// follows the first healthy one (fence.AnswerSplit).
func TestRoutesFailover(t *testing.T) {
	s, err := format.LoadFile("../../scenarios/consul/testdata/media-nearest.yaml")
	if err != nil {
		t.Fatal(err)
	}
	r, err := routes.Build(s, routes.Options{Population: "eu-users", Plane: "media", Unhealthy: []string{"de-fra"}})
	if err != nil {
		t.Fatal(err)
	}
	c := r.Chains[0]
	if c.Kind != "failover" || len(c.Answers) != 4 || c.Answers[0].Datacenter != "de-fra" || *c.Answers[1].Share != 1 || c.Split[0].Name != "ch-zrh" {
		t.Errorf("chain %+v: want the targets in order, de-fra first, and everything at ch-zrh", c)
	}
}
