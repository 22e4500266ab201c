package format

import (
	"testing"

	"github.com/geofence/geofence/scenarios"
)

// Items are named by what they are, not where they stand.
func TestSubject(t *testing.T) {
	s, err := LoadFile("testdata/subject_spill.yaml")
	if err != nil {
		t.Fatal(err)
	}
	for path, want := range map[string]string{
		"routing.whitelists.intl[1]":           "routing.whitelists.intl[bj1]",
		"routing.routes[1].keys":               "routing.routes[na/gov].keys",
		"routing.routes[0].media.primaries[1]": "routing.routes[na].media.primaries[us-west]",
		"populations[1].id":                    "populations[na-gov].id",
		"datacenters[2].capacity.media":        "datacenters[bj1].capacity.media",
		"policy[0].allow.keys[0]":              "policy[north-america].allow.keys[US]",
		"regions[1]":                           "regions[cn]",
		"routing.whitelists.intl[7]":           "routing.whitelists.intl[7]",
		"run.horizon":                          "run.horizon",
	} {
		if got := s.Subject(path); got != want {
			t.Errorf("Subject(%q) = %q, want %q", path, got, want)
		}
	}
	unnamed := &scenarios.Scenario{Policy: []scenarios.PolicyRule{{Select: scenarios.Selector{Region: "eu", Plan: "free"}}}}
	if got := unnamed.Subject("policy[0].allow"); got != "policy[{region: eu, plan: free}].allow" {
		t.Errorf("unnamed rule: %q", got)
	}
}
