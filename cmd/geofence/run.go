package main

import (
	"bytes"
	"context"

	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/study"
)

func runCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "run")
	format := outputFlag(fs, render.RunFormats())
	detail := fs.Bool("detail", false, "table format: every table, not just the headline")
	perReplication := fs.Bool("per-replication", false, "csv format: one row per replication for every figure estimated over replications")
	var sf simFlags
	sf.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	arg, err := scenarioArg(fs, *format, render.RunFormats())
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
		shard, err := sf.shardOf(fs, *format)
		if err != nil {
			return err
		}
		partial, err := study.RunShard(ctx, s, shard, sf.options(bar))
		bar.finish()
		if err != nil {
			return err
		}
		return writePartial(ctx, out, partial)
	}
	report, err := study.Run(ctx, s, sf.options(bar))
	bar.finish()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := render.Run(&buf, report, *format, render.Options{Detail: *detail, PerReplication: *perReplication}); err != nil {
		return err
	}
	return out.write(ctx, buf.Bytes())
}
