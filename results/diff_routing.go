package results

import (
	"fmt"
	"slices"
	"strings"

	"github.com/geofence/geofence/scenarios"
)

// routingDiff collects the structural differences between two versions:
// what a reviewer reads before the consequences.
type routingDiff struct {
	old, new DiffSide
	out      []RoutingChange
}

// diffRouting lists, in this order, what changed in the datacenters, the
// populations, the jurisdiction groups, the whitelists, the routes and the
// policy; items are matched by id (routes by region and plan, policy
// rules by name or selector), so that moving an item is no change unless
// its order means something (primaries, policy rules).
func diffRouting(old, new DiffSide) []RoutingChange {
	d := &routingDiff{old: old, new: new, out: []RoutingChange{}}
	d.datacenters()
	d.populations()
	d.groups()
	d.whitelists()
	d.routes()
	d.policy()
	return d.out
}

// record adds a change located at the first of paths that one version's
// file (NEW's, OLD's when state is StateAbsent) places, or the first path.
func (d *routingDiff) record(state, subject, change string, paths ...string) {
	side, version := d.new, "new"
	if state == StateAbsent {
		side, version = d.old, "old"
	}
	at := locate(side, version, paths[0])
	for _, p := range paths {
		if l := locate(side, version, p); l.Line > 0 || l.SetBy != "" {
			at = l
			break
		}
	}
	d.out = append(d.out, RoutingChange{State: state, Subject: subject, Change: change, At: at})
}

func (d *routingDiff) datacenters() {
	olds, news := d.old.Scenario.Datacenters, d.new.Scenario.Datacenters
	oldIndex := map[scenarios.ID]int{}
	for i, dc := range olds {
		oldIndex[dc.ID] = i
	}
	for i, dc := range news {
		path := fmt.Sprintf("datacenters[%d]", i)
		subject := "datacenters[" + string(dc.ID) + "]"
		j, ok := oldIndex[dc.ID]
		if !ok {
			d.record(StateNew, subject, fmt.Sprintf("datacenter %s (%s, region %s) added", dc.ID, dc.Jurisdiction, dc.Region), path+".id")
			continue
		}
		if was := olds[j]; was.Jurisdiction != dc.Jurisdiction {
			d.record(StateUpdated, subject, fmt.Sprintf("datacenter %s: jurisdiction %s → %s", dc.ID, was.Jurisdiction, dc.Jurisdiction), path+".jurisdiction")
		}
		if was := olds[j]; was.Region != dc.Region {
			d.record(StateUpdated, subject, fmt.Sprintf("datacenter %s: region %s → %s", dc.ID, was.Region, dc.Region), path+".region")
		}
	}
	for i, dc := range olds {
		if !slices.ContainsFunc(news, func(n scenarios.Datacenter) bool { return n.ID == dc.ID }) {
			d.record(StateAbsent, "datacenters["+string(dc.ID)+"]", fmt.Sprintf("datacenter %s (%s) removed", dc.ID, dc.Jurisdiction), fmt.Sprintf("datacenters[%d].id", i))
		}
	}
}

func (d *routingDiff) populations() {
	olds, news := d.old.Scenario.Populations, d.new.Scenario.Populations
	oldIndex := map[scenarios.ID]int{}
	for i, p := range olds {
		oldIndex[p.ID] = i
	}
	for i, p := range news {
		path := fmt.Sprintf("populations[%d]", i)
		subject := "populations[" + string(p.ID) + "]"
		j, ok := oldIndex[p.ID]
		if !ok {
			d.record(StateNew, subject, fmt.Sprintf("population %s (%s/%s/%s) added", p.ID, p.Region, p.Jurisdiction, p.Plan), path+".id")
			continue
		}
		was := olds[j]
		for _, f := range []struct{ field, before, after string }{
			{"region", string(was.Region), string(p.Region)},
			{"jurisdiction", string(was.Jurisdiction), string(p.Jurisdiction)},
			{"plan", string(was.Plan), string(p.Plan)},
		} {
			if f.before != f.after {
				d.record(StateUpdated, subject, fmt.Sprintf("population %s: %s %s → %s", p.ID, f.field, f.before, f.after), path+"."+f.field)
			}
		}
		if (was.DialInShare > 0) != (p.DialInShare > 0) {
			change := "now dials in (walks its connector route)"
			if p.DialInShare == 0 {
				change = "no longer dials in"
			}
			d.record(StateUpdated, subject, "population "+string(p.ID)+": "+change, path+".dial_in_share", path+".id")
		}
	}
	for i, p := range olds {
		if !slices.ContainsFunc(news, func(n scenarios.Population) bool { return n.ID == p.ID }) {
			d.record(StateAbsent, "populations["+string(p.ID)+"]", fmt.Sprintf("population %s removed", p.ID), fmt.Sprintf("populations[%d].id", i))
		}
	}
}

