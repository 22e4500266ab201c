package scenarios

import (
	"io/fs"
	"maps"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
)

// ResolveRelative turns a scenario reference written inside s (such as its
// baseline) into something Resolve accepts: a built-in name, an absolute
// path or a file at a revision (git:REV:PATH) stays as it is, and a file
// path is taken relative to the directory of s's file — within the same
// revision when s was read from one.
func (s *Scenario) ResolveRelative(ref string) string {
	if _, ok := BuiltinSource(ref); ok || filepath.IsAbs(ref) || s.Source == nil || strings.HasPrefix(s.Source.File, BuiltinPrefix) {
		return ref
	}
	if _, ok := ParseRevisionRef(ref); ok {
		return ref
	}
	if at, ok := ParseRevisionRef(s.Source.File); ok {
		return at.Relative(ref).String()
	}
	return filepath.Join(filepath.Dir(s.Source.File), ref)
}

// FileKind names what a file of mode m is, or "" for a regular file.
func FileKind(m fs.FileMode) string {
	switch {
	case m.IsRegular():
		return ""
	case m.IsDir():
		return "a directory"
	case m&fs.ModeNamedPipe != 0:
		return "a named pipe"
	case m&fs.ModeSocket != 0:
		return "a socket"
	case m&fs.ModeDevice != 0:
		return "a device"
	}
	return "not a regular file"
}

// Defaults for fields the format lets the author leave out.
const (
	DefaultAttempts       = 1
	DefaultConnectTimeout = Duration(5)
	DefaultPicks          = 2
	DefaultOrder          = "random"
	DefaultBucket         = Duration(3600)
	DefaultPeriod         = Duration(86400)
)

// Source records where a loaded scenario came from and where each of its
// values stands in that file, so that later findings can point at a line;
// and, for a scenario made by Scenario.With, the overrides applied and the
// values they set, which no longer stand in the file.
type Source struct {
	File string // the path the user gave, or "builtin/NAME.yaml"
	// SHA256 is the hex SHA-256 of the file's bytes or, for a scenario
	// that imports routing, of the file and the files it imports (see
	// ImportsSHA256), so that it changes whenever what was run does.
	SHA256    string
	Data      []byte     // the file's bytes, so that a shard's result can carry the scenario it ran
	Imported  []string   // the files routing.import read, as findings in them name them
	Overrides []Override // applied by With, in order
	positions map[string]Position
	overrides map[string]overrideMark // path -> the override that set it
}

// NewSource records a file read: its name, the hex SHA-256 of its bytes,
// the bytes, and where each value stands (path -> position).
func NewSource(file, sha256 string, data []byte, positions map[string]Position) *Source {
	return &Source{File: file, SHA256: sha256, Data: data, positions: positions, overrides: map[string]overrideMark{}}
}

// Position is a 1-based line and column in a scenario file or, when File
// is set, in a file the scenario imports routing from (the values of an
// imported route stand there).
type Position struct {
	File         string // "" for the scenario file itself
	Line, Column int
}

// Pos returns where the value at path (e.g. "routing.whitelists.intl[2]")
// stands, or the zero Position when it is unknown, or when an override set
// it (see OverriddenBy).
func (s *Source) Pos(path string) Position {
	if s == nil {
		return Position{}
	}
	return s.positions[path]
}

// Positions returns where every value of the file stands, by path (a
// copy: the Source's own positions change only with overrides).
func (s *Source) Positions() map[string]Position {
	if s == nil {
		return nil
	}
	return maps.Clone(s.positions)
}

// For returns the capacity of plane, or nil when the plane is not served.
func (c PlaneCapacity) For(plane Plane) *Capacity {
	switch plane {
	case Media:
		return c.Media
	case Keys:
		return c.Keys
	default:
		return c.Connector
	}
}

// For returns the codes allowed for plane.
func (a Allow) For(plane Plane) []Code {
	switch plane {
	case Media:
		return a.Media
	case Keys:
		return a.Keys
	default:
		return a.Connector
	}
}

