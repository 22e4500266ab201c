package sarif

import (
	"bytes"
	"cmp"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"slices"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report"
	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/scenarios/lint"
)

// The rules of geofence's own results; lint rules come from lint.Rules.
const (
	RuleStaticReachable = "static-reachable"
	RuleViolationRate   = "violation-rate"
	RuleRoutingChange   = "routing-change"
	ruleAcceptedRisk    = "accepted-risk"
	RuleBlockingLimit   = "blocking-limit"
	RuleGroupLimit      = "group-limit"
)

// FingerprintKey names geofence's partial fingerprint: the rule and the
// subject of a result, by ids, so that code scanning (and Code Quality,
// render/codeclimate) matches a result across commits however lines
// move.
const FingerprintKey = "geofenceSubject/v1"

// SourceRoot is the uriBaseId of scenario files relative to the source
// root, as code scanning tools expect it.
const SourceRoot = "%SRCROOT%"

// maxFencesNamed bounds the fences a SARIF message names; every one is a
// related location.
const maxFencesNamed = 3

// renderSARIF writes r as a SARIF 2.1.0 log with one run, so that code
// review tools annotate the scenario lines that open a fence: one result
// per entry that lets clients out (the fences it opens are its related
// locations), one per entry that most of a failing fence's simulated
// violations came through, and one per lint. Nothing in the log depends
// on the clock or on randomness.
func Check(w io.Writer, r *check.Report, artifacts Artifacts) error {
	file := r.Scenario.File
	properties := sarif.NewPropertyBag().Add("scenario", r.Scenario.Name).Add("seed", r.Seed).Add("replications", r.Replications)
	addOverrides(properties, "", r.Scenario)
	if r.Baseline != nil {
		properties.Add("baseline", r.Baseline.Scenario.Name)
		addOverrides(properties, "baseline_", r.Baseline.Scenario)
	}
	run := newSARIFRun(r.Version, properties)
	addArtifact(run, artifacts, file, r.Scenario.SHA256)
	for _, f := range r.Scenario.Imports {
		addArtifact(run, artifacts, f, "")
	}
	for _, a := range r.Accepted {
		if !a.InScenario && !slices.ContainsFunc(run.Artifacts, func(x *sarif.Artifact) bool { return *x.Location.URI == *artifactLocation(artifacts, a.File).URI }) {
			addArtifact(run, artifacts, a.File, "")
		}
	}

	for _, g := range entryGroups(r) {
		f := g.fences[0].findings[0]
		fences := make([]reachedFence, len(g.fences))
		for i, ff := range g.fences {
			fences[i] = reachedFence{ff.fence.Population, ff.fence.Plane, fenceFindings(ff.fence, ff.findings), policyPhysical(artifacts, file, ff.fence)}
		}
		result := addReachable(run, sarifLocation(artifacts, cmp.Or(f.File, file), f.Line, f.Column), f.Datacenter, f.Jurisdiction, f.Path, f.Entry, "is reachable outside", fences)
		if f.AcceptedBy != nil {
			result.AddSuppression(acceptedSuppression(artifacts, r.Accepted[*f.AcceptedBy]))
		}
	}

	for _, g := range rateGroups(r) {
		result := run.CreateResultForRule(RuleViolationRate).WithLevel(sarif.LevelError)
		fences, whats := make([]string, len(g.fences)), make([]string, len(g.fences))
		for i, fc := range g.fences {
			fences[i] = fc.Population + "/" + fc.Plane
			whats[i] = fmt.Sprintf("%s %s: simulated violation rate %s over %s (%s)", fc.Population, fc.Plane, check.RateWithInterval(*fc.ViolationRate), results.LimitText(fc.Limit), fc.LimitSource)
			if len(fc.Causes) > 0 {
				whats[i] += "; top cause: " + results.CauseSentence(fc.Causes[0])
			}
			result.AddRelatedLocation(relatedLocation(i, whats[i], policyPhysical(artifacts, file, fc)))
		}
		msg := fmt.Sprintf("%d fence%s over its violation-rate limit", len(g.fences), results.Plural(len(g.fences)))
		if g.at != nil {
			msg = fmt.Sprintf("%s lets in most simulated violations of %s", g.at.Path, msg)
			result.AddLocation(sarifLocation(artifacts, cmp.Or(g.at.File, file), g.at.Line, g.at.Column))
		} else if at := g.fences[0].PolicyAt; at != nil {
			result.AddLocation(sarifLocation(artifacts, cmp.Or(at.File, file), at.Line, at.Column))
		}
		if by := g.fences[0].RateAcceptedBy; by != nil {
			result.AddSuppression(acceptedSuppression(artifacts, r.Accepted[*by]))
		}
		result.WithMessage(sarif.NewTextMessage(msg + ": " + namedFences(whats))).
			WithPartialFingerprints(map[string]string{FingerprintKey: RuleViolationRate + "/" + g.key}).
			WithProperties(sarif.NewPropertyBag().Add("fences", fences))
	}

	addLimitResults(run, artifacts, r)

	for _, a := range r.Accepted {
		var msg string
		switch a.State {
		case check.AcceptanceExpired:
			msg = fmt.Sprintf("The accepted risk %s expired after %s: fix what it covers (%s), or accept it again with a new date. It was accepted because: %s", a.What(), a.Expires, results.IdList(a.Matches), a.Reason)
		case check.AcceptanceUnmatched:
			msg = fmt.Sprintf("The accepted risk %s matches no finding: remove it, so that it cannot hide a risk that comes back", a.What())
		default:
			continue
		}
		run.CreateResultForRule(ruleAcceptedRisk).
			WithLevel(sarif.LevelError).
			WithMessage(sarif.NewTextMessage(msg)).
			AddLocation(sarifLocation(artifacts, a.File, a.Line, a.Column)).
			WithPartialFingerprints(map[string]string{FingerprintKey: ruleAcceptedRisk + "/" + a.What()}).
			WithProperties(sarif.NewPropertyBag().Add("state", a.State).Add("expires", a.Expires))
	}

	for _, l := range r.Lints {
		run.CreateResultForRule(l.Rule).
			WithLevel(lintLevel(l.Severity, l.Fails)).
			WithMessage(sarif.NewTextMessage(l.Message)).
			AddLocation(sarifLocation(artifacts, cmp.Or(l.File, file), l.Line, l.Column)).
			WithPartialFingerprints(map[string]string{FingerprintKey: l.Rule + "/" + l.Subject}).
			WithProperties(sarif.NewPropertyBag().Add("path", l.Path))
	}
	return writeSARIF(w, run)
}

