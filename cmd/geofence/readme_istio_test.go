package main

import (
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

// Every command of the README that runs the Istio example exits as its
// comment says (exit N; 0 when it says none), run from the repository's
// root as the README runs them.
func TestREADMEIstioCommands(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir("../..")
	exitIn := regexp.MustCompile(`^\s*exit (\d+)`)
	commands := 0
	for _, line := range strings.Split(string(data), "\n") {
		command, comment, _ := strings.Cut(line, "#")
		rest, ok := strings.CutPrefix(strings.TrimSpace(command), "go run ./cmd/geofence ")
		if !ok || !strings.Contains(rest, "docs/examples/istio") {
			continue
		}
		if strings.ContainsAny(rest, `'"$|><`) {
			t.Fatalf("%q: the test splits commands at spaces; write it without quotes, variables or redirections", line)
		}
		want := 0
		if m := exitIn.FindStringSubmatch(comment); m != nil {
			want, _ = strconv.Atoi(m[1])
		}
		args := append(strings.Fields(rest), "-q")
		if args[0] == "routes" {
			args = args[:len(args)-1] // routes draws no progress bar
		}
		var stdout, stderr strings.Builder
		if code := run(context.Background(), args, &stdout, &stderr); code != want {
			t.Errorf("%s: exit %d, want %d\n%s", rest, code, want, stderr.String())
		}
		commands++
	}
	if commands < 6 {
		t.Errorf("ran %d commands: the README's Istio commands were not found", commands)
	}
}
