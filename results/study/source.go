package study

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
)

// Changes are what a command line changes in a scenario file before it
// runs: every join rate and capacity scaled by Scale (when not 0), then
// the conditions When (PATH=VALUE, …) and Load ([SELECTOR=]K, each
// load[SELECTOR]=K), then the overrides Set, in order, so that a value
// set is read at the scale of the run. Scale, When and Load are
// conditions of the world: a comparison runs every side under them. Set
// changes the configuration under review, one side of a comparison.
type Changes struct {
	Scale float64
	When  []string
	Load  []string
	Set   []string
}

// How a report records a change, so that applying the texts again gives
// the scenario it ran: a scale once as "--scale K", a condition as
// "--when PATH OP VALUE", any other override as PATH OP VALUE.
const (
	scalePrefix = "--scale "
	whenPrefix  = "--when "
)

// The flags that write conditions, as their overrides' origins.
const (
	whenFlag = "--when"
	loadFlag = "--load"
)

// change is one change to make: a scale by text, or an override written
// text at origin, a condition or not.
type change struct {
	text, origin string
	scale        bool
	condition    bool
}

// list is ch as changes to make in order, the overrides of Set written at
// origin. Two --load for the same populations are refused: which would
// the user mean?
func (ch Changes) list(origin string) ([]change, error) {
	var out []change
	if ch.Scale != 0 {
		k := strconv.FormatFloat(ch.Scale, 'g', -1, 64)
		out = append(out, change{text: k, origin: scalePrefix + k, scale: true})
	}
	for _, text := range ch.When {
		out = append(out, change{text: text, origin: whenFlag, condition: true})
	}
	seen := map[string]bool{}
	for _, text := range ch.Load {
		selector, factor, ok := cutLast(text, "=")
		path := format.LoadPath
		if !ok {
			factor = text
		} else {
			path += "[" + selector + "]"
		}
		if seen[path] {
			return nil, scenarios.Problems{{File: loadFlag, Msg: fmt.Sprintf("%s is given twice for %s: give one factor", scenarios.Clip(text), path)}}
		}
		seen[path] = true
		out = append(out, change{text: path + "=" + factor, origin: loadFlag, condition: true})
	}
	for _, text := range ch.Set {
		out = append(out, change{text: text, origin: origin})
	}
	return out, nil
}

// cutLast cuts s around the last sep.
func cutLast(s, sep string) (before, after string, found bool) {
	if i := strings.LastIndex(s, sep); i >= 0 {
		return s[:i], s[i+len(sep):], true
	}
	return s, "", false
}

// Load resolves ref, a built-in's name, a scenario file or a file at a
// revision (git:REV:PATH, read with git), and applies
// the changes. Problems anywhere — in the file, in an override — are
// scenarios.Problems, each located. It returns when ctx is done.
func Load(ctx context.Context, ref string, ch Changes) (*scenarios.Scenario, error) {
	return load(ctx, ref, ch, "--set", "")
}

// load is Load with the overrides of Set located at origin; side, when
// not "", names the side of a comparison the scenario is, in the problems
// of the conditions (which every side gets).
func load(ctx context.Context, ref string, ch Changes, origin, side string) (*scenarios.Scenario, error) {
	return loadAt(ctx, ref, ch, origin, side, func(err error) error { return err })
}

// loadAt is load with the errors of reading the scenario itself, before
// any change, passed through at: to locate them at a reference to it.
func loadAt(ctx context.Context, ref string, ch Changes, origin, side string, at func(error) error) (*scenarios.Scenario, error) {
	return interruptible(ctx, func() (*scenarios.Scenario, error) {
		changes, err := ch.list(origin)
		if err != nil {
			return nil, err
		}
		s, err := format.ResolveContext(ctx, ref)
		if err != nil {
			return nil, at(err)
		}
		return applyOn(s, changes, side)
	})
}

// LoadStudy loads the study file at path, or at a revision (git:REV:PATH).
// It returns when ctx is done.
func LoadStudy(ctx context.Context, path string) (*format.Study, error) {
	return interruptible(ctx, func() (*format.Study, error) { return format.LoadStudyContext(ctx, path) })
}

// interruptible runs f, and returns its result or, if ctx is done first,
// ctx's error at once: reading and validating a file, or linting a
// scenario, is bounded but can take seconds on a pathological input, and
// an interrupt must be answered within one. f is left to finish on its
// own, its result unread; the command exits meanwhile.
func interruptible[T any](ctx context.Context, f func() (T, error)) (T, error) {
	type result struct {
		v   T
		err error
	}
	done := make(chan result, 1)
	go func() {
		v, err := f()
		done <- result{v, err}
	}()
	select {
	case r := <-done:
		return r.v, r.err
	case <-ctx.Done():
		var zero T
		return zero, context.Cause(ctx)
	}
}

