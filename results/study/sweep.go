package study

import (
	"context"
	"fmt"
	"slices"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/legend"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
)

// SweepOptions are how a sweep runs: Options, and the seed and
// replications a command line gives instead of the study's.
type SweepOptions struct {
	Options
	Seed         *uint64
	Replications *int
}

// sweep is a study made ready to run: its scenario with the command
// line's changes, every point's scenario, each validated, and the seed and
// replications every point runs.
type sweep struct {
	study        *format.Study
	base         *scenarios.Scenario
	points       []*scenarios.Scenario
	seed         uint64
	replications int
}

// prepare loads the study's scenario, makes the command line's changes,
// and applies every point's overrides, so that a bad value anywhere is
// refused before any point runs; every problem of every point at once.
func prepare(ctx context.Context, st *format.Study, ch Changes, opt SweepOptions) (*sweep, error) {
	base, err := loadAt(ctx, st.ScenarioRef(), ch, "--set", "", func(err error) error { return format.AtReference(err, st.Source, "scenario") })
	if err != nil {
		return nil, err
	}
	sw := &sweep{study: st, base: base}
	var problems scenarios.Problems
	for _, point := range st.Points() {
		s, err := format.With(base, point)
		if ps, ok := err.(scenarios.Problems); ok {
			problems = append(problems, ps...)
			continue
		}
		if err != nil {
			return nil, err
		}
		// The seed and replications: the command line's, else the
		// study's, else the scenario's (its set included).
		for _, v := range []struct {
			seed         *uint64
			replications *int
		}{{st.Seed, st.Replications}, {opt.Seed, opt.Replications}} {
			if v.seed != nil {
				s.Run.Seed = *v.seed
			}
			if v.replications != nil {
				s.Run.Replications = *v.replications
			}
		}
		sw.points = append(sw.points, s)
	}
	if len(problems) > 0 {
		return nil, dedupe(problems)
	}
	first := sw.points[0].Run
	sw.seed, sw.replications = first.Seed, first.Replications
	for i, s := range sw.points {
		if s.Run.Seed != first.Seed || s.Run.Replications != first.Replications {
			return nil, fmt.Errorf("point %d runs %d replications on seed %d, point 1 %d on seed %d: every point of a sweep runs "+
				"the same replications on the same seed, so that differences between points are paired; vary run.seed or "+
				"run.replications in separate sweeps", i+1, s.Run.Replications, s.Run.Seed, first.Replications, first.Seed)
		}
	}
	return sw, nil
}

// dedupe drops the problems that several points share: a value of the
// first axis that is wrong is wrong at every point it is part of.
func dedupe(ps scenarios.Problems) scenarios.Problems {
	var out scenarios.Problems
	seen := map[string]bool{}
	for _, p := range ps {
		if key := p.Error(); !seen[key] {
			seen[key] = true
			out = append(out, p)
		}
	}
	return out
}

// Sweep runs every point of the study st, after the changes ch to its
// scenario, with the same seed and replications, in one pool of workers.
func Sweep(ctx context.Context, st *format.Study, ch Changes, opt SweepOptions) (*SweepReport, error) {
	sw, err := prepare(ctx, st, ch, opt)
	if err != nil {
		return nil, err
	}
	points, err := sw.run(ctx, 0, len(sw.points), opt.Options)
	if err != nil {
		return nil, err
	}
	return sw.report(points, opt.Version), nil
}

// run simulates points from to to-1 and keeps what a sweep shows of each.
func (sw *sweep) run(ctx context.Context, from, to int, opt Options) ([]SweepPoint, error) {
	reports, err := simulateAll(ctx, sw.points[from:to], opt)
	if err != nil {
		return nil, err
	}
	out := make([]SweepPoint, len(reports))
	for i, r := range reports {
		out[i] = PointOf(sw.values(from+i), r)
	}
	return out, nil
}

// values are point i's value of each axis that varies a value (a zip's
// each), as the study writes them.
func (sw *sweep) values(i int) []string {
	axes := sw.study.Axes
	at := make([]int, len(axes)) // the value of each axis, a zip's for all its axes
	for a := len(axes) - 1; a >= 0; a-- {
		n := len(axes[a].Values)
		if axes[a].Zip != nil {
			n = len(axes[a].Zip[0].Values)
		}
		at[a] = i % n
		i /= n
	}
	var out []string
	for a, axis := range axes {
		if axis.Zip == nil {
			out = append(out, string(axis.Values[at[a]]))
			continue
		}
		for _, member := range axis.Zip {
			out = append(out, string(member.Values[at[a]]))
		}
	}
	return out
}

