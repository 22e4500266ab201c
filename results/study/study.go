// Package study runs what the commands ask for — one scenario's
// replications, a policy check, later sweeps and plans — once, so that
// every command is a thin adapter over it: resolve the scenario, apply the
// overrides, simulate the replications on every core, and summarise them
// as they finish into a results report.
package study

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/lint"
	"github.com/geofence/geofence/sim"
	"github.com/geofence/geofence/sim/fence"
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
	// Progress, if set, is called after each replication finishes with
	// how many have and how many there are in all, one call at a time.
	Progress func(done, total int)
}

// Run simulates the replications of s and summarises them.
func Run(ctx context.Context, s *scenarios.Scenario, opt Options) (*results.Report, error) {
	reports, err := simulate(ctx, []*scenarios.Scenario{s}, opt)
	if err != nil {
		return nil, err
	}
	return reports[0], nil
}

// simulate runs the replications of every scenario, all in one pool of
// workers so that cores stay busy to the end, and summarises each. The
// scenarios share nothing but the workers: each has its own seed and
// replications.
func simulate(ctx context.Context, ss []*scenarios.Scenario, opt Options) ([]*results.Report, error) {
	batches := make([]sim.Batch, len(ss))
	accs := make([]*results.Accumulator, len(ss))
	total := 0
	for i, s := range ss {
		m, err := sim.Compile(s)
		if err != nil {
			return nil, err
		}
		batches[i] = sim.Batch{Model: m, Seed: s.Run.Seed, From: 0, To: s.Run.Replications}
		accs[i] = results.NewAccumulator(m, 0, s.Run.Replications)
		total += s.Run.Replications
	}
	done := 0
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
	reports := make([]*results.Report, len(ss))
	for i, s := range ss {
		r, err := accs[i].Report(Meta(s, opt.Version))
		if err != nil {
			return nil, err
		}
		reports[i] = r
	}
	return reports, nil
}

// Meta is the provenance of a report on s.
func Meta(s *scenarios.Scenario, version string) results.Meta {
	m := results.Meta{Tool: Tool, Version: version, Seed: s.Run.Seed}
	if s.Source != nil {
		m.File, m.SHA256 = s.Source.File, s.Source.SHA256
		for _, o := range s.Source.Overrides {
			m.Overrides = append(m.Overrides, o.String())
		}
	}
	return m
}

// CheckOptions are what a policy check decides by, beyond Options.
type CheckOptions struct {
	Options
	// StaticOnly skips the simulation: witnesses and lints only.
	StaticOnly bool
	// Baseline names the scenario to compare blocking with, instead of the
	// scenario's own run.baseline; it runs on the same seed and
	// replications.
	Baseline string
	// Limits, LimitSource, MinTolerance, Decide and FailOn are
	// results.CheckInput's.
	Limits       [sim.NumPlanes]float64
	LimitSource  [sim.NumPlanes]string
	MinTolerance *int
	Decide       string
	FailOn       string
	// Accepted are risks accepted beside the scenario's own (from
	// --accept files); Date is the day every acceptance is judged on.
	Accepted []scenarios.Accepted
	Date     time.Time
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
func Check(ctx context.Context, s *scenarios.Scenario, opt CheckOptions) (*results.CheckReport, error) {
	static, err := fence.Analyze(ctx, s)
	if err != nil {
		return nil, err
	}
	in := results.CheckInput{
		Scenario:     s,
		Meta:         Meta(s, opt.Version),
		Static:       static,
		Lints:        lint.Check(s),
		Limits:       opt.Limits,
		LimitSource:  opt.LimitSource,
		MinTolerance: opt.MinTolerance,
		Decide:       opt.Decide,
		FailOn:       opt.FailOn,
		Accepted:     append(slices.Clone(s.Accepted), opt.Accepted...),
		Date:         opt.Date,
	}
	name := BaselineRef(s, opt.Baseline)
	if opt.StaticOnly {
		if opt.Baseline != "" {
			return nil, ErrBaselineStatic
		}
		return results.Check(in), nil
	}
	runs := []*scenarios.Scenario{s}
	if name != "" {
		base, err := scenarios.Resolve(name)
		if err != nil {
			return nil, fmt.Errorf("baseline %s: %w", name, err)
		}
		base.Run.Seed, base.Run.Replications = s.Run.Seed, s.Run.Replications
		runs = append(runs, base)
	}
	reports, err := simulate(ctx, runs, opt.Options)
	if err != nil {
		return nil, err
	}
	in.Report = reports[0]
	if len(reports) > 1 {
		base := reports[1]
		in.Baseline = &results.BaselineInput{Scenario: base.Scenario, Comparison: results.Compare(base, in.Report)}
	}
	return results.Check(in), nil
}
