package main

import (
	"context"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/geofence/geofence/scenarios"
)

// The CLI is tested by the scripts in testdata/script: each runs geofence
// as a user would and states what must and must not come out. Scripts run
// the command in a fresh process, through main, so they can set GOMAXPROCS
// and send it signals.
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"geofence": main,
	})
}

func TestScripts(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Cmds:                map[string]func(ts *testscript.TestScript, neg bool, args []string){"exitcode": exitcode},
	})
}

// exitcode N COMMAND [ARGS...] runs COMMAND as exec does and checks that
// it exits with status N: exec tells only zero from non-zero.
func exitcode(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) < 2 {
		ts.Fatalf("usage: exitcode N COMMAND [ARGS...]")
	}
	want, err := strconv.Atoi(args[0])
	ts.Check(err)
	got := 0
	var exit *exec.ExitError
	switch err := ts.Exec(args[1], args[2:]...); {
	case errors.As(err, &exit):
		got = exit.ExitCode()
	case err != nil:
		ts.Fatalf("%v", err)
	}
	if got != want {
		ts.Fatalf("exit status %d, want %d", got, want)
	}
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

// --out is checked before anything is simulated: with the work cancelled
// from the start, a bad --out is still what is reported.
func TestOutputCheckedFirst(t *testing.T) {
	dir := t.TempDir()
	scenario := filepath.Join(dir, "erlang.yaml")
	src, _ := scenarios.BuiltinSource("erlang")
	if err := os.WriteFile(scenario, src, 0o644); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{
		{"run", scenario, "--out", scenario},
		{"check", scenario, "--out", scenario},
		{"run", "erlang", "--out", dir},
		{"run", "erlang", "--out", filepath.Join(dir, "missing", "report.json")},
	} {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		var stdout, stderr strings.Builder
		if code := run(ctx, args, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "--out") {
			t.Errorf("%q: exit %d, stderr %q; want %d and the --out refused", args, code, stderr.String(), exitUsage)
		}
	}
}
