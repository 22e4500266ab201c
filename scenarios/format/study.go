package format

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/validate"
)

// Study is a sweep over one scenario, read from a study file: fixed
// conditions and overrides, and axes of values whose cartesian product
// gives the points of the sweep, each a list of overrides (see Points).
// Every point runs with the same seed and replications, so that
// differences between points are paired.
type Study struct {
	Scenario     string   `yaml:"scenario" doc:"A built-in scenario's name, or a scenario file relative to this study file."`
	When         []string `yaml:"when,omitempty" doc:"Conditions of the world at every point (an outage, a load: PATH=VALUE as --when takes them, e.g. load[jurisdiction:EU]=1.2), applied first; reports say them in words as conditions."`
	Set          []string `yaml:"set,omitempty" doc:"Overrides applied at every point, after the conditions and before the axes' (PATH=VALUE, PATH*=VALUE, PATH+=VALUE or PATH-=VALUE, as --set takes them)."`
	Axes         []Axis   `yaml:"axes" doc:"What varies: the points are every combination of one value of each axis, the first axis outermost; the axes of a zip move together. At most 10000 points."`
	Replications *int     `yaml:"replications,omitempty" doc:"Replications at every point, 2 to 10000; the scenario's run.replications when absent."`
	Seed         *uint64  `yaml:"seed,omitempty" doc:"Master seed of every point; the scenario's run.seed when absent."`

	// Source is set by the loader.
	Source *scenarios.Source `yaml:"-"`
}

// Axis is one dimension of a study: a value of the scenario and the values
// it takes, or a zip of axes that move together, point k taking the k-th
// value of each.
type Axis struct {
	Set    string      `yaml:"set,omitempty" doc:"The value the axis varies, named as an override's path, e.g. populations[us-free].surges[0].factor, or load[jurisdiction:EU] for the join rates of the populations a selector picks (see geofence help set). Instead of zip."`
	Values []ValueText `yaml:"values,omitempty" doc:"The values it takes, in order, each written as it would be after = in an override; no two alike."`
	Zip    []Axis      `yaml:"zip,omitempty" doc:"Axes that move together, not crossed: the k-th value of each at once, so that each needs as many values as the first (e.g. two populations' loads raised together). Instead of set and values."`
}

// Varied lists the axes that vary a value, a zip's each in turn, with the
// index of the zip it is in (from 1; 0 for none): the columns of a report.
func (st *Study) Varied() (axes []Axis, zips []int) {
	for a, axis := range st.Axes {
		if axis.Zip == nil {
			axes, zips = append(axes, axis), append(zips, 0)
			continue
		}
		for _, member := range axis.Zip {
			axes, zips = append(axes, member), append(zips, a+1)
		}
	}
	return axes, zips
}

// length is how many values the axis takes: a zip's, its first axis's.
func (a Axis) length() int {
	if a.Zip != nil {
		return len(a.Zip[0].Values)
	}
	return len(a.Values)
}

// ValueText is a YAML value kept as its text: a scalar as written (1.0
// stays 1.0, "NO" keeps its quotes), a list or mapping in flow style. It
// becomes an override's value, read when the override is applied, and is
// what a report shows for the value.
type ValueText string

// maxPoints bounds the points of a study.
const maxPoints = 10_000

// LoadStudy decodes and validates a study file's bytes, with the same
// strict decoder as scenarios; file names it in problems. Any error is
// Problems, listing everything wrong at once. The scenario it names is
// not loaded, only looked for: see ScenarioRef.
func LoadStudy(file string, data []byte) (*Study, error) {
	return loadStudy(file, data, nil)
}

// loadStudy is LoadStudy with a check of its own (nil for none), as load
// has for scenarios.
func loadStudy(file string, data []byte, check func(*Study, *validate.Checker)) (*Study, error) {
	var st Study
	d, err := decodeFile(file, data, "study", &st)
	if err != nil {
		return nil, err
	}
	st.Source = d.source(data, nil)
	if !d.exhausted && d.Dropped == 0 {
		c := validate.NewChecker(&d.Collector, st.Source, d.List)
		st.validate(c)
		if check != nil {
			check(&st, c)
		}
	}
	if len(d.List) > 0 {
		return nil, d.Report(file)
	}
	return &st, nil
}

