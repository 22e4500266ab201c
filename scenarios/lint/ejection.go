package lint

import (
	"fmt"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/balance"
	"github.com/geofence/geofence/scenarios/fence"
)

// ejectionBudget reports balance routes whose outlier detection can never
// eject all the hosts of their first priority: max_ejection_percent counts
// the route's hosts in every priority (Envoy ≥ 1.28 ejects a host only if
// then at most that share is out), so with Envoy's default 10% a route of
// fewer than ten hosts ejects none and never fails over, and the hosts of
// a full or down datacenter keep being tried. Routes located at the same
// place — an imported DestinationRule gives every population one — are
// told of in one lint.
func ejectionBudget(c *checker, report report) {
	var order []string
	told := map[string]*stories{}
	for ri := range c.s.Routing.Routes {
		for _, plane := range scenarios.Planes {
			pr := c.s.Routing.Routes[ri].PlaneRoute(plane)
			if pr == nil || pr.Balance == nil || pr.Balance.OutlierDetection == nil || pr.Balance.OutlierDetection.EffectiveConsecutiveErrors() == 0 {
				continue
			}
			b := pr.Balance
			r := balance.Compile(b, func(scenarios.ID) int { return 0 })
			hosts := r.Hosts()
			budget := fence.EjectionBudget(b, hosts)
			first := 0
			for _, l := range r.Priorities[0] {
				first += l.Hosts
			}
			if budget >= first {
				continue
			}
			path := c.written(scenarios.Join(scenarios.Join(scenarios.Join(scenarios.PlaneRoutePath(ri, plane), "balance"), "outlier_detection"), "max_ejection_percent"))
			key := fmt.Sprint(c.s.Source.Pos(path))
			if told[key] == nil {
				order = append(order, path)
				told[key] = &stories{}
			}
			max := b.OutlierDetection.EffectiveMaxEjectionPercent()
			need := (100*first + hosts - 1) / hosts
			var story string
			if budget == 0 {
				story = fmt.Sprintf(" (%s): ejecting one of its %d hosts would put %.3g%% of them out, over max_ejection_percent %d%%, so outlier detection ejects none and the route never fails over: a full or down datacenter keeps being sent requests (failing over needs %d%%)",
					plane, hosts, 100/float64(hosts), max, need)
			} else {
				story = fmt.Sprintf(" (%s): at most %d of its %d hosts can be ejected (max_ejection_percent %d%%), fewer than the %d of its first priority (%s): when those are full or down, some of their hosts keep a share of the requests (ejecting them all needs %d%%)",
					plane, budget, hosts, max, first, list(pr.Balance.Datacenters()[:len(r.Priorities[0])]), need)
			}
			for _, pi := range c.followers(ri, plane) {
				told[key].tell(story, string(c.s.Populations[pi].ID))
			}
		}
	}
	for _, path := range order {
		st := told[fmt.Sprint(c.s.Source.Pos(path))]
		if st.empty() {
			continue
		}
		report(path, "%s; raise max_ejection_percent, or give the route more hosts", st.String())
	}
}
