package scenarios

import (
	"reflect"
	"slices"
	"strings"
	"time"
)

// Accepted is a known risk that its owners accept, until it expires: a
// fence — one population's plane — reaching one forbidden datacenter, or
// any forbidden datacenter in one jurisdiction. A check reports a finding
// that an acceptance matches as accepted rather than failed, up to and
// including its expiry date; after that, and when it matches no finding,
// the acceptance is a finding itself. (The matching is the checker's; this
// package gives the format, and where each acceptance is written.)
//
// It is written in a scenario's accepted list, or in a file of its own
// whose top level is accepted: [...] (LoadAcceptedFile).
type Accepted struct {
	Population   ID     `yaml:"population" doc:"The population whose fence the risk is in."`
	Plane        Plane  `yaml:"plane" enum:"media,keys,connector" doc:"The fence's plane: media, keys or connector."`
	Datacenter   ID     `yaml:"datacenter,omitempty" doc:"The forbidden datacenter the fence may reach; or give jurisdiction instead."`
	Jurisdiction Code   `yaml:"jurisdiction,omitempty" doc:"A forbidden jurisdiction (code or group) any of whose datacenters the fence may reach; or give datacenter instead."`
	Reason       string `yaml:"reason" doc:"Why the risk is accepted, and by whom: shown with every finding it matches."`
	Expires      string `yaml:"expires" doc:"The last day the acceptance holds, YYYY-MM-DD (UTC); from the next day the finding fails again."`

	// Where the acceptance is written (set by the loader): its file, and
	// its line and column there; the zero Position when unknown.
	File string   `yaml:"-"`
	Pos  Position `yaml:"-"`
}

// expiryLayout is how Accepted.Expires writes a date.
const expiryLayout = "2006-01-02"

// Expiry is the first instant at which the acceptance no longer holds:
// 00:00 UTC the day after Expires. ok is false when Expires is not a
// date, which validation refuses.
func (a Accepted) Expiry() (t time.Time, ok bool) {
	day, err := time.Parse(expiryLayout, a.Expires)
	if err != nil {
		return time.Time{}, false
	}
	return day.AddDate(0, 0, 1), true
}

// Expired reports whether the acceptance no longer holds at now.
func (a Accepted) Expired(now time.Time) bool {
	end, ok := a.Expiry()
	return !ok || !now.Before(end)
}

// CheckAccepted checks acceptances from a file of their own (see
// LoadAcceptedFile) against s: that the population, datacenter or
// jurisdiction each names is s's. Each problem is located where its
// acceptance is written.
func (s *Scenario) CheckAccepted(list []Accepted) Problems {
	// No source: the paths are the list's, not s's, so neither s's file
	// nor an override of s's own accepted list may place or word them.
	v := &validator{Checker: *NewChecker(&Collector{}, nil, nil), s: s}
	v.index()
	for i, a := range list {
		first := len(v.List)
		v.acceptedRefs(AcceptedPath(i), a)
		for k := first; k < len(v.List); k++ {
			v.List[k].File, v.List[k].Line, v.List[k].Column = a.File, a.Pos.Line, a.Pos.Column
		}
	}
	return v.Report("")
}

// accepted checks the scenario's own acceptances.
func (v *validator) accepted() {
	for i, a := range v.s.Accepted {
		v.AcceptedForm(a, AcceptedPath(i))
		v.acceptedRefs(AcceptedPath(i), a)
	}
}

// acceptedPlanes are the planes an acceptance may name.
var acceptedPlanes = enumOf(reflect.TypeFor[Accepted](), "plane")

// acceptedForm checks acceptance a, at path, for what it must hold
// whatever scenario it is for.
func (c *Checker) AcceptedForm(a Accepted, path string) {
	if !slices.Contains(acceptedPlanes, string(a.Plane)) {
		c.Add(Join(path, "plane"), "%q is not one of %s", Clip(string(a.Plane)), quoteList(acceptedPlanes, "or"))
	}
	switch {
	case a.Datacenter == "" && a.Jurisdiction == "":
		c.Add(path, "name the forbidden datacenter, or jurisdiction, that the acceptance is for")
	case a.Datacenter != "" && a.Jurisdiction != "":
		c.Add(Join(path, "jurisdiction"), "give a datacenter or a jurisdiction, not both")
	}
	if strings.TrimSpace(a.Reason) == "" {
		c.Add(Join(path, "reason"), "must not be empty: say why the risk is accepted, and by whom")
	}
	if _, ok := a.Expiry(); !ok {
		c.Add(Join(path, "expires"), "%q is not a date like 2026-12-31", Clip(a.Expires))
	}
}

// acceptedRefs checks that the population, datacenter and jurisdiction
// acceptance a names, at path, are the scenario's.
func (v *validator) acceptedRefs(path string, a Accepted) {
	populations := collection{"population", v.populationAt, sortedKeys(v.populationAt), v.incomplete("populations", "id")}
	v.ref(Join(path, "population"), a.Population, populations)
	if a.Datacenter != "" {
		v.ref(Join(path, "datacenter"), a.Datacenter, v.knownDatacenters)
	}
	if a.Jurisdiction != "" {
		v.code(Join(path, "jurisdiction"), a.Jurisdiction)
	}
}
