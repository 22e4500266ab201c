package main

import (
	"bytes"
	"context"
	"fmt"

	"github.com/spf13/pflag"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/lint"
	"github.com/geofence/geofence/sim"
	"github.com/geofence/geofence/sim/fence"
)

func checkCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "check")
	format := outputFlag(fs, results.CheckFormats())
	staticOnly := fs.Bool("static-only", false, "analyse the routing without simulating: witnesses and lints only")
	baseline := fs.String("baseline", "", "compare blocking with this scenario (`NAME|FILE`), instead of the scenario's own baseline")
	minTolerance := fs.Int("min-tolerance", 0, "pass a fence statically when every forbidden landing needs at least `N` datacenters full or down (default: any forbidden landing fails)")
	var limits limitFlags
	limits.register(fs)
	var sf simFlags
	sf.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	arg, err := scenarioArg(fs, *format, results.CheckFormats())
	if err != nil {
		return err
	}
	if err := limits.validate(); err != nil {
		return err
	}
	if *minTolerance < 0 {
		return usageError{"--min-tolerance must not be negative"}
	}
	if *staticOnly && *baseline != "" {
		return usageError{"--baseline compares simulated blocking; it does not go with --static-only"}
	}
	s, err := loadScenario(arg, &sf)
	if err != nil {
		return err
	}
	static, err := fence.Analyze(ctx, s)
	if err != nil {
		return err
	}
	in := results.CheckInput{
		Scenario: s,
		Meta:     meta(s),
		Static:   static,
		Lints:    lint.Check(s),
	}
	in.Limits, in.LimitSource = limits.resolve(s)
	if fs.Changed("min-tolerance") {
		in.MinTolerance = minTolerance
	}
	if !*staticOnly {
		m, reps, err := simulate(ctx, e, s, &sf)
		if err != nil {
			return err
		}
		in.Report = results.Summarize(m, reps, in.Meta)
		if in.Baseline, err = compareBaseline(ctx, e, s, *baseline, &sf, m, reps); err != nil {
			return err
		}
	}
	report := results.Check(in)
	var buf bytes.Buffer
	if err := results.RenderCheck(&buf, report, *format); err != nil {
		return err
	}
	if err := sf.write(e, buf.Bytes()); err != nil {
		return err
	}
	if !report.Passed {
		return findingError{failureSummary(s.Name, report)}
	}
	return nil
}

// compareBaseline runs the baseline scenario, named by --baseline or by the
// scenario itself, with the same seed and replications, and compares
// blocking population by population. It returns nil when there is none.
func compareBaseline(ctx context.Context, e *env, s *scenarios.Scenario, flag string, sf *simFlags, m *sim.Model, reps []*sim.Replication) (*results.BaselineInput, error) {
	name := flag
	if name == "" {
		name = s.Baseline
		if name == "" {
			return nil, nil
		}
		name = s.ResolveRelative(name)
	}
	base, err := scenarios.Resolve(name)
	if err != nil {
		return nil, err
	}
	base.Run.Seed, base.Run.Replications = s.Run.Seed, s.Run.Replications
	bm, baseReps, err := simulate(ctx, e, base, &simFlags{workers: sf.workers, quiet: sf.quiet})
	if err != nil {
		return nil, err
	}
	return &results.BaselineInput{
		Scenario: results.ScenarioRef{Name: base.Name, File: base.Source.File, SHA256: base.Source.SHA256},
		Blocking: results.CompareBlocking(bm, baseReps, m, reps),
	}, nil
}

// limitFlags set the maximum violation rate per plane.
type limitFlags struct {
	all   float64
	plane [sim.NumPlanes]float64
	fs    *pflag.FlagSet
}

// limitFlag names the all-planes limit; planeLimitFlag(i) plane i's.
const limitFlag = "max-violation-rate"

func planeLimitFlag(i int) string { return limitFlag + "-" + string(scenarios.Planes[i]) }

func (l *limitFlags) register(fs *pflag.FlagSet) {
	l.fs = fs
	fs.Float64Var(&l.all, limitFlag, 0, "maximum violations per join offered, every plane (default: the scenario's run.max_violation_rate, else 0)")
	for i, p := range scenarios.Planes {
		fs.Float64Var(&l.plane[i], planeLimitFlag(i), 0, "maximum violations per join offered for the "+string(p)+" plane")
	}
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

// failureSummary is the one line on stderr that tells a CI log why the
// check failed; the report itself has every failure.
func failureSummary(name string, r *results.CheckReport) string {
	const shown = 3
	failed := 0
	for _, fc := range r.Fences {
		if !fc.Passed {
			failed++
		}
	}
	msg := fmt.Sprintf("%s breaks its geofence: %d of %d fences fail", name, failed, len(r.Fences))
	for i, f := range r.Failures {
		if i == shown {
			return msg + fmt.Sprintf("\n  … and %d more reasons in the report", len(r.Failures)-shown)
		}
		msg += "\n  " + f
	}
	return msg
}