// report puts the points together.
func (sw *sweep) report(points []SweepPoint, version string) *SweepReport {
	meta := Meta(sw.base, version)
	r := &SweepReport{
		Header:       results.Header{Kind: KindSweep, FormatVersion: SweepFormatVersion, Tool: Tool, Version: version},
		Study:        FileRef{File: sw.study.Source.File, SHA256: sw.study.Source.SHA256},
		Scenario:     results.ScenarioRef{Name: sw.base.Name, File: meta.File, SHA256: meta.SHA256, Imports: meta.Imports, Overrides: meta.Overrides},
		Seed:         sw.seed,
		Replications: sw.replications,
		Confidence:   results.Confidence,
		Points:       points,
		AtEveryPoint: atEveryPoint(sw.base, sw.study),
		Definitions:  legend.Sweep(),
	}
	varied, zips := sw.study.Varied()
	for i, a := range varied {
		axis := SweepAxis{Path: a.Set, Zip: zips[i]}
		for _, v := range a.Values {
			axis.Values = append(axis.Values, string(v))
		}
		r.Axes = append(r.Axes, axis)
	}
	return r
}

// atEveryPoint are the study's conditions and fixed overrides, made to
// base at every point, in words; nil when there are none (or they do not
// apply: prepare has said so).
func atEveryPoint(base *scenarios.Scenario, st *format.Study) []results.OverrideWords {
	fixed := st.Fixed()
	s, err := format.With(base, fixed)
	if err != nil || len(fixed) == 0 {
		return nil
	}
	all := InWords(s)
	return all[len(all)-len(fixed):]
}

// SweepShard runs the shard's part of the study's points.
func SweepShard(ctx context.Context, st *format.Study, ch Changes, shard Shard, opt SweepOptions) (*Partial, error) {
	sw, err := prepare(ctx, st, ch, opt)
	if err != nil {
		return nil, err
	}
	from, to := shard.Range(len(sw.points))
	points, err := sw.run(ctx, from, to, opt.Options)
	if err != nil {
		return nil, err
	}
	study := Source{File: st.Source.File, SHA256: st.Source.SHA256, Overrides: []string{}, YAML: string(st.Source.Data)}
	job := Job{Command: "sweep", Scenario: sourceOf(sw.base), Study: &study, Seed: sw.seed, Replications: sw.replications}
	return &Partial{Header: results.Header{Kind: KindPartial, FormatVersion: PartialFormatVersion, Tool: Tool, Version: opt.Version}, Job: job, Shard: shard, Points: points}, nil
}

// mergeSweep puts the points of every shard of a sweep together, in order.
func mergeSweep(parts []*Partial, version string) (*SweepReport, error) {
	j := parts[0].Job
	st, err := format.LoadStudy(j.Study.File, []byte(j.Study.YAML))
	if err != nil {
		return nil, parts[0].jobError("study", err)
	}
	if st.Source.SHA256 != j.Study.SHA256 {
		return nil, parts[0].jobError("study", fmt.Errorf("the study %s does not match its sha256", scenarios.Clip(j.Study.File)))
	}
	base, err := j.Scenario.scenario()
	if err != nil {
		return nil, parts[0].jobError("scenario", err)
	}
	// The points themselves need not be made again: their figures are in
	// the partials.
	sw := &sweep{study: st, base: base, seed: j.Seed, replications: j.Replications}
	points := make([]SweepPoint, st.NumPoints())
	for i, p := range parts {
		from, to := p.Shard.Range(len(points))
		if len(p.Points) != to-from {
			return nil, fmt.Errorf("%s: /points: shard %d/%d holds %d points, want %d", p.name(i), p.Shard.Index, p.Shard.Count, len(p.Points), to-from)
		}
		for k, pt := range p.Points {
			if want := sw.values(from + k); !slices.Equal(pt.Values, want) {
				return nil, fmt.Errorf("%s: /points/%d/values: not the values of the study's point %d", p.name(i), k, from+k+1)
			}
		}
		copy(points[from:to], p.Points)
	}
	return sw.report(points, version), nil
}
