package format

import (
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/validate"
)

// OverrideSyntax is how an override is written, for geofence help set.
const OverrideSyntax = `PATH names a value by the YAML names of its fields from the top of the
scenario, joined by dots. An item of a list is named in brackets: by id
in regions, datacenters, populations and run.groups
(datacenters[us-sjc]); by region, or region/plan for a plan's route, in
routing.routes (routing.routes[us], routing.routes[us/free]); by its
0-based index in every other list (surges[0], timeline[1], policy[2],
primaries[0]). An
entry of a map (routing.whitelists, jurisdictions.groups, a datacenter's
rtt) is named by its key, in brackets or after a dot: the two spellings
are one path, which reports record in brackets
(routing.whitelists[intl-backup]).

OP is one of

    =   set the value. VALUE is YAML, read by the scenario file's decoder,
        so it is written as in the file: 110000s for a duration, unlimited
        for a capacity, [a, b] for a list, {at: 15h, state: down} for a
        timeline entry, and ~ leaves an optional field out.
    *=  multiply a number, a duration or a capacity by the number VALUE;
        a capacity is rounded to a whole number and unlimited stays
        unlimited; on a datacenter's (or timeline entry's) capacity, every
        plane's.
    +=  add VALUE to a number, a duration or a capacity; append it to a
        list (several items at once as a YAML list); add its entries to a
        map.
    -=  subtract VALUE from a number, a duration or a capacity; remove it
        from a list (every occurrence; in a list of items with ids, the
        item with that id; several at once as a YAML list); remove its keys
        from a map.

An optional value left out (its default applies) cannot be scaled,
added to or subtracted from: set it with = first. An override that
removes or replaces what the file still refers to (datacenters-=cn-1
while a whitelist names cn-1) is refused at the override, and each
reference it leaves where it stands.
`

// The operations of an override.
const (
	opSet      = "="
	opScale    = "*="
	opAdd      = "+="
	opSubtract = "-="
)

// ParseOverride reads PATH OP VALUE. The path is put in its canonical
// form (keys in brackets); the value is kept as written, trimmed, and read
// only when the override is applied. A malformed override gives Problems
// located at origin.
func ParseOverride(text, origin string) (scenarios.Override, error) {
	o := scenarios.Override{Origin: origin}
	eq := strings.IndexByte(text, '=')
	if eq < 0 {
		return o, scenarios.Problems{o.Problemf("%q: an override is PATH=VALUE, PATH*=VALUE, PATH+=VALUE or PATH-=VALUE, e.g. run.horizon=26h", scenarios.Clip(text))}
	}
	pathEnd := eq
	o.Op = opSet
	if eq > 0 && strings.IndexByte("*+-", text[eq-1]) >= 0 {
		pathEnd, o.Op = eq-1, text[eq-1:eq+1]
	}
	o.Value = strings.TrimSpace(text[eq+1:])
	path, err := canonicalPath(strings.TrimSpace(text[:pathEnd]))
	if err != nil {
		return o, scenarios.Problems{o.Problemf("%q: %v", scenarios.Clip(text), err)}
	}
	o.Path = path
	return o, nil
}

// With returns a copy of s with the overrides applied in order and
// validated like a file; s is left untouched. Any error is Problems: a
// path that names nothing, an operation that does not fit the value or a
// value the decoder refuses, each located at its override's origin, or
// else what validation finds. A problem with a value an override set is
// located at the override's origin, since the file no longer holds the
// value; every other value keeps its place in the file, and Source.Pos
// no longer knows the place of a value an override set.
func With(s *scenarios.Scenario, overrides []scenarios.Override) (*scenarios.Scenario, error) {
	c := s.Clone()
	var problems scenarios.Collector
	for _, o := range overrides {
		for _, p := range apply(c, o) {
			problems.Add(p)
		}
	}
	if len(problems.List) > 0 {
		return nil, problems.Report(c.Source.File)
	}
	c.Source.Overrides = append(c.Source.Overrides, overrides...)
	if ps := validate.Scenario(c); len(ps) > 0 {
		return nil, blame(s, overrides, ps)
	}
	return c, nil
}

