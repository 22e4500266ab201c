package check

import (
	"cmp"
	"fmt"
	"slices"
	"time"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/legend"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/fence"
	"github.com/geofence/geofence/scenarios/lint"
	"github.com/geofence/geofence/sim"
)

// Kind is the kind of a check's result.
const Kind = "check"

// FormatVersion is the version of the Report's JSON layout. It
// changes when a field is renamed or removed, not when one is added.
const FormatVersion = 1

// Input is everything a policy check decides on, computed by the
// caller.
type Input struct {
	Scenario *scenarios.Scenario // validated, with its Source when loaded from a file
	Meta     results.Meta
	Static   []fence.Fence // fence.Analyze(Scenario)
	Lints    []lint.Lint
	Report   *results.Report // the simulation's summary; nil for a static-only check
	// Limits is the highest violation rate each plane may have, and
	// LimitSource says where each limit came from ("default", "scenario
	// run.max_violation_rate", "--max-violation-rate", ...).
	Limits      [sim.NumPlanes]float64
	LimitSource [sim.NumPlanes]string
	// MinTolerance, when set, lets a fence pass statically if every
	// forbidden landing needs at least that many datacenters full or down;
	// when nil, any forbidden landing in any state fails the fence.
	MinTolerance *int
	// Decide is the figure a simulated rate is held to its limit by:
	// DecideMean (the point estimate, the default) or DecideUpper (its
	// one-sided 95% upper bound).
	Decide string
	// FailOn is the least severity of lint that fails the check:
	// SeverityError (the default: no lint does), lint.Warning or lint.Note.
	FailOn string
	// Accepted are the risks accepted in the scenario and in --accept
	// files, judged on Date (the day of the run, or --date): a finding one
	// that holds matches is accepted rather than failed.
	Accepted []scenarios.Accepted
	Date     time.Time
	Baseline *Baseline // optional
	// MaxBlocking, when set, is the highest blocking probability each
	// population may have, judged as Decide says, and MaxBlockingSource
	// where it came from ("--max-blocking", MaxBlockingInScenario).
	MaxBlocking       *float64
	MaxBlockingSource string
}

// The figures a check can decide on.
const (
	DecideMean  = "mean"
	DecideUpper = "upper"
)

// SeverityError is the severity of what fails a check whatever --fail-on
// says: forbidden landings and violation rates. Lints are lint.Warning or
// lint.Note.
const SeverityError = "error"

// severityRank orders severities, error highest; 0 for an unknown one.
func severityRank(severity string) int {
	switch severity {
	case SeverityError:
		return 3
	case lint.Warning:
		return 2
	case lint.Note:
		return 1
	}
	return 0
}

// failsAt reports whether a lint of severity fails a build that fails on
// failOn (SeverityError, lint.Warning or lint.Note; "" means SeverityError).
func FailsAt(severity, failOn string) bool {
	return severityRank(severity) >= severityRank(cmp.Or(failOn, SeverityError))
}

// Baseline is a comparison of this run with a baseline run of the
// same system.
type Baseline struct {
	Scenario results.ScenarioRef `json:"scenario"`
	results.Comparison
}

