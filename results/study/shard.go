package study

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/strictjson"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
	"github.com/geofence/geofence/sim"
)

// A shard is one of N parts of a job — of a run's or a check's
// replications, of a sweep's points — run on its own, anywhere (a Slurm
// array task, a Kubernetes indexed job), and written as a partial result.
// Merge combines the partials of every shard into the result the whole
// job would have given, byte for byte: replication i is the same whoever
// runs it, and every sum kept is exact.

// Shard is part Index (from 0) of Count.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// ParseShard reads "K/N", or "auto" for the Slurm array task the process
// runs as (see slurmShard), looking variables up with getenv.
func ParseShard(text string, getenv func(string) string) (Shard, error) {
	if text == "auto" {
		return slurmShard(getenv)
	}
	k, n, ok := strings.Cut(text, "/")
	i, err1 := strconv.Atoi(k)
	c, err2 := strconv.Atoi(n)
	if !ok || err1 != nil || err2 != nil {
		return Shard{}, fmt.Errorf("--shard %q: want K/N, e.g. 0/4 for the first of four shards, or auto", text)
	}
	return validShard(Shard{Index: i, Count: c}, "--shard "+text)
}

// maxShards bounds a job's shards: more than its replications or points
// would leave shards empty, and a partial is one file per shard.
const maxShards = 10_000

func validShard(s Shard, given string) (Shard, error) {
	if s.Count < 1 || s.Count > maxShards || s.Index < 0 || s.Index >= s.Count {
		return Shard{}, fmt.Errorf("%s: want 0 ≤ K < N ≤ %d", given, maxShards)
	}
	return s, nil
}

// Range is the shard's part of n items: [from, to), contiguous, the
// shards' parts together every item once.
func (s Shard) Range(n int) (from, to int) {
	return s.Index * n / s.Count, (s.Index + 1) * n / s.Count
}

// Job is everything a sharded command's output depends on: what every
// shard must agree on for their partials to merge.
type Job struct {
	Command      string         `json:"command"` // "run", "check" or "sweep"
	Scenario     Source         `json:"scenario"`
	Study        *Source        `json:"study,omitempty"`    // a sweep's study file
	Baseline     *Source        `json:"baseline,omitempty"` // check's, when it has one
	Seed         uint64         `json:"seed"`
	Replications int            `json:"replications"`
	Check        *CheckSettings `json:"check,omitempty"`
}

// Source is a scenario as a job ran it: its file's bytes and the changes
// made to them, so that a partial can be merged where the file is not.
type Source struct {
	File      string   `json:"file"`
	SHA256    string   `json:"sha256"`
	Overrides []string `json:"overrides"`
	YAML      string   `json:"yaml"`
}

// Partial is one shard's result: the job, the shard, and the figures of
// its replications, one accumulator per scenario run (the scenario, then
// its baseline) — or, for a sweep, its points.
type Partial struct {
	results.Header
	Job    Job               `json:"job"`
	Shard  Shard             `json:"shard"`
	Runs   []json.RawMessage `json:"runs,omitempty"`
	Points []SweepPoint      `json:"points,omitempty"`

	// File is the file the partial was read from, which Merge names in
	// its errors; "" for one made in memory.
	File string `json:"-"`
}

// jobError is err, about the file a job's member (scenario, study,
// baseline) carries, as every partial of the job has it: named by p's
// file and the member's JSON pointer.
func (p *Partial) jobError(member string, err error) error {
	return fmt.Errorf("%s: /job/%s: %w", p.name(0), member, err)
}

// name is how a message names partial i (from 0) of a merge: its file.
func (p *Partial) name(i int) string {
	if p.File != "" {
		return p.File
	}
	return fmt.Sprintf("partial %d", i+1)
}

// KindPartial is the kind of a shard's result.
const KindPartial = "partial"

// PartialFormatVersion is the version of Partial's JSON layout; partials
// of different versions do not merge.
const PartialFormatVersion = 1

// sourceOf records s as a job runs it.
func sourceOf(s *scenarios.Scenario) Source {
	src := Source{Overrides: Overrides(s)}
	if s.Source != nil {
		src.File, src.SHA256, src.YAML = s.Source.File, s.Source.SHA256, string(s.Source.Data)
	}
	return src
}

// scenario loads the source again, with its changes.
func (src Source) scenario() (*scenarios.Scenario, error) {
	s, err := format.Load(src.File, []byte(src.YAML))
	if err != nil {
		return nil, err
	}
	if s.Source.SHA256 != src.SHA256 {
		return nil, fmt.Errorf("the scenario %s in the partial does not match its sha256", scenarios.Clip(src.File))
	}
	return apply(s, src.Overrides, "partial")
}