// Scaled returns a copy of s with every join rate and every finite
// capacity, of datacenters and of their timeline entries, multiplied by k,
// capacities rounded to whole numbers; validated, and with problems
// located at "--scale K", as With does.
func Scaled(s *scenarios.Scenario, k float64) (*scenarios.Scenario, error) {
	factor := strconv.FormatFloat(k, 'g', -1, 64)
	origin := "--scale " + factor
	if !(k > 0) || math.IsInf(k, 0) {
		return nil, scenarios.Problems{{File: origin, Msg: "the scale must be a number greater than 0"}}
	}
	var overrides []scenarios.Override
	scale := func(path string) {
		overrides = append(overrides, scenarios.Override{Path: path, Op: opScale, Value: factor, Origin: origin})
	}
	capacities := func(path string, c scenarios.PlaneCapacity) {
		for _, plane := range scenarios.Planes {
			if capacity := c.For(plane); capacity != nil && !capacity.IsUnlimited() {
				scale(path + "." + string(plane))
			}
		}
	}
	for _, p := range s.Populations {
		scale(formatPath([]step{{name: "populations"}, {key: string(p.ID), isKey: true}, {name: "joins_per_second"}}))
	}
	for _, d := range s.Datacenters {
		dc := formatPath([]step{{name: "datacenters"}, {key: string(d.ID), isKey: true}})
		capacities(dc+".capacity", d.Capacity)
		for i, e := range d.Timeline {
			if e.Capacity != nil {
				capacities(scenarios.Index(dc+".timeline", i)+".capacity", *e.Capacity)
			}
		}
	}
	return With(s, overrides)
}

// apply carries out one override on c, which it changes, and returns the
// problems that stopped it.
func apply(c *scenarios.Scenario, o scenarios.Override) scenarios.Problems {
	steps, err := parsePath(o.Path)
	if err != nil {
		return scenarios.Problems{o.Problemf("%v", err)}
	}
	if steps[0].name == LoadPath {
		return applyLoad(c, steps, o)
	}
	switch o.Op {
	case opSet, opScale, opAdd, opSubtract:
	default:
		return scenarios.Problems{o.Problemf("unknown operation %q: use =, *=, += or -=", scenarios.Clip(o.Op))}
	}
	at, p := resolveSlot(c, steps, o)
	if p != nil {
		return scenarios.Problems{*p}
	}
	if c.Routing.Import != nil && (strings.HasPrefix(at.path, "routing.import") || strings.HasSuffix(at.path, ".locality")) {
		return scenarios.Problems{o.Problemf("routing.import and localities are read once, when the scenario is loaded, to import its routing: change the scenario or the files it imports instead")}
	}
	node, p := valueNode(o)
	if p != nil {
		return scenarios.Problems{*p}
	}
	switch o.Op {
	case opSet:
		return setAt(c, at, node, o)
	case opScale:
		return scaleAt(c, at, node, o)
	}
	return addOrSubtract(c, at, node, o)
}

// valueNode parses the override's value as a YAML document; an empty
// value is null.
func valueNode(o scenarios.Override) (*yaml.Node, *scenarios.Problem) {
	root, problems := parse("value", []byte(o.Value))
	switch {
	case len(problems) == 0:
		return root, nil
	case problems[0].Msg == "file is empty":
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: 1, Column: 1}, nil
	}
	p := o.Problemf("the value is not YAML: %s", strings.TrimPrefix(problems[0].Msg, "invalid YAML: "))
	return nil, &p
}

// decodeValue reads node into a fresh value of type t, at path, by the file's
// decoder (f, when the value is a struct field, adds the field's rules
// for null and ""). Its problems are the override's, naming what is wrong
// by the path the override names it (shown) or, for the value the
// override names, by no path.
func decodeValue(o scenarios.Override, node *yaml.Node, t reflect.Type, path, shown string, f *scenarios.Field) (reflect.Value, scenarios.Problems) {
	d := &decoder{file: o.Origin, positions: map[string]scenarios.Position{}, budget: 10_000 + 10*countNodes(node)}
	v := reflect.New(t).Elem()
	if f != nil {
		d.field(node, path, *f, v)
	} else {
		d.value(node, path, v)
	}
	var ps scenarios.Problems
	for _, p := range d.List {
		ps = append(ps, o.Problemf("%s", o.Relative(p.Msg, path, shown)))
	}
	return v, ps
}

