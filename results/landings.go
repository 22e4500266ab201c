package results

import (
	"slices"

	"github.com/geofence/geofence/sim"
)

// Landing is where one population's joins landed for one plane, in one
// jurisdiction: media carried there, keys issued there, dial-ins served by
// connectors there, or keys copied to connectors there (plane keys via
// connector). Allowed says whether the policy allows the population that
// jurisdiction for the plane.
type Landing struct {
	Population   string   `json:"population"`
	Plane        string   `json:"plane"`
	Via          string   `json:"via"`
	Jurisdiction string   `json:"jurisdiction"`
	Allowed      bool     `json:"allowed"`
	Count        Estimate `json:"count"` // per replication
	Share        Estimate `json:"share"` // per join offered
}

// Destination is what landed in one jurisdiction for one plane, from every
// population: in all, from populations of other jurisdictions, and
// forbidden by their policy.
type Destination struct {
	Plane        string   `json:"plane"`
	Via          string   `json:"via"`
	Jurisdiction string   `json:"jurisdiction"`
	Landed       Estimate `json:"landed"`
	Foreign      Estimate `json:"foreign"`
	Forbidden    Estimate `json:"forbidden"`
}

// landings lists, population by population, each plane's landings in each
// jurisdiction that saw any in some replication.
func (a *Accumulator) landings() []Landing {
	out := []Landing{}
	for i, info := range a.model.Populations {
		offered := perRep(a.records, func(r *record) float64 { return float64(r.Populations[i].Offered) })
		for kind := range numLandingKinds {
			plane, via := kind.plane()
			for j, jurisdiction := range a.jurisdictions {
				counts := perRep(a.records, func(r *record) float64 { return float64(r.Populations[i].Landed[j][kind]) })
				if !slices.ContainsFunc(counts, func(c float64) bool { return c > 0 }) {
					continue
				}
				out = append(out, Landing{
					Population: info.ID, Plane: PlaneName(plane), Via: PlaneName(via), Jurisdiction: jurisdiction,
					Allowed: allows(info, plane, jurisdiction),
					Count:   EstimateOf(counts),
					Share:   RateOf(counts, offered),
				})
			}
		}
	}
	return out
}

// destinations adds the landings up by plane and jurisdiction.
func (a *Accumulator) destinations() []Destination {
	out := []Destination{}
	for kind := range numLandingKinds {
		plane, via := kind.plane()
		for j, jurisdiction := range a.jurisdictions {
			sum := func(keep func(info sim.PopulationInfo) bool) []float64 {
				return perRep(a.records, func(r *record) float64 {
					var n int64
					for i, info := range a.model.Populations {
						if keep(info) {
							n += r.Populations[i].Landed[j][kind]
						}
					}
					return float64(n)
				})
			}
			landed := sum(func(sim.PopulationInfo) bool { return true })
			if !slices.ContainsFunc(landed, func(c float64) bool { return c > 0 }) {
				continue
			}
			out = append(out, Destination{
				Plane: PlaneName(plane), Via: PlaneName(via), Jurisdiction: jurisdiction,
				Landed:    EstimateOf(landed),
				Foreign:   EstimateOf(sum(func(info sim.PopulationInfo) bool { return info.Jurisdiction != jurisdiction })),
				Forbidden: EstimateOf(sum(func(info sim.PopulationInfo) bool { return !allows(info, plane, jurisdiction) })),
			})
		}
	}
	return out
}

// allows reports whether the policy allows the population jurisdiction for
// plane.
func allows(info sim.PopulationInfo, plane sim.Plane, jurisdiction string) bool {
	_, ok := slices.BinarySearch(info.Allowed[plane], jurisdiction)
	return ok
}
