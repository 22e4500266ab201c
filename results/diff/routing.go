package diff

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/scenarios"
)

// routingDiff collects the structural differences between two versions:
// what a reviewer reads before the consequences.
type routingDiff struct {
	old, new Side
	out      []RoutingChange
}

// diffRouting lists, in this order, what changed in the datacenters, the
// populations, the jurisdiction groups, the whitelists, the routes and the
// policy; items are matched by id (routes by region and plan, policy
// rules by name or selector), so that moving an item is no change unless
// its order means something (primaries, policy rules).
func diffRouting(old, new Side) []RoutingChange {
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
	oldOf, gone := matchByKey(olds, news, func(dc *scenarios.Datacenter) scenarios.ID { return dc.ID })
	for i, dc := range news {
		path, subject := fmt.Sprintf("datacenters[%d]", i), "datacenters["+string(dc.ID)+"]"
		if oldOf[i] < 0 {
			d.record(StateNew, subject, fmt.Sprintf("datacenter %s (%s, region %s) added", dc.ID, dc.Jurisdiction, dc.Region), path+".id")
			continue
		}
		was := olds[oldOf[i]]
		d.fields("datacenter "+string(dc.ID), subject, path,
			field{"jurisdiction", string(was.Jurisdiction), string(dc.Jurisdiction)},
			field{"region", string(was.Region), string(dc.Region)})
	}
	for _, j := range gone {
		dc := olds[j]
		d.record(StateAbsent, "datacenters["+string(dc.ID)+"]", fmt.Sprintf("datacenter %s (%s) removed", dc.ID, dc.Jurisdiction), fmt.Sprintf("datacenters[%d].id", j))
	}
}

func (d *routingDiff) populations() {
	olds, news := d.old.Scenario.Populations, d.new.Scenario.Populations
	oldOf, gone := matchByKey(olds, news, func(p *scenarios.Population) scenarios.ID { return p.ID })
	for i, p := range news {
		path, subject := fmt.Sprintf("populations[%d]", i), "populations["+string(p.ID)+"]"
		if oldOf[i] < 0 {
			d.record(StateNew, subject, fmt.Sprintf("population %s (%s/%s/%s) added", p.ID, p.Region, p.Jurisdiction, p.Plan), path+".id")
			continue
		}
		was := olds[oldOf[i]]
		d.fields("population "+string(p.ID), subject, path,
			field{"region", string(was.Region), string(p.Region)},
			field{"jurisdiction", string(was.Jurisdiction), string(p.Jurisdiction)},
			field{"plan", string(was.Plan), string(p.Plan)})
		if (was.DialInShare > 0) != (p.DialInShare > 0) {
			change := "now dials in (walks its connector route)"
			if p.DialInShare == 0 {
				change = "no longer dials in"
			}
			d.record(StateUpdated, subject, "population "+string(p.ID)+": "+change, path+".dial_in_share", path+".id")
		}
	}
	for _, j := range gone {
		p := olds[j]
		d.record(StateAbsent, "populations["+string(p.ID)+"]", fmt.Sprintf("population %s removed", p.ID), fmt.Sprintf("populations[%d].id", j))
	}
}

// matchByKey matches the items of two versions' lists by key: oldOf[i]
// is the index in olds of news[i]'s item, -1 when only NEW has it; gone
// are the indices in olds of the items only OLD has.
func matchByKey[T any, K comparable](olds, news []T, key func(*T) K) (oldOf, gone []int) {
	index := map[K]int{}
	for j := range olds {
		if _, ok := index[key(&olds[j])]; !ok {
			index[key(&olds[j])] = j
		}
	}
	oldOf = make([]int, len(news))
	kept := map[K]bool{}
	for i := range news {
		k := key(&news[i])
		j, ok := index[k]
		if !ok {
			j = -1
		}
		oldOf[i], kept[k] = j, true
	}
	for j := range olds {
		if !kept[key(&olds[j])] {
			gone = append(gone, j)
		}
	}
	return oldOf, gone
}

// field is one field of an item in both versions.
type field struct{ name, before, after string }

