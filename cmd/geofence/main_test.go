package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

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

// TestScripts runs the scripts; $ROOT is the repository, whose
// docs/examples they may run as the README does (writing only to $WORK).
func TestScripts(t *testing.T) {
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 "testdata/script",
		RequireExplicitExec: true,
		Cmds:                map[string]func(ts *testscript.TestScript, neg bool, args []string){"exitcode": exitcode},
		Setup: func(env *testscript.Env) error {
			env.Setenv("ROOT", root)
			return nil
		},
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

// An interrupted run stops, says so, writes nothing and exits 130; one
// terminated exits 143.
func TestInterrupt(t *testing.T) {
	for _, c := range []struct {
		cause error
		code  int
		what  string
	}{
		{context.Canceled, exitInterrupt, "interrupted"},
		{signalled{syscall.SIGINT}, exitInterrupt, "interrupted"},
		{signalled{syscall.SIGTERM}, exitTerminate, "terminated"},
	} {
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(c.cause)
		var stdout, stderr strings.Builder
		out := filepath.Join(t.TempDir(), "report.json")
		if code := run(ctx, []string{"run", "erlang", "-o", "json", "--out", out}, &stdout, &stderr); code != c.code {
			t.Fatalf("%v: exit %d, want %d; stderr %q", c.cause, code, c.code, stderr.String())
		}
		if want := "geofence run: " + c.what + "; nothing was written\n"; stderr.String() != want || stdout.Len() > 0 {
			t.Errorf("%v: stdout %q, stderr %q, want stderr %q", c.cause, stdout.String(), stderr.String(), want)
		}
		if _, err := os.Stat(out); !os.IsNotExist(err) {
			t.Errorf("%v: %s was written", c.cause, out)
		}
	}
}

// --out is checked before anything is simulated: a run that its cost
// estimate would refuse still reports the bad --out.
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
		// A run estimated over --max-events 1 is refused before it
		// simulates; the --out must be refused before that.
		args = append(args, "--max-events", "1")
		var stdout, stderr strings.Builder
		if code := run(context.Background(), args, &stdout, &stderr); code != exitUsage || !strings.Contains(stderr.String(), "--out") {
			t.Errorf("%q: exit %d, stderr %q; want %d and the --out refused", args, code, stderr.String(), exitUsage)
		}
	}
}

// SIGINT and SIGTERM end a long run within a second, with exit status 130
// and 143, and leave nothing behind.
func TestSignals(t *testing.T) {
	if testing.Short() {
		t.Skip("runs geofence for seconds")
	}
	for _, c := range []struct {
		sig  syscall.Signal
		code int
		what string
	}{
		{syscall.SIGINT, exitInterrupt, "interrupted"},
		{syscall.SIGTERM, exitTerminate, "terminated"},
	} {
		t.Run(c.what, func(t *testing.T) {
			dir := t.TempDir()
			// Some 30 s of work on two cores.
			cmd := exec.Command("geofence", "run", "zoom-2020-04", "--replications", "200", "-q", "--out", "x.json")
			cmd.Dir = dir
			var stdout, stderr bytes.Buffer
			cmd.Stdout, cmd.Stderr = &stdout, &stderr
			startListening(t, cmd)
			sent := time.Now()
			if err := cmd.Process.Signal(c.sig); err != nil {
				t.Fatal(err)
			}
			err := cmd.Wait()
			took := time.Since(sent)
			var exit *exec.ExitError
			if !errors.As(err, &exit) || exit.ExitCode() != c.code {
				t.Errorf("%v: %v, want exit status %d", c.sig, err, c.code)
			}
			if took > 2*time.Second { // a second, and as much again for a loaded machine
				t.Errorf("%v: stopped %v after the signal, want within a second", c.sig, took)
			}
			if want := "geofence run: " + c.what + "; nothing was written\n"; stderr.String() != want || stdout.Len() > 0 {
				t.Errorf("%v: stdout %q, stderr %q, want stderr %q", c.sig, stdout.String(), stderr.String(), want)
			}
			if left, _ := os.ReadDir(dir); len(left) > 0 {
				t.Errorf("%v: left %v", c.sig, left)
			}
		})
	}
}

// startListening starts cmd and returns once it has called signal.Notify:
// before that a signal would kill it outright, and on a loaded machine
// getting there can take seconds. The child starts with SIGINT ignored (as
// a shell starts a background job), which the Go runtime respects until
// signal.Notify asks for SIGINT; so the moment /proc shows SIGINT caught
// is the moment geofence listens, for SIGTERM too (one Notify asks for
// both).
func startListening(t *testing.T, cmd *exec.Cmd) {
	t.Helper()
	if _, err := os.Stat("/proc/self/status"); err != nil {
		t.Skip("needs /proc to see when geofence listens for signals")
	}
	signal.Ignore(syscall.SIGINT)
	err := cmd.Start()
	signal.Reset(syscall.SIGINT)
	if err != nil {
		t.Fatal(err)
	}
	status := fmt.Sprintf("/proc/%d/status", cmd.Process.Pid)
	for deadline := time.Now().Add(time.Minute); time.Now().Before(deadline); time.Sleep(10 * time.Millisecond) {
		if caught, err := signalsCaught(status); err != nil {
			t.Fatal(err)
		} else if caught&(1<<(syscall.SIGINT-1)) != 0 {
			return
		}
	}
	cmd.Process.Kill()
	t.Fatal("geofence did not listen for signals within a minute")
}

// signalsCaught reads the mask of signals a process has handlers for from
// its /proc status file.
func signalsCaught(status string) (uint64, error) {
	b, err := os.ReadFile(status)
	if err != nil {
		return 0, err
	}
	for _, line := range strings.Split(string(b), "\n") {
		if mask, ok := strings.CutPrefix(line, "SigCgt:"); ok {
			return strconv.ParseUint(strings.TrimSpace(mask), 16, 64)
		}
	}
	return 0, fmt.Errorf("%s: no SigCgt line", status)
}

// The first signal cancels the work with itself as the cause; a second
// exits at once with its own status.
func TestStopOnSignals(t *testing.T) {
	signals := make(chan os.Signal, 2)
	ctx, cancel := context.WithCancelCause(context.Background())
	exited := make(chan int, 1)
	go stopOnSignals(signals, cancel, func(code int) { exited <- code })
	signals <- syscall.SIGTERM
	<-ctx.Done()
	if cause := context.Cause(ctx); cause != (signalled{syscall.SIGTERM}) || !errors.Is(cause, context.Canceled) {
		t.Errorf("cause %v, want SIGTERM, a context.Canceled", cause)
	}
	select {
	case code := <-exited:
		t.Fatalf("exited %d on the first signal", code)
	default:
	}
	signals <- syscall.SIGINT
	if code := <-exited; code != exitInterrupt {
		t.Errorf("exit %d on a second SIGINT, want %d", code, exitInterrupt)
	}
}
