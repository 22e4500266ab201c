package consul

import (
	"strings"
	"testing"

	"github.com/geofence/geofence/scenarios/internal/tree"
)

func TestQueryOrder(t *testing.T) {
	// Round-trip times from the local datacenter, dc-eu-1 (Frankfurt).
	rtt := map[string]float64{"dc-ch": 0.006, "dc-gb": 0.011, "dc-eu-2": 0.030, "dc-us-east": 0.090, "dc-cn-north": 0.200, "dc-a": 0.011}
	from := func(dc string) (float64, bool) { t, ok := rtt[dc]; return t, ok }
	federation := []string{"dc-eu-1", "dc-eu-2", "dc-ch", "dc-gb", "dc-us-east", "dc-cn-north", "dc-nocoord"}
	ref := func(names ...string) []Ref {
		var out []Ref
		for _, n := range names {
			out = append(out, Ref{Name: n, Peer: strings.HasPrefix(n, "peer:"), Node: &tree.Node{}})
		}
		return out
	}
	for _, c := range []struct {
		rule        string
		nearestN    int
		datacenters []Ref
		federation  []string
		want        string
		unknown     int
	}{
		{"the local datacenter first, then Datacenters in order", 0, ref("dc-us-east", "dc-eu-2"), federation,
			"dc-eu-1 dc-us-east dc-eu-2", 0},
		{"NearestN by round-trip time among every federated datacenter, not only the listed ones", 2, ref("dc-eu-2"), federation,
			"dc-eu-1 ~dc-ch ~dc-gb dc-eu-2", 0},
		{"Datacenters are de-duplicated against the NearestN picks only", 2, ref("dc-gb", "dc-eu-2", "dc-eu-2"), federation,
			"dc-eu-1 ~dc-ch ~dc-gb dc-eu-2 dc-eu-2", 0},
		{"an unknown datacenter is skipped, as is the local one in Datacenters", 0, ref("dc-mars", "dc-eu-1", "dc-eu-2"), federation,
			"dc-eu-1 dc-eu-2", 2},
		{"ties in round-trip time by name; datacenters with no coordinate last", 7, nil, append(federation, "dc-a"),
			"dc-eu-1 ~dc-ch ~dc-a ~dc-gb ~dc-eu-2 ~dc-us-east ~dc-cn-north ~dc-nocoord", 0},
		{"NearestN larger than the federation takes all of it", 50, nil, []string{"dc-eu-1", "dc-eu-2"},
			"dc-eu-1 ~dc-eu-2", 0},
		{"peers are tried as they come", 0, ref("peer:eu-west", "dc-eu-2"), federation,
			"dc-eu-1 peer:peer:eu-west dc-eu-2", 0},
	} {
		q := &Query{NearestN: c.nearestN, Datacenters: c.datacenters}
		steps, unknown := QueryOrder(q, "dc-eu-1", c.federation, from)
		var got []string
		for _, s := range steps {
			switch {
			case s.Nearest:
				got = append(got, "~"+s.Name)
			case s.Peer:
				got = append(got, "peer:"+s.Name)
			default:
				got = append(got, s.Name)
			}
		}
		if strings.Join(got, " ") != c.want || len(unknown) != c.unknown {
			t.Errorf("%s: got %s (%d unknown), want %s (%d unknown)", c.rule, strings.Join(got, " "), len(unknown), c.want, c.unknown)
		}
	}
}

func TestResolverOrder(t *testing.T) {
	res := &Resolver{Failover: map[string]*FailoverEntry{
		"*":  {Targets: []Ref{{Name: "dc-us-east"}, {Name: "dc-cn-north"}}},
		"eu": {Targets: []Ref{{Name: "dc-eu-2"}, {Name: "eu-west-peer", Peer: true}, {Name: "dc-gone"}}},
	}}
	federation := []string{"dc-eu-1", "dc-eu-2", "dc-us-east", "dc-cn-north"}
	for _, c := range []struct {
		subset, want string
		unknown      int
	}{
		{"", "dc-eu-1 dc-us-east dc-cn-north", 0},   // "*" applies to every subset without its own entry
		{"v1", "dc-eu-1 dc-us-east dc-cn-north", 0}, // likewise a named one
		{"eu", "dc-eu-1 dc-eu-2 eu-west-peer", 1},   // the subset's own entry wins
	} {
		res.DefaultSubset = c.subset
		steps, unknown := ResolverOrder(res, "dc-eu-1", federation)
		var got []string
		for _, s := range steps {
			got = append(got, s.Name)
		}
		if strings.Join(got, " ") != c.want || len(unknown) != c.unknown {
			t.Errorf("subset %q: got %v (%d unknown), want %s (%d)", c.subset, got, len(unknown), c.want, c.unknown)
		}
	}
}
