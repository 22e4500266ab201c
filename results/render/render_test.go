package render

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"github.com/geofence/geofence/results/internal/fixture"
)

// TestRender renders the spill fixture as each file in testdata asks:
//
//	render format=<name> [reps=<n>]
//
// summarizes the first n (default 3) replications of the fixture and
// renders the report in format; an error is printed as "error: ...".
// Run with -rewrite to regenerate the expected output. Files named check_*
// belong to TestRenderCheck, diff_* to TestRenderDiff.
func TestRender(t *testing.T) {
	replay(t, "render", func(t *testing.T, d *datadriven.TestData) string {
		var format string
		d.ScanArgs(t, "format", &format)
		reps := 3
		d.MaybeScanArgs(t, "reps", &reps)
		r := fixture.Summarize(t, fixture.SpillModel(), fixture.SpillReplications(reps), fixture.SpillMeta)
		var out bytes.Buffer
		var opt Options
		opt.Detail = d.HasArg("detail")
		opt.PerReplication = d.HasArg("per-replication")
		if err := Run(&out, r, format, opt); err != nil {
			return "error: " + err.Error() + "\n"
		}
		return out.String()
	})
}

// replay runs the stories of testdata whose command is cmd, each
// directive through run: check_*.txt for check, diff_*.txt for diff, and
// the others, named by format, for render.
func replay(t *testing.T, cmd string, run func(t *testing.T, d *datadriven.TestData) string) {
	t.Helper()
	files, err := filepath.Glob("testdata/*.txt")
	if err != nil || len(files) == 0 {
		t.Fatalf("no stories: %v", err)
	}
	for _, path := range files {
		name := strings.TrimSuffix(filepath.Base(path), ".txt")
		storyCmd := "render"
		for _, c := range []string{"check", "diff"} {
			if strings.HasPrefix(name, c+"_") {
				storyCmd = c
			}
		}
		if storyCmd != cmd {
			continue
		}
		t.Run(name, func(t *testing.T) {
			datadriven.RunTest(t, path, func(t *testing.T, d *datadriven.TestData) string {
				if d.Cmd != cmd {
					t.Fatalf("%s: unknown command %q", d.Pos, d.Cmd)
				}
				return run(t, d)
			})
		})
	}
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
