package render

import (
	"bytes"
	"encoding/xml"
	"slices"
	"strings"
	"testing"

	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/internal/fixture"
)

// JUnit has a case per fence, failing where the change made it worse,
// then a case per lint of NEW.
func TestDiffJUnit(t *testing.T) {
	r := diff.Diff(fixture.DiffInput(t, fixture.LoadStory(t, "check_spill_media_fixed.yaml"), fixture.LoadStory(t, "diff_spill_kms_bj2.yaml"), true))
	var out bytes.Buffer
	if err := Diff(&out, r, "junit", CIOptions{}); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Failures int `xml:"failures,attr"`
		Suites   []struct {
			Cases []struct {
				Classname string    `xml:"classname,attr"`
				Name      string    `xml:"name,attr"`
				Failure   *struct{} `xml:"failure"`
			} `xml:"testcase"`
		} `xml:"testsuite"`
	}
	if err := xml.Unmarshal(out.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	var failing []string
	fences := 0
	for _, tc := range doc.Suites[0].Cases {
		if tc.Classname != "lint" {
			fences++
		}
		if tc.Failure != nil {
			failing = append(failing, tc.Classname+"/"+tc.Name)
		}
	}
	if want := []string{"na-free/keys", "na-free/connector"}; !slices.Equal(failing, want) || doc.Failures != 2 || fences != len(r.Fences) {
		t.Errorf("failing %v (%d), %d fence cases; want %v and %d", failing, doc.Failures, fences, want, len(r.Fences))
	}
	if bytes.Contains(out.Bytes(), []byte("time=")) {
		t.Errorf("time attributes without a measured time")
	}
}

// The JSON says its kind and format version and reads back into the same
// report.
func TestDiffJSON(t *testing.T) {
	r := diff.Diff(fixture.DiffInput(t, fixture.LoadStory(t, "check_spill.yaml"), fixture.LoadStory(t, "check_spill_media_fixed.yaml"), true))
	var out bytes.Buffer
	if err := Diff(&out, r, "json", CIOptions{}); err != nil {
		t.Fatal(err)
	}
	readsBack(t, out.Bytes(), r)
	if !strings.Contains(out.String(), `"kind": "diff"`) || !strings.Contains(out.String(), `"format_version": 1`) || !strings.Contains(out.String(), `"simulation": null`) {
		t.Errorf("JSON lacks its kind, version or null simulation:\n%.400s", out.String())
	}
}
