package lint

import (
	"fmt"
	"slices"

	"github.com/geofence/geofence/scenarios"
)

// usedWhitelists is the set of whitelists some route takes secondaries
// from, for any plane.
func (c *checker) usedWhitelists() map[string]bool {
	used := map[string]bool{}
	for ri := range c.s.Routing.Routes {
		for _, plane := range scenarios.Planes {
			if name := whitelistOf(c.s.Routing.Routes[ri].PlaneRoute(plane)); name != "" {
				used[name] = true
			}
		}
	}
	return used
}

func unusedWhitelist(c *checker, report report) {
	used := c.usedWhitelists()
	for _, name := range sortedKeys(c.s.Routing.Whitelists) {
		if !used[name] {
			report(scenarios.WhitelistPath(name), "whitelist %s gives secondaries to no route: name it in a route's secondaries or remove it", name)
		}
	}
}

func unusedDatacenter(c *checker, report report) {
	named := map[scenarios.ID]bool{}
	for ri := range c.s.Routing.Routes {
		for _, plane := range scenarios.Planes {
			if pr := c.s.Routing.Routes[ri].PlaneRoute(plane); pr != nil {
				for _, id := range slices.Concat(pr.Primaries, pr.Balance.Datacenters(), pr.AnswerDatacenters()) {
					named[id] = true
				}
			}
		}
	}
	used := c.usedWhitelists()
	unusedLists := map[scenarios.ID][]string{} // datacenter -> unused whitelists that list it
	for _, name := range sortedKeys(c.s.Routing.Whitelists) {
		for _, id := range c.s.Routing.Whitelists[name] {
			if used[name] {
				named[id] = true
			} else {
				unusedLists[id] = append(unusedLists[id], name)
			}
		}
	}
	for i, d := range c.s.Datacenters {
		if named[d.ID] {
			continue
		}
		only := ""
		if lists := unusedLists[d.ID]; len(lists) > 0 {
			only = fmt.Sprintf(" (only the unused %s %s %s it)", plural(len(lists), "whitelist", "whitelists"), list(lists), plural(len(lists), "lists", "list"))
		}
		report(fmt.Sprintf("datacenters[%d].id", i), "datacenter %s is on no route's primaries or balance priorities and no used whitelist%s, so no client ever reaches it: route clients to it or remove it", d.ID, only)
	}
}

// unusedGroup reports the groups no policy rule reaches. A group used only
// by unused groups is unused too: removing the outer one would leave it
// dangling, so both are reported at once.
func unusedGroup(c *checker, report report) {
	groups := c.s.Jurisdictions.Groups
	reached := map[string]bool{}
	var reach func(code scenarios.Code)
	reach = func(code scenarios.Code) {
		name := string(code)
		if _, isGroup := groups[name]; !isGroup || reached[name] {
			return
		}
		reached[name] = true
		for _, member := range groups[name] {
			reach(member)
		}
	}
	for _, rule := range c.s.Policy {
		reach(rule.Select.Jurisdiction)
		for _, plane := range scenarios.Planes {
			for _, code := range rule.Allow.For(plane) {
				reach(code)
			}
		}
	}
	names := sortedKeys(groups)
	for _, name := range names {
		if reached[name] {
			continue
		}
		var users []string // unused groups that name this one
		for _, other := range names {
			if slices.Contains(groups[other], scenarios.Code(name)) {
				users = append(users, other)
			}
		}
		only := ""
		if len(users) > 0 {
			only = fmt.Sprintf(" (only the unused %s %s %s it)", plural(len(users), "group", "groups"), list(users), plural(len(users), "includes", "include"))
		}
		report("jurisdictions.groups."+name, "group %s is used by no policy rule or selector%s: use it in a rule or remove it", name, only)
	}
}

func unusedRegion(c *checker, report report) {
	inUse := map[scenarios.ID]bool{}
	for _, p := range c.s.Populations {
		inUse[p.Region] = true
	}
	for _, d := range c.s.Datacenters {
		inUse[d.Region] = true
	}
	for i, r := range c.s.Regions {
		if !inUse[r.ID] {
			report(fmt.Sprintf("regions[%d].id", i), "region %s has no population and no datacenter: add some or remove it", r.ID)
		}
	}
}

// unusedRoute reports routes no population follows. Validation already
// refuses a plan route for a plan no population of its region has, so
// what is left is a region's route without a plan whose populations all
// follow plan routes, or a route for a region with no populations.
func unusedRoute(c *checker, report report) {
	for ri, r := range c.s.Routing.Routes {
		if c.followed(ri) || r.Population != "" { // a population's own route is for a population validation found
			continue
		}
		var others []scenarios.ID // populations of the region, all on plan routes
		for _, p := range c.s.Populations {
			if p.Region == r.Region {
				others = append(others, p.ID)
			}
		}
		why := fmt.Sprintf("region %s has no population", r.Region)
		if len(others) > 0 {
			why = fmt.Sprintf("%s %s %s plan's own route", list(others), plural(len(others), "follows", "each follow"), plural(len(others), "its", "their"))
		}
		report(scenarios.RoutePath(ri), "route %s is followed by no population (%s): remove it", c.routeName(ri), why)
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
