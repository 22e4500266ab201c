package format

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"reflect"
	"slices"
	"strings"
	"syscall"

	"github.com/dustin/go-humanize"
	"go.yaml.in/yaml/v3"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/validate"
)

// maxFileSize bounds what the loader reads: a scenario is a page or two of
// YAML, and the bound keeps a stray multi-gigabyte file from eating memory.
const maxFileSize = 8 << 20

// Load decodes and validates one scenario file's bytes; file names it in
// problems. Any error is Problems, listing everything wrong at once; a
// file that is no scenario at all gives one problem, a *NotOfKind.
func Load(file string, data []byte) (*scenarios.Scenario, error) {
	return load(context.Background(), file, data, nil)
}

// load is Load with a check of its own (nil for none), run with the
// validation and reporting with it: what only the reader of the file
// can tell, such as whether the references in a file read at a revision
// name files at that revision. ctx stops git reading the files a file at
// a revision imports routing from.
func load(ctx context.Context, file string, data []byte, check func(*scenarios.Scenario, *validate.Checker)) (*scenarios.Scenario, error) {
	var s scenarios.Scenario
	d, err := decodeFile(file, data, "scenario", &s)
	if err != nil {
		return nil, err
	}
	var imported []scenarios.ImportFile
	if len(d.List) == 0 && d.Dropped == 0 {
		if imported = d.importRouting(ctx, &s); ctx.Err() != nil {
			return nil, context.Cause(ctx)
		}
	}
	s.Source = d.source(data, imported)
	locate(s.Accepted, s.Source)
	if !d.exhausted && d.Dropped == 0 { // past maxProblems, validating what is left is beside the point
		found, dropped := validate.Decoded(&s, d.List)
		d.List, d.Dropped = append(d.List, found...), d.Dropped+dropped
		if check != nil {
			check(&s, validate.NewChecker(&d.Collector, s.Source, d.List))
		}
	}
	if len(d.List) > 0 {
		return nil, d.Report(file)
	}
	return &s, nil
}

// NotOfKind is the problem of a file that is not of the kind wanted at
// all — not YAML, empty, too large, several documents, not a mapping, or
// a mapping of which no key is (or is nearly) a field of the kind —
// rather than one of that kind with mistakes. It says where, and what is
// wrong, but never repeats a word of the file, which may be anything: a
// file of secrets named by mistake. It is also Problems (errors.As).
type NotOfKind struct {
	scenarios.Problem
	What string // the kind wanted: "scenario", "study", "file of accepted risks"
}

func (e *NotOfKind) Unwrap() error { return scenarios.Problems{e.Problem} }

// decodeFile decodes the single YAML document of a file into out, a
// pointer to a struct declared like the scenario's types; what names the
// kind of file for messages. It returns the decoder, holding the problems
// and positions, or a *NotOfKind when the file is not of the kind.
func decodeFile(file string, data []byte, what string, out any) (*decoder, error) {
	if len(data) > maxFileSize {
		return nil, &NotOfKind{scenarios.Problem{File: file, Msg: "file is larger than 8 MiB"}, what}
	}
	root, problems := parse(file, data)
	if root == nil {
		return nil, &NotOfKind{problems[0], what}
	}
	t := reflect.TypeOf(out).Elem()
	if msg := notOfKind(root, t, what); msg != "" {
		return nil, &NotOfKind{scenarios.Problem{File: file, Line: root.Line, Column: root.Column, Msg: msg}, what}
	}
	d := &decoder{file: file, positions: map[string]scenarios.Position{}, budget: 10_000 + 10*countNodes(root)}
	d.value(root, "", reflect.ValueOf(out).Elem())
	return d, nil
}

