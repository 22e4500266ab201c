package validate

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/geofence/geofence/scenarios"
)

// routing checks the whitelists, every route, and that each datacenter a
// route can send a client to serves the plane and has an RTT to the client.
func (v *validator) routing() {
	wl := v.s.Routing.Whitelists
	for _, name := range sortedKeys(wl) {
		path := scenarios.Join("routing.whitelists", name)
		if len(wl[name]) == 0 {
			v.Add(path, "whitelist %q is empty", scenarios.Clip(name))
		}
		v.datacenterList(path, wl[name])
	}
	v.imports()
	v.served = map[[2]string]bool{}
	for i := range v.s.Routing.Routes {
		v.route(i)
	}
	v.rtts()
}

// datacenterList checks that each entry names a datacenter, once.
func (v *validator) datacenterList(path string, ids []scenarios.ID) {
	first := map[scenarios.ID]int{}
	for i, id := range ids {
		p := scenarios.Index(path, i)
		v.ref(p, id, v.knownDatacenters)
		if j, dup := first[id]; dup {
			v.Add(p, "%q is listed twice (first at %s)", id, v.at(scenarios.Index(path, j)))
			continue
		}
		first[id] = i
	}
}

// route checks route i: its references, that it is the only route for its
// region and plan (or its population), and each of its plane routes.
func (v *validator) route(i int) {
	r := &v.s.Routing.Routes[i]
	path := scenarios.Index("routing.routes", i)
	if r.Population != "" {
		v.populationOnlyRoute(i)
	} else {
		v.regionRoute(i)
	}
	if r.Gives(scenarios.Media) {
		v.planeRoute(scenarios.Join(path, "media"), &r.Media, scenarios.Media)
	}
	keys := scenarios.Join(path, "keys")
	if r.Keys.Custody != "" {
		v.enum(scenarios.Join(keys, "custody"), r.Keys.Custody, custodies)
	}
	if r.Keys.ClientCustody() {
		for _, f := range []struct {
			name string
			set  bool
		}{{"primaries", len(r.Keys.Primaries) > 0}, {"secondaries", r.Keys.Secondaries != nil}, {"balance", r.Keys.Balance != nil}} {
			if f.set {
				v.Add(scenarios.Join(keys, f.name), "with client custody no server holds keys: remove the %s", f.name)
			}
		}
	} else if r.Gives(scenarios.Keys) {
		v.planeRoute(keys, &r.Keys.PlaneRoute, scenarios.Keys)
	}
	if r.Connector != nil {
		v.planeRoute(scenarios.Join(path, "connector"), r.Connector, scenarios.Connector)
	}
	if r.Retries < 0 || r.Retries > maxRetries {
		v.Add(scenarios.Join(path, "retries"), "must be between 0 and %d, got %d", maxRetries, r.Retries)
	}
	v.nonNegativeDuration(scenarios.Join(path, "backoff"), r.Backoff, maxBackoff)
	if r.Retries > 0 && !(r.Backoff > 0) {
		v.Add(scenarios.Join(path, "backoff"), "retries need a backoff longer than 0")
	}
}

// regionRoute checks what a route without a population must have: a
// known region, a plan some population of it has, media and keys, and no
// other route for the same region and plan before it.
func (v *validator) regionRoute(i int) {
	r := &v.s.Routing.Routes[i]
	path := scenarios.Index("routing.routes", i)
	if r.Region == "" {
		v.Add(path, "missing field %q: a route is for a region (and optionally a plan), or for a population", "region")
	} else if v.ref(scenarios.Join(path, "region"), r.Region, v.knownRegions) && r.Plan != "" && !v.plansIn[r.Region][r.Plan] && !v.plansLost {
		v.Add(scenarios.Join(path, "plan"), "no population in region %q has plan %q", r.Region, r.Plan)
	}
	if first := v.routeAt[routeKey{r.Region, r.Plan}]; first != i {
		which := "without a plan"
		if r.Plan != "" {
			which = fmt.Sprintf("and plan %q", scenarios.Clip(string(r.Plan)))
		}
		v.Add(path, "another route for region %q %s comes first (%s)", r.Region, which, v.at(scenarios.Index("routing.routes", first)))
	}
	for _, plane := range []scenarios.Plane{scenarios.Media, scenarios.Keys} {
		if !r.Gives(plane) && !v.cascade(scenarios.Join(path, string(plane))) {
			v.Add(path, "missing field %q: a route without a population gives media and keys", plane)
		}
	}
}

