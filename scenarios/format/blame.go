package format

import (
	"fmt"
	"strings"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/validate"
)

// An override that removes or replaces values can leave references to
// them elsewhere in the file: datacenters-=cn-1 while a whitelist still
// names cn-1. Validation finds each dangling reference where it stands,
// in the file; the mistake is the override's, so the override is blamed
// too, at its own origin, and each problem it left says so.

// maxBlamed bounds the problems an override's message lists.
const maxBlamed = 3

// blame returns ps, the problems of s with the overrides applied, with a
// problem at each override that removes members of a list or map (-=),
// or replaces a list, map or mapping of fields (=), and without which
// some of them — located in the file, not at an override — would not
// arise, and each of those marked as left by it.
func blame(s *scenarios.Scenario, overrides []scenarios.Override, ps scenarios.Problems) scenarios.Problems {
	out := append(scenarios.Problems(nil), ps...)
	for i, o := range overrides {
		if _, t, _ := typedSteps(o.Path); t == nil || o.Op == opSet && !scenarios.HoldsValues(t) || o.Op != opSet && o.Op != opSubtract {
			continue
		}
		without := problemKeys(s, append(overrides[:i:i], overrides[i+1:]...))
		if without == nil {
			continue
		}
		var left []int
		for k, p := range ps {
			if p.File == s.Source.File && !without[problemKey(p)] {
				left = append(left, k)
			}
		}
		if len(left) == 0 {
			continue
		}
		note := fmt.Sprintf("; left by %s %s", o.Origin, scenarios.Clip(o.String()))
		var where []string
		for n, k := range left {
			out[k].Msg += note
			if n < maxBlamed {
				where = append(where, fmt.Sprintf("%s (%s:%d:%d)", scenarios.Clip(ps[k].Path), ps[k].File, ps[k].Line, ps[k].Column))
			}
		}
		if len(left) > maxBlamed {
			where = append(where, fmt.Sprintf("and %d more", len(left)-maxBlamed))
		}
		done := map[string]string{opSubtract: "removed", opSet: "replaced"}[o.Op]
		out = append(out, o.Problemf("leaves %d %s to what it %s: %s; change %s too, or keep what it %s",
			len(left), plural(len(left), "reference", "references"), done, strings.Join(where, ", "), plural(len(left), "it", "them"), done))
	}
	return out.Sort()
}

// problemKeys are the problems of s with the overrides applied, by
// problemKey; nil when the overrides do not apply.
func problemKeys(s *scenarios.Scenario, overrides []scenarios.Override) map[string]bool {
	c := s.Clone()
	for _, o := range overrides {
		if len(apply(c, o)) > 0 {
			return nil
		}
	}
	keys := map[string]bool{}
	for _, p := range validate.Scenario(c) {
		keys[problemKey(p)] = true
	}
	return keys
}

// problemKey is what makes two problems the same whatever list items an
// override removed before them: the place in the file and the message
// without the path, whose indices move when items are removed.
func problemKey(p scenarios.Problem) string {
	msg := strings.TrimPrefix(p.Msg, p.Path+": ")
	return fmt.Sprintf("%s:%d:%d: %s", p.File, p.Line, p.Column, msg)
}
