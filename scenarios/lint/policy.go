package lint

import (
	"fmt"
	"slices"
	"strings"

	"github.com/geofence/geofence/scenarios"
)

func noPolicy(c *checker, report report) {
	for pi, p := range c.s.Populations {
		if c.ruleOf[pi] < 0 {
			report(fmt.Sprintf("populations[%d].id", pi), "no policy rule selects population %s, so every datacenter is outside its fence: add a rule that selects it", p.ID)
		}
	}
}

// shadowedRule reports the policy rules no population reaches, because
// earlier rules take every population the rule matches or because it
// matches none.
func shadowedRule(c *checker, report report) {
	for i, rule := range c.s.Policy {
		if slices.Contains(c.ruleOf, i) {
			continue
		}
		var matched, takers []string // populations the rule matches; rules that take them first
		for pi := range c.s.Populations {
			p := &c.s.Populations[pi]
			if !c.selects(i, p) {
				continue
			}
			matched = append(matched, string(p.ID))
			if name := c.ruleName(c.ruleOf[pi]); !slices.Contains(takers, name) {
				takers = append(takers, name)
			}
		}
		path := fmt.Sprintf("policy[%d].select", i)
		if len(matched) == 0 {
			report(path, "policy rule %s selects no population: none matches %s; fix the selector or remove the rule", c.ruleName(i), selector(rule.Select))
			continue
		}
		report(path, "policy rule %s selects no population: %s %s %s first (first match wins); move it above %s or remove it",
			c.ruleName(i), list(matched), plural(len(matched), "is taken by", "are taken by"), list(takers), list(takers))
	}
}

// selects reports whether policy rule i matches p, ignoring the rules
// before it. It asks Scenario.RuleFor of a policy holding rule i alone, so
// that the lint reads a selector exactly as the engine does.
func (c *checker) selects(i int, p *scenarios.Population) bool {
	alone := *c.s
	alone.Policy = c.s.Policy[i : i+1]
	return alone.RuleFor(p) == 0
}

// ruleName names policy rule i: by its name, else by its path.
func (c *checker) ruleName(i int) string {
	if name := c.s.Policy[i].Name; name != "" {
		return fmt.Sprintf("%q", name)
	}
	return fmt.Sprintf("policy[%d]", i)
}

// selector writes a selector as the scenario would: {region: eu, plan: gold}.
func selector(sel scenarios.Selector) string {
	var fields []string
	for _, f := range []struct{ name, value string }{
		{"region", string(sel.Region)}, {"jurisdiction", string(sel.Jurisdiction)}, {"plan", string(sel.Plan)},
	} {
		if f.value != "" {
			fields = append(fields, f.name+": "+f.value)
		}
	}
	return "{" + strings.Join(fields, ", ") + "}"
}
