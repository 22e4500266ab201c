// Package validate holds a scenario to the rules of its format that decoding
// cannot check: references, ranges, the limits that keep a run meaningful,
// and the rules that tie fields together — every problem at once, each at
// the path of the value at fault and its position in the file.
package validate

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"

	"github.com/geofence/geofence/scenarios"
)

// The closed sets of values, as the model declares them in enum tags.
var (
	states             = scenarios.EnumOf(reflect.TypeFor[scenarios.TimelineEntry](), "state")
	distributions      = scenarios.EnumOf(reflect.TypeFor[scenarios.Holding](), "distribution")
	delayDistributions = scenarios.EnumOf(reflect.TypeFor[scenarios.Delay](), "distribution")
	orders             = scenarios.EnumOf(reflect.TypeFor[scenarios.Secondary](), "order")
	custodies          = scenarios.EnumOf(reflect.TypeFor[scenarios.KeyRoute](), "custody")
	importFormats      = scenarios.EnumOf(reflect.TypeFor[scenarios.Import](), "format")
	fullStatuses       = scenarios.EnumOf(reflect.TypeFor[scenarios.Health](), "full")
	noneHealthy        = scenarios.EnumOf(reflect.TypeFor[scenarios.FailoverRoute](), "when_none_healthy")
	policies           = scenarios.EnumOf(reflect.TypeFor[scenarios.RecordGroup](), "policy")
	roles              = scenarios.EnumOf(reflect.TypeFor[scenarios.Record](), "failover")
	checkStatuses      = scenarios.EnumOf(reflect.TypeFor[scenarios.TimelineEntry](), "check")
	acceptedPlanes     = scenarios.EnumOf(reflect.TypeFor[scenarios.Accepted](), "plane")
)

// Limits on the format that keep a run meaningful and its cost bounded:
// past them a figure would overflow, a run would not end in a useful
// time, or the value is beyond anything the model is meant for. The field
// docs of the model (scenarios/types.go) state them, so that geofence schema shows them.
const (
	maxAttempts     = 100
	MaxPicks        = 8
	maxRetries      = 100
	maxPrimaries    = 64
	MaxReplications = 10_000
	maxBuckets      = 100_000
	maxName         = 200 // bytes of a name (scenario, region, policy rule), which reports and lints repeat

	maxHorizon        = scenarios.Duration(366 * 86400) // also bounds every time counted from the start
	maxRTT            = scenarios.Duration(3600)
	maxConnectTimeout = scenarios.Duration(3600)
	maxBackoff        = scenarios.Duration(3600)
	maxHolding        = scenarios.Duration(30 * 86400) // holding mean and standard deviation
	maxRejoinDelay    = scenarios.Duration(86400)
	maxHoldingCV      = 100 // lognormal sd / mean: beyond it the draws are mostly 0 or overflow
	maxJoinsPerSecond = 1e7 // the base rate, and the peak rate with profile, surges and growth
	maxFactor         = 1e6 // an hourly factor, a surge factor, the growth over the horizon
)

// Scenario checks what decoding cannot: references, ranges, and the rules
// that tie fields together. It reports every problem, each at the path of
// the value at fault and, when s came from a file, its position there.
func Scenario(s *scenarios.Scenario) scenarios.Problems {
	v := newValidator(s, nil)
	return v.Report(v.file())
}

// Decoded is Scenario for a scenario the decoder could not read
// entirely: it keeps quiet about what follows from the decoding problems
// given. It returns the problems found and how many more it counted past
// the most it lists.
func Decoded(s *scenarios.Scenario, decoded scenarios.Problems) (found scenarios.Problems, dropped int) {
	v := newValidator(s, decoded)
	return v.List, v.Dropped
}

// newValidator checks s, keeping quiet about what follows from the decoding
// problems given.
func newValidator(s *scenarios.Scenario, decoded scenarios.Problems) *validator {
	v := &validator{Checker: *NewChecker(&scenarios.Collector{}, s.Source, decoded), s: s}
	v.index()
	if strings.TrimSpace(s.Name) == "" {
		v.Add("name", "must not be empty")
	}
	v.name("name", s.Name)
	v.nonEmpty("regions", len(s.Regions), "region")
	v.nonEmpty("datacenters", len(s.Datacenters), "datacenter")
	v.nonEmpty("populations", len(s.Populations), "population")
	v.nonEmpty("routing.routes", len(s.Routing.Routes), "route")
	v.nonEmpty("policy", len(s.Policy), "policy rule")
	v.groups()
	v.regions()
	v.datacenters()
	v.populations()
	v.localities()
	v.routing()
	v.policy()
	v.run()
	v.baseline()
	v.accepted()
	return v
}

