package render

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"testing"
	"time"

	gosarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/scenarios/lint"
)

// JUnit XML parses back with one test case per fence, then one per lint;
// failing fences carry a failure whose text names the witness and the
// simulated rate, and the lints also go to system-out. The time the
// command passes in is the suite's.
func TestCheckJUnit(t *testing.T) {
	r := check.Check(fixture.CheckInput(t, "check_spill_media_fixed.yaml", false))
	var out bytes.Buffer
	if err := Check(&out, r, "junit", CIOptions{Elapsed: 1234567 * time.Microsecond}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Tests    int    `xml:"tests,attr"`
		Failures int    `xml:"failures,attr"`
		Time     string `xml:"time,attr"`
		Suites   []struct {
			Name     string `xml:"name,attr"`
			Tests    int    `xml:"tests,attr"`
			Failures int    `xml:"failures,attr"`
			Time     string `xml:"time,attr"`
			Cases    []struct {
				Classname string `xml:"classname,attr"`
				Name      string `xml:"name,attr"`
				Failure   *struct {
					Message string `xml:"message,attr"`
					Text    string `xml:",chardata"`
				} `xml:"failure"`
			} `xml:"testcase"`
			SystemOut string `xml:"system-out"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	if doc.Tests != 8 || doc.Failures != 2 || len(doc.Suites) != 1 || doc.Time != "1.235" {
		t.Fatalf("testsuites: %d tests, %d failures, %d suites, time %q; want 8, 2, 1, 1.235", doc.Tests, doc.Failures, len(doc.Suites), doc.Time)
	}
	suite := doc.Suites[0]
	if suite.Name != "geofence check spill-media-fixed" || suite.Tests != 8 || suite.Failures != 2 || len(suite.Cases) != 8 || suite.Time != "1.235" {
		t.Errorf("suite %q: %d tests, %d failures, %d cases, time %q", suite.Name, suite.Tests, suite.Failures, len(suite.Cases), suite.Time)
	}
	for i, l := range r.Lints {
		tc := suite.Cases[len(r.Fences)+i]
		if tc.Classname != "lint" || tc.Name != l.Rule+" "+l.Subject || tc.Failure != nil {
			t.Errorf("lint case %d is %s/%s (failure %v), want lint/%s %s passing", i, tc.Classname, tc.Name, tc.Failure, l.Rule, l.Subject)
		}
	}
	failed := 0
	for i, tc := range suite.Cases[:len(r.Fences)] {
		fc := r.Fences[i]
		if tc.Classname != fc.Population || tc.Name != fc.Plane {
			t.Errorf("case %d is %s/%s, want %s/%s", i, tc.Classname, tc.Name, fc.Population, fc.Plane)
		}
		if (tc.Failure != nil) == fc.Passed {
			t.Errorf("%s/%s: failure %v, passed %v", tc.Classname, tc.Name, tc.Failure, fc.Passed)
		}
		if tc.Failure != nil {
			failed++
			for _, want := range []string{"when us-east is full or down", "routing.whitelists.kms-backup[0]", check.RateWithInterval(*fc.ViolationRate)} {
				if !strings.Contains(tc.Failure.Text, want) {
					t.Errorf("%s/%s failure text lacks %q:\n%s", tc.Classname, tc.Name, want, tc.Failure.Text)
				}
			}
		}
	}
	if failed != 2 {
		t.Errorf("%d failing cases, want 2", failed)
	}
	if !strings.Contains(suite.SystemOut, "fail-open") {
		t.Errorf("system-out lacks the lints: %q", suite.SystemOut)
	}
}

// JSON is deterministic and reads back into the same report; a static-only
// check has null simulated figures.
func TestCheckJSON(t *testing.T) {
	r := check.Check(fixture.CheckInput(t, "check_spill.yaml", true))
	var out bytes.Buffer
	if err := Check(&out, r, "json", CIOptions{}); err != nil {
		t.Fatal(err)
	}
	readsBack(t, out.Bytes(), r)
	if !strings.Contains(out.String(), `"violation_rate": null`) {
		t.Errorf("static-only JSON should have a null violation_rate")
	}
}

// A finding or lint in a file the scenario imports routing from is
// located there in every format: file:line:column in text, Markdown and
// JUnit, the file's URI in SARIF, and the check's failure lines.
func TestCheckLocatesImportedFiles(t *testing.T) {
	r := fixture.OverflowCheck(t, true)
	const mesh = "mesh/destinationrule.yaml"
	r.Scenario.Imports = []string{mesh}
	var found bool
	for i := range r.Fences {
		for j := range r.Fences[i].Static {
			r.Fences[i].Static[j].File, r.Fences[i].Static[j].Line, r.Fences[i].Static[j].Column = mesh, 12, 9
			found = true
		}
	}
	if !found {
		t.Fatal("the overflow scenario has no static finding to locate")
	}
	r.Lints = append(r.Lints, check.Lint{Lint: lint.Lint{Rule: "istio-failover-without-outlier-detection", Severity: lint.Warning, File: mesh, Line: 20, Column: 7, Message: "failover needs outlierDetection"}})
	if lines := r.FailureLines(); len(lines) == 0 || !strings.HasPrefix(lines[0], mesh+":12:9: ") {
		t.Errorf("failure lines %q: want the first at %s:12:9", lines, mesh)
	}
	if got := r.LintLine(r.Lints[len(r.Lints)-1]); !strings.HasPrefix(got, mesh+":20:7: warning") {
		t.Errorf("lint line %q: want it at %s:20:7", got, mesh)
	}
	for _, format := range []string{"table", "markdown", "junit"} {
		var out bytes.Buffer
		if err := Check(&out, r, format, CIOptions{}); err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{mesh + ":12:9", mesh + ":20:7"} {
			if !strings.Contains(out.String(), want) {
				t.Errorf("%s does not locate %s:\n%s", format, want, out.String())
			}
		}
	}
	var out bytes.Buffer
	if err := Check(&out, r, "sarif", CIOptions{}); err != nil {
		t.Fatal(err)
	}
	log, err := gosarif.FromBytes(out.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	lines := map[string]int{}
	for _, res := range log.Runs[0].Results {
		for _, l := range res.Locations {
			if pl := l.PhysicalLocation; *pl.ArtifactLocation.URI == mesh {
				lines[*res.RuleID] = *pl.Region.StartLine
			}
		}
	}
	if lines["static-reachable"] != 12 || lines["istio-failover-without-outlier-detection"] != 20 {
		t.Errorf("SARIF locates in %s: %v, want the finding at 12 and the lint at 20", mesh, lines)
	}
	if !slices.ContainsFunc(log.Runs[0].Artifacts, func(a *gosarif.Artifact) bool { return *a.Location.URI == mesh }) {
		t.Errorf("SARIF artifacts %+v do not list %s", log.Runs[0].Artifacts, mesh)
	}
}
