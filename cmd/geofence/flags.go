package main

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strings"

	"github.com/dustin/go-humanize"
	"github.com/spf13/pflag"

	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/scenarios"
)

// simFlags are the flags every simulating command shares.
type simFlags struct {
	changeFlags
	maxMemory    string
	maxEvents    float64
	shard        string
	seed         uint64
	replications int
	workers      int
	out          string
	quiet        bool
	fs           *pflag.FlagSet
}

// changeFlags are the changes a command makes to its scenario before
// anything else: --scale, then the conditions --when and --load, then
// --set.
type changeFlags struct {
	set   []string
	when  []string
	loads []string
	scale float64
	cfs   *pflag.FlagSet
}

func (c *changeFlags) register(fs *pflag.FlagSet) {
	c.cfs = fs
	fs.StringArrayVar(&c.set, "set", nil, "change the configuration under review before running: `PATH=VALUE` (also *=, +=, -=), e.g. routing.whitelists[intl-backup]-=cn-bj-1; repeatable, applied in order (see geofence help set)")
	fs.StringArrayVar(&c.when, "when", nil, "a condition of the world, run on every side of a comparison (a check's baseline, diff's OLD and NEW, every point of a sweep or plan): `PATH=VALUE` as --set takes it, e.g. 'datacenters[eu-fra].timeline+={at: 12h, state: down}'; repeatable")
	fs.StringArrayVar(&c.loads, "load", nil, "a condition: multiply join rates alone by K, capacities unchanged — every population's, or those a selector picks (`[SELECTOR=]K`, e.g. jurisdiction:EU=1.2 or region:eu,plan:free=1.5; see geofence help set); repeatable")
	fs.Float64Var(&c.scale, "scale", 0, "multiply every join rate and finite capacity by `K` before the other changes (the built-ins are 1:1000: --scale 1000 is real size); a condition, as --when")
}

// load resolves the scenario (no argument means the default built-in)
// and makes the changes --scale, --when, --load and --set ask for.
func (c *changeFlags) load(ctx context.Context, arg string) (*scenarios.Scenario, error) {
	return c.loadBy(ctx, arg, study.Load)
}

// loadBy is load, resolving and changing the scenario with loader.
func (c *changeFlags) loadBy(ctx context.Context, arg string, loader func(context.Context, string, study.Changes) (*scenarios.Scenario, error)) (*scenarios.Scenario, error) {
	if arg == "" {
		arg = scenarios.Default
	}
	if c.cfs.Changed("scale") && !(c.scale > 0) {
		return nil, usageError{fmt.Sprintf("--scale %v: the scale must be a number greater than 0", c.scale)}
	}
	return loader(ctx, arg, c.changes())
}

// changes are the changes --scale, --when, --load and --set ask for.
func (c *changeFlags) changes() study.Changes {
	return study.Changes{Scale: c.scale, When: c.when, Load: c.loads, Set: c.set}
}

func (f *simFlags) register(fs *pflag.FlagSet) {
	f.fs = fs
	f.changeFlags.register(fs)
	fs.Uint64Var(&f.seed, "seed", 0, "master seed, instead of the scenario's run.seed")
	fs.IntVar(&f.replications, "replications", 0, "replications, instead of the scenario's run.replications (at least 2)")
	fs.IntVar(&f.workers, "workers", 0, "goroutines running replications (0: one per core); never changes the output")
	fs.StringVar(&f.out, "out", "", "write the report to `FILE`, not standard output: a file (or a link's target) is replaced atomically, a device or FIFO written in place")
	fs.BoolVarP(&f.quiet, "quiet", "q", false, "no progress bar on standard error")
	fs.StringVar(&f.maxMemory, "max-memory", humanize.IBytes(study.DefaultMaxBytes), "refuse a run estimated to need more memory than `SIZE` (e.g. 16GiB; see geofence help cost)")
	fs.Float64Var(&f.maxEvents, "max-events", study.DefaultMaxEvents, "refuse a run estimated at more than `N` events over every replication")
	fs.StringVar(&f.shard, "shard", "", "run only shard `K/N` (K from 0) of the replications and write a partial result for geofence merge; auto: the Slurm array task's")
}

// sharded reports whether --shard was given.
func (f *simFlags) sharded() bool { return f.fs.Changed("shard") }

// writeShard runs the shard --shard names by run and writes its partial
// result, which is JSON for geofence merge: -o, if given, must say so.
func (f *simFlags) writeShard(ctx context.Context, out *output, format string, bar *progress, run func(study.Shard) (*study.Partial, error)) error {
	if f.fs.Changed("output") && format != "json" {
		return usageError{"--shard writes a partial result in JSON for geofence merge; give -o " + format + " to merge"}
	}
	shard, err := study.ParseShard(f.shard, os.Getenv)
	if err != nil {
		return usageError{err.Error()}
	}
	partial, err := run(shard)
	bar.finish()
	if err != nil {
		return err
	}
	data, err := json.Marshal(partial)
	if err != nil {
		return err
	}
	return out.write(ctx, append(data, '\n'))
}

