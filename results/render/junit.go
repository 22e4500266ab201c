package render

import (
	"cmp"
	"encoding/xml"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
)

// The JUnit XML that CI servers read (Jenkins, GitLab, GitHub test
// reporters): one test suite per check or diff, one test case per fence,
// named population (classname) and plane (name), one per lint (classname
// "lint", named by rule and subject) and one per accepted risk (classname
// "accepted"), failing when it has expired or matches nothing. The suite's
// time is what the command measured and passed in (CIOptions.Elapsed);
// without it there are no time attributes, so that golden files stay
// byte-stable.

type junitSuites struct {
	XMLName  xml.Name     `xml:"testsuites"`
	Name     string       `xml:"name,attr"`
	Tests    int          `xml:"tests,attr"`
	Failures int          `xml:"failures,attr"`
	Errors   int          `xml:"errors,attr"`
	Time     string       `xml:"time,attr,omitempty"`
	Suites   []junitSuite `xml:"testsuite"`
}

type junitSuite struct {
	Name       string          `xml:"name,attr"`
	Tests      int             `xml:"tests,attr"`
	Failures   int             `xml:"failures,attr"`
	Errors     int             `xml:"errors,attr"`
	Skipped    int             `xml:"skipped,attr"`
	Time       string          `xml:"time,attr,omitempty"`
	Properties []junitProperty `xml:"properties>property"`
	Cases      []junitCase     `xml:"testcase"`
	SystemOut  *junitText      `xml:"system-out"`
}

// junitText is element text written as CDATA, so that its lines stay
// lines in the file.
type junitText struct {
	Text string `xml:",cdata"`
}

type junitProperty struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

type junitCase struct {
	Classname string        `xml:"classname,attr"`
	Name      string        `xml:"name,attr"`
	Failure   *junitFailure `xml:"failure"`
	SystemOut *junitText    `xml:"system-out"`
}

type junitFailure struct {
	Message string `xml:"message,attr"`
	Type    string `xml:"type,attr"`
	Text    string `xml:",cdata"`
}

// renderJUnit writes r as JUnit XML; lints are test cases, and also go to
// the suite's system-out one per line, as compilers write them.
func renderJUnit(w io.Writer, r *check.Report, opt CIOptions) error {
	suite := junitSuite{
		Name: "geofence check " + r.Scenario.Name,
		Properties: []junitProperty{
			{"tool", ToolName(r.Tool, r.Version)},
			{"file", r.Scenario.File},
			{"sha256", r.Scenario.SHA256},
			{"seed", strconv.FormatUint(r.Seed, 10)},
			{"replications", strconv.Itoa(r.Replications)},
		},
	}
	suite.Properties = append(suite.Properties, overrideProperties("", r.Scenario)...)
	if r.Baseline != nil {
		suite.Properties = append(suite.Properties, junitProperty{"baseline", BaselineText(r.Baseline.Scenario)})
	}
	if len(r.Lints) > 0 {
		suite.SystemOut = &junitText{lintLines(r)}
	}
	for _, fc := range r.Fences {
		tc := junitCase{Classname: fc.Population, Name: fc.Plane}
		switch {
		case !fc.Passed:
			tc.Failure = &junitFailure{Message: strings.Join(fc.Reasons, "; "), Type: "geofence", Text: failureDetail(r, fc)}
		case len(fc.Accepted) > 0:
			tc.SystemOut = &junitText{strings.Join(fc.Accepted, "\n") + "\n"}
		}
		suite.add(tc)
	}
	suite.add(limitCases(r)...)
	for _, a := range r.Accepted {
		tc := junitCase{Classname: "accepted", Name: a.What()}
		text := fmt.Sprintf("%s: %s until %s, matches %s: %s\n", a.At(), a.State, a.Expires, results.IdList(a.Matches), a.Reason)
		if a.State == check.AcceptanceHolds {
			tc.SystemOut = &junitText{text}
		} else {
			tc.Failure = &junitFailure{Message: "accepted risk " + a.State, Type: "geofence accepted-risk", Text: text}
		}
		suite.add(tc)
	}
	for _, l := range r.Lints {
		tc := junitCase{Classname: "lint", Name: l.Rule + " " + l.Subject}
		text := r.LintLine(l)
		if l.Fails {
			tc.Failure = &junitFailure{Message: l.Message, Type: "geofence " + l.Severity, Text: text}
		} else {
			tc.SystemOut = &junitText{text}
		}
		suite.add(tc)
	}
	suite.Time = junitTime(opt.Elapsed)
	return writeJUnit(w, "geofence check", suite)
}

