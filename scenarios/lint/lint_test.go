package lint

import (
	"context"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/fence"
	"github.com/geofence/geofence/scenarios/format"
	"github.com/geofence/geofence/scenarios/internal/scenariotest"
)

// TestCheck runs the cases in testdata: each loads the YAML scenario given
// as input and prints its lints, one per line, as "line:col rule: message",
// or "no lints". The only command is lint.
func TestCheck(t *testing.T) {
	scenariotest.ReplayCommand(t, "testdata", "lint", func(t *testing.T, d *datadriven.TestData) string {
		src := d.Input + "\n"
		s, err := format.Load("test.yaml", []byte(src))
		if err != nil {
			d.Fatalf(t, "the scenario does not load:\n%v", err)
		}
		lints := Check(s)
		checkLints(t, src, lints)
		if len(lints) == 0 {
			return "no lints\n"
		}
		var b strings.Builder
		for _, l := range lints {
			fmt.Fprintf(&b, "%d:%d %s: %s\n", l.Line, l.Column, l.Rule, l.Message)
		}
		return b.String()
	})
}

// TestEveryRuleHasACase makes sure each rule shows up in the expected
// output of some case, so that dropping a rule fails a test. (The rules
// of imported files have their cases with their importer.)
func TestEveryRuleHasACase(t *testing.T) {
	all := scenariotest.Stories(t, "testdata/*.txt")
	for _, r := range rules {
		if !regexp.MustCompile(`(?m)^\d+:\d+ ` + regexp.QuoteMeta(r.ID) + `: `).MatchString(all) {
			t.Errorf("no case in testdata expects a %s lint", r.ID)
		}
	}
}

func TestRules(t *testing.T) {
	rules := Rules()
	if !slices.IsSortedFunc(rules, func(a, b Rule) int { return strings.Compare(a.ID, b.ID) }) {
		t.Errorf("Rules() is not sorted by ID")
	}
	kebab := regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)
	for i, r := range rules {
		if !kebab.MatchString(r.ID) || (i > 0 && r.ID == rules[i-1].ID) {
			t.Errorf("rule id %q is not kebab-case or not unique", r.ID)
		}
		if r.Severity != Warning && r.Severity != Note {
			t.Errorf("rule %s: severity %q", r.ID, r.Severity)
		}
		if r.Summary == "" {
			t.Errorf("rule %s has no summary", r.ID)
		}
	}
}

// TestBuiltins lints every built-in scenario. zoom-2020-04 must show the
// April 2020 failure where it was made, on the intl-backup entries that
// name Beijing; zoom-2020-04-fixed must have no fail-open path left.
func TestBuiltins(t *testing.T) {
	for _, b := range scenarios.Builtins() {
		t.Run(b.Name, func(t *testing.T) {
			s, err := format.Resolve(b.Name)
			if err != nil {
				t.Fatalf("the built-in does not load:\n%v", err)
			}
			src, _ := scenarios.BuiltinSource(b.Name)
			lints := Check(s)
			checkLints(t, string(src), lints)
			if !slices.Equal(lints, Check(s)) {
				t.Errorf("Check is not deterministic")
			}
			switch b.Name {
			case "zoom-2020-04":
				beijing := beijingLines(s)
				if len(beijing) == 0 {
					t.Fatalf("intl-backup names no cn-bj-* datacenter")
				}
				for _, rule := range []string{"fail-open", "shared-whitelist"} {
					if !slices.ContainsFunc(lints, func(l Lint) bool { return l.Rule == rule && beijing[l.Line] }) {
						t.Errorf("no %s lint on the intl-backup lines that name Beijing (%v)", rule, beijing)
					}
				}
			case "zoom-2020-04-fixed":
				for _, l := range lints {
					if l.Rule == "fail-open" {
						t.Errorf("fail-open lint in the fixed scenario: %d:%d %s", l.Line, l.Column, l.Message)
					}
				}
			}
		})
	}
}