// apply makes the changes a report recorded (see Overrides) to s again,
// in order, the overrides located at origin.
func apply(s *scenarios.Scenario, texts []string, origin string) (*scenarios.Scenario, error) {
	changes := make([]change, len(texts))
	for i, text := range texts {
		switch {
		case strings.HasPrefix(text, scalePrefix):
			changes[i] = change{text: strings.TrimPrefix(text, scalePrefix), origin: text, scale: true}
		case strings.HasPrefix(text, whenPrefix):
			changes[i] = change{text: strings.TrimPrefix(text, whenPrefix), origin: origin, condition: true}
		default:
			changes[i] = change{text: text, origin: origin}
		}
	}
	return applyOn(s, changes, "")
}

// applyOn makes the changes to s, in order. side, when not "", names the
// side of a comparison s is in the problems of its conditions: "in the
// baseline zoom-2020-04".
func applyOn(s *scenarios.Scenario, changes []change, side string) (*scenarios.Scenario, error) {
	var pending []scenarios.Override
	conditionsAt := map[string]bool{} // where the conditions are written, as their problems are located
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		var err error
		s, err = format.With(s, pending)
		pending = nil
		return onSide(err, side, conditionsAt)
	}
	for _, c := range changes {
		if c.scale || c.condition {
			conditionsAt[scenarios.Override{Origin: c.origin}.Problemf("").File] = true
		}
		if c.scale {
			if err := flush(); err != nil {
				return nil, err
			}
			factor, err := strconv.ParseFloat(c.text, 64)
			if err != nil {
				return nil, scenarios.Problems{{File: c.origin, Msg: "the scale must be a number greater than 0"}}
			}
			if s, err = format.Scaled(s, factor); err != nil {
				return nil, onSide(err, side, conditionsAt)
			}
			continue
		}
		o, err := format.ParseOverride(c.text, c.origin)
		if err != nil {
			return nil, err
		}
		o.Condition = c.condition
		pending = append(pending, o)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return s, nil
}

// onSide names the side of a comparison in each problem of err located
// at a condition (in a file of conditionsAt), when side is not "": the
// same condition may fit one version of a scenario and not the other.
func onSide(err error, side string, conditionsAt map[string]bool) error {
	var ps scenarios.Problems
	if side == "" || !errors.As(err, &ps) {
		return err
	}
	named := make(scenarios.Problems, len(ps))
	for i, p := range ps {
		if conditionsAt[p.File] {
			p.Msg = side + ": " + p.Msg
		}
		named[i] = p
	}
	return named
}

// conditions are the changes s was made under that are conditions of the
// world — its scale and every --when and --load — in the order made, to
// be made to the other side of a comparison.
func conditions(s *scenarios.Scenario) []change {
	var out []change
	for _, r := range recorded(s) {
		switch {
		case r.scale:
			out = append(out, change{text: strings.TrimPrefix(r.Override, scalePrefix), origin: r.Override, scale: true})
		case r.Condition:
			out = append(out, change{text: r.override.String(), origin: r.override.Origin, condition: true})
		}
	}
	return out
}

// recordedChange is one change made to a scenario as a report records it,
// with the override it is (none for a scale).
type recordedChange struct {
	results.OverrideWords
	override scenarios.Override
	scale    bool
}

// recorded are the changes made to s's file, as a report records them: a
// scale once, as "--scale K", a condition as "--when PATH OP VALUE", any
// other override as its canonical text, in the order they were made, each
// with what it did in words. Applied to the file again they give s.
func recorded(s *scenarios.Scenario) []recordedChange {
	var out []recordedChange
	if s.Source == nil {
		return out
	}
	for _, o := range s.Source.Overrides {
		if k, ok := strings.CutPrefix(o.Origin, scalePrefix); ok {
			if len(out) == 0 || out[len(out)-1].Override != o.Origin {
				out = append(out, recordedChange{OverrideWords: results.OverrideWords{Override: o.Origin, Condition: true, Words: format.ScaleWords(k)}, scale: true})
			}
			continue
		}
		text := o.String()
		if o.Condition {
			text = whenPrefix + text
		}
		out = append(out, recordedChange{OverrideWords: results.OverrideWords{Override: text, Condition: o.Condition, Words: format.Words(s, o)}, override: o})
	}
	return out
}

// Overrides are the changes made to s's file, as a report records them
// (see recorded).
func Overrides(s *scenarios.Scenario) []string {
	out := []string{}
	for _, r := range recorded(s) {
		out = append(out, r.Override)
	}
	return out
}

// InWords are the changes made to s's file as a report records them (see
// recorded), each in words and said to be a condition or a change; nil
// when there are none.
func InWords(s *scenarios.Scenario) []results.OverrideWords {
	var out []results.OverrideWords
	for _, r := range recorded(s) {
		out = append(out, r.OverrideWords)
	}
	return out
}
