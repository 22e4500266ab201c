package main

import (
	"strings"
	"testing"
)

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
