package study

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"

	"pgregory.net/rapid"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
)

// overlapScenario is a small system in which every value the axes below
// set changes the figures: capacity and load decide blocking and the
// overflow to China.
const overlapScenario = `name: overlap
regions: [{id: na}]
datacenters:
  - {id: us-1, region: na, jurisdiction: US, capacity: {media: 10}, rtt: {na: 20ms}}
  - {id: us-2, region: na, jurisdiction: US, capacity: {media: 4}, rtt: {na: 30ms}}
  - {id: cn-1, region: na, jurisdiction: CN, capacity: {media: unlimited}, rtt: {na: 180ms}}
populations:
  - {id: us-free, region: na, jurisdiction: US, plan: free, joins_per_second: 0.1, holding: {distribution: exponential, mean: 100s}}
routing:
  whitelists: {intl: [cn-1]}
  routes:
    - {region: na, media: {primaries: [us-1], secondaries: {whitelist: intl}}, keys: {custody: client}}
policy:
  - select: {}
    allow: {media: [US], keys: [US], connector: [US]}
run: {horizon: 1h, warmup: 5m, replications: 2, seed: 3}
`

// overlapAxes are the axes a random study draws from: values and parts
// of them, one map entry in both its spellings, each with values that
// differ from one another and from the scenario's.
var overlapAxes = []struct {
	path   string
	values []string
}{
	{"datacenters[us-1].capacity", []string{"{media: 3}", "{media: 14}"}},
	{"datacenters[us-1].capacity.media", []string{"6", "20"}},
	{"datacenters[us-1]", []string{"{id: us-1, region: na, jurisdiction: US, capacity: {media: 2}, rtt: {na: 20ms}}"}},
	{"routing.whitelists[intl]", []string{"[us-2]", "[us-2, cn-1]"}},
	{"routing.whitelists.intl", []string{"[cn-1, us-2]"}},
	{"populations[us-free].joins_per_second", []string{"0.05", "0.2"}},
	{"populations[us-free].holding", []string{"{distribution: deterministic, mean: 60s}"}},
	{"populations[us-free].holding.mean", []string{"30s", "200s"}},
}

// overlapSets are the fixed overrides a random study draws from.
var overlapSets = []string{
	"datacenters[us-1].capacity.media=7",
	"populations[us-free].joins_per_second*=2",
	"routing.whitelists.intl+=us-2",
	"datacenters[us-2].capacity.media=1",
}

// For random axes that may overlap — a value and a part of it, one path
// in two spellings, an axis over a fixed override — the sweep is either
// refused, located in the study file, or every point's figures are those
// `geofence run --set` gives for the point's overrides, and the same
// whatever order its axes' overrides are applied in: no axis hides
// another's value, so every label names what ran.
func TestSweepOverlappingAxes(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "overlap.yaml"), []byte(overlapScenario), 0o644); err != nil {
		t.Fatal(err)
	}
	studyFile := filepath.Join(dir, "study.yaml")
	ctx := context.Background()
	refused, ran := 0, 0
	rapid.Check(t, func(t *rapid.T) {
		var b strings.Builder
		b.WriteString("scenario: overlap.yaml\n")
		sets := rapid.SliceOfNDistinct(rapid.SampledFrom(overlapSets), 0, 2, rapid.ID[string]).Draw(t, "set")
		if len(sets) > 0 {
			quoted, _ := json.Marshal(sets)
			fmt.Fprintf(&b, "set: %s\n", quoted)
		}
		b.WriteString("axes:\n")
		axes := rapid.IntRange(1, 3).Draw(t, "axes")
		for a := range axes {
			axis := overlapAxes[rapid.IntRange(0, len(overlapAxes)-1).Draw(t, fmt.Sprint("axis ", a))]
			fmt.Fprintf(&b, "  - {set: %q, values: [%s]}\n", axis.path, strings.Join(axis.values, ", "))
		}
		st, err := format.LoadStudy(studyFile, []byte(b.String()))
		if err == nil {
			_, err = Sweep(ctx, st, Changes{}, SweepOptions{})
			if err == nil {
				ran++
				checkPointsAreRuns(t, st, axes)
				return
			}
		}
		var problems scenarios.Problems
		if !errors.As(err, &problems) {
			t.Fatalf("study\n%s: refused without problems: %v", b.String(), err)
		}
		for _, p := range problems {
			if p.File != studyFile || p.Line == 0 {
				t.Fatalf("study\n%s: a problem not located in the study file: %v", b.String(), p)
			}
		}
		refused++
	})
	t.Logf("%d studies refused, %d ran", refused, ran)
	if refused == 0 || ran == 0 {
		t.Errorf("%d studies refused, %d ran: the property was tested on one side only", refused, ran)
	}
}

// checkPointsAreRuns runs each point of st, a study of the given number
// of axes, as `geofence run --set` would with the point's overrides, in
// order and with the axes' reversed, and compares the figures with the
// sweep's.
func checkPointsAreRuns(t *rapid.T, st *format.Study, axes int) {
	ctx := context.Background()
	sw, err := Sweep(ctx, st, Changes{}, SweepOptions{})
	if err != nil {
		t.Fatal(err)
	}
	for i, pt := range sw.Points {
		fixed := len(pt.Overrides) - axes
		reversed := slices.Clone(pt.Overrides)
		slices.Reverse(reversed[fixed:])
		var scenariosRun []*scenarios.Scenario
		for _, set := range [][]string{pt.Overrides, reversed} {
			s, err := Load(ctx, st.ScenarioRef(), Changes{Set: set})
			if err != nil {
				t.Fatalf("point %d (%v): run --set %q: %v", i, pt.Values, set, err)
			}
			r, err := Run(ctx, s, Options{})
			if err != nil {
				t.Fatal(err)
			}
			want, _ := json.Marshal([]any{r.Headline, r.Total, r.Populations})
			got, _ := json.Marshal([]any{pt.Headline, pt.Total, pt.Populations})
			if string(got) != string(want) {
				t.Fatalf("point %d (%v): the sweep's figures differ from run --set %q", i, pt.Values, set)
			}
			s.Source = nil
			scenariosRun = append(scenariosRun, s)
		}
		if !reflect.DeepEqual(scenariosRun[0], scenariosRun[1]) {
			t.Fatalf("point %d (%v): its axes' overrides give another scenario in reverse order: one hides another", i, pt.Values)
		}
	}
}
