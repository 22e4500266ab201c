package main

import (
	"context"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/study"
)

// mergeCmd combines the partial results of every shard of a run, check or
// sweep into the report the unsharded command would have written.
func mergeCmd(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "merge")
	formats := render.RunFormats()
	for _, f := range slices.Concat(render.CheckFormats(), render.SweepFormats()) {
		if !slices.Contains(formats, f) {
			formats = append(formats, f)
		}
	}
	format := fs.StringP("output", "o", "table", "output format: for a run "+strings.Join(render.RunFormats(), ", ")+"; for a check "+strings.Join(render.CheckFormats(), ", ")+"; for a sweep "+strings.Join(render.SweepFormats(), ", "))
	detail := fs.Bool("detail", false, "table format of a run: every table, not just the headline")
	perReplication := fs.Bool("per-replication", false, "csv format of a run: one row per replication for every figure")
	outPath := fs.String("out", "", "write the report to `FILE`, as run and check do")
	var ci ciFlags
	ci.registerForMerge(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.Changed("fail-on") {
		if err := ci.validate(); err != nil {
			return err
		}
	}
	if fs.NArg() == 0 {
		return usageError{"name the partial results of every shard"}
	}
	if !slices.Contains(formats, *format) {
		return usageError{fmt.Sprintf("-o %s: want one of %s", *format, strings.Join(formats, ", "))}
	}
	if fs.Changed("out") && *outPath == "" {
		return usageError{"--out needs a file name; without --out the report goes to standard output"}
	}
	out, err := openOutput(e.stdout, *outPath, fs.Args())
	if err != nil {
		return err
	}
	parts, err := study.ReadPartials(ctx, fs.Args())
	if err != nil {
		return err
	}
	if fs.Changed("fail-on") {
		for i, p := range parts {
			if p.Job.Check == nil {
				return usageError{fmt.Sprintf("--fail-on decides a check; %s is a partial of a %s", fs.Arg(i), p.Job.Command)}
			}
			p.Job.Check.FailOn = ci.failOn
		}
	}
	merged, err := study.Merge(ctx, parts, version())
	if err != nil {
		return err
	}
	err = out.render(ctx, func(w io.Writer) error {
		switch {
		case merged.Sweep != nil:
			if err := rendersAs("sweep", *format, render.SweepFormats()); err != nil {
				return err
			}
			return render.Sweep(w, merged.Sweep, *format)
		case merged.Run != nil:
			if err := rendersAs("run", *format, render.RunFormats()); err != nil {
				return err
			}
			return render.Run(w, merged.Run, *format, render.Options{Detail: *detail, PerReplication: *perReplication})
		}
		if err := rendersAs("check", *format, render.CheckFormats()); err != nil {
			return err
		}
		files := append([]string{merged.Check.Scenario.File}, merged.Check.Scenario.Imports...)
		for _, a := range merged.Check.Accepted {
			files = append(files, a.File)
		}
		ciOptions, err := ci.options(onDisk(files...)...)
		if err != nil {
			return err
		}
		return render.Check(w, merged.Check, *format, ciOptions)
	})
	if err != nil {
		return err
	}
	if merged.Check != nil && !merged.Check.Passed {
		return failureSummary(merged.Check.Scenario.Name, merged.Check)
	}
	return nil
}

// rendersAs checks that format is one of formats, those a merged result
// of kind renders as.
func rendersAs(kind, format string, formats []string) error {
	if !slices.Contains(formats, format) {
		return usageError{fmt.Sprintf("-o %s: a %s renders as %s", format, kind, strings.Join(formats, ", "))}
	}
	return nil
}
