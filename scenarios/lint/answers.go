package lint

import (
	"fmt"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/fence"
)

// dnsRoutes calls f for each dns route some population follows, with the
// populations that follow it. A route imported for each population
// repeats the same records, so the lints of these rules are told once per
// place and message (see once).
func (c *checker) dnsRoutes(f func(ri int, plane scenarios.Plane, d *scenarios.DNSRoute, followers []int)) {
	for ri := range c.s.Routing.Routes {
		for _, plane := range scenarios.Planes {
			pr := c.s.Routing.Routes[ri].PlaneRoute(plane)
			if pr == nil || pr.DNS == nil {
				continue
			}
			var walkers []int
			for _, pi := range c.followers(ri, plane) {
				if c.walked(pi, plane) != nil {
					walkers = append(walkers, pi)
				}
			}
			if len(walkers) > 0 {
				f(ri, plane, pr.DNS, walkers)
			}
		}
	}
}

// once wraps report so that a message at a place (the file position the
// path stands at) is reported once.
func (c *checker) once(report report) report {
	seen := map[string]bool{}
	return func(path, format string, args ...any) {
		pos := c.s.Source.Pos(path)
		key := fmt.Sprintf("%s:%d:%d %s", pos.File, pos.Line, pos.Column, fmt.Sprintf(format, args...))
		if pos.Line == 0 {
			key = path + " " + key
		}
		if !seen[key] {
			seen[key] = true
			report(path, format, args...)
		}
	}
}

func groupPath(ri int, plane scenarios.Plane, g int) string {
	return scenarios.Index(scenarios.Join(scenarios.PlaneRoutePath(ri, plane), "dns.groups"), g)
}

// noAnswer reports populations whose queries can get no answer at all:
// Route 53 answers a geolocation group with no record for the client's
// area and no * default with an empty answer, and a group whose records
// for the client are all unhealthy while another area's is healthy the
// same way. Such joins are unanswered: blocked, and counted apart.
func noAnswer(c *checker, report report) {
	report = c.once(report)
	c.dnsRoutes(func(ri int, plane scenarios.Plane, d *scenarios.DNSRoute, followers []int) {
		at := scenarios.PlaneRoutePath(ri, plane) + ".dns"
		for g := range d.Groups {
			if d.Groups[g].Policy == "geolocation" {
				at = groupPath(ri, plane, g)
				break
			}
		}
		var st stories
		for _, pi := range followers {
			p := &c.s.Populations[pi]
			witness, ok := fence.Unanswered(c.s, p, d)
			if !ok {
				continue
			}
			when := "always"
			if len(witness) > 0 {
				when = fmt.Sprintf("when %s %s unhealthy", list(witness), plural(len(witness), "is", "are"))
			}
			st.tell(fmt.Sprintf(" (%s, %s), %s", p.Jurisdiction, plane, when), string(p.ID))
		}
		if !st.empty() {
			report(at, "%s: no answer, so the joins are unanswered and blocked; add a * default record, or a record for their location", st.String())
		}
	})
}

// uncheckedRecord reports records without a health check where that
// defeats the group: Route 53 always considers such a record healthy, so a
// failover primary without one never fails over and a secondary without
// one is answered even when dead; in a group whose other records are
// checked, it keeps its share whatever happens to it.
func uncheckedRecord(c *checker, report report) {
	report = c.once(report)
	c.dnsRoutes(func(ri int, plane scenarios.Plane, d *scenarios.DNSRoute, _ []int) {
		for g, group := range d.Groups {
			checked := 0
			for _, r := range group.Records {
				if r.HealthCheck != nil || r.EvaluateTargetHealth {
					checked++
				}
			}
			for i, r := range group.Records {
				if r.HealthCheck != nil || r.EvaluateTargetHealth || len(group.Records) < 2 {
					continue
				}
				path := scenarios.Index(scenarios.Join(groupPath(ri, plane, g), "records"), i)
				switch {
				case group.Policy == "failover" && r.Failover == "primary":
					report(path, "the primary of %s has no health check, so Route 53 always answers with it and never fails over: associate a health check", group.Name)
				case group.Policy == "failover":
					report(path, "the secondary of %s has no health check, so Route 53 answers with it whenever the primary is unhealthy, even if it is down itself: associate a health check", group.Name)
				case checked > 0:
					report(path, "record %s of %s has no health check while others of its group do: Route 53 keeps answering with it whatever its health", recordName(r), group.Name)
				}
			}
		}
	})
}

// pinnedAlias reports alias records that do not evaluate their target's
// health in a group with other records: Route 53 keeps routing into that
// branch even when every record under it fails, instead of backing out to
// the others.
func pinnedAlias(c *checker, report report) {
	report = c.once(report)
	c.dnsRoutes(func(ri int, plane scenarios.Plane, d *scenarios.DNSRoute, _ []int) {
		for g, group := range d.Groups {
			for i, r := range group.Records {
				if r.Alias == "" || r.EvaluateTargetHealth || r.HealthCheck != nil || len(group.Records) < 2 {
					continue
				}
				path := scenarios.Join(scenarios.Index(scenarios.Join(groupPath(ri, plane, g), "records"), i), "alias")
				report(path, "alias %s of %s does not evaluate target health: when every record of %s is unhealthy, Route 53 still answers from it rather than from the group's other records; set evaluate_target_health", recordName(r), group.Name, r.Alias)
			}
		}
	})
}

func recordName(r scenarios.Record) string {
	switch {
	case r.ID != "":
		return r.ID
	case r.Alias != "":
		return "alias to " + r.Alias
	}
	return string(r.Datacenter)
}