// validator holds the scenario, lookup tables built once, and the problems.
type validator struct {
	Checker
	s *scenarios.Scenario

	knownRegions, knownDatacenters       collection
	regionAt, datacenterAt, populationAt map[scenarios.ID]int // first index of each id
	plans                                map[scenarios.ID]bool
	plansIn                              map[scenarios.ID]map[scenarios.ID]bool // region -> plans of its populations
	routeAt                              map[routeKey]int                       // first route for (region, plan)
	populationRouteAt                    map[scenarios.ID]int                   // first route for a population
	served                               map[[2]string]bool                     // (whitelist, plane) checked: a shared whitelist is reported once
	planNames, whitelistNames            []string
	suggestions                          int // searches made for a likely intended name

	// Whether decoding lost routes, plans, whitelists or groups, so that a
	// lookup may fail for want of what did not decode.
	routesLost, plansLost, whitelistsLost, groupsLost bool
}

type routeKey struct{ region, plan scenarios.ID }

// index builds the lookup tables every check shares.
func (v *validator) index() {
	s := v.s
	v.regionAt = firstIndex(s.Regions, func(r scenarios.Region) scenarios.ID { return r.ID })
	v.datacenterAt = firstIndex(s.Datacenters, func(d scenarios.Datacenter) scenarios.ID { return d.ID })
	v.populationAt = firstIndex(s.Populations, func(p scenarios.Population) scenarios.ID { return p.ID })
	v.plans, v.plansIn = map[scenarios.ID]bool{}, map[scenarios.ID]map[scenarios.ID]bool{}
	for _, p := range s.Populations {
		v.plans[p.Plan] = true
		if v.plansIn[p.Region] == nil {
			v.plansIn[p.Region] = map[scenarios.ID]bool{}
		}
		v.plansIn[p.Region][p.Plan] = true
	}
	v.routeAt, v.populationRouteAt = map[routeKey]int{}, map[scenarios.ID]int{}
	for i, r := range s.Routing.Routes {
		if r.Population != "" {
			if _, dup := v.populationRouteAt[r.Population]; !dup {
				v.populationRouteAt[r.Population] = i
			}
			continue
		}
		k := routeKey{r.Region, r.Plan}
		if _, dup := v.routeAt[k]; !dup {
			v.routeAt[k] = i
		}
	}
	v.knownRegions = collection{"region", v.regionAt, sortedKeys(v.regionAt), v.incomplete("regions", "id")}
	v.knownDatacenters = collection{"datacenter", v.datacenterAt, sortedKeys(v.datacenterAt), v.incomplete("datacenters", "id")}
	v.planNames, v.whitelistNames = sortedKeys(v.plans), sortedKeys(s.Routing.Whitelists)
	v.routesLost = v.incomplete("routing.routes", "region", "plan")
	v.plansLost = v.incomplete("populations", "region", "plan")
	v.whitelistsLost = v.incomplete("routing.whitelists")
	v.groupsLost = v.incomplete("jurisdictions.groups")
}

// collection is a list of things that references name by id.
type collection struct {
	what       string
	at         map[scenarios.ID]int
	names      []string // the ids, sorted
	incomplete bool     // some ids did not decode, so an unknown one may be one of them
}

// incomplete reports whether decoding lost part of the list at path, or
// the key fields of any of its items, so that a lookup in it may fail for
// want of what did not decode.
func (v *validator) incomplete(path string, keys ...string) bool {
	for bad := range v.bad {
		if scenarios.Under(path, bad) {
			return true
		}
		rest, ok := strings.CutPrefix(bad, path+"[")
		if !ok {
			continue
		}
		_, field, _ := strings.Cut(rest, "]")
		if field == "" || slices.Contains(keys, strings.TrimPrefix(field, ".")) {
			return true
		}
	}
	return false
}

