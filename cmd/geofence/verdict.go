package main

// The commands whose verdict CI acts on, check and diff, and the flags
// they share.

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/spf13/pflag"

	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// verdictFlags are the flags of the commands that give a verdict CI acts
// on (check and diff): the simulation's, the limits a rate is held to, the
// risks accepted, and what fails a build and how SARIF and JUnit place and
// time it.
type verdictFlags struct {
	accept acceptFlags
	limits limitFlags
	ci     ciFlags
	sim    simFlags
}

func (v *verdictFlags) register(fs *pflag.FlagSet) {
	v.accept.register(fs)
	v.limits.register(fs)
	v.ci.register(fs)
	v.sim.register(fs)
}

// validate checks the values of the flags that need no scenario.
func (v *verdictFlags) validate() error {
	if err := v.limits.validate(); err != nil {
		return err
	}
	return v.ci.validate()
}

// write renders a verdict with the CI options for the files it names
// (reports, then the --accept files) and writes it to out.
func (v *verdictFlags) write(ctx context.Context, out *output, files []string, render func(w io.Writer, opt render.CIOptions) error) error {
	opt, err := v.ci.options(onDisk(append(files, v.accept.files...)...)...)
	if err != nil {
		return err
	}
	return out.render(ctx, func(w io.Writer) error { return render(w, opt) })
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
	if err := validRate(limitFlag, l.all); err != nil {
		return err
	}
	if err := validRate(blockingFlag, l.blocking); err != nil {
		return err
	}
	for i := range l.plane {
		if err := validRate(planeLimitFlag(i), l.plane[i]); err != nil {
			return err
		}
	}
	return nil
}

