package main

import (
	"context"
	"fmt"
	"io"

	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/study"
)

// sweepCmd runs every point of a study file and reports the figures of
// each.
func sweepCmd(ctx context.Context, e *env, args []string) error {
	fs := newReportFlags(e, "sweep", render.SweepFormats())
	var sf simFlags
	sf.register(fs.FlagSet)
	if err := parse(fs.FlagSet, args); err != nil {
		return err
	}
	if fs.NArg() != 1 || fs.Arg(0) == "" {
		return usageError{"name one study file"}
	}
	if err := fs.checkFormat(); err != nil {
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
		return sf.writeShard(ctx, out, *fs.format, bar, func(shard study.Shard) (*study.Partial, error) {
			return study.SweepShard(ctx, st, sf.changes(), shard, opt)
		})
	}
	report, err := study.Sweep(ctx, st, sf.changes(), opt)
	bar.finish()
	if err != nil {
		return err
	}
	return out.render(ctx, func(w io.Writer) error { return render.Sweep(w, report, *fs.format) })
}