// addOverrides records, in a run's properties named with prefix, the
// overrides a scenario ran under and each in words, when it had any.
func addOverrides(properties *sarif.PropertyBag, prefix string, ref results.ScenarioRef) {
	if len(ref.Overrides) == 0 {
		return
	}
	properties.Add(prefix+"overrides", ref.Overrides)
	words := make([]string, len(ref.InWords))
	for i, w := range ref.InWords {
		kind := "change"
		if w.Condition {
			kind = "condition"
		}
		words[i] = w.Words + " (" + kind + ")"
	}
	properties.Add(prefix+"overrides_in_words", words)
}

// addLimitResults adds a result per population blocked past the blocking
// limit, at the scenario's run.max_blocking (or the file, for a limit
// given on the command line), and one per group over a limit, at the
// group's declaration.
func addLimitResults(run *sarif.Run, artifacts Artifacts, r *check.Report) {
	file := r.Scenario.File
	for _, b := range r.Blocking {
		if b.Passed {
			continue
		}
		at := sarifLocation(artifacts, file, 0, 0)
		if l := r.MaxBlockingAt; l != nil {
			at = sarifLocation(artifacts, file, l.Line, l.Column)
		}
		run.CreateResultForRule(RuleBlockingLimit).
			WithLevel(sarif.LevelError).
			WithMessage(sarif.NewTextMessage(b.Population + ": " + b.Reason)).
			AddLocation(at).
			WithPartialFingerprints(map[string]string{FingerprintKey: RuleBlockingLimit + "/" + b.Population}).
			WithProperties(sarif.NewPropertyBag().Add("population", b.Population).Add("limit", *r.MaxBlocking).Add("limit_source", r.MaxBlockingSource))
	}
	for _, g := range r.Groups {
		if g.Passed {
			continue
		}
		run.CreateResultForRule(RuleGroupLimit).
			WithLevel(sarif.LevelError).
			WithMessage(sarif.NewTextMessage(fmt.Sprintf("group %s (%s; populations %s): %s", g.ID, g.Chosen, strings.Join(g.Populations, ", "), strings.Join(g.Reasons, "; ")))).
			AddLocation(sarifLocation(artifacts, file, g.At.Line, g.At.Column)).
			WithPartialFingerprints(map[string]string{FingerprintKey: RuleGroupLimit + "/" + g.ID}).
			WithProperties(sarif.NewPropertyBag().Add("group", g.ID).Add("populations", g.Populations))
	}
}

