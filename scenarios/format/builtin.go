package format

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/validate"
)

// Resolve loads the built-in scenario called nameOrPath or, when there is
// none, the scenario file at that path, or at a revision (git:REV:PATH;
// see ResolveContext).
func Resolve(nameOrPath string) (*scenarios.Scenario, error) {
	return ResolveContext(context.Background(), nameOrPath)
}

// ResolveContext is Resolve, stopping git when ctx is done. A file at a
// revision, git:REV:PATH, is read with git from the repository around the
// current directory and named as given, with the hash of the bytes read;
// its relative references (its baseline) name files at the same
// revision, and must be there.
func ResolveContext(ctx context.Context, nameOrPath string) (*scenarios.Scenario, error) {
	if r, ok := scenarios.ParseRevisionRef(nameOrPath); ok {
		data, err := readRevisionRef(ctx, nameOrPath, r)
		if err != nil {
			return nil, err
		}
		return load(ctx, nameOrPath, data, baselineAtRevision(ctx))
	}
	if src, ok := scenarios.BuiltinSource(nameOrPath); ok {
		return Load(scenarios.BuiltinPrefix+nameOrPath+".yaml", src)
	}
	s, err := loadFile(ctx, nameOrPath, baselineAtRevision(ctx))
	if errors.Is(err, fs.ErrNotExist) && !strings.ContainsAny(nameOrPath, `/\.`) {
		var names []string
		for _, b := range scenarios.Builtins() {
			names = append(names, b.Name)
		}
		return nil, fmt.Errorf("no built-in scenario or file named %q; the built-ins are %s", nameOrPath, strings.Join(names, ", "))
	}
	return s, err
}

// baselineAtRevision checks that a baseline at a revision — written as
// git:REV:PATH, or relative in a file read at a revision — is there.
func baselineAtRevision(ctx context.Context) func(*scenarios.Scenario, *validate.Checker) {
	return func(s *scenarios.Scenario, c *validate.Checker) {
		if s.Baseline == "" {
			return
		}
		if base, ok := scenarios.ParseRevisionRef(s.ResolveRelative(s.Baseline)); ok {
			if msg := missingAt(ctx, base); msg != "" {
				c.Add("baseline", "%s", msg)
			}
		}
	}
}
