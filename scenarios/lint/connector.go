package lint

import (
	"fmt"
	"strings"

	"github.com/geofence/geofence/scenarios"
)

// entry is one datacenter a connector route lists, where it is listed.
type entry struct {
	path       string
	datacenter scenarios.ID
	whitelist  string // "" for a primary
}

// connectorOptedOut reports connectors listed for populations that opted
// out of their jurisdiction, whether or not a client can reach them today
// (fail-open tells that): a listed connector is one capacity change or
// reordering away from receiving calls, and keys with them.
func connectorOptedOut(c *checker, report report) {
	var order []entry
	told := map[entry]*stories{}
	for ri := range c.s.Routing.Routes {
		for _, e := range c.connectorEntries(ri) {
			d := &c.s.Datacenters[c.datacenterAt[e.datacenter]]
			for _, pi := range c.fenced(ri, scenarios.Connector) {
				planes := c.optedOut(pi, e.datacenter)
				if len(planes) == 0 {
					continue
				}
				if told[e] == nil {
					order = append(order, e)
					told[e] = &stories{}
				}
				told[e].tell(fmt.Sprintf(" (opted out of %s for %s)", d.Jurisdiction, strings.Join(planes, " and ")), string(c.s.Populations[pi].ID))
			}
		}
	}
	for _, e := range order {
		d := &c.s.Datacenters[c.datacenterAt[e.datacenter]]
		where := "these connector primaries"
		if e.whitelist != "" {
			where = "whitelist " + e.whitelist
		}
		report(e.path, "connector %s (%s) is enabled for %s: take it off %s, or give %s a connector route inside the fence",
			d.ID, d.Jurisdiction, told[e], where, told[e].these())
	}
}

// connectorEntries lists the datacenters route ri's connector route names:
// its primaries, then its whitelist's entries.
func (c *checker) connectorEntries(ri int) []entry {
	pr := c.s.Routing.Routes[ri].Connector
	if pr == nil {
		return nil
	}
	var out []entry
	for j, id := range pr.Primaries {
		out = append(out, entry{path: scenarios.PrimaryPath(ri, scenarios.Connector, j), datacenter: id})
	}
	if name := whitelistOf(pr); name != "" {
		for k, id := range c.s.Routing.Whitelists[name] {
			out = append(out, entry{path: scenarios.WhitelistEntryPath(name, k), datacenter: id, whitelist: name})
		}
	}
	return out
}

// optedOut lists the planes whose fence for population pi excludes
// connector datacenter id: the connector plane, and the keys plane when
// servers hold keys, since connectors receive key copies.
func (c *checker) optedOut(pi int, id scenarios.ID) []string {
	var planes []string
	if !c.inside(pi, scenarios.Connector, id) {
		planes = append(planes, string(scenarios.Connector))
	}
	if !c.clientCustody(pi) && !c.inside(pi, scenarios.Keys, id) {
		planes = append(planes, string(scenarios.Keys))
	}
	return planes
}
