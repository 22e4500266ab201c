package render

import (
	"testing"
)

// Text from a scenario stays text: in Markdown it cannot end a cell, open
// a link, or start a line (and so forge a heading or a row).
func TestMarkdownEscape(t *testing.T) {
	for in, want := range map[string]string{
		"na_free|<b>*":            `na\_free\|&lt;b&gt;\*`,
		"ok\n# forged heading":    `ok\\n\# forged heading`,
		"a | b\r\n| forged | row": `a \| b\\r\\n\| forged \| row`,
		"[click](http://x)":       `\[click\](http://x)`,
	} {
		if got := markdownEscape(in); got != want {
			t.Errorf("markdownEscape(%q) = %q, want %q", in, got, want)
		}
	}
}

// Text from a scenario or a command line reaches a terminal with nothing
// that a terminal would act on: controls, bidi overrides and isolates, and
// bytes that are not UTF-8 are spelled out; everything else is kept.
func TestTerminalSafe(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"us-east, 東京 — ok…", "us-east, 東京 — ok…"},
		{"São Paulo – Zürich", "São Paulo – Zürich"},
		{"red\x1b[31m", `red\x1b[31m`},
		{"line\r\nforged", `line\r\nforged`},
		{"tab\tbell\a del\x7f", `tab\tbell\a del\x7f`},
		{"c1 \u0085 \u009b", `c1 \u0085 \u009b`},
		{"bidi \u202a\u202b\u202c\u202d\u202e", `bidi \u202a\u202b\u202c\u202d\u202e`},
		{"isolates \u2066\u2067\u2068\u2069", `isolates \u2066\u2067\u2068\u2069`},
		{"raw \x9b byte \xff", `raw \x9b byte \xff`},
		{`a \x1b b`, `a \x1b b`},
	} {
		if got := TerminalSafe(c.in); got != c.want {
			t.Errorf("TerminalSafe(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// A spreadsheet would run a cell starting with =, +, -, @, tab or CR as a
// formula: such cells get a leading apostrophe, others are left alone.
func TestCSVSafe(t *testing.T) {
	for in, want := range map[string]string{
		"=HYPERLINK(\"x\")": "'=HYPERLINK(\"x\")",
		"+1":                "'+1",
		"-cmd":              "'-cmd",
		"@SUM(A1)":          "'@SUM(A1)",
		"\tx":               "'\tx",
		"\rx":               "'\rx",
		"us-free":           "us-free",
		"":                  "",
	} {
		if got := csvSafe(in); got != want {
			t.Errorf("csvSafe(%q) = %q, want %q", in, got, want)
		}
	}
}
