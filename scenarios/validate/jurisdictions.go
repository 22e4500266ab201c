package validate

import (
	"slices"
	"strings"

	"golang.org/x/text/language"

	"github.com/geofence/geofence/scenarios"
)

// isCountry reports whether c is an ISO 3166-1 alpha-2 country code as
// written in the standard: two upper-case letters naming a country, in
// its current form (GB, not UK).
func isCountry(c string) bool {
	if len(c) != 2 || c != strings.ToUpper(c) {
		return false
	}
	r, err := language.ParseRegion(c)
	return err == nil && r.IsCountry() && r.Canonicalize().String() == c
}

// countryFor returns the code a malformed country code most likely meant
// (us for US, UK for GB), or "".
func countryFor(c string) string {
	r, err := language.ParseRegion(c)
	if err != nil || !r.IsCountry() {
		return ""
	}
	if canon := r.Canonicalize().String(); canon != c && isCountry(canon) {
		return canon
	}
	return ""
}

// groups checks jurisdictions.groups: names that are not country codes,
// members that are codes or groups, no empty groups and no cycles.
func (v *validator) groups() {
	groups := v.s.Jurisdictions.Groups
	names := sortedKeys(groups)
	for _, name := range names {
		path := scenarios.Join("jurisdictions.groups", name)
		if isCountry(name) {
			v.Add(path, "group name %q is a country code; give the group another name", scenarios.Clip(name))
		}
		if len(groups[name]) == 0 {
			v.Add(path, "group %q is empty", scenarios.Clip(name))
		}
		for i, c := range groups[name] {
			v.code(scenarios.Index(path, i), c)
		}
	}
	// Depth-first search; a member found on the current stack closes a cycle.
	const (
		unvisited = iota
		onStack
		done
	)
	state := map[string]int{}
	var stack []string
	var visit func(name string)
	visit = func(name string) {
		state[name] = onStack
		stack = append(stack, name)
		for _, m := range groups[name] {
			member := string(m)
			if _, isGroup := groups[member]; !isGroup {
				continue
			}
			switch state[member] {
			case unvisited:
				visit(member)
			case onStack:
				cycle := append(slices.Clone(stack[slices.Index(stack, member):]), member)
				v.Add(scenarios.Join("jurisdictions.groups", member), "group %q includes itself: %s", scenarios.Clip(member), strings.Join(cycle, " -> "))
			}
		}
		stack = stack[:len(stack)-1]
		state[name] = done
	}
	for _, name := range names {
		if state[name] == unvisited {
			visit(name)
		}
	}
}

// code checks a jurisdiction that may be a country code or a group.
func (v *validator) code(path string, c scenarios.Code) {
	if _, isGroup := v.s.Jurisdictions.Groups[string(c)]; isGroup || isCountry(string(c)) {
		return
	}
	v.unknownCode(path, c)
}

// country checks a jurisdiction that must be a single country: where a
// datacenter stands or where callers are.
func (v *validator) country(path string, c scenarios.Code) {
	if isCountry(string(c)) {
		return
	}
	if _, isGroup := v.s.Jurisdictions.Groups[string(c)]; isGroup {
		v.Add(path, "%q is a group; this must be a single ISO 3166-1 alpha-2 country code", c)
		return
	}
	v.unknownCode(path, c)
}

func (v *validator) unknownCode(path string, c scenarios.Code) {
	if v.groupsLost {
		return // c may name a group that did not decode
	}
	if want := countryFor(string(c)); want != "" {
		v.Add(path, "%q is not an ISO 3166-1 alpha-2 country code as written; use %q", c, want)
		return
	}
	v.Add(path, "unknown jurisdiction %q: not an ISO 3166-1 alpha-2 country code or a declared group", c)
}