// setAt carries out =.
func setAt(c *scenarios.Scenario, at slot, node *yaml.Node, o scenarios.Override) scenarios.Problems {
	v, ps := decodeValue(o, node, at.typ, at.path, o.Path, at.field)
	if len(ps) > 0 {
		return ps
	}
	at.set(v)
	c.Source.Replaced(at.path, at.shown, at.typ, o)
	return nil
}

// scaleAt carries out *=.
func scaleAt(c *scenarios.Scenario, at slot, node *yaml.Node, o scenarios.Override) scenarios.Problems {
	kv, ps := decodeValue(o, node, reflect.TypeFor[float64](), at.path, "the factor", nil)
	if len(ps) > 0 {
		return ps
	}
	k := kv.Float()
	v, p := at.present(o)
	if p != nil {
		return scenarios.Problems{*p}
	}
	var n reflect.Value
	if v.Type() == reflect.TypeFor[scenarios.PlaneCapacity]() {
		scaled := v.Interface().(scenarios.PlaneCapacity)
		for _, plane := range scenarios.Planes {
			if capacity := scaled.For(plane); capacity != nil {
				scaledCapacity, p := scaleCapacity(*capacity, k, o)
				if p != nil {
					return scenarios.Problems{*p}
				}
				*capacity = scaledCapacity
			}
		}
		n = reflect.ValueOf(scaled)
	} else if n, p = arithmetic(v, reflect.ValueOf(k), opScale, o); p != nil {
		return scenarios.Problems{*p}
	}
	at.setValue(n)
	c.Source.Replaced(at.path, at.shown, at.typ, o)
	return nil
}

// addOrSubtract carries out += and -=: arithmetic on a number, members of
// a list or entries of a map.
func addOrSubtract(c *scenarios.Scenario, at slot, node *yaml.Node, o scenarios.Override) scenarios.Problems {
	v, p := at.present(o)
	if p != nil {
		return scenarios.Problems{*p}
	}
	switch v.Kind() {
	case reflect.Slice:
		if o.Op == opAdd {
			return appendItems(c, at, v, node, o)
		}
		return removeItems(c, at, v, node, o)
	case reflect.Map:
		if o.Op == opAdd {
			return addEntries(c, at, v, node, o)
		}
		return removeEntries(c, at, v, node, o)
	case reflect.Struct:
		if v.Type() == momentType {
			return scenarios.Problems{o.Problemf("%s is %s; set it with =", o.Path, scenarios.MomentSyntax)}
		}
		return scenarios.Problems{o.Problemf("%s is a mapping of fields; %s works on a number, a duration, a capacity, a list or a map", o.Path, o.Op)}
	}
	x, ps := decodeValue(o, node, v.Type(), at.path, "the value", nil)
	if len(ps) > 0 {
		return ps
	}
	n, p := arithmetic(v, x, o.Op, o)
	if p != nil {
		return scenarios.Problems{*p}
	}
	at.setValue(n)
	c.Source.Replaced(at.path, at.shown, at.typ, o)
	return nil
}

// decodeItems decodes the value of a += or -= on a list of elem: a YAML list
// gives several items, anything else one.
func decodeItems(o scenarios.Override, node *yaml.Node, elem reflect.Type, path, shown string) ([]reflect.Value, scenarios.Problems) {
	nodes := []*yaml.Node{node}
	if target(node).Kind == yaml.SequenceNode && elem.Kind() != reflect.Slice {
		nodes = target(node).Content
	}
	var items []reflect.Value
	var ps scenarios.Problems
	for _, n := range nodes {
		v, p := decodeValue(o, n, elem, path, shown, nil)
		items, ps = append(items, v), append(ps, p...)
	}
	return items, ps
}

