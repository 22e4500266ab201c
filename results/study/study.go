// Package study runs what the commands ask for, once, so that every
// command is a thin adapter over it: resolve a scenario and apply its
// overrides, check the cost, simulate replications on every core and
// summarise them as they finish — for a run, a policy check with its
// baseline, a diff, a sweep, a plan — split into shards and merged again,
// and read back from saved results.
package study

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/fence"
	"github.com/geofence/geofence/scenarios/lint"
	"github.com/geofence/geofence/sim"
)

// Tool is the name every report gives as its maker.
const Tool = "geofence"

// Options are how a run is carried out. None of them changes a figure
// except through the scenario they replace: the same scenario, seed and
// replications give the same report whatever Workers is.
type Options struct {
	// Version is the tool's version, recorded in every report.
	Version string
	// Workers is the number of replications run at once; 0 means one per
	// core.
	Workers int
	// Progress, if set, is called with how many replications have finished
	// and how many there are in all: with 0 before the first starts, then
	// after each finishes, one call at a time.
	Progress func(done, total int)
	// Cost bounds what a run may cost; a run estimated over it is refused
	// before it starts.
	Cost CostLimits
}

// Run simulates the replications of s and summarises them.
func Run(ctx context.Context, s *scenarios.Scenario, opt Options) (*results.Report, error) {
	reports, err := simulateAll(ctx, []*scenarios.Scenario{s}, opt)
	if err != nil {
		return nil, err
	}
	return reports[0], nil
}

// simulateAll runs every replication of every scenario and summarises
// each.
func simulateAll(ctx context.Context, ss []*scenarios.Scenario, opt Options) ([]*results.Report, error) {
	reports := make([]*results.Report, len(ss))
	accs, err := simulate(ctx, ss, 0, -1, opt)
	if err != nil {
		return nil, err
	}
	for i, s := range ss {
		if reports[i], err = accs[i].Report(Meta(s, opt.Version)); err != nil {
			return nil, err
		}
	}
	return reports, nil
}