// Checker reports problems with the values of a decoded file (src; nil
// for a scenario built in code), each at the path of the value at fault,
// and keeps quiet about values at or below one that did not decode (bad).
type Checker struct {
	*scenarios.Collector
	src *scenarios.Source
	bad map[string]bool // paths whose values did not decode
}

// NewChecker checks the values of src, adding its problems to c, and
// keeps quiet about those the decoder found wrong (decoded).
func NewChecker(c *scenarios.Collector, src *scenarios.Source, decoded scenarios.Problems) *Checker {
	return &Checker{Collector: c, src: src, bad: pathsOf(decoded)}
}

// cascade reports whether path is at or below a value that did not decode:
// the decoder has said what is wrong there, and validating the remains
// would only repeat it.
func (c *Checker) cascade(path string) bool { return cascades(c.bad, path) }

// pathsOf is the set of the paths of ps: the values that did not decode.
func pathsOf(ps scenarios.Problems) map[string]bool {
	bad := make(map[string]bool, len(ps))
	for _, p := range ps {
		bad[p.Path] = true
	}
	return bad
}

// cascades reports whether path is at or below one of the bad paths.
func cascades(bad map[string]bool, path string) bool {
	for {
		if bad[path] {
			return true
		}
		if path == "" {
			return false
		}
		path = scenarios.ParentPath(path)
	}
}

// routeFor is Scenario.RouteFor by table lookup, so that validating many
// populations against many routes stays linear.
func (v *validator) routeFor(p *scenarios.Population) int {
	if i, ok := v.routeAt[routeKey{p.Region, p.Plan}]; ok {
		return i
	}
	if i, ok := v.routeAt[routeKey{p.Region, ""}]; ok {
		return i
	}
	return -1
}

// planeRouteOf is Scenario.PlaneRouteOf by table lookup.
func (v *validator) planeRouteOf(p *scenarios.Population, plane scenarios.Plane) (int, *scenarios.PlaneRoute) {
	if ri, ok := v.populationRouteAt[p.ID]; ok && v.s.Routing.Routes[ri].Gives(plane) {
		return ri, v.s.Routing.Routes[ri].PlaneRoute(plane)
	}
	ri := v.routeFor(p)
	if ri < 0 {
		return -1, nil
	}
	return ri, v.s.Routing.Routes[ri].PlaneRoute(plane)
}

// firstIndex maps each id to the index of the first item that has it.
func firstIndex[T any](items []T, id func(T) scenarios.ID) map[scenarios.ID]int {
	m := make(map[scenarios.ID]int, len(items))
	for i, it := range items {
		if _, dup := m[id(it)]; !dup {
			m[id(it)] = i
		}
	}
	return m
}

// Add reports a problem with the value at path: located at the override
// that set it, if one did, else where the file has it.
func (c *Checker) Add(path, format string, args ...any) {
	if c.cascade(path) {
		return
	}
	if c.Full() {
		c.Dropped++ // counted, not formatted: there may be millions
		return
	}
	msg := fmt.Sprintf(format, scenarios.ClipArgs(args)...)
	if path != "" {
		msg = path + ": " + msg
	}
	if o, shown, ok := c.src.OverrideAt(path); ok {
		p := o.Problemf("%s", o.Relative(msg, path, shown))
		p.Path = path
		c.Collector.Add(p)
		return
	}
	pos := c.pos(path)
	c.Collector.Add(scenarios.Problem{File: cmp.Or(pos.File, c.file()), Line: pos.Line, Column: pos.Column, Path: path, Msg: msg})
}

func (c *Checker) file() string {
	if c.src == nil {
		return ""
	}
	return c.src.File
}

// pos is where path stands in the file or, for a value left out, where
// its nearest enclosing value stands.
func (c *Checker) pos(path string) scenarios.Position {
	for {
		if p := c.src.Pos(path); p.Line > 0 || path == "" {
			return p
		}
		path = scenarios.ParentPath(path)
	}
}

// at names a place for a message: its line when the file is known.
func (c *Checker) at(path string) string {
	if p := c.src.Pos(path); p.Line > 0 && p.File != "" {
		return fmt.Sprintf("%s:%d", p.File, p.Line)
	} else if p.Line > 0 {
		return fmt.Sprintf("line %d", p.Line)
	}
	return path
}

