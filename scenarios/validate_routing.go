package scenarios

import "fmt"

// routing checks the whitelists, every route, and that each datacenter a
// route can send a client to serves the plane and has an RTT to the client.
func (v *validator) routing() {
	wl := v.s.Routing.Whitelists
	for _, name := range sortedKeys(wl) {
		path := join("routing.whitelists", name)
		if len(wl[name]) == 0 {
			v.add(path, "whitelist %q is empty", name)
		}
		v.datacenterList(path, wl[name])
	}
	v.served = map[string]bool{}
	for i := range v.s.Routing.Routes {
		v.route(i)
	}
	v.rtts()
}

// datacenterList checks that each entry names a datacenter, once.
func (v *validator) datacenterList(path string, ids []ID) {
	first := map[ID]int{}
	for i, id := range ids {
		p := index(path, i)
		v.ref(p, id, v.knownDatacenters)
		if j, dup := first[id]; dup {
			v.add(p, "%q is listed twice (first at %s)", id, v.at(index(path, j)))
			continue
		}
		first[id] = i
	}
}

func (v *validator) route(i int) {
	r := &v.s.Routing.Routes[i]
	path := index("routing.routes", i)
	if v.ref(join(path, "region"), r.Region, v.knownRegions) && r.Plan != "" && !v.plansIn[r.Region][r.Plan] && !v.incomplete("populations", "region", "plan") {
		v.add(join(path, "plan"), "no population in region %q has plan %q", r.Region, r.Plan)
	}
	if first := v.routeAt[routeKey{r.Region, r.Plan}]; first != i {
		which := "without a plan"
		if r.Plan != "" {
			which = fmt.Sprintf("and plan %q", r.Plan)
		}
		v.add(path, "another route for region %q %s comes first (%s)", r.Region, which, v.at(index("routing.routes", first)))
	}
	v.planeRoute(join(path, "media"), &r.Media, Media)
	keys := join(path, "keys")
	v.enum(join(keys, "custody"), r.Keys.Custody, custodies)
	if r.Keys.ClientCustody() {
		if len(r.Keys.Primaries) > 0 {
			v.add(join(keys, "primaries"), "with client custody no server holds keys: remove the primaries")
		}
		if r.Keys.Secondaries != nil {
			v.add(join(keys, "secondaries"), "with client custody no server holds keys: remove the secondaries")
		}
	} else {
		v.planeRoute(keys, &r.Keys.PlaneRoute, Keys)
	}
	if r.Connector != nil {
		v.planeRoute(join(path, "connector"), r.Connector, Connector)
	}
	if r.Retries < 0 || r.Retries > maxRetries {
		v.add(join(path, "retries"), "must be between 0 and %d, got %d", maxRetries, r.Retries)
	}
	v.nonNegativeDuration(join(path, "backoff"), r.Backoff)
	if r.Retries > 0 && !(r.Backoff > 0) {
		v.add(join(path, "backoff"), "retries need a backoff longer than 0")
	}
}

func (v *validator) planeRoute(path string, pr *PlaneRoute, plane Plane) {
	if len(pr.Primaries) == 0 && pr.Secondaries == nil {
		v.add(path, "give primaries or secondaries: a %s route with neither sends clients nowhere", plane)
	}
	if pr.Attempts != 0 && (pr.Attempts < 1 || pr.Attempts > maxAttempts) {
		v.add(join(path, "attempts"), "must be between 1 and %d, got %d", maxAttempts, pr.Attempts)
	}
	v.nonNegativeDuration(join(path, "connect_timeout"), pr.ConnectTimeout)
	primaries := join(path, "primaries")
	if len(pr.Primaries) > maxPrimaries {
		v.add(primaries, "at most %d primaries are allowed, got %d", maxPrimaries, len(pr.Primaries))
	}
	v.datacenterList(primaries, pr.Primaries)
	for i, id := range pr.Primaries {
		v.serves(index(primaries, i), id, plane, "")
	}
	sec := pr.Secondaries
	if sec == nil {
		return
	}
	secPath := join(path, "secondaries")
	if sec.Picks != 0 && (sec.Picks < 1 || sec.Picks > maxPicks) {
		v.add(join(secPath, "picks"), "must be between 1 and %d, got %d", maxPicks, sec.Picks)
	}
	v.enum(join(secPath, "order"), sec.Order, orders)
	list, ok := v.s.Routing.Whitelists[sec.Whitelist]
	if !ok && !v.incomplete("routing.whitelists") {
		v.add(join(secPath, "whitelist"), "unknown whitelist %q%s", sec.Whitelist, hint(sec.Whitelist, sortedKeys(v.s.Routing.Whitelists)))
		return
	}
	for i, id := range list {
		v.serves(index(join("routing.whitelists", sec.Whitelist), i), id, plane, path)
	}
}

