package diff

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/legend"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/fence"
	"github.com/geofence/geofence/scenarios/lint"
	"github.com/geofence/geofence/sim"
)

// Kind is the kind of a Report's JSON.
const Kind = "diff"

// FormatVersion is the version of the Report's JSON layout. It
// changes when a field is renamed or removed, not when one is added.
const FormatVersion = 1

// The states of an item in a diff, as SARIF's baselineState names them:
// in NEW only, in OLD only, in both but different, in both the same.
const (
	StateNew       = "new"
	StateAbsent    = "absent"
	StateUpdated   = "updated"
	StateUnchanged = "unchanged"
)

// The effects of a change on the geofence.
const (
	EffectWorse    = "worse"    // NEW breaks a fence OLD kept, or breaks it more easily
	EffectImproved = "improved" // the reverse
	EffectNeutral  = "neutral"  // a difference, neither better nor worse for the fences
	EffectNone     = "none"     // no difference
)

// What makes a diff fail (exit status 1): the kinds of --exit-on.
const (
	ExitOnWorse    = "worse"    // something got worse
	ExitOnImproved = "improved" // something got better
	ExitOnChanged  = "changed"  // anything differs
)

// Side is one version of a scenario with what a diff compares of it.
type Side struct {
	Scenario *scenarios.Scenario // validated, with its Source when loaded from a file
	Meta     results.Meta
	Static   []fence.Fence // fence.Analyze(Scenario)
	Lints    []lint.Lint
	Report   *results.Report // the simulation's summary; nil for a static-only diff
}

// Input is everything a diff of two versions of a scenario decides on,
// computed by the caller: both simulated on the same seed and replications
// (common random numbers), or neither.
type Input struct {
	Old, New Side
	Settings
}

// Settings are what a diff judges the change by: the limits and
// tolerances of the rates, what fails it, and the risks it accepts.
type Settings struct {
	// Limits and LimitSource are each plane's highest violation rate and
	// where it came from, as for a check (of NEW).
	Limits      [sim.NumPlanes]float64
	LimitSource [sim.NumPlanes]string
	// Tolerate is the rise of a violation rate, in violations per join
	// offered, that a diff lets pass while the rate stays under its limit.
	Tolerate float64
	// MaxBlocking, when set, is the blocking limit of every population
	// (from MaxBlockingSource), and TolerateBlocking the rise of blocking a
	// diff lets pass while it stays under the limit (nil: any, so that
	// only the limit judges it).
	MaxBlocking       *float64
	MaxBlockingSource string
	TolerateBlocking  *float64
	// FailOn is the least severity of lint whose appearance makes the
	// diff worse: SeverityError (the default: no lint does), lint.Warning
	// or lint.Note.
	FailOn string
	// ExitOn is the kind of change that fails the diff: ExitOnWorse (the
	// default), ExitOnImproved or ExitOnChanged.
	ExitOn string
	// Accepted are NEW's accepted risks (its scenario's and --accept
	// files'), judged on Date: a change they cover is not worse.
	Accepted []scenarios.Accepted
	Date     time.Time
}

// Report is what changed from one version of a scenario (OLD) to
// another (NEW): statically, the forbidden landings, failure tolerances,
// lints and routing; by simulation, the paired change of every figure.
type Report struct {
	results.Header
	Old          results.ScenarioRef `json:"old"`
	New          results.ScenarioRef `json:"new"`
	Seed         uint64              `json:"seed"`
	Replications int                 `json:"replications"` // 0 for a static-only diff
	Tolerate     float64             `json:"tolerate"`
	FailOn       string              `json:"fail_on"`
	ExitOn       string              `json:"exit_on"`
	// Worse and Improved say what got worse and what better, one sentence
	// each, starting with where (file:line:column) when known; Accepted
	// what would be worse but an accepted risk of NEW covers.
	Worse    []string `json:"worse"`
	Improved []string `json:"improved"`
	Accepted []string `json:"accepted"`
	// Date is the day (YYYY-MM-DD, UTC) accepted risks were judged on; ""
	// when there were none.
	Date string `json:"date"`
	// Changed is set when the diff shows any difference at all.
	Changed bool `json:"changed"`
	// Failed is set when the diff has a change of the kind ExitOn names:
	// the command exits 1.
	Failed      bool                `json:"failed"`
	Summary     Summary             `json:"summary"`
	Fences      []FenceChange       `json:"fences"`
	Landings    []LandingChange     `json:"landings"`
	Tolerances  []ToleranceChange   `json:"tolerances"`
	Lints       []LintChange        `json:"lints"`
	Routing     []RoutingChange     `json:"routing"`
	Simulation  *SimulationDiff     `json:"simulation"` // null for a static-only diff
	Definitions []legend.Definition `json:"definitions"`
}