// renderDiffJUnit writes r as JUnit XML: one test case per fence, failing
// when the change made it worse, then one per lint of NEW, failing when it
// appeared with at least fail_on's severity.
func renderDiffJUnit(w io.Writer, r *diff.Report, opt CIOptions) error {
	suite := junitSuite{
		Name: "geofence diff " + r.Old.Name + " -> " + r.New.Name,
		Properties: []junitProperty{
			{"tool", ToolName(r.Tool, r.Version)},
			{"old", r.Old.File},
			{"old_sha256", r.Old.SHA256},
			{"new", r.New.File},
			{"new_sha256", r.New.SHA256},
			{"seed", strconv.FormatUint(r.Seed, 10)},
			{"replications", strconv.Itoa(r.Replications)},
		},
		Time: junitTime(opt.Elapsed),
	}
	suite.Properties = append(suite.Properties, overrideProperties("old_", r.Old)...)
	suite.Properties = append(suite.Properties, overrideProperties("new_", r.New)...)
	for _, f := range r.Fences {
		tc := junitCase{Classname: f.Population, Name: f.Plane}
		var worse, other []string
		for _, line := range fenceSentences(r, f.Population, f.Plane) {
			if line.effect == diff.EffectWorse {
				worse = append(worse, line.text)
			} else {
				other = append(other, line.text)
			}
		}
		if len(worse) > 0 {
			tc.Failure = &junitFailure{Message: worse[0], Type: "geofence diff", Text: strings.Join(append(worse, other...), "\n") + "\n"}
		} else if len(other) > 0 {
			tc.SystemOut = &junitText{strings.Join(other, "\n") + "\n"}
		}
		suite.add(tc)
	}
	suite.add(diffLimitCases(r)...)
	for _, c := range r.Lints {
		if c.State == diff.StateAbsent {
			continue
		}
		tc := junitCase{Classname: "lint", Name: c.Rule + " " + c.Subject}
		text := fmt.Sprintf("%s: %s %s (%s): %s\n", c.At, c.Severity, c.Rule, c.State, c.Message)
		if c.Effect == diff.EffectWorse {
			tc.Failure = &junitFailure{Message: c.Message, Type: "geofence " + c.Severity, Text: text}
		} else {
			tc.SystemOut = &junitText{text}
		}
		suite.add(tc)
	}
	return writeJUnit(w, "geofence diff", suite)
}

// diffLimitCases are a test case per population held to the blocking
// limit and per rate of a group with a limit, failing when worse.
func diffLimitCases(r *diff.Report) []junitCase {
	sd := r.Simulation
	if sd == nil {
		return nil
	}
	var cases []junitCase
	add := func(classname, name, effect, sentence string) {
		tc := junitCase{Classname: classname, Name: name}
		if effect == diff.EffectWorse {
			tc.Failure = &junitFailure{Message: sentence, Type: "geofence diff", Text: sentence + "\n"}
		} else if effect != diff.EffectNone {
			tc.SystemOut = &junitText{sentence + "\n"}
		}
		cases = append(cases, tc)
	}
	for _, b := range sd.Blocking {
		add(b.Population, check.BlockingFigure, b.Effect, diff.ChangeSentence("blocking", b.Blocking, b.Effect, *sd.MaxBlocking, sd.MaxBlockingSource, "--tolerate-blocking"))
	}
	for _, g := range sd.Groups {
		if g.Limit != nil {
			add("group "+g.Group, g.Figure, g.Effect, diff.GroupSentence(g))
		}
	}
	return cases
}

// effectSentence is a sentence about a change with its effect.
type effectSentence struct{ effect, text string }

// fenceSentences says what changed in one fence: its landings, its
// tolerance, its violation rate.
func fenceSentences(r *diff.Report, population, plane string) []effectSentence {
	var out []effectSentence
	for _, c := range r.Landings {
		if c.Population == population && c.Plane == plane && c.State != diff.StateUnchanged {
			out = append(out, effectSentence{c.Effect, c.At.String() + ": " + diff.LandingSentence(c)})
		}
	}
	for _, c := range r.Tolerances {
		if c.Population == population && c.Plane == plane {
			out = append(out, effectSentence{c.Effect, c.At.String() + ": failure tolerance " + check.ToleranceText(c.Old) + " → " + check.ToleranceText(c.New)})
		}
	}
	if r.Simulation != nil {
		for _, f := range r.Simulation.Fences {
			if f.Population == population && f.Plane == plane && f.Effect != diff.EffectNone {
				out = append(out, effectSentence{f.Effect, diff.RateSentence(f)})
			}
		}
	}
	return out
}

