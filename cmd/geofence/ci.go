package main

import (
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/spf13/pflag"

	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/render/sarif"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
	"github.com/geofence/geofence/scenarios/lint"
	"github.com/geofence/geofence/scenarios/validate"
)

// ciFlags are the flags of the commands whose reports CI reads (check,
// diff, and merge for a check's): what fails the build, and how SARIF and
// JUnit place and time it.
type ciFlags struct {
	failOn     string
	sourceRoot string
	timings    bool
	started    time.Time
}

// register registers every CI flag.
func (c *ciFlags) register(fs *pflag.FlagSet) {
	c.started = time.Now()
	fs.StringVar(&c.failOn, "fail-on", check.SeverityError, "least severity of lint that fails: `error` (no lint does; forbidden landings and rates are errors), warning or note")
	c.registerSourceRoot(fs)
	fs.BoolVar(&c.timings, "timings", true, "JUnit: record how long the command took; --timings=false leaves the time out, so that the same inputs give the same bytes")
}

// registerSourceRoot registers --source-root alone.
func (c *ciFlags) registerSourceRoot(fs *pflag.FlagSet) {
	c.failOn = check.SeverityError
	fs.StringVar(&c.sourceRoot, "source-root", ".", "SARIF: give scenario files as URIs relative to this `DIR` (uriBaseId "+sarif.SourceRoot+"), as code review expects")
}

// registerForMerge registers the CI flags as merge takes them: --fail-on
// re-decides what the shards decided, and JUnit records no time unless
// --timings says so, so that a merge gives the bytes of the unsharded
// command with --timings=false.
func (c *ciFlags) registerForMerge(fs *pflag.FlagSet) {
	c.started = time.Now()
	c.registerSourceRoot(fs)
	fs.StringVar(&c.failOn, "fail-on", "", "a check's partials: least severity of lint that fails, `error`, warning or note, instead of the one the shards ran with (default: theirs)")
	fs.BoolVar(&c.timings, "timings", false, "JUnit of a check: record how long the merge took (--timings=false, the default, leaves the time out)")
}

func (c *ciFlags) validate() error {
	switch c.failOn {
	case check.SeverityError, lint.Warning, lint.Note:
		return nil
	}
	return usageError{fmt.Sprintf("--fail-on %s: want error, warning or note", c.failOn)}
}

// options are what SARIF and JUnit need to know of files, the scenario
// files as the report names them (those that are not files on disk, the
// built-ins, are written as named), and of the time taken so far.
func (c *ciFlags) options(files ...string) (render.CIOptions, error) {
	opt := render.CIOptions{Artifacts: sarif.Artifacts{}}
	if c.timings {
		opt.Elapsed = time.Since(c.started)
	}
	root, err := filepath.Abs(c.sourceRoot)
	if err != nil {
		return opt, fmt.Errorf("--source-root %s: %w", c.sourceRoot, err)
	}
	for _, f := range files {
		a, err := artifactOf(f, root)
		if err != nil {
			return opt, err
		}
		opt.Artifacts[f] = a
	}
	return opt, nil
}

// artifactOf places file for SARIF: a URI relative to root when the file
// is under it, else an absolute file URI (a relative reference may not
// climb out of its base).
func artifactOf(file, root string) (sarif.Artifact, error) {
	abs, err := filepath.Abs(file)
	if err != nil {
		return sarif.Artifact{}, err
	}
	rel, err := filepath.Rel(root, abs)
	if err != nil || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return sarif.Artifact{URI: (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()}, nil
	}
	return sarif.Artifact{URI: (&url.URL{Path: filepath.ToSlash(rel)}).String(), BaseID: sarif.SourceRoot}, nil
}

// onDisk keeps, of the files a report names, those that are files: a
// built-in's name is not.
func onDisk(files ...string) []string {
	var out []string
	for _, f := range files {
		if info, err := os.Stat(f); err == nil && info.Mode().IsRegular() {
			out = append(out, f)
		}
	}
	return out
}

// summary bounds what a finding says on stderr, however much there is:
// the first shownLines lines, each cut to lineLength characters, and how
// many more the report has.
func summary(msg string, lines []string) findingError {
	const (
		shownLines = 3
		lineLength = 200 // characters
	)
	f := findingError{msg: shorten(msg, lineLength)}
	for i, line := range lines {
		if i == shownLines {
			f.details = append(f.details, fmt.Sprintf("… and %d more in the report", len(lines)-shownLines))
			break
		}
		f.details = append(f.details, shorten(line, lineLength))
	}
	return f
}

// acceptFlags name files of accepted risks and the day they are judged on.
type acceptFlags struct {
	files []string
	date  string
}

func (a *acceptFlags) register(fs *pflag.FlagSet) {
	fs.StringArrayVar(&a.files, "accept", nil, "accept the risks listed in `FILE` (accepted: [...], as in a scenario), besides the scenario's own; repeatable")
	fs.StringVar(&a.date, "date", "", "judge accepted risks' expiry on this day, `YYYY-MM-DD` (default: today, UTC); an acceptance holds to the end of its expiry day")
}

// day is the UTC day t falls on, at its midnight.
func day(t time.Time) time.Time {
	t = t.UTC()
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, time.UTC)
}

// load reads the --accept files, checks each entry against s, and returns
// them with the day to judge every acceptance on.
func (a *acceptFlags) load(s *scenarios.Scenario) ([]scenarios.Accepted, time.Time, error) {
	date := day(time.Now())
	if a.date != "" {
		d, err := time.Parse(time.DateOnly, a.date)
		if err != nil {
			return nil, date, usageError{fmt.Sprintf("--date %s: want a day like 2026-12-31", a.date)}
		}
		date = d
	}
	var all []scenarios.Accepted
	for _, f := range a.files {
		list, err := format.LoadAcceptedFile(f)
		if err != nil {
			return nil, date, err
		}
		if ps := validate.Accepted(s, list); len(ps) > 0 {
			return nil, date, ps
		}
		all = append(all, list...)
	}
	return all, date, nil
}