func (d *routingDiff) groups() {
	olds, news := d.old.Scenario.Jurisdictions.Groups, d.new.Scenario.Jurisdictions.Groups
	for _, name := range unionKeys(olds, news) {
		path := "jurisdictions.groups." + name
		subject := "jurisdictions.groups[" + name + "]"
		before, inOld := olds[name]
		after, inNew := news[name]
		switch {
		case !inOld:
			d.record(StateNew, subject, fmt.Sprintf("jurisdiction group %s added: %s", name, codeList(after)), path)
		case !inNew:
			d.record(StateAbsent, subject, "jurisdiction group "+name+" removed", path)
		default:
			d.members("jurisdiction group "+name, subject, path, asStrings(before), asStrings(after), false)
		}
	}
}

func (d *routingDiff) whitelists() {
	olds, news := d.old.Scenario.Routing.Whitelists, d.new.Scenario.Routing.Whitelists
	for _, name := range unionKeys(olds, news) {
		path := scenarios.WhitelistPath(name)
		subject := "routing.whitelists[" + name + "]"
		before, inOld := olds[name]
		after, inNew := news[name]
		switch {
		case !inOld:
			d.record(StateNew, subject, fmt.Sprintf("whitelist %s added: %s", name, idList(asStrings(after))), path)
		case !inNew:
			d.record(StateAbsent, subject, "whitelist "+name+" removed", path)
		default:
			d.members("whitelist "+name, subject, path, asStrings(before), asStrings(after), true)
		}
	}
}

// members records the members added to and removed from the list at path
// (each at its entry), and, when order tells, that the members both
// versions have are in another order.
func (d *routingDiff) members(what, subject, path string, before, after []string, order bool) {
	for k, m := range after {
		if !slices.Contains(before, m) {
			d.record(StateNew, subject, what+": "+m+" added", fmt.Sprintf("%s[%d]", path, k), path)
		}
	}
	for k, m := range before {
		if !slices.Contains(after, m) {
			d.record(StateAbsent, subject, what+": "+m+" removed", fmt.Sprintf("%s[%d]", path, k), path)
		}
	}
	if !order {
		return
	}
	keptBefore := slices.DeleteFunc(slices.Clone(before), func(m string) bool { return !slices.Contains(after, m) })
	keptAfter := slices.DeleteFunc(slices.Clone(after), func(m string) bool { return !slices.Contains(before, m) })
	if !slices.Equal(keptBefore, keptAfter) {
		d.record(StateUpdated, subject, fmt.Sprintf("%s reordered: %s → %s", what, idList(keptBefore), idList(keptAfter)), path)
	}
}