// appendItems carries out += on a list.
func appendItems(c *scenarios.Scenario, at slot, list reflect.Value, node *yaml.Node, o scenarios.Override) scenarios.Problems {
	n := list.Len()
	items, ps := decodeItems(o, node, list.Type().Elem(), scenarios.Index(at.path, n), scenarios.Index(o.Path, n))
	if len(ps) > 0 {
		return ps
	}
	grown := reflect.AppendSlice(reflect.MakeSlice(list.Type(), 0, n+len(items)), list)
	grown = reflect.Append(grown, items...)
	at.setValue(grown)
	c.Source.Changed(at.path, at.shown, o)
	for i := n; i < grown.Len(); i++ {
		c.Source.Replaced(scenarios.Index(at.path, i), scenarios.Index(at.shown, i), list.Type().Elem(), o)
	}
	return nil
}

// removeItems carries out -= on a list: each item given goes, wherever it
// stands; an item of a list with ids may be given by its id.
func removeItems(c *scenarios.Scenario, at slot, list reflect.Value, node *yaml.Node, o scenarios.Override) scenarios.Problems {
	elem := list.Type().Elem()
	byKey := keyed(elem)
	var wanted []reflect.Value
	var keys []string
	if byKey && target(node).Kind != yaml.MappingNode {
		for _, n := range scalars(node) {
			keys = append(keys, n.Value)
		}
	} else {
		var ps scenarios.Problems
		if wanted, ps = decodeItems(o, node, elem, at.path, o.Path); len(ps) > 0 {
			return ps
		}
	}
	matches := func(item reflect.Value) bool {
		if byKey && keys != nil {
			k, _ := itemKey(item)
			return slices.Contains(keys, k)
		}
		for _, w := range wanted {
			if reflect.DeepEqual(item.Interface(), w.Interface()) {
				return true
			}
		}
		return false
	}
	kept := reflect.MakeSlice(list.Type(), 0, list.Len())
	var removed []int
	for i := range list.Len() {
		if matches(list.Index(i)) {
			removed = append(removed, i)
		} else {
			kept = reflect.Append(kept, list.Index(i))
		}
	}
	if len(removed) == 0 {
		return scenarios.Problems{o.Problemf("%s does not hold %s; it holds %s", o.Path, scenarios.Clip(o.Value), listing(list))}
	}
	at.setValue(kept)
	c.Source.Changed(at.path, at.shown, o)
	for k := len(removed) - 1; k >= 0; k-- {
		c.Source.Removed(at.path, removed[k])
	}
	return nil
}

// addEntries carries out += on a map: each entry of the mapping given is
// added; one the map has already is refused.
func addEntries(c *scenarios.Scenario, at slot, m reflect.Value, node *yaml.Node, o scenarios.Override) scenarios.Problems {
	added, ps := decodeValue(o, node, m.Type(), at.path, o.Path, nil)
	if len(ps) > 0 {
		return ps
	}
	grown := reflect.MakeMapWithSize(m.Type(), m.Len()+added.Len())
	for _, k := range m.MapKeys() {
		grown.SetMapIndex(k, m.MapIndex(k))
	}
	for _, k := range sortedMapKeys(added) {
		if m.MapIndex(k).IsValid() {
			return scenarios.Problems{o.Problemf("%s has %q already; set it with =", o.Path, k.String())}
		}
		grown.SetMapIndex(k, added.MapIndex(k))
		c.Source.Replaced(scenarios.Join(at.path, k.String()), scenarios.Join(at.shown, k.String()), m.Type().Elem(), o)
	}
	at.setValue(grown)
	c.Source.Changed(at.path, at.shown, o)
	return nil
}

// removeEntries carries out -= on a map: the keys given go.
func removeEntries(c *scenarios.Scenario, at slot, m reflect.Value, node *yaml.Node, o scenarios.Override) scenarios.Problems {
	shrunk := reflect.MakeMapWithSize(m.Type(), m.Len())
	for _, k := range m.MapKeys() {
		shrunk.SetMapIndex(k, m.MapIndex(k))
	}
	for _, n := range scalars(node) {
		k := reflect.ValueOf(n.Value).Convert(m.Type().Key())
		if !m.MapIndex(k).IsValid() {
			return scenarios.Problems{o.Problemf("%s has no %q; it has %s", o.Path, scenarios.Clip(n.Value), strings.Join(scenarios.ClipAll(mapKeys(m)), ", "))}
		}
		shrunk.SetMapIndex(k, reflect.Value{})
		c.Source.Replaced(scenarios.Join(at.path, n.Value), scenarios.Join(at.shown, n.Value), m.Type().Elem(), o)
	}
	at.setValue(shrunk)
	c.Source.Changed(at.path, at.shown, o)
	return nil
}

