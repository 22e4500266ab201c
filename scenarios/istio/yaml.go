package istio

import (
	"fmt"
	"iter"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/geofence/geofence/scenarios"
)

// reader walks the YAML of one file with Istio's schema in hand: it
// reports what is malformed as problems and fields Istio does not have as
// lints, each at its line, and follows aliases within a budget.
type reader struct {
	file     string
	problems scenarios.Problems
	lints    []scenarios.ImportLint
	// budget is how many more nodes the walk may visit: aliases let a
	// small file describe an enormous tree.
	budget int
}

// pos is where node n stands in the file.
func (r *reader) pos(n *yaml.Node) scenarios.Position {
	return scenarios.Position{File: r.file, Line: n.Line, Column: n.Column}
}

// problem reports what is wrong at n; what names the value, e.g.
// "DestinationRule geo/media: spec.host".
func (r *reader) problem(n *yaml.Node, what, format string, args ...any) {
	if len(r.problems) >= scenarios.MaxProblems {
		return
	}
	msg := fmt.Sprintf(format, scenarios.ClipArgs(args)...)
	if what != "" {
		msg = what + ": " + msg
	}
	r.problems = append(r.problems, scenarios.Problem{File: r.file, Line: n.Line, Column: n.Column, Msg: msg})
}

// lint records a lint of rule at n.
func (r *reader) lint(n *yaml.Node, rule, format string, args ...any) {
	r.lints = append(r.lints, scenarios.ImportLint{Rule: rule, Severity: severityOf(rule), Pos: r.pos(n), Message: fmt.Sprintf(format, args...)})
}

// resolve follows an alias to the value it stands for, spending the
// budget; nil when the budget is spent.
func (r *reader) resolve(n *yaml.Node) *yaml.Node {
	for n != nil && n.Kind == yaml.AliasNode {
		n = n.Alias
	}
	r.budget--
	if r.budget < 0 {
		if r.budget == -1 {
			r.problem(n, "", "excessive aliasing (possible alias bomb)")
		}
		return nil
	}
	return n
}

// isNull reports whether n is YAML's null, written or left empty.
func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// fields are the fields of one mapping: value nodes by key, and the key
// nodes, for positions.
type fields struct {
	values map[string]*yaml.Node
	keys   map[string]*yaml.Node
}

func (f fields) get(name string) *yaml.Node { return f.values[name] }

// at is where the field name stands (its key), or def when it is absent.
func (f fields) at(name string, def *yaml.Node) *yaml.Node {
	if k := f.keys[name]; k != nil {
		return k
	}
	return def
}

// ignored are fields of Istio's schema geofence reads nothing from: they
// do not change where traffic goes.
type ignored []string

// mapping reads n as a mapping of the fields of what (e.g. "spec of
// DestinationRule geo/media"), whose Istio schema has the fields known
// and the fields skip, which are read by no one. A field neither names is
// a lint: Istio's formats evolve, so it is told, not refused. A null
// value counts as absent.
func (r *reader) mapping(n *yaml.Node, what string, known []string, skip ignored) (fields, bool) {
	f := fields{values: map[string]*yaml.Node{}, keys: map[string]*yaml.Node{}}
	if n = r.resolve(n); n == nil {
		return f, false
	}
	if n.Kind != yaml.MappingNode {
		r.problem(n, what, "must be a mapping, got %s", scenarios.DescribeNode(n))
		return f, false
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], r.resolve(n.Content[i+1])
		if v == nil {
			return f, false
		}
		switch {
		case k.Kind != yaml.ScalarNode:
			r.problem(k, what, "keys must be strings, got %s", scenarios.DescribeNode(k))
		case f.keys[k.Value] != nil:
			r.problem(k, what, "duplicate key %q (first at line %d)", scenarios.Clip(k.Value), f.keys[k.Value].Line)
		case slices.Contains(known, k.Value):
			f.keys[k.Value] = k
			if !isNull(v) {
				f.values[k.Value] = v
			}
		case slices.Contains(skip, k.Value):
			f.keys[k.Value] = k
		default:
			f.keys[k.Value] = k
			r.lint(k, ruleUnknownField, "%s: %q is not a field Istio has here (%s); geofence ignores it", what, scenarios.Clip(k.Value), strings.Join(slices.Concat(known, skip), ", "))
		}
	}
	return f, true
}

