package format

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"pgregory.net/rapid"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/internal/scenariotest"
	"github.com/geofence/geofence/scenarios/validate"
)

// overrideStory runs a story of testdata/override. Commands:
//
//	scenario        load the input (as test.yaml) as the scenario the next
//	                commands change; print ok or the problems
//	apply [origin=O]
//	                parse each line of the input as an override written at
//	                O (--set when not given), apply them all to the
//	                scenario, and print each value that changed, or the
//	                problems
//	scale k=K       apply Scaled(K) and print what changed, or the problems
//	words           after apply, print each override applied in words, and
//	                what of the world it changes, if anything
//	pos             after apply or scale, print for each path in the input
//	                where Source.Pos puts it, or the override that set it
func overrideStory() scenariotest.Run {
	var base, last *scenarios.Scenario
	return func(t *testing.T, d *datadriven.TestData) string {
		switch d.Cmd {
		case "scenario":
			var err error
			base, err = Load("test.yaml", []byte(d.Input+"\n"))
			return report(t, err)
		case "apply":
			origin := "--set"
			d.MaybeScanArgs(t, "origin", &origin)
			var overrides []scenarios.Override
			var problems scenarios.Problems
			for line := range strings.Lines(d.Input) {
				o, err := ParseOverride(strings.TrimSuffix(line, "\n"), origin)
				if err != nil {
					problems = append(problems, err.(scenarios.Problems)...)
					continue
				}
				overrides = append(overrides, o)
			}
			if len(problems) > 0 {
				return problems.Error() + "\n"
			}
			var err error
			last, err = With(base, overrides)
			return changes(t, base, last, err)
		case "scale":
			var k float64
			d.ScanArgs(t, "k", &k)
			var err error
			last, err = Scaled(base, k)
			return changes(t, base, last, err)
		case "words":
			var b strings.Builder
			for _, o := range last.Source.Overrides {
				fmt.Fprintf(&b, "%s: %s", o, Words(last, o))
				if world := DescribesWorld(o.Path); world != "" {
					fmt.Fprintf(&b, " [world: %s]", world)
				}
				b.WriteString("\n")
			}
			return b.String()
		case "pos":
			var b strings.Builder
			for line := range strings.Lines(d.Input) {
				p := strings.TrimSuffix(line, "\n")
				if o, ok := last.Source.OverriddenBy(p); ok {
					fmt.Fprintf(&b, "%s: set by %s at %s\n", p, o, o.Origin)
					continue
				}
				pos := last.Source.Pos(p)
				fmt.Fprintf(&b, "%s: %d:%d\n", p, pos.Line, pos.Column)
			}
			return b.String()
		}
		d.Fatalf(t, "unknown command %q", d.Cmd)
		return ""
	}
}

// changes prints the values that differ between before and after, or the
// problems of err. It fails the test if With changed before.
func changes(t *testing.T, before, after *scenarios.Scenario, err error) string {
	t.Helper()
	if err != nil {
		return report(t, err)
	}
	if before == after {
		t.Fatal("With returned the scenario it was given")
	}
	was, is := flatten(before), flatten(after)
	paths := slices.AppendSeq(slices.Collect(maps.Keys(was)), maps.Keys(is))
	slices.Sort(paths)
	paths = slices.Compact(paths)
	var b strings.Builder
	for _, p := range paths {
		x, inBefore := was[p]
		y, inAfter := is[p]
		switch {
		case !inAfter:
			fmt.Fprintf(&b, "- %s: %s\n", p, x)
		case !inBefore:
			fmt.Fprintf(&b, "+ %s: %s\n", p, y)
		case x != y:
			fmt.Fprintf(&b, "  %s: %s -> %s\n", p, x, y)
		}
	}
	if b.Len() == 0 {
		return "no change\n"
	}
	return b.String()
}

// flatten lists every value of s that is set, by its path, a list of
// scalars counting as one value.
func flatten(s *scenarios.Scenario) map[string]string {
	out := map[string]string{}
	var walk func(path string, v reflect.Value)
	walk = func(path string, v reflect.Value) {
		switch v.Kind() {
		case reflect.Pointer:
			if !v.IsNil() {
				walk(path, v.Elem())
			}
		case reflect.Struct:
			if v.Type() == momentType {
				out[path] = scalar(v)
				return
			}
			for _, f := range scenarios.FieldsOf(v.Type()) {
				walk(scenarios.Join(path, f.Name), v.FieldByIndex(f.Index))
			}
		case reflect.Map:
			for _, k := range sortedMapKeys(v) {
				walk(scenarios.Join(path, k.String()), v.MapIndex(k))
			}
		case reflect.Slice:
			if v.Len() == 0 {
				return
			}
			if k := v.Type().Elem().Kind(); k != reflect.Struct {
				items := make([]string, v.Len())
				for i := range v.Len() {
					items[i] = scalar(v.Index(i))
				}
				out[path] = "[" + strings.Join(items, ", ") + "]"
				return
			}
			for i := range v.Len() {
				walk(scenarios.Index(path, i), v.Index(i))
			}
		default:
			if !v.IsZero() || v.Kind() == reflect.Int || v.Kind() == reflect.Uint64 {
				out[path] = scalar(v)
			}
		}
	}
	walk("", reflect.ValueOf(s).Elem())
	return out
}

