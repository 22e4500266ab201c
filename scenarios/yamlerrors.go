package scenarios

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"
)

// What the YAML library says about a file it cannot read, located: the
// scenario loader and the importers of YAML files share it.

var (
	yamlErrorLine = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)
	unknownAnchor = regexp.MustCompile(`^yaml: unknown anchor '(.*)' referenced$`)
)

// parserProblems are the YAML library's parser errors (as opposed to its
// scanner's), whose "line N" counts from 0.
var parserProblems = []string{
	"did not find expected ',' or ']'",
	"did not find expected ',' or '}'",
	"did not find expected '-' indicator",
	"did not find expected <document start>",
	"did not find expected <stream-start>",
	"did not find expected key",
	"did not find expected node content",
	"found duplicate %TAG directive",
	"found duplicate %YAML directive",
	"found incompatible YAML document",
	"found undefined tag handle",
}

// YAMLSyntaxProblem turns the YAML library's error about data, the
// contents of file, into a located Problem. The library says "yaml: line N: msg", counting N from 0 for its
// parser's errors and from 1 for its scanner's, leaves the line out when
// it is the first, and gives no position at all for bytes that are not
// UTF-8 or not allowed in YAML, or for an alias whose anchor comes later:
// those the loader finds in data itself.
func YAMLSyntaxProblem(file string, data []byte, err error) Problem {
	msg := err.Error()
	if m := yamlErrorLine.FindStringSubmatch(msg); m != nil {
		line, _ := strconv.Atoi(m[1])
		if slices.Contains(parserProblems, m[2]) {
			line++
		}
		return Problem{File: file, Line: line, Msg: "invalid YAML: " + m[2]}
	}
	if m := unknownAnchor.FindStringSubmatch(msg); m != nil {
		p := Problem{File: file, Line: 1, Msg: "invalid YAML: an alias (*) comes before its anchor (&), or there is no such anchor"}
		if off := aliasOffset(data, m[1]); off >= 0 {
			p.Line, p.Column = lineColumn(data, off)
		}
		return p
	}
	if off, what := unreadable(data); off >= 0 {
		line, column := lineColumn(data, off)
		return Problem{File: file, Line: line, Column: column, Msg: "invalid YAML: " + what}
	}
	return Problem{File: file, Line: 1, Msg: "invalid YAML: " + strings.TrimPrefix(msg, "yaml: ")}
}

// unreadable finds the first byte of data that is not UTF-8 or is a
// character YAML does not allow, and says what it is; -1 when there is
// none, or when data is UTF-16, which the YAML library reads too.
func unreadable(data []byte) (offset int, what string) {
	if bytes.HasPrefix(data, []byte{0xfe, 0xff}) || bytes.HasPrefix(data, []byte{0xff, 0xfe}) {
		return -1, ""
	}
	for off := 0; off < len(data); {
		r, size := utf8.DecodeRune(data[off:])
		switch {
		case r == utf8.RuneError && size <= 1:
			return off, fmt.Sprintf("byte 0x%02x is not UTF-8; save the file as UTF-8", data[off])
		case !yamlAllows(r):
			return off, fmt.Sprintf("control character %U is not allowed", r)
		}
		off += size
	}
	return -1, ""
}

// yamlAllows reports whether YAML allows character r in a file (YAML 1.2,
// c-printable).
func yamlAllows(r rune) bool {
	return r == '\t' || r == '\n' || r == '\r' || r >= 0x20 && r <= 0x7e || r == 0x85 ||
		r >= 0xa0 && r <= 0xd7ff || r >= 0xe000 && r <= 0xfffd || r >= 0x10000 && r <= 0x10ffff
}

// aliasOffset finds where data first uses the alias *name, or -1.
func aliasOffset(data []byte, name string) int {
	alias := []byte("*" + name)
	for start := 0; ; {
		i := bytes.Index(data[start:], alias)
		if i < 0 {
			return -1
		}
		i += start
		end := i + len(alias)
		before := i == 0 || bytes.IndexByte([]byte(" \t\n\r[{,"), data[i-1]) >= 0
		after := end == len(data) || bytes.IndexByte([]byte(" \t\n\r]},"), data[end]) >= 0
		if before && after {
			return i
		}
		start = i + 1
	}
}

// lineColumn converts a byte offset into data to a 1-based line and a
// 1-based column counted in characters, as the YAML library counts them.
func lineColumn(data []byte, offset int) (line, column int) {
	before := data[:offset]
	lineStart := bytes.LastIndexByte(before, '\n') + 1
	return bytes.Count(before, []byte("\n")) + 1, utf8.RuneCount(before[lineStart:]) + 1
}

// DescribeNode names what a node is, for "got ..." in messages: a
// mapping, a list, or the scalar as written (a string quoted).
func DescribeNode(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode, yaml.SequenceNode:
		return NodeKind(n)
	case yaml.AliasNode:
		return DescribeNode(n.Alias)
	}
	v := Clip(n.Value)
	if n.ShortTag() == "!!str" {
		return strconv.Quote(v)
	}
	return v
}

// NodeKind says what a node is, without its value: a mapping, a list, a
// number, true or false, nothing or a string.
func NodeKind(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	}
	switch n.ShortTag() {
	case "!!int", "!!float":
		return "a number"
	case "!!bool":
		return "true or false"
	case "!!null":
		return "nothing"
	}
	return "a string"
}