// lintLevel is a lint's SARIF level: its severity, or error when it fails
// the check.
func lintLevel(severity string, fails bool) string {
	if fails {
		return sarif.LevelError
	}
	return severity
}

// fenceFindings says how one fence's findings at an entry let clients
// out, e.g. "us-free keys (allowed: US, CA) when us-sjc and us-nyj are
// full or down, and on the connector route when us-sjc is full or down".
// Groups
// keep their names, as the policy writes them.
func fenceFindings(fc check.Fence, findings []check.StaticFinding) string {
	var own, other []string // on the plane's own route, on another's
	for _, f := range findings {
		if f.Via == f.Plane {
			own = append(own, check.WitnessClause(f.Witness))
		} else {
			other = append(other, "on the "+string(f.Via)+" route "+check.WitnessClause(f.Witness))
		}
	}
	return fmt.Sprintf("%s %s (allowed: %s) %s", fc.Population, fc.Plane, check.AllowedText(fc.Policy), strings.Join(append(own, other...), ", and "))
}

// reachedFence is one fence an entry lets clients out of: its
// population and plane, what a result says of it, and where its policy
// rule stands (nil when no rule selects the population).
type reachedFence struct {
	population, plane, what string
	policyAt                *sarif.PhysicalLocation
}

// addReachable adds the result of one entry, at path (entry by ids), that
// lets clients out of fences to datacenter, saying how (e.g. "is
// reachable outside"): an error, its fences named in the message and each
// a related location at its policy rule.
func addReachable(run *sarif.Run, at *sarif.Location, datacenter, jurisdiction, path, entry, how string, fences []reachedFence) *sarif.Result {
	result := run.CreateResultForRule(RuleStaticReachable).
		WithLevel(sarif.LevelError).
		AddLocation(at).
		WithPartialFingerprints(map[string]string{FingerprintKey: RuleStaticReachable + "/" + entry})
	names, whats := make([]string, len(fences)), make([]string, len(fences))
	for i, f := range fences {
		names[i], whats[i] = f.population+"/"+f.plane, f.what
		result.AddRelatedLocation(relatedLocation(i, f.what, f.policyAt))
	}
	return result.WithMessage(sarif.NewTextMessage(fmt.Sprintf("%s (%s), let in by %s, %s %d fence%s: %s",
		datacenter, jurisdiction, path, how, len(fences), results.Plural(len(fences)), namedFences(whats)))).
		WithProperties(sarif.NewPropertyBag().
			Add("datacenter", datacenter).
			Add("jurisdiction", jurisdiction).
			Add("entry", entry).
			Add("fences", names))
}

// namedFences names the first maxFencesNamed of what a result says of
// each fence, and counts the rest.
func namedFences(whats []string) string {
	if more := len(whats) - maxFencesNamed; more > 0 {
		whats = append(whats[:maxFencesNamed:maxFencesNamed], fmt.Sprintf("and %d more (related locations)", more))
	}
	return strings.Join(whats, "; ")
}

// relatedLocation is related location id, saying msg, at physical when
// it is known.
func relatedLocation(id int, msg string, physical *sarif.PhysicalLocation) *sarif.Location {
	loc := sarif.NewLocation().WithID(id).WithMessage(sarif.NewTextMessage(msg))
	if physical != nil {
		loc.WithPhysicalLocation(physical)
	}
	return loc
}

// policyPhysical is where the policy rule that draws fence fc stands, nil
// when no rule selects its population.
func policyPhysical(artifacts Artifacts, file string, fc check.Fence) *sarif.PhysicalLocation {
	if at := fc.PolicyAt; at != nil {
		return sarifPhysical(artifacts, cmp.Or(at.File, file), at.Line, at.Column)
	}
	return nil
}

// acceptedSuppression says that a result is an accepted risk, with the
// acceptance's reason as justification, located where it is written.
func acceptedSuppression(artifacts Artifacts, a check.Acceptance) *sarif.Suppression {
	return riskSuppression(a.InScenario, a.Reason+" (until "+a.Expires+")").
		WithLocation(sarifLocation(artifacts, a.File, a.Line, a.Column))
}