func (d *routingDiff) routes() {
	olds, news := d.old.Scenario.Routing.Routes, d.new.Scenario.Routing.Routes
	oldIndex := map[string]int{}
	for i := range olds {
		oldIndex[routeKey(&olds[i])] = i
	}
	for i := range news {
		r := &news[i]
		key := routeKey(r)
		subject := "routing.routes[" + key + "]"
		j, ok := oldIndex[key]
		if !ok {
			d.record(StateNew, subject, "route "+key+" added", scenarios.RoutePath(i))
			continue
		}
		was := &olds[j]
		if was.Keys.ClientCustody() != r.Keys.ClientCustody() {
			d.record(StateUpdated, subject+".keys", fmt.Sprintf("route %s keys: custody %s → %s", key, custody(was), custody(r)),
				scenarios.PlaneRoutePath(i, scenarios.Keys)+".custody", scenarios.PlaneRoutePath(i, scenarios.Keys))
		}
		for _, plane := range scenarios.Planes {
			d.planeRoute(key, j, i, plane)
		}
		if was.Retries != r.Retries {
			d.record(StateUpdated, subject, fmt.Sprintf("route %s: retries %d → %d", key, was.Retries, r.Retries), scenarios.RoutePath(i)+".retries", scenarios.RoutePath(i))
		}
		if was.Backoff != r.Backoff {
			d.record(StateUpdated, subject, fmt.Sprintf("route %s: backoff %s → %s", key, was.Backoff, r.Backoff), scenarios.RoutePath(i)+".backoff", scenarios.RoutePath(i))
		}
	}
	for i := range olds {
		if key := routeKey(&olds[i]); !slices.ContainsFunc(news, func(n scenarios.Route) bool { return routeKey(&n) == key }) {
			d.record(StateAbsent, "routing.routes["+key+"]", "route "+key+" removed", scenarios.RoutePath(i))
		}
	}
}

// custody names a route's key custody.
func custody(r *scenarios.Route) string {
	if r.Keys.ClientCustody() {
		return "client"
	}
	return "server"
}

// planeRoute compares route oi of OLD and route ni of NEW, both called
// key, for plane.
func (d *routingDiff) planeRoute(key string, oi, ni int, plane scenarios.Plane) {
	was := d.old.Scenario.Routing.Routes[oi].PlaneRoute(plane)
	now := d.new.Scenario.Routing.Routes[ni].PlaneRoute(plane)
	path := scenarios.PlaneRoutePath(ni, plane)
	subject := "routing.routes[" + key + "]." + string(plane)
	what := "route " + key + " " + string(plane)
	switch {
	case was == nil && now == nil:
		return
	case was == nil:
		d.record(StateNew, subject, what+" added: primaries "+idList(asStrings(now.Primaries))+secondariesText(now.Secondaries), path)
		return
	case now == nil:
		d.record(StateAbsent, subject, what+" removed", scenarios.PlaneRoutePath(oi, plane))
		return
	}
	before, after := asStrings(was.Primaries), asStrings(now.Primaries)
	for k, m := range after {
		if !slices.Contains(before, m) {
			d.record(StateNew, subject, what+": primary "+m+" added", scenarios.PrimaryPath(ni, plane, k))
		}
	}
	for k, m := range before {
		if !slices.Contains(after, m) {
			d.record(StateAbsent, subject, what+": primary "+m+" removed", scenarios.PrimaryPath(oi, plane, k))
		}
	}
	keptBefore := slices.DeleteFunc(slices.Clone(before), func(m string) bool { return !slices.Contains(after, m) })
	keptAfter := slices.DeleteFunc(slices.Clone(after), func(m string) bool { return !slices.Contains(before, m) })
	if !slices.Equal(keptBefore, keptAfter) {
		d.record(StateUpdated, subject, fmt.Sprintf("%s: primaries reordered: %s → %s", what, idList(keptBefore), idList(keptAfter)), path+".primaries", path)
	}
	if a, b := was.EffectiveAttempts(), now.EffectiveAttempts(); a != b {
		d.record(StateUpdated, subject, fmt.Sprintf("%s: attempts %d → %d", what, a, b), path+".attempts", path)
	}
	if a, b := was.EffectiveConnectTimeout(), now.EffectiveConnectTimeout(); a != b {
		d.record(StateUpdated, subject, fmt.Sprintf("%s: connect_timeout %s → %s", what, a, b), path+".connect_timeout", path)
	}
	ws, ns := was.Secondaries, now.Secondaries
	secondaries := path + ".secondaries"
	switch {
	case ws == nil && ns == nil:
	case ws == nil:
		d.record(StateNew, subject, what+": secondaries added"+secondariesText(ns), secondaries)
	case ns == nil:
		d.record(StateAbsent, subject, what+": secondaries removed", scenarios.PlaneRoutePath(oi, plane)+".secondaries")
	default:
		if ws.Whitelist != ns.Whitelist {
			d.record(StateUpdated, subject, fmt.Sprintf("%s: secondaries whitelist %s → %s", what, ws.Whitelist, ns.Whitelist), secondaries+".whitelist", secondaries)
		}
		if a, b := ws.EffectivePicks(), ns.EffectivePicks(); a != b {
			d.record(StateUpdated, subject, fmt.Sprintf("%s: secondaries picks %d → %d", what, a, b), secondaries+".picks", secondaries)
		}
		if a, b := ws.EffectiveOrder(), ns.EffectiveOrder(); a != b {
			d.record(StateUpdated, subject, fmt.Sprintf("%s: secondaries order %s → %s", what, a, b), secondaries+".order", secondaries)
		}
	}
}

