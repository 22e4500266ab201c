package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/dustin/go-humanize"
	"github.com/spf13/pflag"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/scenarios/format"
	"github.com/geofence/geofence/sim"
)

func helpCmd(ctx context.Context, e *env, args []string) error {
	switch {
	case len(args) == 0:
		printUsage(e.stdout)
		fmt.Fprintf(e.stdout, "\nRun `geofence help COMMAND` for a command's flags, `geofence help figures` for what every figure means,\n`geofence help set` for how --set changes a scenario, `geofence help cost` for how a run's cost is estimated.\n")
		return nil
	case args[0] == "cost":
		fmt.Fprintf(e.stdout, "Before it starts, a run's cost is estimated from the scenario alone, and a run over --max-events\n"+
			"(default %g) or --max-memory (default %s) is refused with its estimate (exit 2).\n\n"+
			"The engine, per replication (CallBytes = %d):\n\n%s\nThe figures kept of every replication and the report:\n\n%s",
			study.DefaultMaxEvents, humanize.IBytes(study.DefaultMaxBytes), sim.CallBytes, sim.CostFormula, results.SummaryFormula)
		return nil
	case args[0] == "set":
		fmt.Fprintf(e.stdout, "--set PATH=VALUE changes the scenario before a command runs it (run, check, sweep, plan, report, diff).\n"+
			"--scale K first multiplies every join rate and finite capacity by K; then each --set applies, in order;\n"+
			"the result is validated like a file. Every report records the changes beside the file's sha256.\n\n%s\n"+
			"Examples:\n"+
			"  --set 'datacenters[us-sjc].capacity.media=3000'\n"+
			"  --set 'populations[us-free].joins_per_second*=1.5'\n"+
			"  --set 'populations[us-free].surges[0].factor=1.5'\n"+
			"  --set 'routing.whitelists[intl-backup]-=cn-bj-1'\n"+
			"  --set 'routing.routes[us].media.secondaries.picks=3'\n"+
			"  --set 'datacenters[us-den].timeline+={at: 15h, state: down}'\n"+
			"  --set run.horizon=110000s\n", format.OverrideSyntax)
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
