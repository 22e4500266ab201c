// Package scenariotest is what the tests of the scenario packages share:
// replaying the datadriven stories of a directory (go test -rewrite
// regenerates what they expect), reading the files under testdata a
// directive names, and reading what the stories expect. Only tests import
// it.
package scenariotest

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

// Run runs one directive of a story and returns what it prints.
type Run func(t *testing.T, d *datadriven.TestData) string

// Replay runs every story file under dir, each directive through run.
func Replay(t *testing.T, dir string, run Run) {
	t.Helper()
	ReplayStories(t, dir, func() Run { return run })
}

// ReplayStories is Replay for stories whose directives build on the ones
// before them: each story file's directives run through a Run of its own,
// which story makes and which holds what the file has built so far.
func ReplayStories(t *testing.T, dir string, story func() Run) {
	t.Helper()
	datadriven.Walk(t, dir, func(t *testing.T, path string) {
		datadriven.RunTest(t, path, story())
	})
}

// ReplayCommand is Replay for stories that have the one command cmd; any
// other fails the test.
func ReplayCommand(t *testing.T, dir, cmd string, run Run) {
	t.Helper()
	Replay(t, dir, func(t *testing.T, d *datadriven.TestData) string {
		if d.Cmd != cmd {
			d.Fatalf(t, "unknown command %q", d.Cmd)
		}
		return run(t, d)
	})
}

// ReadFile is the file name under testdata, which directive d names; it
// fails the directive if the file cannot be read.
func ReadFile(t *testing.T, d *datadriven.TestData, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		d.Fatalf(t, "%v", err)
	}
	return data
}

// Stories is the text of every story file pattern matches, directives and
// what they expect: for a test that every rule has a case expecting it.
func Stories(t *testing.T, pattern string) string {
	t.Helper()
	files, err := filepath.Glob(pattern)
	if err != nil || len(files) == 0 {
		t.Fatalf("no stories match %s: %v", pattern, err)
	}
	var all strings.Builder
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		all.Write(data)
	}
	return all.String()
}
