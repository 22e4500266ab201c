package study

import (
	"fmt"
	"slices"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/legend"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// KindPlan is the kind of a plan's result.
const KindPlan = "plan"

// PlanFormatVersion is the version of the PlanReport's JSON layout. It
// changes when a field is renamed or removed, not when one is added.
const PlanFormatVersion = 1

// PlanReport is the answer to a capacity planner's question — the least
// (or largest) value of a quantity for which every fence keeps its
// violation rate at or below its limit — and every evaluation it rests
// on.
type PlanReport struct {
	results.Header
	Scenario    results.ScenarioRef    `json:"scenario"`
	Seed        uint64                 `json:"seed"`
	Question    PlanQuestion           `json:"question"`
	Limits      [sim.NumPlanes]float64 `json:"limits"` // media, keys, connector
	LimitSource [sim.NumPlanes]string  `json:"limit_source"`
	// MaxBlocking is the blocking limit the plan holds the populations
	// (and groups) named to, and MaxBlockingSource where it came from;
	// absent when it holds blocking to none.
	MaxBlocking       *float64 `json:"max_blocking,omitempty"`
	MaxBlockingSource string   `json:"max_blocking_source,omitempty"`
	// Groups are the groups of populations the plan holds to limits, and
	// each limit it holds their pooled rates to; absent when none.
	Groups      []HeldGroup         `json:"groups,omitempty"`
	Answer      *PlanAnswer         `json:"answer"` // null when no value in range passes
	Evaluations []PlanEvaluation    `json:"evaluations"`
	Definitions []legend.Definition `json:"definitions"`
}

// PlanQuestion is what a plan searches: the values min, min+step, …, max
// of the quantity, set at (By "set") or multiplying (By "scale") every
// path in Paths — or, By "load", multiplying the join rates of the
// populations the load paths pick (load, load[SELECTOR]), capacities
// unchanged — for the least value at which the fences of Populations
// pass (Goal "least") or the largest (Goal "largest").
type PlanQuestion struct {
	Paths []string `json:"paths"`
	// Populations are the populations, or groups of populations
	// (run.groups), that must keep within their limits: a population's
	// fences each, a group's rates of its joins pooled. Every population
	// (and every group with limits of its own) when empty.
	Populations []string `json:"populations"`
	By          string   `json:"by"`
	Goal        string   `json:"goal"`
	Min         float64  `json:"min"`
	Max         float64  `json:"max"`
	Step        float64  `json:"step"`
}

// PlanAnswer is the value found. Plausible is the range of values the
// simulation cannot tell apart from the answer: from the least value
// whose rates are not significantly above their limits (every fence's
// 95% interval reaches down to its limit) to the answer itself (every
// fence's one-sided 95% upper bound at or below its limit); for Goal
// "largest" the other way round. The exact answer lies in it.
type PlanAnswer struct {
	Path         string     `json:"path"` // the first of the question's paths
	Value        float64    `json:"value"`
	Plausible    [2]float64 `json:"plausible"`
	Replications int        `json:"replications"` // of the evaluations that decided it
	Confirmed    int        `json:"confirmed"`    // replications on which both sides of it kept their verdicts
}

// PlanEvaluation is one value tried: its replications, whether it passed
// (every fence's upper bound at or below its limit), whether it was not
// significantly above (every fence's low end at or below), the fence with
// the rate nearest or furthest over its limit, and the total figures.
type PlanEvaluation struct {
	Value        float64           `json:"value"`
	Replications int               `json:"replications"`
	Passed       bool              `json:"passed"`
	NotAbove     bool              `json:"not_above"`
	Worst        results.FenceRate `json:"worst"`
	Total        results.Figures   `json:"total"`
}

// HeldGroup is a group of populations a plan holds to limits, on its
// joins pooled.
type HeldGroup struct {
	ID          string      `json:"id"`
	Populations []string    `json:"populations"`
	Limits      []HeldLimit `json:"limits"`
}

// HeldLimit is one limit a group's rate is held to: a plane's violation
// rate, or blocking; and where it came from.
type HeldLimit struct {
	Figure string  `json:"figure"` // media, keys, connector or blocking
	Limit  float64 `json:"limit"`
	Source string  `json:"source"`
}

// Constraints are what a plan holds a run to: each plane's violation-rate
// limit and the blocking limit (nil: none), for the populations and groups
// Names names — a population's fences each, a group's rates of its joins
// pooled, a group's own limits over the plan's — or, when Names is empty,
// for every population, and every group to the limits it sets itself.
type Constraints struct {
	Limits      [sim.NumPlanes]float64
	LimitSource [sim.NumPlanes]string
	MaxBlocking *float64
	// MaxBlockingSource says where MaxBlocking came from.
	MaxBlockingSource string
	Names             []string
	Groups            []scenarios.Group // the scenario's, with their own limits
}

// held are the limits the constraints hold group g's rates to: its own,
// and, when it is named, the plan's for those it sets none of.
func (c Constraints) held(g *scenarios.Group) []HeldLimit {
	named := slices.Contains(c.Names, string(g.ID))
	if len(c.Names) > 0 && !named {
		return nil
	}
	own := fmt.Sprintf("run.groups[%s]", g.ID)
	var out []HeldLimit
	for plane := range sim.NumPlanes {
		if l := g.MaxViolationRate.For(scenarios.Planes[plane]); l != nil {
			out = append(out, HeldLimit{results.PlaneName(plane), float64(*l), own})
		} else if named {
			out = append(out, HeldLimit{results.PlaneName(plane), c.Limits[plane], c.LimitSource[plane]})
		}
	}
	switch {
	case g.MaxBlocking != nil:
		out = append(out, HeldLimit{check.BlockingFigure, float64(*g.MaxBlocking), own})
	case named && c.MaxBlocking != nil:
		out = append(out, HeldLimit{check.BlockingFigure, *c.MaxBlocking, c.MaxBlockingSource})
	}
	return out
}

// HeldGroups are the groups the constraints hold, with their limits.
func (c Constraints) HeldGroups(s *scenarios.Scenario) []HeldGroup {
	var out []HeldGroup
	for i := range c.Groups {
		g := &c.Groups[i]
		if limits := c.held(g); len(limits) > 0 {
			out = append(out, HeldGroup{ID: string(g.ID), Populations: s.Members(g), Limits: limits})
		}
	}
	return out
}

// Evaluate judges a report against the constraints: whether every rate
// held has its upper bound at or below its limit (passed), whether every
// one's interval reaches down to its limit (notAbove), and the rate whose
// upper bound is furthest over its limit, relative to it.
func (c Constraints) Evaluate(r *results.Report) (passed, notAbove bool, worst results.FenceRate) {
	passed, notAbove = true, true
	worstExcess := -1.0
	hold := func(name, figure string, group bool, rate results.Estimate, limit float64) {
		if check.Exceeds(rate, limit, check.DecideUpper) {
			passed = false
		}
		if low := rate.Low; rate.UpperBy != results.UpperClopperPearson && !(low <= limit) {
			notAbove = false
		}
		if excess := rate.Upper / limit; excess > worstExcess {
			worstExcess, worst = excess, results.FenceRate{Population: name, Plane: figure, Rate: rate, Group: group}
		}
	}
	for _, p := range r.Populations {
		if len(c.Names) > 0 && !slices.Contains(c.Names, p.ID) {
			continue
		}
		for plane := range sim.NumPlanes {
			hold(p.ID, results.PlaneName(plane), false, *p.ViolationRate.At(plane), c.Limits[plane])
		}
		if c.MaxBlocking != nil {
			hold(p.ID, check.BlockingFigure, false, p.BlockingProbability, *c.MaxBlocking)
		}
	}
	for i := range c.Groups {
		figures := r.Group(string(c.Groups[i].ID))
		if figures == nil {
			continue
		}
		for _, l := range c.held(&c.Groups[i]) {
			rate := figures.BlockingProbability
			if l.Figure != check.BlockingFigure {
				rate = *figures.ViolationRate.At(results.PlaneIndex(l.Figure))
			}
			hold(figures.ID, l.Figure, true, rate, l.Limit)
		}
	}
	return passed, notAbove, worst
}
