package consul

import (
	"strings"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/internal/tree"
)

// Route is the failover route a query or resolver gives one population
// for one plane, with where each of its values stands: Pos maps a path
// relative to the route (e.g. "targets[2]") to its place in File.
type Route struct {
	Failover *scenarios.FailoverRoute
	File     string
	Pos      map[string]tree.Pos
	// Nearest are the targets a query's NearestN picked, and NearestN
	// where the query says so.
	Nearest  []scenarios.ID
	NearestN *tree.Node
}

// Federation is the scenario's datacenters as Consul knows them: each
// datacenter whose locality names a Consul datacenter (or a cluster peer).
type Federation struct {
	s      *scenarios.Scenario
	byName map[string]int // locality -> index in s.Datacenters
	names  []string
}

// NewFederation indexes the datacenters of s by locality.
func NewFederation(s *scenarios.Scenario) *Federation {
	f := &Federation{s: s, byName: map[string]int{}}
	for i, d := range s.Datacenters {
		if d.Locality != "" {
			if _, dup := f.byName[d.Locality]; !dup {
				f.byName[d.Locality] = i
				f.names = append(f.names, d.Locality)
			}
		}
	}
	return f
}

// Find returns the query or resolver that serves service: a query named
// service defined in datacenter dc (or in every datacenter), else the
// template whose name is the longest prefix of service, else the resolver
// named service. It returns nil for both when the files define none.
func (c *Config) Find(service, dc string) (*Query, *Resolver) {
	var best *Query
	for _, q := range c.Queries {
		if q.Datacenter != "" && q.Datacenter != dc {
			continue
		}
		switch {
		case !q.Template && (q.Name == service || q.Name == "" && q.Service == service):
			return q, nil
		case q.Template && strings.HasPrefix(service, q.Name) && (best == nil || len(q.Name) > len(best.Name)):
			best = q
		}
	}
	if best != nil {
		return best, nil
	}
	for _, res := range c.Resolvers {
		if res.Name == service {
			return nil, res
		}
	}
	return nil, nil
}

// Compile returns the route population p follows for plane when it asks
// for service, reporting problems about the imported files to the reader
// of each (readerOf); nil when the population has no local datacenter or
// the files do not define the service, which the caller reports.
func (f *Federation) Compile(readerOf func(file string) *tree.Reader, c *Config, p *scenarios.Population, plane scenarios.Plane, service string) *Route {
	local, ok := f.byName[p.Locality]
	if !ok {
		return nil // the scenario's validation says the population needs a locality naming a datacenter
	}
	q, res := c.Find(service, p.Locality)
	if q == nil && res == nil {
		return nil
	}
	var steps []Step
	var unknown []Ref
	out := &Route{Failover: &scenarios.FailoverRoute{}, Pos: map[string]tree.Pos{}}
	var at *tree.Node
	var r *tree.Reader
	if q != nil {
		out.File, at, r = q.File, q.Node, readerOf(q.File)
		steps, unknown = QueryOrder(q, p.Locality, f.names, f.rttFrom(local, p))
		out.Failover.OnlyPassing = q.OnlyPassing
		if q.PassingNode != nil {
			out.Pos["only_passing"] = q.PassingNode.Pos
		}
		if q.TTL > 0 {
			ttl := q.TTL
			out.Failover.TTL = &ttl
		}
	} else {
		out.File, at, r = res.File, res.Node, readerOf(res.File)
		steps, unknown = ResolverOrder(res, p.Locality, f.names)
		out.Failover.OnlyPassing = res.OnlyPassing[res.DefaultSubset]
		if n := res.Filtered[res.DefaultSubset]; n != nil {
			r.Warnf(n, "subset %q filters instances, which the model does not hold: every datacenter is taken to have matching ones", res.DefaultSubset)
		}
		if res.ConnectTimeout > 0 {
			t := res.ConnectTimeout
			out.Failover.ConnectTimeout = &t
			out.Pos["connect_timeout"] = res.TimeoutNode.Pos
		}
		for _, s := range steps {
			if s.Peer {
				r.Warnf(s.From, "Consul judges a peer's health by Envoy's outlier detection, not by its checks; the model observes it as a check would")
			}
		}
	}
	for _, u := range unknown {
		r.Warnf(u.Node, "no datacenter has locality %q, so Consul skips it (datacenters' localities: %s)", u.Name, strings.Join(f.names, ", "))
	}
	seen := map[int]bool{}
	for _, s := range steps {
		i, ok := f.byName[s.Name]
		switch {
		case !ok: // a peer no datacenter stands for
			r.Errorf(s.From, "no datacenter has locality %q, the peer this target names (datacenters' localities: %s)", s.Name, strings.Join(f.names, ", "))
			continue
		case seen[i]:
			continue // tried already: it answers no differently the second time
		case f.s.Datacenters[i].Capacity.For(plane) == nil:
			continue // no instance of the service there: Consul moves on to the next
		}
		seen[i] = true
		if s.Nearest {
			out.Nearest = append(out.Nearest, f.s.Datacenters[i].ID)
			out.NearestN = s.From
		}
		k := scenarios.Index("targets", len(out.Failover.Targets))
		out.Failover.Targets = append(out.Failover.Targets, f.s.Datacenters[i].ID)
		if s.From != nil {
			out.Pos[k] = s.From.Pos
		} else {
			out.Pos[k] = at.Pos
		}
	}
	if len(out.Failover.Targets) == 0 {
		r.Errorf(at, "no datacenter this %s tries for population %q serves %s", kindOf(q), p.ID, plane)
		return nil
	}
	out.Pos[""] = at.Pos
	return out
}

func kindOf(q *Query) string {
	if q != nil {
		return "query"
	}
	return "resolver"
}

// rttFrom returns the round-trip time from datacenter local to another,
// for NearestN. Consul measures it with network coordinates; the model
// has no time between datacenters, so it derives one from the two
// datacenters' locations when both have one, and otherwise takes the
// round-trip time from the population's region to the other datacenter
// (the population's clients stand near their local datacenter).
func (f *Federation) rttFrom(local int, p *scenarios.Population) func(string) (float64, bool) {
	var region *scenarios.Region
	for i := range f.s.Regions {
		if f.s.Regions[i].ID == p.Region {
			region = &f.s.Regions[i]
		}
	}
	from := &f.s.Datacenters[local]
	return func(name string) (float64, bool) {
		to := &f.s.Datacenters[f.byName[name]]
		if from.Location != nil && to.Location != nil {
			return scenarios.LocationRTT(*from.Location, *to.Location).Seconds(), true
		}
		if region == nil {
			return 0, false
		}
		t, ok := scenarios.RoundTrip(region, to)
		return t.Seconds(), ok
	}
}