// For returns the limit for plane, or nil when none is set.
func (v *ViolationLimit) For(plane Plane) *Probability {
	if v == nil {
		return nil
	}
	switch plane {
	case Media:
		return v.Media
	case Keys:
		return v.Keys
	default:
		return v.Connector
	}
}

// For returns the service plane follows, or "" when it keeps its own
// routes.
func (i ImportServices) For(plane Plane) string {
	switch plane {
	case Media:
		return i.Media
	case Keys:
		return i.Keys
	default:
		return i.Connector
	}
}

// EffectiveAttempts is Attempts, or its default when absent.
func (r PlaneRoute) EffectiveAttempts() int { return orDefault(r.Attempts, DefaultAttempts) }

// EffectiveConnectTimeout is ConnectTimeout, or its default when absent.
func (r PlaneRoute) EffectiveConnectTimeout() Duration {
	return orDefault(r.ConnectTimeout, DefaultConnectTimeout)
}

// EffectivePicks is Picks, or its default when absent.
func (s Secondary) EffectivePicks() int { return orDefault(s.Picks, DefaultPicks) }

// EffectiveOrder is Order, or its default when absent.
func (s Secondary) EffectiveOrder() string {
	if s.Order == "" {
		return DefaultOrder
	}
	return s.Order
}

// ClientCustody reports whether keys are end-to-end, held by no server.
func (k KeyRoute) ClientCustody() bool { return k.Custody == "client" }

// EffectiveBucket is Bucket, or its default when absent.
func (r RunSettings) EffectiveBucket() Duration { return orDefault(r.Bucket, DefaultBucket) }

// EffectivePeriod is Period, or its default when absent.
func (s Sinusoid) EffectivePeriod() Duration { return orDefault(s.Period, DefaultPeriod) }

// orDefault is *p, or def when p is nil: the field was left out.
func orDefault[T any](p *T, def T) T {
	if p == nil {
		return def
	}
	return *p
}

// PlaneRoute returns the route a client follows for plane, or nil when the
// route has none (client key custody, or no connector route).
func (r *Route) PlaneRoute(plane Plane) *PlaneRoute {
	switch plane {
	case Media:
		return &r.Media
	case Keys:
		if r.Keys.ClientCustody() {
			return nil
		}
		return &r.Keys.PlaneRoute
	default:
		return r.Connector
	}
}

// RouteFor returns the index in Routing.Routes of the route population p
// follows: the route for its region and plan if there is one, else the route
// for its region without a plan; -1 when there is none. A population's own
// route (see PlaneRouteOf) replaces some of its planes.
func (s *Scenario) RouteFor(p *Population) int {
	fallback := -1
	for i := range s.Routing.Routes {
		r := &s.Routing.Routes[i]
		if r.Population != "" || r.Region != p.Region {
			continue
		}
		if r.Plan == p.Plan {
			return i
		}
		if r.Plan == "" && fallback < 0 {
			fallback = i
		}
	}
	return fallback
}

// PopulationRoute returns the index of population p's own route, or -1.
func (s *Scenario) PopulationRoute(p *Population) int {
	return slices.IndexFunc(s.Routing.Routes, func(r Route) bool { return r.Population == p.ID })
}

// PlaneRouteOf returns the route population p follows for plane: its own
// route when that gives the plane, else its region or plan route (RouteFor).
// It returns the route's index, -1 when there is none, and the plane route,
// nil when there is none (client key custody, no connector route).
func (s *Scenario) PlaneRouteOf(p *Population, plane Plane) (int, *PlaneRoute) {
	if ri := s.PopulationRoute(p); ri >= 0 && s.Routing.Routes[ri].Gives(plane) {
		return ri, s.Routing.Routes[ri].PlaneRoute(plane)
	}
	ri := s.RouteFor(p)
	if ri < 0 {
		return -1, nil
	}
	return ri, s.Routing.Routes[ri].PlaneRoute(plane)
}

