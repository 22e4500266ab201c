// Command geofence simulates geofenced datacenter routing and checks it
// against policy. Run `geofence help` for the commands.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"sort"
	"strings"
	"syscall"

	"github.com/spf13/pflag"

	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/scenarios"
)

// Exit codes.
const (
	exitOK        = 0   // success
	exitViolation = 1   // a policy violation, threshold breach or difference was found
	exitUsage     = 2   // bad usage or bad input
	exitInterrupt = 130 // stopped by SIGINT (128 + 2), as shells report it
	exitTerminate = 143 // stopped by SIGTERM (128 + 15)
)

func main() {
	ctx, cancel := context.WithCancelCause(context.Background())
	signals := make(chan os.Signal, 2)
	signal.Notify(signals, os.Interrupt, syscall.SIGTERM)
	go stopOnSignals(signals, cancel, func(code int) {
		pendingTemp.remove()
		fmt.Fprintln(os.Stderr, "geofence: signalled again; stopped at once")
		os.Exit(code)
	})
	os.Exit(run(ctx, os.Args[1:], os.Stdout, os.Stderr))
}

// stopOnSignals cancels the work with the first signal as its cause, which
// run turns into the exit status, and on a second signal, while the work
// is still winding down, calls exitNow with the second signal's status.
func stopOnSignals(signals <-chan os.Signal, cancel context.CancelCauseFunc, exitNow func(code int)) {
	cancel(signalled{<-signals})
	code, _ := signalled{<-signals}.exit()
	exitNow(code)
}

// signalled is the cause of work cancelled by a signal. To errors.Is it
// is a context.Canceled, whichever of ctx.Err() or context.Cause(ctx) the
// cancelled work returns.
type signalled struct{ sig os.Signal }

func (s signalled) Error() string { return s.sig.String() }
func (s signalled) Unwrap() error { return context.Canceled }

// exit is the status, and the word a shell would use, for work stopped by
// s; a cancellation without a signal (the zero signalled) is an interrupt.
func (s signalled) exit() (code int, what string) {
	if s.sig == syscall.SIGTERM {
		return exitTerminate, "terminated"
	}
	return exitInterrupt, "interrupted"
}

// command is one subcommand.
type command struct {
	summary string
	usage   string // arguments after the command name
	run     func(ctx context.Context, env *env, args []string) error
}

// commands is filled in init: the commands' functions refer back to it.
var commands map[string]command

func init() {
	commands = map[string]command{
		"run":       {"simulate a scenario and report what happened to every join", "[NAME|FILE]", runCmd},
		"check":     {"check a scenario's routing against its geofence policy", "[NAME|FILE]", checkCmd},
		"diff":      {"compare two versions of a scenario: what a change does to the geofence", "OLD NEW", diffCmd},
		"report":    {"draw a scenario's check, or a saved result of run, check, sweep, plan or diff, as one self-contained HTML page", "[NAME|FILE|RESULT.json]", reportCmd},
		"merge":     {"combine the partial results of every shard of a run, check or sweep into its report", "PART...", mergeCmd},
		"sweep":     {"run every point of a study file's axes and report the figures of each", "STUDY", sweepCmd},
		"plan":      {"find the least capacity (or largest demand) at which every fence keeps within its limit", "[NAME|FILE] --vary PATH", planCmd},
		"routes":    {"show what each population's route does for each plane: its chain, what it excludes, and the split for datacenters taken to be unhealthy", "[NAME|FILE] [--unhealthy DC,...]", routesCmd},
		"validate":  {"load and validate scenario files, reporting every problem", "NAME|FILE...", validateCmd},
		"scenarios": {"list the built-in scenarios", "", scenariosCmd},
		"schema":    {"print the JSON Schema of the scenario format, or of the study format", "[scenario|study]", schemaCmd},
		"version":   {"print the version", "", versionCmd},
		"help":      {"explain a command, or `help figures` for what every figure means", "[COMMAND|figures]", helpCmd},
	}
}

// env is what a command may touch of the outside world.
type env struct {
	stdout, stderr io.Writer
}

// usageError is bad usage: exit status 2 with the command's usage.
type usageError struct{ msg string }

func (e usageError) Error() string { return e.msg }

