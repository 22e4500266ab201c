package study

import (
	"context"
	"strconv"
	"strings"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
)

// Changes are what a command line changes in a scenario file before it
// runs: every join rate and capacity scaled by Scale (when not 0), then
// the overrides Set (PATH=VALUE, PATH*=VALUE, …) in order, so that a
// value set is read at the scale of the run.
type Changes struct {
	Scale float64
	Set   []string
}

// scalePrefix starts the text a --scale is recorded as.
const scalePrefix = "--scale "

// Load resolves ref, a built-in's name, a scenario file or a file at a
// revision (git:REV:PATH, read with git), and applies
// the changes. Problems anywhere — in the file, in an override — are
// scenarios.Problems, each located. It returns when ctx is done.
func Load(ctx context.Context, ref string, ch Changes) (*scenarios.Scenario, error) {
	return load(ctx, ref, ch, "--set")
}

// load is Load with the overrides located at origin.
func load(ctx context.Context, ref string, ch Changes, origin string) (*scenarios.Scenario, error) {
	return loadAt(ctx, ref, ch, origin, func(err error) error { return err })
}

// loadAt is load with the errors of reading the scenario itself, before
// any change, passed through at: to locate them at a reference to it.
func loadAt(ctx context.Context, ref string, ch Changes, origin string, at func(error) error) (*scenarios.Scenario, error) {
	return interruptible(ctx, func() (*scenarios.Scenario, error) {
		s, err := format.ResolveContext(ctx, ref)
		if err != nil {
			return nil, at(err)
		}
		var texts []string
		if ch.Scale != 0 {
			texts = append(texts, scalePrefix+strconv.FormatFloat(ch.Scale, 'g', -1, 64))
		}
		return apply(s, append(texts, ch.Set...), origin)
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

// apply makes the changes texts to s, in order: "--scale K" scales, any
// other text is an override written at origin.
func apply(s *scenarios.Scenario, texts []string, origin string) (*scenarios.Scenario, error) {
	var pending []scenarios.Override
	flush := func() error {
		if len(pending) == 0 {
			return nil
		}
		var err error
		s, err = format.With(s, pending)
		pending = nil
		return err
	}
	for _, text := range texts {
		if k, ok := strings.CutPrefix(text, scalePrefix); ok {
			if err := flush(); err != nil {
				return nil, err
			}
			factor, err := strconv.ParseFloat(k, 64)
			if err != nil {
				return nil, scenarios.Problems{{File: text, Msg: "the scale must be a number greater than 0"}}
			}
			if s, err = format.Scaled(s, factor); err != nil {
				return nil, err
			}
			continue
		}
		o, err := format.ParseOverride(text, origin)
		if err != nil {
			return nil, err
		}
		pending = append(pending, o)
	}
	if err := flush(); err != nil {
		return nil, err
	}
	return s, nil
}

// Overrides are the changes made to s's file, as a report records them:
// a scale once, as "--scale K", and each override as its canonical text,
// in the order they were made. Applied to the file again they give s.
func Overrides(s *scenarios.Scenario) []string {
	out := []string{}
	if s.Source == nil {
		return out
	}
	for _, o := range s.Source.Overrides {
		if strings.HasPrefix(o.Origin, scalePrefix) {
			if len(out) == 0 || out[len(out)-1] != o.Origin {
				out = append(out, o.Origin)
			}
			continue
		}
		out = append(out, o.String())
	}
	return out
}