// LoadStudyFile reads and loads the study file at path; it refuses, as
// LoadFile does, anything but a regular file.
func LoadStudyFile(path string) (*Study, error) {
	return LoadStudyContext(context.Background(), path)
}

// LoadStudyContext loads the study file ref names: a path, or a file at a
// revision (git:REV:PATH) read as ResolveContext reads a scenario, whose
// scenario, when a relative path, is the file at the same revision and
// must be there. It stops git when ctx is done.
func LoadStudyContext(ctx context.Context, ref string) (*Study, error) {
	check := func(st *Study, c *validate.Checker) {
		if at, ok := scenarios.ParseRevisionRef(st.ScenarioRef()); ok {
			if msg := missingAt(ctx, at); msg != "" {
				c.Add("scenario", "%s", msg)
			}
		}
	}
	if r, ok := scenarios.ParseRevisionRef(ref); ok {
		data, err := readRevisionRef(ctx, ref, r)
		if err != nil {
			return nil, err
		}
		return loadStudy(ref, data, check)
	}
	data, err := readRegular(ref, "study", maxFileSize)
	if err != nil {
		return nil, err
	}
	return loadStudy(ref, data, check)
}

// ScenarioRef is the study's scenario as Resolve takes it: a built-in's
// name as it is, a file relative to the study file's directory.
func (st *Study) ScenarioRef() string {
	return (&scenarios.Scenario{Source: st.Source}).ResolveRelative(st.Scenario)
}

// NumPoints is the number of points of the study: the product of the
// axes' lengths.
func (st *Study) NumPoints() int {
	n := 1
	for _, a := range st.Axes {
		n *= a.length()
	}
	return n
}

// Fixed returns the overrides every point starts with: the study's
// conditions (when), then its set, each with its origin at its place in
// the study file.
func (st *Study) Fixed() []scenarios.Override {
	var fixed []scenarios.Override
	for _, list := range []struct {
		name      string
		texts     []string
		condition bool
	}{{"when", st.When, true}, {"set", st.Set, false}} {
		for i, text := range list.texts {
			o, _ := ParseOverride(text, st.origin(scenarios.Index(list.name, i))) // validated by LoadStudy
			o.Condition = list.condition
			fixed = append(fixed, o)
		}
	}
	return fixed
}

// Points returns the overrides of each point, in order: the first axis
// outermost, the last varying fastest. A point's overrides are the
// study's Fixed, then one value of each axis in axis order (of a zip, the
// same value of each of its axes), each with its origin at its place in
// the study file (FILE:LINE:COLUMN), where its problems will be located.
func (st *Study) Points() [][]scenarios.Override {
	fixed := st.Fixed()
	// dims[a][k] are the overrides of value k of axis a: one, or a zip's.
	dims := make([][][]scenarios.Override, len(st.Axes))
	for a, axis := range st.Axes {
		members, at := []Axis{axis}, []string{scenarios.Index("axes", a)}
		if axis.Zip != nil {
			members, at = axis.Zip, nil
			for z := range axis.Zip {
				at = append(at, scenarios.Index(scenarios.Join(scenarios.Index("axes", a), "zip"), z))
			}
		}
		dims[a] = make([][]scenarios.Override, axis.length())
		for m, member := range members {
			path, _ := canonicalPath(member.Set) // validated by LoadStudy
			for v, value := range member.Values {
				origin := st.origin(scenarios.Index(scenarios.Join(at[m], "values"), v))
				dims[a][v] = append(dims[a][v], scenarios.Override{Path: path, Op: opSet, Value: string(value), Origin: origin})
			}
		}
	}
	points := make([][]scenarios.Override, st.NumPoints())
	for i := range points {
		var chosen [][]scenarios.Override
		rest := i
		for a := len(dims) - 1; a >= 0; a-- {
			chosen = append(chosen, dims[a][rest%len(dims[a])])
			rest /= len(dims[a])
		}
		slices.Reverse(chosen)
		points[i] = slices.Concat(append([][]scenarios.Override{fixed}, chosen...)...)
	}
	return points
}

