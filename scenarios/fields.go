package scenarios

import (
	"reflect"
	"strings"
	"sync"
)

// field is one YAML field of a struct type, as its tags declare it. The
// decoder, the validator's enum checks and the schema all read these, so
// that the format is declared once, in types.go.
type field struct {
	name     string // YAML key
	index    []int  // for reflect.Value.FieldByIndex; more than one step for inline fields
	required bool   // no omitempty
	doc      string
	enum     []string // closed set of values, from the enum tag
	emptyOK  bool     // free text: an explicit "" is a value (tag empty:"ok")
	nullOK   bool     // optional, and null counts as left out (unless tag null:"refused")
}

var fieldCache sync.Map // reflect.Type -> []field

// fieldsOf returns the YAML fields of struct type t in declaration order,
// with the fields of `,inline` structs in place of the struct.
func fieldsOf(t reflect.Type) []field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]field)
	}
	var fs []field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("yaml")
		if !ok || tag == "-" || !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if opts == "inline" {
			for _, inner := range fieldsOf(sf.Type) {
				inner.index = append([]int{i}, inner.index...)
				fs = append(fs, inner)
			}
			continue
		}
		f := field{name: name, index: []int{i}, required: opts != "omitempty", doc: sf.Tag.Get("doc"),
			emptyOK: sf.Tag.Get("empty") == "ok"}
		f.nullOK = !f.required && sf.Tag.Get("null") != "refused"
		if e := sf.Tag.Get("enum"); e != "" {
			f.enum = strings.Split(e, ",")
		}
		fs = append(fs, f)
	}
	fieldCache.Store(t, fs)
	return fs
}

// enumOf returns the closed set of values of the field named yamlName in t.
func enumOf(t reflect.Type, yamlName string) []string {
	for _, f := range fieldsOf(t) {
		if f.name == yamlName {
			return f.enum
		}
	}
	panic("scenarios: no field " + yamlName + " in " + t.Name())
}
