package consul

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/hashicorp/hcl/hcl/ast"
	hclparser "github.com/hashicorp/hcl/hcl/parser"
	"github.com/hashicorp/hcl/hcl/token"
	"go.yaml.in/yaml/v3"

	"github.com/geofence/geofence/scenarios/internal/tree"
)

// parseHCL reads an HCL file as Consul does (`consul config write` decodes
// config entries with HCL version 1, github.com/hashicorp/hcl): `X = {…}`
// and the block `X {…}` are the same, `X "k" {…}` nests k under X, and
// repeated blocks merge (Consul's decoder collapses them into one map).
func parseHCL(data []byte) (root *tree.Node, err *tree.SyntaxError) {
	if depth := nesting(data); depth > tree.MaxDepth {
		return nil, &tree.SyntaxError{Pos: tree.Pos{Line: 1, Column: 1}, Msg: fmt.Sprintf("values nest more than %d deep", tree.MaxDepth)}
	}
	defer func() { // the HCL 1 parser panics on a few malformed literals
		if p := recover(); p != nil {
			root, err = nil, &tree.SyntaxError{Pos: tree.Pos{Line: 1, Column: 1}, Msg: fmt.Sprintf("not HCL: %v", p)}
		}
	}()
	f, perr := hclparser.Parse(data)
	if perr != nil {
		var pe *hclparser.PosError
		if errors.As(perr, &pe) {
			return nil, &tree.SyntaxError{Pos: tree.Pos{Line: max(pe.Pos.Line, 1), Column: max(pe.Pos.Column, 1)}, Msg: pe.Err.Error()}
		}
		return nil, &tree.SyntaxError{Pos: tree.Pos{Line: 1, Column: 1}, Msg: perr.Error()}
	}
	list, _ := f.Node.(*ast.ObjectList)
	return hclObject(list, "", tree.Pos{Line: 1, Column: 1}), nil
}

// nesting is an upper bound on how deeply brackets nest in data (it also
// counts brackets inside strings): the HCL 1 parser recurses once per
// level, and a hostile file must not exhaust the stack.
func nesting(data []byte) int {
	depth, deepest := 0, 0
	for _, b := range data {
		switch b {
		case '{', '[':
			depth++
			deepest = max(deepest, depth)
		case '}', ']':
			depth = max(depth-1, 0)
		}
	}
	return deepest
}

func hclPos(p token.Pos) tree.Pos { return tree.Pos{Line: p.Line, Column: p.Column} }

// hclObject turns a list of HCL items into an object; a multi-key item
// `a "b" {…}` becomes a → b → {…}.
func hclObject(list *ast.ObjectList, path string, at tree.Pos) *tree.Node {
	n := &tree.Node{Kind: tree.Map, Pos: at, Path: path}
	if list == nil {
		return n
	}
	for _, item := range list.Items {
		if len(item.Keys) == 0 {
			continue
		}
		hclMember(n, item.Keys, item.Val)
	}
	return n
}

// hclMember adds keys → val to object n, merging an object into a member
// of the same name that is an object (repeated blocks).
func hclMember(n *tree.Node, keys []*ast.ObjectKey, val ast.Node) {
	key := hclKey(keys[0])
	path := tree.Dotted.Child(n.Path, key)
	if len(keys) > 1 {
		for _, f := range n.Fields {
			if f.Key == key && f.Value.Kind == tree.Map {
				hclMember(f.Value, keys[1:], val)
				return
			}
		}
		child := &tree.Node{Kind: tree.Map, Pos: hclPos(keys[1].Pos()), Path: path}
		n.Fields = append(n.Fields, tree.Field{Key: key, KeyPos: hclPos(keys[0].Pos()), Value: child})
		hclMember(child, keys[1:], val)
		return
	}
	v := hclValue(val, path)
	if v.Kind == tree.Map {
		for _, f := range n.Fields {
			if f.Key == key && f.Value.Kind == tree.Map {
				f.Value.Fields = append(f.Value.Fields, v.Fields...)
				return
			}
		}
	}
	n.Fields = append(n.Fields, tree.Field{Key: key, KeyPos: hclPos(keys[0].Pos()), Value: v})
}

func hclKey(k *ast.ObjectKey) string {
	if k.Token.Type == token.STRING {
		if s, ok := k.Token.Value().(string); ok {
			return s
		}
	}
	return k.Token.Text
}