// origin is FILE:LINE:COLUMN of the value at path in the study file.
func (st *Study) origin(path string) string {
	pos := st.Source.Pos(path)
	return fmt.Sprintf("%s:%d:%d", st.Source.File, pos.Line, pos.Column)
}

// validate checks the study: a scenario that exists, overrides and axis
// paths that parse, axes that vary values apart from each other and from
// the fixed overrides, zips whose axes move together, values that differ,
// a bounded number of points.
func (st *Study) validate(c *validate.Checker) {
	if msg := validate.MissingReference(st.Scenario, st.ScenarioRef(), false); msg != "" {
		c.Add("scenario", "%s", msg)
	}
	var fixed []namedSteps
	for _, list := range []struct {
		name  string
		texts []string
	}{{"when", st.When}, {"set", st.Set}} {
		for i, text := range list.texts {
			at := scenarios.Index(list.name, i)
			o, err := ParseOverride(text, "")
			if err != nil {
				c.Add(at, "%s", err.(scenarios.Problems)[0].Msg)
				continue
			}
			steps, _ := canonicalSteps(o.Path)
			fixed = append(fixed, namedSteps{at, steps})
		}
	}
	if len(st.Axes) == 0 {
		c.Add("axes", "at least one axis is needed")
	}
	var varied []namedSteps
	points := 1
	for a, axis := range st.Axes {
		path := scenarios.Index("axes", a)
		if axis.Zip == nil {
			st.validateAxis(c, path, axis, fixed, &varied)
			points = min(points*max(len(axis.Values), 1), maxPoints+1)
			continue
		}
		if axis.Set != "" || axis.Values != nil {
			c.Add(path, "a zip gives its axes; set and values go in each of them")
		}
		if len(axis.Zip) < 2 {
			c.Add(scenarios.Join(path, "zip"), "a zip moves two axes or more together; give one axis as it is")
		}
		for z, member := range axis.Zip {
			at := scenarios.Index(scenarios.Join(path, "zip"), z)
			if member.Zip != nil {
				c.Add(scenarios.Join(at, "zip"), "a zip's axes vary one value each; a zip in a zip is one zip")
				continue
			}
			st.validateAxis(c, at, member, fixed, &varied)
			if n := len(axis.Zip[0].Values); z > 0 && len(member.Values) != n && len(member.Values) > 0 {
				c.Add(scenarios.Join(at, "values"), "the axes of a zip move together: give each as many values as the first (%d), not %d", n, len(member.Values))
			}
		}
		if len(axis.Zip) > 0 {
			points = min(points*max(len(axis.Zip[0].Values), 1), maxPoints+1)
		}
	}
	if points > maxPoints {
		c.Add("axes", "the axes give %s points; at most %d are allowed", st.pointCount(), maxPoints)
	}
	if r := st.Replications; r != nil && (*r < 2 || *r > validate.MaxReplications) {
		c.Add("replications", "must be between 2 and %d, got %d", validate.MaxReplications, *r)
	}
}

// namedSteps is the path of a fixed override or an axis, and where the
// study writes it (set[1], axes[0], axes[2].zip[1]).
type namedSteps struct {
	at    string
	steps []step
}

