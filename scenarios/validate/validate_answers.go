package validate

import (
	"slices"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/answer"
)

// sized checks that a list of what has at least one and at most most
// members.
func (v *validator) sized(path string, n, most int, what string) {
	switch {
	case n == 0:
		v.Add(path, "give at least one %s", what)
	case n > most:
		v.Add(path, "at most %d %ss are allowed, got %d", most, what, n)
	}
}

// health checks a health block's bounds.
func (v *validator) health(path string, h *scenarios.Health) {
	if h == nil {
		return
	}
	if h.Interval != nil && (*h.Interval < scenarios.MinCheckInterval || *h.Interval > scenarios.MaxCheckInterval) {
		v.Add(scenarios.Join(path, "interval"), "must be from %v to %v, got %v", scenarios.MinCheckInterval, scenarios.MaxCheckInterval, *h.Interval)
	}
	if t := h.FailureThreshold; t != nil && (*t < 1 || *t > scenarios.MaxFailureThreshold) {
		v.Add(scenarios.Join(path, "failure_threshold"), "must be between 1 and %d, got %d", scenarios.MaxFailureThreshold, *t)
	}
	if h.Full != "" {
		v.enum(scenarios.Join(path, "full"), h.Full, fullStatuses)
	}
}

// answerTimes checks the durations both kinds share.
func (v *validator) answerTimes(path string, ttl, connectTimeout *scenarios.Duration) {
	if ttl != nil {
		v.nonNegativeDuration(scenarios.Join(path, "ttl"), *ttl, scenarios.MaxTTL)
	}
	if connectTimeout != nil {
		v.nonNegativeDuration(scenarios.Join(path, "connect_timeout"), *connectTimeout, maxConnectTimeout)
	}
}

// failoverRoute checks a failover route: its targets name datacenters that
// serve the plane, once each.
func (v *validator) failoverRoute(path string, f *scenarios.FailoverRoute, plane scenarios.Plane) {
	targets := scenarios.Join(path, "targets")
	v.sized(targets, len(f.Targets), scenarios.MaxTargets, "target")
	v.datacenterList(targets, f.Targets)
	for i, id := range f.Targets {
		v.serves(scenarios.Index(targets, i), id, plane, "")
	}
	if f.WhenNoneHealthy != "" {
		v.enum(scenarios.Join(path, "when_none_healthy"), f.WhenNoneHealthy, noneHealthy)
	}
	v.answerTimes(path, f.TTL, f.ConnectTimeout)
	v.health(scenarios.Join(path, "health"), f.Health)
}

// dnsRoute checks a tree of record groups against Route 53's own rules:
// names unique, aliases to groups of the route and no loop, each policy's
// fields on its records and no others, records answering with datacenters
// that serve the plane.
func (v *validator) dnsRoute(path string, d *scenarios.DNSRoute, plane scenarios.Plane) {
	groupsPath := scenarios.Join(path, "groups")
	v.sized(groupsPath, len(d.Groups), scenarios.MaxRecordGroups, "record group")
	v.answerTimes(path, d.TTL, d.ConnectTimeout)
	v.health(scenarios.Join(path, "health"), d.Health)
	for gi := range d.Groups {
		g := &d.Groups[gi]
		gp := scenarios.Index(groupsPath, gi)
		if g.Name == "" {
			v.Add(scenarios.Join(gp, "name"), "must not be empty")
		} else if first := d.Group(g.Name); first != gi {
			v.Add(scenarios.Join(gp, "name"), "group %q is also group %d: a route has one group per name", scenarios.Clip(g.Name), first)
		}
		v.enum(scenarios.Join(gp, "policy"), g.Policy, policies)
		policy, _ := answer.ParsePolicy(g.Policy)
		recs := scenarios.Join(gp, "records")
		v.sized(recs, len(g.Records), scenarios.MaxRecords, "record")
		if policy == answer.Simple && len(g.Records) > 1 {
			v.Add(recs, "a simple group has one record, got %d", len(g.Records))
		}
		roleAt := map[string]int{}
		areaAt := map[[3]string]int{}
		for ri := range g.Records {
			v.record(d, scenarios.Index(recs, ri), &g.Records[ri], policy, plane)
			r := &g.Records[ri]
			if policy == answer.Failover && r.Failover != "" {
				if j, dup := roleAt[r.Failover]; dup {
					v.Add(scenarios.Join(scenarios.Index(recs, ri), "failover"), "a failover group has one %s record (the first is record %d)", r.Failover, j)
				}
				roleAt[r.Failover] = ri
			}
			if policy == answer.Geolocation {
				area := [3]string{r.Continent, r.Country, r.Subdivision}
				if j, dup := areaAt[area]; dup {
					v.Add(scenarios.Index(recs, ri), "record %d already serves this location", j)
				}
				areaAt[area] = ri
			}
		}
	}
	if loop := aliasLoop(d); loop >= 0 {
		v.Add(scenarios.Join(scenarios.Index(groupsPath, loop), "name"), "aliases lead from group %q back to itself", scenarios.Clip(d.Groups[loop].Name))
	}
}

