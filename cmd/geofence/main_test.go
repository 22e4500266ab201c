package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

// The CLI is tested by the scripts in testdata/script: each runs geofence
// as a user would and states what must and must not come out. Scripts run
// the command in a fresh process, so they can set GOMAXPROCS.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"geofence": func() { os.Exit(run(context.Background(), os.Args[1:], os.Stdout, os.Stderr)) },
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
	})
}

// An interrupted run stops, says so, writes nothing and exits 130.
func TestInterrupt(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr strings.Builder
	out := filepath.Join(t.TempDir(), "report.json")
	if code := run(ctx, []string{"run", "erlang", "-o", "json", "--out", out}, &stdout, &stderr); code != exitInterrupt {
		t.Fatalf("exit %d, want %d; stderr %q", code, exitInterrupt, stderr.String())
	}
	if !strings.Contains(stderr.String(), "interrupted") || stdout.Len() > 0 {
		t.Errorf("stdout %q, stderr %q", stdout.String(), stderr.String())
	}
	if _, err := os.Stat(out); !os.IsNotExist(err) {
		t.Errorf("%s was written", out)
	}
}
