// Package strictjson reads back what geofence wrote — a shard's partial to
// merge, a saved result to draw — from a file anyone may have written: as
// strictly as it was written, every error located by its value's JSON
// pointer or by line and column, never repeating the file's content.
package strictjson

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/go-json-experiment/json"
	"github.com/go-json-experiment/json/jsontext"

	"github.com/geofence/geofence/scenarios"
)

// A result is read back — a shard's partial to merge, a saved result to
// draw — from a file anyone may have written. Read decodes it as
// strictly as geofence writes it: every member the type always writes
// present at the top, no member it does not know, no member twice,
// arrays of a fixed length (the three planes) exactly that long, and no
// string longer than MaxText (MaxSourceText for the scenario and study
// files a partial carries). Its errors locate what is wrong by the JSON
// pointer of the value, or by line and column, and never repeat the
// file's content: a file that is not a result may be anything.

// The bounds on a string in a result: MaxText for any, which is far more
// than a name, a path or a reason ever takes, and MaxSourceText for the
// text of a scenario or study file a partial carries, which is what the
// loader reads of one.
const (
	MaxText       = 1 << 20
	MaxSourceText = 8 << 20
)

// FieldError is a value no run could have written, at Pointer (RFC 6901)
// in the JSON it was read from.
type FieldError struct {
	Pointer string
	Msg     string
}

func (e *FieldError) Error() string {
	if e.Pointer == "" {
		return e.Msg
	}
	return scenarios.Clip(e.Pointer) + ": " + e.Msg
}

// Fieldf makes a FieldError at pointer.
func Fieldf(pointer, format string, args ...any) *FieldError {
	return &FieldError{Pointer: pointer, Msg: fmt.Sprintf(format, args...)}
}

// Under returns err with a FieldError's pointer put under prefix, the
// pointer of the value it was read from; any other error as it is.
func Under(prefix string, err error) error {
	var fe *FieldError
	if errors.As(err, &fe) {
		return &FieldError{Pointer: prefix + fe.Pointer, Msg: fe.Msg}
	}
	return err
}

// SyntaxError is JSON that is not well formed, at a line and column.
type SyntaxError struct {
	Line, Column int
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("not well-formed JSON at line %d, column %d", e.Line, e.Column)
}

// Read decodes data into v, a pointer to a struct, strictly (see
// above). Its errors are a *SyntaxError or a *FieldError.
func Read(data []byte, v any) error {
	err := json.Unmarshal(data, v, json.RejectUnknownMembers(true), json.WithUnmarshalers(json.UnmarshalFromFunc(boundedString)))
	if err != nil {
		return located(data, err)
	}
	return requireMembers(data, reflect.TypeOf(v).Elem())
}

// boundedString reads a JSON string of at most MaxText bytes (as
// written), or MaxSourceText for a file's text.
func boundedString(dec *jsontext.Decoder, s *string) error {
	if dec.PeekKind() != '"' {
		return errors.ErrUnsupported // null and the rest: decoded as usual
	}
	raw, err := dec.ReadValue()
	if err != nil {
		return err
	}
	limit := MaxText
	if isSourceText(dec.StackPointer()) {
		limit = MaxSourceText
	}
	if len(raw) > limit {
		return Fieldf("", "a string of %s; no result holds one of more than %s", humanize.IBytes(uint64(len(raw))), humanize.IBytes(uint64(limit)))
	}
	text, err := jsontext.AppendUnquote(nil, raw)
	if err != nil {
		return err
	}
	*s = string(text)
	return nil
}

// isSourceText reports whether the string at pointer p is a file's text
// a partial carries: /job/scenario/yaml, /job/study/yaml or
// /job/baseline/yaml.
func isSourceText(p jsontext.Pointer) bool {
	parts := strings.Split(string(p), "/")
	return len(parts) == 4 && parts[1] == "job" && parts[3] == "yaml"
}

