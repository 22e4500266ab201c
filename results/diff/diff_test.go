package diff_test

import (
	"bytes"
	"math"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/results/render/sarif"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/lint"
)

// A diff of a version with itself shows nothing, and fails under no
// --exit-on, simulated or not.
func TestDiffSelf(t *testing.T) {
	for _, static := range []bool{true, false} {
		s := fixture.LoadStory(t, "check_spill.yaml")
		for _, exitOn := range []string{diff.ExitOnWorse, diff.ExitOnImproved, diff.ExitOnChanged} {
			in := fixture.DiffInput(t, s, s, static)
			in.ExitOn = exitOn
			r := diff.Diff(in)
			if r.Changed || r.Failed || len(r.Worse)+len(r.Improved)+len(r.Routing)+len(r.Tolerances) > 0 {
				t.Errorf("static=%v exit-on %s: changed %v, failed %v, worse %q, improved %q, routing %v", static, exitOn, r.Changed, r.Failed, r.Worse, r.Improved, r.Routing)
			}
			for _, c := range r.Landings {
				if c.State != diff.StateUnchanged || c.Effect != diff.EffectNone {
					t.Errorf("static=%v: landing %+v", static, c)
				}
			}
		}
	}
}

// Editing only where things stand — the order of datacenters, populations,
// routes and whitelists, flow style, the name and comments — changes
// nothing the diff sees, simulated included: every paired difference is
// exactly zero.
func TestDiffReorderedIsUnchanged(t *testing.T) {
	r := diff.Diff(fixture.DiffInput(t, fixture.LoadStory(t, "check_spill.yaml"), fixture.LoadStory(t, "diff_spill_reordered.yaml"), false))
	if r.Changed || r.Failed || len(r.Routing) > 0 {
		t.Errorf("changed %v, failed %v, routing %+v, worse %q, improved %q", r.Changed, r.Failed, r.Routing, r.Worse, r.Improved)
	}
	for _, c := range r.Lints {
		if c.State != diff.StateUnchanged {
			t.Errorf("lint %+v", c)
		}
	}
	for _, pc := range r.Simulation.Populations {
		for name, d := range map[string]results.Difference{
			"blocking": pc.Blocking, "secondary share": pc.SecondaryShare, "p95 latency": pc.LatencyP95,
			"media violation rate": pc.ViolationRate.Media, "keys violation rate": pc.ViolationRate.Keys, "connector violation rate": pc.ViolationRate.Connector,
		} {
			if pc.Population == "total" && name == "p95 latency" {
				if !math.IsNaN(d.Change.Mean) {
					t.Errorf("total p95 latency compared (%v): latency is compared per population", d.Change.Mean)
				}
				continue
			}
			if c := d.Change; c.Mean != 0 || c.HalfWidth != 0 {
				t.Errorf("%s: %s changed by %v ± %v", pc.Population, name, c.Mean, c.HalfWidth)
			}
		}
	}
}

// Adding bj2 to the key backup pool makes new key landings for na-free,
// located at the new entry in NEW's file; the reverse diff shows them
// absent, located in the file that had them.
func TestDiffKeyPoolBeijing(t *testing.T) {
	fixed, bj2 := fixture.LoadStory(t, "check_spill_media_fixed.yaml"), fixture.LoadStory(t, "diff_spill_kms_bj2.yaml")
	r := diff.Diff(fixture.DiffInput(t, fixed, bj2, true))
	states := fixture.LandingStates(r)
	for _, k := range []string{"na-free keys keys bj2", "na-free keys connector bj2", "na-free connector connector bj2"} {
		if states[k] != diff.StateNew {
			t.Errorf("%s: state %q, want new (states %v)", k, states[k], states)
		}
	}
	if !r.Failed || len(r.Worse) != 3 {
		t.Fatalf("failed %v, worse %q; want 3 new landings", r.Failed, r.Worse)
	}
	want := "testdata/diff_spill_kms_bj2.yaml:30:23: na-free keys: new forbidden landing at bj2 (CN) via connector when us-east is full or down, let in by routing.whitelists.kms-backup[1]"
	if r.Worse[0] != want {
		t.Errorf("worse[0] = %q, want %q", r.Worse[0], want)
	}
	back := diff.Diff(fixture.DiffInput(t, bj2, fixed, true))
	if back.Failed || len(back.Improved) != 3 {
		t.Errorf("reverse: failed %v, improved %q", back.Failed, back.Improved)
	}
	absent := 0
	for _, c := range back.Landings {
		if c.State != diff.StateAbsent {
			continue
		}
		absent++
		if c.At.Version != "old" || c.At.File != "testdata/diff_spill_kms_bj2.yaml" || c.At.Line != 30 {
			t.Errorf("absent landing located at %+v, want OLD's line 30", c.At)
		}
	}
	if absent != 3 {
		t.Errorf("reverse: %d absent landings, want the 3 bj2 landings", absent)
	}
	if i := slices.IndexFunc(back.Routing, func(c diff.RoutingChange) bool {
		return c.State == diff.StateAbsent && strings.Contains(c.Change, "bj2 removed")
	}); i < 0 {
		t.Errorf("routing %+v lacks bj2 removed from kms-backup", back.Routing)
	}
}