// Report is the verdict of a policy check and everything it rests on.
type Report struct {
	results.Header
	Scenario     results.ScenarioRef `json:"scenario"`
	Seed         uint64              `json:"seed"`
	Replications int                 `json:"replications"` // 0 for a static-only check
	// Start, HorizonS and BucketS place the causes' time buckets as the
	// run report does; zero for a static-only check.
	Start    string  `json:"start"`
	HorizonS float64 `json:"horizon_s"`
	BucketS  float64 `json:"bucket_s"`
	Passed   bool    `json:"passed"`
	// MinTolerance is the failure tolerance a fence needed to pass
	// statically; null when any forbidden landing failed it.
	MinTolerance *int `json:"min_tolerance"`
	// DecidedBy is the figure simulated rates were held to their limits
	// by: "mean" or "upper".
	DecidedBy string `json:"decided_by"`
	// FailOn is the least severity of lint that fails the check: "error"
	// (no lint does), "warning" or "note".
	FailOn string `json:"fail_on"`
	// Date is the day (YYYY-MM-DD, UTC) accepted risks were judged on; ""
	// when there were none.
	Date string `json:"date"`
	// Failures says why the check failed, one sentence per reason, in
	// fence order.
	Failures []string `json:"failures"`
	Fences   []Fence  `json:"fences"`
	// MaxBlocking is the highest blocking probability each population may
	// have, MaxBlockingSource where it came from and MaxBlockingAt where
	// the scenario sets it; absent when there is none. Blocking holds
	// each population's blocking to it.
	MaxBlocking       *float64          `json:"max_blocking,omitempty"`
	MaxBlockingSource string            `json:"max_blocking_source,omitempty"`
	MaxBlockingAt     *results.Location `json:"max_blocking_at,omitempty"`
	Blocking          []BlockingCheck   `json:"blocking,omitempty"`
	// Groups are the scenario's groups of populations held to their
	// limits on their joins pooled; absent when it has none, or for a
	// static-only check.
	Groups []GroupCheck `json:"groups,omitempty"`
	Lints  []Lint       `json:"lints"`
	// Accepted are the accepted risks, each judged: it holds, has
	// expired, or matches no finding.
	Accepted    []Acceptance        `json:"accepted"`
	Baseline    *Baseline           `json:"baseline"`
	Definitions []legend.Definition `json:"definitions"`
	// Simulation is the report of the simulated run the check rests on:
	// every figure, series and landing; null for a static-only check.
	Simulation *results.Report `json:"simulation"`
}

// Lint is a lint as a check reports it.
type Lint struct {
	lint.Lint
	// Subject is the lint's path with list items named by ids, the same
	// in every version of the scenario (see legend.Diff's "entry, subject").
	Subject string `json:"subject"`
	// Fails is set when the lint's severity is at least the check's
	// fail_on: it fails the check.
	Fails bool `json:"fails"`
}

// Fence is the check of one population's fence for one plane.
type Fence struct {
	Population string   `json:"population"`
	Plane      string   `json:"plane"`
	Allowed    []string `json:"allowed"` // jurisdictions the policy allows, groups expanded
	// Policy is the allow list as the matching policy rule writes it,
	// groups unexpanded; empty when no rule selects the population.
	Policy []string `json:"policy"`
	// PolicyAt locates that allow list in the scenario file; null when no
	// rule selects the population.
	PolicyAt *results.Location `json:"policy_at"`
	// Tolerance is the least number of datacenters that must be full or
	// down before a client lands outside the fence; -1 when no state does.
	Tolerance int             `json:"tolerance"`
	Static    []StaticFinding `json:"static"`
	// The simulated figures; nil for a static-only check.
	Violations       *results.Estimate `json:"violations"`
	ViolationRate    *results.Estimate `json:"violation_rate"`
	ViolatingMinutes *results.Estimate `json:"violating_minutes"`
	// ReplicationsWithViolations is the replications that had any; nil
	// for a static-only check.
	ReplicationsWithViolations *results.Proportion `json:"replications_with_violations"`
	Limit                      float64             `json:"limit"`
	LimitSource                string              `json:"limit_source"`
	// Causes are the Report's causes of this fence's violations, most
	// frequent first; TopCauseAt is where the first of them lets
	// violations in (nil when there is none).
	Causes     []results.CauseReport `json:"causes"`
	TopCauseAt *results.Location     `json:"top_cause_at"`
	Passed     bool                  `json:"passed"`
	Reasons    []string              `json:"reasons"` // why it failed, one sentence each
	// Accepted says what would have failed the fence but is an accepted
	// risk, one sentence each; RateAcceptedBy is the index in the report's
	// accepted list of the acceptance that accepts its simulated rate (every
	// cause of its violations being accepted), null when none does.
	Accepted       []string `json:"accepted"`
	RateAcceptedBy *int     `json:"rate_accepted_by"`
}