// Summary counts the diff's items, before the detail.
type Summary struct {
	Landings         StateCounts `json:"landings"`
	Lints            StateCounts `json:"lints"`
	ToleranceLower   int         `json:"tolerance_lower"`
	ToleranceHigher  int         `json:"tolerance_higher"`
	RoutingChanges   int         `json:"routing_changes"`
	RatesWorse       int         `json:"rates_worse"`
	RatesImproved    int         `json:"rates_improved"`
	SignificantRates int         `json:"significant_rates"` // fences whose violation rate changed significantly, either way
}

// StateCounts counts items by state.
type StateCounts struct {
	New       int `json:"new"`
	Absent    int `json:"absent"`
	Updated   int `json:"updated"`
	Unchanged int `json:"unchanged"`
}

// add counts one item in state.
func (c *StateCounts) add(state string) {
	switch state {
	case StateNew:
		c.New++
	case StateAbsent:
		c.Absent++
	case StateUpdated:
		c.Updated++
	default:
		c.Unchanged++
	}
}

// Location is a value in one version's scenario file.
type Location struct {
	Version string `json:"version"` // "old" or "new"
	File    string `json:"file"`
	Path    string `json:"path"`   // as scenarios.Source.Pos takes it
	Line    int    `json:"line"`   // 0 when unknown
	Column  int    `json:"column"` // 0 when unknown
	// SetBy is the override that set the value, e.g.
	// "--set routing.whitelists[kms-pool]+=cn-bj-3", when the file no
	// longer holds it; "" otherwise.
	SetBy string `json:"set_by"`
}

// String says where the value is: "file:line:column", the file alone
// when the line is unknown, or the override that set it.
func (l Location) String() string {
	if l.SetBy != "" {
		return l.SetBy
	}
	return results.FileLine(l.File, l.Line, l.Column)
}

// FenceChange is one fence — a population's plane — of either version,
// with the worst effect of what changed in it: its landings, its failure
// tolerance, its simulated violation rate.
type FenceChange struct {
	Population string `json:"population"`
	Plane      string `json:"plane"`
	// State is new or absent for a fence of a population only one version
	// has (or routes), updated when anything of it changed, else unchanged.
	State  string `json:"state"`
	Effect string `json:"effect"` // worse over improved over neutral over none
	// OldTolerance and NewTolerance are each version's failure tolerance
	// (-1: no state breaks the fence, or the version has no such fence).
	OldTolerance int `json:"old_tolerance"`
	NewTolerance int `json:"new_tolerance"`
}

// LandingChange is a forbidden datacenter that one version or both let a
// population reach: population × plane × route (via) × datacenter.
type LandingChange struct {
	State        string `json:"state"`
	Effect       string `json:"effect"`
	Population   string `json:"population"`
	Plane        string `json:"plane"`
	Via          string `json:"via"`
	Datacenter   string `json:"datacenter"`
	Jurisdiction string `json:"jurisdiction"` // NEW's; OLD's when absent
	// Policy is the fence's allow list as its policy rule writes it
	// (groups by name), and PolicyAt where it stands: NEW's, OLD's when
	// absent; PolicyAt is null when no rule selects the population.
	Policy   []string  `json:"policy"`
	PolicyAt *Location `json:"policy_at"`
	// Witness is what must be full or down for the landing: NEW's, OLD's
	// when absent; OldWitness is OLD's when the landing is in both.
	Witness    []string `json:"witness"`
	OldWitness []string `json:"old_witness"`
	// Entry names the primary or whitelist entry that lets the landing in
	// by ids, the same in both versions (e.g.
	// "routing.whitelists.kms-pool[cn-bj-1]"); At locates it in NEW (in
	// OLD when absent), and OldAt in OLD when the landing is in both.
	Entry string    `json:"entry"`
	At    Location  `json:"at"`
	OldAt *Location `json:"old_at"`
	// Accepted is the acceptance that keeps a landing that would be
	// worse from counting as worse; null when none does.
	Accepted *check.AcceptedRisk `json:"accepted"`
}

