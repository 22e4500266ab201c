package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/geofence/geofence/results"
)

func helpCmd(ctx context.Context, e *env, args []string) error {
	switch {
	case len(args) == 0:
		printUsage(e.stdout)
		fmt.Fprintf(e.stdout, "\nRun `geofence help COMMAND` for a command's flags, `geofence help figures` for what every figure means.\n")
		return nil
	case args[0] == "figures":
		fmt.Fprintf(e.stdout, "Figures of geofence run:\n\n")
		printDefinitions(e, results.Legend())
		fmt.Fprintf(e.stdout, "\nFigures of geofence check (with the run figures it shares):\n\n")
		printDefinitions(e, results.CheckLegend())
		fmt.Fprintf(e.stdout, "\nFigures of geofence diff (with the check and run figures it shares):\n\n")
		printDefinitions(e, results.DiffLegend())
		return nil
	}
	cmd, ok := commands[args[0]]
	if !ok || args[0] == "help" {
		return usageError{fmt.Sprintf("no command %q", args[0])}
	}
	// A command asked for --help prints its usage to its stderr: here,
	// standard output, since the user asked for it.
	err := cmd.run(ctx, &env{stdout: e.stdout, stderr: e.stdout}, []string{"--help"})
	if errors.Is(err, pflag.ErrHelp) {
		return nil
	}
	return err
}

func printDefinitions(e *env, defs []results.Definition) {
	for _, d := range defs {
		fmt.Fprintf(e.stdout, "%s\n    %s\n", d.Figure, d.Meaning)
	}
}