// notOfKind says why root, a document's top node, is not a file of the
// kind what, whose top is a struct of type t; "" when it may be one. Its
// message names the kind's fields and what the file holds, but none of
// its words.
func notOfKind(root *yaml.Node, t reflect.Type, what string) string {
	var names, required []string
	for _, f := range scenarios.FieldsOf(t) {
		names = append(names, f.Name)
		if f.Required {
			required = append(required, f.Name)
		}
	}
	fields := strings.Join(required[:min(2, len(required))], ", ")
	root = target(root)
	if root.Kind != yaml.MappingNode {
		return fmt.Sprintf("not a %s: a %s is a mapping of fields (%s, ...), and this file holds %s", what, what, fields, scenarios.NodeKind(root))
	}
	keys := 0
	for i := 0; i+1 < len(root.Content); i += 2 {
		key := target(root.Content[i])
		if key.Kind != yaml.ScalarNode {
			continue
		}
		keys++
		if slices.Contains(names, key.Value) || scenarios.Suggest(key.Value, names) != "" {
			return ""
		}
	}
	if keys == 1 {
		return fmt.Sprintf("not a %s: its one key is not a field of a %s (%s, ...)", what, what, fields)
	}
	return fmt.Sprintf("not a %s: none of its %d keys is a field of a %s (%s, ...)", what, keys, what, fields)
}

// source records the file the decoder read, whose bytes are data, and
// the files it imports routing from.
func (d *decoder) source(data []byte, imported []scenarios.ImportFile) *scenarios.Source {
	sum := sha256.Sum256(data)
	hash := hex.EncodeToString(sum[:])
	if len(imported) > 0 {
		hash = scenarios.ImportsSHA256(data, imported)
	}
	src := scenarios.NewSource(d.file, hash, data, d.positions)
	for _, f := range imported {
		src.Imported = append(src.Imported, f.Name)
	}
	return src
}

// LoadFile reads and loads the scenario file at path. An unreadable file
// gives the os error as it is, and something other than a regular file (a
// directory, a named pipe, a device) an error saying what it is; a bad
// file gives Problems.
func LoadFile(path string) (*scenarios.Scenario, error) {
	return loadFile(context.Background(), path, nil)
}

// loadFile is LoadFile with load's check of its own.
func loadFile(ctx context.Context, path string, check func(*scenarios.Scenario, *validate.Checker)) (*scenarios.Scenario, error) {
	data, err := readRegular(path, "scenario", maxFileSize)
	if err != nil {
		return nil, err
	}
	return load(ctx, path, data, check)
}

// ReadFile reads the regular file at path, refusing one of more than
// limit bytes, of which it reads no more than limit+1; what says what
// kind of file was wanted, for errors. It is how every file a command
// reads is read (LoadFile, LoadStudyFile and the files of accepted risks
// too): it never blocks on a named pipe nobody writes, never reads a
// device, and never takes more memory than the limit.
func ReadFile(path, what string, limit int64) ([]byte, error) {
	data, err := readRegular(path, what, limit)
	if err == nil && int64(len(data)) > limit {
		return nil, fmt.Errorf("%s is larger than %s, more than any %s is", path, humanize.IBytes(uint64(limit)), what)
	}
	return data, err
}

// readRegular reads the regular file at path, at most limit+1 bytes (one
// more tells a file that is too big). It opens without blocking, so that
// a named pipe with no writer is refused rather than waited on, and
// refuses anything but a regular file, naming what was given; what says
// what kind of file was wanted.
func readRegular(path, what string, limit int64) ([]byte, error) {
	f, err := os.OpenFile(path, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if kind := scenarios.FileKind(info.Mode()); kind != "" {
		return nil, fmt.Errorf("%s is %s; give a %s file", path, kind, what)
	}
	return io.ReadAll(io.LimitReader(f, limit+1))
}

// parse reads the single YAML document in data and returns its root node,
// or nil and the problems that stop decoding altogether.
func parse(file string, data []byte) (*yaml.Node, scenarios.Problems) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return nil, scenarios.Problems{{File: file, Msg: "file is empty"}}
		}
		return nil, scenarios.Problems{scenarios.YAMLSyntaxProblem(file, data, err)}
	}
	var next yaml.Node
	switch err := dec.Decode(&next); {
	case err == nil:
		return nil, scenarios.Problems{{File: file, Line: next.Line, Column: next.Column, Msg: "multiple documents are not allowed"}}
	case !errors.Is(err, io.EOF):
		return nil, scenarios.Problems{scenarios.YAMLSyntaxProblem(file, data, err)}
	}
	root := doc.Content[0]
	if isNull(root) {
		return nil, scenarios.Problems{{File: file, Msg: "file is empty"}}
	}
	return root, nil
}

