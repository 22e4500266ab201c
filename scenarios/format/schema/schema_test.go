package schema

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
)

// rewrite is datadriven's -rewrite flag, which also regenerates the golden
// files here; a second flag of the same name would panic at start-up.
var rewrite = flag.Lookup("rewrite")

const (
	schemaGolden      = "testdata/schema.golden.json"
	studySchemaGolden = "testdata/study.schema.golden.json"
)

func TestSchemaGolden(t *testing.T) {
	for golden, schema := range map[string]func() []byte{schemaGolden: Scenario, studySchemaGolden: Study} {
		got := schema()
		if rewrite.Value.String() == "true" {
			if err := os.WriteFile(golden, got, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		want, err := os.ReadFile(golden)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("the schema differs from %s; run go test ./scenarios -run TestSchemaGolden -rewrite and review the diff", golden)
		}
		if !bytes.Equal(schema(), got) {
			t.Errorf("the schema of %s is not deterministic", golden)
		}
	}
}

// TestStudySchemaAcceptsWhatLoads checks every case in format's testdata/study
// that loads against the study schema.
func TestStudySchemaAcceptsWhatLoads(t *testing.T) {
	schema := compile(t, Study())
	datadriven.RunTest(t, "../testdata/study/study.txt", func(t *testing.T, d *datadriven.TestData) string {
		if !strings.HasPrefix(d.Expected, "study.yaml") {
			if err := validateYAML(t, schema, d.Input); err != nil {
				t.Errorf("%s: loads but fails the schema: %v", d.Pos, err)
			}
		}
		return d.Expected
	})
}

func compile(t *testing.T, schema []byte) *jsonschema.Schema {
	t.Helper()
	doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(schema))
	if err != nil {
		t.Fatal(err)
	}
	c := jsonschema.NewCompiler()
	if err := c.AddResource("scenario.schema.json", doc); err != nil {
		t.Fatal(err)
	}
	s, err := c.Compile("scenario.schema.json")
	if err != nil {
		t.Fatalf("the schema does not compile: %v", err)
	}
	return s
}

// validateYAML checks YAML text against the schema, as an editor would
// after converting it to JSON.
func validateYAML(t *testing.T, schema *jsonschema.Schema, src string) error {
	t.Helper()
	var v any
	if err := yaml.Unmarshal([]byte(src), &v); err != nil {
		t.Fatal(err)
	}
	js, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(js))
	if err != nil {
		t.Fatal(err)
	}
	return schema.Validate(inst)
}

// TestSchemaAcceptsWhatLoads checks every built-in, and every case in
// format's testdata/load that loads, against the schema.
func TestSchemaAcceptsWhatLoads(t *testing.T) {
	schema := compile(t, Scenario())
	for _, b := range scenarios.Builtins() {
		src, _ := scenarios.BuiltinSource(b.Name)
		if err := validateYAML(t, schema, string(src)); err != nil {
			t.Errorf("built-in %s: %v", b.Name, err)
		}
	}
	files, _ := filepath.Glob("../testdata/load/*.txt")
	for _, file := range files {
		datadriven.RunTest(t, file, func(t *testing.T, d *datadriven.TestData) string {
			if d.Expected == "ok\n" && !d.HasArg("pad") {
				if err := validateYAML(t, schema, d.Input); err != nil {
					t.Errorf("%s: loads but fails the schema: %v", d.Pos, err)
				}
			}
			return d.Expected
		})
	}
}

func TestSchemaRefusesBadFiles(t *testing.T) {
	schema := compile(t, Scenario())
	src, _ := scenarios.BuiltinSource("erlang")
	good := string(src)
	for _, c := range []struct{ name, from, to string }{
		{"unknown field", "\nregions:", "\nregoins:"},
		{"missing field", "    region: r\n    jurisdiction: US\n    capacity", "    jurisdiction: US\n    capacity"},
		{"bad id", "  - id: dc1", "  - id: data center 1"},
		{"fraction for an integer", "replications: 10", "replications: 10.5"},
		{"string for a number", "joins_per_second: 0.9", "joins_per_second: fast"},
		{"negative capacity", "media: 100", "media: -100"},
		{"duration without a unit", "mean: 100s", "mean: 100"},
		{"closed set", "distribution: exponential", "distribution: normal"},
		{"mapping for a list", "primaries: [dc1]", "primaries: {dc1: 1}"},
	} {
		bad := strings.Replace(good, c.from, c.to, 1)
		if bad == good {
			t.Fatalf("%s: %q is not in erlang.yaml", c.name, c.from)
		}
		if err := validateYAML(t, schema, bad); err == nil {
			t.Errorf("%s: the schema accepts it", c.name)
		}
		if _, err := format.Load("bad.yaml", []byte(bad)); err == nil {
			t.Errorf("%s: the loader accepts it", c.name)
		}
	}
}

// TestDurationPatterns checks that the schema's patterns accept the forms
// the parsers accept, and refuse the forms they refuse.
func TestDurationPatterns(t *testing.T) {
	duration, offset := regexp.MustCompile(durationPattern), regexp.MustCompile(offsetPattern)
	for _, s := range []string{"0", "0s", "250ms", "5s", "1.5s", ".5h", "1h30m", "2d", "1.5d", "1d12h", "100us", "3µs", "", "5", "1x", "h", "-5s", "1h-5m", "d", "-1d", "2 d", "5S"} {
		_, err := scenarios.ParseDuration(s)
		if got, want := duration.MatchString(s), err == nil; got != want {
			t.Errorf("duration %q: pattern matches %v, ParseDuration accepts %v", s, got, want)
		}
	}
	for _, s := range []string{"0", "-5h", "+5h30m", "5h", "-0", "--5h", "5", "east"} {
		_, err := scenarios.ParseOffset(s)
		if got, want := offset.MatchString(s), err == nil; got != want {
			t.Errorf("offset %q: pattern matches %v, ParseOffset accepts %v", s, got, want)
		}
	}
}
