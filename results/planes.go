package results

import (
	"github.com/geofence/geofence/sim"
)

// Planes holds one T for each plane, named as the scenario names them.
type Planes[T any] struct {
	Media     T `json:"media"`
	Keys      T `json:"keys"`
	Connector T `json:"connector"`
}

// At returns the T of plane p.
func (ps *Planes[T]) At(p sim.Plane) *T {
	switch p {
	case sim.Media:
		return &ps.Media
	case sim.Keys:
		return &ps.Keys
	default:
		return &ps.Connector
	}
}

// The per-plane figures of a report.
type (
	PerPlane           = Planes[Estimate]   // an estimate for each plane
	PerPlaneProportion = Planes[Proportion] // a proportion of replications for each plane
	PlaneValues        = Planes[Values]     // a series for each plane
	PlaneDifference    = Planes[Difference] // a paired comparison for each plane
)
