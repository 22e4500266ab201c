package lint

import (
	"fmt"

	"github.com/geofence/geofence/scenarios"
)

// thinFence reports plane routes that name fewer than two datacenters
// inside the fence of a population walking them: with no spare inside,
// one datacenter full or down blocks the join or, if the route goes on
// outside, breaks the fence.
func thinFence(c *checker, report report) {
	for ri := range c.s.Routing.Routes {
		for _, plane := range scenarios.Planes {
			var st stories
			for _, pi := range c.fenced(ri, plane) {
				pr := c.walked(pi, plane)
				if pr == nil {
					continue
				}
				if inside := c.insideOf(pi, plane, pr); len(inside) < 2 {
					st.tell(c.thinStory(pi, plane, inside), string(c.s.Populations[pi].ID))
				}
			}
			if !st.empty() {
				report(scenarios.PlaneRoutePath(ri, plane), "%s: add datacenters inside the fence to this %s route, two at least",
					st.String(), plane)
			}
		}
	}
}

// insideOf lists the distinct datacenters pr names (see named) that are
// inside population pi's fence for plane.
func (c *checker) insideOf(pi int, plane scenarios.Plane, pr *scenarios.PlaneRoute) []scenarios.ID {
	var out []scenarios.ID
	for _, id := range c.named(pr) {
		if c.inside(pi, plane, id) {
			out = append(out, id)
		}
	}
	return out
}

func (c *checker) thinStory(pi int, plane scenarios.Plane, inside []scenarios.ID) string {
	if len(inside) == 0 {
		return fmt.Sprintf(": no datacenter of the route is inside the %s fence %s, so every join is blocked or leaves it", plane, c.fence(pi, plane))
	}
	return fmt.Sprintf(": only %s is inside the %s fence %s, so one failure there blocks joins or sends them outside", inside[0], plane, c.fence(pi, plane))
}