// countNodes counts the nodes of the tree as written, not following aliases.
func countNodes(n *yaml.Node) int {
	count := 1
	for _, c := range n.Content {
		count += countNodes(c)
	}
	return count
}

// decoder walks a YAML node tree into Go values by reflection, driven by
// the yaml tags, collecting every problem and recording every position.
type decoder struct {
	scenarios.Collector
	file string

	positions map[string]scenarios.Position
	// budget is how many more nodes the walk may visit. Aliases let a small
	// file describe an enormous tree; the budget stops the walk well before
	// that costs time or memory.
	budget    int
	exhausted bool
	expanding *yaml.Node // the outermost alias being walked, to blame if the budget runs out
}

// problem reports what is wrong with the value at path, naming the path.
func (d *decoder) problem(n *yaml.Node, path, format string, args ...any) {
	d.addAt(n, path, path, format, args...)
}

// addAt reports a problem at path, naming subject, which is path or (for a
// key missing from or unknown to a mapping) the mapping's path.
func (d *decoder) addAt(n *yaml.Node, path, subject, format string, args ...any) {
	if d.Full() {
		d.Dropped++ // counted, not formatted
		return
	}
	msg := fmt.Sprintf(format, scenarios.ClipArgs(args)...)
	if subject != "" {
		msg = subject + ": " + msg
	}
	d.Add(scenarios.Problem{File: d.file, Line: n.Line, Column: n.Column, Path: path, Msg: msg})
}

// spend takes one node from the budget and reports whether the walk may go on.
func (d *decoder) spend(n *yaml.Node) bool {
	if d.exhausted {
		return false
	}
	d.budget--
	if d.budget < 0 {
		d.exhausted = true
		if d.expanding != nil {
			n = d.expanding
		}
		d.List = append(d.List, scenarios.Problem{File: d.file, Line: n.Line, Column: n.Column, Msg: "excessive aliasing (possible alias bomb)"})
		return false
	}
	return true
}

var (
	idType          = reflect.TypeFor[scenarios.ID]()
	durationType    = reflect.TypeFor[scenarios.Duration]()
	offsetType      = reflect.TypeFor[scenarios.Offset]()
	momentType      = reflect.TypeFor[scenarios.Moment]()
	probabilityType = reflect.TypeFor[scenarios.Probability]()
	capacityType    = reflect.TypeFor[scenarios.Capacity]()
	valueTextType   = reflect.TypeFor[ValueText]()
)

// value decodes n into v, whose path in the scenario is path.
func (d *decoder) value(n *yaml.Node, path string, v reflect.Value) {
	if !d.spend(n) {
		return
	}
	if n.Kind == yaml.AliasNode {
		if d.expanding == nil {
			d.expanding = n
			defer func() { d.expanding = nil }()
		}
		// The aliased value stands where the alias is; what it contains
		// stands where the anchor wrote it.
		target := *n.Alias
		target.Line, target.Column = n.Line, n.Column
		d.value(&target, path, v)
		return
	}
	d.positions[path] = scenarios.Position{Line: n.Line, Column: n.Column}
	if isNull(n) && v.Type() == valueTextType {
		v.SetString("~") // a value like any other: an override's ~ leaves a field out
		return
	}
	if isNull(n) {
		switch v.Kind() {
		case reflect.Pointer, reflect.Slice, reflect.Map:
			// absent, as if the key were left out
		default:
			d.problem(n, path, "needs a value")
		}
		return
	}
	if n.Style&yaml.TaggedStyle != 0 && !d.tagFits(n, path, v.Type()) {
		return
	}
	d.into(n, path, v)
}