// simulate runs replications from to to-1 (to -1: to the last) of every
// scenario, all in one pool of workers so that cores stay busy to the
// end, and accumulates each scenario's as they finish. The scenarios
// share nothing but the workers: each has its own seed.
func simulate(ctx context.Context, ss []*scenarios.Scenario, from, to int, opt Options) ([]*results.Accumulator, error) {
	batches := make([]sim.Batch, len(ss))
	accs := make([]*results.Accumulator, len(ss))
	models := make([]*sim.Model, len(ss))
	counts := make([]int, len(ss))
	total := 0
	for i, s := range ss {
		m, err := sim.Compile(s)
		if err != nil {
			return nil, err
		}
		end := to
		if end < 0 {
			end = s.Run.Replications
		}
		batches[i] = sim.Batch{Model: m, Seed: s.Run.Seed, From: from, To: end}
		accs[i] = results.NewAccumulator(m, from, end)
		models[i], counts[i] = m, end-from
		total += end - from
	}
	if err := afford(ss, models, counts, opt); err != nil {
		return nil, err
	}
	done := 0
	if opt.Progress != nil {
		opt.Progress(done, total)
	}
	err := sim.RunBatches(ctx, batches, opt.Workers, func(b int, r *sim.Replication) error {
		if err := accs[b].Add(r); err != nil {
			return err
		}
		done++
		if opt.Progress != nil {
			opt.Progress(done, total)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	return accs, nil
}

// Meta is the provenance of a report on s.
func Meta(s *scenarios.Scenario, version string) results.Meta {
	m := results.Meta{Tool: Tool, Version: version, Seed: s.Run.Seed, Overrides: Overrides(s), InWords: InWords(s)}
	if s.Source != nil {
		m.File, m.SHA256, m.Imports = s.Source.File, s.Source.SHA256, s.Source.Imported
	}
	return m
}

// CheckOptions are how a policy check runs, beyond Options.
type CheckOptions struct {
	Options
	// StaticOnly skips the simulation: witnesses and lints only.
	StaticOnly bool
	// Baseline names the scenario to compare blocking with, instead of the
	// scenario's own run.baseline; it runs on the same seed and
	// replications.
	Baseline string
	CheckSettings
}

// CheckSettings are what a check decides by, kept with a sharded check's
// job so that the merge decides alike. Limits, LimitSource, MinTolerance,
// Decide and FailOn are results.CheckInput's.
type CheckSettings struct {
	Limits       [sim.NumPlanes]float64 `json:"limits"`
	LimitSource  [sim.NumPlanes]string  `json:"limit_source"`
	MinTolerance *int                   `json:"min_tolerance"`
	Decide       string                 `json:"decide"`
	FailOn       string                 `json:"fail_on"`
	// MaxBlocking and MaxBlockingSource are check.Input's: the blocking
	// limit of every population, when there is one.
	MaxBlocking       *float64 `json:"max_blocking,omitempty"`
	MaxBlockingSource string   `json:"max_blocking_source,omitempty"`
	// Accepted are risks accepted beside the scenario's own (from
	// --accept files; the scenario's are in its source), and Date the day
	// every acceptance is judged on.
	Accepted []scenarios.Accepted `json:"accepted"`
	Date     time.Time            `json:"date"`
}

// BaselineRef names the baseline of s for scenarios.Resolve: flag (a
// --baseline) as given, else the scenario's own run.baseline, relative to
// its file; "" when there is none.
func BaselineRef(s *scenarios.Scenario, flag string) string {
	if flag != "" || s.Baseline == "" {
		return flag
	}
	return s.ResolveRelative(s.Baseline)
}

// ErrBaselineStatic is returned for a baseline asked of a static check.
var ErrBaselineStatic = errors.New("a baseline compares simulated blocking; it does not go with a static-only check")

// Check checks s against its policy: statically, and unless StaticOnly by
// simulation, comparing blocking with the baseline when there is one.
func Check(ctx context.Context, s *scenarios.Scenario, opt CheckOptions) (*check.Report, error) {
	if opt.StaticOnly {
		if opt.Baseline != "" {
			return nil, ErrBaselineStatic
		}
		return judge(ctx, s, opt, nil)
	}
	runs := []*scenarios.Scenario{s}
	if name := BaselineRef(s, opt.Baseline); name != "" {
		base, err := baseline(ctx, s, name)
		if err != nil {
			return nil, err
		}
		runs = append(runs, base)
	}
	reports, err := simulateAll(ctx, runs, opt.Options)
	if err != nil {
		return nil, err
	}
	return judge(ctx, s, opt, reports)
}

// judge decides on s from its static analysis, its lints and the reports
// of its simulation (none for a static check), its baseline's second.
func judge(ctx context.Context, s *scenarios.Scenario, opt CheckOptions, reports []*results.Report) (*check.Report, error) {
	static, err := fence.Analyze(ctx, s)
	if err != nil {
		return nil, err
	}
	lints, err := interruptible(ctx, func() ([]lint.Lint, error) { return lint.Check(s), nil })
	if err != nil {
		return nil, err
	}
	in := check.Input{
		Scenario:     s,
		Meta:         Meta(s, opt.Version),
		Static:       static,
		Lints:        lints,
		Limits:       opt.Limits,
		LimitSource:  opt.LimitSource,
		MinTolerance: opt.MinTolerance,
		Decide:       opt.Decide,
		FailOn:       opt.FailOn,
		Accepted:     append(slices.Clone(s.Accepted), opt.Accepted...),
		Date:         opt.Date,
		MaxBlocking:  opt.MaxBlocking, MaxBlockingSource: opt.MaxBlockingSource,
	}
	if len(reports) > 0 {
		in.Report = reports[0]
	}
	if len(reports) > 1 {
		base := reports[1]
		in.Baseline = &check.Baseline{Scenario: base.Scenario, Comparison: results.Compare(base, in.Report)}
	}
	return check.Check(in), nil
}