// A violation rate's effect: worse only when it rose significantly and
// ends above its limit or rose by more than tolerate; improved when it fell
// significantly.
func TestRateEffect(t *testing.T) {
	rise := results.Paired([]float64{0.01, 0.02, 0.015}, []float64{0.03, 0.041, 0.034}) // +0.0197, significant
	noisy := results.Paired([]float64{0.01, 0.02, 0.015}, []float64{0.02, 0.01, 0.03})  // +0.005, not significant
	fall := results.Paired([]float64{0.03, 0.041, 0.034}, []float64{0.01, 0.02, 0.015})
	for _, c := range []struct {
		name            string
		d               results.Difference
		limit, tolerate float64
		want            string
	}{
		{"rise above the limit", rise, 0.01, 0, diff.EffectWorse},
		{"rise above the limit, within tolerate", rise, 0.01, 0.05, diff.EffectWorse},
		{"rise within the limit, above tolerate", rise, 0.1, 0.01, diff.EffectWorse},
		{"rise within the limit and tolerate", rise, 0.1, 0.05, diff.EffectNeutral},
		{"noise above the limit", noisy, 0, 0, diff.EffectNone},
		{"fall", fall, 0, 0, diff.EffectImproved},
	} {
		if got := diff.RateEffect(c.d, c.limit, c.tolerate); got != c.want {
			t.Errorf("%s: %s, want %s (change %v [%v, %v])", c.name, got, c.want, c.d.Change.Mean, c.d.Change.Low, c.d.Change.High)
		}
	}
}

// Lints are matched by rule and subject: a lint whose whitelist entry
// moved to another index is the same lint; one on a new entry is new, and
// is worse only at --fail-on's severity.
func TestDiffLints(t *testing.T) {
	fixed, bj2 := fixture.LoadStory(t, "check_spill_media_fixed.yaml"), fixture.LoadStory(t, "diff_spill_kms_bj2.yaml")
	for _, c := range []struct {
		failOn string
		worse  bool
	}{{"", false}, {lint.Note, true}} {
		in := fixture.DiffInput(t, fixed, bj2, true)
		in.FailOn = c.failOn
		r := diff.Diff(in)
		var news []diff.LintChange
		for _, l := range r.Lints {
			if l.State == diff.StateNew {
				news = append(news, l)
			}
		}
		if len(news) == 0 {
			t.Fatalf("no new lint: %+v", r.Lints)
		}
		for _, l := range news {
			if (l.Effect == diff.EffectWorse) != c.worse {
				t.Errorf("fail on %q: new lint %s at %s has effect %s", c.failOn, l.Rule, l.Subject, l.Effect)
			}
			if l.At.Version != "new" || l.At.Line == 0 {
				t.Errorf("new lint located at %+v", l.At)
			}
		}
	}
}

// Accepted risks of NEW, holding on the day judged, keep what they cover
// from counting as worse: the new key and connector landings at bj2 are
// accepted, and the diff passes; SARIF suppresses them. Expired, they
// cover nothing.
func TestDiffAccepted(t *testing.T) {
	fixed, bj2 := fixture.LoadStory(t, "check_spill_media_fixed.yaml"), fixture.LoadStory(t, "diff_spill_kms_bj2.yaml")
	in := fixture.DiffInput(t, fixed, bj2, false)
	in.Accepted = []scenarios.Accepted{
		{Population: "na-free", Plane: "keys", Datacenter: "bj2", Reason: "second key site, CAB-9", Expires: "2026-12-31", File: "risks.yaml", Pos: scenarios.Position{Line: 2, Column: 5}},
		{Population: "na-free", Plane: "connector", Jurisdiction: "CN", Reason: "dial-in fallback", Expires: "2026-12-31", File: "risks.yaml", Pos: scenarios.Position{Line: 3, Column: 5}},
	}
	in.Date = fixture.StoryDate
	r := diff.Diff(in)
	if r.Failed || len(r.Worse) != 0 || len(r.Accepted) < 3 || r.Date != "2026-11-30" {
		t.Fatalf("failed %v, worse %q, accepted %q on %s", r.Failed, r.Worse, r.Accepted, r.Date)
	}
	for _, c := range r.Landings {
		if c.State == diff.StateNew && (c.Accepted == nil || c.Effect != diff.EffectNeutral) {
			t.Errorf("new landing %s %s at %s: effect %s, accepted %v", c.Population, c.Plane, c.Datacenter, c.Effect, c.Accepted)
		}
	}
	var out bytes.Buffer
	if err := sarif.Diff(&out, r, nil); err != nil {
		t.Fatal(err)
	}
	fixture.ValidSARIF(t, out.Bytes())
	if !bytes.Contains(out.Bytes(), []byte(`"justification": "second key site, CAB-9 (until 2026-12-31, risks.yaml:2:5)"`)) {
		t.Errorf("SARIF lacks the suppression")
	}

	in.Date = time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	if r := diff.Diff(in); !r.Failed || len(r.Accepted) != 0 {
		t.Errorf("expired: failed %v, accepted %q", r.Failed, r.Accepted)
	}
}
