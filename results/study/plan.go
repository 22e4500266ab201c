package study

import (
	"context"
	"fmt"
	"math"
	"slices"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/legend"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
	"github.com/geofence/geofence/scenarios/validate"
	"github.com/geofence/geofence/sim"
)

// Question is what a plan searches for: see results.PlanQuestion.
type Question = PlanQuestion

// PlanOptions are how a plan runs: Options, the limits every fence's rate
// is held to (positive: no number of replications shows a rate at or
// below 0), and how far replications may grow while the answer is made
// stable.
type PlanOptions struct {
	Options
	Limits      [sim.NumPlanes]float64
	LimitSource [sim.NumPlanes]string
	// MaxBlocking, when set, holds blocking to it too (from
	// MaxBlockingSource): "the least capacity keeping violations ≤ 0.1%
	// and blocking ≤ 1%".
	MaxBlocking       *float64
	MaxBlockingSource string
	MaxReplications   int // 0: 16 times the scenario's
}

// Plan finds the least (or, for Goal "largest", the largest) value of the
// question's grid at which every fence of s passes — its violation rate's
// one-sided 95% upper bound at or below its plane's limit — assuming that
// passing is monotone in the value. It bisects on common random numbers
// (every value runs the same replications of the same seed), then runs
// the values either side of the boundary again with twice the
// replications, and again, until the boundary stays where it is or the
// replications reach their bound. The plausible range of the answer is
// found the same way for "not significantly above the limit". Every
// evaluation is in the report, in the order made.
func Plan(ctx context.Context, s *scenarios.Scenario, q Question, opt PlanOptions) (*PlanReport, error) {
	if err := validateQuestion(q); err != nil {
		return nil, err
	}
	for p, limit := range opt.Limits {
		if !(limit > 0) {
			return nil, fmt.Errorf("the %s limit is %v: a plan needs every limit above 0, since no number of replications shows a rate at or below 0 (give --max-violation-rate)", scenarios.Planes[p], limit)
		}
	}
	if b := opt.MaxBlocking; b != nil && !(*b > 0) {
		return nil, fmt.Errorf("the blocking limit is %v: a plan needs it above 0, since no number of replications shows a rate at or below 0", *b)
	}
	maxReps, err := planReplications(s, opt.MaxReplications)
	if err != nil {
		return nil, err
	}
	for _, id := range q.Populations {
		if !slices.ContainsFunc(s.Populations, func(p scenarios.Population) bool { return string(p.ID) == id }) && s.Run.Group(id) == nil {
			return nil, fmt.Errorf("--population %s: the scenario has no such population or group (run.groups)", id)
		}
	}
	c := Constraints{Limits: opt.Limits, LimitSource: opt.LimitSource, MaxBlocking: opt.MaxBlocking, MaxBlockingSource: opt.MaxBlockingSource, Names: q.Populations, Groups: s.Run.Groups}
	pl := &planner{s: s, q: q, opt: opt, constraints: c, steps: int(math.Round((q.Max - q.Min) / q.Step)), cache: map[[2]int]*PlanEvaluation{}}
	if err := pl.validatePaths(); err != nil {
		return nil, err
	}
	meta := Meta(s, opt.Version)
	report := &PlanReport{
		Header:   results.Header{Kind: KindPlan, FormatVersion: PlanFormatVersion, Tool: Tool, Version: opt.Version},
		Scenario: results.ScenarioRef{Name: s.Name, File: meta.File, SHA256: meta.SHA256, Imports: meta.Imports, Overrides: meta.Overrides},
		Seed:     s.Run.Seed, Question: q, Limits: opt.Limits, LimitSource: opt.LimitSource,
		MaxBlocking: opt.MaxBlocking, MaxBlockingSource: opt.MaxBlockingSource, Groups: c.HeldGroups(s),
		Definitions: legend.Plan(),
	}
	reps := s.Run.Replications
	for {
		boundary, err := pl.boundary(ctx, reps, func(e *PlanEvaluation) bool { return e.Passed })
		if err != nil {
			return nil, err
		}
		if boundary < 0 {
			break
		}
		// The boundary is stable when both its sides keep their verdicts
		// on twice the replications.
		more := min(2*reps, maxReps)
		stable, confirmed := more == reps, reps
		if !stable {
			stable = true
			for _, k := range pl.sides(boundary) {
				before, err := pl.evaluate(ctx, k, reps)
				if err != nil {
					return nil, err
				}
				after, err := pl.evaluate(ctx, k, more)
				if err != nil {
					return nil, err
				}
				stable = stable && before.Passed == after.Passed
			}
			confirmed = more
		}
		if stable {
			low, err := pl.boundary(ctx, reps, func(e *PlanEvaluation) bool { return e.NotAbove })
			if err != nil {
				return nil, err
			}
			report.Answer = &PlanAnswer{Path: q.Paths[0], Value: pl.value(boundary), Replications: reps, Confirmed: confirmed}
			report.Answer.Plausible = [2]float64{pl.value(min(low, boundary)), pl.value(max(low, boundary))}
			if low < 0 {
				report.Answer.Plausible = [2]float64{pl.value(boundary), pl.value(boundary)}
			}
			break
		}
		reps = more
	}
	report.Evaluations = pl.made
	return report, nil
}