// tagsFor are the explicit YAML tags a value of each kind may carry: the
// ones that say what the value is anyway. A scenario needs no tags.
var tagsFor = map[string][]string{
	"a string":                                      {"!!str", "!!timestamp"},
	"a duration (like 5s or 2d)":                    {"!!str"},
	"a UTC offset (like -5h)":                       {"!!str"},
	"a moment (like 15h or 2020-04-01T14:00+01:00)": {"!!str", "!!timestamp"},
	"a number":                                      {"!!int", "!!float"},
	"a whole number":                                {"!!int"},
	"a whole number or unlimited":                   {"!!int", "!!str"},
	"true or false":                                 {"!!bool"},
	"a list":                                        {"!!seq"},
	"a mapping":                                     {"!!map"},
}

// tagNames says what a core YAML tag makes of a value.
var tagNames = map[string]string{
	"!!str":       "a string",
	"!!timestamp": "a timestamp",
	"!!int":       "a whole number",
	"!!float":     "a floating-point number",
	"!!bool":      "a boolean",
	"!!seq":       "a list",
	"!!map":       "a mapping",
}

// tagFits checks the explicit tag of n against what a value of type t
// is, and reports whether decoding may go on: an unknown tag (!foo,
// !!python/object, !!binary) is refused by name, and so is a known one
// that contradicts the field (!!float 4 where a whole number belongs).
func (d *decoder) tagFits(n *yaml.Node, path string, t reflect.Type) bool {
	tag := n.ShortTag()
	name, known := tagNames[tag]
	if !known {
		d.problem(n, path, "the YAML tag %s is not supported: a scenario needs no tags; remove it", scenarios.Clip(tag))
		return false
	}
	want := kindOf(t)
	if t == valueTextType || slices.Contains(tagsFor[want], tag) {
		return true // a value's text keeps its tag, for whatever reads it
	}
	if n.Kind == yaml.ScalarNode {
		d.problem(n, path, "the tag %s makes %s %s, but %s belongs here; remove the tag", tag, scenarios.Clip(n.Value), name, want)
	} else {
		d.problem(n, path, "the tag %s says %s, but %s belongs here; remove the tag", tag, name, want)
	}
	return false
}

// kindOf says what a value of type t is, in the words of tagsFor.
func kindOf(t reflect.Type) string {
	switch t {
	case durationType:
		return "a duration (like 5s or 2d)"
	case offsetType:
		return "a UTC offset (like -5h)"
	case momentType:
		return "a moment (like 15h or 2020-04-01T14:00+01:00)"
	case probabilityType:
		return "a number"
	case capacityType:
		return "a whole number or unlimited"
	}
	switch t.Kind() {
	case reflect.Pointer:
		return kindOf(t.Elem())
	case reflect.String:
		return "a string"
	case reflect.Float64:
		return "a number"
	case reflect.Int, reflect.Uint64:
		return "a whole number"
	case reflect.Bool:
		return "true or false"
	case reflect.Slice:
		return "a list"
	}
	return "a mapping"
}

// into decodes the non-null, non-alias node n into v by v's type.
func (d *decoder) into(n *yaml.Node, path string, v reflect.Value) {
	switch v.Type() {
	case idType:
		if s, ok := d.text(n, path); ok {
			v.SetString(s) // kept even when malformed, so references to it still resolve
			if !scenarios.ID(s).Valid() {
				d.problem(n, path, "%q is not an id: use 1 to 64 letters, digits, '_', '.' or '-'", scenarios.Clip(s))
			}
		}
	case durationType:
		parseInto(d, n, path, v, scenarios.ParseDuration)
	case momentType:
		parseInto(d, n, path, v, scenarios.ParseMoment)
	case offsetType:
		parseInto(d, n, path, v, scenarios.ParseOffset)
	case probabilityType:
		if f, ok := d.number(n, path); ok {
			if f < 0 || f > 1 {
				d.problem(n, path, "must be between 0 and 1, got %s", scenarios.Clip(n.Value))
			} else {
				v.SetFloat(f)
			}
		}
	case capacityType:
		d.capacity(n, path, v)
	case valueTextType:
		v.SetString(valueText(n))
	default:
		d.kind(n, path, v)
	}
}