// scalar formats a value as the scenario format writes it.
func scalar(v reflect.Value) string {
	switch x := v.Interface().(type) {
	case scenarios.Duration:
		return x.String()
	case scenarios.Moment:
		return x.String()
	case scenarios.Capacity:
		return x.String()
	case scenarios.Offset:
		return scenarios.Duration(x).String()
	case float64:
		return strconv.FormatFloat(x, 'g', -1, 64)
	case scenarios.Probability:
		return strconv.FormatFloat(float64(x), 'g', -1, 64)
	}
	return fmt.Sprint(v.Interface())
}

// TestOverrideLeavesTheOriginal checks that With copies: changing the
// copy's lists, maps and pointers leaves the original as it was.
func TestOverrideLeavesTheOriginal(t *testing.T) {
	s, err := Resolve("zoom-2020-04")
	if err != nil {
		t.Fatal(err)
	}
	before := flatten(s)
	var overrides []scenarios.Override
	for _, text := range []string{
		"datacenters[us-sjc].capacity.media=3000",
		"routing.whitelists[intl-backup]-=cn-bj-1",
		"routing.routes[us].media.secondaries.picks=3",
		"datacenters[us-den].timeline+={at: 20h, state: down}",
		"populations[us-free].surges[0].factor=1.5",
	} {
		o, err := ParseOverride(text, "--set")
		if err != nil {
			t.Fatal(err)
		}
		overrides = append(overrides, o)
	}
	if _, err := With(s, overrides); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(flatten(s), before) {
		t.Error("With changed the scenario it was given")
	}
	if len(s.Source.Overrides) != 0 {
		t.Error("With recorded overrides in the original's Source")
	}
}

// TestOverrideProblemsAreProblems checks that every error of With and
// ParseOverride is Problems located at the override's origin.
func TestOverrideProblemsAreProblems(t *testing.T) {
	s, err := Resolve("erlang")
	if err != nil {
		t.Fatal(err)
	}
	_, err = ParseOverride("run.horizon", "study.yaml:3:9")
	var ps scenarios.Problems
	if !errors.As(err, &ps) || ps[0].File != "study.yaml" || ps[0].Line != 3 || ps[0].Column != 9 {
		t.Errorf("ParseOverride without an operation gives %#v", err)
	}
	_, err = With(s, []scenarios.Override{{Path: "run.horizon", Op: "=", Value: "-1s", Origin: "study.yaml:4:7"}})
	if !errors.As(err, &ps) || ps[0].File != "study.yaml" || ps[0].Line != 4 || ps[0].Column != 7 {
		t.Errorf("With of a bad value gives %#v", err)
	}
}

