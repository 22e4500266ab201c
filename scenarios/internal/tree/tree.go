// Package tree is a configuration file read as a tree of values that each
// know where they stand, whatever the file's syntax (JSON here; HCL and
// YAML are turned into it by the importers that read them), so that an
// importer reads every syntax with one walker and locates every value and
// every problem at its line and column.
package tree

import (
	"strconv"
	"strings"
)

// Kind is what a value is.
type Kind uint8

// The kinds of value.
const (
	Null Kind = iota
	Bool
	Number
	String
	List
	Map
)

func (k Kind) String() string {
	return [...]string{"null", "a boolean", "a number", "a string", "a list", "an object"}[k]
}

// Pos is a 1-based line and column (in characters) in a file.
type Pos struct{ Line, Column int }

// Node is one value of a file.
type Node struct {
	Kind Kind
	Pos  Pos
	// Path names the value in messages: a JSON pointer (RFC 6901) in a
	// JSON file, a dotted path with indices and quoted keys elsewhere.
	Path   string
	Text   string  // a String's value; a Number's or Bool's literal
	Items  []*Node // a List's items
	Fields []Field // an Object's members, in file order
}

// Field is one member of an object.
type Field struct {
	Key    string
	KeyPos Pos
	Value  *Node
}

// Get returns the value of the first member named key, or nil.
func (n *Node) Get(key string) *Node {
	if n == nil {
		return nil
	}
	for _, f := range n.Fields {
		if f.Key == key {
			return f.Value
		}
	}
	return nil
}

// Empty reports whether n says nothing: absent, null, "", false, 0, or an
// empty list or object (Terraform writes every unset block as [] and
// every unset attribute as null).
func (n *Node) Empty() bool {
	if n == nil {
		return true
	}
	switch n.Kind {
	case Null:
		return true
	case Bool:
		return n.Text == "false"
	case Number:
		f, err := strconv.ParseFloat(n.Text, 64)
		return err == nil && f == 0
	case String:
		return n.Text == ""
	case List:
		for _, it := range n.Items {
			if !it.Empty() {
				return false
			}
		}
		return true
	default:
		for _, f := range n.Fields {
			if !f.Value.Empty() {
				return false
			}
		}
		return true
	}
}

// Style says how a file's paths are written.
type Style uint8

// The path styles.
const (
	Pointer Style = iota // /a/0/b~1c
	Dotted               // a[0]["b/c"]
)

// Child is the path of member key of the value at path.
func (s Style) Child(path, key string) string {
	if s == Pointer {
		return path + "/" + strings.NewReplacer("~", "~0", "/", "~1").Replace(key)
	}
	if plainKey(key) {
		if path == "" {
			return key
		}
		return path + "." + key
	}
	return path + "[" + strconv.Quote(key) + "]"
}

// Item is the path of item i of the list at path.
func (s Style) Item(path string, i int) string {
	if s == Pointer {
		return path + "/" + strconv.Itoa(i)
	}
	return path + "[" + strconv.Itoa(i) + "]"
}

// plainKey reports whether key reads unambiguously after a dot.
func plainKey(key string) bool {
	if key == "" {
		return false
	}
	for _, r := range key {
		if !(r == '_' || r == '-' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z') {
			return false
		}
	}
	return true
}
