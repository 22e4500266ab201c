package main

import (
	"context"
	"fmt"
	"io"
	"slices"

	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/study"
)

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
	if !(*tolerate >= 0 && *tolerate <= 1) {
		return usageError{fmt.Sprintf("--tolerate %v: a rate is between 0 and 1", *tolerate)}
	}
	if !slices.Contains([]string{diff.ExitOnWorse, diff.ExitOnImproved, diff.ExitOnChanged}, *exitOn) {
		return usageError{fmt.Sprintf("--exit-on %s: want worse, improved or changed", *exitOn)}
	}
	if !(*tolerateBlocking >= 0 && *tolerateBlocking <= 1) {
		return usageError{fmt.Sprintf("--tolerate-blocking %v: a rate is between 0 and 1", *tolerateBlocking)}
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