// TestOverrideSetsWhatItSays is a property: on zoom-2020-04, applying
// PATH=VALUE to a random value and reading PATH back gives VALUE, and
// With(nil) gives a scenario equal to the original.
func TestOverrideSetsWhatItSays(t *testing.T) {
	s, err := Resolve("zoom-2020-04")
	if err != nil {
		t.Fatal(err)
	}
	same, err := With(s, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(flatten(same), flatten(s)) || !reflect.DeepEqual(same.Source.Positions(), s.Source.Positions()) {
		t.Error("With(nil) differs from the original")
	}
	var dcs, pops, regions, routes []string
	for _, d := range s.Datacenters {
		dcs = append(dcs, string(d.ID))
	}
	for _, p := range s.Populations {
		pops = append(pops, string(p.ID))
	}
	for _, r := range s.Regions {
		regions = append(regions, string(r.ID))
	}
	for i := range s.Routing.Routes {
		if s.Routing.Routes[i].Media.Secondaries != nil {
			k, _ := itemKey(reflect.ValueOf(s.Routing.Routes[i]))
			routes = append(routes, k)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		var path, value string
		var want any
		switch rapid.IntRange(0, 6).Draw(t, "kind") {
		case 0:
			n := rapid.Int64Range(1, 100_000).Draw(t, "capacity")
			path, value, want = "datacenters["+rapid.SampledFrom(dcs).Draw(t, "dc")+"].capacity.media", strconv.FormatInt(n, 10), scenarios.Capacity(n)
		case 1:
			x := rapid.Float64Range(0.001, 10).Draw(t, "rate")
			path, value, want = "populations["+rapid.SampledFrom(pops).Draw(t, "pop")+"].joins_per_second", strconv.FormatFloat(x, 'g', -1, 64), x
		case 2:
			n := rapid.IntRange(3600, 30*86400).Draw(t, "seconds") // from 1h: the lognormal sds of up to 40m stay within 100 times the mean
			path, value, want = "populations["+rapid.SampledFrom(pops).Draw(t, "pop")+"].holding.mean", strconv.Itoa(n)+"s", scenarios.Duration(n)
		case 3:
			n := rapid.IntRange(1, validate.MaxPicks).Draw(t, "picks")
			path, value, want = "routing.routes["+rapid.SampledFrom(routes).Draw(t, "route")+"].media.secondaries.picks", strconv.Itoa(n), n
		case 4:
			n := rapid.IntRange(3, 366*24).Draw(t, "hours")
			path, value, want = "run.horizon", strconv.Itoa(n)+"h", scenarios.Duration(n*3600)
		case 5:
			n := rapid.IntRange(0, 1000).Draw(t, "ms")
			path = "datacenters[" + rapid.SampledFrom(dcs).Draw(t, "dc") + "].rtt[" + rapid.SampledFrom(regions).Draw(t, "region") + "]"
			value, want = strconv.Itoa(n)+"ms", scenarios.Duration(float64(n)/1000)
		case 6:
			n := rapid.Uint64().Draw(t, "seed")
			path, value, want = "run.seed", strconv.FormatUint(n, 10), n
		}
		o, err := ParseOverride(path+"="+value, "--set")
		if err != nil {
			t.Fatal(err)
		}
		c, err := With(s, []scenarios.Override{o})
		if err != nil {
			t.Fatalf("%s: %v", o, err)
		}
		steps, _ := parsePath(o.Path)
		at, p := resolveSlot(c, steps, scenarios.Override{Path: o.Path, Op: opScale})
		if p != nil {
			t.Fatalf("%s: reading it back: %v", o, p)
		}
		got := at.get()
		if got.Kind() == reflect.Pointer {
			got = got.Elem()
		}
		if !reflect.DeepEqual(got.Interface(), want) {
			t.Fatalf("%s: reads back %v, want %v", o, got.Interface(), want)
		}
	})
}

// An override's path has one canonical form: a map's entry after a dot
// or in brackets is the same path, keys end up in brackets, and a path
// that names nothing is kept as written for applying it to explain.
func TestCanonicalPath(t *testing.T) {
	for path, want := range map[string]string{
		"routing.whitelists.intl":                  "routing.whitelists[intl]",
		"routing.whitelists[intl]":                 "routing.whitelists[intl]",
		"routing.whitelists.intl[0]":               "routing.whitelists[intl][0]",
		"datacenters[us-sjc].rtt.us":               "datacenters[us-sjc].rtt[us]",
		"jurisdictions.groups.eu":                  "jurisdictions.groups[eu]",
		"datacenters[us-sjc].capacity.media":       "datacenters[us-sjc].capacity.media",
		"populations[p].surges[0].factor":          "populations[p].surges[0].factor",
		"populations[p].surges.0":                  "populations[p].surges.0", // a list's items only in brackets
		"routing.whitelistz.intl":                  "routing.whitelistz.intl",
		"run.horizon.x.y":                          "run.horizon.x.y",
		"routing.whitelists[a.b].x":                "routing.whitelists[a.b].x",
		"datacenters[us-sjc].capacity[media]":      "datacenters[us-sjc].capacity[media]",
		"routing.routes[us/free].media.attempts":   "routing.routes[us/free].media.attempts",
		"datacenters[d].timeline[0].capacity.keys": "datacenters[d].timeline[0].capacity.keys",
	} {
		got, err := canonicalPath(path)
		if err != nil || got != want {
			t.Errorf("canonicalPath(%q) = %q, %v; want %q", path, got, err, want)
		}
		o, err := ParseOverride(path+"=1", "--set")
		if err != nil || o.Path != want {
			t.Errorf("ParseOverride(%q) records %q, %v; want %q", path+"=1", o.Path, err, want)
		}
	}
}