// ToleranceChange is a fence whose failure tolerance changed (-1: no
// state breaks it).
type ToleranceChange struct {
	Population string `json:"population"`
	Plane      string `json:"plane"`
	Old        int    `json:"old"`
	New        int    `json:"new"`
	Effect     string `json:"effect"`
	// At locates the entry of the landing that sets the lower of the two
	// tolerances: NEW's when it fell, OLD's when it rose.
	At Location `json:"at"`
	// Accepted is set when it fell only through landings that accepted
	// risks cover.
	Accepted *check.AcceptedRisk `json:"accepted"`
}

// LintChange is a lint of one version or both, matched across versions by
// its rule and subject.
type LintChange struct {
	State    string `json:"state"`
	Effect   string `json:"effect"`
	Rule     string `json:"rule"`
	Severity string `json:"severity"`
	// Subject is the lint's path with list items named by ids (see
	// LandingChange.Entry), what lints are matched by.
	Subject    string   `json:"subject"`
	Message    string   `json:"message"`     // NEW's; OLD's when absent
	OldMessage string   `json:"old_message"` // OLD's when updated, else ""
	At         Location `json:"at"`          // in NEW; in OLD when absent
}

// RoutingChange is one difference in the routing, policy or the
// datacenters, populations and groups they name.
type RoutingChange struct {
	State   string   `json:"state"`   // new: added; absent: removed; updated: changed
	Subject string   `json:"subject"` // what changed, named by ids
	Change  string   `json:"change"`  // a sentence
	At      Location `json:"at"`      // in NEW; in OLD for what was removed
}

// SimulationDiff is the paired comparison of the two versions' simulated
// runs, both on the same seed and replications: every population's
// figures (Comparison, "baseline" being OLD and "this" NEW) and each
// fence's violation rate judged against its limit.
type SimulationDiff struct {
	Replications int `json:"replications"`
	results.Comparison
	Fences []RateChange `json:"fences"`
	// MaxBlocking and MaxBlockingSource are the blocking limit and where it
	// came from, and Blocking every population's blocking judged against
	// it; absent without a limit.
	MaxBlocking       *float64         `json:"max_blocking,omitempty"`
	MaxBlockingSource string           `json:"max_blocking_source,omitempty"`
	TolerateBlocking  *float64         `json:"tolerate_blocking,omitempty"`
	Blocking          []BlockingChange `json:"blocking,omitempty"`
	// Groups are the rates of NEW's groups of populations, pooled and
	// paired; absent when NEW has none.
	Groups []GroupChange `json:"groups,omitempty"`
}

// RateChange is the paired change of one fence's simulated violation
// rate.
type RateChange struct {
	Population    string             `json:"population"`
	Plane         string             `json:"plane"`
	ViolationRate results.Difference `json:"violation_rate"`
	Limit         float64            `json:"limit"`
	LimitSource   string             `json:"limit_source"`
	Effect        string             `json:"effect"`
	// TopCauseAt locates the entry that lets most of the fence's simulated
	// violations in: in NEW, or in OLD when NEW has none; null when
	// neither has any.
	TopCauseAt *Location `json:"top_cause_at"`
	// Accepted is set when a rate that would be worse has every cause of
	// NEW's violations at a datacenter an accepted risk covers.
	Accepted *check.AcceptedRisk `json:"accepted"`
}

