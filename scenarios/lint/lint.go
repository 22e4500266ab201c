// Package lint finds, without simulating, what in a validated scenario is
// unused, contradictory or leaves a geofence open, in the spirit of
// Batfish: each finding is a Lint located at the scenario line it concerns.
//
// Validation (scenarios/validate) refuses what cannot run; lints flag what
// runs but is likely not what the planner meant. The fail-open rule rests
// on scenarios/fence, so a lint and the fence analysis never disagree.
package lint

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/consul"
	"github.com/geofence/geofence/scenarios/istio"
	"github.com/geofence/geofence/scenarios/route53"
)

// Severities, as SARIF names its levels.
const (
	Warning = "warning" // the fence is open or at risk, or the policy does not say what it seems to
	Note    = "note"    // clutter: something nothing uses, or a fence with no spare
)

// Lint is one finding, located at the most specific scenario value it
// concerns.
type Lint struct {
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	Path     string `json:"path"` // e.g. "routing.whitelists.intl-backup[4]", as scenarios.Source.Pos takes it
	// File is the file the lint is located in when it is not the
	// scenario: a file the scenario imports routing from.
	File    string `json:"file,omitempty"`
	Line    int    `json:"line"`   // 0 when unknown
	Column  int    `json:"column"` // 0 when unknown
	Message string `json:"message"`
}

// Rule describes a kind of lint, for SARIF rule metadata and the docs.
type Rule struct {
	ID       string `json:"id"` // stable kebab-case id
	Severity string `json:"severity"`
	Summary  string `json:"summary"`
}

// report records a lint of the rule being checked at path.
type report func(path, format string, args ...any)

type rule struct {
	Rule
	check func(c *checker, report report)
}

// rules is every rule, sorted by ID.
var rules = []rule{
	{Rule{"connector-opted-out", Warning, "A connector route lists a datacenter in a jurisdiction that a population following it has opted out of for connectors, or for keys, of which connectors receive copies."}, connectorOptedOut},
	{Rule{"dns-no-answer", Warning, "A population's DNS queries can get no answer: a geolocation group has no record for its location and no * default, or only unhealthy ones while another location's is healthy; its joins are unanswered."}, noAnswer},
	{Rule{"dns-pinned-alias", Warning, "An alias record that does not evaluate target health shares a group with other records: Route 53 keeps answering from its branch when every record under it fails."}, pinnedAlias},
	{Rule{"dns-unchecked", Warning, "A record without a health check where it defeats its group: a failover primary that never fails over, a secondary answered even when dead, or one record Route 53 keeps answering with while its neighbours are checked."}, uncheckedRecord},
	{Rule{"ejection-budget", Warning, "A balance route's outlier detection can eject fewer hosts than its first priority has (max_ejection_percent counts every host of the route): when those datacenters are full or down they keep being sent requests, and with few hosts the route never fails over at all."}, ejectionBudget},
	{Rule{"fail-open", Warning, "A population's route can land a client outside its fence once the datacenters before that one are full or down."}, failOpen},
	{Rule{"no-policy", Warning, "No policy rule selects the population, so everything it does is forbidden."}, noPolicy},
	{Rule{"shadowed-rule", Warning, "A policy rule selects no population: earlier rules take every population it matches (first match wins), or it matches none."}, shadowedRule},
	{Rule{"shared-whitelist", Warning, "A whitelist gives secondaries for a plane to populations whose fences for that plane differ, so an entry meant for one can leak another."}, sharedWhitelist},
	{Rule{"thin-fence", Note, "A route names fewer than two datacenters inside the fence of a population that walks it: one failure blocks its joins or sends them outside."}, thinFence},
	{Rule{"unused-datacenter", Note, "No route's primaries and no whitelist a route uses name the datacenter."}, unusedDatacenter},
	{Rule{"unused-group", Note, "No policy rule or selector uses the jurisdiction group, directly or through other groups."}, unusedGroup},
	{Rule{"unused-region", Note, "The region has no population and no datacenter."}, unusedRegion},
	{Rule{"unused-route", Note, "No population follows the route: its region has none, or each follows its plan's own route."}, unusedRoute},
	{Rule{"unused-whitelist", Note, "No route takes secondaries from the whitelist."}, unusedWhitelist},
}

// Rules returns every rule, sorted by ID: the scenario's, and those of
// the files routing.import reads (scenarios/istio, consul, route53),
// which the loader finds.
func Rules() []Rule {
	out := make([]Rule, len(rules))
	for i, r := range rules {
		out[i] = r.Rule
	}
	for _, r := range slices.Concat(istio.Rules, consul.LintRules, route53.LintRules) {
		out = append(out, Rule(r))
	}
	slices.SortFunc(out, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) })
	return out
}

// Check lints s, which must be valid. The lints are sorted by line,
// column, rule and message.
func Check(s *scenarios.Scenario) []Lint {
	c := newChecker(s)
	var out []Lint
	for _, r := range rules {
		r.check(c, func(path, format string, args ...any) {
			pos := s.Source.Pos(path)
			out = append(out, Lint{
				Rule: r.ID, Severity: r.Severity, Path: path,
				File: pos.File, Line: pos.Line, Column: pos.Column,
				Message: fmt.Sprintf(format, args...),
			})
		})
	}
	if im := s.Routing.Import; im != nil {
		for _, l := range im.Lints {
			out = append(out, Lint{Rule: l.Rule, Severity: l.Severity, Path: l.Path, File: l.Pos.File, Line: l.Pos.Line, Column: l.Pos.Column, Message: l.Message})
		}
	}
	slices.SortFunc(out, func(a, b Lint) int {
		return cmp.Or(cmp.Compare(a.File, b.File), cmp.Compare(a.Line, b.Line), cmp.Compare(a.Column, b.Column),
			strings.Compare(a.Rule, b.Rule), strings.Compare(a.Message, b.Message), strings.Compare(a.Path, b.Path))
	})
	return out
}

