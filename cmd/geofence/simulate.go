package main

// The commands that simulate and report figures: run a scenario, sweep a
// study's points, plan the value a quantity needs; and merge, which
// combines the partial results of sharded runs, checks and sweeps.

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/scenarios/format"
)

// runCmd simulates a scenario and reports what happened to every join.
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
	s, out, err := sf.loadWithOutput(ctx, e, arg)
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

// mergeCmd combines the partial results of every shard of a run, check or
// sweep into the report the unsharded command would have written.
func mergeCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "merge")
	formats := render.RunFormats()
	for _, f := range slices.Concat(render.CheckFormats(), render.SweepFormats()) {
		if !slices.Contains(formats, f) {
			formats = append(formats, f)
		}
	}
	format := fs.StringP("output", "o", "table", "output format: for a run "+strings.Join(render.RunFormats(), ", ")+"; for a check "+strings.Join(render.CheckFormats(), ", ")+"; for a sweep "+strings.Join(render.SweepFormats(), ", "))
	detail := fs.Bool("detail", false, "table format of a run: every table, not just the headline")
	perReplication := fs.Bool("per-replication", false, "csv format of a run: one row per replication for every figure")
	outPath := fs.String("out", "", "write the report to `FILE`, as run and check do")
	var ci ciFlags
	ci.registerForMerge(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.Changed("fail-on") {
		if err := ci.validate(); err != nil {
			return err
		}
	}
	if fs.NArg() == 0 {
		return usageError{"name the partial results of every shard"}
	}
	if !slices.Contains(formats, *format) {
		return usageError{fmt.Sprintf("-o %s: want one of %s", *format, strings.Join(formats, ", "))}
	}
	if fs.Changed("out") && *outPath == "" {
		return usageError{"--out needs a file name; without --out the report goes to standard output"}
	}
	out, err := openOutput(e.stdout, *outPath, fs.Args())
	if err != nil {
		return err
	}
	parts, err := study.ReadPartials(ctx, fs.Args())
	if err != nil {
		return err
	}
	if fs.Changed("fail-on") {
		for i, p := range parts {
			if p.Job.Check == nil {
				return usageError{fmt.Sprintf("--fail-on decides a check; %s is a partial of a %s", fs.Arg(i), p.Job.Command)}
			}
			p.Job.Check.FailOn = ci.failOn
		}
	}
	merged, err := study.Merge(ctx, parts, version())
	if err != nil {
		return err
	}
	err = out.render(ctx, func(w io.Writer) error {
		switch {
		case merged.Sweep != nil:
			if err := rendersAs("sweep", *format, render.SweepFormats()); err != nil {
				return err
			}
			return render.Sweep(w, merged.Sweep, *format)
		case merged.Run != nil:
			if err := rendersAs("run", *format, render.RunFormats()); err != nil {
				return err
			}
			return render.Run(w, merged.Run, *format, render.Options{Detail: *detail, PerReplication: *perReplication})
		}
		if err := rendersAs("check", *format, render.CheckFormats()); err != nil {
			return err
		}
		files := append([]string{merged.Check.Scenario.File}, merged.Check.Scenario.Imports...)
		for _, a := range merged.Check.Accepted {
			files = append(files, a.File)
		}
		ciOptions, err := ci.options(onDisk(files...)...)
		if err != nil {
			return err
		}
		return render.Check(w, merged.Check, *format, ciOptions)
	})
	if err != nil {
		return err
	}
	if merged.Check != nil && !merged.Check.Passed {
		return failureSummary(merged.Check.Scenario.Name, merged.Check)
	}
	return nil
}

// rendersAs checks that format is one of formats, those a merged result
// of kind renders as.
func rendersAs(kind, format string, formats []string) error {
	if !slices.Contains(formats, format) {
		return usageError{fmt.Sprintf("-o %s: a %s renders as %s", format, kind, strings.Join(formats, ", "))}
	}
	return nil
}

// planCmd finds the least (or largest) value of a quantity at which every
// fence keeps its violation rate within its limit.
func planCmd(ctx context.Context, e *env, args []string) error {
	fs := newReportFlags(e, "plan", render.PlanFormats())
	vary := fs.StringArray("vary", nil, "the quantity, by an override `PATH` (repeatable: every path takes the value), e.g. datacenters[us-sjc].capacity.media; with --by load, a selector of the populations whose load varies (e.g. jurisdiction:EU; default every population)")
	by := fs.String("by", "set", "how the value is applied to each path, `set|scale|load`: set to it, multiplied by it, or (load) multiplying the join rates of the populations picked, capacities unchanged")
	lo := fs.Float64("min", 0, "least value tried (default 1 for set, 0.01 for scale and load)")
	hi := fs.Float64("max", 0, "largest value tried (default 100000 for set, 100 for scale and load)")
	step := fs.Float64("step", 0, "step between values tried (default 1 for set, 0.01 for scale and load)")
	populations := fs.StringArray("population", nil, "hold only this population's fences to their limits, or this group's rates of its joins pooled (`ID` of a population or of a group of run.groups; repeatable; default every population, and every group with limits of its own)")
	maximise := fs.Bool("maximise", false, "find the largest value that passes (a demand still carried), not the least (a capacity)")
	maxReplications := fs.Int("max-replications", 0, "replications the answer may grow to while it is made stable: from the replications each value starts on to 10000 (default 16 times those, at most 10000)")
	arg, limits, sf, err := fs.parseLimited(args)
	if err != nil {
		return err
	}
	paths := *vary
	if *by == "load" {
		paths = loadPaths(*vary)
	}
	q := study.Question{Paths: paths, Populations: *populations, By: *by, Goal: "least", Min: *lo, Max: *hi, Step: *step}
	if *maximise {
		q.Goal = "largest"
	}
	defaults := map[string][3]float64{"set": {1, 100000, 1}, "scale": {0.01, 100, 0.01}, "load": {0.01, 100, 0.01}}
	if d, ok := defaults[*by]; ok {
		for i, name := range []string{"min", "max", "step"} {
			if !fs.Changed(name) {
				*[]*float64{&q.Min, &q.Max, &q.Step}[i] = d[i]
			}
		}
	}
	if sf.sharded() {
		return usageError{"a plan decides each step on the last: it does not shard"}
	}
	s, out, err := sf.loadWithOutput(ctx, e, arg)
	if err != nil {
		return err
	}
	opt := study.PlanOptions{MaxReplications: *maxReplications}
	opt.Limits, opt.LimitSource = limits.resolve(s)
	opt.MaxBlocking, opt.MaxBlockingSource = limits.blockingLimit(s)
	bar := newProgress(e, "planning "+s.Name, sf.quiet)
	opt.Options = sf.options(bar)
	report, err := study.Plan(ctx, s, q, opt)
	bar.finish()
	if err != nil {
		return err
	}
	if err := out.render(ctx, func(w io.Writer) error { return render.Plan(w, report, *fs.format) }); err != nil {
		return err
	}
	if report.Answer == nil {
		return findingError{msg: fmt.Sprintf("no value from %v to %v keeps every fence within its limit", q.Min, q.Max)}
	}
	return nil
}

// loadPaths are the load paths --by load varies: load[SELECTOR] for each
// selector --vary gives (a load path as it is), or load, every
// population's, when it gives none.
func loadPaths(vary []string) []string {
	if len(vary) == 0 {
		return []string{format.LoadPath}
	}
	paths := make([]string, len(vary))
	for i, v := range vary {
		paths[i] = v
		if !strings.HasPrefix(v, format.LoadPath) {
			paths[i] = format.LoadPath + "[" + v + "]"
		}
	}
	return paths
}
