package format

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/geofence/geofence/scenarios"
)

// Study is a sweep over one scenario, read from a study file: fixed
// overrides, and axes of values whose cartesian product gives the points
// of the sweep, each a list of overrides (see Points). Every point runs
// with the same seed and replications, so that differences between
// points are paired.
type Study struct {
	Scenario     string   `yaml:"scenario" doc:"A built-in scenario's name, or a scenario file relative to this study file."`
	Set          []string `yaml:"set,omitempty" doc:"Overrides applied at every point, before the axes' (PATH=VALUE, PATH*=VALUE, PATH+=VALUE or PATH-=VALUE, as --set takes them)."`
	Axes         []Axis   `yaml:"axes" doc:"What varies: the points are every combination of one value of each axis, the first axis outermost. At most 10000 points."`
	Replications *int     `yaml:"replications,omitempty" doc:"Replications at every point, 2 to 10000; the scenario's run.replications when absent."`
	Seed         *uint64  `yaml:"seed,omitempty" doc:"Master seed of every point; the scenario's run.seed when absent."`

	// Source is set by the loader.
	Source *scenarios.Source `yaml:"-"`
}

// Axis is one dimension of a study: a value of the scenario and the values
// it takes.
type Axis struct {
	Set    string      `yaml:"set" doc:"The value the axis varies, named as an override's path, e.g. populations[us-free].surges[0].factor."`
	Values []ValueText `yaml:"values" doc:"The values it takes, in order, each written as it would be after = in an override; no two alike."`
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
func loadStudy(file string, data []byte, check func(*Study, *scenarios.Checker)) (*Study, error) {
	var st Study
	d, err := decodeFile(file, data, "study", &st)
	if err != nil {
		return nil, err
	}
	st.Source = d.source(data, nil)
	if !d.exhausted && d.Dropped == 0 {
		c := scenarios.NewChecker(&d.Collector, st.Source, d.List)
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
	check := func(st *Study, c *scenarios.Checker) {
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
		n *= len(a.Values)
	}
	return n
}

// Points returns the overrides of each point, in order: the first axis
// outermost, the last varying fastest. A point's overrides are the
// study's set, then one value of each axis in axis order, each with its
// origin at its place in the study file (FILE:LINE:COLUMN), where its
// problems will be located.
func (st *Study) Points() [][]scenarios.Override {
	var fixed []scenarios.Override
	for i, text := range st.Set {
		o, _ := ParseOverride(text, st.origin(scenarios.Index("set", i))) // validated by LoadStudy
		fixed = append(fixed, o)
	}
	axes := make([][]scenarios.Override, len(st.Axes))
	for a, axis := range st.Axes {
		path, _ := canonicalPath(axis.Set) // validated by LoadStudy
		for v, value := range axis.Values {
			origin := st.origin(scenarios.Index(scenarios.Join(scenarios.Index("axes", a), "values"), v))
			axes[a] = append(axes[a], scenarios.Override{Path: path, Op: opSet, Value: string(value), Origin: origin})
		}
	}
	points := make([][]scenarios.Override, st.NumPoints())
	for i := range points {
		point := slices.Clone(fixed)
		rest := i
		for a := len(axes) - 1; a >= 0; a-- {
			point = append(point, axes[a][rest%len(axes[a])])
			rest /= len(axes[a])
		}
		slices.Reverse(point[len(fixed):])
		points[i] = point
	}
	return points
}

// origin is FILE:LINE:COLUMN of the value at path in the study file.
func (st *Study) origin(path string) string {
	pos := st.Source.Pos(path)
	return fmt.Sprintf("%s:%d:%d", st.Source.File, pos.Line, pos.Column)
}

// validate checks the study: a scenario that exists, overrides and axis
// paths that parse, values that differ, a bounded number of points.
func (st *Study) validate(c *scenarios.Checker) {
	if msg := scenarios.MissingReference(st.Scenario, st.ScenarioRef(), false); msg != "" {
		c.Add("scenario", "%s", msg)
	}
	fixed := make([][]step, len(st.Set))
	for i, text := range st.Set {
		o, err := ParseOverride(text, "")
		if err != nil {
			c.Add(scenarios.Index("set", i), "%s", err.(scenarios.Problems)[0].Msg)
			continue
		}
		fixed[i], _ = canonicalSteps(o.Path)
	}
	if len(st.Axes) == 0 {
		c.Add("axes", "at least one axis is needed")
	}
	varied := make([][]step, len(st.Axes))
	points := 1
	for a, axis := range st.Axes {
		path := scenarios.Index("axes", a)
		steps, err := canonicalSteps(axis.Set)
		if err != nil {
			c.Add(scenarios.Join(path, "set"), "%v", err)
		} else if msg := st.overlap(steps, fixed, varied); msg != "" {
			c.Add(scenarios.Join(path, "set"), "%s", msg)
		} else {
			varied[a] = steps
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
		points = min(points*max(len(axis.Values), 1), maxPoints+1)
	}
	if points > maxPoints {
		c.Add("axes", "the axes give %s points; at most %d are allowed", st.pointCount(), maxPoints)
	}
	if r := st.Replications; r != nil && (*r < 2 || *r > scenarios.MaxReplications) {
		c.Add("replications", "must be between 2 and %d, got %d", scenarios.MaxReplications, *r)
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
func (st *Study) overlap(steps []step, fixed, varied [][]step) string {
	shown := formatPath(steps)
	for a, other := range varied {
		switch {
		case other == nil:
		case slices.Equal(steps, other):
			return fmt.Sprintf("axes[%d] varies %s already (one value, however its path is written): vary it in one axis", a, shown)
		case within(steps, other):
			return fmt.Sprintf("%s is part of %s, which axes[%d] varies: a point would run this axis's value in place of part of that one's, "+
				"and be labelled with a value it did not run; vary them in one axis, or only one of them", shown, formatPath(other), a)
		case within(other, steps):
			return fmt.Sprintf("%s holds %s, which axes[%d] varies: a point would run that axis's value in place of part of this one's, "+
				"and be labelled with a value it did not run; vary them in one axis, or only one of them", shown, formatPath(other), a)
		}
	}
	for i, other := range fixed {
		if other != nil && within(other, steps) {
			return fmt.Sprintf("set[%d] changes %s, which this axis replaces at every point, so the change would never run: "+
				"drop it from set, or make it part of the axis's values", i, formatPath(other))
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
		factors[i] = fmt.Sprint(len(a.Values))
		total *= float64(len(a.Values))
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
