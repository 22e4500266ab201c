package consul

import (
	"fmt"
	"slices"
	"strings"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/internal/tree"
)

// The rules of the lints the import finds in Consul's files.
var LintRules = []scenarios.LintRule{
	{ID: "consul-ignored", Severity: "warning", Summary: "Something in an imported Consul file is not modelled and is ignored: an unknown field, an instance filter, ignored checks, a datacenter no datacenter of the scenario stands for."},
	{ID: "consul-nearest-outside", Severity: "warning", Summary: "A prepared query's NearestN picks, by round-trip time among every federated datacenter, a datacenter outside a population's fence: not only the datacenters it lists."},
}

// Import compiles Consul's files into a failover route of its own for each
// population and each plane routing.import gives a service for: the
// prepared query or service-resolver of that service, tried from the
// population's local datacenter (its locality). Routes are numbered from
// base, as the loader appends them.
func Import(s *scenarios.Scenario, files []scenarios.ImportFile, base int) (scenarios.Imported, scenarios.Problems) {
	var readers tree.Readers
	var c Config
	for _, f := range files {
		c.Read(readers.Of(f.Name), f.Data)
	}
	if problems := readers.Problems(); len(problems) > 0 {
		return scenarios.Imported{}, problems
	}
	services := s.Routing.Import.Services
	fed := NewFederation(s)
	out := scenarios.Imported{Positions: map[string]scenarios.Position{}}
	var problems scenarios.Problems
	var nearest []scenarios.ImportLint
	missing := map[scenarios.Plane]bool{}
	for pi := range s.Populations {
		p := &s.Populations[pi]
		route := scenarios.Route{Population: p.ID, Imported: "consul"}
		ri := base + len(out.Routes)
		gives := false
		for _, plane := range scenarios.Planes {
			service := services.For(plane)
			if service == "" {
				continue
			}
			if p.Locality == "" {
				problems = append(problems, scenarios.Problem{Path: scenarios.Join(scenarios.Index("populations", pi), "id"),
					Msg: fmt.Sprintf("populations[%d]: population %q needs a locality, its local Consul datacenter, to follow the imported %s", pi, p.ID, service)})
				break
			}
			if _, ok := fed.byName[p.Locality]; !ok {
				problems = append(problems, scenarios.Problem{Path: scenarios.Join(scenarios.Index("populations", pi), "locality"),
					Msg: fmt.Sprintf("populations[%d].locality: no datacenter has locality %q (datacenters' localities: %s)", pi, p.Locality, strings.Join(fed.names, ", "))})
				break
			}
			compiled := fed.Compile(readers.Of, &c, p, plane, service)
			if compiled == nil {
				if q, res := c.Find(service, p.Locality); (q == nil && res == nil) && !missing[plane] {
					missing[plane] = true
					path := scenarios.Join("routing.import.services", string(plane))
					problems = append(problems, scenarios.Problem{Path: path,
						Msg: fmt.Sprintf("%s: no prepared query or service-resolver of the files serves %q (for population %q, in datacenter %q)", path, service, p.ID, p.Locality)})
				}
				continue
			}
			gives = true
			if lint, ok := nearestOutside(s, p, plane, compiled, scenarios.Join(scenarios.PlaneRoutePath(ri, plane), "failover.targets")); ok {
				nearest = append(nearest, lint)
			}
			route.SetPlaneRoute(plane, &scenarios.PlaneRoute{Failover: compiled.Failover})
			prefix := scenarios.Join(scenarios.PlaneRoutePath(ri, plane), "failover")
			out.Positions[scenarios.PlaneRoutePath(ri, plane)] = tree.Position(compiled.File, compiled.Pos[""])
			if _, ok := out.Positions[scenarios.RoutePath(ri)]; !ok {
				out.Positions[scenarios.RoutePath(ri)] = tree.Position(compiled.File, compiled.Pos[""])
			}
			for rel, pos := range compiled.Pos {
				path := prefix
				if rel != "" {
					path = scenarios.Join(prefix, rel)
				}
				out.Positions[path] = tree.Position(compiled.File, pos)
			}
		}
		if gives {
			out.Routes = append(out.Routes, route)
		}
	}
	problems = append(problems, readers.Problems()...)
	if len(problems) > 0 {
		return scenarios.Imported{}, problems
	}
	out.Lints = append(readers.Lints(LintRules[0].ID), nearest...)
	return out, nil
}

// nearestOutside is the lint for the NearestN picks of route r that lie
// outside population p's fence for plane, if any; targets is the path of
// the route's targets.
func nearestOutside(s *scenarios.Scenario, p *scenarios.Population, plane scenarios.Plane, r *Route, targets string) (scenarios.ImportLint, bool) {
	allowed := s.Allowed(p, plane)
	var outside []string
	first := -1
	for _, id := range r.Nearest {
		for _, d := range s.Datacenters {
			if d.ID == id && !slices.Contains(allowed, string(d.Jurisdiction)) {
				outside = append(outside, fmt.Sprintf("%s (%s)", d.ID, d.Jurisdiction))
				if first < 0 {
					first = slices.Index(r.Failover.Targets, id)
				}
			}
		}
	}
	if len(outside) == 0 {
		return scenarios.ImportLint{}, false
	}
	return scenarios.ImportLint{
		Rule: LintRules[1].ID, Severity: LintRules[1].Severity,
		Path: scenarios.Index(targets, first), Pos: tree.Position(r.File, r.NearestN.Pos),
		Message: fmt.Sprintf("NearestN picks %s for population %s, outside its %s fence: Consul takes the nearest datacenters of the whole federation by round-trip time, not of the ones listed; list the datacenters in order instead",
			strings.Join(outside, " and "), p.ID, plane),
	}, true
}
