package main

import (
	"context"
	"errors"
	"fmt"
	"io"

	"github.com/olekukonko/tablewriter"

	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/routes"
	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format/schema"
)

// validateCmd loads every scenario named and reports every problem in each
// — one that cannot be read is one problem, and the others are still
// checked — then fails with a line that counts them.
func validateCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "validate")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"name at least one scenario file or built-in"}
	}
	problems, failed := 0, 0
	for _, arg := range fs.Args() {
		n, err := validateOne(ctx, e, arg)
		if err != nil {
			return err
		}
		if n > 0 {
			problems += n
			failed++
		}
	}
	if failed > 0 {
		return fmt.Errorf("%d problem%s in %d of %d scenarios", problems, plural(problems), failed, fs.NArg())
	}
	return nil
}

// validateOne reports the problems of one scenario on stderr, or that it
// is ok on stdout, and returns how many problems it has; an error only
// when ctx is done.
func validateOne(ctx context.Context, e *env, arg string) (int, error) {
	if arg == "" {
		fmt.Fprintln(e.stderr, "empty scenario name")
		return 1, nil
	}
	s, err := study.Load(ctx, arg, study.Changes{})
	var problems scenarios.Problems
	switch {
	case ctx.Err() != nil:
		return 0, ctx.Err()
	case errors.As(err, &problems):
		printProblems(e.stderr, problems)
		return len(problems), nil
	case err != nil:
		fmt.Fprintln(e.stderr, render.TerminalSafe(err.Error()))
		return 1, nil
	}
	fmt.Fprintf(e.stdout, "%s: ok (%s, sha256 %s)\n", render.TerminalSafe(s.Source.File), render.TerminalSafe(s.Name), s.Source.SHA256[:12])
	return 0, nil
}

func scenariosCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "scenarios")
	if err := parse(fs, args); err != nil {
		return err
	}
	t := tablewriter.NewTable(e.stdout)
	t.Header("name", "summary")
	for _, b := range scenarios.Builtins() {
		name := b.Name
		if name == scenarios.Default {
			name += " (default)"
		}
		if err := t.Append(name, b.Summary); err != nil {
			return err
		}
	}
	return t.Render()
}

func schemaCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "schema")
	if err := parse(fs, args); err != nil {
		return err
	}
	schemas := map[string]func() []byte{"": schema.Scenario, "scenario": schema.Scenario, "study": schema.Study}
	schema, ok := schemas[fs.Arg(0)]
	if fs.NArg() > 1 || !ok {
		return usageError{"name scenario (the default) or study"}
	}
	_, err := e.stdout.Write(schema())
	return err
}

// routesCmd prints what each population's route does for each plane: the
// chain, what it never names, and the split for the datacenters named
// unhealthy.
func routesCmd(ctx context.Context, e *env, args []string) error {
	fs := newReportFlags(e, "routes", render.RoutesFormats())
	population := fs.String("population", "", "only this population (`ID`)")
	plane := fs.String("plane", "", "only this plane (`media|keys|connector`)")
	unhealthy := fs.StringSlice("unhealthy", nil, "take these datacenters (`DC,...`) to be full or down, their hosts ejected, and split the requests accordingly")
	var changes changeFlags
	changes.register(fs.FlagSet)
	out := fs.String("out", "", "write to `FILE`, not standard output: a file (or a link's target) is replaced atomically, a device or FIFO written in place")
	arg, err := fs.parseScenario(args)
	if err != nil {
		return err
	}
	if fs.Changed("out") && *out == "" {
		return usageError{"--out needs a file name; without --out the routes go to standard output"}
	}
	s, err := changes.load(ctx, arg)
	if err != nil {
		return err
	}
	report, err := routes.Build(s, routes.Options{Population: *population, Plane: *plane, Unhealthy: *unhealthy, Meta: study.Meta(s, version())})
	if err != nil {
		return usageError{err.Error()}
	}
	o, err := openOutput(e.stdout, *out, []string{arg})
	if err != nil {
		return err
	}
	return o.render(ctx, func(w io.Writer) error { return render.Routes(w, report, *fs.format) })
}
