package validate

import (
	"slices"

	"github.com/geofence/geofence/scenarios"
)

// populationGroups checks run.groups: ids, one way of choosing the
// populations, what it names, at least one population chosen, and the
// limits.
func (v *validator) populationGroups() {
	groups := v.s.Run.Groups
	first := firstIndex(groups, func(g scenarios.Group) scenarios.ID { return g.ID })
	var ruleNames []string
	for _, r := range v.s.Policy {
		if r.Name != "" {
			ruleNames = append(ruleNames, r.Name)
		}
	}
	for i := range groups {
		g := &groups[i]
		path := scenarios.Index("run.groups", i)
		before := len(v.List)
		v.id("run.groups", i, g.ID, first, "group")
		ways := 0
		for _, given := range []bool{g.Select != nil, g.Rule != "", g.Populations != nil} {
			if given {
				ways++
			}
		}
		switch {
		case ways != 1:
			v.Add(path, "give one of select, rule or populations: the group's populations are chosen one way")
		case g.Select != nil:
			v.selector(scenarios.Join(path, "select"), *g.Select)
		case g.Rule != "":
			if !slices.Contains(ruleNames, g.Rule) {
				v.Add(scenarios.Join(path, "rule"), "no policy rule is named %q%s", g.Rule, v.hint(g.Rule, ruleNames))
			}
		default:
			known := collection{"population", v.populationAt, sortedKeys(v.populationAt), v.incomplete("populations", "id")}
			seen := map[scenarios.ID]int{}
			for j, id := range g.Populations {
				at := scenarios.Index(scenarios.Join(path, "populations"), j)
				if k, dup := seen[id]; dup {
					v.Add(at, "%q is listed already (at %s)", id, v.at(scenarios.Index(scenarios.Join(path, "populations"), k)))
					continue
				}
				seen[id] = j
				v.ref(at, id, known)
			}
		}
		if ways == 1 && len(v.List) == before && len(v.s.Members(g)) == 0 {
			v.Add(path, "chooses no population")
		}
		v.violationLimit(scenarios.Join(path, "max_violation_rate"), g.MaxViolationRate)
		if g.MaxBlocking != nil {
			v.between(scenarios.Join(path, "max_blocking"), float64(*g.MaxBlocking), 0, 1)
		}
	}
}
