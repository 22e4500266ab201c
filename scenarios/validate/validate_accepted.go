package validate

import (
	"slices"
	"strings"

	"github.com/geofence/geofence/scenarios"
)

// Accepted checks acceptances from a file of their own (see
// LoadAcceptedFile) against s: that the population, datacenter or
// jurisdiction each names is s's. Each problem is located where its
// acceptance is written.
func Accepted(s *scenarios.Scenario, list []scenarios.Accepted) scenarios.Problems {
	// No source: the paths are the list's, not s's, so neither s's file
	// nor an override of s's own accepted list may place or word them.
	v := &validator{Checker: *NewChecker(&scenarios.Collector{}, nil, nil), s: s}
	v.index()
	for i, a := range list {
		first := len(v.List)
		v.acceptedRefs(scenarios.AcceptedPath(i), a)
		for k := first; k < len(v.List); k++ {
			v.List[k].File, v.List[k].Line, v.List[k].Column = a.File, a.Pos.Line, a.Pos.Column
		}
	}
	return v.Report("")
}

// accepted checks the scenario's own acceptances.
func (v *validator) accepted() {
	for i, a := range v.s.Accepted {
		v.AcceptedForm(a, scenarios.AcceptedPath(i))
		v.acceptedRefs(scenarios.AcceptedPath(i), a)
	}
}

// AcceptedForm checks acceptance a, at path, for what it must hold
// whatever scenario it is for.
func (c *Checker) AcceptedForm(a scenarios.Accepted, path string) {
	if !slices.Contains(acceptedPlanes, string(a.Plane)) {
		c.Add(scenarios.Join(path, "plane"), "%q is not one of %s", scenarios.Clip(string(a.Plane)), scenarios.QuoteList(acceptedPlanes, "or"))
	}
	switch {
	case a.Datacenter == "" && a.Jurisdiction == "":
		c.Add(path, "name the forbidden datacenter, or jurisdiction, that the acceptance is for")
	case a.Datacenter != "" && a.Jurisdiction != "":
		c.Add(scenarios.Join(path, "jurisdiction"), "give a datacenter or a jurisdiction, not both")
	}
	if strings.TrimSpace(a.Reason) == "" {
		c.Add(scenarios.Join(path, "reason"), "must not be empty: say why the risk is accepted, and by whom")
	}
	if _, ok := a.Expiry(); !ok {
		c.Add(scenarios.Join(path, "expires"), "%q is not a date like 2026-12-31", scenarios.Clip(a.Expires))
	}
}

// acceptedRefs checks that the population, datacenter and jurisdiction
// acceptance a names, at path, are the scenario's.
func (v *validator) acceptedRefs(path string, a scenarios.Accepted) {
	populations := collection{"population", v.populationAt, sortedKeys(v.populationAt), v.incomplete("populations", "id")}
	v.ref(scenarios.Join(path, "population"), a.Population, populations)
	if a.Datacenter != "" {
		v.ref(scenarios.Join(path, "datacenter"), a.Datacenter, v.knownDatacenters)
	}
	if a.Jurisdiction != "" {
		v.code(scenarios.Join(path, "jurisdiction"), a.Jurisdiction)
	}
}
