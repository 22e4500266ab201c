package route53

import (
	"slices"
	"strings"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/internal/tree"
)

// Route is the dns route a query for a name gives, with where each of its
// values stands: Pos maps a path relative to the route (e.g.
// "groups[1].records[0].failover") to its place in the files.
type Route struct {
	DNS *scenarios.DNSRoute
	Pos map[string]scenarios.Position
}

// outsideHealth is how the model observes the health of an alias's outside
// target (an ELB that evaluate_target_health asks about): as Route 53's
// own checks do by default, every 30 s with 3 observations to change.
var outsideHealth = func() *scenarios.Health {
	interval, threshold := scenarios.Duration(DefaultInterval), DefaultFailureThreshold
	return &scenarios.Health{Interval: &interval, FailureThreshold: &threshold}
}()

// Compile returns the dns route for the record tree t of file, mapping
// each record to a datacenter of s by locality: the datacenter whose
// locality is the record's set_identifier, else (an alias to an outside
// resource) the alias target's name, else (a simple record) the record's
// name. Problems go to the reader of the file at fault.
func Compile(readers *tree.Readers, s *scenarios.Scenario, t *Tree) *Route {
	localities := map[string]scenarios.ID{}
	var names []string
	for _, d := range s.Datacenters {
		if d.Locality != "" {
			if _, dup := localities[d.Locality]; !dup {
				localities[d.Locality] = d.ID
				names = append(names, d.Locality)
			}
		}
	}
	out := &Route{DNS: &scenarios.DNSRoute{Health: outsideHealth}, Pos: map[string]scenarios.Position{}}
	var ttls []int64
	for gi, g := range t.Groups {
		gp := scenarios.Index("groups", gi)
		rg := scenarios.RecordGroup{Name: g.Name, Policy: g.Policy.String()}
		out.Pos[gp] = tree.Position(g.Sets[0].File, g.Sets[0].Node.Pos)
		for si, set := range g.Sets {
			r := readers.Of(set.File)
			at := func(n *tree.Node) scenarios.Position { return tree.Position(set.File, n.Pos) }
			rp := scenarios.Index(scenarios.Join(gp, "records"), si)
			rec := scenarios.Record{ID: set.SetID}
			out.Pos[rp] = at(set.Node)
			leaf := g.Targets[si] < 0
			keys := []string{set.SetID}
			where := []*tree.Node{set.SetIDNode}
			if leaf && set.Alias != nil {
				keys, where = append(keys, set.Alias.Name), append(where, set.Alias.Node)
			}
			if leaf && set.SetID == "" {
				keys, where = append(keys, set.Name), append(where, set.NameNode)
			}
			for i, k := range keys {
				if id, ok := localities[k]; ok && k != "" {
					rec.Datacenter = id
					out.Pos[scenarios.Join(rp, "datacenter")] = at(where[i])
					break
				}
			}
			if leaf && rec.Datacenter == "" {
				r.Errorf(set.Node, "%s answers with no datacenter: give one datacenter the locality %s (datacenters' localities: %s)",
					set.Address, quoted(keys), strings.Join(names, ", "))
			}
			if !leaf {
				rec.Alias = t.Groups[g.Targets[si]].Name
			}
			if set.Alias != nil {
				rec.EvaluateTargetHealth = set.Alias.EvaluateTargetHealth
				out.Pos[scenarios.Join(rp, "alias")] = at(set.Alias.Node)
			}
			if hc := set.HealthCheck; hc != nil && hc.Disabled {
				r.Warnf(set.HealthCheckNode, "%s's health check %s is disabled: Route 53 considers it always healthy", set.Address, hc.Address)
			}
			if hc := set.HealthCheck; hc != nil && !hc.Disabled { // a disabled check is always healthy
				interval, threshold := scenarios.Duration(hc.Interval), int(hc.FailureThreshold)
				rec.HealthCheck = &scenarios.Health{Interval: &interval, FailureThreshold: &threshold}
				out.Pos[scenarios.Join(rp, "health_check")] = at(set.HealthCheckNode)
				if rec.Datacenter == "" {
					r.Errorf(set.HealthCheckNode, "the health check of %s observes no datacenter: give one datacenter the locality %q", set.Address, set.SetID)
				}
			}
			policyAt := at(set.PolicyNode)
			switch g.Policy.String() {
			case "failover":
				rec.Failover = strings.ToLower(role(set.Secondary))
				out.Pos[scenarios.Join(rp, "failover")] = policyAt
			case "geolocation":
				rec.Continent, rec.Country, rec.Subdivision = set.Continent, set.Country, set.Subdivision
				for _, f := range []string{"continent", "country", "subdivision"} {
					out.Pos[scenarios.Join(rp, f)] = policyAt
				}
			case "weighted":
				w := int(set.Weight)
				rec.Weight = &w
				out.Pos[scenarios.Join(rp, "weight")] = policyAt
			case "latency":
				if rec.Datacenter == "" {
					r.Errorf(set.PolicyNode, "%s: no datacenter stands for region %s, whose latency Route 53 measures: give one the locality %q", set.Address, set.Region, set.SetID)
				}
			}
			if leaf {
				ttls = append(ttls, set.EffectiveTTL())
			}
			rg.Records = append(rg.Records, rec)
		}
		out.DNS.Groups = append(out.DNS.Groups, rg)
	}
	if len(ttls) > 0 {
		slices.Sort(ttls)
		ttl := scenarios.Duration(ttls[len(ttls)-1])
		out.DNS.TTL = &ttl
		if ttls[0] != ttls[len(ttls)-1] {
			first := t.Groups[0].Sets[0]
			readers.Of(first.File).Warnf(first.Node, "the records answering %s have TTLs from %ds to %ds; the model keeps every answer for the longest", t.Groups[0].Name, ttls[0], ttls[len(ttls)-1])
		}
	}
	return out
}

func quoted(keys []string) string {
	var q []string
	for _, k := range keys {
		if k != "" {
			q = append(q, `"`+k+`"`)
		}
	}
	return strings.Join(q, " or ")
}
