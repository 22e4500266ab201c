package format

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/validate"
)

const fuzzCorpus = "testdata/fuzz/FuzzLoad"

// FuzzLoad checks that Load never panics and always answers one of two
// ways: a scenario that validates, or Problems that each say something.
// Its seeds are the built-ins as they are now and the files in
// testdata/fuzz/FuzzLoad: the cases of testdata/load, and any input the
// fuzzer once found to fail.
func FuzzLoad(f *testing.F) {
	for _, b := range scenarios.Builtins() {
		src, _ := scenarios.BuiltinSource(b.Name)
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := Load("fuzz.yaml", data)
		if err == nil {
			if ps := validate.Scenario(s); len(ps) > 0 {
				t.Fatalf("Load accepted a scenario that does not validate:\n%v", ps)
			}
			return
		}
		if s != nil {
			t.Fatal("Load returned both a scenario and an error")
		}
		saysSomething(t, "Load", err)
	})
}

// saysSomething fails the test unless err, what who returned, is Problems
// that each say something, in a message of bounded length.
func saysSomething(t *testing.T, who string, err error) {
	t.Helper()
	var ps scenarios.Problems
	if !errors.As(err, &ps) || len(ps) == 0 {
		t.Fatalf("%s's error is %T %v, want Problems", who, err, err)
	}
	for _, p := range ps {
		if p.Msg == "" {
			t.Fatalf("a problem without a message: %+v", p)
		}
		if len(p.Msg) > scenarios.MaxMessage+len("...") {
			t.Fatalf("a message of %d bytes: %.200s...", len(p.Msg), p.Msg)
		}
	}
}

// rewrite is datadriven's -rewrite flag, which also regenerates the seed
// corpus here; a second flag of the same name would panic at start-up.
var rewrite = flag.Lookup("rewrite")

// TestFuzzCorpus writes the cases of testdata/load into FuzzLoad's seed
// corpus when run with -rewrite: their input with its \xHH escapes
// replaced, but not padded or lengthened.
func TestFuzzCorpus(t *testing.T) {
	if rewrite.Value.String() != "true" {
		t.Skip("run with -rewrite to regenerate the seeds in " + fuzzCorpus)
	}
	files, _ := filepath.Glob("testdata/load/*.txt")
	for _, file := range files {
		n := 0
		datadriven.RunTest(t, file, func(t *testing.T, d *datadriven.TestData) string {
			n++
			name := fmt.Sprintf("load-%s-%d", strings.TrimSuffix(filepath.Base(file), ".txt"), n)
			data := []byte(d.Input + "\n")
			if d.HasArg("escapes") {
				data = unescape(data)
			}
			writeSeed(t, name, data)
			return d.Expected
		})
	}
	for _, b := range scenarios.Builtins() {
		src, _ := scenarios.BuiltinSource(b.Name)
		writeSeed(t, "builtin-"+b.Name, src)
	}
}

func writeSeed(t *testing.T, name string, data []byte) {
	if err := os.MkdirAll(fuzzCorpus, 0o755); err != nil {
		t.Fatal(err)
	}
	seed := fmt.Sprintf("go test fuzz v1\n[]byte(%q)\n", data)
	if err := os.WriteFile(filepath.Join(fuzzCorpus, name), []byte(seed), 0o644); err != nil {
		t.Fatal(err)
	}
}

// FuzzOverride checks that applying any override text to a built-in never
// panics, and answers with a validated scenario or Problems that each say
// something. Its seeds are the overrides of testdata/override.
func FuzzOverride(f *testing.F) {
	files, _ := filepath.Glob("testdata/override/*.txt")
	for _, file := range files {
		data, _ := os.ReadFile(file)
		for line := range strings.Lines(string(data)) {
			if strings.ContainsAny(line, "=") && !strings.HasPrefix(line, "#") {
				f.Add(strings.TrimSuffix(line, "\n"))
			}
		}
	}
	s, err := Resolve("zoom-2020-04")
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, text string) {
		o, err := ParseOverride(text, "--set")
		if err == nil {
			_, err = With(s, []scenarios.Override{o})
		}
		if err == nil {
			return
		}
		saysSomething(t, "ParseOverride or With", err)
	})
}
