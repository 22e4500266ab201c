package main

import (
	"strings"
	"testing"
)

// Text from a scenario or a command line reaches a terminal with nothing
// that a terminal would act on: controls, bidi overrides and isolates, and
// bytes that are not UTF-8 are spelled out; everything else is kept.
func TestTerminalSafe(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"us-east, 東京 — ok…", "us-east, 東京 — ok…"},
		{"red\x1b[31m", `red\x1b[31m`},
		{"line\r\nforged", `line\r\nforged`},
		{"tab\tbell\a del\x7f", `tab\tbell\a del\x7f`},
		{"c1 \u0085 \u009b", `c1 \u0085 \u009b`},
		{"bidi \u202a\u202b\u202c\u202d\u202e", `bidi \u202a\u202b\u202c\u202d\u202e`},
		{"isolates \u2066\u2067\u2068\u2069", `isolates \u2066\u2067\u2068\u2069`},
		{"raw \x9b byte \xff", `raw \x9b byte \xff`},
		{`a \x1b b`, `a \x1b b`},
	} {
		if got := terminalSafe(c.in); got != c.want {
			t.Errorf("terminalSafe(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestShorten(t *testing.T) {
	for _, c := range []struct {
		in   string
		n    int
		want string
	}{
		{"short", 5, "short"},
		{"longer", 5, "long…"},
		{"東京東京東京", 4, "東京東…"},
		{strings.Repeat("x", 1<<20), 200, strings.Repeat("x", 199) + "…"},
	} {
		if got := shorten(c.in, c.n); got != c.want {
			t.Errorf("shorten(%.20q…, %d) = %.20q…, want %.20q…", c.in, c.n, got, c.want)
		}
	}
}
