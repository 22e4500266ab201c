package study

import (
	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/legend"
)

// KindSweep is the kind of a sweep's result.
const KindSweep = "sweep"

// SweepFormatVersion is the version of the SweepReport's JSON layout. It
// changes when a field is renamed or removed, not when one is added.
const SweepFormatVersion = 1

// SweepReport is a study's result: the figures of one scenario at every
// point of the study's axes. Every point ran with the same seed and
// replications (common random numbers), so differences between points are
// paired; each point's figures are what `geofence run` with the point's
// overrides reports.
type SweepReport struct {
	results.Header
	Study        FileRef             `json:"study"`
	Scenario     results.ScenarioRef `json:"scenario"` // the scenario before the study's changes; its overrides are the command line's
	Seed         uint64              `json:"seed"`
	Replications int                 `json:"replications"`
	Confidence   float64             `json:"confidence"`
	Axes         []SweepAxis         `json:"axes"`
	Points       []SweepPoint        `json:"points"`
	// AtEveryPoint are the study's conditions (when) and fixed overrides
	// (set), in words; absent when it has none.
	AtEveryPoint []results.OverrideWords `json:"at_every_point,omitempty"`
	Definitions  []legend.Definition     `json:"definitions"`
}

// FileRef names a file and the hash of its bytes.
type FileRef struct {
	File   string `json:"file"`
	SHA256 string `json:"sha256"`
}

// SweepAxis is one axis of a study: the value it varies, by its override
// path, and the values it takes, as written. Zip, when not 0, numbers the
// zip (from 1) the axis moves together with: its k-th value goes with the
// k-th of each axis of the same zip, not with every one.
type SweepAxis struct {
	Path   string   `json:"path"`
	Values []string `json:"values"`
	Zip    int      `json:"zip,omitempty"`
}

// SweepPoint is the figures at one point of a study.
type SweepPoint struct {
	Values      []string                   `json:"values"`    // one per axis, as written in the study
	Overrides   []string                   `json:"overrides"` // every change made at this point, in order
	Headline    results.Headline           `json:"headline"`
	Total       results.Figures            `json:"total"`
	Populations []results.PopulationReport `json:"populations"`
	// Groups are the scenario's groups of populations, their figures of
	// their joins pooled; absent when it has none.
	Groups []results.GroupReport `json:"groups,omitempty"`
}

// PointOf keeps of a point's report what a sweep shows.
func PointOf(values []string, r *results.Report) SweepPoint {
	return SweepPoint{Values: values, Overrides: r.Scenario.Overrides, Headline: r.Headline, Total: r.Total, Populations: r.Populations, Groups: r.Groups}
}
