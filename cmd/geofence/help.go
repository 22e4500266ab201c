package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/dustin/go-humanize"
	"github.com/spf13/pflag"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/legend"
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
			"--scale K first multiplies every join rate and finite capacity by K; then each --when, each --load,\n"+
			"and each --set applies, in order; the result is validated like a file. Every report records the changes\n"+
			"beside the file's sha256, each in words too.\n\n"+
			"Conditions and changes. A what-if about the world — an outage, a load, a capacity, the run's clock —\n"+
			"is a condition: give it with --when PATH=VALUE (or --load), and every side of a comparison runs under it:\n"+
			"a check's baseline, diff's OLD and NEW, every point of a sweep or plan. --set changes the configuration\n"+
			"under review, one side: the scenario checked (not its baseline), NEW in a diff (--set-old changes OLD).\n"+
			"A check or report with a baseline refuses a --set on a datacenter's capacity, timeline, round trips or\n"+
			"location, a population's join rate, profile, surges, growth, holding time or dial-in share, or the run's\n"+
			"horizon, warm-up, start or bucket, naming --when: it would compare the scenario under a condition with\n"+
			"its baseline without it. A study file's when: lines are conditions at every point.\n\n%s\n%s\n"+
			"A timeline entry's at may be a calendar time, placed by run.start: 2020-04-01T14:00+01:00,\n"+
			"2020-04-01T13:00Z, or a local time and an IANA zone, '2020-04-01T14:00 Europe/Berlin'.\n\n"+
			"Examples:\n"+
			"  --set 'datacenters[us-sjc].capacity.media=3000'\n"+
			"  --set 'populations[us-free].joins_per_second*=1.5'\n"+
			"  --set 'populations[us-free].surges[0].factor=1.5'\n"+
			"  --set 'routing.whitelists[intl-backup]-=cn-bj-1'\n"+
			"  --set 'routing.routes[us].media.secondaries.picks=3'\n"+
			"  --set 'datacenters[us-den].timeline+={at: 15h, state: down}'\n"+
			"  --set run.horizon=110000s\n"+
			"  --when 'datacenters[eu-fra].timeline+=[{at: 12h, state: down}, {at: 14h, state: up}]'   eu-fra down 12:00–14:00 UTC\n"+
			"  --load jurisdiction:EU=1.2                                   EU load ×1.2 (the same as --when 'load[jurisdiction:EU]=1.2')\n"+
			"  --load 1.5                                                   every population's load ×1.5, capacities unchanged\n",
			format.OverrideSyntax, format.LoadSyntax)
		return nil
	case args[0] == "figures":
		fmt.Fprintf(e.stdout, "Figures of geofence run:\n\n")
		printDefinitions(e, legend.Figures())
		fmt.Fprintf(e.stdout, "\nFigures of geofence check (with the run figures it shares):\n\n")
		printDefinitions(e, legend.Check())
		fmt.Fprintf(e.stdout, "\nFigures of geofence diff (with the check and run figures it shares):\n\n")
		printDefinitions(e, legend.Diff())
		fmt.Fprintf(e.stdout, "\nFigures of geofence sweep (with the run figures it shares):\n\n")
		printDefinitions(e, legend.Sweep())
		fmt.Fprintf(e.stdout, "\nFigures of geofence plan (with the run figures it shares):\n\n")
		printDefinitions(e, legend.Plan())
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

func printDefinitions(e *env, defs []legend.Definition) {
	for _, d := range defs {
		fmt.Fprintf(e.stdout, "%s\n    %s\n", d.Figure, d.Meaning)
	}
}
