// Package schema derives the JSON Schema (draft 2020-12) of the scenario
// and study file formats from the same types and tags the loader reads, for
// editors' YAML language servers and geofence schema.
package schema

import (
	"bytes"
	"encoding/json"
	"maps"
	"reflect"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
)

// Patterns of the scalars written as text. They describe the common forms;
// the loader's parsers remain the authority.
const (
	number           = `([0-9]+(\.[0-9]*)?|\.[0-9]+)`
	goDuration       = `\+?(` + number + `(ns|us|µs|μs|ms|s|m|h))+`
	durationBody     = `(0|\+?` + number + `d(` + goDuration + `)?|` + goDuration + `)`
	durationPattern  = `^` + durationBody + `$`
	offsetPattern    = `^[+-]?` + durationBody + `$`
	calendarPattern  = `^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2}| [A-Za-z_]+(/[A-Za-z0-9_+-]+)*)$`
	schemaDialect    = "https://json-schema.org/draft/2020-12/schema"
	scenarioDocument = "A geofence scenario: datacenters, who calls them and how, the routing that places the calls and the policy that routing must keep."
	studyDocument    = "A geofence study: a scenario, overrides applied at every point, and axes whose values' combinations are the points of a sweep."
)

// Scenario returns the JSON Schema (draft 2020-12) of the scenario format,
// derived from the same types and tags as the loader. Its output is
// deterministic: keys sorted, indented, ending in a newline.
func Scenario() []byte {
	return schemaOf(reflect.TypeFor[scenarios.Scenario](), "geofence scenario", scenarioDocument)
}

// Study returns the JSON Schema of the study file format, as Scenario
// does the scenario's.
func Study() []byte {
	return schemaOf(reflect.TypeFor[format.Study](), "geofence study", studyDocument)
}

// schemaOf returns the JSON Schema of the file format whose top level is
// struct type t.
func schemaOf(t reflect.Type, title, description string) []byte {
	g := schemaGen{defs: map[string]any{}}
	root := g.object(t)
	root["$schema"] = schemaDialect
	root["title"] = title
	root["description"] = description
	root["$defs"] = g.defs
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		panic("scenarios: schema: " + err.Error()) // only plain maps, slices and strings go in
	}
	return b.Bytes()
}

// schemaGen builds schemas, collecting named types under $defs.
type schemaGen struct {
	defs map[string]any
}

// scalarSchemas are the types with a syntax of their own.
var scalarSchemas = map[reflect.Type]map[string]any{
	reflect.TypeFor[scenarios.ID](): {
		"type":        "string",
		"pattern":     scenarios.IDPattern.String(),
		"description": "An identifier: 1 to 64 letters, digits, '_', '.' or '-'.",
	},
	reflect.TypeFor[scenarios.Code](): {
		"type":        "string",
		"description": "An ISO 3166-1 alpha-2 country code (US, DE, NO) or the name of a group under jurisdictions.groups.",
	},
	reflect.TypeFor[scenarios.Duration](): {
		"anyOf":       []any{map[string]any{"type": "string", "pattern": durationPattern}, map[string]any{"const": 0}},
		"description": "A span of time: a Go duration with an optional leading day count (250ms, 5s, 1h30m, 2d, 1d12h), or 0.",
	},
	reflect.TypeFor[scenarios.Moment](): {
		"anyOf": []any{map[string]any{"type": "string", "pattern": durationPattern}, map[string]any{"const": 0},
			map[string]any{"type": "string", "pattern": calendarPattern}},
		"description": "A moment: a span of time from the start of the simulation, as a duration is written, or a calendar time placed by run.start: RFC 3339 with its offset, seconds optional (2020-04-01T14:00+01:00, 2020-04-01T13:00Z), or a local time and an IANA time zone (2020-04-01T14:00 Europe/Berlin).",
	},
	reflect.TypeFor[scenarios.Offset](): {
		"anyOf":       []any{map[string]any{"type": "string", "pattern": offsetPattern}, map[string]any{"const": 0}},
		"description": "An offset from UTC, like a duration with an optional sign (-5h, +5h30m), at most 14h either way.",
	},
	reflect.TypeFor[scenarios.Probability](): {
		"type":        "number",
		"minimum":     0,
		"maximum":     1,
		"description": "A probability, 0 to 1.",
	},
	reflect.TypeFor[scenarios.Capacity](): {
		"anyOf":       []any{map[string]any{"type": "integer", "minimum": 0}, map[string]any{"const": "unlimited"}},
		"description": "Concurrent participants: a non-negative whole number, or unlimited.",
	},
	reflect.TypeFor[format.ValueText](): {
		"description": "A value as an override sets it: a number, a string, a duration, a list or a mapping, written as in a scenario.",
	},
}

// schema returns the schema of a value of type t.
func (g schemaGen) schema(t reflect.Type) map[string]any {
	if s, ok := scalarSchemas[t]; ok {
		g.defs[t.Name()] = s
		return ref(t)
	}
	switch t.Kind() {
	case reflect.String:
		return map[string]any{"type": "string"}
	case reflect.Float64:
		return map[string]any{"type": "number"}
	case reflect.Int:
		return map[string]any{"type": "integer"}
	case reflect.Uint64:
		return map[string]any{"type": "integer", "minimum": 0}
	case reflect.Bool:
		return map[string]any{"type": "boolean"}
	case reflect.Pointer:
		return g.schema(t.Elem())
	case reflect.Slice:
		return map[string]any{"type": "array", "items": g.schema(t.Elem())}
	case reflect.Map:
		return map[string]any{"type": "object", "additionalProperties": g.schema(t.Elem())}
	case reflect.Struct:
		if _, done := g.defs[t.Name()]; !done {
			g.defs[t.Name()] = map[string]any{} // until made: a type may hold itself (a zip of axes)
			g.defs[t.Name()] = g.object(t)
		}
		return ref(t)
	}
	panic("scenarios: the schema has no case for " + t.String())
}

// object is the schema of a struct: its declared fields and no others.
func (g schemaGen) object(t reflect.Type) map[string]any {
	props := map[string]any{}
	required := []string{}
	for _, f := range scenarios.FieldsOf(t) {
		p := g.schema(t.FieldByIndex(f.Index).Type)
		if f.Enum != nil {
			p = map[string]any{"type": "string", "enum": f.Enum}
		}
		if f.Doc != "" {
			p = withDescription(p, f.Doc)
		}
		if !f.Required && !f.EmptyOK && f.Enum == nil && t.FieldByIndex(f.Index).Type.Kind() == reflect.String {
			p["minLength"] = 1 // written empty, it would be taken for left out
		}
		props[f.Name] = p
		if f.Required {
			required = append(required, f.Name)
		}
	}
	s := map[string]any{"type": "object", "properties": props, "additionalProperties": false}
	if len(required) > 0 {
		s["required"] = required
	}
	return s
}

func ref(t reflect.Type) map[string]any {
	return map[string]any{"$ref": "#/$defs/" + t.Name()}
}

// withDescription returns a copy of s described by doc.
func withDescription(s map[string]any, doc string) map[string]any {
	out := maps.Clone(s)
	out["description"] = doc
	return out
}