// name checks that a name is short enough for a report's table.
func (v *validator) name(path, name string) {
	if len(name) > maxName {
		v.Add(path, "must be at most %d bytes, got %d: say the rest in the description", maxName, len(name))
	}
}

func (v *validator) nonEmpty(path string, n int, what string) {
	if n == 0 {
		v.Add(path, "at least one %s is needed", what)
	}
}

// id checks the id of item i of the list at listPath, and that no earlier
// item has it (first maps each id to the index of its first item).
func (v *validator) id(listPath string, i int, id scenarios.ID, first map[scenarios.ID]int, what string) {
	path := scenarios.Join(scenarios.Index(listPath, i), "id")
	if !id.Valid() {
		v.Add(path, "%q is not an id: use 1 to 64 letters, digits, '_', '.' or '-'", id)
	}
	if j := first[id]; j != i {
		v.Add(path, "duplicate %s id %q (first at %s)", what, id, v.at(scenarios.Join(scenarios.Index(listPath, j), "id")))
	}
}

// ref checks a reference to an item of c; it reports whether the item is known.
func (v *validator) ref(path string, id scenarios.ID, c collection) bool {
	if _, ok := c.at[id]; ok {
		return true
	}
	if !c.incomplete {
		v.Add(path, "unknown %s %q%s", c.what, id, v.hint(string(id), c.names))
	}
	return false
}

// maxSuggestions bounds the searches for a likely intended name: each
// costs an edit distance per known name, and a file may have thousands of
// bad references.
const maxSuggestions = 100

// hint suggests a likely intended name, or lists the names when they are
// few enough to read.
func (v *validator) hint(got string, known []string) string {
	if v.suggestions < maxSuggestions {
		v.suggestions++
		if s := scenarios.Suggest(got, known); s != "" {
			return fmt.Sprintf("; did you mean %q?", s)
		}
	}
	if len(known) > 0 && len(known) <= 10 {
		return "; known: " + strings.Join(scenarios.ClipAll(known), ", ")
	}
	return ""
}

// enum checks that got is one of allowed. An optional field left out
// ("") is not checked: callers skip it.
func (v *validator) enum(path, got string, allowed []string) {
	if slices.Contains(allowed, got) {
		return
	}
	if s := scenarios.Suggest(got, allowed); s != "" {
		v.Add(path, "%q is not one of %s; did you mean %q?", scenarios.Clip(got), scenarios.QuoteList(allowed, "or"), s)
		return
	}
	v.Add(path, "%q is not one of %s", scenarios.Clip(got), scenarios.QuoteList(allowed, "or"))
}

// finite reports whether x is an ordinary number; NaN and infinities fail
// every range check below because the checks are written as !(in range).
func finite(x float64) bool { return !math.IsNaN(x) && !math.IsInf(x, 0) }

// positiveDuration checks that d is longer than 0 and at most limit.
func (v *validator) positiveDuration(path string, d, limit scenarios.Duration) {
	if !(d > 0) || !finite(float64(d)) {
		v.Add(path, "must be longer than 0, got %v", d)
		return
	}
	v.durationAtMost(path, d, limit)
}

// nonNegativeDuration checks that d is at most limit. It refuses a negative
// d for scenarios built in code; the parser refuses those already.
func (v *validator) nonNegativeDuration(path string, d, limit scenarios.Duration) {
	if !(d >= 0) || !finite(float64(d)) {
		v.Add(path, "must not be negative, got %v", d)
		return
	}
	v.durationAtMost(path, d, limit)
}

func (v *validator) durationAtMost(path string, d, limit scenarios.Duration) {
	if d > limit {
		v.Add(path, "must be at most %v, got %v", limit, d)
	}
}

func (v *validator) between(path string, x, lo, hi float64) {
	if !(x >= lo && x <= hi) {
		v.Add(path, "must be between %v and %v, got %v", lo, hi, x)
	}
}

