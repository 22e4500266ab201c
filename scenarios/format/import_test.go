package format

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/lint"
)

// fakeImporter reads lines "route POPULATION DATACENTER" and gives each
// population a media route to that datacenter, located at the
// datacenter's column, with a lint on the line; a line "broken" is a
// problem located in the file.
func fakeImporter(s *scenarios.Scenario, files []scenarios.ImportFile, base int) (scenarios.Imported, scenarios.Problems) {
	var out scenarios.Imported
	out.Positions = map[string]scenarios.Position{}
	var problems scenarios.Problems
	for _, f := range files {
		for i, line := range strings.Split(strings.TrimSpace(string(f.Data)), "\n") {
			fields := strings.Fields(line)
			if len(fields) != 3 {
				problems = append(problems, scenarios.Problem{File: f.Name, Line: i + 1, Column: 1, Msg: "not a route"})
				continue
			}
			path := scenarios.PrimaryPath(base+len(out.Routes), scenarios.Media, 0)
			out.Positions[path] = scenarios.Position{File: f.Name, Line: i + 1, Column: strings.Index(line, fields[2]) + 1}
			out.Routes = append(out.Routes, scenarios.Route{
				Population: scenarios.ID(fields[1]), Imported: "istio",
				Media: scenarios.PlaneRoute{Primaries: []scenarios.ID{scenarios.ID(fields[2])}},
			})
			out.Lints = append(out.Lints, scenarios.ImportLint{Rule: "fake", Severity: lint.Warning, Path: path, Pos: out.Positions[path], Message: "a route"})
		}
	}
	return out, problems
}

// TestImportRouting: the loader hands the files routing.import names to
// the importer of its format, appends the routes it makes with their
// positions in the file it read, keeps its lints, and covers the file in
// the scenario's hash; every problem is located in the scenario or in the
// imported file.
func TestImportRouting(t *testing.T) {
	saved := importers["istio"]
	importers["istio"] = fakeImporter
	t.Cleanup(func() { importers["istio"] = saved })
	const file = "testdata/import/scenario.yaml"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	mesh, err := os.ReadFile("testdata/import/mesh.txt")
	if err != nil {
		t.Fatal(err)
	}

	s, err := Load(file, data)
	if err != nil {
		t.Fatal(err)
	}
	if n := len(s.Routing.Routes); n != 2 || s.Routing.Routes[1].Population != "p" || s.Routing.Routes[1].Imported != "istio" {
		t.Fatalf("routes %+v: want the scenario's and p's imported one", s.Routing.Routes)
	}
	at := scenarios.Position{File: "testdata/import/mesh.txt", Line: 1, Column: 9}
	if got := s.Source.Pos("routing.routes[1].media.primaries[0]"); got != at {
		t.Errorf("the imported primary stands at %+v, want %+v", got, at)
	}
	if ri, pr := s.PlaneRouteOf(&s.Populations[0], scenarios.Media); ri != 1 || pr.Primaries[0] != "east" {
		t.Errorf("p follows route %d for media, want its own (1)", ri)
	}
	if ri, _ := s.PlaneRouteOf(&s.Populations[0], scenarios.Keys); ri != 0 {
		t.Errorf("p follows route %d for keys, want its region's (0)", ri)
	}
	want := scenarios.ImportsSHA256(data, []scenarios.ImportFile{{Written: "mesh.txt", Data: mesh}})
	if s.Source.SHA256 != want || len(s.Source.Imported) != 1 || s.Source.Imported[0] != at.File {
		t.Errorf("source %s %v, want the hash of both files %s and the mesh file", s.Source.SHA256, s.Source.Imported, want)
	}
	lints := lint.Check(s)
	if len(lints) == 0 || lints[len(lints)-1].Rule != "fake" || lints[len(lints)-1].File != at.File || lints[len(lints)-1].Line != 1 {
		t.Errorf("lints %+v: want the importer's, in the mesh file", lints)
	}
	if _, err := With(s, []scenarios.Override{{Path: "routing.import.files", Op: "+=", Value: "more.txt", Origin: "--set"}}); err == nil || !strings.Contains(err.Error(), "read once") {
		t.Errorf("an override of the import: %v, want it refused", err)
	}

	for _, c := range []struct{ name, old, new, want string }{
		{"an unknown format", "format: istio", "format: linkerd", `file:9:13: routing.import.format: "linkerd" is not a format routing can be imported from; the formats are consul, istio, route53`},
		{"a file its format cannot read", "format: istio", "format: consul", "testdata/import/mesh.txt:2:1: key 'route p east' expected start of object ('{') or assignment ('=')"},
		{"a missing file", "files: [mesh.txt]", "files: [gone.txt]", "file:10:13: routing.import.files[0]: open testdata/import/gone.txt: no such file or directory"},
	} {
		bad := bytes.Replace(data, []byte(c.old), []byte(c.new), 1)
		_, err := Load(file, bad)
		if got := strings.ReplaceAll(errText(err), file+":", "file:"); got != c.want {
			t.Errorf("%s: got\n%s\nwant\n%s", c.name, got, c.want)
		}
	}

	// A value of an imported route the model refuses is located in the
	// file it came from; a problem the importer finds, where it found it.
	dir := t.TempDir()
	if err := os.WriteFile(dir+"/mesh.txt", []byte("route p west\nbroken\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(dir+"/scenario.yaml", data)
	wantErr := dir + "/mesh.txt:2:1: not a route"
	if errText(err) != wantErr {
		t.Errorf("a broken file: got %v, want %s", err, wantErr)
	}
	if err := os.WriteFile(dir+"/mesh.txt", []byte("route p west\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err = Load(dir+"/scenario.yaml", data)
	wantErr = dir + `/mesh.txt:1:9: routing.routes[1].media.primaries[0]: unknown datacenter "west"; did you mean "east"?`
	if errText(err) != wantErr {
		t.Errorf("an unknown datacenter imported: got %v, want %s", err, wantErr)
	}
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
