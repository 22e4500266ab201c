package tree

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"
)

// MaxDepth bounds how deeply a file's values may nest: configuration
// files nest a dozen levels, and the bound keeps a hostile file from
// exhausting the stack.
const MaxDepth = 200

// ParseJSON reads one JSON value (and nothing after it but white space)
// with the position and JSON pointer of every value. Duplicate keys in an
// object are an error: encoding/json would silently keep the last one, and
// which one the tool that wrote the file reads is not certain. The error
// is located.
func ParseJSON(data []byte) (*Node, *SyntaxError) {
	p := &jsonParser{data: data, dec: json.NewDecoder(bytes.NewReader(data)), lines: lineStarts(data)}
	p.dec.UseNumber()
	root, err := p.value("", 0)
	if err != nil {
		return nil, err
	}
	if off := p.next(); off < len(p.data) {
		return nil, p.errorf(off, "unexpected data after the top-level value")
	}
	return root, nil
}

// SyntaxError is a file that cannot be read at all, located.
type SyntaxError struct {
	Pos Pos
	Msg string
}

func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%d:%d: %s", e.Pos.Line, e.Pos.Column, e.Msg)
}

type jsonParser struct {
	data  []byte
	dec   *json.Decoder
	lines []int
}

// next is the offset where the next token starts: past white space and
// the separators encoding/json consumes with the token after them.
func (p *jsonParser) next() int {
	off := int(p.dec.InputOffset())
	for off < len(p.data) {
		switch p.data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
			continue
		}
		break
	}
	return off
}

func (p *jsonParser) errorf(off int, format string, args ...any) *SyntaxError {
	return &SyntaxError{Pos: Locate(p.data, p.lines, off), Msg: fmt.Sprintf(format, args...)}
}

// token reads the next token and where it starts.
func (p *jsonParser) token() (json.Token, int, *SyntaxError) {
	off := p.next()
	t, err := p.dec.Token()
	if err != nil {
		var se *json.SyntaxError
		switch {
		case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF):
			return nil, off, p.errorf(len(p.data), "unexpected end of file")
		case errors.As(err, &se):
			return nil, off, p.errorf(int(se.Offset), "%s", se.Error())
		}
		return nil, off, p.errorf(off, "%s", err.Error())
	}
	return t, off, nil
}

func (p *jsonParser) value(path string, depth int) (*Node, *SyntaxError) {
	t, off, err := p.token()
	if err != nil {
		return nil, err
	}
	n := &Node{Pos: Locate(p.data, p.lines, off), Path: path}
	switch t := t.(type) {
	case nil:
		n.Kind = Null
	case bool:
		n.Kind, n.Text = Bool, fmt.Sprint(t)
	case json.Number:
		n.Kind, n.Text = Number, string(t)
	case string:
		n.Kind, n.Text = String, t
	case json.Delim:
		if depth >= MaxDepth {
			return nil, p.errorf(off, "values nest more than %d deep", MaxDepth)
		}
		if t == '[' {
			n.Kind = List
			for p.dec.More() {
				item, err := p.value(Pointer.Item(path, len(n.Items)), depth+1)
				if err != nil {
					return nil, err
				}
				n.Items = append(n.Items, item)
			}
		} else {
			n.Kind = Map
			first := map[string]Pos{}
			for p.dec.More() {
				kt, koff, err := p.token()
				if err != nil {
					return nil, err
				}
				key := kt.(string) // encoding/json only gives string keys here
				kpos := Locate(p.data, p.lines, koff)
				if at, dup := first[key]; dup {
					return nil, &SyntaxError{Pos: kpos, Msg: fmt.Sprintf("key %q is given twice in this object (first at line %d)", key, at.Line)}
				}
				first[key] = kpos
				v, err := p.value(Pointer.Child(path, key), depth+1)
				if err != nil {
					return nil, err
				}
				n.Fields = append(n.Fields, Field{Key: key, KeyPos: kpos, Value: v})
			}
		}
		if _, _, err := p.token(); err != nil { // the closing ] or }
			return nil, err
		}
	}
	return n, nil
}

// lineStarts returns the offset at which each line of data starts.
func lineStarts(data []byte) []int {
	starts := []int{0}
	for i, b := range data {
		if b == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}

// Locate turns byte offset off of data, whose lines start at lines, into
// a line and a column counted in characters.
func Locate(data []byte, lines []int, off int) Pos {
	off = min(max(off, 0), len(data))
	lo, hi := 0, len(lines)-1
	for lo < hi { // the last line start at or before off
		mid := (lo + hi + 1) / 2
		if lines[mid] <= off {
			lo = mid
		} else {
			hi = mid - 1
		}
	}
	return Pos{Line: lo + 1, Column: utf8.RuneCount(data[lines[lo]:off]) + 1}
}
