package tree

import (
	"strings"
	"testing"
)

func TestParseJSONPositions(t *testing.T) {
	data := []byte("{\n  \"a\": [1, {\"b/c\": \"é\", \"d\": true}],\n  \"~x\": null\n}\n")
	root, err := ParseJSON(data)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		n         *Node
		path      string
		line, col int
		kind      Kind
		text      string
	}{
		{root, "", 1, 1, Map, ""},
		{root.Get("a"), "/a", 2, 8, List, ""},
		{root.Get("a").Items[0], "/a/0", 2, 9, Number, "1"},
		{root.Get("a").Items[1], "/a/1", 2, 12, Map, ""},
		{root.Get("a").Items[1].Get("b/c"), "/a/1/b~1c", 2, 20, String, "é"},
		{root.Get("a").Items[1].Get("d"), "/a/1/d", 2, 30, Bool, "true"},
		{root.Get("~x"), "/~0x", 3, 9, Null, ""},
	} {
		if c.n.Path != c.path || c.n.Pos.Line != c.line || c.n.Pos.Column != c.col || c.n.Kind != c.kind || c.n.Text != c.text {
			t.Errorf("got %s at %d:%d %v %q, want %s at %d:%d %v %q", c.n.Path, c.n.Pos.Line, c.n.Pos.Column, c.n.Kind, c.n.Text, c.path, c.line, c.col, c.kind, c.text)
		}
	}
	if k := root.Fields[1].KeyPos; k.Line != 3 || k.Column != 3 {
		t.Errorf("key ~x at %v, want 3:3", k)
	}
}

func TestParseJSONErrors(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{`{"a": 1, "a": 2}`, `1:10: key "a" is given twice in this object (first at line 1)`},
		{"{\n  \"a\": [1,, 2]\n}", "2:"},
		{`{"a": 1`, "unexpected end of file"},
		{`{} {}`, "1:4: unexpected data after the top-level value"},
		{strings.Repeat("[", MaxDepth+1) + strings.Repeat("]", MaxDepth+1), "nest more than 200 deep"},
		{``, "unexpected end of file"},
	} {
		_, err := ParseJSON([]byte(c.in))
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("ParseJSON(%.30q) = %v, want %q", c.in, err, c.want)
		}
	}
}

func TestReaderFieldsAndProblems(t *testing.T) {
	root, _ := ParseJSON([]byte(`{"Name": "m", "name": "n", "NearestN": "2", "Extra": 1, "Tags": ["a", 3], "Session": ""}`))
	r := &Reader{File: "q.json", Fold: FoldConsul}
	o := r.Object(root, "a query")
	if name, _ := o.String("Name"); name != "m" {
		t.Errorf("Name = %q", name)
	}
	if n, _ := o.Int("nearest_n", 0, 100); n != 2 {
		t.Errorf("NearestN = %d", n)
	}
	o.Strings("Tags")
	o.Refuse("Session", "sessions")
	o.Done("a query")
	var got []string
	for _, p := range append(r.Errors.List, r.Warnings.List...) {
		got = append(got, p.Error())
	}
	want := []string{
		`q.json:1:15: /name: "name" gives Name again (first at line 1)`,
		`q.json:1:71: /Tags/1: must be a string, not a number`,
		`q.json:1:45: /Extra: unknown field "Extra" of a query is ignored`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
