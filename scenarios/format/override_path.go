package format

import (
	"errors"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/geofence/geofence/scenarios"
)

// step is one step of an override's path: a field, or an entry of a map
// written after a dot (name), or an item of a list or entry of a map
// written in brackets (key).
type step struct {
	name  string
	key   string
	isKey bool
}

// parsePath reads an override's path, e.g. datacenters[us-sjc].capacity.media.
func parsePath(path string) ([]step, error) {
	if path == "" {
		return nil, errors.New("the path is empty; name a value, e.g. run.horizon")
	}
	var steps []step
	for rest := path; rest != ""; {
		switch {
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, fmt.Errorf("%q has a [ without its ]", scenarios.Clip(path))
			}
			if end == 1 {
				return nil, fmt.Errorf("%q has an empty []; give an id, a key or an index", scenarios.Clip(path))
			}
			steps = append(steps, step{key: rest[1:end], isKey: true})
			rest = rest[end+1:]
			if rest != "" && rest[0] != '.' && rest[0] != '[' {
				return nil, fmt.Errorf("%q: a ] must be followed by . or [", scenarios.Clip(path))
			}
		case rest[0] == '.' && len(steps) > 0:
			rest = rest[1:]
			fallthrough
		default:
			end := strings.IndexAny(rest, ".[]")
			if end < 0 {
				end = len(rest)
			}
			if end == 0 {
				return nil, fmt.Errorf("%q has an empty field name", scenarios.Clip(path))
			}
			steps = append(steps, step{name: rest[:end]})
			rest = rest[end:]
			if rest != "" && rest[0] == ']' {
				return nil, fmt.Errorf("%q has a ] without its [", scenarios.Clip(path))
			}
		}
	}
	return steps, nil
}

// formatPath writes steps as an override's path: names joined by dots,
// keys in brackets.
func formatPath(steps []step) string {
	var b strings.Builder
	for _, s := range steps {
		if s.isKey {
			b.WriteString("[" + s.key + "]")
			continue
		}
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(s.name)
	}
	return b.String()
}

// canonicalPath is path as an override records it: parsed, and written
// again with keys in brackets — an entry of a map named after a dot too,
// so that routing.whitelists.intl and routing.whitelists[intl] are one
// path. Whether a step is a map's is read from the scenario's types;
// from a step that names no field on, the path is kept as written, for
// applying it to say what is wrong.
func canonicalPath(path string) (string, error) {
	steps, err := canonicalSteps(path)
	if err != nil {
		return "", err
	}
	return formatPath(steps), nil
}

// canonicalSteps are the steps of path in canonical form (see
// canonicalPath).
func canonicalSteps(path string) ([]step, error) {
	steps, _, err := typedSteps(path)
	return steps, err
}

// typedSteps are the steps of path in canonical form, and the type of the
// value it names; nil when the path names no value of the scenario's
// types.
func typedSteps(path string) ([]step, reflect.Type, error) {
	steps, err := parsePath(path)
	if err != nil {
		return nil, nil, err
	}
	t := reflect.TypeFor[scenarios.Scenario]()
	for i, st := range steps {
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		switch {
		case t.Kind() == reflect.Map:
			steps[i] = step{key: st.key + st.name, isKey: true}
			t = t.Elem()
		case t.Kind() == reflect.Slice && st.isKey:
			t = t.Elem()
		case t.Kind() == reflect.Struct && !st.isKey:
			f, ok := fieldNamed(t, st.name)
			if !ok {
				return steps, nil, nil
			}
			t = t.FieldByIndex(f.Index).Type
		default:
			return steps, nil, nil
		}
	}
	return steps, t, nil
}

// within reports whether the value inner names is the value outer names
// or part of it: outer's steps begin inner's.
func within(inner, outer []step) bool {
	return len(outer) <= len(inner) && slices.Equal(inner[:len(outer)], outer)
}

// slot is the place an override's path leads to: a struct field, a list
// item or a map entry, which set replaces.
type slot struct {
	typ   reflect.Type
	path  string // as Source.Pos takes it, e.g. datacenters[2].capacity.media
	shown string // as the override writes it, e.g. datacenters[us-sjc].capacity.media
	get   func() reflect.Value
	set   func(reflect.Value)
	field *scenarios.Field // the declaration, when the slot is a struct field
}