// Diff compares two versions of a scenario. Landings, lints and routing
// are matched by what they are, not by where they stand in the files, so
// that an edit that only moves things shows no difference.
//
// A change is worse when NEW lets a population land at a forbidden
// datacenter OLD did not, lets it land there with fewer datacenters full
// or down (a smaller witness), lowers a fence's failure tolerance, raises
// a violation rate significantly and either above its limit or by more
// than Tolerate, or brings a lint of at least FailOn's severity. The
// reverse of each is an improvement. Anything else the diff shows (routing
// changes, lints below FailOn, significant changes of blocking, secondary
// share or latency, rate rises within Tolerate and the limit) is a change
// that is neither.
func Diff(in Input) *Report {
	r := &Report{
		Header:      results.Header{Kind: Kind, FormatVersion: FormatVersion, Tool: in.New.Meta.Tool, Version: in.New.Meta.Version},
		Old:         scenarioRef(in.Old),
		New:         scenarioRef(in.New),
		Seed:        in.New.Meta.Seed,
		Tolerate:    in.Tolerate,
		FailOn:      cmp.Or(in.FailOn, check.SeverityError),
		ExitOn:      cmp.Or(in.ExitOn, ExitOnWorse),
		Worse:       []string{},
		Improved:    []string{},
		Accepted:    []string{},
		Definitions: legend.Diff(),
	}
	if len(in.Accepted) > 0 {
		r.Date = in.Date.UTC().Format(check.DateLayout)
	}
	r.Landings = diffLandings(in)
	r.Tolerances = diffTolerances(in)
	r.Lints = diffLints(in, r.FailOn)
	r.Routing = diffRouting(in.Old, in.New)
	if in.Old.Report != nil && in.New.Report != nil {
		r.Simulation = diffSimulation(in)
		r.Replications = r.Simulation.Replications
	}
	r.accept(in)
	r.Fences = diffFences(in, r)
	r.judge()
	return r
}

// accept turns what would be worse but NEW's accepted risks cover into a
// neutral change, saying which acceptance covers it: a landing the
// acceptance names; a fall in tolerance whose every worse landing is
// covered; a rate rise whose every cause in NEW is.
func (r *Report) accept(in Input) {
	if len(in.Accepted) == 0 {
		return
	}
	acc := check.NewAcceptances(in.New.Scenario, in.Accepted, in.Date)
	covered := map[fenceKey]*check.AcceptedRisk{}
	uncovered := map[fenceKey]bool{}
	for i := range r.Landings {
		c := &r.Landings[i]
		if c.Effect != EffectWorse {
			continue
		}
		k := fenceKey{c.Population, c.Plane}
		if by := acc.Holding(c.Population, c.Plane, c.Datacenter, c.Jurisdiction); by >= 0 {
			c.Effect, c.Accepted = EffectNeutral, acc.Risk(by)
			covered[k] = c.Accepted
			continue
		}
		uncovered[k] = true
	}
	for i := range r.Tolerances {
		c := &r.Tolerances[i]
		k := fenceKey{c.Population, c.Plane}
		if c.Effect == EffectWorse && covered[k] != nil && !uncovered[k] {
			c.Effect, c.Accepted = EffectNeutral, covered[k]
		}
	}
	if r.Simulation == nil {
		return
	}
	for i := range r.Simulation.Fences {
		f := &r.Simulation.Fences[i]
		if f.Effect != EffectWorse {
			continue
		}
		first, all := -1, false
		for _, c := range in.New.Report.Causes {
			if c.Population != f.Population || c.Plane != f.Plane {
				continue
			}
			by := acc.Holding(c.Population, c.Plane, c.Datacenter, c.Jurisdiction)
			if all = by >= 0; !all {
				break
			}
			if first < 0 {
				first = by
			}
		}
		if all {
			f.Effect, f.Accepted = EffectNeutral, acc.Risk(first)
		}
	}
}

// fenceKey names a fence.
type fenceKey struct{ population, plane string }

