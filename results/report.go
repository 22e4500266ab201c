// Package results turns the raw tallies of a simulation into a Report of
// estimates with confidence intervals, and renders a Report as a table,
// JSON, CSV or Markdown, and any result as one HTML page with charts.
// Every statistic is computed once, by an Accumulator; a renderer only formats
// what the Report holds.
package results

import (
	"fmt"
	"time"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// FormatVersion is the version of the Report's JSON layout. It changes
// when a field is renamed or removed, not when one is added.
const FormatVersion = 1

// Meta is what a report cannot learn from the model: who made it, from
// which file, overrides and seed.
type Meta struct {
	Tool, Version string
	Seed          uint64
	File, SHA256  string   // scenario file as given and the hex SHA-256 of its bytes
	Overrides     []string // changes made to the file's scenario (--set, --scale), in order
}

// The kinds of result a JSON file holds, so that a reader (merge, report)
// can tell them apart.
const (
	KindRun   = "run"
	KindCheck = "check"
)

// Report is every figure of a run, estimated over its replications.
type Report struct {
	Kind          string      `json:"kind"` // KindRun
	FormatVersion int         `json:"format_version"`
	Tool          string      `json:"tool"`
	Version       string      `json:"version"`
	Scenario      ScenarioRef `json:"scenario"`
	Seed          uint64      `json:"seed"`
	Replications  int         `json:"replications"`
	// Start is the calendar time of simulation time 0 (the scenario's
	// run.start) in RFC 3339 UTC; empty when the scenario gives none, and
	// time 0 is then 00:00 UTC of no particular day.
	Start       string       `json:"start"`
	HorizonS    float64      `json:"horizon_s"`
	WarmupS     float64      `json:"warmup_s"`
	BucketS     float64      `json:"bucket_s"`
	Confidence  float64      `json:"confidence"`
	Definitions []Definition `json:"definitions"`

	Headline     Headline           `json:"headline"`
	Populations  []PopulationReport `json:"populations"`
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
	Name        string   `json:"name"`
	Description string   `json:"description"`
	File        string   `json:"file"`
	SHA256      string   `json:"sha256"`
	Overrides   []string `json:"overrides"`
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
	Violations          PerPlane `json:"violations"`
	ViolationRate       PerPlane `json:"violation_rate"`
	ViolatingMinutes    PerPlane `json:"violating_minutes"`
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
		Kind:          KindRun,
		FormatVersion: FormatVersion,
		Tool:          meta.Tool,
		Version:       meta.Version,
		Scenario:      scenarioRefOf(m.Scenario, meta),
		Seed:          meta.Seed,
		Replications:  len(a.records),
		Start:         startOf(m.Scenario),
		HorizonS:      m.Horizon,
		WarmupS:       m.Warmup,
		BucketS:       m.Bucket,
		Confidence:    Confidence,
		Definitions:   Legend(),
		Populations:   a.populationReports(),
		Total:         a.totalFigures(),
		Datacenters:   a.datacenterReports(),
		Causes:        a.causeReports(),
		Landings:      a.landings(),
		Destinations:  a.destinations(),
		Series:        a.series(),
	}
	r.Headline = a.headline(r)
	r.Blame = blameOf(r.Causes)
	return r, nil
}

// scenarioRefOf identifies scenario s as meta says it was read and changed.
func scenarioRefOf(s *scenarios.Scenario, meta Meta) ScenarioRef {
	return ScenarioRef{Name: s.Name, Description: s.Description, File: meta.File, SHA256: meta.SHA256, Overrides: append([]string{}, meta.Overrides...)}
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
func planeName(p sim.Plane) string { return string(scenarios.Planes[p]) }

// perRep returns f of each replication, in replication order.
func perRep[T, U any](items []T, f func(T) U) []U {
	out := make([]U, len(items))
	for i, it := range items {
		out[i] = f(it)
	}
	return out
}
