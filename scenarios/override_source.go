package scenarios

import (
	"fmt"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"
)

// Override is one change to a scenario, written PATH OP VALUE, e.g.
// datacenters[us-sjc].capacity.media=3000; Scenario.With applies a list of
// them. OverrideSyntax says how PATH, OP and VALUE are written.
//
// Origin says where the override was written, for problems: "--set", or
// FILE:LINE:COLUMN for one written in a file (which is then where its
// problems are located).
//
// Condition is set for a what-if condition of the world (--when, --load,
// a study's when:) rather than a change to the configuration under
// review (--set): a comparison applies a condition to every side, a
// change to one.
type Override struct {
	Path, Op, Value string
	Origin          string
	Condition       bool
}

// String is the override's canonical text, as reports record it.
func (o Override) String() string { return o.Path + o.Op + o.Value }

var originPosition = regexp.MustCompile(`^(.*):(\d+):(\d+)$`)

// Problemf makes a Problem of the override: located at its origin, and
// naming its text.
func (o Override) Problemf(format string, args ...any) Problem {
	p := Problem{File: o.Origin, Path: o.Path, Msg: fmt.Sprintf(format, ClipArgs(args)...)}
	if m := originPosition.FindStringSubmatch(o.Origin); m != nil {
		p.File = m[1]
		p.Line, _ = strconv.Atoi(m[2])
		p.Column, _ = strconv.Atoi(m[3])
	}
	if o.Path != "" {
		p.Msg = Clip(o.String()) + ": " + p.Msg
	}
	return p
}

// Relative rewrites a message about the value at path, which begins
// "path...: ", to name it as the override does (shown), and leaves the
// path out when it is the override's own.
func (o Override) Relative(msg, path, shown string) string {
	rest, ok := strings.CutPrefix(msg, path)
	if !ok || rest != "" && rest[0] != '.' && rest[0] != '[' && rest[0] != ':' {
		return msg
	}
	msg = shown + rest
	if rest, ok := strings.CutPrefix(msg, o.Path+": "); ok {
		return rest
	}
	return msg
}

// overrideMark records that an override changed the value at a path: the
// value and all it holds (subtree), or the value itself only (a list or
// map whose members were added or removed; the others keep their place).
type overrideMark struct {
	o       Override
	shown   string // the path as the override names it
	subtree bool
}

// OverriddenBy returns the override that set the value at path, or that
// added or removed its members, if any: where a finding about the value
// should point instead of the file.
func (s *Source) OverriddenBy(path string) (Override, bool) {
	m, ok := s.markOf(path)
	return m.o, ok
}

// OverrideAt is OverriddenBy with path as the override names it.
func (s *Source) OverrideAt(path string) (o Override, shown string, ok bool) {
	m, ok := s.markOf(path)
	return m.o, m.shown, ok
}

// markOf returns the mark of the override that set the value at path, with
// path written as the override names it in the mark's shown.
func (s *Source) markOf(path string) (overrideMark, bool) {
	if s == nil {
		return overrideMark{}, false
	}
	if m, ok := s.overrides[path]; ok {
		return m, true
	}
	for p := path; p != ""; {
		p = ParentPath(p)
		if m, ok := s.overrides[p]; ok && m.subtree {
			m.shown += path[len(p):]
			return m, true
		}
	}
	return overrideMark{}, false
}

// Replaced records that o set the value at path, of type t, which it
// names shown: its old positions are gone, and it and all it holds are o's.
func (s *Source) Replaced(path, shown string, t reflect.Type, o Override) {
	if HoldsValues(t) {
		for p := range s.positions {
			if Under(p, path) {
				delete(s.positions, p)
			}
		}
		for p := range s.overrides {
			if Under(p, path) {
				delete(s.overrides, p)
			}
		}
	} else { // nothing has a path below it: no need to look through every path (--scale replaces thousands of numbers)
		delete(s.positions, path)
	}
	s.overrides[path] = overrideMark{o: o, shown: shown, subtree: true}
}

// HoldsValues reports whether a value of type t can hold values of its
// own, whose paths are below its path: a struct, list or map.
func HoldsValues(t reflect.Type) bool {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Slice, reflect.Map:
		return true
	}
	return false
}

// Changed records that o added or removed members of the list or map at
// path, which it names shown; the members it did not touch keep their
// positions.
func (s *Source) Changed(path, shown string, o Override) {
	if _, ok := s.markOf(path); !ok {
		s.overrides[path] = overrideMark{o: o, shown: shown}
	}
}

// Removed records that item i of the list at path is gone: it loses its
// positions, and the items after it move up one place.
func (s *Source) Removed(path string, i int) {
	s.positions = renumbered(s.positions, path, i)
	s.overrides = renumbered(s.overrides, path, i)
}

// renumbered returns m with the entries at and below item i of the list
// at path dropped, and those below later items moved up one index.
func renumbered[V any](m map[string]V, path string, i int) map[string]V {
	out := make(map[string]V, len(m))
	for p, v := range m {
		rest, ok := strings.CutPrefix(p, path+"[")
		end := strings.IndexByte(rest, ']')
		j, err := strconv.Atoi(rest[:max(end, 0)])
		switch {
		case !ok || end < 0 || err != nil || j < i:
			out[p] = v
		case j > i:
			out[Index(path, j-1)+rest[end+1:]] = v
		}
	}
	return out
}

// Clone returns a deep copy of s, with a Source of its own (an empty one
// for a scenario built in code) that overrides can change.
func (s *Scenario) Clone() *Scenario {
	c := deepCopy(reflect.ValueOf(s).Elem()).Addr().Interface().(*Scenario)
	src := &Source{positions: map[string]Position{}, overrides: map[string]overrideMark{}}
	if s.Source != nil {
		src.File, src.SHA256, src.Data = s.Source.File, s.Source.SHA256, s.Source.Data
		src.Imported = slices.Clone(s.Source.Imported)
		src.Overrides = append([]Override(nil), s.Source.Overrides...)
		for p, pos := range s.Source.positions {
			src.positions[p] = pos
		}
		for p, m := range s.Source.overrides {
			src.overrides[p] = m
		}
	}
	c.Source = src
	return c
}

// deepCopy returns an addressable copy of v that shares no slice, map or
// pointer with it. Unexported fields (a resolved time zone) are shared:
// they are never changed in place.
func deepCopy(v reflect.Value) reflect.Value {
	out := reflect.New(v.Type()).Elem()
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			out.Set(deepCopy(v.Elem()).Addr())
		}
	case reflect.Slice:
		if !v.IsNil() {
			out.Set(reflect.MakeSlice(v.Type(), v.Len(), v.Len()))
			for i := range v.Len() {
				out.Index(i).Set(deepCopy(v.Index(i)))
			}
		}
	case reflect.Map:
		if !v.IsNil() {
			out.Set(reflect.MakeMapWithSize(v.Type(), v.Len()))
			for _, k := range v.MapKeys() {
				out.SetMapIndex(k, deepCopy(v.MapIndex(k)))
			}
		}
	case reflect.Struct:
		out.Set(v)
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				out.Field(i).Set(deepCopy(v.Field(i)))
			}
		}
	default:
		out.Set(v)
	}
	return out
}
