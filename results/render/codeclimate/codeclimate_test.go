package codeclimate_test

import (
	"bytes"
	"context"
	"regexp"
	"slices"
	"testing"

	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/results/render/codeclimate"
	"github.com/geofence/geofence/results/render/codeclimate/codeclimatetest"
	"github.com/geofence/geofence/results/render/sarif"
	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/lint"
)

// issues renders with write and reads the report as GitLab would take it.
func issues(t *testing.T, write func(*bytes.Buffer) error) []codeclimate.Issue {
	t.Helper()
	var out bytes.Buffer
	if err := write(&out); err != nil {
		t.Fatal(err)
	}
	return codeclimatetest.Read(t, out.Bytes())
}

var letInBy = regexp.MustCompile(`let in by (\S+),`)

// The April 2020 built-in, checked statically, is one critical issue per
// whitelist or primary entry that lets clients out of a fence, at that
// entry's line, and one per lint at its own.
func TestCheckBuiltin(t *testing.T) {
	s := fixture.Resolve(t, scenarios.Default)
	r, err := study.Check(context.Background(), s, study.CheckOptions{StaticOnly: true, CheckSettings: study.CheckSettings{FailOn: check.SeverityError}})
	if err != nil {
		t.Fatal(err)
	}
	list := issues(t, func(w *bytes.Buffer) error { return codeclimate.Check(w, r, nil) })

	entryLine := map[string]int{} // every entry that lets clients out of a failing fence
	for _, fc := range r.Fences {
		for _, f := range fc.Static {
			if !fc.Passed {
				entryLine[f.Path] = f.Line
			}
		}
	}
	var entries []string
	lints := 0
	for _, i := range list {
		if i.Location.Path != "builtin/zoom-2020-04.yaml" {
			t.Errorf("%s located in %s", i.CheckName, i.Location.Path)
		}
		switch i.CheckName {
		case sarif.RuleStaticReachable:
			m := letInBy.FindStringSubmatch(i.Description)
			if m == nil || i.Severity != codeclimate.SeverityCritical {
				t.Errorf("%s issue %q at severity %s", i.CheckName, i.Description, i.Severity)
				continue
			}
			entries = append(entries, m[1])
			if line, ok := entryLine[m[1]]; !ok || line != i.Location.Lines.Begin {
				t.Errorf("%s at line %d; the entry stands at %d", m[1], i.Location.Lines.Begin, line)
			}
		default:
			lints++
		}
	}
	slices.Sort(entries)
	if len(entries) != len(entryLine) || len(slices.Compact(entries)) != len(entries) {
		t.Errorf("%d static issues for %d offending entries, want one each", len(entries), len(entryLine))
	}
	if lints != len(r.Lints) {
		t.Errorf("%d lint issues for %d lints", lints, len(r.Lints))
	}
}

// checkStory checks a story statically with the real linter, placing
// its file at path under the source root.
func checkStory(t *testing.T, file, path string) []codeclimate.Issue {
	in := fixture.CheckInput(t, file, true)
	in.Lints = lint.Check(in.Scenario)
	r := check.Check(in)
	artifacts := sarif.Artifacts{r.Scenario.File: {URI: path, BaseID: sarif.SourceRoot}}
	return issues(t, func(w *bytes.Buffer) error { return codeclimate.Check(w, r, artifacts) })
}

// A finding keeps its fingerprint when unrelated lines move: the spill
// story rewritten in another order has the same issues, by fingerprint,
// at other lines; paths are relative to the source root.
func TestFingerprintsFollowFindingsNotLines(t *testing.T) {
	before := checkStory(t, "check_spill.yaml", "scenarios/spill.yaml")
	after := checkStory(t, "diff_spill_reordered.yaml", "scenarios/spill.yaml")
	at := func(list []codeclimate.Issue) map[string]int {
		out := map[string]int{}
		for _, i := range list {
			if i.Location.Path != "scenarios/spill.yaml" {
				t.Errorf("%s located at %s, want the path under the source root", i.CheckName, i.Location.Path)
			}
			out[i.Fingerprint] = i.Location.Lines.Begin
		}
		return out
	}
	b, a := at(before), at(after)
	if len(b) == 0 || len(b) != len(a) {
		t.Fatalf("%d issues before, %d after", len(b), len(a))
	}
	moved := 0
	for fp, line := range b {
		l, ok := a[fp]
		if !ok {
			t.Errorf("fingerprint %s lost when lines moved", fp)
		}
		if l != line {
			moved++
		}
	}
	if moved == 0 {
		t.Error("no issue moved: the test proves nothing")
	}
}

// A diff's report lists only what got worse: the entry a change adds to
// the key pool, and the lints it brings, with the fingerprints a check of
// NEW gives them; nothing for the reverse change, or for none.
func TestDiffListsOnlyWorse(t *testing.T) {
	main := fixture.LoadStory(t, "check_spill_media_fixed.yaml")
	kms := fixture.LoadStory(t, "diff_spill_kms_bj2.yaml")
	report := func(old, new *scenarios.Scenario) []codeclimate.Issue {
		r := diff.Diff(fixture.DiffInput(t, old, new, true))
		return issues(t, func(w *bytes.Buffer) error { return codeclimate.Diff(w, r, nil) })
	}
	worse := report(main, kms)
	var static []string
	for _, i := range worse {
		if i.Location.Path != kms.Source.File {
			t.Errorf("%s located in %s, want NEW's file", i.CheckName, i.Location.Path)
		}
		if i.CheckName == sarif.RuleStaticReachable {
			static = append(static, letInBy.FindStringSubmatch(i.Description)[1])
		}
	}
	if !slices.Equal(static, []string{"routing.whitelists.kms-backup[1]"}) {
		t.Errorf("static issues at %q, want only the new entry kms-backup[1]", static)
	}
	in := fixture.CheckInput(t, "diff_spill_kms_bj2.yaml", true)
	in.Lints = lint.Check(in.Scenario)
	checked := issues(t, func(w *bytes.Buffer) error { return codeclimate.Check(w, check.Check(in), nil) })
	for _, i := range worse {
		if !slices.ContainsFunc(checked, func(c codeclimate.Issue) bool { return c.Fingerprint == i.Fingerprint }) {
			t.Errorf("%s: %q has no issue of the same fingerprint in a check of NEW", i.CheckName, i.Description)
		}
	}
	if better := report(kms, main); len(better) != 0 {
		t.Errorf("the reverse change lists %d issues, want none: %v", len(better), better)
	}
	if same := report(main, main); len(same) != 0 {
		t.Errorf("no change lists %d issues", len(same))
	}
}