// setValue replaces the slot's value by v, of the slot's type or, for a
// pointer slot, of the type it points to.
func (s slot) setValue(v reflect.Value) {
	if s.typ.Kind() == reflect.Pointer && v.Type() == s.typ.Elem() {
		p := reflect.New(s.typ.Elem())
		p.Elem().Set(v)
		v = p
	}
	s.set(v)
}

// present returns the slot's value, through a pointer, or a problem when
// it is left out: there is nothing to scale, add to or take from.
func (s slot) present(o scenarios.Override) (reflect.Value, *scenarios.Problem) {
	v := s.get()
	if v.Kind() == reflect.Pointer {
		if v.IsNil() {
			p := o.Problemf("%s is not set (its default applies); set it with = first", s.shown)
			return reflect.Value{}, &p
		}
		v = v.Elem()
	}
	return v, nil
}

// resolveSlot follows steps from the top of c to the slot they name. For =, a
// map entry or an optional struct that is not there is made.
func resolveSlot(c *scenarios.Scenario, steps []step, o scenarios.Override) (slot, *scenarios.Problem) {
	root := reflect.ValueOf(c).Elem()
	at := slot{typ: root.Type(), shown: "the scenario", get: func() reflect.Value { return root }, set: root.Set}
	create := o.Op == opSet
	fail := func(format string, args ...any) (slot, *scenarios.Problem) {
		p := o.Problemf(format, args...)
		return slot{}, &p
	}
	for i, st := range steps {
		v := at.get()
		if v.Kind() == reflect.Pointer {
			if v.IsNil() {
				if !create {
					return fail("%s is not set; set it with = first", at.shown)
				}
				v = reflect.New(v.Type().Elem())
				at.set(v)
			}
			v = v.Elem()
		}
		shown := formatPath(steps[:i+1])
		switch {
		case v.Kind() == reflect.Map:
			key := st.name
			if st.isKey {
				key = st.key
			}
			if v.IsNil() {
				if !create {
					return fail("%s is empty: it has no %q", at.shown, key)
				}
				v = reflect.MakeMap(v.Type())
				at.set(v)
			}
			k := reflect.ValueOf(key).Convert(v.Type().Key())
			if !v.MapIndex(k).IsValid() && !(create && i == len(steps)-1) {
				return fail("%s has no %q; it has %s", at.shown, key, strings.Join(scenarios.ClipAll(mapKeys(v)), ", "))
			}
			if !scenarios.ID(key).Valid() {
				return fail("%q is not a name: use 1 to 64 letters, digits, '_', '.' or '-'", key)
			}
			m, elem := v, v.Type().Elem()
			at = slot{
				typ: elem, path: scenarios.Join(at.path, key), shown: shown,
				get: func() reflect.Value {
					if e := m.MapIndex(k); e.IsValid() {
						return e
					}
					return reflect.Zero(elem)
				},
				set: func(e reflect.Value) { m.SetMapIndex(k, e) },
			}
		case !st.isKey && v.Kind() == reflect.Struct:
			f, ok := fieldNamed(v.Type(), st.name)
			if !ok {
				return fail("%s", unknownFieldMessage(at.shown, st.name, v.Type()))
			}
			fv := v.FieldByIndex(f.Index)
			at = slot{typ: fv.Type(), path: scenarios.Join(at.path, f.Name), shown: shown, get: func() reflect.Value { return fv }, set: fv.Set, field: &f}
		case st.isKey && v.Kind() == reflect.Slice:
			j, msg := itemIndex(v, st.key)
			if msg != "" {
				return fail("%s %s", at.shown, msg)
			}
			ev := v.Index(j)
			at = slot{typ: ev.Type(), path: scenarios.Index(at.path, j), shown: shown, get: func() reflect.Value { return ev }, set: ev.Set}
		case st.isKey:
			return fail("%s is %s, not a list or a map: it has no [%s]", at.shown, kindOf(v.Type()), st.key)
		default:
			return fail("%s is %s: it has no field %q", at.shown, kindOf(v.Type()), st.name)
		}
	}
	return at, nil
}

