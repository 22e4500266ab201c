package render

import (
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/sim"
)

func planDoc(r *study.PlanReport) textDoc {
	q := r.Question
	goal := q.Goal
	how := PlanHow(q)
	answer := fmt.Sprintf("none: no value from %s to %s keeps every fence's upper bound at or below its limit", results.Number(q.Min), results.Number(q.Max))
	if a := r.Answer; a != nil {
		answer = fmt.Sprintf("%s (plausible %s to %s; decided on %d replications, confirmed on %d)", results.Number(a.Value), results.Number(a.Plausible[0]), results.Number(a.Plausible[1]), a.Replications, a.Confirmed)
	}
	doc := textDoc{
		title: "geofence plan: " + r.Scenario.Name,
		facts: slices.Concat([]fact{
			{"scenario", r.Scenario.Name + ": " + r.Scenario.File + " (sha256 " + r.Scenario.SHA256 + ")"},
		}, overrideFacts(r.Scenario), []fact{
			{"run", fmt.Sprintf("%s %s, seed %d (common random numbers at every value)", r.Tool, r.Version, r.Seed)},
			{"question", fmt.Sprintf("the %s value x from %s to %s, in steps of %s, with %s %s x, that keeps the one-sided 95%% upper bound of every %s of %s at or below its limit",
				goal, results.Number(q.Min), results.Number(q.Max), results.Number(q.Step), strings.Join(q.Paths, " and "), how, heldRates(r), fencesOf(r))},
			{"limits", PlanLimits(r)},
			{"answer", answer},
		}),
	}
	t := newTable("Evaluations, in the order made", 1,
		append([]string{"value", "replications", "passed", "not significantly above"}, append(WorstHeader(r), "95% upper bound")...)...)
	for _, e := range r.Evaluations {
		t.rows = append(t.rows, []string{
			results.Number(e.Value), strconv.Itoa(e.Replications), YesNo(e.Passed), YesNo(e.NotAbove),
			WorstText(e.Worst), RateCell(e.Worst.Rate), results.Percent(e.Worst.Rate.Upper),
		})
	}
	doc.tables = []textTable{t}
	return doc
}

// heldRates names the rates a plan holds to limits.
func heldRates(r *study.PlanReport) string {
	if r.MaxBlocking != nil || slices.ContainsFunc(r.Groups, func(g study.HeldGroup) bool {
		return slices.ContainsFunc(g.Limits, func(l study.HeldLimit) bool { return l.Figure == "blocking" })
	}) {
		return "violation rate and blocking"
	}
	return "violation rate"
}

// WorstHeader names the columns of an evaluation's worst rate and the
// rate: a fence's violation rate, or, when a plan holds blocking or
// groups too, any rate it holds.
func WorstHeader(r *study.PlanReport) []string {
	if r.MaxBlocking != nil || len(r.Groups) > 0 {
		return []string{"worst rate held", "its rate"}
	}
	return []string{"worst fence", "its violation rate"}
}

// PlanHow says how a plan applies its value to its paths: "set to",
// "multiplied by".
func PlanHow(q study.PlanQuestion) string {
	if q.By == "set" {
		return "set to"
	}
	return "multiplied by"
}

// PlanLimits says each limit a plan holds rates to and where it came
// from: "media 0.001 (--max-violation-rate-media), …, blocking 0.01
// (--max-blocking)".
func PlanLimits(r *study.PlanReport) string {
	limits := make([]string, sim.NumPlanes)
	for p := range sim.NumPlanes {
		limits[p] = fmt.Sprintf("%s %s (%s)", results.PlaneName(p), results.LimitText(r.Limits[p]), r.LimitSource[p])
	}
	if r.MaxBlocking != nil {
		limits = append(limits, fmt.Sprintf("blocking %s (%s)", results.LimitText(*r.MaxBlocking), r.MaxBlockingSource))
	}
	for _, g := range r.Groups {
		held := make([]string, len(g.Limits))
		for i, l := range g.Limits {
			held[i] = fmt.Sprintf("%s %s (%s)", l.Figure, results.LimitText(l.Limit), l.Source)
		}
		limits = append(limits, "group "+g.ID+" ("+strings.Join(g.Populations, ", ")+", its joins pooled): "+strings.Join(held, ", "))
	}
	return strings.Join(limits, ", ")
}

// WorstText names the rate a plan's evaluation found furthest over (or
// nearest under) its limit: "us-free media", "eu-de-free blocking",
// "group eu-calls media".
func WorstText(w results.FenceRate) string {
	if w.Group {
		return "group " + w.Population + " " + w.Plane
	}
	return w.Population + " " + w.Plane
}

