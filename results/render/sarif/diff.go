package sarif

import (
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"

	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
)

// renderDiffSARIF writes r as a SARIF 2.1.0 log whose every result says,
// in baselineState, how it stands against OLD — new, unchanged, updated
// or absent — so that code review shows only what the change introduced:
// one result per entry that lets clients out (its fences as related
// locations, the worst effect of its landings as its "effect"
// property), one per lint, one per fence whose simulated violation rate
// changed significantly, one per routing change. Results in NEW point at
// NEW's file; absent ones at OLD's.
func Diff(w io.Writer, r *diff.Report, artifacts Artifacts) error {
	properties := sarif.NewPropertyBag().Add("old", r.Old.Name).Add("new", r.New.Name).Add("seed", r.Seed).Add("replications", r.Replications)
	addOverrides(properties, "old_", r.Old)
	addOverrides(properties, "new_", r.New)
	run := newSARIFRun(r.Version, properties)
	addArtifact(run, artifacts, r.New.File, r.New.SHA256)
	if r.Old.File != r.New.File {
		addArtifact(run, artifacts, r.Old.File, r.Old.SHA256)
	}
	for _, f := range slices.Compact(slices.Sorted(slices.Values(slices.Concat(r.New.Imports, r.Old.Imports)))) {
		addArtifact(run, artifacts, f, "")
	}

	for _, g := range landingGroups(r) {
		first, state := g[0], groupState(g)
		var fences []reachedFence
		for _, f := range byFence(g) {
			c := f[0]
			ways := make([]string, len(f))
			for k, l := range f {
				ways[k] = l.State + ": " + diff.LandingSentence(l)
			}
			rf := reachedFence{population: c.Population, plane: c.Plane, what: fmt.Sprintf("%s %s (allowed: %s) %s", c.Population, c.Plane, check.AllowedText(c.Policy), strings.Join(ways, "; "))}
			if c.PolicyAt != nil {
				rf.policyAt = diffPhysical(artifacts, *c.PolicyAt)
			}
			fences = append(fences, rf)
		}
		effects := make([]string, len(g))
		for i, c := range g {
			effects[i] = c.Effect
		}
		result := addReachable(run, diffLocation(artifacts, first.At), first.Datacenter, first.Jurisdiction, first.At.Path, first.Entry, reachVerb(state), fences).
			WithBaselineState(state)
		result.Properties.Add("effect", diff.Worst(effects))
		if state == diff.StateAbsent {
			result.WithLevel(sarif.LevelNote) // no longer a problem: what it was is kept for review
		}
		if a := first.Accepted; a != nil {
			result.AddSuppression(acceptedRiskSuppression(a))
		}
	}

	for _, c := range r.Lints {
		msg := c.Message
		if c.State == diff.StateUpdated {
			msg += " (was: " + c.OldMessage + ")"
		}
		run.CreateResultForRule(c.Rule).
			WithLevel(lintLevel(c.Severity, c.Effect == diff.EffectWorse)).
			WithBaselineState(c.State).
			WithMessage(sarif.NewTextMessage(msg)).
			AddLocation(diffLocation(artifacts, c.At)).
			WithPartialFingerprints(map[string]string{FingerprintKey: c.Rule + "/" + c.Subject}).
			WithProperties(sarif.NewPropertyBag().Add("path", c.At.Path))
	}

	if sd := r.Simulation; sd != nil {
		for _, f := range sd.Fences {
			d := f.ViolationRate
			if !d.Significant {
				continue
			}
			level, state := sarif.LevelNote, diff.StateUpdated
			if f.Effect == diff.EffectWorse {
				level = sarif.LevelError
			}
			switch {
			case d.Baseline.Mean == 0:
				state = diff.StateNew
			case d.This.Mean == 0:
				state = diff.StateAbsent
			}
			at := diff.Location{Version: "new", File: r.New.File}
			if f.TopCauseAt != nil {
				at = *f.TopCauseAt
			}
			result := run.CreateResultForRule(RuleViolationRate).
				WithLevel(level).
				WithBaselineState(state).
				WithMessage(sarif.NewTextMessage(f.Population + " " + f.Plane + ": " + diff.RateSentence(f))).
				AddLocation(diffLocation(artifacts, at))
			if f.Accepted != nil {
				result.AddSuppression(acceptedRiskSuppression(f.Accepted))
			}
			result.
				WithPartialFingerprints(map[string]string{FingerprintKey: RuleViolationRate + "/" + f.Population + "/" + f.Plane}).
				WithProperties(sarif.NewPropertyBag().Add("population", f.Population).Add("plane", f.Plane).Add("effect", f.Effect))
		}
	}

	if sd := r.Simulation; sd != nil {
		addLimitChanges(run, artifacts, r.New.File, sd)
	}

	for _, c := range r.Routing {
		run.CreateResultForRule(RuleRoutingChange).
			WithLevel(sarif.LevelNote).
			WithBaselineState(c.State).
			WithMessage(sarif.NewTextMessage(c.Change)).
			AddLocation(diffLocation(artifacts, c.At)).
			WithPartialFingerprints(map[string]string{FingerprintKey: RuleRoutingChange + "/" + c.Subject + "/" + c.Change})
	}
	return writeSARIF(w, run)
}