// secondariesText says where a plane route's secondaries come from:
// ", secondaries: 2 random from intl-backup", or "" when it has none.
func secondariesText(s *scenarios.Secondary) string {
	if s == nil {
		return ""
	}
	return fmt.Sprintf(", secondaries: %d %s from %s", s.EffectivePicks(), s.EffectiveOrder(), s.Whitelist)
}

func (d *routingDiff) policy() {
	olds, news := d.old.Scenario.Policy, d.new.Scenario.Policy
	keys := func(rules []scenarios.PolicyRule) []string {
		out := make([]string, len(rules))
		for i := range rules {
			out[i] = ruleKey(&rules[i])
		}
		return out
	}
	oldKeys, newKeys := keys(olds), keys(news)
	for i, key := range newKeys {
		path := fmt.Sprintf("policy[%d]", i)
		subject := "policy[" + key + "]"
		j := slices.Index(oldKeys, key)
		if j < 0 {
			d.record(StateNew, subject, "policy rule "+key+" added", path)
			continue
		}
		was, now := &olds[j], &news[i]
		if was.Select != now.Select {
			d.record(StateUpdated, subject, fmt.Sprintf("policy rule %s: selects %s → %s", key, ruleKey(&scenarios.PolicyRule{Select: was.Select}), ruleKey(&scenarios.PolicyRule{Select: now.Select})), path+".select")
		}
		for _, plane := range scenarios.Planes {
			allow := path + ".allow." + string(plane)
			before, after := asStrings(was.Allow.For(plane)), asStrings(now.Allow.For(plane))
			for k, c := range after {
				if !slices.Contains(before, c) {
					d.record(StateNew, subject, fmt.Sprintf("policy rule %s: %s allows %s", key, plane, c), fmt.Sprintf("%s[%d]", allow, k), allow)
				}
			}
			for k, c := range before {
				if !slices.Contains(after, c) {
					d.record(StateAbsent, subject, fmt.Sprintf("policy rule %s: %s no longer allows %s", key, plane, c), fmt.Sprintf("policy[%d].allow.%s[%d]", j, plane, k), fmt.Sprintf("policy[%d].allow.%s", j, plane))
				}
			}
		}
	}
	for j, key := range oldKeys {
		if !slices.Contains(newKeys, key) {
			d.record(StateAbsent, "policy["+key+"]", "policy rule "+key+" removed", fmt.Sprintf("policy[%d]", j))
		}
	}
	keptOld := slices.DeleteFunc(slices.Clone(oldKeys), func(k string) bool { return !slices.Contains(newKeys, k) })
	keptNew := slices.DeleteFunc(slices.Clone(newKeys), func(k string) bool { return !slices.Contains(oldKeys, k) })
	if !slices.Equal(keptOld, keptNew) {
		d.record(StateUpdated, "policy", fmt.Sprintf("policy rules reordered (first match wins): %s → %s", idList(keptOld), idList(keptNew)), "policy")
	}
}

// unionKeys is the keys of a and b, sorted.
func unionKeys[V any](a, b map[string]V) []string {
	var keys []string
	for k := range a {
		keys = append(keys, k)
	}
	for k := range b {
		if _, ok := a[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	return keys
}

// asStrings converts a list of ids or codes to strings.
func asStrings[T ~string](xs []T) []string {
	out := make([]string, len(xs))
	for i, x := range xs {
		out[i] = string(x)
	}
	return out
}

// codeList writes codes as the scenario does: "[DE, FR]".
func codeList(codes []scenarios.Code) string {
	return "[" + strings.Join(asStrings(codes), ", ") + "]"
}