// findingError says the command worked and found what the user asked it to
// look for: exit status 1. Its message, then its details one per indented
// line, go to stderr.
type findingError struct {
	msg     string
	details []string
}

func (e findingError) Error() string { return e.msg }

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	e := &env{stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		printUsage(stderr)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	if name == "-h" || name == "--help" {
		printUsage(stdout)
		return exitOK
	}
	if name == "--version" {
		name = "version"
	}
	cmd, ok := commands[name]
	if !ok {
		fmt.Fprintf(stderr, "geofence: unknown command %q\n\n", name)
		printUsage(stderr)
		return exitUsage
	}
	err := cmd.run(ctx, e, rest)
	var usage usageError
	var finding findingError
	var problems scenarios.Problems
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &problems):
		printProblems(stderr, problems)
		fmt.Fprintf(stderr, "geofence %s: %d problem%s; nothing was written\n", name, len(problems), plural(len(problems)))
		return exitUsage
	case errors.Is(err, pflag.ErrHelp):
		return exitOK
	case errors.Is(err, context.Canceled):
		var s signalled
		errors.As(context.Cause(ctx), &s)
		code, what := s.exit()
		fmt.Fprintf(stderr, "geofence %s: %s; nothing was written\n", name, what)
		return code
	case errors.As(err, &finding):
		fmt.Fprintf(stderr, "geofence %s: %s\n", name, render.TerminalSafe(finding.msg))
		for _, d := range finding.details {
			fmt.Fprintf(stderr, "  %s\n", render.TerminalSafe(d))
		}
		return exitViolation
	case errors.As(err, &usage):
		fmt.Fprintf(stderr, "geofence %s: %s\nusage: geofence %s %s (see geofence help %s)\n", name, render.TerminalSafe(usage.msg), name, cmd.usage, name)
		return exitUsage
	default:
		fmt.Fprintf(stderr, "geofence %s: %s\n", name, render.TerminalSafe(err.Error()))
		return exitUsage
	}
}

// printProblems lists a scenario's problems one per line.
func printProblems(w io.Writer, problems scenarios.Problems) {
	for _, p := range problems {
		fmt.Fprintln(w, render.TerminalSafe(p.Error()))
	}
}

func printUsage(w io.Writer) {
	fmt.Fprintf(w, "geofence simulates geofenced datacenter routing and checks it against policy.\n\nUsage: geofence COMMAND [flags] [args]\n\nCommands:\n")
	names := make([]string, 0, len(commands))
	for n := range commands {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		fmt.Fprintf(w, "  %-10s %s\n", n, commands[n].summary)
	}
	fmt.Fprintf(w, "\nExit status: 0 ok; 1 policy violation or threshold breach found; 2 usage or input error; 130 interrupted; 143 terminated.\n")
}

// newFlags makes a command's flag set; its errors and help go to stderr.
func newFlags(e *env, name string) *pflag.FlagSet {
	fs := pflag.NewFlagSet(name, pflag.ContinueOnError)
	fs.SetOutput(e.stderr)
	fs.SortFlags = false
	cmd := commands[name]
	fs.Usage = func() {
		fmt.Fprintf(e.stderr, "Usage: geofence %s [flags] %s\n\n%s.\n\nFlags:\n%s", name, cmd.usage, capitalize(cmd.summary), fs.FlagUsages())
		switch name {
		case "run", "check":
			fmt.Fprintf(e.stderr, "\nWith no scenario, %s runs the default built-in, %s. `geofence help figures` defines every figure.\n", name, scenarios.Default)
		case "diff":
			fmt.Fprint(e.stderr, diffHelp)
		case "report":
			fmt.Fprintf(e.stderr, "\nGiven a scenario (none: the default built-in, %s), report checks it as geofence check does, with its baseline if it names one, and draws the check. Given a JSON result saved by run, check, sweep, plan or diff, it draws that without simulating. The page is one HTML file that loads nothing from anywhere; it prints to A4. Exit 0 once written, whatever the verdict.\n", scenarios.Default)
		}
	}
	return fs
}

// parse parses flags, turning flag errors into usage errors.
func parse(fs *pflag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, pflag.ErrHelp) {
			return err
		}
		return usageError{err.Error()}
	}
	return nil
}

func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}

func plural(n int) string {
	if n == 1 {
		return ""
	}
	return "s"
}