func hclValue(v ast.Node, path string) *tree.Node {
	switch v := v.(type) {
	case *ast.ObjectType:
		return hclObject(v.List, path, hclPos(v.Lbrace))
	case *ast.ListType:
		n := &tree.Node{Kind: tree.List, Pos: hclPos(v.Lbrack), Path: path}
		for i, it := range v.List {
			n.Items = append(n.Items, hclValue(it, tree.Dotted.Item(path, i)))
		}
		return n
	case *ast.LiteralType:
		n := &tree.Node{Pos: hclPos(v.Token.Pos), Path: path, Text: v.Token.Text}
		switch v.Token.Type {
		case token.NUMBER, token.FLOAT:
			n.Kind = tree.Number
		case token.BOOL:
			n.Kind = tree.Bool
		case token.STRING, token.HEREDOC:
			n.Kind = tree.String
			n.Text, _ = v.Token.Value().(string)
		default:
			n.Kind = tree.String
		}
		return n
	}
	return &tree.Node{Kind: tree.Null, Pos: hclPos(v.Pos()), Path: path}
}

// yamlDocuments reads every document of a YAML file (Kubernetes manifests
// hold several, separated by ---).
func yamlDocuments(data []byte) ([]*tree.Node, *tree.SyntaxError) {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var docs []*tree.Node
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return docs, nil
		}
		if err != nil {
			return nil, yamlError(err)
		}
		if len(doc.Content) == 0 {
			continue
		}
		n, serr := yamlValue(doc.Content[0], "", 0)
		if serr != nil {
			return nil, serr
		}
		docs = append(docs, n)
	}
}

func yamlError(err error) *tree.SyntaxError {
	var te *yaml.TypeError
	msg := err.Error()
	if errors.As(err, &te) && len(te.Errors) > 0 {
		msg = te.Errors[0]
	}
	line := 1
	fmt.Sscanf(msg, "yaml: line %d:", &line)
	return &tree.SyntaxError{Pos: tree.Pos{Line: line, Column: 1}, Msg: msg}
}

func yamlValue(y *yaml.Node, path string, depth int) (*tree.Node, *tree.SyntaxError) {
	at := tree.Pos{Line: y.Line, Column: y.Column}
	if depth > tree.MaxDepth {
		return nil, &tree.SyntaxError{Pos: at, Msg: fmt.Sprintf("values nest more than %d deep", tree.MaxDepth)}
	}
	n := &tree.Node{Pos: at, Path: path}
	switch y.Kind {
	case yaml.AliasNode:
		return nil, &tree.SyntaxError{Pos: at, Msg: "YAML aliases are not read: write the value out"}
	case yaml.MappingNode:
		n.Kind = tree.Map
		first := map[string]int{}
		for i := 0; i+1 < len(y.Content); i += 2 {
			k, v := y.Content[i], y.Content[i+1]
			if k.Tag == "!!merge" {
				return nil, &tree.SyntaxError{Pos: tree.Pos{Line: k.Line, Column: k.Column}, Msg: "YAML merge keys (<<) are not read: write the values out"}
			}
			child, err := yamlValue(v, tree.Dotted.Child(path, k.Value), depth+1)
			if err != nil {
				return nil, err
			}
			if line, dup := first[k.Value]; dup {
				return nil, &tree.SyntaxError{Pos: tree.Pos{Line: k.Line, Column: k.Column}, Msg: fmt.Sprintf("key %q is given twice in this mapping (first at line %d)", k.Value, line)}
			}
			first[k.Value] = k.Line
			n.Fields = append(n.Fields, tree.Field{Key: k.Value, KeyPos: tree.Pos{Line: k.Line, Column: k.Column}, Value: child})
		}
	case yaml.SequenceNode:
		n.Kind = tree.List
		for i, it := range y.Content {
			child, err := yamlValue(it, tree.Dotted.Item(path, i), depth+1)
			if err != nil {
				return nil, err
			}
			n.Items = append(n.Items, child)
		}
	default:
		n.Text = y.Value
		switch y.ShortTag() {
		case "!!null":
			n.Kind = tree.Null
		case "!!bool":
			n.Kind = tree.Bool
			n.Text = map[bool]string{true: "true", false: "false"}[y.Value == "true" || y.Value == "True" || y.Value == "TRUE"]
		case "!!int", "!!float":
			n.Kind = tree.Number
		default:
			n.Kind = tree.String
		}
	}
	return n, nil
}