// fencesOf names the populations whose fences a plan holds to their
// limits, and the groups whose pooled rates it holds.
func fencesOf(r *study.PlanReport) string {
	if len(r.Question.Populations) == 0 {
		return "every population"
	}
	names := make([]string, len(r.Question.Populations))
	for i, n := range r.Question.Populations {
		names[i] = n
		if slices.ContainsFunc(r.Groups, func(g study.HeldGroup) bool { return g.ID == n }) {
			names[i] = "group " + n + " (its joins pooled)"
		}
	}
	return strings.Join(names, ", ")
}

func YesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}

// sweepDoc lays out a sweep: its facts, then one row per point with the
// total blocking and violation rates by plane.
func sweepDoc(r *study.SweepReport) textDoc {
	doc := textDoc{
		title: "geofence sweep: " + r.Study.File,
		facts: []fact{
			{"study", r.Study.File + " (sha256 " + r.Study.SHA256 + ")"},
			{"scenario", r.Scenario.Name + ": " + r.Scenario.File + " (sha256 " + r.Scenario.SHA256 + ")"},
		},
	}
	doc.facts = append(doc.facts, overrideFacts(r.Scenario)...)
	if words := InWordsText(r.AtEveryPoint); words != "" {
		doc.facts = append(doc.facts, fact{"at every point", words})
	}
	doc.facts = append(doc.facts,
		fact{"run", fmt.Sprintf("%s %s, seed %d, %d replications at each of %d points (common random numbers)", r.Tool, r.Version, r.Seed, r.Replications, len(r.Points))},
		fact{"intervals", IntervalsText(r.Confidence) + "; ≤ the one-sided 95% upper bound; < a bound where no replication saw any"},
	)
	t := newTable("Points: all populations", len(r.Axes), PointsHeader(r)...)
	for _, pt := range r.Points {
		row := append([]string{}, pt.Values...)
		row = append(row, EstimateCell(pt.Headline.JoinsPerDay, Count, r.Replications), rateWithUpper(pt.Total.BlockingProbability))
		for p := range sim.NumPlanes {
			row = append(row, rateWithUpper(*pt.Total.ViolationRate.At(p)))
		}
		t.rows = append(t.rows, row)
	}
	doc.tables = []textTable{t}
	return doc
}

// rateWithUpper writes a rate as rateCell does, with its upper bound when
// some replication saw events: "0.27% ± 0.03% (≤ 0.29%)".
func rateWithUpper(e results.Estimate) string {
	if e.UpperBy == results.UpperStudentT {
		return RateCell(e) + " (≤ " + results.Percent(e.Upper) + ")"
	}
	return RateCell(e)
}

// PointsHeader heads the table of a sweep's points: a column per axis,
// then the totals of every population, joins a day, blocking and each
// plane's violation rate.
func PointsHeader(r *study.SweepReport) []string {
	var header []string
	for _, a := range r.Axes {
		header = append(header, a.Path)
	}
	header = append(header, "joins a day", "blocking")
	for p := range sim.NumPlanes {
		header = append(header, results.PlaneName(p)+" violation rate")
	}
	return header
}

// renderSweepCSV writes every figure of every point as a tidy row: the
// provenance, one column per axis (named by its path) with the point's
// value, then the figure of the total or of one population.
func renderSweepCSV(w io.Writer, r *study.SweepReport) error {
	cw := csv.NewWriter(w)
	header := []string{"study", "study_sha256", "scenario", "sha256", "seed", "version", "overrides"}
	for _, a := range r.Axes {
		header = append(header, csvSafe(a.Path))
	}
	header = append(header, "section", "population", "plane", "figure", "value", "low", "high", "half_width", "upper", "n")
	if err := cw.Write(header); err != nil {
		return err
	}
	provenance := []string{r.Study.File, r.Study.SHA256, r.Scenario.Name, r.Scenario.SHA256, strconv.FormatUint(r.Seed, 10), r.Version, OverridesCell(r.Scenario)}
	for i := range provenance {
		provenance[i] = csvSafe(provenance[i])
	}
	for _, pt := range r.Points {
		lead := slices.Clone(provenance)
		for _, v := range pt.Values {
			lead = append(lead, csvSafe(v))
		}
		write := func(section, population string, f *results.Figures) error {
			for _, nf := range figureList(f) {
				row := append(slices.Clone(lead), section, csvSafe(population), nf.plane, nf.name)
				if err := cw.Write(append(row, nf.csv()...)); err != nil {
					return err
				}
			}
			return nil
		}
		if err := write("total", "", &pt.Total); err != nil {
			return err
		}
		for _, p := range pt.Populations {
			if err := write("population", p.ID, &p.Figures); err != nil {
				return err
			}
		}
	}
	cw.Flush()
	return cw.Error()
}
