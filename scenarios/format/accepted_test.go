package format

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/cockroachdb/datadriven"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/internal/scenariotest"
	"github.com/geofence/geofence/scenarios/validate"
)

// acceptedStory runs a story of testdata/accepted, files of accepted
// risks given to --accept. Commands:
//
//	file              write the input to accepted.yaml and load it with
//	                  LoadAcceptedFile; print each acceptance with where it
//	                  is written and whether it holds on 2026-06-30, or
//	                  the problems
//	check scenario=S  check the last file's acceptances against the
//	                  built-in scenario S; print ok or the problems
func acceptedStory() scenariotest.Run {
	var last []scenarios.Accepted
	return func(t *testing.T, d *datadriven.TestData) string {
		switch d.Cmd {
		case "file":
			dir := t.TempDir()
			file := filepath.Join(dir, "accepted.yaml")
			if err := os.WriteFile(file, []byte(d.Input+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			list, err := LoadAcceptedFile(file)
			if err != nil {
				return strings.ReplaceAll(err.Error(), dir+string(filepath.Separator), "") + "\n"
			}
			last = list
			day := time.Date(2026, 6, 30, 12, 0, 0, 0, time.UTC)
			var b strings.Builder
			for _, a := range list {
				against := string(a.Datacenter) + string(a.Jurisdiction)
				state := "holds"
				if a.Expired(day) {
					state = "expired"
				}
				fmt.Fprintf(&b, "%s:%d:%d: %s %s %s, %s on 2026-06-30: %s\n", filepath.Base(a.File), a.Pos.Line, a.Pos.Column, a.Population, a.Plane, against, state, a.Reason)
			}
			return b.String()
		case "check":
			var name string
			d.ScanArgs(t, "scenario", &name)
			s, err := Resolve(name)
			if err != nil {
				t.Fatal(err)
			}
			ps := validate.Accepted(s, last)
			if len(ps) == 0 {
				return "ok\n"
			}
			for i := range ps {
				ps[i].File = filepath.Base(ps[i].File)
			}
			return ps.Error() + "\n"
		}
		d.Fatalf(t, "unknown command %q", d.Cmd)
		return ""
	}
}

// TestCheckAcceptedIsAboutTheList checks that the problems of a list of
// acceptances are worded and placed by the list alone: an override of the
// scenario's own accepted list, at the same paths, has no say in them.
func TestCheckAcceptedIsAboutTheList(t *testing.T) {
	s, err := Resolve("zoom-2020-04")
	if err != nil {
		t.Fatal(err)
	}
	o, err := ParseOverride("accepted+={population: us-free, plane: media, datacenter: cn-bj-1, reason: known, expires: 2026-12-31}", "--set")
	if err != nil {
		t.Fatal(err)
	}
	overridden, err := With(s, []scenarios.Override{o})
	if err != nil {
		t.Fatal(err)
	}
	list := []scenarios.Accepted{{Population: "nobody", Plane: scenarios.Media, Datacenter: "cn-bj-1", File: "accepted.yaml", Pos: scenarios.Position{Line: 3, Column: 5}}}
	const want = `accepted.yaml:3:5: accepted[0].population: unknown population "nobody"`
	for name, s := range map[string]*scenarios.Scenario{"the built-in": s, "the built-in with an acceptance added": overridden} {
		if got := validate.Accepted(s, list).Error(); got != want {
			t.Errorf("on %s, CheckAccepted gives\n%s\nwant\n%s", name, got, want)
		}
	}
}