// StaticFinding is a forbidden datacenter the fence lets in, with the
// line and column of Path in the scenario file (0 when unknown).
type StaticFinding struct {
	fence.Finding
	// File is the file the entry stands in when it is not the scenario:
	// a file the scenario imports routing from.
	File   string `json:"file,omitempty"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
	// Entry names the primary or whitelist entry Path locates by ids, the
	// same in every version of the scenario, e.g.
	// "routing.whitelists.intl-backup[cn-bj-1]".
	Entry string `json:"entry"`
	// AcceptedBy is the index in the report's accepted list of the
	// acceptance that accepts the finding; null when none does.
	AcceptedBy *int `json:"accepted_by"`
}

// Check decides whether the scenario keeps its geofence. A fence fails
// when some state of the system lets a client land at a forbidden
// datacenter (a static finding), or when its simulated violation rate
// exceeds its plane's limit, judged as in.Decide says (see exceeds). The
// check passes when no fence fails, no lint has at least FailOn's severity
// (by default none does) and no accepted risk has expired or matches
// nothing.
func Check(in Input) *Report {
	s := in.Scenario
	r := &Report{
		Header:       results.Header{Kind: Kind, FormatVersion: FormatVersion, Tool: in.Meta.Tool, Version: in.Meta.Version},
		Scenario:     results.ScenarioRefOf(s, in.Meta),
		Seed:         in.Meta.Seed,
		Passed:       true,
		Failures:     []string{},
		Fences:       []Fence{},
		Lints:        []Lint{},
		Baseline:     in.Baseline,
		MinTolerance: in.MinTolerance,
		DecidedBy:    cmp.Or(in.Decide, DecideMean),
		FailOn:       cmp.Or(in.FailOn, SeverityError),
		Date:         dateText(in),
		Definitions:  legend.Check(),
	}
	accepted := NewAcceptances(s, in.Accepted, in.Date)
	if in.Report != nil {
		r.Simulation = in.Report
		r.Replications, r.Start, r.HorizonS, r.BucketS = in.Report.Replications, in.Report.Start, in.Report.HorizonS, in.Report.BucketS
	}
	for pi := range s.Populations {
		p := &s.Populations[pi]
		for plane := range sim.NumPlanes {
			fc := checkFence(in, p, plane, accepted)
			if !fc.Passed {
				r.Passed = false
				for _, reason := range fc.Reasons {
					r.Failures = append(r.Failures, fc.Population+" "+fc.Plane+": "+reason)
				}
			}
			r.Fences = append(r.Fences, fc)
		}
	}
	r.judgeLimits(in)
	for _, l := range in.Lints {
		cl := Lint{Lint: l, Subject: s.Subject(l.Path), Fails: FailsAt(l.Severity, r.FailOn)}
		if cl.Fails {
			r.Passed = false
			r.Failures = append(r.Failures, fmt.Sprintf("%s %s at %s: %s", l.Severity, l.Rule, l.Path, l.Message))
		}
		r.Lints = append(r.Lints, cl)
	}
	if failures := accepted.judge(); len(failures) > 0 {
		r.Passed = false
		r.Failures = append(r.Failures, failures...)
	}
	r.Accepted = accepted.list
	return r
}

// checkFence checks the fence of population p for plane; what would fail
// it but an acceptance holds for is accepted instead.
func checkFence(in Input, p *scenarios.Population, plane sim.Plane, accepted *acceptances) Fence {
	s := in.Scenario
	name := scenarios.Planes[plane]
	fc := Fence{
		Population:  string(p.ID),
		Plane:       string(name),
		Allowed:     s.Allowed(p, name),
		Tolerance:   -1,
		Static:      []StaticFinding{},
		Limit:       in.Limits[plane],
		LimitSource: in.LimitSource[plane],
		Causes:      []results.CauseReport{},
		Passed:      true,
		Reasons:     []string{},
		Accepted:    []string{},
	}
	if fc.Allowed == nil {
		fc.Allowed = []string{}
	}
	fc.Policy = []string{}
	if rule := s.RuleFor(p); rule >= 0 {
		for _, c := range s.Policy[rule].Allow.For(name) {
			fc.Policy = append(fc.Policy, string(c))
		}
		path := fmt.Sprintf("policy[%d].allow.%s", rule, name)
		pos := s.Source.Pos(path)
		fc.PolicyAt = &results.Location{Path: path, File: pos.File, Line: pos.Line, Column: pos.Column}
	}
	if i := slices.IndexFunc(in.Static, func(f fence.Fence) bool { return f.Population == fc.Population && f.Plane == name }); i >= 0 {
		f := in.Static[i]
		fc.Tolerance = f.Tolerance
		for _, finding := range f.Findings {
			pos := s.Source.Pos(finding.Path)
			sf := StaticFinding{Finding: finding, File: pos.File, Line: pos.Line, Column: pos.Column, Entry: s.Subject(finding.Path)}
			what := LandingName(finding)
			if by := accepted.accept(fc.Population, fc.Plane, finding.Datacenter, finding.Jurisdiction, what); by >= 0 {
				sf.AcceptedBy = &by
				fc.Accepted = append(fc.Accepted, acceptedSentence(what, accepted.list[by]))
			}
			fc.Static = append(fc.Static, sf)
		}
	}
	if failing := TooFragile(fc.Static, in.MinTolerance); len(failing) > 0 {
		fc.Passed = false
		reason := "statically reachable: "
		if in.MinTolerance != nil {
			reason = fmt.Sprintf("tolerance %d is below the %d required: ", fc.Tolerance, *in.MinTolerance)
		}
		fc.Reasons = append(fc.Reasons, reason+reachableList(failing))
	}
	if in.Report == nil {
		return fc
	}
	if i := slices.IndexFunc(in.Report.Populations, func(pr results.PopulationReport) bool { return pr.ID == fc.Population }); i >= 0 {
		figures := &in.Report.Populations[i].Figures
		fc.Violations = copyOf(*figures.Violations.At(plane))
		fc.ViolationRate = copyOf(*figures.ViolationRate.At(plane))
		fc.ViolatingMinutes = copyOf(*figures.ViolatingMinutes.At(plane))
		days := *figures.ReplicationsWithViolations.At(plane)
		fc.ReplicationsWithViolations = &days
	}
	for _, c := range in.Report.Causes {
		if c.Population == fc.Population && c.Plane == fc.Plane {
			fc.Causes = append(fc.Causes, c)
		}
	}
	if len(fc.Causes) > 0 {
		at := fc.Causes[0].At
		fc.TopCauseAt = &at
	}
	rate := fc.ViolationRate
	if rate == nil || !Exceeds(*rate, fc.Limit, in.Decide) {
		return fc
	}
	if by := acceptedCauses(fc, accepted); by >= 0 {
		fc.RateAcceptedBy = &by
		fc.Accepted = append(fc.Accepted, acceptedSentence("violation rate "+RateWithInterval(*rate)+" over "+results.LimitText(fc.Limit)+", every cause at an accepted datacenter,", accepted.list[by]))
		return fc
	}
	fc.Passed = false
	fc.Reasons = append(fc.Reasons, exceedsSentence("violation rate", "no violation", *rate, fc.Limit, fc.LimitSource, in.Decide))
	return fc
}

// exceeds reports whether rate breaks limit when judged by decide: the
// point estimate by default, so that the interval shows how close the call
// was; the one-sided upper bound under DecideUpper, so that a rate no
// replication saw still fails a limit below what the runs can rule out.
func Exceeds(rate results.Estimate, limit float64, decide string) bool {
	if decide == DecideUpper {
		return !(rate.Upper <= limit) // NaN (no joins) fails: nothing was shown
	}
	return rate.Mean > limit
}

// acceptedCauses reports whether acceptances that hold cover every cause
// of the fence's simulated violations, and returns the first cause's
// acceptance (recording the match in every one that covers a cause); -1
// when some cause is not covered, or there is none to cover.
func acceptedCauses(fc Fence, accepted *acceptances) int {
	if len(fc.Causes) == 0 {
		return -1
	}
	for _, c := range fc.Causes {
		if !accepted.covered(fc.Population, fc.Plane, c.Datacenter, c.Jurisdiction) {
			return -1
		}
	}
	first := -1
	for _, c := range fc.Causes {
		by := accepted.accept(fc.Population, fc.Plane, c.Datacenter, c.Jurisdiction, "violation rate")
		if first < 0 {
			first = by
		}
	}
	return first
}

// tooFragile returns the findings that fail their fence: those no
// acceptance accepts whose witness is smaller than minTolerance, or all
// of them when there is no minimum.
func TooFragile(findings []StaticFinding, minTolerance *int) []StaticFinding {
	var out []StaticFinding
	for _, f := range findings {
		if f.AcceptedBy == nil && (minTolerance == nil || len(f.Witness) < *minTolerance) {
			out = append(out, f)
		}
	}
	return out
}

// copyOf returns a pointer to a copy of e, so that a check report does not
// share estimates with the Report it was made from.
func copyOf(e results.Estimate) *results.Estimate { return &e }
