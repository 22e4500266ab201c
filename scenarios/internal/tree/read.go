package tree

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/geofence/geofence/scenarios"
)

// Reader reads the values of one file into an importer's own structs,
// collecting every problem at once: errors (the file cannot be imported as
// it is) and warnings (it can, but something in it is ignored).
type Reader struct {
	File     string
	Errors   scenarios.Collector
	Warnings scenarios.Collector
	// Fold, when set, turns a key into the form fields are matched in:
	// Consul matches keys case-insensitively and accepts snake_case
	// aliases; Terraform and Kubernetes match exactly.
	Fold func(string) string
}

// problem locates msg at n.
func (r *Reader) problem(n *Node, pos Pos, msg string) scenarios.Problem {
	p := scenarios.Problem{File: r.File, Line: pos.Line, Column: pos.Column, Msg: msg}
	if n != nil {
		p.Path = n.Path
		if n.Path != "" {
			p.Msg = n.Path + ": " + msg
		}
	}
	return p
}

// Errorf records an error about the value n.
func (r *Reader) Errorf(n *Node, format string, args ...any) {
	r.Errors.Add(r.problem(n, n.Pos, fmt.Sprintf(format, args...)))
}

// Warnf records a warning about the value n.
func (r *Reader) Warnf(n *Node, format string, args ...any) {
	r.Warnings.Add(r.problem(n, n.Pos, fmt.Sprintf(format, args...)))
}

// FoldConsul is how Consul's decoder (mapstructure with its
// HookTranslateKeys) matches keys: case-insensitively, with snake_case
// aliases (connect_timeout for ConnectTimeout).
func FoldConsul(key string) string { return strings.ToLower(strings.ReplaceAll(key, "_", "")) }

// Object is an object being read: each member is taken once by name, and
// Done reports the members nobody took.
type Object struct {
	r     *Reader
	n     *Node
	taken []bool
}

// Object starts reading n, which must be an object (or null, read as
// empty); what names it in the message when it is not.
func (r *Reader) Object(n *Node, what string) *Object {
	o := &Object{r: r, n: n}
	if n == nil || n.Kind == Null {
		o.n = nil
		return o
	}
	if n.Kind != Map {
		r.Errorf(n, "%s must be an object, not %s", what, n.Kind)
		o.n = nil
		return o
	}
	o.taken = make([]bool, len(n.Fields))
	return o
}

// Node is the object itself (nil when it was absent or not an object).
func (o *Object) Node() *Node { return o.n }

func (o *Object) fold(k string) string {
	if o.r.Fold == nil {
		return k
	}
	return o.r.Fold(k)
}

// Take returns the member named key (as the reader folds keys), or nil.
// Two members that fold to the same key are an error: the tool keeps one
// of them, and which is not certain.
func (o *Object) Take(key string) *Node {
	if o.n == nil {
		return nil
	}
	want := o.fold(key)
	var found *Node
	for i, f := range o.n.Fields {
		if o.fold(f.Key) != want {
			continue
		}
		o.taken[i] = true
		if found != nil {
			o.r.Errors.Add(o.r.problem(f.Value, f.KeyPos, fmt.Sprintf("%q gives %s again (first at line %d)", f.Key, key, found.Pos.Line)))
			continue
		}
		found = f.Value
	}
	return found
}

// Ignore takes members that do not change where traffic goes.
func (o *Object) Ignore(keys ...string) {
	for _, k := range keys {
		o.Take(k)
	}
}

// Refuse takes members that change where traffic goes but that the model
// does not follow: each one given (not empty) is an error naming it and
// saying why.
func (o *Object) Refuse(key, why string) {
	if n := o.Take(key); !n.Empty() {
		o.r.Errorf(n, "%s is not modelled: %s", key, why)
	}
}

// Done warns about every member not taken: a field the format does not
// define, or one this reader does not know. The file still imports.
func (o *Object) Done(what string) {
	if o.n == nil {
		return
	}
	for i, f := range o.n.Fields {
		if !o.taken[i] {
			o.r.Warnings.Add(o.r.problem(f.Value, f.KeyPos, fmt.Sprintf("unknown field %q of %s is ignored", f.Key, what)))
		}
	}
}

// String takes a string member; "" when absent or null.
func (o *Object) String(key string) (string, *Node) {
	n := o.Take(key)
	return o.r.AsString(n), n
}

// AsString reads n as a string; "" when absent or null.
func (r *Reader) AsString(n *Node) string {
	if n == nil || n.Kind == Null {
		return ""
	}
	if n.Kind != String {
		r.Errorf(n, "must be a string, not %s", n.Kind)
		return ""
	}
	return n.Text
}

