package main

import (
	"context"
	"fmt"
	"io"

	"github.com/spf13/pflag"

	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

func checkCmd(ctx context.Context, e *env, args []string) error {
	fs := newReportFlags(e, "check", render.CheckFormats())
	staticOnly := fs.Bool("static-only", false, "analyse the routing without simulating: witnesses and lints only")
	baseline := fs.String("baseline", "", "compare blocking with this scenario (`NAME|FILE`), instead of the scenario's own baseline")
	minTolerance := fs.Int("min-tolerance", 0, "pass a fence statically when every forbidden landing needs at least `N` datacenters full or down (default: any forbidden landing fails)")
	decide := fs.String("decide", check.DecideMean, "hold each simulated violation rate to its limit by its `mean|upper`: the point estimate, or its one-sided 95% upper bound")
	var vf verdictFlags
	vf.register(fs.FlagSet)
	sf := &vf.sim
	arg, err := fs.parseScenario(args)
	if err != nil {
		return err
	}
	if err := vf.validate(); err != nil {
		return err
	}
	if *minTolerance < 0 {
		return usageError{"--min-tolerance must not be negative"}
	}
	if *decide != check.DecideMean && *decide != check.DecideUpper {
		return usageError{fmt.Sprintf("--decide %s: want mean or upper", *decide)}
	}
	if *staticOnly && *baseline != "" {
		return usageError{"--baseline compares simulated blocking; it does not go with --static-only"}
	}
	s, err := sf.load(ctx, arg)
	if err != nil {
		return err
	}
	accepted, date, err := vf.accept.load(s)
	if err != nil {
		return err
	}
	baselineRef := study.BaselineRef(s, *baseline)
	out, err := openOutput(e.stdout, sf.out, append(scenarioFiles(arg, baselineRef), vf.accept.files...))
	if err != nil {
		return err
	}
	bar := newProgress(e, "checking "+s.Name, sf.quiet)
	opt := study.CheckOptions{
		Options:       sf.options(bar),
		StaticOnly:    *staticOnly,
		Baseline:      *baseline,
		CheckSettings: study.CheckSettings{Decide: *decide, FailOn: vf.ci.failOn, Accepted: accepted, Date: date},
	}
	opt.Limits, opt.LimitSource = vf.limits.resolve(s)
	opt.MaxBlocking, opt.MaxBlockingSource = vf.limits.blockingLimit(s)
	if fs.Changed("min-tolerance") {
		opt.MinTolerance = minTolerance
	}
	if sf.sharded() {
		return sf.writeShard(ctx, out, *fs.format, bar, func(shard study.Shard) (*study.Partial, error) {
			return study.CheckShard(ctx, s, shard, opt)
		})
	}
	report, err := study.Check(ctx, s, opt)
	bar.finish()
	if err != nil {
		return err
	}
	err = vf.write(ctx, out, append([]string{report.Scenario.File}, report.Scenario.Imports...), func(w io.Writer, opt render.CIOptions) error {
		return render.Check(w, report, *fs.format, opt)
	})
	if err != nil {
		return err
	}
	if !report.Passed {
		return failureSummary(s.Name, report)
	}
	return nil
}

// limitFlags set the maximum violation rate per plane, and the maximum
// blocking of every population.
type limitFlags struct {
	all      float64
	plane    [sim.NumPlanes]float64
	blocking float64
	fs       *pflag.FlagSet
}

// blockingFlag names the blocking limit.
const blockingFlag = "max-blocking"

// limitFlag names the all-planes limit; planeLimitFlag(i) plane i's.
const limitFlag = "max-violation-rate"

func planeLimitFlag(i int) string { return limitFlag + "-" + string(scenarios.Planes[i]) }

func (l *limitFlags) register(fs *pflag.FlagSet) {
	l.fs = fs
	fs.Float64Var(&l.all, limitFlag, 0, "maximum violations per join offered, every plane (default: the scenario's run.max_violation_rate, else 0)")
	for i, p := range scenarios.Planes {
		fs.Float64Var(&l.plane[i], planeLimitFlag(i), 0, "maximum violations per join offered for the "+string(p)+" plane")
	}
	fs.Float64Var(&l.blocking, blockingFlag, 0, "hold every population's blocking probability to `RATE` (default: the scenario's run.max_blocking, else none): a fix that blocks past it fails")
}

func (l *limitFlags) validate() error {
	check := func(name string, v float64) error {
		if l.fs.Changed(name) && !(v >= 0 && v <= 1) {
			return usageError{fmt.Sprintf("--%s %v: a rate is between 0 and 1", name, v)}
		}
		return nil
	}
	if err := check(limitFlag, l.all); err != nil {
		return err
	}
	if err := check(blockingFlag, l.blocking); err != nil {
		return err
	}
	for i := range l.plane {
		if err := check(planeLimitFlag(i), l.plane[i]); err != nil {
			return err
		}
	}
	return nil
}

// resolve picks each plane's limit: its own flag, else the all-planes flag,
// else the scenario's, else 0 — any violation fails.
func (l *limitFlags) resolve(s *scenarios.Scenario) (limits [sim.NumPlanes]float64, source [sim.NumPlanes]string) {
	for i, p := range scenarios.Planes {
		switch {
		case l.fs.Changed(planeLimitFlag(i)):
			limits[i], source[i] = l.plane[i], "--"+planeLimitFlag(i)
		case l.fs.Changed(limitFlag):
			limits[i], source[i] = l.all, "--"+limitFlag
		case s.Run.MaxViolationRate.For(p) != nil:
			limits[i], source[i] = float64(*s.Run.MaxViolationRate.For(p)), "scenario run.max_violation_rate"
		default:
			limits[i], source[i] = 0, "default"
		}
	}
	return limits, source
}

// blockingLimit picks the blocking limit: the flag, else the scenario's,
// else none (nil).
func (l *limitFlags) blockingLimit(s *scenarios.Scenario) (*float64, string) {
	switch {
	case l.fs.Changed(blockingFlag):
		limit := l.blocking
		return &limit, "--" + blockingFlag
	case s.Run.MaxBlocking != nil:
		limit := float64(*s.Run.MaxBlocking)
		return &limit, check.MaxBlockingInScenario
	}
	return nil, ""
}

// failureSummary tells a CI log in a few lines why the check failed and
// where to change it (file:line:column of the entry that lets clients
// out), however many fences fail or datacenters a witness names; the
// report itself has every failure.
func failureSummary(name string, r *check.Report) findingError {
	failed, lints := 0, 0
	for _, fc := range r.Fences {
		if !fc.Passed {
			failed++
		}
	}
	for _, l := range r.Lints {
		if l.Fails {
			lints++
		}
	}
	msg := fmt.Sprintf("%s breaks its geofence: %d of %d fences fail", name, failed, len(r.Fences))
	if limits := r.LimitsVerdict(); limits != "" {
		msg = fmt.Sprintf("%s fails its check: %d of %d fences fail; %s", name, failed, len(r.Fences), limits)
	}
	if lints > 0 {
		msg += fmt.Sprintf(", and %d lint%s at --fail-on %s", lints, plural(lints), r.FailOn)
	}
	return summary(msg, r.FailureLines())
}