// record checks one record of a group whose policy is policy.
func (v *validator) record(d *scenarios.DNSRoute, path string, r *scenarios.Record, policy answer.Policy, plane scenarios.Plane) {
	hasDC := r.Datacenter != ""
	if hasDC && v.ref(scenarios.Join(path, "datacenter"), r.Datacenter, v.knownDatacenters) && r.Alias == "" {
		v.serves(scenarios.Join(path, "datacenter"), r.Datacenter, plane, "")
	}
	switch {
	case r.Alias != "":
		if d.Group(r.Alias) < 0 {
			v.Add(scenarios.Join(path, "alias"), "no group of this route is named %q", scenarios.Clip(r.Alias))
		}
		if policy == answer.Multivalue {
			v.Add(scenarios.Join(path, "alias"), "a multivalue record cannot be an alias (Route 53 refuses it)")
		}
		if r.HealthCheck != nil && !hasDC {
			v.Add(scenarios.Join(path, "health_check"), "an alias's health check observes a datacenter: give the record's datacenter")
		}
		if policy == answer.Latency && !hasDC {
			v.Add(path, "a latency alias needs the datacenter whose round-trip time stands for its region")
		}
	case !hasDC:
		v.Add(path, "give the datacenter the record answers with, or an alias")
	}
	v.health(scenarios.Join(path, "health_check"), r.HealthCheck)
	v.policyFields(path, r, policy)
}

// policyFields checks that a record gives its policy's fields and no
// other policy's.
func (v *validator) policyFields(path string, r *scenarios.Record, policy answer.Policy) {
	given := map[answer.Policy][]string{}
	if r.Failover != "" {
		given[answer.Failover] = append(given[answer.Failover], "failover")
	}
	for _, f := range []struct{ name, value string }{{"continent", r.Continent}, {"country", r.Country}, {"subdivision", r.Subdivision}} {
		if f.value != "" {
			given[answer.Geolocation] = append(given[answer.Geolocation], f.name)
		}
	}
	if r.Weight != nil {
		given[answer.Weighted] = append(given[answer.Weighted], "weight")
	}
	for p, fields := range given {
		if p != policy {
			for _, f := range fields {
				v.Add(scenarios.Join(path, f), "a %s record has no %s (it is a field of %s records)", policy, f, p)
			}
		}
	}
	switch policy {
	case answer.Failover:
		if r.Failover == "" {
			v.Add(path, "a failover record needs its role: failover: primary or secondary")
		} else {
			v.enum(scenarios.Join(path, "failover"), r.Failover, roles)
		}
	case answer.Geolocation:
		v.area(path, r)
	case answer.Weighted:
		if r.Weight == nil {
			v.Add(path, "a weighted record needs its weight, 0 to 255")
		} else if *r.Weight < 0 || *r.Weight > 255 {
			v.Add(scenarios.Join(path, "weight"), "must be between 0 and 255, got %d", *r.Weight)
		}
	}
}

// area checks a geolocation record's location: a continent, a country (or
// * for the default) or a country's subdivision.
func (v *validator) area(path string, r *scenarios.Record) {
	switch {
	case r.Continent != "" && r.Country != "":
		v.Add(path, "give a continent or a country, not both")
	case r.Continent == "" && r.Country == "":
		v.Add(path, "a geolocation record needs a continent, a country or the default country \"*\"")
	case r.Continent != "":
		if !slices.Contains(answer.Continents(), r.Continent) {
			v.Add(scenarios.Join(path, "continent"), "%q is not a continent code (one of %s)", scenarios.Clip(r.Continent), scenarios.QuoteList(answer.Continents(), "or"))
		}
	case r.Country == "*":
		if r.Subdivision != "" {
			v.Add(scenarios.Join(path, "subdivision"), "the default record has no subdivision")
		}
	case !isCountry(r.Country):
		v.Add(scenarios.Join(path, "country"), "%q is not an ISO 3166-1 alpha-2 country code", scenarios.Clip(r.Country))
	}
	if r.Subdivision != "" && r.Country == "" {
		v.Add(scenarios.Join(path, "subdivision"), "a subdivision needs its country")
	}
}

// aliasLoop returns the index of a group from which aliases lead back to
// itself, or -1.
func aliasLoop(d *scenarios.DNSRoute) int {
	state := make([]int8, len(d.Groups)) // 0 unvisited, 1 on the path, 2 done
	var visit func(g int) bool
	visit = func(g int) bool {
		state[g] = 1
		for _, r := range d.Groups[g].Records {
			next := d.Group(r.Alias)
			if r.Alias == "" || next < 0 {
				continue
			}
			if state[next] == 1 || state[next] == 0 && visit(next) {
				return true
			}
		}
		state[g] = 2
		return false
	}
	for g := range d.Groups {
		if state[g] == 0 && visit(g) {
			return g
		}
	}
	return -1
}
