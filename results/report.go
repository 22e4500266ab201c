// Package results turns the raw tallies of a simulation into a Report of
// estimates with confidence intervals, and renders a Report as a table,
// JSON, CSV or Markdown. Every statistic is computed once, by Summarize; a
// renderer only formats what the Report holds.
package results

import (
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// FormatVersion is the version of the Report's JSON layout. It changes
// when a field is renamed or removed, not when one is added.
const FormatVersion = 1

// Meta is what Summarize cannot learn from the model: who made the report
// and from which file and seed.
type Meta struct {
	Tool, Version string
	Seed          uint64
	File, SHA256  string // scenario file as given and the hex SHA-256 of its bytes
}

// Report is every figure of a run, estimated over its replications.
type Report struct {
	FormatVersion int          `json:"format_version"`
	Tool          string       `json:"tool"`
	Version       string       `json:"version"`
	Scenario      ScenarioRef  `json:"scenario"`
	Seed          uint64       `json:"seed"`
	Replications  int          `json:"replications"`
	HorizonS      float64      `json:"horizon_s"`
	WarmupS       float64      `json:"warmup_s"`
	BucketS       float64      `json:"bucket_s"`
	Confidence    float64      `json:"confidence"`
	Definitions   []Definition `json:"definitions"`

	Populations []PopulationReport `json:"populations"`
	Total       Figures            `json:"total"`
	Datacenters []DatacenterReport `json:"datacenters"`
	Causes      []CauseReport      `json:"causes"`
	Series      Series             `json:"series"`
}

// ScenarioRef identifies the scenario a report was computed from.
type ScenarioRef struct {
	Name   string `json:"name"`
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
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
	LatencyP50          Estimate `json:"latency_p50"` // seconds
	LatencyP95          Estimate `json:"latency_p95"` // seconds
	LatencyP99          Estimate `json:"latency_p99"` // seconds
}

// PerPlane holds one figure for each plane.
type PerPlane struct {
	Media     Estimate `json:"media"`
	Keys      Estimate `json:"keys"`
	Connector Estimate `json:"connector"`
}

// Summarize estimates every figure of m from the replications reps.
// Each replication must have been run on m: one tally per population and
// datacenter of m, in model order, with m.NumBuckets buckets each.
func Summarize(m *sim.Model, reps []*sim.Replication, meta Meta) *Report {
	return &Report{
		FormatVersion: FormatVersion,
		Tool:          meta.Tool,
		Version:       meta.Version,
		Scenario:      ScenarioRef{Name: m.Scenario.Name, File: meta.File, SHA256: meta.SHA256},
		Seed:          meta.Seed,
		Replications:  len(reps),
		HorizonS:      m.Horizon,
		WarmupS:       m.Warmup,
		BucketS:       m.Bucket,
		Confidence:    Confidence,
		Definitions:   Legend(),
		Populations:   populationReports(m, reps),
		Total:         totalFigures(reps),
		Datacenters:   datacenterReports(m, reps),
		Causes:        causeReports(m, reps),
		Series:        seriesOf(m, reps),
	}
}

// planeName is the scenario's name for p.
func planeName(p sim.Plane) string { return string(scenarios.Planes[p]) }

// perRep returns f of each replication, in replication order.
func perRep[T any](items []T, f func(T) float64) []float64 {
	xs := make([]float64, len(items))
	for i, it := range items {
		xs[i] = f(it)
	}
	return xs
}