// TestFailOpenCoversAnalyze checks that fail-open tells every landing
// outside a fence that scenarios/fence finds, at the place it finds it, for each
// population a policy rule selects (no-policy tells of the others).
func TestFailOpenCoversAnalyze(t *testing.T) {
	for _, b := range scenarios.Builtins() {
		s, err := format.Resolve(b.Name)
		if err != nil {
			t.Fatalf("%s does not load:\n%v", b.Name, err)
		}
		lints := Check(s)
		fences, err := fence.Analyze(context.Background(), s)
		if err != nil {
			t.Fatal(err)
		}
		for _, f := range fences {
			p := slices.IndexFunc(s.Populations, func(p scenarios.Population) bool { return string(p.ID) == f.Population })
			if s.RuleFor(&s.Populations[p]) < 0 {
				continue
			}
			for _, x := range f.Findings {
				told := slices.ContainsFunc(lints, func(l Lint) bool {
					return l.Rule == "fail-open" && l.Path == x.Path &&
						strings.Contains(l.Message, x.Population+" ") && strings.Contains(l.Message, "land at "+x.Datacenter+" ")
				})
				if !told {
					t.Errorf("%s: no fail-open lint at %s for %s landing at %s", b.Name, x.Path, x.Population, x.Datacenter)
				}
			}
		}
	}
}

// TestWithoutSource lints a scenario built in code: the same lints, with
// no position.
func TestWithoutSource(t *testing.T) {
	s, err := format.Resolve(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	want := Check(s)
	s.Source = nil
	got := Check(s)
	if len(got) != len(want) {
		t.Fatalf("%d lints without a source, %d with", len(got), len(want))
	}
	for _, l := range got {
		if l.Line != 0 || l.Column != 0 {
			t.Errorf("%s lint at %s has position %d:%d without a source", l.Rule, l.Path, l.Line, l.Column)
		}
		if !slices.ContainsFunc(want, func(w Lint) bool { return w.Rule == l.Rule && w.Path == l.Path && w.Message == l.Message }) {
			t.Errorf("%s lint at %s appears only without a source: %s", l.Rule, l.Path, l.Message)
		}
	}
}

// beijingLines is the set of lines on which intl-backup names a cn-bj-*
// datacenter.
func beijingLines(s *scenarios.Scenario) map[int]bool {
	lines := map[int]bool{}
	for k, id := range s.Routing.Whitelists["intl-backup"] {
		if strings.HasPrefix(string(id), "cn-bj-") {
			lines[s.Source.Pos(fmt.Sprintf("routing.whitelists.intl-backup[%d]", k)).Line] = true
		}
	}
	return lines
}

// namesOneID matches the paths of values that are a single id: an item's
// id, a primary or a whitelist entry.
var namesOneID = regexp.MustCompile(`(\.id|\.primaries\[\d+\]|^routing\.whitelists\.[^.]+\[\d+\])$`)

// checkLints checks what holds for every lint of a scenario loaded from
// src: its rule is declared with its severity, it has a position, and when
// it stands on an id, the message names that id.
func checkLints(t *testing.T, src string, lints []Lint) {
	t.Helper()
	severity := map[string]string{}
	for _, r := range Rules() {
		severity[r.ID] = r.Severity
	}
	lines := strings.Split(src, "\n")
	for _, l := range lints {
		if severity[l.Rule] != l.Severity {
			t.Errorf("%s lint with severity %q; the rule says %q", l.Rule, l.Severity, severity[l.Rule])
		}
		if l.Line < 1 || l.Line > len(lines) || l.Column < 1 || l.Column > len(lines[l.Line-1]) {
			t.Errorf("%s lint at %s has no position in the file (%d:%d)", l.Rule, l.Path, l.Line, l.Column)
			continue
		}
		if namesOneID.MatchString(l.Path) {
			id := tokenAt(lines[l.Line-1][l.Column-1:])
			if !strings.Contains(l.Message, id) {
				t.Errorf("%s lint at %s stands on %q, which its message does not name: %s", l.Rule, l.Path, id, l.Message)
			}
		}
	}
}

// tokenAt returns the plain YAML scalar at the start of s.
func tokenAt(s string) string {
	if i := strings.IndexAny(s, ",]} #"); i >= 0 {
		return s[:i]
	}
	return s
}
