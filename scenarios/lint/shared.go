package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/geofence/geofence/scenarios"
)

// sharedWhitelist reports, for each whitelist and plane, populations with
// different fences taking secondaries from it. Even when every entry is
// inside every fence today, the list is where the next leak comes from:
// an entry added for one fence lands the others outside theirs.
func sharedWhitelist(c *checker, report report) {
	for _, name := range sortedKeys(c.s.Routing.Whitelists) {
		for _, plane := range scenarios.Planes {
			if differ := c.fencesSharing(name, plane); differ != "" {
				report(scenarios.WhitelistPath(name), "whitelist %s gives %s secondaries to routes whose %s fences differ (%s): give each fence its own whitelist, or an entry added for one fence leaks the others",
					name, plane, plane, differ)
			}
		}
	}
}

// fencesSharing describes the fences of the populations that take plane
// secondaries from whitelist name, e.g. "us, ca: [US, CA]; eu: [EEA]", or
// returns "" when they all have the same fence.
func (c *checker) fencesSharing(name string, plane scenarios.Plane) string {
	var keys []string                     // distinct fences, in the order met
	members := map[string]map[int][]int{} // fence -> route -> its populations with that fence
	var routes []int                      // routes met, in order
	for ri := range c.s.Routing.Routes {
		if whitelistOf(c.s.Routing.Routes[ri].PlaneRoute(plane)) != name {
			continue
		}
		for _, pi := range c.fenced(ri, plane) {
			if c.walked(pi, plane) == nil {
				continue
			}
			key := c.fenceKey(pi, plane)
			if members[key] == nil {
				keys = append(keys, key)
				members[key] = map[int][]int{}
			}
			if !slices.Contains(routes, ri) {
				routes = append(routes, ri)
			}
			members[key][ri] = append(members[key][ri], pi)
		}
	}
	if len(keys) < 2 {
		return ""
	}
	parts := make([]string, len(keys))
	for i, key := range keys {
		var labels []string
		var first int
		for _, ri := range routes {
			pis := members[key][ri]
			if len(pis) == 0 {
				continue
			}
			if len(labels) == 0 {
				first = pis[0]
			}
			labels = append(labels, c.routeLabel(ri, pis, members))
		}
		parts[i] = fmt.Sprintf("%s: %s", strings.Join(labels, ", "), c.fence(first, plane))
	}
	return strings.Join(parts, "; ")
}

// routeLabel names route ri for the populations pis of one fence: by the
// route alone when all its populations share that fence, else with the
// populations named, e.g. "us (us-free)".
func (c *checker) routeLabel(ri int, pis []int, members map[string]map[int][]int) string {
	fences := 0
	for _, byRoute := range members {
		if len(byRoute[ri]) > 0 {
			fences++
		}
	}
	if fences == 1 {
		return c.routeName(ri)
	}
	ids := make([]scenarios.ID, len(pis))
	for i, pi := range pis {
		ids[i] = c.s.Populations[pi].ID
	}
	return fmt.Sprintf("%s (%s)", c.routeName(ri), list(ids))
}