// checker holds the scenario and what several rules look up in it.
type checker struct {
	s            *scenarios.Scenario
	routeOf      [][len(scenarios.Planes)]int // population index -> per plane, the route index it follows, or -1
	ruleOf       []int                        // population index -> policy rule that selects it, or -1
	datacenterAt map[scenarios.ID]int
	populationAt map[string]int
}

func newChecker(s *scenarios.Scenario) *checker {
	c := &checker{s: s, datacenterAt: map[scenarios.ID]int{}, populationAt: map[string]int{}}
	for i := range s.Populations {
		p := &s.Populations[i]
		var routes [len(scenarios.Planes)]int
		for k, plane := range scenarios.Planes {
			routes[k], _ = s.PlaneRouteOf(p, plane)
		}
		c.routeOf = append(c.routeOf, routes)
		c.ruleOf = append(c.ruleOf, s.RuleFor(p))
		c.populationAt[string(p.ID)] = i
	}
	for i, d := range s.Datacenters {
		c.datacenterAt[d.ID] = i
	}
	return c
}

// followers lists the populations that follow route ri for plane, in
// scenario order.
func (c *checker) followers(ri int, plane scenarios.Plane) []int {
	var out []int
	for pi, routes := range c.routeOf {
		if routes[planeIndex(plane)] == ri {
			out = append(out, pi)
		}
	}
	return out
}

// followed reports whether some population follows route ri for some plane.
func (c *checker) followed(ri int) bool {
	for _, plane := range scenarios.Planes {
		if len(c.followers(ri, plane)) > 0 {
			return true
		}
	}
	return false
}

// fenced lists the populations following route ri for plane that a policy
// rule selects. The fence rules look at these only: a population no rule
// selects is outside its fence everywhere, which no-policy says once.
func (c *checker) fenced(ri int, plane scenarios.Plane) []int {
	var out []int
	for _, pi := range c.followers(ri, plane) {
		if c.ruleOf[pi] >= 0 {
			out = append(out, pi)
		}
	}
	return out
}

// walked returns the plane route population pi walks for plane, or nil
// when its joins never do: keys under client custody, and the connector
// route for a population that does not dial in.
func (c *checker) walked(pi int, plane scenarios.Plane) *scenarios.PlaneRoute {
	ri := c.routeOf[pi][planeIndex(plane)]
	if ri < 0 || (plane == scenarios.Connector && c.s.Populations[pi].DialInShare == 0) {
		return nil
	}
	return c.s.Routing.Routes[ri].PlaneRoute(plane)
}

// clientCustody reports whether population pi keeps its keys end to end.
func (c *checker) clientCustody(pi int) bool {
	ri := c.routeOf[pi][planeIndex(scenarios.Keys)]
	return ri >= 0 && c.s.Routing.Routes[ri].PlaneRoute(scenarios.Keys) == nil
}

// planeIndex is the index of plane in scenarios.Planes.
func planeIndex(plane scenarios.Plane) int { return slices.Index(scenarios.Planes[:], plane) }

// named lists the datacenters pr names, each once: its primaries, its
// whitelist's entries, the localities of its balance, the targets and
// records of a failover or dns route.
func (c *checker) named(pr *scenarios.PlaneRoute) []scenarios.ID {
	var out []scenarios.ID
	for _, id := range slices.Concat(pr.Primaries, c.s.Routing.Whitelists[whitelistOf(pr)], pr.Balance.Datacenters(), pr.AnswerDatacenters()) {
		if !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	return out
}

// fence is the jurisdictions population pi may use for plane, as its
// policy rule writes them (groups unexpanded, so that messages stay short).
func (c *checker) fence(pi int, plane scenarios.Plane) string {
	ri := c.ruleOf[pi]
	if ri < 0 {
		return "[]"
	}
	return codes(c.s.Policy[ri].Allow.For(plane))
}

// fenceKey is the fence of population pi for plane, groups expanded, so
// that fences written differently but allowing the same compare equal.
func (c *checker) fenceKey(pi int, plane scenarios.Plane) string {
	return strings.Join(c.s.Allowed(&c.s.Populations[pi], plane), ",")
}

// inside reports whether datacenter id stands in a jurisdiction population
// pi may use for plane.
func (c *checker) inside(pi int, plane scenarios.Plane, id scenarios.ID) bool {
	j := c.s.Datacenters[c.datacenterAt[id]].Jurisdiction
	_, ok := slices.BinarySearch(c.s.Allowed(&c.s.Populations[pi], plane), string(j))
	return ok
}

// whitelistOf returns the name of the whitelist pr takes secondaries from,
// or "".
func whitelistOf(pr *scenarios.PlaneRoute) string {
	if pr == nil || pr.Secondaries == nil {
		return ""
	}
	return pr.Secondaries.Whitelist
}

// written is path, or when the file leaves its value out (a default
// applies), the nearest enclosing path it writes.
func (c *checker) written(path string) string {
	for path != "" && c.s.Source.Pos(path).Line == 0 {
		path = path[:max(strings.LastIndexAny(path, ".["), 0)]
	}
	return path
}

// routeName names route ri for messages: its region, and its plan if
// any, or its population.
func (c *checker) routeName(ri int) string {
	r := &c.s.Routing.Routes[ri]
	if r.Population != "" {
		return fmt.Sprintf("population %s's own", r.Population)
	}
	if r.Plan == "" {
		return string(r.Region)
	}
	return fmt.Sprintf("%s plan %s", r.Region, r.Plan)
}
