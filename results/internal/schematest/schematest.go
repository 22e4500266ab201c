// Package schematest holds a document geofence writes to the JSON Schema
// of its format, for tests: the bytes as written, not what a library
// reads back of them.
package schematest

import (
	"bytes"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
)

// Schema is a JSON Schema, compiled when first needed.
type Schema struct {
	what    string // what a document it accepts is, for a failure
	compile func() (*jsonschema.Schema, error)
}

// New is the schema data, named name, that accepts what documents are
// (e.g. "valid SARIF 2.1.0"), formats asserted.
func New(name string, data []byte, what string) *Schema {
	return &Schema{what: what, compile: sync.OnceValues(func() (*jsonschema.Schema, error) {
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
		if err != nil {
			return nil, err
		}
		c := jsonschema.NewCompiler()
		c.AssertFormat()
		if err := c.AddResource(name, doc); err != nil {
			return nil, err
		}
		return c.Compile(name)
	})}
}

// Valid fails t unless doc is JSON that s accepts.
func (s *Schema) Valid(t testing.TB, doc []byte) {
	t.Helper()
	schema, err := s.compile()
	if err != nil {
		t.Fatal(err)
	}
	v, err := jsonschema.UnmarshalJSON(bytes.NewReader(doc))
	if err != nil {
		t.Fatalf("not JSON: %v\n%s", err, doc)
	}
	if err := schema.Validate(v); err != nil {
		t.Fatalf("not %s: %v", s.what, err)
	}
}