// load resolves the scenario (no argument means the default built-in),
// makes the changes --scale, --when, --load and --set ask for, and
// applies the run settings the flags override.
func (f *simFlags) load(ctx context.Context, arg string) (*scenarios.Scenario, error) {
	return f.loadBy(ctx, arg, study.Load)
}

// loadBy is load, resolving and changing the scenario with loader.
func (f *simFlags) loadBy(ctx context.Context, arg string, loader func(context.Context, string, study.Changes) (*scenarios.Scenario, error)) (*scenarios.Scenario, error) {
	s, err := f.changeFlags.loadBy(ctx, arg, loader)
	if err != nil {
		return nil, err
	}
	if err := f.validate(); err != nil {
		return nil, err
	}
	f.apply(s)
	return s, nil
}

// loadWithOutput is load, then opens the output the report goes to, so
// that a bad --out fails before anything is simulated.
func (f *simFlags) loadWithOutput(ctx context.Context, e *env, arg string) (*scenarios.Scenario, *output, error) {
	s, err := f.load(ctx, arg)
	if err != nil {
		return nil, nil, err
	}
	out, err := openOutput(e.stdout, f.out, scenarioFiles(arg))
	if err != nil {
		return nil, nil, err
	}
	return s, out, nil
}

// apply overrides the scenario's run settings with the flags given.
func (f *simFlags) apply(s *scenarios.Scenario) {
	if f.fs.Changed("seed") {
		s.Run.Seed = f.seed
	}
	if f.fs.Changed("replications") {
		s.Run.Replications = f.replications
	}
}

// validate checks the flags' values, which need no scenario.
func (f *simFlags) validate() error {
	if f.fs.Changed("replications") && (f.replications < 2 || f.replications > 10000) {
		return usageError{fmt.Sprintf("--replications %d: need 2 to 10000 for a confidence interval", f.replications)}
	}
	if f.fs.Changed("out") && f.out == "" {
		return usageError{"--out needs a file name; without --out the report goes to standard output"}
	}
	if f.workers < 0 {
		return usageError{"--workers must not be negative"}
	}
	if b, err := humanize.ParseBytes(f.maxMemory); err != nil || b == 0 {
		return usageError{fmt.Sprintf("--max-memory %q: want a size such as 4GiB or 512MB", f.maxMemory)}
	}
	if !(f.maxEvents > 0) {
		return usageError{fmt.Sprintf("--max-events %v: want a number greater than 0", f.maxEvents)}
	}
	return nil
}

// options are the study options the flags give, with bar showing
// progress; validate has checked the limits.
func (f *simFlags) options(bar *progress) study.Options {
	bytes, _ := humanize.ParseBytes(f.maxMemory)
	return study.Options{Version: version(), Workers: f.workers, Progress: bar.done,
		Cost: study.CostLimits{Bytes: float64(bytes), Events: f.maxEvents}}
}

// reportFlags are the flags of a command that writes a report in one of
// formats, the first being the default: -o, and the command's own.
type reportFlags struct {
	*pflag.FlagSet
	format  *string
	formats []string
}

// newReportFlags makes the flag set of command name, with -o taking one
// of formats.
func newReportFlags(e *env, name string, formats []string) *reportFlags {
	fs := newFlags(e, name)
	format := fs.StringP("output", "o", formats[0], "output format: "+strings.Join(formats, ", "))
	return &reportFlags{FlagSet: fs, format: format, formats: formats}
}

// parseLimited registers the limit and simulation flags after the
// command's own, parses its arguments as parseScenario does, and checks the
// limits given: the opening of the commands that judge one scenario
// against its limits by simulating it, report and plan.
func (f *reportFlags) parseLimited(args []string) (arg string, limits *limitFlags, sf *simFlags, err error) {
	limits, sf = &limitFlags{}, &simFlags{}
	limits.register(f.FlagSet)
	sf.register(f.FlagSet)
	if arg, err = f.parseScenario(args); err != nil {
		return "", nil, nil, err
	}
	return arg, limits, sf, limits.validate()
}

// parseScenario parses the arguments of a command that takes at most one
// scenario, and returns the scenario argument ("" for the default).
func (f *reportFlags) parseScenario(args []string) (string, error) {
	if err := parse(f.FlagSet, args); err != nil {
		return "", err
	}
	if f.NArg() > 1 {
		return "", usageError{"takes at most one scenario"}
	}
	if f.NArg() == 1 && f.Arg(0) == "" {
		return "", usageError{"empty scenario name; name a built-in or a file, or give none for " + scenarios.Default}
	}
	if err := f.checkFormat(); err != nil {
		return "", err
	}
	return f.Arg(0), nil
}

// checkFormat checks that -o names one of the formats.
func (f *reportFlags) checkFormat() error {
	if !slices.Contains(f.formats, *f.format) {
		return usageError{fmt.Sprintf("-o %s: want one of %s", *f.format, strings.Join(f.formats, ", "))}
	}
	return nil
}

// scenarioFiles keeps, of the scenario references a command reads, those
// that name files rather than built-ins.
func scenarioFiles(refs ...string) []string {
	var files []string
	for _, ref := range refs {
		if _, builtin := scenarios.BuiltinSource(ref); ref != "" && !builtin {
			files = append(files, ref)
		}
	}
	return files
}