// RunShard runs the shard's part of the replications of s.
func RunShard(ctx context.Context, s *scenarios.Scenario, shard Shard, opt Options) (*Partial, error) {
	job := Job{Command: "run", Scenario: sourceOf(s), Seed: s.Run.Seed, Replications: s.Run.Replications}
	return runShard(ctx, job, []*scenarios.Scenario{s}, shard, opt)
}

// CheckShard runs the shard's part of the simulation a check of s rests
// on: the replications of s and of its baseline. The static analysis and
// lints, which need no simulation, are left to Merge.
func CheckShard(ctx context.Context, s *scenarios.Scenario, shard Shard, opt CheckOptions) (*Partial, error) {
	if opt.StaticOnly {
		return nil, fmt.Errorf("a static-only check simulates nothing to shard")
	}
	runs := []*scenarios.Scenario{s}
	settings := opt.CheckSettings
	job := Job{Command: "check", Scenario: sourceOf(s), Seed: s.Run.Seed, Replications: s.Run.Replications, Check: &settings}
	if name := BaselineRef(s, opt.Baseline); name != "" {
		base, err := baseline(ctx, s, name)
		if err != nil {
			return nil, err
		}
		src := sourceOf(base)
		job.Baseline = &src
		runs = append(runs, base)
	}
	return runShard(ctx, job, runs, shard, opt.Options)
}

// baseline loads the baseline named for s, to run under the same
// conditions as s (its scale, --when and --load) on s's seed and
// replications. A change s was made with (--set) that describes the world
// rather than the configuration is refused: the baseline would not run
// under it, and the comparison would not be paired.
func baseline(ctx context.Context, s *scenarios.Scenario, name string) (*scenarios.Scenario, error) {
	if err := worldChanges(s, name); err != nil {
		return nil, err
	}
	base, err := format.ResolveContext(ctx, name) // validated with s: a baseline names an existing file or built-in
	switch {
	case err != nil && s.Baseline != "" && name == s.ResolveRelative(s.Baseline):
		return nil, format.AtReference(err, s.Source, "baseline")
	case err != nil:
		return nil, fmt.Errorf("baseline %s: %w", name, err)
	}
	if base, err = applyOn(base, conditions(s), "in the baseline "+name); err != nil {
		return nil, err
	}
	base.Run.Seed, base.Run.Replications = s.Run.Seed, s.Run.Replications
	return base, nil
}

// worldChanges refuses the changes s was made with, beside its
// conditions, that describe the world (a datacenter's capacity or
// timeline, a population's load, the run's clock), naming the flag that
// applies them to the baseline too.
func worldChanges(s *scenarios.Scenario, baseline string) error {
	if s.Source == nil {
		return nil
	}
	var ps scenarios.Problems
	for _, o := range s.Source.Overrides {
		if o.Condition || strings.HasPrefix(o.Origin, scalePrefix) {
			continue
		}
		if what := format.DescribesWorld(o.Path); what != "" {
			ps = append(ps, o.Problemf("changes %s: that is the world the comparison runs in, not the configuration under review, and --set changes %s alone, "+
				"so its baseline %s would run without it and the two would not be compared under the same conditions. Give it with --when (or --load), which applies to both; "+
				"to compare it as part of the change, write it into the scenario's file", what, s.Name, baseline))
		}
	}
	if len(ps) > 0 {
		return ps
	}
	return nil
}

// runShard runs the shard's replications of each scenario.
func runShard(ctx context.Context, job Job, runs []*scenarios.Scenario, shard Shard, opt Options) (*Partial, error) {
	from, to := shard.Range(job.Replications)
	accs, err := simulate(ctx, runs, from, to, opt)
	if err != nil {
		return nil, err
	}
	p := &Partial{Header: results.Header{Kind: KindPartial, FormatVersion: PartialFormatVersion, Tool: Tool, Version: opt.Version}, Job: job, Shard: shard}
	for _, a := range accs {
		data, err := json.Marshal(a)
		if err != nil {
			return nil, err
		}
		p.Runs = append(p.Runs, data)
	}
	return p, nil
}

// Merged is what Merge makes of the partials: the report of the command
// they were run for, one of the three.
type Merged struct {
	Run   *results.Report
	Check *check.Report
	Sweep *SweepReport
}

