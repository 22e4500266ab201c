package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// The README's Consul and Route 53 commands run as written, from the
// repository's root, each exiting as its comment says.
func TestREADMEImportSection(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## Consul and Route 53:")
	if !ok {
		t.Fatal("the README has no Consul and Route 53 section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	t.Chdir("../..")
	out := t.TempDir()
	line := regexp.MustCompile(`(?m)^go run \./cmd/geofence (.*?)\s+# exit (\d+)`)
	commands := line.FindAllStringSubmatch(section, -1)
	if len(commands) < 3 {
		t.Fatalf("%d commands in the section, want the three it shows", len(commands))
	}
	for _, c := range commands {
		args := strings.Fields(c[1])
		for i, a := range args {
			if i > 0 && args[i-1] == "--out" {
				args[i] = filepath.Join(out, a)
			}
		}
		want, _ := strconv.Atoi(c[2])
		var stdout, stderr bytes.Buffer
		if got := run(context.Background(), args, &stdout, &stderr); got != want {
			t.Errorf("geofence %s: exit %d, want %d\n%s", c[1], got, want, stderr.String())
		}
	}
}
