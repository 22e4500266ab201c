package lint

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/fence"
)

// gate is where a forbidden datacenter is let in: one primary or
// whitelist entry, on the route of one plane. Every population that
// reaches the datacenter through the same gate is told of in one lint.
type gate struct {
	path       string
	via        scenarios.Plane
	datacenter string
	whitelist  string // "" for a primary
}

// landing is how one population gets through a gate: the datacenters
// that must be full or down, and the fences it then breaks.
type landing struct {
	population string
	witness    []string
	broken     []scenarios.Plane
}

func failOpen(c *checker, report report) {
	var gates []gate
	landings := map[gate][]*landing{}
	// lint.Check takes no context: this analysis runs to its end.
	fences, _ := fence.Analyze(context.Background(), c.s)
	for _, f := range fences {
		if c.ruleOf[c.populationAt[f.Population]] < 0 {
			continue // as in fenced: no-policy tells of it
		}
		for _, x := range f.Findings {
			g := gate{x.Path, x.Via, x.Datacenter, x.Whitelist}
			ls := landings[g]
			if len(ls) == 0 {
				gates = append(gates, g)
			}
			// Analyze goes population by population, so a population's
			// landings through a gate are told one after the other.
			if n := len(ls); n > 0 && ls[n-1].population == x.Population {
				ls[n-1].broken = append(ls[n-1].broken, x.Plane)
				continue
			}
			landings[g] = append(ls, &landing{population: x.Population, witness: x.Witness, broken: []scenarios.Plane{x.Plane}})
		}
	}
	for _, g := range gates {
		var st stories
		for _, l := range landings[g] {
			planes := brokenInOrder(g.via, l.broken)
			pi := c.populationAt[l.population]
			st.tell(c.landingStory(g, l.witness, planes), fmt.Sprintf("%s %s", l.population, c.fence(pi, planes[0])))
		}
		report(g.path, "%s; %s", st.String(), c.remedy(g, st.these()))
	}
}

// brokenInOrder puts the fences a landing breaks in the order a message
// names them: the fence of the route's own plane first.
func brokenInOrder(via scenarios.Plane, broken []scenarios.Plane) []scenarios.Plane {
	var out []scenarios.Plane
	for _, plane := range append([]scenarios.Plane{via}, scenarios.Planes[:]...) {
		if slices.Contains(broken, plane) && !slices.Contains(out, plane) {
			out = append(out, plane)
		}
	}
	return out
}

// landingStory tells how a client lands outside its fence, e.g. " (keys):
// when kms-us-1, kms-us-2 are full or down, a client can land at cn-bj-1
// (CN), outside the keys fence". The populations it follows show the
// fence named first.
func (c *checker) landingStory(g gate, witness []string, broken []scenarios.Plane) string {
	when := "with nothing full or down"
	if n := len(witness); n > 0 {
		when = fmt.Sprintf("when %s %s full or down", list(witness), plural(n, "is", "are"))
	}
	names := make([]string, len(broken))
	for i, plane := range broken {
		names[i] = string(plane)
	}
	outside := fmt.Sprintf("the %s %s", strings.Join(names, " and "), plural(len(names), "fence", "fences"))
	if g.via == scenarios.Connector && slices.Contains(broken, scenarios.Keys) {
		outside += " (connectors receive key copies)"
	}
	d := &c.s.Datacenters[c.datacenterAt[scenarios.ID(g.datacenter)]]
	return fmt.Sprintf(" (%s): %s, a client can land at %s (%s), outside %s", g.via, when, d.ID, d.Jurisdiction, outside)
}

// remedy says how to close the gate: take the datacenter off the list
// that lets it in, or give the populations, them, a list of their own.
func (c *checker) remedy(g gate, them string) string {
	if g.whitelist != "" {
		return fmt.Sprintf("take %s off whitelist %s, or give %s a whitelist inside the fence", g.datacenter, g.whitelist, them)
	}
	if strings.Contains(g.path, ".balance.") {
		return fmt.Sprintf("keep %s out of this balance route's priorities (in Istio, a distribute rule that leaves its locality out), or allow %s for %s in the policy",
			g.datacenter, c.s.Datacenters[c.datacenterAt[scenarios.ID(g.datacenter)]].Jurisdiction, them)
	}
	d := &c.s.Datacenters[c.datacenterAt[scenarios.ID(g.datacenter)]]
	switch {
	case strings.Contains(g.path, ".failover.targets["):
		return fmt.Sprintf("take %s off the datacenters this failover tries (a NearestN pick: lower NearestN, or list the datacenters instead), or allow %s for %s in the policy", g.datacenter, d.Jurisdiction, them)
	case strings.Contains(g.path, ".dns.groups["):
		return fmt.Sprintf("answer this record with a datacenter inside the fence, or allow %s for %s in the policy", d.Jurisdiction, them)
	}
	return fmt.Sprintf("take %s off these primaries, or allow %s for %s in the policy", g.datacenter, d.Jurisdiction, them)
}