// riskSuppression says that a result is an accepted risk, for the reason
// justification: inSource when the scenario holds the acceptance,
// external for an --accept file.
func riskSuppression(inScenario bool, justification string) *sarif.Suppression {
	kind := "external"
	if inScenario {
		kind = "inSource"
	}
	return sarif.NewSuppression().WithKind(kind).WithStatus("accepted").WithJustification(justification)
}

// fenceFindingsAt is a fence with its static findings at one entry: one,
// or two for keys issued there and copied to a connector there.
type fenceFindingsAt struct {
	fence    check.Fence
	findings []check.StaticFinding
}

// entryGroup is every fence one scenario entry lets out.
type entryGroup struct{ fences []*fenceFindingsAt }

// entryGroups groups the static findings that fail their fences, or that
// an acceptance accepts, by the entry that lets them in and the
// acceptance, in the order the fences first meet them.
func entryGroups(r *check.Report) []*entryGroup {
	var groups []*entryGroup
	byPath := map[string]*entryGroup{}
	for _, fc := range r.Fences {
		for _, f := range fc.Static {
			if f.AcceptedBy == nil && !slices.ContainsFunc(check.TooFragile(fc.Static, r.MinTolerance), func(x check.StaticFinding) bool { return x.Path == f.Path && x.Via == f.Via }) {
				continue // passes on its tolerance
			}
			key := f.Path
			if f.AcceptedBy != nil {
				key += fmt.Sprintf("|accepted by %d", *f.AcceptedBy)
			}
			g := byPath[key]
			if g == nil {
				g = &entryGroup{}
				byPath[key] = g
				groups = append(groups, g)
			}
			if last := len(g.fences) - 1; last >= 0 && g.fences[last].fence.Population == fc.Population && g.fences[last].fence.Plane == fc.Plane {
				g.fences[last].findings = append(g.fences[last].findings, f)
				continue
			}
			g.fences = append(g.fences, &fenceFindingsAt{fc, []check.StaticFinding{f}})
		}
	}
	return groups
}

// rateGroup is the fences over their rate limit whose top simulated
// cause comes through one entry (at), or one such fence with no cause.
type rateGroup struct {
	key    string // the entry's subject, or population/plane
	at     *results.Location
	fences []check.Fence
}

// rateGroups groups the fences whose simulated rate is over its limit by
// the entry that let their top cause in.
func rateGroups(r *check.Report) []*rateGroup {
	var groups []*rateGroup
	byPath := map[string]*rateGroup{}
	for _, fc := range r.Fences {
		if fc.ViolationRate == nil || !check.Exceeds(*fc.ViolationRate, fc.Limit, r.DecidedBy) {
			continue
		}
		if fc.TopCauseAt == nil {
			groups = append(groups, &rateGroup{key: fc.Population + "/" + fc.Plane, fences: []check.Fence{fc}})
			continue
		}
		key := fc.TopCauseAt.Path
		if fc.RateAcceptedBy != nil {
			key += fmt.Sprintf("|accepted by %d", *fc.RateAcceptedBy)
		}
		g := byPath[key]
		if g == nil {
			g = &rateGroup{key: causeSubject(fc.Causes[0]), at: fc.TopCauseAt}
			byPath[key] = g
			groups = append(groups, g)
		}
		g.fences = append(g.fences, fc)
	}
	return groups
}

// causeSubject names the entry that let a cause in by ids, as subject does
// for a path: the whitelist entry, or the primary of the population's
// route.
func causeSubject(c results.CauseReport) string {
	if c.Secondary {
		return "routing.whitelists." + c.Whitelist + "[" + c.Datacenter + "]"
	}
	return c.Population + "." + c.Via + ".primaries[" + c.Datacenter + "]"
}

// newSARIFRun starts a run of geofence with every rule it can report.
func newSARIFRun(version string, properties *sarif.PropertyBag) *sarif.Run {
	return sarif.NewRun().WithTool(sarif.NewTool().WithDriver(sarifDriver(version))).WithProperties(properties)
}