// add adds test cases to the suite, counting those that fail.
func (s *junitSuite) add(cases ...junitCase) {
	for _, tc := range cases {
		if tc.Failure != nil {
			s.Failures++
		}
		s.Cases = append(s.Cases, tc)
	}
	s.Tests = len(s.Cases)
}

// overrideProperties are a scenario's overrides and the same in words, as
// JUnit properties named with prefix; none when it has none.
func overrideProperties(prefix string, ref results.ScenarioRef) []junitProperty {
	if len(ref.Overrides) == 0 {
		return nil
	}
	return []junitProperty{
		{prefix + "overrides", OverridesText(ref.Overrides)},
		{prefix + "overrides_in_words", InWordsText(ref.InWords)},
	}
}

// limitCases are a test case per population held to the blocking limit
// (classname the population, name "blocking") and per limit of a group
// (classname "group ID", name the figure), failing when over it.
func limitCases(r *check.Report) []junitCase {
	var cases []junitCase
	for _, b := range r.Blocking {
		tc := junitCase{Classname: b.Population, Name: check.BlockingFigure}
		if !b.Passed {
			tc.Failure = &junitFailure{Message: b.Reason, Type: "geofence blocking", Text: fmt.Sprintf("blocking probability %s over %d replications, limit %s (%s)\n",
				check.RateWithInterval(b.Blocking), r.Replications, results.LimitText(*r.MaxBlocking), r.MaxBlockingSource)}
		}
		cases = append(cases, tc)
	}
	for _, g := range r.Groups {
		for _, gr := range g.Rates {
			if gr.Limit == nil {
				continue
			}
			tc := junitCase{Classname: "group " + g.ID, Name: gr.Figure}
			if !gr.Passed {
				tc.Failure = &junitFailure{Message: GroupFigure(gr.Figure) + " of its joins " + check.RateWithInterval(gr.Rate) + " exceeds " + results.LimitText(*gr.Limit), Type: "geofence group",
					Text: fmt.Sprintf("group %s: %s; %s of the joins of %s pooled, over %d replications, limit %s (%s)\n",
						g.ID, strings.Join(g.Reasons, "; "), GroupFigure(gr.Figure), GroupMembers(g), r.Replications, results.LimitText(*gr.Limit), results.FileLine(r.Scenario.File, g.At.Line, g.At.Column))}
			}
			cases = append(cases, tc)
		}
	}
	return cases
}

// junitTime writes d in seconds, as JUnit's time attributes hold it; ""
// (no attribute) for zero.
func junitTime(d time.Duration) string {
	if d <= 0 {
		return ""
	}
	return strconv.FormatFloat(d.Seconds(), 'f', 3, 64)
}

// writeJUnit writes an indented XML document, named name, of the one
// suite.
func writeJUnit(w io.Writer, name string, suite junitSuite) error {
	doc := junitSuites{Name: name, Tests: suite.Tests, Failures: suite.Failures, Time: suite.Time, Suites: []junitSuite{suite}}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return err
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(doc); err != nil {
		return err
	}
	_, err := io.WriteString(w, "\n")
	return err
}

// failureDetail is the body of a failing fence's test case: each static
// finding with its witness and scenario line, the simulated rate with its
// interval, and the top causes.
func failureDetail(r *check.Report, fc check.Fence) string {
	var b strings.Builder
	for _, f := range fc.Static {
		fmt.Fprintf(&b, "statically reachable: %s, let in by %s at %s\n", check.Reachable(f.Finding), f.Path, results.FileLine(cmp.Or(f.File, r.Scenario.File), f.Line, f.Column))
	}
	if fc.ViolationRate != nil {
		fmt.Fprintf(&b, "simulated violation rate %s over %d replications, limit %s (%s)\n",
			check.RateWithInterval(*fc.ViolationRate), r.Replications, results.LimitText(fc.Limit), fc.LimitSource)
	}
	for _, c := range fc.Causes[:min(len(fc.Causes), maxCheckCauses)] {
		fmt.Fprintf(&b, "cause: %s; %s per replication\n", results.CauseSentence(c), EstimateCell(c.Count, Count, r.Replications))
	}
	return b.String()
}

// lintLines writes one line per lint (see lintLine).
func lintLines(r *check.Report) string {
	var b strings.Builder
	for _, l := range r.Lints {
		b.WriteString(r.LintLine(l) + "\n")
	}
	return b.String()
}
