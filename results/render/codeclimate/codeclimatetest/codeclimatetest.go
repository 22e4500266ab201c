// Package codeclimatetest reads a Code Quality report as GitLab would
// take it, for the tests of what writes one: the renderer's and the CI
// template's.
package codeclimatetest

import (
	_ "embed"
	"encoding/json"
	"testing"

	"github.com/geofence/geofence/results/internal/schematest"
	"github.com/geofence/geofence/results/render/codeclimate"
)

// schemaJSON is GitLab's documented Code Quality report format: the
// fields GitLab reads.
//
//go:embed gitlab-code-quality.schema.json
var schemaJSON []byte

var schema = schematest.New("gitlab-code-quality.schema.json", schemaJSON, "a GitLab Code Quality report")

// Read returns the issues of report, failing t unless it is, as written,
// a Code Quality report with every field GitLab documents and no
// fingerprint twice (GitLab keeps one issue per fingerprint).
func Read(t testing.TB, report []byte) []codeclimate.Issue {
	t.Helper()
	schema.Valid(t, report)
	var issues []codeclimate.Issue
	if err := json.Unmarshal(report, &issues); err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for _, i := range issues {
		if seen[i.Fingerprint] {
			t.Errorf("fingerprint %s twice", i.Fingerprint)
		}
		seen[i.Fingerprint] = true
	}
	return issues
}