// serves checks that the datacenter named at path serves plane. A shared
// whitelist entry is reported once per plane, naming the route (user) that
// first takes secondaries for that plane from it.
func (v *validator) serves(path string, id ID, plane Plane, user string) {
	j, ok := v.datacenterAt[id]
	if !ok || v.s.Datacenters[j].Capacity.For(plane) != nil || v.cascade(join(index("datacenters", j), "capacity")) {
		return
	}
	if user == "" {
		v.add(path, "datacenter %q does not serve %s", id, plane)
		return
	}
	if key := path + " " + string(plane); !v.served[key] {
		v.served[key] = true
		v.add(path, "datacenter %q does not serve %s, but %s takes %s secondaries from this whitelist", id, plane, user, plane)
	}
}

// rtts checks that every datacenter a population's route can reach has a
// round-trip time from the population's region: given, or derivable from
// the locations of both.
func (v *validator) rtts() {
	checked := map[[2]ID]bool{} // (region, datacenter)
	for i := range v.s.Populations {
		ri := v.routeFor(&v.s.Populations[i])
		if ri < 0 {
			continue
		}
		r := &v.s.Routing.Routes[ri]
		k, ok := v.regionAt[r.Region]
		if !ok {
			continue
		}
		region := v.s.Regions[k]
		for _, plane := range Planes {
			pr := r.PlaneRoute(plane)
			if pr == nil {
				continue
			}
			ids := pr.Primaries
			if pr.Secondaries != nil {
				ids = append(ids[:len(ids):len(ids)], v.s.Routing.Whitelists[pr.Secondaries.Whitelist]...)
			}
			for _, id := range ids {
				j, ok := v.datacenterAt[id]
				if !ok || checked[[2]ID{r.Region, id}] {
					continue
				}
				checked[[2]ID{r.Region, id}] = true
				dc := &v.s.Datacenters[j]
				if _, given := dc.RTT[string(r.Region)]; given || (dc.Location != nil && region.Location != nil) {
					continue
				}
				if dcPath := index("datacenters", j); v.cascade(join(dcPath, "rtt")) || v.cascade(join(dcPath, "location")) || v.cascade(join(index("regions", k), "location")) {
					continue
				}
				v.add(join(index("datacenters", j), "rtt"), "no round-trip time from region %q, whose clients can reach %q: add %s to rtt, or give both the region and the datacenter a location", r.Region, id, r.Region)
			}
		}
	}
}

func (v *validator) policy() {
	for i, rule := range v.s.Policy {
		path := index("policy", i)
		sel := join(path, "select")
		if rule.Select.Region != "" {
			v.ref(join(sel, "region"), rule.Select.Region, v.knownRegions)
		}
		if p := rule.Select.Plan; p != "" && !v.plans[p] && !v.incomplete("populations", "plan") {
			v.add(join(sel, "plan"), "no population has plan %q%s", p, hint(string(p), sortedKeys(v.plans)))
		}
		if rule.Select.Jurisdiction != "" {
			v.code(join(sel, "jurisdiction"), rule.Select.Jurisdiction)
		}
		for _, plane := range Planes {
			allow := join(join(path, "allow"), string(plane))
			for j, c := range rule.Allow.For(plane) {
				v.code(index(allow, j), c)
			}
		}
	}
}