// list reads n as a sequence and returns its items.
func (r *reader) list(n *yaml.Node, what string) []*yaml.Node {
	if n = r.resolve(n); n == nil {
		return nil
	}
	if n.Kind != yaml.SequenceNode {
		r.problem(n, what, "must be a list, got %s", scenarios.DescribeNode(n))
		return nil
	}
	out := make([]*yaml.Node, 0, len(n.Content))
	for _, item := range n.Content {
		if item = r.resolve(item); item == nil {
			return out
		}
		out = append(out, item)
	}
	return out
}

// listItem is an item of a list of mappings: its fields, its node and its
// place in the file.
type listItem struct {
	fields
	node *yaml.Node
	what string
}

// mappings reads n as a list of mappings, each read as mapping reads it
// with the fields known and skip, and yields the items that are mappings.
func (r *reader) mappings(n *yaml.Node, what string, known []string, skip ignored) iter.Seq[listItem] {
	return func(yield func(listItem) bool) {
		for i, node := range r.list(n, what) {
			at := fmt.Sprintf("%s[%d]", what, i)
			if f, ok := r.mapping(node, at, known, skip); ok && !yield(listItem{f, node, at}) {
				return
			}
		}
	}
}

// str reads a scalar as text; "" and false when n is absent or not one.
func (r *reader) str(n *yaml.Node, what string) (string, bool) {
	if n == nil {
		return "", false
	}
	if n.Kind != yaml.ScalarNode {
		r.problem(n, what, "must be a string, got %s", scenarios.DescribeNode(n))
		return "", false
	}
	return n.Value, true
}

// strings reads a list of strings.
func (r *reader) strings(n *yaml.Node, what string) []string {
	var out []string
	for i, item := range r.list(n, what) {
		if s, ok := r.str(item, fmt.Sprintf("%s[%d]", what, i)); ok {
			out = append(out, s)
		}
	}
	return out
}

// labels reads a mapping of strings to strings (labels, a selector).
func (r *reader) labels(n *yaml.Node, what string) map[string]string {
	out := map[string]string{}
	if n == nil {
		return out
	}
	if n = r.resolve(n); n == nil {
		return out
	}
	if n.Kind != yaml.MappingNode {
		r.problem(n, what, "must be a mapping, got %s", scenarios.DescribeNode(n))
		return out
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := n.Content[i], r.resolve(n.Content[i+1])
		if v == nil {
			return out
		}
		key, ok := r.str(k, what)
		value, ok2 := r.str(v, what+"."+k.Value)
		if ok && ok2 {
			out[key] = value
		}
	}
	return out
}

// uint reads a whole number from 0 to max; ok is false when n is absent
// or wrong (and then reported).
func (r *reader) uint(n *yaml.Node, what string, max uint64) (uint64, bool) {
	if n == nil {
		return 0, false
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		r.problem(n, what, "must be a whole number, got %s", scenarios.DescribeNode(n))
		return 0, false
	}
	v, err := strconv.ParseUint(strings.ReplaceAll(n.Value, "_", ""), 0, 64)
	if err != nil || v > max {
		r.problem(n, what, "must be a whole number from 0 to %d, got %s", max, scenarios.Clip(n.Value))
		return 0, false
	}
	return v, true
}

// boolean reads true or false.
func (r *reader) boolean(n *yaml.Node, what string) (value, ok bool) {
	if n == nil {
		return false, false
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" {
		r.problem(n, what, "must be true or false, got %s", scenarios.DescribeNode(n))
		return false, false
	}
	return n.Value == "true" || n.Value == "True" || n.Value == "TRUE", true
}

// duration reads a protobuf Duration as Istio's YAML writes it: a Go
// duration like 1s, 500ms or 1m; Istio requires at least 1ms.
func (r *reader) duration(n *yaml.Node, what string) (scenarios.Duration, bool) {
	s, ok := r.str(n, what)
	if !ok {
		return 0, false
	}
	d, err := time.ParseDuration(s)
	if err != nil || d < time.Millisecond || d > 24*time.Hour {
		r.problem(n, what, "%q is not a duration from 1ms to 24h (like 500ms, 10s or 1m)", scenarios.Clip(s))
		return 0, false
	}
	return scenarios.Duration(d.Seconds()), true
}