// diffFences lists NEW's fences, then those only OLD has, each with the
// worst effect of its landings, tolerance and violation rate.
func diffFences(in Input, r *Report) []FenceChange {
	effects := map[fenceKey][]string{}
	add := func(population, plane, effect string) {
		k := fenceKey{population, plane}
		effects[k] = append(effects[k], effect)
	}
	for _, c := range r.Landings {
		add(c.Population, c.Plane, c.Effect)
	}
	for _, c := range r.Tolerances {
		add(c.Population, c.Plane, c.Effect)
	}
	if r.Simulation != nil {
		for _, c := range r.Simulation.Fences {
			add(c.Population, c.Plane, c.Effect)
		}
	}
	tolerance := func(fences []fence.Fence) map[fenceKey]int {
		out := map[fenceKey]int{}
		for _, f := range fences {
			out[fenceKey{f.Population, string(f.Plane)}] = f.Tolerance
		}
		return out
	}
	oldTolerance, newTolerance := tolerance(in.Old.Static), tolerance(in.New.Static)
	out := []FenceChange{}
	fc := func(f fence.Fence, state string) FenceChange {
		k := fenceKey{f.Population, string(f.Plane)}
		c := FenceChange{Population: f.Population, Plane: string(f.Plane), State: state, Effect: Worst(effects[k]), OldTolerance: -1, NewTolerance: -1}
		if t, ok := oldTolerance[k]; ok {
			c.OldTolerance = t
		}
		if t, ok := newTolerance[k]; ok {
			c.NewTolerance = t
		}
		if c.State == StateUnchanged && c.Effect != EffectNone {
			c.State = StateUpdated
		}
		return c
	}
	for _, f := range in.New.Static {
		state := StateNew
		if _, ok := oldTolerance[fenceKey{f.Population, string(f.Plane)}]; ok {
			state = StateUnchanged
		}
		out = append(out, fc(f, state))
	}
	for _, f := range in.Old.Static {
		if _, ok := newTolerance[fenceKey{f.Population, string(f.Plane)}]; !ok {
			out = append(out, fc(f, StateAbsent))
		}
	}
	return out
}

// Worst is the strongest of effects: worse, improved, neutral, none.
func Worst(effects []string) string {
	for _, e := range []string{EffectWorse, EffectImproved, EffectNeutral} {
		if slices.Contains(effects, e) {
			return e
		}
	}
	return EffectNone
}

// scenarioRef identifies one side's scenario.
func scenarioRef(side Side) results.ScenarioRef {
	return results.ScenarioRef{Name: side.Scenario.Name, File: side.Meta.File, SHA256: side.Meta.SHA256, Imports: side.Meta.Imports, Overrides: append([]string{}, side.Meta.Overrides...), InWords: side.Meta.InWords}
}

// locate finds path in one side's file.
func locate(side Side, version, path string) Location {
	src := side.Scenario.Source
	pos := src.Pos(path)
	l := Location{Version: version, File: cmp.Or(pos.File, side.Meta.File), Path: path, Line: pos.Line, Column: pos.Column}
	if o, ok := src.OverriddenBy(path); ok {
		l.SetBy = strings.TrimSpace(o.Origin + " " + o.String())
	}
	return l
}

// landingKey is what makes two static findings the same landing.
type landingKey struct{ population, plane, via, datacenter string }

func landingOf(f fence.Finding) landingKey {
	return landingKey{f.Population, string(f.Plane), string(f.Via), f.Datacenter}
}

// diffLandings matches the two versions' static findings: NEW's in fence
// order (new, updated or unchanged), then OLD's that NEW has not (absent).
func diffLandings(in Input) []LandingChange {
	oldFindings := map[landingKey]fence.Finding{}
	for _, f := range in.Old.Static {
		for _, finding := range f.Findings {
			oldFindings[landingOf(finding)] = finding
		}
	}
	out := []LandingChange{}
	seen := map[landingKey]bool{}
	for _, f := range in.New.Static {
		for _, finding := range f.Findings {
			k := landingOf(finding)
			seen[k] = true
			c := landingChange(in.New, "new", finding)
			old, ok := oldFindings[k]
			if !ok {
				c.State, c.Effect = StateNew, EffectWorse
				out = append(out, c)
				continue
			}
			oldAt := locate(in.Old, "old", old.Path)
			c.OldAt, c.OldWitness = &oldAt, slices.Clone(old.Witness)
			c.State, c.Effect = StateUnchanged, EffectNone
			if !sameSet(old.Witness, finding.Witness) || in.Old.Scenario.Subject(old.Path) != c.Entry || old.Jurisdiction != finding.Jurisdiction {
				c.State = StateUpdated
				switch {
				case len(finding.Witness) < len(old.Witness):
					c.Effect = EffectWorse
				case len(finding.Witness) > len(old.Witness):
					c.Effect = EffectImproved
				default:
					c.Effect = EffectNeutral
				}
			}
			out = append(out, c)
		}
	}
	for _, f := range in.Old.Static {
		for _, finding := range f.Findings {
			if !seen[landingOf(finding)] {
				c := landingChange(in.Old, "old", finding)
				c.State, c.Effect = StateAbsent, EffectImproved
				out = append(out, c)
			}
		}
	}
	return out
}