// Merge combines the partials of every shard of one job, given in any
// order, into the job's result, which is the same, byte for byte, as the
// unsharded command's. It refuses partials of different jobs, shards or
// versions of the tool — version is this tool's — and a set with a shard
// missing or given twice.
func Merge(ctx context.Context, parts []*Partial, version string) (*Merged, error) {
	if len(parts) == 0 {
		return nil, fmt.Errorf("no partial results to merge")
	}
	first := parts[0]
	job, err := json.Marshal(first.Job)
	if err != nil {
		return nil, err
	}
	for i, p := range parts {
		if err := p.check(); err != nil {
			return nil, fmt.Errorf("%s: %w", p.name(i), err)
		}
	}
	seen := make([]bool, first.Shard.Count)
	for i, p := range parts {
		switch {
		case p.Kind != KindPartial || p.FormatVersion != PartialFormatVersion:
			return nil, fmt.Errorf("%s is not a partial result of this format (format_version %d)", p.name(i), p.FormatVersion)
		case p.Tool != Tool || p.Version != version:
			return nil, fmt.Errorf("%s was made by %s %s, this is %s %s: merge with the version that ran the shards", p.name(i), scenarios.Clip(p.Tool), scenarios.Clip(p.Version), Tool, version)
		case p.Shard.Count != first.Shard.Count:
			return nil, fmt.Errorf("%s is shard %d/%d, %s of %d shards", p.name(i), p.Shard.Index, p.Shard.Count, first.name(0), first.Shard.Count)
		case seen[p.Shard.Index]:
			return nil, fmt.Errorf("shard %d/%d is given twice (%s)", p.Shard.Index, p.Shard.Count, p.name(i))
		}
		seen[p.Shard.Index] = true
		if other, err := json.Marshal(p.Job); err != nil || !bytes.Equal(other, job) {
			return nil, fmt.Errorf("%s is of another job than %s: scenario, changes, seed, replications or check settings differ", p.name(i), first.name(0))
		}
	}
	for k, ok := range seen {
		if !ok {
			return nil, fmt.Errorf("shard %d/%d is missing", k, first.Shard.Count)
		}
	}

	j := first.Job
	if j.Command == "sweep" {
		if j.Study == nil {
			return nil, fmt.Errorf("the partials of a sweep lack its study")
		}
		sweep, err := mergeSweep(parts, version)
		if err != nil {
			return nil, err
		}
		return &Merged{Sweep: sweep}, nil
	}
	s, err := j.Scenario.scenario()
	if err != nil {
		return nil, first.jobError("scenario", err)
	}
	s.Run.Seed, s.Run.Replications = j.Seed, j.Replications
	runs := []*scenarios.Scenario{s}
	if j.Baseline != nil {
		base, err := j.Baseline.scenario()
		if err != nil {
			return nil, first.jobError("baseline", err)
		}
		base.Run.Seed, base.Run.Replications = j.Seed, j.Replications
		runs = append(runs, base)
	}
	reports := make([]*results.Report, len(runs))
	for r, run := range runs {
		m, err := sim.Compile(run)
		if err != nil {
			return nil, err
		}
		whole := results.NewAccumulator(m, 0, j.Replications)
		for i, p := range parts {
			if err := context.Cause(ctx); err != nil {
				return nil, err // a large merge answers an interrupt between partials
			}
			part, err := results.ReadAccumulator(m, p.Runs[r])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", p.name(i), strictjson.Under(fmt.Sprintf("/runs/%d", r), err))
			}
			if from, to := p.Shard.Range(j.Replications); !part.Covers(from, to) {
				return nil, fmt.Errorf("%s: /runs/%d: does not hold shard %d/%d's replications %d to %d", p.name(i), r, p.Shard.Index, p.Shard.Count, from, to-1)
			}
			if err := whole.Merge(part); err != nil {
				return nil, fmt.Errorf("%s: %w", p.name(i), err)
			}
		}
		if reports[r], err = whole.Report(Meta(run, version)); err != nil {
			return nil, err
		}
	}
	switch j.Command {
	case "run":
		return &Merged{Run: reports[0]}, nil
	case "check":
		if j.Check == nil {
			return nil, fmt.Errorf("the partials of a check lack its settings")
		}
		opt := CheckOptions{Options: Options{Version: version}, CheckSettings: *j.Check}
		report, err := judge(ctx, s, opt, reports)
		if err != nil {
			return nil, err
		}
		return &Merged{Check: report}, nil
	}
	return nil, fmt.Errorf("partials of an unknown command %q", j.Command)
}
