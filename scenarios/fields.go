package scenarios

import (
	"reflect"
	"strings"
	"sync"
)

// Field is one YAML field of a struct type, as its tags declare it. The
// decoder, the validator's enum checks and the schema all read these, so
// that the format is declared once, in types.go.
type Field struct {
	Name     string // YAML key
	Index    []int  // for reflect.Value.FieldByIndex; more than one step for inline fields
	Required bool   // no omitempty
	Doc      string
	Enum     []string // closed set of values, from the enum tag
	EmptyOK  bool     // free text: an explicit "" is a value (tag empty:"ok")
	NullOK   bool     // optional, and null counts as left out (unless tag null:"refused")
}

var fieldCache sync.Map // reflect.Type -> []field

// FieldsOf returns the YAML fields of struct type t in declaration order,
// with the fields of `,inline` structs in place of the struct.
func FieldsOf(t reflect.Type) []Field {
	if fs, ok := fieldCache.Load(t); ok {
		return fs.([]Field)
	}
	var fs []Field
	for i := range t.NumField() {
		sf := t.Field(i)
		tag, ok := sf.Tag.Lookup("yaml")
		if !ok || tag == "-" || !sf.IsExported() {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if opts == "inline" {
			for _, inner := range FieldsOf(sf.Type) {
				inner.Index = append([]int{i}, inner.Index...)
				fs = append(fs, inner)
			}
			continue
		}
		f := Field{Name: name, Index: []int{i}, Required: opts != "omitempty", Doc: sf.Tag.Get("doc"),
			EmptyOK: sf.Tag.Get("empty") == "ok"}
		f.NullOK = !f.Required && sf.Tag.Get("null") != "refused"
		if e := sf.Tag.Get("enum"); e != "" {
			f.Enum = strings.Split(e, ",")
		}
		fs = append(fs, f)
	}
	fieldCache.Store(t, fs)
	return fs
}

// EnumOf returns the closed set of values of the field named yamlName in t.
func EnumOf(t reflect.Type, yamlName string) []string {
	for _, f := range FieldsOf(t) {
		if f.Name == yamlName {
			return f.Enum
		}
	}
	panic("scenarios: no field " + yamlName + " in " + t.Name())
}