// parseInto decodes the text of n into v, of type T, by parse; a text
// parse refuses is a problem.
func parseInto[T any](d *decoder, n *yaml.Node, path string, v reflect.Value, parse func(string) (T, error)) {
	if s, ok := d.text(n, path); ok {
		x, err := parse(s)
		d.check(n, path, err)
		v.Set(reflect.ValueOf(x))
	}
}

// kind decodes n into v by v's kind, for the types without a syntax of
// their own.
func (d *decoder) kind(n *yaml.Node, path string, v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		if s, ok := d.text(n, path); ok {
			v.SetString(s)
		}
	case reflect.Float64:
		if f, ok := d.number(n, path); ok {
			v.SetFloat(f)
		}
	case reflect.Int:
		if i, ok := d.integer(n, path); ok {
			v.SetInt(i)
		}
	case reflect.Bool:
		// YAML 1.2's two words only: yes, on and True mean other things
		// elsewhere, and a value means what it says.
		if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!bool" || n.Value != "true" && n.Value != "false" {
			d.problem(n, path, "must be true or false, got %s", scenarios.DescribeNode(n))
			return
		}
		v.SetBool(n.Value == "true")
	case reflect.Uint64:
		if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!int" && strings.HasPrefix(n.Value, "-") {
			d.problem(n, path, "must not be negative, got %s", scenarios.Clip(n.Value))
			return
		}
		var u uint64
		if !d.tooLarge(n, path) && d.scalarAs(n, path, "!!int", &u, "must be a whole number") {
			v.SetUint(u)
		}
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		d.into(n, path, v.Elem())
	case reflect.Slice:
		d.sequence(n, path, v)
	case reflect.Map:
		d.mapping(n, path, v)
	case reflect.Struct:
		d.fields(n, path, v)
	default:
		panic("scenarios: the decoder has no case for " + v.Type().String())
	}
}

// sequence decodes a YAML list into a slice.
func (d *decoder) sequence(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind != yaml.SequenceNode {
		d.problem(n, path, "must be a list, got %s", scenarios.DescribeNode(n))
		return
	}
	v.Set(reflect.MakeSlice(v.Type(), len(n.Content), len(n.Content)))
	for i, item := range n.Content {
		d.value(item, scenarios.Index(path, i), v.Index(i))
	}
}

// mapping decodes a YAML mapping into a map keyed by string.
func (d *decoder) mapping(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.problem(n, path, "must be a mapping, got %s", scenarios.DescribeNode(n))
		return
	}
	v.Set(reflect.MakeMapWithSize(v.Type(), len(n.Content)/2))
	d.pairs(n, path, func(key, val *yaml.Node) {
		// The keys name regions, whitelists and groups, and stand in
		// paths and messages: they are ids.
		if !scenarios.ID(key.Value).Valid() {
			d.problem(key, scenarios.Join(path, scenarios.Clip(key.Value)), "%q is not a name: use 1 to 64 letters, digits, '_', '.' or '-'", scenarios.Clip(key.Value))
			return
		}
		elem := reflect.New(v.Type().Elem()).Elem()
		d.value(val, scenarios.Join(path, key.Value), elem)
		v.SetMapIndex(reflect.ValueOf(key.Value).Convert(v.Type().Key()), elem)
	})
}

