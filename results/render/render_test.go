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

	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
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

// checkStory loads testdata/<file>, analyses and lints it, and unless
// static simulates its replications; with baseline, compares blocking with
// the baseline scenario run on the same seed. Every plane's limit is x
// (flag --max-violation-rate), 0 by default.
func checkStory(t *testing.T, d *datadriven.TestData) reportWriter {
	var file, baseline string
	d.ScanArgs(t, "scenario", &file)
	d.MaybeScanArgs(t, "baseline", &baseline)
	in := fixture.CheckInput(t, file, d.HasArg("static"))
	if d.HasArg("max-violation-rate") {
		var limit float64
		d.ScanArgs(t, "max-violation-rate", &limit)
		for p := range in.Limits {
			in.Limits[p], in.LimitSource[p] = limit, "--max-violation-rate"
		}
	}
	if baseline != "" {
		in.Baseline = fixture.Baseline(t, baseline, file)
	}
	r := check.Check(in)
	return func(w io.Writer, format string) error { return Check(w, r, format, CIOptions{}) }
}

// diffStory loads testdata/<file> for each version, analyses and lints
// both and unless static simulates both on NEW's seed and replications,
// and diffs them with every limit 0. Each line of the input, if any, is an
// override applied to NEW.
func diffStory(t *testing.T, d *datadriven.TestData) reportWriter {
	var oldFile, newFile string
	d.ScanArgs(t, "old", &oldFile)
	d.ScanArgs(t, "new", &newFile)
	in := fixture.DiffInput(t, fixture.LoadStory(t, oldFile), fixture.WithOverrides(t, fixture.LoadStory(t, newFile), d.Input), d.HasArg("static"))
	if d.HasArg("tolerate") {
		d.ScanArgs(t, "tolerate", &in.Tolerate)
	}
	d.MaybeScanArgs(t, "fail-on", &in.FailOn)
	d.MaybeScanArgs(t, "exit-on", &in.ExitOn)
	r := diff.Diff(in)
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
