package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/olekukonko/tablewriter"

	"github.com/geofence/geofence/scenarios"
)

// validateCmd loads every file named and reports every problem in each.
func validateCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "validate")
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() == 0 {
		return usageError{"name at least one scenario file or built-in"}
	}
	var all scenarios.Problems
	for _, arg := range fs.Args() {
		s, err := scenarios.Resolve(arg)
		var problems scenarios.Problems
		switch {
		case errors.As(err, &problems):
			all = append(all, problems...)
		case err != nil:
			return err
		default:
			fmt.Fprintf(e.stdout, "%s: ok (%s, sha256 %s)\n", s.Source.File, s.Name, s.Source.SHA256[:12])
		}
	}
	if len(all) > 0 {
		return all
	}
	return nil
}

func scenariosCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "scenarios")
	if err := parse(fs, args); err != nil {
		return err
	}
	t := tablewriter.NewTable(e.stdout)
	t.Header("name", "summary")
	for _, b := range scenarios.Builtins() {
		name := b.Name
		if name == scenarios.Default {
			name += " (default)"
		}
		if err := t.Append(name, b.Summary); err != nil {
			return err
		}
	}
	return t.Render()
}

func schemaCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "schema")
	if err := parse(fs, args); err != nil {
		return err
	}
	_, err := e.stdout.Write(scenarios.Schema())
	return err
}
