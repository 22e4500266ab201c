package route53

import (
	"fmt"
	"slices"

	"github.com/geofence/geofence/scenarios/answer"
	"github.com/geofence/geofence/scenarios/internal/tree"
)

// Group is the records of one name and type: what Route 53 chooses among.
type Group struct {
	Name, Type string
	Policy     answer.Policy
	Sets       []*RecordSet
	// Targets gives, for each record, the group its alias (or CNAME) names
	// among the groups of the tree, or -1 when it answers by itself.
	Targets []int
}

// Tree is the groups a query for one name can reach, the queried one
// first, each once.
type Tree struct {
	Groups []*Group
}

// queryTypes are the record types a query for a service asks for, in the
// order tried: the service is an address, and a name holds A, AAAA or a
// CNAME.
var queryTypes = []string{"A", "AAAA", "CNAME"}

// Tree returns the groups a query for name reaches, following aliases and
// CNAMEs to records of the files; at names the service in problems. It
// reports false, with the problems recorded, when there is none or the
// records break Route 53's own rules.
func (rs *Records) Tree(r *tree.Reader, name string) (*Tree, bool) {
	name = DomainName(name)
	byKey := map[[2]string][]*RecordSet{}
	for _, s := range rs.Sets {
		k := [2]string{s.Name, s.Type}
		byKey[k] = append(byKey[k], s)
	}
	t := &Tree{}
	index := map[[2]string]int{}
	ok := true
	var add func(k [2]string) int
	add = func(k [2]string) int {
		if i, seen := index[k]; seen {
			return i
		}
		g := &Group{Name: k[0], Type: k[1], Sets: byKey[k]}
		i := len(t.Groups)
		index[k] = i
		t.Groups = append(t.Groups, g)
		ok = checkGroup(r, g) && ok
		for _, s := range g.Sets {
			target := -1
			if next := s.aliasName(); next != "" {
				types := []string{s.Type} // an alias names a record of its own type
				if s.Alias == nil {
					types = queryTypes // a CNAME sends the query on to its target name
				}
				for _, typ := range types {
					if _, inFiles := byKey[[2]string{next, typ}]; inFiles {
						target = add([2]string{next, typ})
						break
					}
				}
			}
			g.Targets = append(g.Targets, target)
		}
		return i
	}
	for _, typ := range queryTypes {
		if _, found := byKey[[2]string{name, typ}]; found {
			add([2]string{name, typ})
			break
		}
	}
	if len(t.Groups) == 0 {
		return nil, false
	}
	if cycle := t.cycle(); cycle != nil {
		r.Errorf(cycle.Sets[0].Node, "aliases of %s lead back to it: Route 53 refuses such a loop", cycle.Name)
		ok = false
	}
	return t, ok
}

// aliasName is the name an alias record, or a CNAME record, sends the
// resolver to; "" for a record that answers with addresses.
func (s *RecordSet) aliasName() string {
	switch {
	case s.Alias != nil:
		return s.Alias.Name
	case s.Type == "CNAME" && len(s.Records) == 1:
		return DomainName(s.Records[0])
	}
	return ""
}

// checkGroup reports the ways group g breaks Route 53's rules for a group
// of records: one routing policy for all, a single record for simple
// routing, one primary and one secondary, one record per location, set
// identifiers unique.
func checkGroup(r *tree.Reader, g *Group) bool {
	ok := true
	fail := func(at *tree.Node, format string, args ...any) {
		r.Errorf(at, "%s", fmt.Sprintf(format, args...))
		ok = false
	}
	g.Policy = g.Sets[0].Policy
	ids := map[string]*RecordSet{}
	areas := map[[3]string]*RecordSet{}
	roles := map[bool]*RecordSet{}
	for _, s := range g.Sets {
		if s.Policy != g.Policy {
			fail(s.PolicyNode, "%s is a %s record, but %s %s records of %s use %s routing: Route 53 keeps one routing policy per name and type",
				s.Address, s.Policy, g.Sets[0].Address, g.Type, g.Name, g.Policy)
			continue
		}
		if first, dup := ids[s.SetID]; dup && s.SetID != "" {
			fail(s.Node, "%s has set_identifier %q, as %s does", s.Address, s.SetID, first.Address)
		}
		ids[s.SetID] = s
		switch g.Policy {
		case answer.Simple:
			if len(g.Sets) > 1 && s != g.Sets[0] {
				fail(s.Node, "%s is a second simple %s record of %s (first: %s)", s.Address, g.Type, g.Name, g.Sets[0].Address)
			}
		case answer.Failover:
			if first, dup := roles[s.Secondary]; dup {
				fail(s.PolicyNode, "%s is a second %s of %s (first: %s)", s.Address, role(s.Secondary), g.Name, first.Address)
			}
			roles[s.Secondary] = s
		case answer.Geolocation:
			k := [3]string{s.Continent, s.Country, s.Subdivision}
			if first, dup := areas[k]; dup {
				fail(s.PolicyNode, "%s serves the same location as %s", s.Address, first.Address)
			}
			areas[k] = s
		}
	}
	return ok
}

func role(secondary bool) string {
	if secondary {
		return "SECONDARY"
	}
	return "PRIMARY"
}

// cycle returns a group from which aliases lead back to itself, or nil.
func (t *Tree) cycle() *Group {
	const (
		unvisited = iota
		active
		done
	)
	state := make([]int, len(t.Groups))
	var visit func(i int) bool
	visit = func(i int) bool {
		state[i] = active
		for _, next := range t.Groups[i].Targets {
			if next < 0 {
				continue
			}
			if state[next] == active || state[next] == unvisited && visit(next) {
				return true
			}
		}
		state[i] = done
		return false
	}
	for i := range t.Groups {
		if state[i] == unvisited && visit(i) {
			return t.Groups[i]
		}
	}
	return nil
}

// TTL is how long a resolver keeps an answer of record s: its ttl, or 60
// seconds for an alias.
func (s *RecordSet) EffectiveTTL() int64 {
	if s.Alias != nil {
		return AliasTTL
	}
	return s.TTL
}

// Names lists the names of the files' record sets, sorted, for messages.
func (rs *Records) Names() []string {
	var out []string
	for _, s := range rs.Sets {
		if !slices.Contains(out, s.Name) {
			out = append(out, s.Name)
		}
	}
	slices.Sort(out)
	return out
}
