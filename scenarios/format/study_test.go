package format

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
)

// runStudy runs the stories in testdata/study: each loads the study file
// given as input, as study.yaml in this directory. Commands:
//
//	study    print the scenario it names, as Resolve takes it, and its
//	         points, one line each, every override with its origin (a
//	         condition after "when"); or the problems
//	points   apply each point's overrides to the scenario and print ok or
//	         the problems of each point
func runStudy(t *testing.T, d *datadriven.TestData) string {
	st, err := LoadStudy("study.yaml", []byte(d.Input+"\n"))
	if err != nil {
		return report(t, err)
	}
	var b strings.Builder
	switch d.Cmd {
	case "study":
		fmt.Fprintf(&b, "scenario %s, %d points\n", st.ScenarioRef(), st.NumPoints())
		for i, point := range st.Points() {
			texts := make([]string, len(point))
			for j, o := range point {
				texts[j] = fmt.Sprintf("%s (%s)", o, o.Origin)
				if o.Condition {
					texts[j] = "when " + texts[j]
				}
			}
			fmt.Fprintf(&b, "%d: %s\n", i, strings.Join(texts, "; "))
		}
	case "points":
		s, err := Resolve(st.ScenarioRef())
		if err != nil {
			t.Fatal(err)
		}
		for i, point := range st.Points() {
			_, err := With(s, point)
			fmt.Fprintf(&b, "%d: %s", i, report(t, err))
		}
	default:
		d.Fatalf(t, "unknown command %q", d.Cmd)
	}
	return b.String()
}