// located turns the JSON library's errors into ones that say where, and
// what was wanted, without the values it quotes.
func located(data []byte, err error) error {
	var syntax *jsontext.SyntacticError
	var semantic *json.SemanticError
	switch {
	case err == nil:
		return nil
	case errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF):
		return syntaxAt(data, int64(len(data)))
	case errors.As(err, &syntax) && errors.Is(syntax.Err, jsontext.ErrDuplicateName):
		return Fieldf(parent(syntax.JSONPointer), "a member given twice")
	case errors.As(err, &syntax):
		return syntaxAt(data, syntax.ByteOffset)
	case errors.As(err, &semantic):
		pointer := string(semantic.JSONPointer)
		var inner *FieldError
		switch {
		case errors.As(semantic.Err, &inner):
			return Under(pointer, inner)
		case errors.Is(semantic.Err, json.ErrUnknownName):
			if at := parent(semantic.JSONPointer); at != "" {
				return Fieldf(at, "holds a member geofence does not write (its name is not repeated here)")
			}
			return Fieldf("", "the top level holds a member geofence does not write (its name is not repeated here)")
		case errors.Is(semantic.Err, strconv.ErrRange):
			return Fieldf(pointer, "want %s, got one out of its range", goKind(semantic.GoType))
		case semantic.GoType != nil && semantic.GoType.Kind() == reflect.Array && semantic.Err != nil:
			return Fieldf(pointer, "want an array of %d, got one of another length", semantic.GoType.Len())
		case semantic.GoType != nil && semantic.JSONKind != 0:
			return Fieldf(pointer, "want %s, got %s", goKind(semantic.GoType), jsonKind(semantic.JSONKind))
		}
		// Other errors may quote the value (a time that does not parse):
		// say what was wanted, not what was there.
		return Fieldf(pointer, "not a value this member holds: want %s", goKind(semantic.GoType))
	}
	return err
}

// parent is the pointer of the object or array holding the value at p:
// a member's name, which may be anything, is not repeated.
func parent(p jsontext.Pointer) string {
	return string(p[:max(strings.LastIndexByte(string(p), '/'), 0)])
}

// syntaxAt is a SyntaxError at byte offset of data.
func syntaxAt(data []byte, offset int64) *SyntaxError {
	offset = min(max(offset, 0), int64(len(data)))
	before := data[:offset]
	line := bytes.Count(before, []byte{'\n'}) + 1
	return &SyntaxError{Line: line, Column: int(offset) - (bytes.LastIndexByte(before, '\n') + 1) + 1}
}

// goKind says what a Go type holds, in a message's words.
func goKind(t reflect.Type) string {
	for t != nil && t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t == nil {
		return "another value"
	}
	switch t.Kind() {
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return "a whole number"
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return "a whole number of 0 or more"
	case reflect.Float32, reflect.Float64:
		return "a number"
	case reflect.Slice:
		return "an array"
	case reflect.Array:
		return fmt.Sprintf("an array of %d", t.Len())
	}
	return "an object"
}

// jsonKind names a JSON kind.
func jsonKind(k jsontext.Kind) string {
	switch k {
	case 'n':
		return "null"
	case 't', 'f':
		return "true or false"
	case '"':
		return "a string"
	case '0':
		return "a number"
	case '{':
		return "an object"
	case '[':
		return "an array"
	}
	return "something else"
}

// requireMembers checks that the JSON object data holds every member
// that a value of type t always has: the fields without omitempty or
// omitzero, those of embedded structs included. What else is wrong is
// left to decoding.
func requireMembers(data []byte, t reflect.Type) error {
	dec := jsontext.NewDecoder(bytes.NewReader(data))
	tok, err := dec.ReadToken()
	if err != nil {
		return located(data, err)
	}
	if tok.Kind() != '{' {
		return Fieldf("", "want an object, got %s", jsonKind(tok.Kind()))
	}
	present := map[string]bool{}
	for dec.PeekKind() == '"' {
		name, err := dec.ReadToken()
		if err != nil {
			return located(data, err)
		}
		present[name.String()] = true
		if err := dec.SkipValue(); err != nil {
			return located(data, err)
		}
	}
	for _, name := range requiredMembers(t) {
		if !present[name] {
			return Fieldf("/"+name, "missing, and geofence always writes it")
		}
	}
	return nil
}

// requiredMembers are the JSON members a value of struct type t is always
// written with.
func requiredMembers(t reflect.Type) []string {
	var names []string
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		name, opts, _ := strings.Cut(tag, ",")
		switch {
		case tag == "-" || !f.IsExported():
		case f.Anonymous && name == "" && f.Type.Kind() == reflect.Struct:
			names = append(names, requiredMembers(f.Type)...)
		case strings.Contains(opts, "omitempty") || strings.Contains(opts, "omitzero"):
		case name == "":
			names = append(names, f.Name)
		default:
			names = append(names, name)
		}
	}
	return names
}