// populationOnlyRoute checks what a population's own route must be: for a
// known population, the only one for it, giving at least one plane, with
// no region, plan or retries of its own (those are its region route's).
func (v *validator) populationOnlyRoute(i int) {
	r := &v.s.Routing.Routes[i]
	path := scenarios.Index("routing.routes", i)
	if _, ok := v.populationAt[r.Population]; !ok && !v.incomplete("populations", "id") {
		v.Add(scenarios.Join(path, "population"), "unknown population %q%s", r.Population, v.hint(string(r.Population), sortedKeys(v.populationAt)))
	}
	if first := v.populationRouteAt[r.Population]; first != i {
		v.Add(path, "another route for population %q comes first (%s)", r.Population, v.at(scenarios.Index("routing.routes", first)))
	}
	for _, f := range []struct {
		name string
		set  bool
	}{{"region", r.Region != ""}, {"plan", r.Plan != ""}, {"retries", r.Retries != 0}, {"backoff", r.Backoff != 0}} {
		if f.set {
			v.Add(scenarios.Join(path, f.name), "a population's route takes its %s from the population's region or plan route: remove it here", f.name)
		}
	}
	if !r.Gives(scenarios.Media) && !r.Gives(scenarios.Keys) && !r.Gives(scenarios.Connector) {
		v.Add(path, "a population's route gives at least one plane (media, keys or connector)")
	}
}

// planeRoute checks one plane's route: that it is exactly one kind, and
// that kind.
func (v *validator) planeRoute(path string, pr *scenarios.PlaneRoute, plane scenarios.Plane) {
	kinds := pr.Kinds()
	switch len(kinds) {
	case 0:
		v.Add(path, "give primaries or secondaries, or balance, failover or dns: a %s route with none sends clients nowhere", plane)
	case 1:
	default:
		v.Add(path, "a plane route is one kind, but it gives %s: keep one", scenarios.QuoteList(kinds, "and"))
	}
	if slices.Contains(kinds, "walk") || len(kinds) == 0 {
		v.walk(path, pr, plane)
	} else {
		for _, field := range []struct {
			name string
			set  bool
		}{{"attempts", pr.Attempts != nil}, {"connect_timeout", pr.ConnectTimeout != nil}} {
			if field.set {
				v.Add(scenarios.Join(path, field.name), "belongs to a walk (primaries, secondaries), not to %s", kinds[0])
			}
		}
	}
	if pr.Balance != nil {
		v.balance(scenarios.Join(path, "balance"), pr.Balance, plane)
	}
	if pr.Failover != nil {
		v.failoverRoute(scenarios.Join(path, "failover"), pr.Failover, plane)
	}
	if pr.DNS != nil {
		v.dnsRoute(scenarios.Join(path, "dns"), pr.DNS, plane)
	}
}

// walk checks the native walk: bounds, primaries and secondaries.
func (v *validator) walk(path string, pr *scenarios.PlaneRoute, plane scenarios.Plane) {
	if a := pr.Attempts; a != nil && (*a < 1 || *a > maxAttempts) {
		v.Add(scenarios.Join(path, "attempts"), "must be between 1 and %d, got %d", maxAttempts, *a)
	}
	if pr.ConnectTimeout != nil {
		v.nonNegativeDuration(scenarios.Join(path, "connect_timeout"), *pr.ConnectTimeout, maxConnectTimeout)
	}
	primaries := scenarios.Join(path, "primaries")
	if len(pr.Primaries) > maxPrimaries {
		v.Add(primaries, "at most %d primaries are allowed, got %d", maxPrimaries, len(pr.Primaries))
	}
	v.datacenterList(primaries, pr.Primaries)
	for i, id := range pr.Primaries {
		v.serves(scenarios.Index(primaries, i), id, plane, "")
	}
	sec := pr.Secondaries
	if sec == nil {
		return
	}
	secPath := scenarios.Join(path, "secondaries")
	if p := sec.Picks; p != nil && (*p < 1 || *p > MaxPicks) {
		v.Add(scenarios.Join(secPath, "picks"), "must be between 1 and %d, got %d", MaxPicks, *p)
	}
	if sec.Order != "" {
		v.enum(scenarios.Join(secPath, "order"), sec.Order, orders)
	}
	list, ok := v.s.Routing.Whitelists[sec.Whitelist]
	if !ok && !v.whitelistsLost {
		v.Add(scenarios.Join(secPath, "whitelist"), "unknown whitelist %q%s", scenarios.Clip(sec.Whitelist), v.hint(sec.Whitelist, v.whitelistNames))
		return
	}
	if key := [2]string{sec.Whitelist, string(plane)}; !v.served[key] {
		v.served[key] = true
		for i, id := range list {
			v.serves(scenarios.Index(scenarios.Join("routing.whitelists", sec.Whitelist), i), id, plane, path)
		}
	}
}

// serves checks that the datacenter named at path serves plane. For a
// whitelist entry, user is the route that takes secondaries from it.
func (v *validator) serves(path string, id scenarios.ID, plane scenarios.Plane, user string) {
	j, ok := v.datacenterAt[id]
	if !ok || v.s.Datacenters[j].Capacity.For(plane) != nil || v.cascade(scenarios.Join(scenarios.Join(scenarios.Index("datacenters", j), "capacity"), string(plane))) {
		return
	}
	if user == "" {
		v.Add(path, "datacenter %q does not serve %s", id, plane)
		return
	}
	v.Add(path, "datacenter %q does not serve %s, but %s takes %s secondaries from this whitelist", id, plane, user, plane)
}