// scalars is the scalar node n or the items of the list n.
func scalars(n *yaml.Node) []*yaml.Node {
	n = target(n)
	if n.Kind == yaml.SequenceNode {
		var out []*yaml.Node
		for _, item := range n.Content {
			out = append(out, target(item))
		}
		return out
	}
	return []*yaml.Node{n}
}

// arithmetic applies op (*=, += or -=) with operand x to the number,
// duration or capacity v, and returns the result as v's type.
func arithmetic(v, x reflect.Value, op string, o scenarios.Override) (reflect.Value, *scenarios.Problem) {
	fail := func(format string, args ...any) (reflect.Value, *scenarios.Problem) {
		p := o.Problemf(format, args...)
		return reflect.Value{}, &p
	}
	t := v.Type()
	if t == capacityType {
		c, operand := scenarios.Capacity(v.Int()), x
		if op == opScale {
			n, p := scaleCapacity(c, operand.Float(), o)
			return reflect.ValueOf(n), p
		}
		if scenarios.Capacity(operand.Int()).IsUnlimited() {
			return fail("unlimited cannot be added or subtracted; set the capacity with =")
		}
		if c.IsUnlimited() {
			return v, nil
		}
		if op == opSubtract {
			return reflect.ValueOf(c - scenarios.Capacity(operand.Int())), nil
		}
		return reflect.ValueOf(c + scenarios.Capacity(operand.Int())), nil
	}
	a, ok := numberOf(v)
	if !ok {
		return fail("%s is %s; %s works on a number, a duration or a capacity", o.Path, kindOf(t), op)
	}
	b, _ := numberOf(x) // a factor, or decoded as v's type
	var r float64
	switch op {
	case opScale:
		r = a * b
	case opAdd:
		r = a + b
	default:
		r = a - b
	}
	out := reflect.New(t).Elem()
	switch t.Kind() {
	case reflect.Float64:
		if math.IsInf(r, 0) || math.IsNaN(r) {
			return fail("the result is not a finite number")
		}
		out.SetFloat(r)
	case reflect.Int, reflect.Int64:
		r = math.Round(r)
		if !(r >= math.MinInt64/2 && r <= math.MaxInt64/2) { // well inside int64, past every limit of the format
			return fail("the result, %g, is too large", r)
		}
		out.SetInt(int64(r))
	default:
		r = math.Round(r)
		if !(r >= 0 && r <= math.MaxUint64/2) {
			return fail("the result, %g, is not a whole number from 0 to 2^63", r)
		}
		out.SetUint(uint64(r))
	}
	return out, nil
}

// numberOf is the value of v, of any kind a number of the format has; ok is
// false for any other kind.
func numberOf(v reflect.Value) (x float64, ok bool) {
	switch v.Kind() {
	case reflect.Float64:
		return v.Float(), true
	case reflect.Int, reflect.Int64:
		return float64(v.Int()), true
	case reflect.Uint64:
		return float64(v.Uint()), true
	}
	return 0, false
}

// scaleCapacity multiplies a finite capacity by k, rounded; unlimited
// stays unlimited.
func scaleCapacity(c scenarios.Capacity, k float64, o scenarios.Override) (scenarios.Capacity, *scenarios.Problem) {
	if c.IsUnlimited() {
		return c, nil
	}
	r := math.Round(float64(c) * k)
	if !(r >= 0 && r <= math.MaxInt64/2) {
		p := o.Problemf("%v × %g gives %g, which is not a capacity (a whole number of 0 or more)", c, k, r)
		return 0, &p
	}
	return scenarios.Capacity(r), nil
}
