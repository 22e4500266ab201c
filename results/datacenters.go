package results

import (
	"github.com/geofence/geofence/sim"
)

// DatacenterReport is the figures of one datacenter, per plane it serves.
type DatacenterReport struct {
	ID           string        `json:"id"`
	Region       string        `json:"region"`
	Jurisdiction string        `json:"jurisdiction"`
	Planes       []PlaneReport `json:"planes"`
}

// PlaneReport is what one plane of a datacenter saw.
type PlaneReport struct {
	Plane             string   `json:"plane"`
	AdmittedPrimary   Estimate `json:"admitted_primary"`
	AdmittedSecondary Estimate `json:"admitted_secondary"`
	Refused           Estimate `json:"refused"`
	Failed            Estimate `json:"failed"`
	Violations        Estimate `json:"violations"`
	// KeyCopies and KeyCopyViolations are for connector planes only: keys
	// copied to the connector, and those copies in a jurisdiction forbidden
	// for the joining population's keys (key violations, which the
	// population tables count under keys).
	KeyCopies         *Estimate `json:"key_copies,omitempty"`
	KeyCopyViolations *Estimate `json:"key_copy_violations,omitempty"`
	Dropped           Estimate  `json:"dropped"`
	MeanOccupancy     Estimate  `json:"mean_occupancy"`
	// Utilisation is nil when the plane's capacity is unlimited.
	Utilisation    *Estimate `json:"utilisation,omitempty"`
	TimeCongestion Estimate  `json:"time_congestion"`
	DownFraction   Estimate  `json:"down_fraction"`
}

// datacenterReports estimates the figures of each datacenter, for the
// planes it serves.
func (a *Accumulator) datacenterReports() []DatacenterReport {
	out := make([]DatacenterReport, len(a.model.Datacenters))
	for i, info := range a.model.Datacenters {
		d := DatacenterReport{ID: info.ID, Region: info.Region, Jurisdiction: info.Jurisdiction, Planes: []PlaneReport{}}
		for p := range sim.NumPlanes {
			if !info.Serves[p] {
				continue
			}
			d.Planes = append(d.Planes, planeReport(a.records, i, p, info.Capacity[p] >= 0))
		}
		out[i] = d
	}
	return out
}

// planeReport estimates the figures of plane p of datacenter dc.
func planeReport(records []*record, dc int, p sim.Plane, finite bool) PlaneReport {
	tally := func(r *record) *sim.PlaneTally { return &r.Datacenters[dc].Planes[p] }
	count := func(f func(*sim.PlaneTally) int64) Estimate {
		return EstimateOf(perRep(records, func(r *record) float64 { return float64(f(tally(r))) }))
	}
	// perWindow is a time integral divided by the measured window.
	perWindow := func(f func(*sim.PlaneTally) float64) Estimate {
		return EstimateOf(perRep(records, func(r *record) float64 { return ratio(f(tally(r)), r.Window) }))
	}
	pr := PlaneReport{
		Plane:             PlaneName(p),
		AdmittedPrimary:   count(func(t *sim.PlaneTally) int64 { return t.AdmittedPrimary }),
		AdmittedSecondary: count(func(t *sim.PlaneTally) int64 { return t.AdmittedSecondary }),
		Refused:           count(func(t *sim.PlaneTally) int64 { return t.Refused }),
		Failed:            count(func(t *sim.PlaneTally) int64 { return t.Failed }),
		Violations:        count(func(t *sim.PlaneTally) int64 { return t.Violations }),
		Dropped:           count(func(t *sim.PlaneTally) int64 { return t.Dropped }),
		MeanOccupancy:     perWindow(func(t *sim.PlaneTally) float64 { return t.BusyArea }),
		TimeCongestion:    perWindow(func(t *sim.PlaneTally) float64 { return t.FullTime }),
		DownFraction:      perWindow(func(t *sim.PlaneTally) float64 { return t.DownTime }),
	}
	if finite {
		u := EstimateOf(perRep(records, func(r *record) float64 {
			t := tally(r)
			return ratio(t.BusyArea, t.CapArea)
		}))
		pr.Utilisation = &u
	}
	if p == sim.Connector {
		copies := count(func(t *sim.PlaneTally) int64 { return t.KeyCopies })
		violations := count(func(t *sim.PlaneTally) int64 { return t.KeyCopyViolations })
		pr.KeyCopies, pr.KeyCopyViolations = &copies, &violations
	}
	return pr
}
