package render

import (
	"bytes"
	"encoding/json"
	"io"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/geofence/geofence/results/internal/fixture"
)

// TestRender replays every story in testdata, each directive naming the
// report it renders in format:
//
//	render format=<name> [reps=<n>] [detail] [per-replication]
//	check scenario=<file> [baseline=<file>] [static] [max-violation-rate=<x>] format=<name>
//	diff old=<file> new=<file> [static] [tolerate=<x>] [fail-on=<severity>] [exit-on=<kind>] format=<name>
//
// as runStory, checkStory and diffStory make them; an error is printed as
// "error: ...". Run with -rewrite to regenerate the expected output.
func TestRender(t *testing.T) {
	stories := map[string]func(t *testing.T, d *datadriven.TestData) reportWriter{
		"render": runStory,
		"check":  checkStory,
		"diff":   diffStory,
	}
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stories: %v", err)
	}
	for _, path := range files {
		t.Run(strings.TrimSuffix(filepath.Base(path), ".txt"), func(t *testing.T) {
			datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
				story, ok := stories[d.Cmd]
				if !ok {
					t.Fatalf("%s: unknown command %q", d.Pos, d.Cmd)
				}
				var format string
				d.ScanArgs(t, "format", &format)
				var out bytes.Buffer
				if err := story(t, d)(&out, format); err != nil {
					return "error: " + err.Error() + "\n"
				}
				return out.String()
			})
		})
	}
}

// reportWriter writes a story's report in a format.
type reportWriter func(w io.Writer, format string) error

// runStory summarizes the first n (default 3) replications of the spill
// fixture.
func runStory(t *testing.T, d *datadriven.TestData) reportWriter {
	reps := 3
	d.MaybeScanArgs(t, "reps", &reps)
	r := fixture.Summarize(t, fixture.SpillModel(), fixture.SpillReplications(reps), fixture.SpillMeta)
	opt := Options{Detail: d.HasArg("detail"), PerReplication: d.HasArg("per-replication")}
	return func(w io.Writer, format string) error { return Run(w, r, format, opt) }
}

// checkStory is the check fixture.CheckStory makes of the directive.
func checkStory(t *testing.T, d *datadriven.TestData) reportWriter {
	r := fixture.CheckStory(t, d)
	return func(w io.Writer, format string) error { return Check(w, r, format, CIOptions{}) }
}

// diffStory is the diff fixture.DiffStory makes of the directive.
func diffStory(t *testing.T, d *datadriven.TestData) reportWriter {
	r := fixture.DiffStory(t, d)
	return func(w io.Writer, format string) error { return Diff(w, r, format, CIOptions{}) }
}

// readsBack checks that out, the JSON of r, reads back into the same
// report.
func readsBack[R any](t *testing.T, out []byte, r *R) {
	t.Helper()
	var back R
	if err := json.Unmarshal(out, &back); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(&back, r) {
		t.Errorf("JSON does not read back into the same report:\n%s", out)
	}
}