// landingChange describes finding as one side has it.
func landingChange(side Side, version string, f fence.Finding) LandingChange {
	c := LandingChange{
		Population: f.Population, Plane: string(f.Plane), Via: string(f.Via),
		Datacenter: f.Datacenter, Jurisdiction: f.Jurisdiction,
		Policy:  []string{},
		Witness: slices.Clone(f.Witness),
		Entry:   side.Scenario.Subject(f.Path),
		At:      locate(side, version, f.Path),
	}
	s := side.Scenario
	if i := slices.IndexFunc(s.Populations, func(p scenarios.Population) bool { return string(p.ID) == f.Population }); i >= 0 {
		if rule := s.RuleFor(&s.Populations[i]); rule >= 0 {
			for _, code := range s.Policy[rule].Allow.For(f.Plane) {
				c.Policy = append(c.Policy, string(code))
			}
			at := locate(side, version, fmt.Sprintf("policy[%d].allow.%s", rule, f.Plane))
			c.PolicyAt = &at
		}
	}
	return c
}

// sameSet reports whether a and b hold the same strings, in any order.
func sameSet(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// diffTolerances lists the fences of both versions whose failure
// tolerance differs, in NEW's order.
func diffTolerances(in Input) []ToleranceChange {
	old := map[fenceKey]fence.Fence{}
	for _, f := range in.Old.Static {
		old[fenceKey{f.Population, string(f.Plane)}] = f
	}
	out := []ToleranceChange{}
	for _, f := range in.New.Static {
		before, ok := old[fenceKey{f.Population, string(f.Plane)}]
		if !ok || before.Tolerance == f.Tolerance {
			continue
		}
		c := ToleranceChange{Population: f.Population, Plane: string(f.Plane), Old: before.Tolerance, New: f.Tolerance}
		if weaker(before.Tolerance, f.Tolerance) {
			c.Effect, c.At = EffectWorse, locate(in.New, "new", f.Findings[0].Path) // the cheapest landing
		} else {
			c.Effect, c.At = EffectImproved, locate(in.Old, "old", before.Findings[0].Path)
		}
		out = append(out, c)
	}
	return out
}

// weaker reports whether tolerance after breaks more easily than before,
// -1 meaning that nothing breaks the fence.
func weaker(before, after int) bool {
	return after >= 0 && (before < 0 || after < before)
}

// diffLints matches the two versions' lints by rule and subject (the k-th
// of several with the same rule and subject with the k-th): NEW's in
// order, then OLD's that NEW has not.
func diffLints(in Input, failOn string) []LintChange {
	type lintKey struct {
		rule, subject string
		nth           int
	}
	keys := func(side Side) []lintKey {
		count := map[[2]string]int{}
		out := make([]lintKey, len(side.Lints))
		for i, l := range side.Lints {
			k := [2]string{l.Rule, side.Scenario.Subject(l.Path)}
			out[i] = lintKey{k[0], k[1], count[k]}
			count[k]++
		}
		return out
	}
	oldKeys, newKeys := keys(in.Old), keys(in.New)
	oldAt := map[lintKey]int{}
	for i, k := range oldKeys {
		oldAt[k] = i
	}
	out := []LintChange{}
	matched := map[lintKey]bool{}
	for i, l := range in.New.Lints {
		k := newKeys[i]
		c := LintChange{Rule: l.Rule, Severity: l.Severity, Subject: k.subject, Message: l.Message, At: locate(in.New, "new", l.Path)}
		j, ok := oldAt[k]
		switch {
		case !ok:
			c.State, c.Effect = StateNew, EffectNeutral
			if check.FailsAt(l.Severity, failOn) {
				c.Effect = EffectWorse
			}
		case in.Old.Lints[j].Message != l.Message:
			c.State, c.Effect, c.OldMessage = StateUpdated, EffectNeutral, in.Old.Lints[j].Message
		default:
			c.State, c.Effect = StateUnchanged, EffectNone
		}
		matched[k] = true
		out = append(out, c)
	}
	for i, l := range in.Old.Lints {
		if k := oldKeys[i]; !matched[k] {
			c := LintChange{State: StateAbsent, Effect: EffectNeutral, Rule: l.Rule, Severity: l.Severity, Subject: k.subject, Message: l.Message, At: locate(in.Old, "old", l.Path)}
			if check.FailsAt(l.Severity, failOn) {
				c.Effect = EffectImproved
			}
			out = append(out, c)
		}
	}
	return out
}

// diffSimulation compares the simulated runs, OLD as the baseline, and
// judges each fence's violation rate.
func diffSimulation(in Input) *SimulationDiff {
	base, this := in.Old.Report, in.New.Report
	d := &SimulationDiff{Replications: min(base.Replications, this.Replications), Comparison: results.Compare(base, this), Fences: []RateChange{}}
	for _, pc := range d.Populations {
		if pc.Population == "total" {
			continue
		}
		for p := range sim.NumPlanes {
			rc := RateChange{
				Population: pc.Population, Plane: results.PlaneName(p),
				ViolationRate: *pc.ViolationRate.At(p),
				Limit:         in.Limits[p], LimitSource: in.LimitSource[p],
			}
			rc.Effect = RateEffect(rc.ViolationRate, rc.Limit, in.Tolerate)
			rc.TopCauseAt = topCauseAt(in.New, "new", this, rc)
			if rc.TopCauseAt == nil {
				rc.TopCauseAt = topCauseAt(in.Old, "old", base, rc)
			}
			d.Fences = append(d.Fences, rc)
		}
	}
	d.TolerateBlocking = in.TolerateBlocking
	diffLimits(in, d)
	return d
}

// topCauseAt locates the entry of the most frequent cause of rc's fence
// in one side's report, or nil when it has none.
func topCauseAt(side Side, version string, r *results.Report, rc RateChange) *Location {
	for _, c := range r.Causes {
		if c.Population == rc.Population && c.Plane == rc.Plane {
			at := locate(side, version, c.At.Path)
			return &at
		}
	}
	return nil
}

// rateEffect judges the paired change of a violation rate: worse when it
// rose significantly and NEW's rate is above the limit or the rise is
// above tolerate; improved when it fell significantly; neutral when it
// rose significantly within both.
func RateEffect(d results.Difference, limit, tolerate float64) string {
	switch {
	case !d.Significant:
		return EffectNone
	case d.Change.Mean < 0:
		return EffectImproved
	case d.This.Mean > limit || d.Change.Mean > tolerate:
		return EffectWorse
	}
	return EffectNeutral
}

// judge counts the diff's items and says what got worse or better,
// whether anything changed and whether the diff fails.
func (r *Report) judge() {
	s := &r.Summary
	for _, c := range r.Landings {
		s.Landings.add(c.State)
		sentence := c.At.String() + ": " + c.Population + " " + c.Plane + ": " + LandingSentence(c)
		r.note(c.Effect, sentence)
		r.noteAccepted(c.Accepted, sentence)
	}
	for _, c := range r.Tolerances {
		if c.Effect == EffectWorse {
			s.ToleranceLower++
		} else {
			s.ToleranceHigher++
		}
		sentence := fmt.Sprintf("%s: %s %s: failure tolerance %s → %s", c.At, c.Population, c.Plane, check.ToleranceText(c.Old), check.ToleranceText(c.New))
		r.note(c.Effect, sentence)
		r.noteAccepted(c.Accepted, sentence)
	}
	for _, c := range r.Lints {
		s.Lints.add(c.State)
		what := "new"
		if c.State == StateAbsent {
			what = "gone"
		}
		r.note(c.Effect, fmt.Sprintf("%s: %s %s %s: %s", c.At, what, c.Severity, c.Rule, c.Message))
	}
	s.RoutingChanges = len(r.Routing)
	if sd := r.Simulation; sd != nil {
		for _, f := range sd.Fences {
			if f.ViolationRate.Significant {
				s.SignificantRates++
			}
			switch f.Effect {
			case EffectWorse:
				s.RatesWorse++
			case EffectImproved:
				s.RatesImproved++
			}
			sentence := f.Population + " " + f.Plane + ": " + RateSentence(f)
			if f.TopCauseAt != nil {
				sentence = f.TopCauseAt.String() + ": " + sentence
			}
			r.note(f.Effect, sentence)
			r.noteAccepted(f.Accepted, sentence)
		}
		r.noteLimits()
	}
	r.Changed = len(r.Worse) > 0 || len(r.Improved) > 0 || len(r.Accepted) > 0 || s.RoutingChanges > 0 ||
		s.Landings.New+s.Landings.Absent+s.Landings.Updated+s.Lints.New+s.Lints.Absent+s.Lints.Updated > 0 ||
		r.Simulation.anySignificant()
	switch r.ExitOn {
	case ExitOnImproved:
		r.Failed = len(r.Improved) > 0
	case ExitOnChanged:
		r.Failed = r.Changed
	default:
		r.Failed = len(r.Worse) > 0
	}
}

// note records sentence under Worse or Improved, by effect.
func (r *Report) note(effect, sentence string) {
	switch effect {
	case EffectWorse:
		r.Worse = append(r.Worse, sentence)
	case EffectImproved:
		r.Improved = append(r.Improved, sentence)
	}
}

// noteAccepted records sentence under Accepted, with the acceptance that
// covers it, when one does.
func (r *Report) noteAccepted(a *check.AcceptedRisk, sentence string) {
	if a != nil {
		r.Accepted = append(r.Accepted, sentence+"; accepted until "+a.Expires+" ("+a.At+"): "+a.Reason)
	}
}

// anySignificant reports whether any paired figure changed significantly,
// or the runs do not have the same populations.
func (d *SimulationDiff) anySignificant() bool {
	if d == nil {
		return false
	}
	if len(d.OnlyThis) > 0 || len(d.OnlyBaseline) > 0 {
		return true
	}
	for _, pc := range d.Populations {
		for _, diff := range []results.Difference{pc.Blocking, pc.SecondaryShare, pc.LatencyP95, pc.ViolationRate.Media, pc.ViolationRate.Keys, pc.ViolationRate.Connector} {
			if diff.Significant {
				return true
			}
		}
	}
	return false
}

// landingSentence says how a landing changed, e.g. "new forbidden landing
// at cn-bj-3 (CN) when us-sjc and us-nyj are full or down, let in by
// routing.whitelists.kms-pool[5]".
func LandingSentence(c LandingChange) string {
	dc := LandingTarget(c)
	switch c.State {
	case StateNew:
		return "new forbidden landing at " + dc + " " + check.WitnessClause(c.Witness) + ", let in by " + c.At.Path
	case StateAbsent:
		return dc + " no longer reachable (was " + check.WitnessClause(c.Witness) + ", let in by " + c.At.Path + ")"
	case StateUpdated:
		return dc + " now reachable " + check.WitnessClause(c.Witness) + " (was " + check.WitnessClause(c.OldWitness) + "), let in by " + c.At.Path
	}
	return dc + " reachable " + check.WitnessClause(c.Witness) + ", let in by " + c.At.Path
}

// rateSentence says how a fence's violation rate moved, e.g. "violation
// rate rose from 1.38% to 1.5%, paired change +0.12% [0.1%, 0.14%], above
// its limit 0 (default)".
func RateSentence(f RateChange) string {
	return ChangeSentence("violation rate", f.ViolationRate, f.Effect, f.Limit, f.LimitSource, "--tolerate")
}

// changeInterval writes a paired change as a percentage with its
// interval: "+0.12% [0.1%, 0.14%]".
func changeInterval(e results.Estimate) string {
	return results.Signed(e.Mean, results.Percent(e.Mean)) + " [" + results.Percent(e.Low) + ", " + results.Percent(e.High) + "]"
}

// landingTarget names a landing's datacenter: "cn-bj-1 (CN)", with "via
// connector" for a key copied there.
func LandingTarget(c LandingChange) string {
	s := c.Datacenter + " (" + c.Jurisdiction + ")"
	if c.Via != c.Plane {
		s += " via " + c.Via
	}
	return s
}

// witnessCell lists a witness, "nothing" when it is empty.
func WitnessText(w []string) string {
	if len(w) == 0 {
		return "nothing"
	}
	return strings.Join(w, ", ")
}