// Gives reports whether r writes anything for plane: a route without a
// population gives media and keys, a population's route only the planes
// it names.
func (r *Route) Gives(plane Plane) bool {
	switch plane {
	case Media:
		return !reflect.ValueOf(r.Media).IsZero()
	case Keys:
		return !reflect.ValueOf(r.Keys).IsZero()
	default:
		return r.Connector != nil
	}
}

// Kinds names the kinds of plane route pr writes, in the order of
// RouteKinds: one, for a valid route.
func (pr *PlaneRoute) Kinds() []string {
	var out []string
	for _, k := range RouteKinds {
		if k.given(pr) {
			out = append(out, k.Name)
		}
	}
	return out
}

// RouteKind is one of the kinds a plane route may be: its name, as
// messages give it, and the fields that make it.
type RouteKind struct {
	Name   string
	Fields []string // YAML names
	given  func(*PlaneRoute) bool
}

// RouteKinds lists the kinds of plane route: the native walk, then the
// kinds imported routing compiles to.
var RouteKinds = []RouteKind{
	{"walk", []string{"primaries", "secondaries"}, func(pr *PlaneRoute) bool { return len(pr.Primaries) > 0 || pr.Secondaries != nil }},
	{"balance", []string{"balance"}, func(pr *PlaneRoute) bool { return pr.Balance != nil }},
	{"failover", []string{"failover"}, func(pr *PlaneRoute) bool { return pr.Failover != nil }},
	{"dns", []string{"dns"}, func(pr *PlaneRoute) bool { return pr.DNS != nil }},
}

// RuleFor returns the index of the first policy rule selecting p, or -1.
func (s *Scenario) RuleFor(p *Population) int {
	for i, r := range s.Policy {
		if s.Selects(r.Select, p) {
			return i
		}
	}
	return -1
}

// Selects reports whether sel matches p: every field it gives is p's (a
// jurisdiction group matching its members).
func (s *Scenario) Selects(sel Selector, p *Population) bool {
	return (sel.Region == "" || sel.Region == p.Region) &&
		(sel.Plan == "" || sel.Plan == p.Plan) &&
		(sel.Jurisdiction == "" || slices.Contains(s.Expand([]Code{sel.Jurisdiction}), string(p.Jurisdiction)))
}

// Group returns the group of run.groups called id, or nil.
func (r *RunSettings) Group(id string) *Group {
	for i := range r.Groups {
		if string(r.Groups[i].ID) == id {
			return &r.Groups[i]
		}
	}
	return nil
}

// InGroup reports whether population p is one of group g's.
func (s *Scenario) InGroup(g *Group, p *Population) bool {
	switch {
	case g.Select != nil:
		return s.Selects(*g.Select, p)
	case g.Rule != "":
		i := s.RuleFor(p)
		return i >= 0 && s.Policy[i].Name == g.Rule
	}
	return slices.Contains(g.Populations, p.ID)
}

// Members returns the ids of group g's populations, in the scenario's
// order.
func (s *Scenario) Members(g *Group) []string {
	var ids []string
	for i := range s.Populations {
		if s.InGroup(g, &s.Populations[i]) {
			ids = append(ids, string(s.Populations[i].ID))
		}
	}
	return ids
}

// Expand replaces group names by their members, recursively, and returns
// the sorted set of ISO codes. Cycles are cut (validation reports them).
func (s *Scenario) Expand(codes []Code) []string {
	seen := map[Code]bool{}
	var out []string
	var walk func(c Code)
	walk = func(c Code) {
		if seen[c] {
			return
		}
		seen[c] = true
		if members, ok := s.Jurisdictions.Groups[string(c)]; ok {
			for _, m := range members {
				walk(m)
			}
			return
		}
		out = append(out, string(c))
	}
	for _, c := range codes {
		walk(c)
	}
	slices.Sort(out)
	return out
}

// Allowed reports the jurisdictions population p may use for plane under
// the policy: the sorted codes allowed by its first matching rule, or none.
func (s *Scenario) Allowed(p *Population, plane Plane) []string {
	i := s.RuleFor(p)
	if i < 0 {
		return nil
	}
	return s.Expand(s.Policy[i].Allow.For(plane))
}