// run checks the simulation settings.
func (v *validator) run() {
	r := v.s.Run
	v.positiveDuration("run.horizon", r.Horizon, maxHorizon)
	v.nonNegativeDuration("run.warmup", r.Warmup, maxHorizon)
	if r.Horizon > 0 && !(r.Warmup < r.Horizon) {
		v.Add("run.warmup", "must be shorter than the horizon (%v), got %v", r.Horizon, r.Warmup)
	}
	switch {
	case r.Replications == 1:
		v.Add("run.replications", "at least 2 replications are needed for a confidence interval")
	case r.Replications < 2 || r.Replications > MaxReplications:
		v.Add("run.replications", "must be between 2 and %d, got %d", MaxReplications, r.Replications)
	}
	if r.Start != "" {
		if _, err := r.StartTime(); err != nil {
			v.Add("run.start", "%v", err)
		}
	}
	if r.Bucket != nil {
		v.positiveDuration("run.bucket", *r.Bucket, maxHorizon)
	}
	if b := r.EffectiveBucket(); b > 0 && r.Horizon > 0 && r.Horizon <= maxHorizon && float64(r.Horizon)/float64(b) > maxBuckets {
		v.Add("run.bucket", "the horizon (%v) holds %.0f buckets of %v; at most %d are allowed: make the bucket longer", r.Horizon, math.Ceil(float64(r.Horizon)/float64(b)), b, maxBuckets)
	}
	v.violationLimit("run.max_violation_rate", r.MaxViolationRate)
	if r.MaxBlocking != nil {
		v.between("run.max_blocking", float64(*r.MaxBlocking), 0, 1)
	}
	v.populationGroups()
}

// violationLimit checks each plane's limit at path, when given.
func (v *validator) violationLimit(path string, l *scenarios.ViolationLimit) {
	for _, plane := range scenarios.Planes {
		if limit := l.For(plane); limit != nil {
			v.between(scenarios.Join(path, string(plane)), float64(*limit), 0, 1)
		}
	}
}

// baseline checks that the baseline names a built-in scenario or a file
// (relative to this one) that exists. It does not load it: checking it is
// the job of whoever runs it, and baselines may name each other in a cycle.
func (v *validator) baseline() {
	if v.s.Baseline == "" {
		return
	}
	fromBuiltin := v.s.Source != nil && strings.HasPrefix(v.s.Source.File, scenarios.BuiltinPrefix)
	if msg := MissingReference(v.s.Baseline, v.s.ResolveRelative(v.s.Baseline), fromBuiltin); msg != "" {
		v.Add("baseline", "%s", msg)
	}
}

// MissingReference says what is wrong with ref, which names a built-in
// scenario or a file (path, taken relative to the file that names it), or
// "" when it names one. builtinOnly says that ref is written in a built-in,
// which can only name another.
func MissingReference(ref, path string, builtinOnly bool) string {
	if _, ok := scenarios.BuiltinSource(ref); ok {
		return ""
	}
	// The built-ins' names, for the hint, only when it is needed: listing
	// them reads every built-in.
	hint := func() string {
		var names []string
		for _, b := range scenarios.Builtins() {
			names = append(names, b.Name)
		}
		if s := scenarios.Suggest(ref, names); s != "" {
			return fmt.Sprintf("; did you mean %q?", s)
		}
		return "; the built-ins are " + strings.Join(names, ", ")
	}
	if ref == "" {
		return "name a built-in scenario or a scenario file" + hint()
	}
	if builtinOnly {
		return fmt.Sprintf("no built-in scenario named %q%s", scenarios.Clip(ref), hint())
	}
	if _, ok := scenarios.ParseRevisionRef(path); ok {
		return "" // looked for by the reader of revisions (format), which runs git
	}
	info, err := os.Stat(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return fmt.Sprintf("no built-in scenario named %q, and no file %s%s", scenarios.Clip(ref), scenarios.Clip(path), hint())
	case err != nil:
		return fmt.Sprintf("cannot read %s: %v", scenarios.Clip(path), errors.Unwrap(err))
	case scenarios.FileKind(info.Mode()) != "":
		return fmt.Sprintf("%s is %s; give a scenario file", scenarios.Clip(path), scenarios.FileKind(info.Mode()))
	}
	return ""
}

// sortedKeys returns the keys of m in order, so that checks over maps
// report the same way every time.
func sortedKeys[K ~string, V any](m map[K]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, string(k))
	}
	slices.Sort(keys)
	return keys
}