// validateAxis checks an axis that varies one value, at path: a path that
// parses and does not overlap the fixed overrides or the axes before it
// (varied, to which it adds itself), values that differ.
func (st *Study) validateAxis(c *validate.Checker, path string, axis Axis, fixed []namedSteps, varied *[]namedSteps) {
	steps, err := canonicalSteps(axis.Set)
	switch {
	case axis.Set == "":
		c.Add(scenarios.Join(path, "set"), "name the value the axis varies (or give a zip of axes)")
	case err != nil:
		c.Add(scenarios.Join(path, "set"), "%v", err)
	default:
		if msg := st.overlap(steps, fixed, *varied); msg != "" {
			c.Add(scenarios.Join(path, "set"), "%s", msg)
		} else {
			*varied = append(*varied, namedSteps{path, steps})
		}
	}
	if len(axis.Values) == 0 {
		c.Add(scenarios.Join(path, "values"), "an axis needs at least one value")
	}
	firsts := map[ValueText]int{}
	for v, value := range axis.Values {
		if first, dup := firsts[value]; dup {
			c.Add(scenarios.Index(scenarios.Join(path, "values"), v), "%s is value %d already", scenarios.Clip(string(value)), first)
			continue
		}
		firsts[value] = v
	}
}

// overlap says why an axis varying the value at steps cannot go with the
// study's fixed overrides (fixed) or its earlier axes (varied), or ""
// when it can. A point runs the fixed overrides, then one value of each
// axis in order; an override at or within the value an axis sets would
// be replaced at every point, and two axes of which one varies part of
// the other would label points with values they never ran (or the same
// figures with different labels). A fixed override that holds the axis's
// value, such as one adding the datacenter whose capacity it varies, is
// fine: the axis's value is set after it.
func (st *Study) overlap(steps []step, fixed, varied []namedSteps) string {
	shown := formatPath(steps)
	load := func(s []step) bool { return len(s) > 0 && s[0].name == LoadPath }
	for _, other := range varied {
		switch {
		case load(steps) || load(other.steps):
			// Loads multiply join rates: two of them, or a load and a rate,
			// both run at every point, each as labelled.
			if slices.Equal(steps, other.steps) {
				return fmt.Sprintf("%s varies %s already: vary it in one axis", other.at, shown)
			}
		case slices.Equal(steps, other.steps):
			return fmt.Sprintf("%s varies %s already (one value, however its path is written): vary it in one axis", other.at, shown)
		case within(steps, other.steps):
			return fmt.Sprintf("%s is part of %s, which %s varies: a point would run this axis's value in place of part of that one's, "+
				"and be labelled with a value it did not run; vary them in one axis, or only one of them", shown, formatPath(other.steps), other.at)
		case within(other.steps, steps):
			return fmt.Sprintf("%s holds %s, which %s varies: a point would run that axis's value in place of part of this one's, "+
				"and be labelled with a value it did not run; vary them in one axis, or only one of them", shown, formatPath(other.steps), other.at)
		}
	}
	for _, other := range fixed {
		if other.steps != nil && !load(steps) && within(other.steps, steps) {
			return fmt.Sprintf("%s changes %s, which this axis replaces at every point, so the change would never run: "+
				"drop it from %s, or make it part of the axis's values", other.at, formatPath(other.steps), strings.TrimSuffix(other.at, other.at[strings.IndexByte(other.at, '['):]))
		}
	}
	return ""
}

// pointCount writes the number of points as a product, for a message
// about too many: 3 × 4 × 1000 = 12000.
func (st *Study) pointCount() string {
	factors := make([]string, len(st.Axes))
	total := 1.0
	for i, a := range st.Axes {
		factors[i] = fmt.Sprint(a.length())
		total *= float64(a.length())
	}
	return strings.Join(factors, " × ") + " = " + scenarios.Readable(total)
}

// valueText is the text of a YAML value for ValueText: a plain scalar as
// written, anything else as YAML in flow style.
func valueText(n *yaml.Node) string {
	n = target(n)
	if n.Kind == yaml.ScalarNode && n.Style&(yaml.TaggedStyle|yaml.DoubleQuotedStyle|yaml.SingleQuotedStyle|yaml.LiteralStyle|yaml.FoldedStyle) == 0 {
		return n.Value
	}
	flow := *n
	flow.Style |= yaml.FlowStyle
	flow.HeadComment, flow.LineComment, flow.FootComment = "", "", ""
	out, err := yaml.Marshal(&flow)
	if err != nil {
		return n.Value
	}
	return strings.TrimSuffix(string(out), "\n")
}