// rtts checks that every datacenter a population's route can reach has a
// round-trip time from the population's region: given, or derivable from
// the locations of both. It looks at each (region, datacenter) pair once,
// and reports each datacenter once however many regions lack a time to it:
// a large file may have millions of pairs.
func (v *validator) rtts() {
	type planeOf struct {
		route int
		plane scenarios.Plane
	}
	routesOf := map[int][]planeOf{} // region index -> the plane routes its populations follow
	for i := range v.s.Populations {
		p := &v.s.Populations[i]
		k, ok := v.regionAt[p.Region]
		if !ok {
			continue
		}
		for _, plane := range scenarios.Planes {
			if ri, pr := v.planeRouteOf(p, plane); pr != nil && !slices.Contains(routesOf[k], planeOf{ri, plane}) {
				routesOf[k] = append(routesOf[k], planeOf{ri, plane})
			}
		}
	}
	checkedBy := make([]int, len(v.s.Datacenters)) // 1 + index of the last region checked against each datacenter
	missing := make([]regionTally, len(v.s.Datacenters))
	for _, k := range slices.Sorted(maps.Keys(routesOf)) {
		region := &v.s.Regions[k]
		if v.cascade(scenarios.Join(scenarios.Index("regions", k), "location")) {
			continue
		}
		check := func(id scenarios.ID) {
			j, ok := v.datacenterAt[id]
			if !ok || checkedBy[j] == k+1 {
				return
			}
			checkedBy[j] = k + 1
			if _, ok := scenarios.RoundTrip(region, &v.s.Datacenters[j]); !ok {
				missing[j].add(string(region.ID))
			}
		}
		whitelists := map[string]bool{}
		for _, rp := range routesOf[k] {
			pr := v.s.Routing.Routes[rp.route].PlaneRoute(rp.plane)
			for _, id := range pr.Primaries {
				check(id)
			}
			if pr.Secondaries != nil && !whitelists[pr.Secondaries.Whitelist] {
				whitelists[pr.Secondaries.Whitelist] = true
				for _, id := range v.s.Routing.Whitelists[pr.Secondaries.Whitelist] {
					check(id)
				}
			}
			for _, id := range pr.Balance.Datacenters() {
				check(id)
			}
			for _, id := range pr.AnswerDatacenters() {
				check(id)
			}
		}
	}
	for j, regions := range missing {
		dcPath := scenarios.Index("datacenters", j)
		if regions.count == 0 || v.cascade(scenarios.Join(dcPath, "rtt")) || v.cascade(scenarios.Join(dcPath, "location")) {
			continue
		}
		them := "them"
		if regions.count == 1 {
			them = regions.first[0]
		}
		v.Add(scenarios.Join(dcPath, "rtt"), "datacenter %q has no round-trip time from %s, whose clients can reach it: add %s to rtt, or give both the region and the datacenter a location",
			v.s.Datacenters[j].ID, regions, them)
	}
}

// regionTally counts regions and keeps the first few names for a message.
type regionTally struct {
	first []string
	count int
}

const regionsShown = 5

func (t *regionTally) add(region string) {
	if t.count < regionsShown {
		t.first = append(t.first, region)
	}
	t.count++
}

// String names the regions: region "na", regions "na" and "eu", or
// regions "na", "eu", "cn", "ap", "sa" and 3 more.
func (t regionTally) String() string {
	if t.count == 1 {
		return fmt.Sprintf("region %q", scenarios.Clip(t.first[0]))
	}
	if t.count <= regionsShown {
		return "regions " + scenarios.QuoteList(t.first, "and")
	}
	quoted := make([]string, len(t.first))
	for i, r := range t.first {
		quoted[i] = strconv.Quote(scenarios.Clip(r))
	}
	return fmt.Sprintf("regions %s and %d more", strings.Join(quoted, ", "), t.count-len(t.first))
}

// policy checks each rule's selector and allowed jurisdictions.
func (v *validator) policy() {
	for i, rule := range v.s.Policy {
		path := scenarios.Index("policy", i)
		v.name(scenarios.Join(path, "name"), rule.Name)
		v.selector(scenarios.Join(path, "select"), rule.Select)
		for _, plane := range scenarios.Planes {
			allow := scenarios.Join(scenarios.Join(path, "allow"), string(plane))
			for j, c := range rule.Allow.For(plane) {
				v.code(scenarios.Index(allow, j), c)
			}
		}
	}
}

// selector checks what a selector at path names: a known region, plan and
// jurisdiction.
func (v *validator) selector(path string, sel scenarios.Selector) {
	if sel.Region != "" {
		v.ref(scenarios.Join(path, "region"), sel.Region, v.knownRegions)
	}
	if p := sel.Plan; p != "" && !v.plans[p] && !v.plansLost {
		v.Add(scenarios.Join(path, "plan"), "no population has plan %q%s", p, v.hint(string(p), v.planNames))
	}
	if sel.Jurisdiction != "" {
		v.code(scenarios.Join(path, "jurisdiction"), sel.Jurisdiction)
	}
}