// sarifDriver describes geofence and every rule it can report.
func sarifDriver(version string) *sarif.ToolComponent {
	driver := sarif.NewToolComponent().WithName("geofence")
	if version != "" {
		driver.WithVersion(version)
	}
	rule := func(id, level, summary string) {
		driver.AddRule(sarif.NewRule(id).
			WithDescription(summary).
			WithDefaultConfiguration(sarif.NewReportingConfiguration().WithLevel(level)))
	}
	rule(RuleStaticReachable, sarif.LevelError, "A forbidden datacenter is reachable in some state of the system: "+
		"once the witness datacenters are full or down, a client lands outside its fence.")
	rule(RuleViolationRate, sarif.LevelError, "The simulated violation rate of a fence exceeds its plane's limit, or rose significantly.")
	rule(RuleRoutingChange, sarif.LevelNote, "The routing, the policy, or the datacenters, populations or groups they name changed.")
	rule(ruleAcceptedRisk, sarif.LevelError, "An accepted risk has expired, or matches no finding.")
	rule(RuleBlockingLimit, sarif.LevelError, "A population's simulated blocking exceeds the blocking limit: joins kept in their fence by being refused, past what is acceptable.")
	rule(RuleGroupLimit, sarif.LevelError, "A group's simulated rate, of its joins pooled (violations or blocked joins of all its populations over the joins they offered), exceeds the group's limit.")
	for _, lr := range lint.Rules() {
		rule(lr.ID, lr.Severity, lr.Summary)
	}
	return driver
}

// addArtifact lists file, with its hash when known, among the run's
// artifacts.
func addArtifact(run *sarif.Run, artifacts Artifacts, file, sha256 string) {
	if file == "" {
		return
	}
	artifact := sarif.NewArtifact().WithLocation(artifactLocation(artifacts, file))
	if sha256 != "" {
		artifact.WithHashes(map[string]string{"sha-256": sha256})
	}
	run.AddArtifact(artifact)
}

// artifactLocation is file as code review finds it: its URI relative to
// the source root, when artifacts places it there, or as given.
func artifactLocation(artifacts Artifacts, file string) *sarif.ArtifactLocation {
	if a, ok := artifacts[file]; ok {
		loc := sarif.NewSimpleArtifactLocation(a.URI)
		if a.BaseID != "" {
			loc.WithURIBaseID(a.BaseID)
		}
		return loc
	}
	return sarif.NewSimpleArtifactLocation((&url.URL{Path: file}).String())
}

// sarifLocation points at line:column of file, or at the file alone when
// the line is unknown.
func sarifLocation(artifacts Artifacts, file string, line, column int) *sarif.Location {
	return sarif.NewLocationWithPhysicalLocation(sarifPhysical(artifacts, file, line, column))
}

func sarifPhysical(artifacts Artifacts, file string, line, column int) *sarif.PhysicalLocation {
	physical := sarif.NewPhysicalLocation().WithArtifactLocation(artifactLocation(artifacts, file))
	if line > 0 {
		region := sarif.NewRegion().WithStartLine(line)
		if column > 0 {
			region.WithStartColumn(column)
		}
		physical.WithRegion(region)
	}
	return physical
}

// writeSARIF writes a log of run without the placeholders go-sarif fills
// in (empty lists and objects, -1 for an unset index, the default
// language and newline sequences), which say nothing and read as if
// something were there.
func writeSARIF(w io.Writer, run *sarif.Run) error {
	var raw bytes.Buffer
	if err := report.NewV210Report().AddRun(run).Write(&raw); err != nil {
		return err
	}
	dec := json.NewDecoder(&raw)
	dec.UseNumber() // keep numbers as written: a seed may not fit a float64
	var doc any
	if err := dec.Decode(&doc); err != nil {
		return err
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(prune(doc)) // maps: keys in sorted order, so the bytes are stable
}

// unsetIndices are the SARIF integer properties whose -1 means unset.
var unsetIndices = []string{"byteOffset", "charOffset", "id", "index", "length", "parentIndex", "rank", "ruleIndex"}

// prune drops from a decoded SARIF document what only stands for nothing.
func prune(v any) any {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			x = prune(x)
			v[k] = x
			switch {
			case isEmpty(x) && k != "results", // a scan's results must be there, if empty
				slices.Contains(unsetIndices, k) && x == json.Number("-1"),
				k == "language" && x == "en-US",
				k == "newlineSequences":
				delete(v, k)
			}
		}
		return v
	case []any:
		for i := range v {
			v[i] = prune(v[i])
		}
	}
	return v
}

// isEmpty reports whether v is an empty list or object.
func isEmpty(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		return len(v) == 0
	case []any:
		return len(v) == 0
	}
	return false
}
