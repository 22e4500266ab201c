package format

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/validate"
)

// aliasBombs are files whose aliases describe trees of billions of nodes.
func aliasBombs() map[string]string {
	erlang, _ := scenarios.BuiltinSource("erlang")
	var laughs strings.Builder
	laughs.WriteString("a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n")
	for i := 1; i < 10; i++ {
		fmt.Fprintf(&laughs, "a%d: &a%d [%s]\n", i, i, strings.TrimSuffix(strings.Repeat(fmt.Sprintf("*a%d, ", i-1), 10), ", "))
	}
	laughs.WriteString("description: *a9\nregions: *a9\njurisdictions: {groups: {G: *a9}}\n")

	// The format's own lists: 5000 routes, each of the same 5000 primaries.
	routes := strings.Replace(string(erlang), "media:\n        primaries: [dc1]",
		"media: &m\n        primaries: ["+strings.TrimSuffix(strings.Repeat("dc1, ", 5000), ", ")+"]", 1)
	routes = strings.Replace(routes, "keys:\n        custody: client", "keys: *m", 1)
	routes = strings.Replace(routes, "  routes:\n    - region: r", "  routes:\n    - &r\n      region: r", 1)
	routes = strings.Replace(routes, "\npolicy:", strings.Repeat("\n    - *r", 5000)+"\npolicy:", 1)

	return map[string]string{"billion laughs": laughs.String(), "routes": routes}
}

// TestAliasBombIsCheap requires alias bombs to be refused having allocated
// a few megabytes; BenchmarkAliasBomb measures how long that takes.
func TestAliasBombIsCheap(t *testing.T) {
	for name, src := range aliasBombs() {
		t.Run(name, func(t *testing.T) {
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			_, err := Load("bomb.yaml", []byte(src))
			runtime.ReadMemStats(&after)
			if err == nil {
				t.Fatal("the bomb loads")
			}
			if mb := (after.TotalAlloc - before.TotalAlloc) >> 20; mb > 64 {
				t.Errorf("Load allocated %d MiB", mb)
			}
			if name == "routes" && !strings.Contains(err.Error(), "excessive aliasing (possible alias bomb)") {
				t.Errorf("got %v, want excessive aliasing", err)
			}
		})
	}
}

func BenchmarkAliasBomb(b *testing.B) {
	for name, src := range aliasBombs() {
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Load("bomb.yaml", []byte(src)); err == nil {
					b.Fatal("the bomb loads")
				}
			}
		})
	}
}

func TestFiveMistakesAtOnce(t *testing.T) {
	erlang, _ := scenarios.BuiltinSource("erlang")
	src := string(erlang)
	for _, edit := range [][2]string{
		{"\nregions:", "\nowner: ops\nregions:"},
		{"    jurisdiction: US\n    capacity", "    jurisdiction: XX\n    capacity"},
		{"joins_per_second: 0.9", "joins_per_second: 0"},
		{"primaries: [dc1]", "primaries: [dc2]"},
		{"replications: 10", "replications: 2.5"},
	} {
		if !strings.Contains(src, edit[0]) {
			t.Fatalf("%q is not in erlang.yaml", edit[0])
		}
		src = strings.Replace(src, edit[0], edit[1], 1)
	}
	_, err := Load("five.yaml", []byte(src))
	var ps scenarios.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("got %v, want Problems", err)
	}
	want := []string{`unknown field "owner"`, `unknown jurisdiction "XX"`, "joins_per_second: must be greater than 0", `unknown datacenter "dc2"`, "replications: must be a whole number"}
	if len(ps) != len(want) {
		t.Fatalf("got %d problems, want %d:\n%v", len(ps), len(want), ps)
	}
	for i, w := range want {
		if !strings.Contains(ps[i].Msg, w) || ps[i].Line == 0 {
			t.Errorf("problem %d is %q, want it to say %q at a line", i, ps[i].Error(), w)
		}
	}
}

func TestProblemError(t *testing.T) {
	for _, c := range []struct {
		p    scenarios.Problem
		want string
	}{
		{scenarios.Problem{File: "a.yaml", Line: 3, Column: 7, Msg: "bad"}, "a.yaml:3:7: bad"},
		{scenarios.Problem{File: "a.yaml", Line: 3, Msg: "bad"}, "a.yaml:3: bad"},
		{scenarios.Problem{File: "a.yaml", Msg: "bad"}, "a.yaml: bad"},
		{scenarios.Problem{Msg: "bad"}, "bad"},
	} {
		if got := c.p.Error(); got != c.want {
			t.Errorf("%+v.Error() = %q, want %q", c.p, got, c.want)
		}
	}
	ps := scenarios.Problems{{File: "a", Line: 2, Msg: "y"}, {File: "a", Line: 1, Msg: "x"}, {File: "a", Line: 2, Msg: "y"}}.Sort()
	if got, want := ps.Error(), "a:1: x\na:2: y"; got != want {
		t.Errorf("sorted Problems = %q, want %q", got, want)
	}
}

// TestValidateInCode checks Validate on a scenario built without a file:
// problems carry paths but no positions.
func TestValidateInCode(t *testing.T) {
	s, err := Resolve("erlang")
	if err != nil {
		t.Fatal(err)
	}
	s.Source = nil
	s.Populations[0].JoinsPerSecond = -1
	s.Datacenters[0].Capacity.Media = new(scenarios.Capacity(-5))
	ps := validate.Scenario(s)
	want := "datacenters[0].capacity.media: must not be negative, got -5\npopulations[0].joins_per_second: must be greater than 0, got -1"
	if ps.Error() != want {
		t.Errorf("got\n%v\nwant\n%s", ps, want)
	}
}

// TestProblemsAreBounded checks that a file with thousands of mistakes
// reports the first thousand and counts the rest: 3000 bad regions and
// 5 missing sections.
func TestProblemsAreBounded(t *testing.T) {
	src := "name: many\nregions:\n" + strings.Repeat("  - not a region\n", 3000)
	_, err := Load("many.yaml", []byte(src))
	var ps scenarios.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("got %v, want Problems", err)
	}
	if len(ps) != scenarios.MaxProblems+1 {
		t.Fatalf("got %d problems, want %d", len(ps), scenarios.MaxProblems+1)
	}
	if got, want := ps[len(ps)-1].Error(), "many.yaml: 2005 more problems not shown"; got != want {
		t.Errorf("the last line is %q, want %q", got, want)
	}
}
