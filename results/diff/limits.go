package diff

import (
	"fmt"
	"math"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// BlockingChange is the paired change of one population's blocking, held
// to the blocking limit: a fix that keeps joins in their fence by refusing
// them past the limit is worse.
type BlockingChange struct {
	Population string             `json:"population"`
	Blocking   results.Difference `json:"blocking_probability"`
	Effect     string             `json:"effect"`
}

// GroupChange is the paired change of one rate of a group's joins pooled
// (see results.Pooled), over the populations of NEW's group both versions
// have, held to the group's limit in NEW when it sets one.
type GroupChange struct {
	Group       string             `json:"group"`
	Populations []string           `json:"populations"`
	Figure      string             `json:"figure"` // media, keys, connector or blocking
	Rate        results.Difference `json:"rate"`
	Limit       *float64           `json:"limit"` // null: reported, not held
	Effect      string             `json:"effect"`
}

// BlockingFigure names blocking among a group's rates.
const BlockingFigure = "blocking"

// diffLimits pairs every population's blocking, when there is a blocking
// limit, and every rate of NEW's groups, and judges each: worse when it
// rose significantly and either ends above its limit or rose by more than
// it may (Tolerate for violation rates; TolerateBlocking for blocking,
// none when unset, so that only the limit judges it).
func diffLimits(in Input, d *SimulationDiff) {
	tolerateBlocking := math.Inf(1)
	if in.TolerateBlocking != nil {
		tolerateBlocking = *in.TolerateBlocking
	}
	if in.MaxBlocking != nil {
		d.MaxBlocking, d.MaxBlockingSource = in.MaxBlocking, in.MaxBlockingSource
		d.Blocking = []BlockingChange{}
		for _, pc := range d.Populations {
			if pc.Population == "total" {
				continue
			}
			d.Blocking = append(d.Blocking, BlockingChange{Population: pc.Population, Blocking: pc.Blocking, Effect: RateEffect(pc.Blocking, *in.MaxBlocking, tolerateBlocking)})
		}
	}
	base, this := in.Old.Report, in.New.Report
	n := min(base.Replications, this.Replications)
	for _, g := range this.Groups {
		var members []string
		for _, id := range g.Populations {
			if base.Population(id).ID == id {
				members = append(members, id)
			}
		}
		if len(members) == 0 {
			continue
		}
		pair := [2]results.Figures{results.PooledOf(base.Populations, members), results.PooledOf(this.Populations, members)}
		declared := in.New.Scenario.Run.Group(g.ID)
		add := func(figure string, of func(*results.Figures) *results.Estimate, limit *scenarios.Probability, tolerate float64) {
			gc := GroupChange{Group: g.ID, Populations: members, Figure: figure, Effect: EffectNone,
				Rate: results.Paired(of(&pair[0]).PerReplication[:n], of(&pair[1]).PerReplication[:n])}
			gc.Rate.Baseline, gc.Rate.This = *of(&pair[0]), *of(&pair[1])
			switch {
			case limit != nil:
				l := float64(*limit)
				gc.Limit = &l
				gc.Effect = RateEffect(gc.Rate, l, tolerate)
			case gc.Rate.Significant:
				gc.Effect = EffectNeutral // reported: its populations' own fences judge it
			}
			d.Groups = append(d.Groups, gc)
		}
		for p := range sim.NumPlanes {
			add(results.PlaneName(p), func(f *results.Figures) *results.Estimate { return f.ViolationRate.At(p) }, declared.MaxViolationRate.For(scenarios.Planes[p]), in.Tolerate)
		}
		add(BlockingFigure, func(f *results.Figures) *results.Estimate { return &f.BlockingProbability }, declared.MaxBlocking, tolerateBlocking)
	}
}

// noteLimits records what got worse or better in blocking and groups.
func (r *Report) noteLimits() {
	d := r.Simulation
	for _, b := range d.Blocking {
		r.note(b.Effect, b.Population+" blocking: "+ChangeSentence("blocking", b.Blocking, b.Effect, *d.MaxBlocking, d.MaxBlockingSource, "--tolerate-blocking"))
	}
	for _, g := range d.Groups {
		if g.Limit != nil {
			r.note(g.Effect, "group "+g.Group+": "+GroupSentence(g))
		}
	}
}

// GroupSentence says how a rate of a group held to a limit moved.
func GroupSentence(g GroupChange) string {
	return ChangeSentence(groupFigure(g.Figure)+" of its joins", g.Rate, g.Effect, *g.Limit, "run.groups["+g.Group+"]", tolerateFlag(g.Figure))
}

// tolerateFlag names the flag that tolerates a rise of figure.
func tolerateFlag(figure string) string {
	if figure == BlockingFigure {
		return "--tolerate-blocking"
	}
	return "--tolerate"
}

// groupFigure names a rate of a group: "media violation rate", "blocking".
func groupFigure(figure string) string {
	if figure == BlockingFigure {
		return figure
	}
	return figure + " violation rate"
}

// ChangeSentence says how a rate moved, e.g. "blocking rose from < 0.01%
// to 4.13%, paired change +4.12% [3.9%, 4.3%], above its limit 1%
// (--max-blocking)"; tolerate names the flag a rise was more than.
func ChangeSentence(what string, d results.Difference, effect string, limit float64, limitSource, tolerate string) string {
	verb := "rose"
	if d.Change.Mean < 0 {
		verb = "fell"
	}
	s := fmt.Sprintf("%s %s from %s to %s, paired change %s", what, verb, RateText(d.Baseline), RateText(d.This), changeInterval(d.Change))
	switch {
	case effect == EffectWorse && d.This.Mean > limit:
		s += ", above its limit " + results.LimitText(limit) + " (" + limitSource + ")"
	case effect == EffectWorse:
		s += ", more than " + tolerate
	}
	return s
}

// RateText writes a rate's mean as a percentage, or, when no replication
// counted an event, its bound: "< 0.00029%", not 0%.
func RateText(e results.Estimate) string {
	if e.UpperBy == results.UpperClopperPearson {
		return "< " + results.Percent(e.Upper)
	}
	return results.Percent(e.Mean)
}
