package results

import (
	"fmt"
	"time"

	"github.com/geofence/geofence/results/legend"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// Location is a value in the scenario file: its path, as
// scenarios.Source.Pos takes it, and its line and column (0 when unknown).
type Location struct {
	Path string `json:"path"`
	// File is the file the value stands in when it is not the scenario:
	// a file the scenario imports routing from.
	File   string `json:"file,omitempty"`
	Line   int    `json:"line"`
	Column int    `json:"column"`
}

// population returns the report of the population called id.
func (r *Report) Population(id string) *PopulationReport {
	for i := range r.Populations {
		if r.Populations[i].ID == id {
			return &r.Populations[i]
		}
	}
	return &PopulationReport{}
}

// planeIndex is the index of the plane called name.
func PlaneIndex(name string) sim.Plane {
	for p := range sim.NumPlanes {
		if PlaneName(p) == name {
			return p
		}
	}
	return sim.Media
}

// Window spells time bucket b of r as every output does: its clock times
// in UTC, "15:00–16:00 UTC", with the day when it is not the first day of
// the run, "00:00–01:00 UTC (day 2)". Clock times come from the report's
// start (00:00 UTC when the scenario gives none).
func (r *Report) Window(b int) string {
	from := float64(b) * r.BucketS
	return scenarios.Window(r.startTime(), from, min(from+r.BucketS, r.HorizonS))
}

// clock is simulation time t as a UTC clock time, "15:00 UTC", or
// "00:00 UTC (day 2)" past the first day.
func (r *Report) Clock(t float64) string { return scenarios.Clock(r.startTime(), t) }

// clockTime is the UTC time of day at simulation time t, "15:00"; seconds
// and fractions are shown only when t has them.
func (r *Report) ClockTime(t float64) string { return scenarios.ClockTime(r.startTime(), t) }

// day is the day of the run, counted from 1, that simulation time t falls
// in, by the UTC calendar.
func (r *Report) Day(t float64) int { return scenarios.DayOf(r.startTime(), t) }

// startTime is the calendar time of simulation time 0: the report's start,
// or midnight UTC of no particular day.
func (r *Report) startTime() time.Time {
	return scenarios.RunSettings{Start: r.Start}.Origin()
}

// FormatVersion is the version of the Report's JSON layout. It changes
// when a field is renamed or removed, not when one is added.
const FormatVersion = 1

// Meta is what a report cannot learn from the model: who made it, from
// which file, overrides and seed.
type Meta struct {
	Tool, Version string
	Seed          uint64
	File, SHA256  string   // scenario file as given and the hex SHA-256 of its bytes (and of the files it imports)
	Imports       []string // files the scenario imports routing from, as findings in them name them
	Overrides     []string // changes made to the file's scenario (--set, --scale), in order
	// InWords says each of Overrides in words, and whether it is a
	// condition of the world or a change to the configuration; nil when
	// there are none.
	InWords []OverrideWords
}

// Header says what a result is and what made it. Every result's JSON
// starts with it, so that a reader (merge, report) can tell one kind from
// another and a layout from the next.
type Header struct {
	Kind string `json:"kind"`
	// FormatVersion is the version of the kind's JSON layout. It changes
	// when a field is renamed or removed, not when one is added.
	FormatVersion int    `json:"format_version"`
	Tool          string `json:"tool"`
	Version       string `json:"version"`
}

// KindRun is the kind of a run's result: each report says its kind, so that
// a reader of JSON (merge, report) can tell them apart.
const KindRun = "run"

// Report is every figure of a run, estimated over its replications.
type Report struct {
	Header
	Scenario     ScenarioRef `json:"scenario"`
	Seed         uint64      `json:"seed"`
	Replications int         `json:"replications"`
	// Start is the calendar time of simulation time 0 (the scenario's
	// run.start) in RFC 3339 UTC; empty when the scenario gives none, and
	// time 0 is then 00:00 UTC of no particular day.
	Start       string              `json:"start"`
	HorizonS    float64             `json:"horizon_s"`
	WarmupS     float64             `json:"warmup_s"`
	BucketS     float64             `json:"bucket_s"`
	Confidence  float64             `json:"confidence"`
	Definitions []legend.Definition `json:"definitions"`

	Headline    Headline           `json:"headline"`
	Populations []PopulationReport `json:"populations"`
	// Groups are the scenario's groups of populations (run.groups), their
	// figures of their joins pooled; absent when it has none.
	Groups       []GroupReport      `json:"groups,omitempty"`
	Total        Figures            `json:"total"`
	Datacenters  []DatacenterReport `json:"datacenters"`
	Causes       []CauseReport      `json:"causes"`
	Landings     []Landing          `json:"landings"`
	Destinations []Destination      `json:"destinations"`
	// Blame adds the causes up by the scenario entry that let them in.
	Blame  []Blame `json:"blame"`
	Series Series  `json:"series"`
}

// ScenarioRef identifies the scenario a report was computed from: the file,
// its hash, and the overrides applied to it.
type ScenarioRef struct {
	Name        string `json:"name"`
	Description string `json:"description"`
	File        string `json:"file"`
	SHA256      string `json:"sha256"` // of the file and, when it imports routing, of the files it imports
	// Imports are the files the scenario imports routing from, as
	// findings located in them name them.
	Imports   []string `json:"imports,omitempty"`
	Overrides []string `json:"overrides"`
	// InWords says each override in words, in order, and whether it is a
	// condition (every side of a comparison ran under it) or a change to
	// this side alone; absent when there are none.
	InWords []OverrideWords `json:"in_words,omitempty"`
}

// OverrideWords is one change made to a scenario file: the override as
// overrides records it, whether it is a condition of the world (--when,
// --load, --scale, a study's when: every side of a comparison runs under
// it) or a change to the configuration under review (--set, --set-old),
// and what it did in words ("eu-fra down 12:00–14:00 UTC").
type OverrideWords struct {
	Override  string `json:"override"`
	Condition bool   `json:"condition"`
	Words     string `json:"words"`
}

// PopulationReport is the figures of one population.
type PopulationReport struct {
	ID           string `json:"id"`
	Region       string `json:"region"`
	Jurisdiction string `json:"jurisdiction"`
	Plan         string `json:"plan"`
	Figures
}

// Figures is what happened to a set of joins: one population's, or every
// population's for the total.
type Figures struct {
	Offered             Estimate `json:"offered"`
	AdmittedPrimary     Estimate `json:"admitted_primary"`
	AdmittedSecondary   Estimate `json:"admitted_secondary"`
	Blocked             Estimate `json:"blocked"`
	BlockingProbability Estimate `json:"blocking_probability"`
	SecondaryShare      Estimate `json:"secondary_share"`
	Retries             Estimate `json:"retries"`
	// Unanswered and UnansweredRate are given when some population
	// follows a failover or dns route.
	Unanswered     *Estimate `json:"unanswered,omitempty"`
	UnansweredRate *Estimate `json:"unanswered_rate,omitempty"`
	// Rejoins (of Offered) and RejoinBlocking, the share of them
	// blocked, are given when some datacenter goes down: the joins of
	// clients whose call the outage dropped, joining again.
	Rejoins          *Estimate `json:"rejoins,omitempty"`
	RejoinBlocking   *Estimate `json:"rejoin_blocking,omitempty"`
	Violations       PerPlane  `json:"violations"`
	ViolationRate    PerPlane  `json:"violation_rate"`
	ViolatingMinutes PerPlane  `json:"violating_minutes"`
	// ReplicationsWithViolations is, per plane, the replications (simulated
	// days) that had any violation.
	ReplicationsWithViolations PerPlaneProportion `json:"replications_with_violations"`
	LatencyP50                 Estimate           `json:"latency_p50"` // seconds
	LatencyP95                 Estimate           `json:"latency_p95"` // seconds
	LatencyP99                 Estimate           `json:"latency_p99"` // seconds
}

// Report estimates every figure from the replications added. It needs all
// of them: an accumulator of a shard reports once the other shards are
// merged into it, and only from replication 0.
func (a *Accumulator) Report(meta Meta) (*Report, error) {
	if missing := a.Missing(); len(missing) > 0 || a.from != 0 {
		return nil, fmt.Errorf("results: %d replications are missing, the first %d", len(missing), a.firstMissing())
	}
	m := a.model
	r := &Report{
		Header:       Header{Kind: KindRun, FormatVersion: FormatVersion, Tool: meta.Tool, Version: meta.Version},
		Scenario:     ScenarioRefOf(m.Scenario, meta),
		Seed:         meta.Seed,
		Replications: len(a.records),
		Start:        startOf(m.Scenario),
		HorizonS:     m.Horizon,
		WarmupS:      m.Warmup,
		BucketS:      m.Bucket,
		Confidence:   Confidence,
		Definitions:  legend.Figures(),
		Populations:  a.populationReports(),
		Total:        a.totalFigures(),
		Datacenters:  a.datacenterReports(),
		Causes:       a.causeReports(),
		Landings:     a.landings(),
		Destinations: a.destinations(),
		Series:       a.series(),
	}
	r.Groups = groupReports(m.Scenario, r.Populations)
	r.Headline = a.headline(r)
	r.Blame = blameOf(r.Causes)
	return r, nil
}

// scenarioRefOf identifies scenario s as meta says it was read and changed.
func ScenarioRefOf(s *scenarios.Scenario, meta Meta) ScenarioRef {
	return ScenarioRef{Name: s.Name, Description: s.Description, File: meta.File, SHA256: meta.SHA256, Imports: meta.Imports, Overrides: append([]string{}, meta.Overrides...), InWords: meta.InWords}
}

// startOf is the scenario's run.start in UTC, or "".
func startOf(s *scenarios.Scenario) string {
	if s == nil || s.Run.Start == "" {
		return ""
	}
	t, err := s.Run.StartTime()
	if err != nil {
		return ""
	}
	return t.UTC().Format(time.RFC3339)
}

// firstMissing is the first replication not added, or -1.
func (a *Accumulator) firstMissing() int {
	if missing := a.Missing(); len(missing) > 0 {
		return missing[0]
	}
	return -1
}

// planeName is the scenario's name for p.
func PlaneName(p sim.Plane) string { return string(scenarios.Planes[p]) }

// perRep returns f of each replication, in replication order.
func perRep[T, U any](items []T, f func(T) U) []U {
	out := make([]U, len(items))
	for i, it := range items {
		out[i] = f(it)
	}
	return out
}

// Head is the header of the result h is part of.
func (h Header) Head() Header { return h }
