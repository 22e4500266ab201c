package results

import (
	"encoding/json"
	"fmt"
	"slices"

	"github.com/geofence/geofence/sim"
)

// An accumulator is written out as JSON so that the shards of one run,
// each run where it may be, can be merged into the report the whole run
// would have given. Every number survives the round trip exactly:
// encoding/json writes floats in their shortest exact form, and the exact
// sums are integers.

// accumulatorJSON is an Accumulator's wire form.
type accumulatorJSON struct {
	From         int                         `json:"from"`
	To           int                         `json:"to"`
	Records      []*record                   `json:"records"` // the replications added, in order
	Populations  [][]sim.BucketTally         `json:"populations"`
	Busy         [][sim.NumPlanes][]exactSum `json:"busy"`
	Causes       []causeBuckets              `json:"causes"` // in key order
	Forbidden    [sim.NumPlanes][]moments    `json:"forbidden"`
	Replications int                         `json:"replications"`
}

// causeBuckets is one cause's per-bucket sum.
type causeBuckets struct {
	Population int       `json:"population"`
	Plane      sim.Plane `json:"plane"`
	Via        sim.Plane `json:"via"`
	Datacenter int       `json:"datacenter"`
	Secondary  bool      `json:"secondary"`
	Full       uint64    `json:"full"`
	Down       uint64    `json:"down"`
	Buckets    []int64   `json:"buckets"`
}

// MarshalJSON writes the accumulator's replications and sums.
func (a *Accumulator) MarshalJSON() ([]byte, error) {
	w := accumulatorJSON{
		From: a.from, To: a.from + len(a.records),
		Records:      []*record{},
		Populations:  a.sums.Populations,
		Busy:         a.sums.Busy,
		Causes:       []causeBuckets{},
		Forbidden:    a.sums.Forbidden,
		Replications: a.sums.Replications,
	}
	for _, r := range a.records {
		if r != nil {
			w.Records = append(w.Records, r)
		}
	}
	for _, k := range a.sums.sortedCauseKeys() {
		w.Causes = append(w.Causes, causeBuckets{k.population, k.plane, k.via, k.datacenter, k.secondary, k.full, k.down, a.sums.Causes[k]})
	}
	return json.Marshal(w)
}

// ReadAccumulator reads an accumulator that MarshalJSON wrote for model m,
// checking that it fits m.
func ReadAccumulator(m *sim.Model, data []byte) (*Accumulator, error) {
	var w accumulatorJSON
	if err := json.Unmarshal(data, &w); err != nil {
		return nil, err
	}
	if w.From < 0 || w.To < w.From {
		return nil, fmt.Errorf("replications %d to %d", w.From, w.To)
	}
	a := NewAccumulator(m, w.From, w.To)
	fits := len(w.Populations) == len(m.Populations) && len(w.Busy) == len(m.Datacenters) && w.Replications == len(w.Records)
	for _, p := range w.Populations {
		fits = fits && len(p) == m.NumBuckets
	}
	for _, d := range w.Busy {
		for _, p := range d {
			fits = fits && len(p) == m.NumBuckets
		}
	}
	for _, r := range w.Records {
		fits = fits && r != nil && len(r.Populations) == len(m.Populations) && len(r.Datacenters) == len(m.Datacenters)
		for _, p := range append(slices.Clone(r.Populations), r.Total) {
			fits = fits && len(p.Landed) == len(a.jurisdictions)
		}
		for _, c := range r.Causes {
			fits = fits && c.Population >= 0 && c.Population < len(m.Populations) && c.Datacenter >= 0 && c.Datacenter < len(m.Datacenters) &&
				c.Plane < sim.NumPlanes && c.Via < sim.NumPlanes
		}
	}
	for _, f := range w.Forbidden {
		fits = fits && len(f) == m.NumBuckets
	}
	for _, c := range w.Causes {
		fits = fits && len(c.Buckets) == m.NumBuckets && c.Population >= 0 && c.Population < len(m.Populations) &&
			c.Datacenter >= 0 && c.Datacenter < len(m.Datacenters) && c.Plane < sim.NumPlanes && c.Via < sim.NumPlanes
	}
	if !fits {
		return nil, fmt.Errorf("the figures are not of this scenario")
	}
	for _, r := range w.Records {
		i := r.Index - a.from
		if i < 0 || i >= len(a.records) || a.records[i] != nil {
			return nil, fmt.Errorf("replication %d is outside %d to %d or given twice", r.Index, w.From, w.To)
		}
		a.records[i] = r
	}
	a.sums.Populations, a.sums.Busy, a.sums.Forbidden, a.sums.Replications = w.Populations, w.Busy, w.Forbidden, w.Replications
	for _, c := range w.Causes {
		a.sums.Causes[causeKey{c.Population, c.Plane, c.Via, c.Datacenter, c.Secondary, c.Full, c.Down}] = c.Buckets
	}
	return a, nil
}

// MarshalJSON writes the quantiles, null where undefined.
func (q quantiles) MarshalJSON() ([]byte, error) { return Values(q[:]).MarshalJSON() }

// UnmarshalJSON reads what MarshalJSON writes.
func (q *quantiles) UnmarshalJSON(data []byte) error {
	var v Values
	if err := v.UnmarshalJSON(data); err != nil {
		return err
	}
	if len(v) != len(q) {
		return fmt.Errorf("%d latency quantiles, want %d", len(v), len(q))
	}
	copy(q[:], v)
	return nil
}
