package main

import (
	"bytes"
	"context"
	"fmt"

	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/study"
)

// sweepCmd runs every point of a study file and reports the figures of
// each.
func sweepCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "sweep")
	format := outputFlag(fs, render.SweepFormats())
	var sf simFlags
	sf.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) == "" {
		return usageError{"name one study file"}
	}
	if _, err := scenarioArg(fs, *format, render.SweepFormats()); err != nil {
		return err
	}
	if err := sf.validate(); err != nil {
		return err
	}
	st, err := study.LoadStudy(ctx, fs.Arg(0))
	if err != nil {
		return err
	}
	out, err := openOutput(e.stdout, sf.out, scenarioFiles(fs.Arg(0), st.ScenarioRef()))
	if err != nil {
		return err
	}
	opt := study.SweepOptions{}
	if fs.Changed("seed") {
		opt.Seed = &sf.seed
	}
	if fs.Changed("replications") {
		opt.Replications = &sf.replications
	}
	bar := newProgress(e, fmt.Sprintf("sweeping %d points", st.NumPoints()), sf.quiet)
	opt.Options = sf.options(bar)
	if sf.sharded() {
		shard, err := sf.shardOf(fs, *format)
		if err != nil {
			return err
		}
		partial, err := study.SweepShard(ctx, st, sf.changes(), shard, opt)
		bar.finish()
		if err != nil {
			return err
		}
		return writePartial(ctx, out, partial)
	}
	report, err := study.Sweep(ctx, st, sf.changes(), opt)
	bar.finish()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := render.Sweep(&buf, report, *format); err != nil {
		return err
	}
	return out.write(ctx, buf.Bytes())
}
