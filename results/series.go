package results

import (
	"cmp"
	"encoding/json"
	"math"
	"slices"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// Series is the time series that feed the charts: for every time bucket,
// the mean over replications of a figure in that bucket. Buckets lying
// wholly inside the warm-up were not measured; their values are NaN.
type Series struct {
	StartS      []float64          `json:"start_s"` // start of each bucket, seconds
	Populations []PopulationSeries `json:"populations"`
	Datacenters []DatacenterSeries `json:"datacenters"`
	// Forbidden is the violations of every population per bucket, by the
	// plane whose fence broke, the route that led there and the
	// jurisdiction they landed in: the stacks of a chart of forbidden
	// landings over the day. Only combinations that occurred are listed.
	Forbidden []ForbiddenSeries `json:"forbidden"`
	// ForbiddenTotals is, for each plane in Forbidden, its stacks added
	// up: the plane's violations per bucket, every jurisdiction and route
	// together, with the 95% interval over replications of each bucket.
	ForbiddenTotals []ForbiddenBand `json:"forbidden_totals"`
}

// PopulationSeries is a population's joins per bucket, by arrival time.
type PopulationSeries struct {
	ID         string      `json:"id"`
	Offered    Values      `json:"offered"`
	Secondary  Values      `json:"admitted_secondary"`
	Blocked    Values      `json:"blocked"`
	Violations PlaneValues `json:"violations"`
}

// DatacenterSeries is a datacenter's mean occupancy per bucket, for each
// plane it serves.
type DatacenterSeries struct {
	ID     string           `json:"id"`
	Planes []PlaneOccupancy `json:"planes"`
	// Timeline is the datacenter's outages and capacity changes before
	// the horizon, as its scenario gives them, in time order.
	Timeline []TimelineEvent `json:"timeline"`
}

// TimelineEvent is one entry of a datacenter's timeline: it goes down or
// comes up, or some planes get a new capacity, or both.
type TimelineEvent struct {
	AtS      float64          `json:"at_s"`            // seconds from simulation time 0
	State    string           `json:"state,omitempty"` // "up" or "down"; empty when it does not change
	Capacity []CapacityChange `json:"capacity"`
}

// CapacityChange is a plane's new capacity.
type CapacityChange struct {
	Plane    string `json:"plane"`
	Capacity *int64 `json:"capacity"` // null: unlimited
}

// PlaneOccupancy is the time-average number of participants a plane held
// in each bucket, over the bucket's measured part, and the time-average
// capacity it had (0 while down; null throughout when unlimited).
type PlaneOccupancy struct {
	Plane     string `json:"plane"`
	Occupancy Values `json:"occupancy"`
	Capacity  Values `json:"capacity"`
	// Utilisation is Occupancy / Capacity in each bucket: NaN (null) when
	// the capacity is unlimited or was 0 throughout the bucket.
	Utilisation Values `json:"utilisation"`
}

// ForbiddenBand is one plane's violations per bucket with the 95%
// Student-t interval over replications of each bucket's mean.
type ForbiddenBand struct {
	Plane      string `json:"plane"`
	Violations Values `json:"violations"` // mean, as the Forbidden stacks add up
	Low        Values `json:"low"`
	High       Values `json:"high"`
}

// ForbiddenSeries is the mean number of violations per bucket that landed
// in one jurisdiction for one plane.
type ForbiddenSeries struct {
	Plane        string `json:"plane"`
	Via          string `json:"via"`
	Jurisdiction string `json:"jurisdiction"`
	Violations   Values `json:"violations"`
}

// Values is a series of means; NaN marks a value that is undefined and is
// encoded as null in JSON.
type Values []float64

// series computes the series from the bucket sums.
func (a *Accumulator) series() Series {
	m := a.model
	n := float64(len(a.records))
	starts := make([]float64, m.NumBuckets)
	measured := make([]float64, m.NumBuckets) // seconds of each bucket inside [warm-up, horizon)
	for b := range starts {
		starts[b] = float64(b) * m.Bucket
		end := min(starts[b]+m.Bucket, m.Horizon)
		measured[b] = max(end-max(starts[b], m.Warmup), 0)
	}
	// mean is f's sum over replications in each measured bucket, divided by
	// their number.
	mean := func(f func(b int) float64) Values {
		v := make(Values, m.NumBuckets)
		for b := range v {
			if measured[b] == 0 {
				v[b] = math.NaN()
				continue
			}
			v[b] = f(b) / n
		}
		return v
	}

	s := Series{
		StartS:      starts,
		Populations: make([]PopulationSeries, len(m.Populations)),
		Datacenters: make([]DatacenterSeries, len(m.Datacenters)),
		Forbidden:   []ForbiddenSeries{},
	}
	for i, info := range m.Populations {
		sums := a.sums.Populations[i]
		bucket := func(f func(*sim.BucketTally) int64) Values {
			return mean(func(b int) float64 { return float64(f(&sums[b])) })
		}
		ps := PopulationSeries{
			ID:        info.ID,
			Offered:   bucket(func(t *sim.BucketTally) int64 { return t.Offered }),
			Secondary: bucket(func(t *sim.BucketTally) int64 { return t.Secondary }),
			Blocked:   bucket(func(t *sim.BucketTally) int64 { return t.Blocked }),
		}
		for p := range sim.NumPlanes {
			*ps.Violations.At(p) = bucket(func(t *sim.BucketTally) int64 { return t.Violations[p] })
		}
		s.Populations[i] = ps
	}
	for i, info := range m.Datacenters {
		ds := DatacenterSeries{ID: info.ID, Planes: []PlaneOccupancy{}}
		for p := range sim.NumPlanes {
			if !info.Serves[p] {
				continue
			}
			busy := a.sums.Busy[i][p]
			occupancy := mean(func(b int) float64 { return busy[b].value() / measured[b] })
			capacity := Values(m.CapacitySeries(i, p))
			if capacity == nil {
				capacity = nanSeries(m.NumBuckets)
			}
			utilisation := make(Values, m.NumBuckets)
			for b := range utilisation {
				utilisation[b] = ratio(occupancy[b], capacity[b])
			}
			ds.Planes = append(ds.Planes, PlaneOccupancy{Plane: PlaneName(p), Occupancy: occupancy, Capacity: capacity, Utilisation: utilisation})
		}
		ds.Timeline = timelineOf(m, info.ID)
		s.Datacenters[i] = ds
	}
	s.Forbidden = a.forbiddenSeries(mean)
	s.ForbiddenTotals = a.forbiddenTotals(s.Forbidden, measured)
	return s
}

// forbiddenTotals estimates each plane's violations per bucket, for the
// planes that have forbidden series, from the sums and sums of squares
// over replications.
func (a *Accumulator) forbiddenTotals(forbidden []ForbiddenSeries, measured []float64) []ForbiddenBand {
	out := []ForbiddenBand{}
	for p := range sim.NumPlanes {
		name := PlaneName(p)
		if !slices.ContainsFunc(forbidden, func(f ForbiddenSeries) bool { return f.Plane == name }) {
			continue
		}
		band := ForbiddenBand{Plane: name, Violations: make(Values, len(measured)), Low: make(Values, len(measured)), High: make(Values, len(measured))}
		for b, m := range a.sums.Forbidden[p] {
			if measured[b] == 0 {
				band.Violations[b], band.Low[b], band.High[b] = math.NaN(), math.NaN(), math.NaN()
				continue
			}
			mean, half := meanAndHalfWidth(float64(m.Sum), float64(m.SumSquares), len(a.records))
			band.Violations[b], band.Low[b], band.High[b] = mean, mean-half, mean+half
		}
		out = append(out, band)
	}
	return out
}

// timelineOf is the timeline of the datacenter called id before the
// model's horizon.
func timelineOf(m *sim.Model, id string) []TimelineEvent {
	out := []TimelineEvent{}
	i := slices.IndexFunc(m.Scenario.Datacenters, func(d scenarios.Datacenter) bool { return string(d.ID) == id })
	if i < 0 {
		return out
	}
	for _, e := range m.Scenario.Datacenters[i].Timeline {
		if e.At.Seconds() >= m.Horizon {
			break
		}
		ev := TimelineEvent{AtS: e.At.Seconds(), State: e.State, Capacity: []CapacityChange{}}
		if e.Capacity != nil {
			for _, plane := range scenarios.Planes {
				if c := e.Capacity.For(plane); c != nil {
					change := CapacityChange{Plane: string(plane)}
					if !c.IsUnlimited() {
						n := int64(*c)
						change.Capacity = &n
					}
					ev.Capacity = append(ev.Capacity, change)
				}
			}
		}
		out = append(out, ev)
	}
	return out
}

// forbiddenSeries adds up the causes' buckets by where their violations
// landed.
func (a *Accumulator) forbiddenSeries(mean func(func(b int) float64) Values) []ForbiddenSeries {
	keys := a.forbiddenKeys()
	out := make([]ForbiddenSeries, len(keys))
	for i, k := range keys {
		sum := make([]int64, a.model.NumBuckets)
		for ck, counts := range a.sums.Causes {
			if a.forbiddenKeyOf(ck) != k {
				continue
			}
			for b, n := range counts {
				sum[b] += n
			}
		}
		out[i] = ForbiddenSeries{
			Plane: PlaneName(k.plane), Via: PlaneName(k.via), Jurisdiction: k.jurisdiction,
			Violations: mean(func(b int) float64 { return float64(sum[b]) }),
		}
	}
	return out
}

// forbiddenKey is where violations landed: the plane whose fence broke,
// the route that led there and the jurisdiction.
type forbiddenKey struct {
	plane, via   sim.Plane
	jurisdiction string
}

func (x forbiddenKey) compare(y forbiddenKey) int {
	return cmp.Or(cmp.Compare(x.plane, y.plane), cmp.Compare(x.via, y.via), cmp.Compare(x.jurisdiction, y.jurisdiction))
}

// forbiddenKeyOf is where the violations of cause ck landed.
func (a *Accumulator) forbiddenKeyOf(ck causeKey) forbiddenKey {
	return forbiddenKey{ck.plane, ck.via, a.model.Datacenters[ck.datacenter].Jurisdiction}
}

// forbiddenKeys returns, in order, every place some cause's violations
// landed.
func (a *Accumulator) forbiddenKeys() []forbiddenKey {
	var keys []forbiddenKey
	for ck := range a.sums.Causes {
		if k := a.forbiddenKeyOf(ck); !slices.Contains(keys, k) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, forbiddenKey.compare)
	return keys
}

// MarshalJSON encodes v with every non-finite value as null.
func (v Values) MarshalJSON() ([]byte, error) {
	out := make([]*float64, len(v))
	for i, x := range v {
		out[i] = finiteOrNil(x)
	}
	return json.Marshal(out)
}

// UnmarshalJSON reads what MarshalJSON writes, null becoming NaN.
func (v *Values) UnmarshalJSON(data []byte) error {
	var in []*float64
	if err := json.Unmarshal(data, &in); err != nil {
		return err
	}
	*v = make(Values, len(in))
	for i, x := range in {
		(*v)[i] = nanIfNil(x)
	}
	return nil
}
