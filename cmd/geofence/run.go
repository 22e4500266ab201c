package main

import (
	"bytes"
	"context"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

func runCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "run")
	format := outputFlag(fs, results.Formats())
	var sf simFlags
	sf.register(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	arg, err := scenarioArg(fs, *format, results.Formats())
	if err != nil {
		return err
	}
	s, err := loadScenario(arg, &sf)
	if err != nil {
		return err
	}
	out, err := openOutput(e.stdout, sf.out, scenarioFiles(arg))
	if err != nil {
		return err
	}
	m, reps, err := simulate(ctx, e, s, &sf)
	if err != nil {
		return err
	}
	report := results.Summarize(m, reps, meta(s))
	var buf bytes.Buffer
	if err := results.Render(&buf, report, *format); err != nil {
		return err
	}
	return out.write(ctx, buf.Bytes())
}

// loadScenario resolves a built-in name or a file (no argument means the
// default built-in) and applies the flags that override its run settings.
func loadScenario(arg string, sf *simFlags) (*scenarios.Scenario, error) {
	if arg == "" {
		arg = scenarios.Default
	}
	s, err := scenarios.Resolve(arg)
	if err != nil {
		return nil, err
	}
	return s, sf.apply(s)
}

// simulate runs the scenario's replications.
func simulate(ctx context.Context, e *env, s *scenarios.Scenario, sf *simFlags) (*sim.Model, []*sim.Replication, error) {
	m, err := sim.Compile(s)
	if err != nil {
		return nil, nil, err
	}
	bar := newProgress(e, s.Run.Replications, "simulating "+s.Name, sf.quiet)
	reps := make([]*sim.Replication, s.Run.Replications)
	err = sim.RunBatches(ctx, []sim.Batch{{Model: m, Seed: s.Run.Seed, From: 0, To: s.Run.Replications}}, sf.workers,
		func(_ int, r *sim.Replication) error {
			reps[r.Index] = r
			bar.done(r.Index)
			return nil
		})
	bar.finish()
	if err != nil {
		return nil, nil, err
	}
	return m, reps, nil
}

// meta is the provenance every report records.
func meta(s *scenarios.Scenario) results.Meta {
	return results.Meta{
		Tool:    "geofence",
		Version: version(),
		Seed:    s.Run.Seed,
		File:    s.Source.File,
		SHA256:  s.Source.SHA256,
	}
}