// fieldNamed is the field of struct type t whose YAML name is name.
func fieldNamed(t reflect.Type, name string) (scenarios.Field, bool) {
	for _, f := range scenarios.FieldsOf(t) {
		if f.Name == name {
			return f, true
		}
	}
	return scenarios.Field{}, false
}

// unknownFieldMessage says that the struct of type t at shown has no field
// name, with the likely intended one or the list of fields.
func unknownFieldMessage(shown, name string, t reflect.Type) string {
	var names []string
	for _, f := range scenarios.FieldsOf(t) {
		names = append(names, f.Name)
	}
	if s := scenarios.Suggest(name, names); s != "" {
		return fmt.Sprintf("%s has no field %q; did you mean %q?", shown, scenarios.Clip(name), s)
	}
	return fmt.Sprintf("%s has no field %q; its fields are %s", shown, scenarios.Clip(name), strings.Join(names, ", "))
}

var routeType = reflect.TypeFor[scenarios.Route]()

// keyed reports whether items of type t are named by a key rather than an
// index: items with an id, and routes.
func keyed(t reflect.Type) bool {
	if t == routeType {
		return true
	}
	if t.Kind() != reflect.Struct {
		return false
	}
	f, ok := t.FieldByName("ID")
	return ok && f.Type == idType
}

// itemKey is the key that names a list item: its id, or for a route its
// region, region/plan or @population.
func itemKey(item reflect.Value) (string, bool) {
	if item.Type() == routeType {
		r := item.Interface().(scenarios.Route)
		return r.Key(), true
	}
	if !keyed(item.Type()) {
		return "", false
	}
	return item.FieldByName("ID").String(), true
}

// itemIndex finds the item of list that key names: by id or route key, or
// by index in a list without ids. msg says why there is none.
func itemIndex(list reflect.Value, key string) (int, string) {
	if keyed(list.Type().Elem()) {
		for i := range list.Len() {
			if k, _ := itemKey(list.Index(i)); k == key {
				return i, ""
			}
		}
		keys := make([]string, list.Len())
		for i := range keys {
			keys[i], _ = itemKey(list.Index(i))
		}
		what := "id"
		if list.Type().Elem() == routeType {
			what = "route (region, region/plan or @population)"
		}
		msg := fmt.Sprintf("has no item with %s %q; it has %s", what, scenarios.Clip(key), strings.Join(scenarios.ClipAll(keys), ", "))
		if s := scenarios.Suggest(key, keys); s != "" {
			msg += fmt.Sprintf("; did you mean %q?", s)
		}
		return 0, msg
	}
	i, err := strconv.Atoi(key)
	switch {
	case err != nil:
		return 0, fmt.Sprintf("is a list without ids: name an item by its index, from 0, not %q", scenarios.Clip(key))
	case list.Len() == 0:
		return 0, "is empty"
	case i < 0 || i >= list.Len():
		return 0, fmt.Sprintf("has %d %s: give an index from 0 to %d, not %d", list.Len(), plural(list.Len(), "item", "items"), list.Len()-1, i)
	}
	return i, ""
}

// listing names the items of a list for a message: their keys, or their
// values when they are scalars.
func listing(list reflect.Value) string {
	var names []string
	for i := range list.Len() {
		item := list.Index(i)
		if k, ok := itemKey(item); ok {
			names = append(names, k)
		} else {
			names = append(names, fmt.Sprint(item.Interface()))
		}
	}
	if len(names) == 0 {
		return "nothing"
	}
	return strings.Join(scenarios.ClipAll(names), ", ")
}

// mapKeys returns the keys of map m, sorted.
func mapKeys(m reflect.Value) []string {
	var keys []string
	for _, k := range m.MapKeys() {
		keys = append(keys, k.String())
	}
	slices.Sort(keys)
	return keys
}

// sortedMapKeys returns the keys of map m sorted, as values.
func sortedMapKeys(m reflect.Value) []reflect.Value {
	keys := m.MapKeys()
	slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
	return keys
}

// plural is one or many by n.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