// Bool takes a boolean member; false when absent or null. Consul's
// decoder is weakly typed and also reads "true" and "false" as strings.
func (o *Object) Bool(key string) (bool, *Node) {
	n := o.Take(key)
	if n == nil || n.Kind == Null {
		return false, n
	}
	if n.Kind == Bool || n.Kind == String && o.r.Fold != nil {
		if b, err := strconv.ParseBool(n.Text); err == nil {
			return b, n
		}
	}
	o.r.Errorf(n, "must be true or false, not %s", describe(n))
	return false, n
}

// Int takes an integer member between lo and hi; 0 when absent or null.
func (o *Object) Int(key string, lo, hi int64) (int64, *Node) {
	n := o.Take(key)
	return o.r.AsInt(n, lo, hi), n
}

// AsInt reads n as an integer between lo and hi; 0 when absent or null.
// Consul's weakly typed decoder also reads a number written as a string.
func (r *Reader) AsInt(n *Node, lo, hi int64) int64 {
	if n == nil || n.Kind == Null {
		return 0
	}
	if n.Kind == Number || n.Kind == String && r.Fold != nil {
		f, err := strconv.ParseFloat(n.Text, 64)
		if err == nil && f == math.Trunc(f) && f >= float64(lo) && f <= float64(hi) {
			return int64(f)
		}
	}
	r.Errorf(n, "must be a whole number from %d to %d, not %s", lo, hi, describe(n))
	return 0
}

// Strings takes a list of strings; nil when absent or null.
func (o *Object) Strings(key string) ([]string, []*Node, *Node) {
	n := o.Take(key)
	items := o.r.List(n)
	out := make([]string, 0, len(items))
	for _, it := range items {
		out = append(out, o.r.AsString(it))
	}
	return out, items, n
}

// List reads n as a list; nil when absent or null.
func (r *Reader) List(n *Node) []*Node {
	if n == nil || n.Kind == Null {
		return nil
	}
	if n.Kind != List {
		r.Errorf(n, "must be a list, not %s", n.Kind)
		return nil
	}
	return n.Items
}

// Block reads a Terraform nested block of at most one (a list of zero or
// one objects, as `terraform show -json` writes them): nil when empty.
func (r *Reader) Block(n *Node) *Node {
	items := r.List(n)
	switch len(items) {
	case 0:
		return nil
	case 1:
		return items[0]
	}
	r.Errorf(items[1], "at most one block is allowed here, got %d", len(items))
	return items[0]
}

// Members lists an object's members in a stable order (the file's).
func (o *Object) Members() []Field {
	if o.n == nil {
		return nil
	}
	for i := range o.taken {
		o.taken[i] = true
	}
	return slices.Clone(o.n.Fields)
}

// describe shows a value in a message: its text, or its kind.
func describe(n *Node) string {
	switch n.Kind {
	case String:
		return strconv.Quote(scenarios.Clip(n.Text))
	case Number, Bool:
		return n.Text
	}
	return n.Kind.String()
}

// Position is where p stands in file, as the scenario's positions record
// values of imported files.
func Position(file string, p Pos) scenarios.Position {
	return scenarios.Position{File: file, Line: p.Line, Column: p.Column}
}

// Lints returns the reader's warnings as lints of the rule given, located
// in the file: a file that imports with something ignored.
func (r *Reader) Lints(rule string) []scenarios.ImportLint {
	var out []scenarios.ImportLint
	for _, w := range r.Warnings.List {
		out = append(out, scenarios.ImportLint{Rule: rule, Severity: "warning",
			Pos: scenarios.Position{File: w.File, Line: w.Line, Column: w.Column}, Message: w.Msg})
	}
	return out
}

// Readers keeps one reader per file, so that an import that reads several
// files locates each problem in its own.
type Readers struct {
	byFile map[string]*Reader
	order  []string
}

// Of returns the reader of file.
func (rs *Readers) Of(file string) *Reader {
	if rs.byFile == nil {
		rs.byFile = map[string]*Reader{}
	}
	r := rs.byFile[file]
	if r == nil {
		r = &Reader{File: file}
		rs.byFile[file] = r
		rs.order = append(rs.order, file)
	}
	return r
}

// Problems returns every reader's errors, file by file.
func (rs *Readers) Problems() scenarios.Problems {
	var out scenarios.Problems
	for _, f := range rs.order {
		out = append(out, rs.byFile[f].Errors.Report(f)...)
	}
	return out
}

// Lints returns every reader's warnings as lints of rule.
func (rs *Readers) Lints(rule string) []scenarios.ImportLint {
	var out []scenarios.ImportLint
	for _, f := range rs.order {
		out = append(out, rs.byFile[f].Lints(rule)...)
	}
	return out
}