// fields decodes a YAML mapping into a struct: known keys only, each
// once, every required one present.
func (d *decoder) fields(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind != yaml.MappingNode {
		d.problem(n, path, "must be a mapping, got %s", scenarios.DescribeNode(n))
		return
	}
	fs := scenarios.FieldsOf(v.Type())
	byName := make(map[string]scenarios.Field, len(fs))
	names := make([]string, len(fs))
	for i, f := range fs {
		byName[f.Name], names[i] = f, f.Name
	}
	suggested := map[string]bool{} // a misspelt field is not missing as well
	d.pairs(n, path, func(key, val *yaml.Node) {
		f, ok := byName[key.Value]
		if !ok {
			suggested[d.unknownField(key, path, names)] = true
			return
		}
		d.field(val, scenarios.Join(path, f.Name), f, v.FieldByIndex(f.Index))
	})
	present := map[string]bool{}
	for i := 0; i < len(n.Content); i += 2 {
		if n.Content[i].ShortTag() == "!!merge" {
			return // the merge is refused; which fields it would have given is anyone's guess
		}
		present[n.Content[i].Value] = true
	}
	for _, f := range fs {
		if f.Required && !present[f.Name] && !suggested[f.Name] {
			d.addAt(n, scenarios.Join(path, f.Name), path, "missing field %q", f.Name)
		}
	}
}

// field decodes n into v, the struct field f at path. An optional field
// written as null is left out, unless null is refused for it; one written
// as "" is refused unless it is free text.
func (d *decoder) field(n *yaml.Node, path string, f scenarios.Field, v reflect.Value) {
	switch {
	case f.NullOK && isNull(n):
		return // an optional field left empty is an optional field left out
	case !f.Required && isNull(n):
		d.leftEmpty(n, path, f.Name, "null")
		return
	}
	if t := target(n); !f.Required && !f.EmptyOK && v.Kind() == reflect.String && t.Kind == yaml.ScalarNode && t.Value == "" {
		d.positions[path] = scenarios.Position{Line: n.Line, Column: n.Column}
		if f.NullOK {
			d.problem(n, path, "must not be empty; leave the field out instead")
		} else {
			d.leftEmpty(n, path, f.Name, "empty")
		}
		return
	}
	d.value(n, path, v)
}

// leftEmpty refuses a field that may not be null, written as null or
// "": a selector's, where either would be read as "any" and widen a
// policy rule, when the author most likely meant to name one.
func (d *decoder) leftEmpty(n *yaml.Node, path, name, how string) {
	d.problem(n, path, "is %s: name a %s, or leave the field out if the rule is for any %s", how, name, name)
}

// unknownField reports a key the struct does not declare, with the likely
// intended one, which it returns, or else the list of allowed keys. A
// misspelt field is reported under the path of the field meant: that is
// the value the scenario lacks.
func (d *decoder) unknownField(key *yaml.Node, path string, names []string) string {
	s := scenarios.Suggest(key.Value, names)
	if s != "" {
		d.addAt(key, scenarios.Join(path, s), path, "unknown field %q; did you mean %q?", scenarios.Clip(key.Value), s)
	} else {
		d.addAt(key, scenarios.Join(path, scenarios.Clip(key.Value)), path, "unknown field %q; allowed fields are %s", scenarios.Clip(key.Value), strings.Join(names, ", "))
	}
	return s
}

// pairs calls f for each key of mapping n, refusing non-string keys, merge
// keys and repeated keys.
func (d *decoder) pairs(n *yaml.Node, path string, f func(key, val *yaml.Node)) {
	first := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if !d.spend(k) {
			return
		}
		switch {
		case k.Kind != yaml.ScalarNode:
			d.problem(k, path, "keys must be strings, got %s", scenarios.DescribeNode(k))
		case k.Style&yaml.TaggedStyle != 0 && k.ShortTag() != "!!str":
			d.problem(k, path, "keys must be plain strings, got one tagged %s", scenarios.Clip(k.ShortTag()))
		case k.ShortTag() == "!!merge":
			// Reported at the mapping, whose fields are then anyone's
			// guess, so that validation does not go on to call them missing.
			d.addAt(k, path, path, "merge keys (<<) are not supported; use an alias for the whole value instead")
		case first[k.Value] != nil:
			d.addAt(k, scenarios.Join(path, scenarios.Clip(k.Value)), path, "duplicate key %q (first at line %d)", scenarios.Clip(k.Value), first[k.Value].Line)
		default:
			first[k.Value] = k
			f(k, val)
		}
	}
}