// validateQuestion checks the question's grid.
func validateQuestion(q Question) error {
	switch {
	case len(q.Paths) == 0:
		return fmt.Errorf("name what to vary with --vary")
	case q.By != "set" && q.By != "scale" && q.By != "load":
		return fmt.Errorf("--by %s: want set, scale or load", q.By)
	case q.Goal != "least" && q.Goal != "largest":
		return fmt.Errorf("the goal %s: want least or largest", q.Goal)
	case !(q.Step > 0) || !(q.Min < q.Max):
		return fmt.Errorf("--min %v, --max %v, --step %v: want min < max and a step above 0", q.Min, q.Max, q.Step)
	case (q.Max-q.Min)/q.Step > 1e6:
		return fmt.Errorf("%v to %v in steps of %v is over a million values: take a larger step", q.Min, q.Max, q.Step)
	}
	if q.By == "load" {
		for _, path := range q.Paths {
			if _, err := format.ParseLoadPath(path); err != nil {
				return fmt.Errorf("--by load varies the join rates of the populations a selector picks (--vary jurisdiction:EU, or none for every population): %v", err)
			}
		}
	}
	return nil
}

// planReplications is how many replications a plan of s may grow its
// evaluations to: given (0: 16 times the scenario's, at most
// scenarios.MaxReplications), never fewer than the plan starts with, and
// at least 2 — a verdict rests on each rate's interval, which one
// replication does not have.
func planReplications(s *scenarios.Scenario, given int) (int, error) {
	start := s.Run.Replications
	if start < 2 {
		return 0, fmt.Errorf("a plan starts on %d replications: it needs at least 2, since each verdict rests on a rate's interval", start)
	}
	if given == 0 {
		return max(start, min(16*start, validate.MaxReplications)), nil
	}
	if given < start || given > validate.MaxReplications {
		return 0, fmt.Errorf("--max-replications %d: want from the %d replications every value starts on (the scenario's run.replications, or --replications) to %d; "+
			"fewer would decide on less than the search did, and below 2 no rate has an interval", given, start, validate.MaxReplications)
	}
	return given, nil
}

// planner runs a plan's evaluations, once each.
type planner struct {
	s           *scenarios.Scenario
	q           Question
	opt         PlanOptions
	constraints Constraints
	steps       int // the grid is min + k·step for k = 0 … steps
	cache       map[[2]int]*PlanEvaluation
	made        []PlanEvaluation
}

// value is grid point k.
func (pl *planner) value(k int) float64 {
	return math.Round((pl.q.Min+float64(k)*pl.q.Step)*1e9) / 1e9
}

// sides are the grid points either side of the boundary k: the last that
// fails and the first that passes (for the least value), or the reverse.
func (pl *planner) sides(k int) []int {
	other := k - 1
	if pl.q.Goal == "largest" {
		other = k + 1
	}
	if other < 0 || other > pl.steps {
		return []int{k}
	}
	return []int{other, k}
}

// boundary bisects the grid for the least point where ok holds (the
// largest for Goal "largest"), on reps replications; -1 when there is
// none.
func (pl *planner) boundary(ctx context.Context, reps int, ok func(*PlanEvaluation) bool) (int, error) {
	holds := func(k int) (bool, error) {
		e, err := pl.evaluate(ctx, k, reps)
		if err != nil {
			return false, err
		}
		return ok(e), nil
	}
	// Search on the grid read so that passing goes from false to true.
	at := func(i int) int { return i }
	if pl.q.Goal == "largest" {
		at = func(i int) int { return pl.steps - i }
	}
	lo, hi := 0, pl.steps
	if good, err := holds(at(hi)); err != nil || !good {
		return -1, err
	}
	if good, err := holds(at(lo)); err != nil || good {
		return at(lo), err
	}
	for hi-lo > 1 {
		mid := (lo + hi) / 2
		good, err := holds(at(mid))
		if err != nil {
			return -1, err
		}
		if good {
			hi = mid
		} else {
			lo = mid
		}
	}
	return at(hi), nil
}

// evaluate runs grid point k on reps replications, once.
func (pl *planner) evaluate(ctx context.Context, k, reps int) (*PlanEvaluation, error) {
	if e := pl.cache[[2]int{k, reps}]; e != nil {
		return e, nil
	}
	v := pl.value(k)
	s, err := pl.at(v)
	if err != nil {
		return nil, err
	}
	s.Run.Replications = reps
	r, err := Run(ctx, s, pl.opt.Options)
	if err != nil {
		return nil, err
	}
	passed, notAbove, worst := pl.constraints.Evaluate(r)
	e := &PlanEvaluation{Value: v, Replications: reps, Passed: passed, NotAbove: notAbove, Worst: worst, Total: r.Total}
	pl.cache[[2]int{k, reps}] = e
	pl.made = append(pl.made, *e)
	return e, nil
}

// at is the scenario with every path of the question at (or, by scale,
// multiplied by) v.
func (pl *planner) at(v float64) (*scenarios.Scenario, error) {
	op := "="
	if pl.q.By == "scale" {
		op = "*="
	}
	var overrides []scenarios.Override
	for _, path := range pl.q.Paths {
		o, err := format.NumberOverride(pl.s, path, op, v, "--vary")
		if err != nil {
			return nil, err
		}
		overrides = append(overrides, o)
	}
	return format.With(pl.s, overrides)
}

// validatePaths refuses, before anything runs, paths that name no
// quantity and grids whose values the scenario cannot take: its first,
// second and last values are applied, which shows a capacity stepped by
// a fraction, or a range past a limit of the format.
func (pl *planner) validatePaths() error {
	var problems scenarios.Problems
	for _, k := range []int{0, min(1, pl.steps), pl.steps} {
		_, err := pl.at(pl.value(k))
		if ps, ok := err.(scenarios.Problems); ok {
			problems = append(problems, ps...)
		} else if err != nil {
			return err
		}
	}
	if len(problems) > 0 {
		return dedupe(problems)
	}
	return nil
}
