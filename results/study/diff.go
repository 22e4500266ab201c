package study

import (
	"context"
	"reflect"
	"slices"

	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/fence"
	"github.com/geofence/geofence/scenarios/lint"
)

// DiffOptions are what a diff decides by, beyond Options.
type DiffOptions struct {
	Options
	// StaticOnly skips the simulations: landings, tolerances, lints and
	// routing only.
	StaticOnly bool
	// Settings judge the change, their Accepted being the risks accepted
	// beside NEW's own (from --accept files).
	diff.Settings
}

// LoadNew resolves ref as the NEW version of a diff and applies ch as
// Load does, its problems naming NEW: a diff runs both versions under the
// same conditions (scale, --when, --load), and changes each with its own
// overrides.
func LoadNew(ctx context.Context, ref string, ch Changes) (*scenarios.Scenario, error) {
	return load(ctx, ref, ch, "--set", "in NEW "+ref)
}

// LoadOld resolves ref as the OLD version of a diff and applies ch as
// Load does, its overrides of Set located at --set-old and its problems
// naming OLD.
func LoadOld(ctx context.Context, ref string, ch Changes) (*scenarios.Scenario, error) {
	return load(ctx, ref, ch, "--set-old", "in OLD "+ref)
}

// Diff compares two versions of a scenario, old and new: statically, and
// unless StaticOnly by simulating both on new's seed and replications, in
// one pool of workers, so that their figures differ only by what the
// change does (common random numbers). When the two differ in nothing a
// simulation reads (only in names, descriptions or where things stand in
// the file), one simulation serves both.
func Diff(ctx context.Context, old, new *scenarios.Scenario, opt DiffOptions) (*diff.Report, error) {
	paired := *old // the copy OLD is simulated as: new's seed and replications
	paired.Run.Seed, paired.Run.Replications = new.Run.Seed, new.Run.Replications
	in := diff.Input{Settings: opt.Settings}
	in.Accepted = append(slices.Clone(new.Accepted), opt.Accepted...)
	for _, side := range []struct {
		s  *scenarios.Scenario
		to *diff.Side
	}{{&paired, &in.Old}, {new, &in.New}} {
		static, err := fence.Analyze(ctx, side.s)
		if err != nil {
			return nil, err
		}
		*side.to = diff.Side{Scenario: side.s, Meta: Meta(side.s, opt.Version), Static: static, Lints: lint.Check(side.s)}
	}
	if !opt.StaticOnly {
		runs := []*scenarios.Scenario{&paired, new}
		if simulatedAlike(&paired, new) {
			runs = runs[1:]
		}
		reports, err := simulateAll(ctx, runs, opt.Options)
		if err != nil {
			return nil, err
		}
		in.Old.Report, in.New.Report = reports[0], reports[len(reports)-1]
	}
	return diff.Diff(in), nil
}

// simulatedAlike reports whether a and b hold the same values for
// everything but what the engine does not read — names, descriptions,
// baselines, sources, limits and accepted risks: it then runs them alike,
// replication by replication.
func simulatedAlike(a, b *scenarios.Scenario) bool {
	strip := func(s *scenarios.Scenario) scenarios.Scenario {
		c := *s
		c.Name, c.Description, c.Baseline, c.Source = "", "", "", nil
		c.Run.MaxViolationRate, c.Accepted = nil, nil
		return c
	}
	return reflect.DeepEqual(strip(a), strip(b))
}
