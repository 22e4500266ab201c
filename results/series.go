package results

import (
	"encoding/json"
	"math"

	"github.com/geofence/geofence/sim"
)

// Series is the time series that feed the charts: for every time bucket,
// the mean over replications of a figure in that bucket. Buckets lying
// wholly inside the warm-up were not measured; their values are NaN.
type Series struct {
	StartS      []float64          `json:"start_s"` // start of each bucket, seconds
	Populations []PopulationSeries `json:"populations"`
	Datacenters []DatacenterSeries `json:"datacenters"`
}

// PopulationSeries is a population's joins per bucket, by arrival time.
type PopulationSeries struct {
	ID         string      `json:"id"`
	Offered    Values      `json:"offered"`
	Secondary  Values      `json:"admitted_secondary"`
	Blocked    Values      `json:"blocked"`
	Violations PlaneValues `json:"violations"`
}

// PlaneValues holds one series for each plane.
type PlaneValues struct {
	Media     Values `json:"media"`
	Keys      Values `json:"keys"`
	Connector Values `json:"connector"`
}

// DatacenterSeries is a datacenter's mean occupancy per bucket, for each
// plane it serves.
type DatacenterSeries struct {
	ID     string           `json:"id"`
	Planes []PlaneOccupancy `json:"planes"`
}

// PlaneOccupancy is the time-average number of participants a plane held
// in each bucket, over the bucket's measured part.
type PlaneOccupancy struct {
	Plane     string `json:"plane"`
	Occupancy Values `json:"occupancy"`
}

// Values is a series of means; NaN marks a value that is undefined and is
// encoded as null in JSON.
type Values []float64

// seriesOf computes the series of m from reps.
func seriesOf(m *sim.Model, reps []*sim.Replication) Series {
	starts := make([]float64, m.NumBuckets)
	measured := make([]float64, m.NumBuckets) // seconds of each bucket inside [warm-up, horizon)
	for b := range starts {
		starts[b] = float64(b) * m.Bucket
		end := min(starts[b]+m.Bucket, m.Horizon)
		measured[b] = max(end-max(starts[b], m.Warmup), 0)
	}
	// mean averages f over replications for each measured bucket.
	mean := func(f func(rep *sim.Replication, b int) float64) Values {
		v := make(Values, m.NumBuckets)
		for b := range v {
			if measured[b] == 0 {
				v[b] = math.NaN()
				continue
			}
			for _, rep := range reps {
				v[b] += f(rep, b)
			}
			v[b] /= float64(len(reps))
		}
		return v
	}

	s := Series{
		StartS:      starts,
		Populations: make([]PopulationSeries, len(m.Populations)),
		Datacenters: make([]DatacenterSeries, len(m.Datacenters)),
	}
	for i, info := range m.Populations {
		bucket := func(f func(*sim.BucketTally) int64) Values {
			return mean(func(rep *sim.Replication, b int) float64 { return float64(f(&rep.Populations[i].Buckets[b])) })
		}
		ps := PopulationSeries{
			ID:        info.ID,
			Offered:   bucket(func(t *sim.BucketTally) int64 { return t.Offered }),
			Secondary: bucket(func(t *sim.BucketTally) int64 { return t.Secondary }),
			Blocked:   bucket(func(t *sim.BucketTally) int64 { return t.Blocked }),
		}
		for p := range sim.NumPlanes {
			*ps.Violations.at(p) = bucket(func(t *sim.BucketTally) int64 { return t.Violations[p] })
		}
		s.Populations[i] = ps
	}
	for i, info := range m.Datacenters {
		ds := DatacenterSeries{ID: info.ID, Planes: []PlaneOccupancy{}}
		for p := range sim.NumPlanes {
			if !info.Serves[p] {
				continue
			}
			occupancy := mean(func(rep *sim.Replication, b int) float64 {
				return rep.Datacenters[i].Planes[p].BucketBusy[b] / measured[b]
			})
			ds.Planes = append(ds.Planes, PlaneOccupancy{Plane: planeName(p), Occupancy: occupancy})
		}
		s.Datacenters[i] = ds
	}
	return s
}

// at returns the series for plane p.
func (pv *PlaneValues) at(p sim.Plane) *Values {
	switch p {
	case sim.Media:
		return &pv.Media
	case sim.Keys:
		return &pv.Keys
	default:
		return &pv.Connector
	}
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