// acceptedRiskSuppression says that a result is an accepted risk of NEW,
// as acceptedSuppression does for a check.
func acceptedRiskSuppression(a *check.AcceptedRisk) *sarif.Suppression {
	return riskSuppression(a.InScenario, a.Reason+" (until "+a.Expires+", "+a.At+")")
}

// landingGroups groups the landings by the entry that lets them in, and
// whether an accepted risk covers them, in the order the diff lists them.
func landingGroups(r *diff.Report) [][]diff.LandingChange {
	var groups [][]diff.LandingChange
	at := map[string]int{}
	for _, c := range r.Landings {
		key := c.Entry
		if c.Accepted != nil {
			key += "|accepted"
		}
		i, ok := at[key]
		if !ok {
			i = len(groups)
			at[key] = i
			groups = append(groups, nil)
		}
		groups[i] = append(groups[i], c)
	}
	return groups
}

// byFence splits an entry's landings by fence, in order: a fence has two
// at one entry when its keys are issued there and copied to a connector
// there.
func byFence(g []diff.LandingChange) [][]diff.LandingChange {
	var out [][]diff.LandingChange
	for _, c := range g {
		if i := slices.IndexFunc(out, func(f []diff.LandingChange) bool { return f[0].Population == c.Population && f[0].Plane == c.Plane }); i >= 0 {
			out[i] = append(out[i], c)
			continue
		}
		out = append(out, []diff.LandingChange{c})
	}
	return out
}

// groupState is the state of a result made of landings: theirs when they
// all share it, else updated.
func groupState(g []diff.LandingChange) string {
	for _, c := range g[1:] {
		if c.State != g[0].State {
			return diff.StateUpdated
		}
	}
	return g[0].State
}

// reachVerb says how an entry's landings stand, for a result's message.
func reachVerb(state string) string {
	switch state {
	case diff.StateNew:
		return "newly lets clients out of"
	case diff.StateAbsent:
		return "no longer lets clients out of"
	}
	return "lets clients out of"
}

// diffLocation points at l in its version's file.
func diffLocation(artifacts Artifacts, l diff.Location) *sarif.Location {
	return sarif.NewLocationWithPhysicalLocation(diffPhysical(artifacts, l))
}

func diffPhysical(artifacts Artifacts, l diff.Location) *sarif.PhysicalLocation {
	return sarifPhysical(artifacts, l.File, l.Line, l.Column)
}

// addLimitChanges adds a result per population whose blocking, and per
// rate of a group that, the diff judged worse or improved: an error when
// worse, a note when improved, in NEW's file.
func addLimitChanges(run *sarif.Run, artifacts Artifacts, file string, sd *diff.SimulationDiff) {
	at := diffLocation(artifacts, diff.Location{Version: "new", File: file})
	add := func(rule, key, effect, msg string, properties *sarif.PropertyBag) {
		level := sarif.LevelNote
		switch effect {
		case diff.EffectWorse:
			level = sarif.LevelError
		case diff.EffectImproved:
		default:
			return
		}
		run.CreateResultForRule(rule).
			WithLevel(level).
			WithBaselineState(diff.StateUpdated).
			WithMessage(sarif.NewTextMessage(msg)).
			AddLocation(at).
			WithPartialFingerprints(map[string]string{FingerprintKey: rule + "/" + key}).
			WithProperties(properties.Add("effect", effect))
	}
	for _, b := range sd.Blocking {
		add(RuleBlockingLimit, b.Population, b.Effect,
			b.Population+" blocking: "+diff.ChangeSentence("blocking", b.Blocking, b.Effect, *sd.MaxBlocking, sd.MaxBlockingSource, "--tolerate-blocking"),
			sarif.NewPropertyBag().Add("population", b.Population))
	}
	for _, g := range sd.Groups {
		if g.Limit == nil {
			continue
		}
		add(RuleGroupLimit, g.Group+"/"+g.Figure, g.Effect, "group "+g.Group+": "+diff.GroupSentence(g),
			sarif.NewPropertyBag().Add("group", g.Group).Add("figure", g.Figure))
	}
}
