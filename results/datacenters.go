package results

import "github.com/geofence/geofence/sim"

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
	Dropped           Estimate `json:"dropped"`
	MeanOccupancy     Estimate `json:"mean_occupancy"`
	// Utilisation is nil when the plane's capacity is unlimited.
	Utilisation    *Estimate `json:"utilisation,omitempty"`
	TimeCongestion Estimate  `json:"time_congestion"`
	DownFraction   Estimate  `json:"down_fraction"`
}

// datacenterReports estimates the figures of each datacenter of m, for
// the planes it serves.
func datacenterReports(m *sim.Model, reps []*sim.Replication) []DatacenterReport {
	out := make([]DatacenterReport, len(m.Datacenters))
	for i, info := range m.Datacenters {
		d := DatacenterReport{ID: info.ID, Region: info.Region, Jurisdiction: info.Jurisdiction, Planes: []PlaneReport{}}
		for p := range sim.NumPlanes {
			if !info.Serves[p] {
				continue
			}
			d.Planes = append(d.Planes, planeReport(reps, i, p, info.Capacity[p] >= 0))
		}
		out[i] = d
	}
	return out
}

// planeReport estimates the figures of plane p of datacenter dc.
func planeReport(reps []*sim.Replication, dc int, p sim.Plane, finite bool) PlaneReport {
	tally := func(rep *sim.Replication) *sim.PlaneTally { return &rep.Datacenters[dc].Planes[p] }
	count := func(f func(*sim.PlaneTally) int64) Estimate {
		return EstimateOf(perRep(reps, func(rep *sim.Replication) float64 { return float64(f(tally(rep))) }))
	}
	// perWindow is a time integral divided by the measured window.
	perWindow := func(f func(*sim.PlaneTally) float64) Estimate {
		return EstimateOf(perRep(reps, func(rep *sim.Replication) float64 { return ratio(f(tally(rep)), rep.Window) }))
	}
	pr := PlaneReport{
		Plane:             planeName(p),
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
		u := EstimateOf(perRep(reps, func(rep *sim.Replication) float64 {
			t := tally(rep)
			return ratio(t.BusyArea, t.CapArea)
		}))
		pr.Utilisation = &u
	}
	return pr
}