// validRate refuses v, given to the rate flag name, unless it is from 0
// to 1.
func validRate(name string, v float64) error {
	if !(v >= 0 && v <= 1) {
		return usageError{fmt.Sprintf("--%s %v: a rate is between 0 and 1", name, v)}
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

// checkCmd checks a scenario's routing against its geofence policy.
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

// diffCmd compares two versions of a scenario: what a change does to the
// geofence.
func diffCmd(ctx context.Context, e *env, args []string) error {
	fs := newReportFlags(e, "diff", render.DiffFormats())
	staticOnly := fs.Bool("static-only", false, "compare the static analyses only: landings, tolerances, lints and routing, no simulation")
	var setOld []string
	fs.StringArrayVar(&setOld, "set-old", nil, "change OLD before comparing, as --set does NEW: `PATH=VALUE`, repeatable (--when, --load and --scale apply to both)")
	tolerate := fs.Float64("tolerate", 0, "a violation rate that rose significantly by at most `X` (violations per join offered) is not worse while it stays within its limit (default 0: any significant rise is worse)")
	tolerateBlocking := fs.Float64("tolerate-blocking", 0, "a blocking probability that rose significantly by at most `X` is not worse while it stays within the blocking limit (default: any rise within the limit is not worse)")
	exitOn := fs.String("exit-on", diff.ExitOnWorse, "what exits 1: `worse` (something got worse), improved (something got better) or changed (anything differs), as terraform plan -detailed-exitcode")
	var vf verdictFlags
	vf.register(fs.FlagSet)
	sf := &vf.sim
	if err := parse(fs.FlagSet, args); err != nil {
		return err
	}
	oldArg, newArg, err := diffArgs(fs)
	if err != nil {
		return err
	}
	if err := vf.validate(); err != nil {
		return err
	}
	if err := validRate("tolerate", *tolerate); err != nil {
		return err
	}
	if !slices.Contains([]string{diff.ExitOnWorse, diff.ExitOnImproved, diff.ExitOnChanged}, *exitOn) {
		return usageError{fmt.Sprintf("--exit-on %s: want worse, improved or changed", *exitOn)}
	}
	if err := validRate("tolerate-blocking", *tolerateBlocking); err != nil {
		return err
	}
	for _, f := range [][2]string{{"tolerate", "violation rates"}, {"tolerate-blocking", "blocking"}, {blockingFlag, "blocking"}} {
		if *staticOnly && fs.Changed(f[0]) {
			return usageError{"--" + f[0] + " judges simulated " + f[1] + "; it does not go with --static-only"}
		}
	}
	if sf.sharded() {
		return usageError{"--shard: a diff pairs the two versions replication by replication, and is not sharded"}
	}
	new, err := sf.loadBy(ctx, newArg, study.LoadNew)
	if err != nil {
		return err
	}
	conditions := sf.changes()
	conditions.Set = setOld
	old, err := study.LoadOld(ctx, oldArg, conditions)
	if err != nil {
		return err
	}
	accepted, date, err := vf.accept.load(new)
	if err != nil {
		return err
	}
	out, err := openOutput(e.stdout, sf.out, append(scenarioFiles(oldArg, newArg), vf.accept.files...))
	if err != nil {
		return err
	}
	bar := newProgress(e, "simulating "+old.Name+" and "+new.Name, sf.quiet)
	opt := study.DiffOptions{
		Options:    sf.options(bar),
		StaticOnly: *staticOnly,
		Settings:   diff.Settings{Tolerate: *tolerate, FailOn: vf.ci.failOn, ExitOn: *exitOn, Accepted: accepted, Date: date},
	}
	opt.Limits, opt.LimitSource = vf.limits.resolve(new)
	opt.MaxBlocking, opt.MaxBlockingSource = vf.limits.blockingLimit(new)
	if fs.Changed("tolerate-blocking") {
		opt.TolerateBlocking = tolerateBlocking
	}
	report, err := study.Diff(ctx, old, new, opt)
	bar.finish()
	if err != nil {
		return err
	}
	err = vf.write(ctx, out, slices.Concat([]string{report.Old.File, report.New.File}, report.Old.Imports, report.New.Imports), func(w io.Writer, opt render.CIOptions) error {
		return render.Diff(w, report, *fs.format, opt)
	})
	if err != nil {
		return err
	}
	if report.Failed {
		return diffSummary(report)
	}
	return nil
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

// diffArgs checks that there are two scenarios and a known format, and
// returns the scenarios.
func diffArgs(fs *reportFlags) (old, new string, err error) {
	if fs.NArg() != 2 {
		return "", "", usageError{fmt.Sprintf("takes two scenarios, OLD and NEW; %d given", fs.NArg())}
	}
	if fs.Arg(0) == "" || fs.Arg(1) == "" {
		return "", "", usageError{"empty scenario name; name a built-in or a file"}
	}
	if err := fs.checkFormat(); err != nil {
		return "", "", err
	}
	return fs.Arg(0), fs.Arg(1), nil
}

// diffSummary tells a CI log in a few lines why the diff failed: what got
// worse (or, with --exit-on improved or changed, better or different),
// each starting with where; the report has every change.
func diffSummary(r *diff.Report) findingError {
	lines := r.Worse
	switch r.ExitOn {
	case diff.ExitOnImproved:
		lines = r.Improved
	case diff.ExitOnChanged:
		lines = append(slices.Clone(r.Worse), r.Improved...)
	}
	what := map[string]string{
		diff.ExitOnWorse:    "is worse than",
		diff.ExitOnImproved: "improves on",
		diff.ExitOnChanged:  "differs from",
	}[r.ExitOn]
	msg := fmt.Sprintf("NEW %s %s OLD %s: %d worse, %d improved", r.New.Name, what, r.Old.Name, len(r.Worse), len(r.Improved))
	if r.ExitOn == diff.ExitOnChanged && len(lines) == 0 {
		lines = []string{fmt.Sprintf("%d routing changes, %d lint changes; see the report", r.Summary.RoutingChanges, r.Summary.Lints.New+r.Summary.Lints.Absent+r.Summary.Lints.Updated)}
	}
	return summary(msg, lines)
}

// diffHelp ends diff's usage: what it compares and when it exits 1.
const diffHelp = `
OLD and NEW are each a built-in, a scenario file, or a file as it is at a
revision of the git repository, git:REV:PATH (PATH as the working tree
names it; its relative references are read at REV too): typically
git:main:FILE and FILE in a pull request. diff reports, statically,
the forbidden landings NEW allows and OLD did not and the reverse (each
with its witness, located at the entry that lets it in), fences whose
failure tolerance changed, lints that appeared or went, and what changed
in the routing; and, unless --static-only, both simulated on NEW's seed
and replications (common random numbers), the paired change of every
population's violation rates, blocking, secondary share and p95 set-up
latency, with 95% intervals and whether each is significant.

Exit status: 0 when nothing got worse; 1 when something did: a new
forbidden landing, one reached with fewer datacenters full or down, a
lower failure tolerance, a violation rate that rose significantly (its
paired interval above 0) and ends above its limit or rose by more than
--tolerate, a blocking probability that rose significantly past the
blocking limit (--max-blocking, else NEW's run.max_blocking; or by more
than --tolerate-blocking), a rate of one of NEW's groups that did so
past the group's limit, or a lint of --fail-on's severity or above that
appeared.
--exit-on improved or changed exits 1 on an improvement, or on any
difference, instead. 2: bad usage or input.

--set changes NEW and --set-old OLD; --when, --load and --scale are
conditions of the world, applied to both, so that both versions are
compared under them: diff OLD NEW --when 'datacenters[eu-fra].timeline+={at:
12h, state: down}' asks what the change does during that outage. Risks NEW
accepts (its accepted list, --accept files), judged on --date, are not
worse. ` + "`geofence help figures`" + ` defines
every figure.
`
