package results

import (
	"encoding/json"
	"fmt"

	"github.com/geofence/geofence/results/strictjson"
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

// ReadAccumulator reads an accumulator that MarshalJSON wrote for model
// m, strictly (see strictjson.Read), and refuses what no run of m could have
// produced (see check); its errors are a *FieldError or *SyntaxError.
func ReadAccumulator(m *sim.Model, data []byte) (*Accumulator, error) {
	var w accumulatorJSON
	if err := strictjson.Read(data, &w); err != nil {
		return nil, err
	}
	jurisdictions, _ := jurisdictionsOf(m)
	if err := w.check(m, len(jurisdictions)); err != nil {
		return nil, err
	}
	a := NewAccumulator(m, w.From, w.To)
	for _, r := range w.Records {
		a.records[r.Index-a.from] = r
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
