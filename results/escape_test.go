package results

import "testing"

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

// On a terminal, escapes, carriage returns and bidi overrides are shown,
// not obeyed; ordinary Unicode passes.
func TestTerminalSafe(t *testing.T) {
	for in, want := range map[string]string{
		"us-free":                "us-free",
		"São Paulo – Zürich":     "São Paulo – Zürich",
		"\x1b[31mred\x1b[0m":     `\x1b[31mred\x1b[0m`,
		"ok\rFORGED":             `ok\rFORGED`,
		"abc\u202egnp.exe":       `abc\u202egnp.exe`,
		"tab\there\u2066x\u2069": `tab\there\u2066x\u2069`,
	} {
		if got := TerminalSafe(in); got != want {
			t.Errorf("TerminalSafe(%q) = %q, want %q", in, got, want)
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