// fields records each field of the item at path whose value changed, at
// the field: "datacenter bj1: region cn → eu".
func (d *routingDiff) fields(what, subject, path string, fs ...field) {
	for _, f := range fs {
		if f.before != f.after {
			d.record(StateUpdated, subject, fmt.Sprintf("%s: %s %s → %s", what, f.name, f.before, f.after), path+"."+f.name)
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
			d.record(StateNew, subject, fmt.Sprintf("whitelist %s added: %s", name, results.IdList(asStrings(after))), path)
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
	if moved := reordering(before, after); order && moved != "" {
		d.record(StateUpdated, subject, what+" reordered: "+moved, path)
	}
}

// reordering says how the members both lists have moved, "a, b → b, a",
// or "" when they are in the same order.
func reordering(before, after []string) string {
	keptBefore := slices.DeleteFunc(slices.Clone(before), func(m string) bool { return !slices.Contains(after, m) })
	keptAfter := slices.DeleteFunc(slices.Clone(after), func(m string) bool { return !slices.Contains(before, m) })
	if slices.Equal(keptBefore, keptAfter) {
		return ""
	}
	return results.IdList(keptBefore) + " → " + results.IdList(keptAfter)
}

func (d *routingDiff) routes() {
	olds, news := d.old.Scenario.Routing.Routes, d.new.Scenario.Routing.Routes
	oldOf, gone := matchByKey(olds, news, (*scenarios.Route).Key)
	for i := range news {
		r := &news[i]
		key := r.Key()
		subject := "routing.routes[" + key + "]"
		j := oldOf[i]
		if j < 0 {
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
	for _, j := range gone {
		key := olds[j].Key()
		d.record(StateAbsent, "routing.routes["+key+"]", "route "+key+" removed", scenarios.RoutePath(j))
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
		d.record(StateNew, subject, what+" added: "+routeText(now), path)
		return
	case now == nil:
		d.record(StateAbsent, subject, what+" removed", scenarios.PlaneRoutePath(oi, plane))
		return
	}
	if a, b := strings.Join(was.Kinds(), ", "), strings.Join(now.Kinds(), ", "); a != b {
		d.record(StateUpdated, subject, fmt.Sprintf("%s: %s → %s: %s", what, a, b, routeText(now)), path)
		return
	}
	if now.Balance != nil {
		d.balance(subject, what, scenarios.PlaneRoutePath(oi, plane), path, was.Balance, now.Balance)
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
	if moved := reordering(before, after); moved != "" {
		d.record(StateUpdated, subject, what+": primaries reordered: "+moved, path+".primaries", path)
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

// routeText describes a plane route for a change that adds it: "primaries
// a, b, secondaries: 2 random from intl", or "balance P0 a; P1 b, c".
func routeText(pr *scenarios.PlaneRoute) string {
	if pr.Balance != nil {
		return "balance " + prioritiesText(pr.Balance)
	}
	return "primaries " + results.IdList(asStrings(pr.Primaries)) + secondariesText(pr.Secondaries)
}

// prioritiesText writes a balance route's priorities: "P0 a; P1 b, c".
func prioritiesText(b *scenarios.Balance) string {
	parts := make([]string, len(b.Priorities))
	for p, level := range b.Priorities {
		ids := make([]string, len(level))
		for i, l := range level {
			ids[i] = string(l.Datacenter)
		}
		parts[p] = fmt.Sprintf("P%d %s", p, strings.Join(ids, ", "))
	}
	return strings.Join(parts, "; ")
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
			out[i] = rules[i].Key()
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
			d.record(StateUpdated, subject, fmt.Sprintf("policy rule %s: selects %s → %s", key, scenarios.PolicyRule{Select: was.Select}.Key(), scenarios.PolicyRule{Select: now.Select}.Key()), path+".select")
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
	if moved := reordering(oldKeys, newKeys); moved != "" {
		d.record(StateUpdated, "policy", "policy rules reordered (first match wins): "+moved, "policy")
	}
}

// unionKeys is the keys of a and b, sorted.
func unionKeys[V any](a, b map[string]V) []string {
	keys := slices.AppendSeq(slices.Collect(maps.Keys(a)), maps.Keys(b))
	slices.Sort(keys)
	return slices.Compact(keys)
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

// balance compares two balance routes, OLD's at oldPath and NEW's at
// path: each datacenter added to or removed from the priorities (located
// at its locality, in OLD's file for one removed), moved to other
// priorities, or given another weight or host count; and the route's
// settings.
func (d *routingDiff) balance(subject, what, oldPath, path string, was, now *scenarios.Balance) {
	places := func(b *scenarios.Balance) map[scenarios.ID][][2]int {
		out := map[scenarios.ID][][2]int{}
		for p, level := range b.Priorities {
			for i, l := range level {
				out[l.Datacenter] = append(out[l.Datacenter], [2]int{p, i})
			}
		}
		return out
	}
	locality := func(base string, at [2]int) string {
		return scenarios.Index(scenarios.Index(base+".balance.priorities", at[0]), at[1])
	}
	levels := func(at [][2]int) string {
		ps := make([]string, len(at))
		for k, a := range at {
			ps[k] = fmt.Sprintf("P%d", a[0])
		}
		return strings.Join(ps, ", ")
	}
	before, after := places(was), places(now)
	for _, id := range now.Datacenters() {
		at := after[id]
		old, ok := before[id]
		if !ok {
			d.record(StateNew, subject, fmt.Sprintf("%s: %s added at %s", what, id, levels(at)), locality(path, at[0]), path)
			continue
		}
		if a, b := levels(old), levels(at); a != b {
			d.record(StateUpdated, subject, fmt.Sprintf("%s: %s moved %s → %s", what, id, a, b), locality(path, at[0]), path)
		}
		o, n := was.Priorities[old[0][0]][old[0][1]], now.Priorities[at[0][0]][at[0][1]]
		if a, b := o.EffectiveWeight(), n.EffectiveWeight(); a != b {
			d.record(StateUpdated, subject, fmt.Sprintf("%s: %s weight %d → %d", what, id, a, b), locality(path, at[0])+".weight", locality(path, at[0]))
		}
		if a, b := o.EffectiveHosts(), n.EffectiveHosts(); a != b {
			d.record(StateUpdated, subject, fmt.Sprintf("%s: %s hosts %d → %d", what, id, a, b), locality(path, at[0])+".hosts", locality(path, at[0]))
		}
	}
	for _, id := range was.Datacenters() {
		if _, ok := after[id]; !ok {
			d.record(StateAbsent, subject, fmt.Sprintf("%s: %s removed (was at %s)", what, id, levels(before[id])), locality(oldPath, before[id][0]), oldPath)
		}
	}
	b := path + ".balance"
	for _, f := range []field{
		{"overprovisioning", fmt.Sprint(was.EffectiveOverprovisioning()), fmt.Sprint(now.EffectiveOverprovisioning())},
		{"panic_threshold", fmt.Sprint(was.EffectivePanicThreshold()), fmt.Sprint(now.EffectivePanicThreshold())},
		{"locality_weighted", fmt.Sprint(was.LocalityWeighted), fmt.Sprint(now.LocalityWeighted)},
		{"retries", fmt.Sprint(was.EffectiveRetries()), fmt.Sprint(now.EffectiveRetries())},
		{"connect_timeout", was.EffectiveConnectTimeout().String(), now.EffectiveConnectTimeout().String()},
		{"outlier_detection", outlierText(was.OutlierDetection), outlierText(now.OutlierDetection)},
	} {
		if f.before != f.after {
			d.record(StateUpdated, subject, fmt.Sprintf("%s: %s %s → %s", what, f.name, f.before, f.after), b+"."+f.name, b)
		}
	}
}

// outlierText writes a balance route's outlier detection as a diff shows
// it: "5 errors, interval 10s, base ejection 30s, max ejection 10%", or
// "none".
func outlierText(od *scenarios.OutlierDetection) string {
	if od == nil {
		return "none"
	}
	return fmt.Sprintf("%d errors, interval %s, base ejection %s, max ejection %d%%", od.EffectiveConsecutiveErrors(),
		od.EffectiveInterval(), od.EffectiveBaseEjectionTime(), od.EffectiveMaxEjectionPercent())
}
