package main

import (
	"context"
	"io"

	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/study"
)

func runCmd(ctx context.Context, e *env, args []string) error {
	fs := newReportFlags(e, "run", render.RunFormats())
	detail := fs.Bool("detail", false, "table format: every table, not just the headline")
	perReplication := fs.Bool("per-replication", false, "csv format: one row per replication for every figure estimated over replications")
	var sf simFlags
	sf.register(fs.FlagSet)
	arg, err := fs.parseScenario(args)
	if err != nil {
		return err
	}
	s, err := sf.load(ctx, arg)
	if err != nil {
		return err
	}
	out, err := openOutput(e.stdout, sf.out, scenarioFiles(arg))
	if err != nil {
		return err
	}
	bar := newProgress(e, "simulating "+s.Name, sf.quiet)
	if sf.sharded() {
		return sf.writeShard(ctx, out, *fs.format, bar, func(shard study.Shard) (*study.Partial, error) {
			return study.RunShard(ctx, s, shard, sf.options(bar))
		})
	}
	report, err := study.Run(ctx, s, sf.options(bar))
	bar.finish()
	if err != nil {
		return err
	}
	return out.render(ctx, func(w io.Writer) error {
		return render.Run(w, report, *fs.format, render.Options{Detail: *detail, PerReplication: *perReplication})
	})
}
