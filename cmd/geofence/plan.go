package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/scenarios/format"
)

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
	var limits limitFlags
	limits.register(fs.FlagSet)
	var sf simFlags
	sf.register(fs.FlagSet)
	arg, err := fs.parseScenario(args)
	if err != nil {
		return err
	}
	if err := limits.validate(); err != nil {
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
	s, err := sf.load(ctx, arg)
	if err != nil {
		return err
	}
	out, err := openOutput(e.stdout, sf.out, scenarioFiles(arg))
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
