package results

import (
	"cmp"
	"slices"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// topBuckets is how many time buckets a cause lists where it concentrates.
const topBuckets = 3

// CauseReport is the violations that share their circumstances: the
// population, the plane whose fence broke, the plane route that was walked,
// the forbidden datacenter that admitted them, whether it was a secondary
// (and then which whitelist entry listed it), and the primaries of that
// route found full and down on the way.
type CauseReport struct {
	Population   string `json:"population"`
	Plane        string `json:"plane"`
	Via          string `json:"via"` // plane route walked: connector for a key copied to a connector
	Datacenter   string `json:"datacenter"`
	Jurisdiction string `json:"jurisdiction"` // the datacenter's, forbidden for the population
	Secondary    bool   `json:"secondary"`
	// Whitelist names the whitelist the secondary was picked from and Entry
	// is the datacenter's 0-based index in it; both unset for a primary.
	Whitelist string   `json:"whitelist,omitempty"`
	Entry     *int     `json:"entry,omitempty"`
	Full      []string `json:"full"` // primaries of the Via route found full, in route order
	Down      []string `json:"down"` // primaries of the Via route found down, in route order

	Count            Estimate      `json:"count"`
	ViolatingMinutes Estimate      `json:"violating_minutes"`
	TopBuckets       []BucketCount `json:"top_buckets"`
}

// BucketCount is the mean count of a cause in one time bucket.
type BucketCount struct {
	Bucket int     `json:"bucket"`
	Mean   float64 `json:"mean"`
}

// causeKey is what makes two sim.Causes the same cause.
type causeKey struct {
	population int
	plane, via sim.Plane
	datacenter int
	secondary  bool
	full, down uint64
}

func (a causeKey) compare(b causeKey) int {
	secondary := func(k causeKey) int {
		if k.secondary {
			return 1
		}
		return 0
	}
	return cmp.Or(
		cmp.Compare(a.population, b.population),
		cmp.Compare(a.plane, b.plane),
		cmp.Compare(a.via, b.via),
		cmp.Compare(a.datacenter, b.datacenter),
		cmp.Compare(secondary(a), secondary(b)),
		cmp.Compare(a.full, b.full),
		cmp.Compare(a.down, b.down),
	)
}

// causeTally is one cause's figures, one entry per replication.
type causeTally struct {
	key     causeKey
	counts  []float64
	minutes []float64
	buckets []int64 // summed over replications
	mean    float64 // of counts, for sorting
}

// causeReports aggregates the causes of every replication, a replication
// without a cause counting zero for it, most frequent first.
func causeReports(m *sim.Model, reps []*sim.Replication) []CauseReport {
	byKey := map[causeKey]*causeTally{}
	for k, rep := range reps {
		for _, c := range rep.Causes {
			key := causeKey{c.Population, c.Plane, c.Via, c.Datacenter, c.Secondary, c.Full, c.Down}
			ct := byKey[key]
			if ct == nil {
				ct = &causeTally{key: key, counts: make([]float64, len(reps)), minutes: make([]float64, len(reps)), buckets: make([]int64, m.NumBuckets)}
				byKey[key] = ct
			}
			ct.counts[k] += float64(c.Count)
			ct.minutes[k] += c.Minutes
			for b, n := range c.Buckets {
				ct.buckets[b] += n
			}
		}
	}
	tallies := make([]*causeTally, 0, len(byKey))
	for _, ct := range byKey {
		ct.mean = EstimateOf(ct.counts).Mean
		tallies = append(tallies, ct)
	}
	slices.SortFunc(tallies, func(a, b *causeTally) int {
		return cmp.Or(cmp.Compare(b.mean, a.mean), a.key.compare(b.key))
	})
	out := make([]CauseReport, len(tallies))
	for i, ct := range tallies {
		out[i] = causeReport(m, ct, len(reps))
	}
	return out
}

// causeReport names the datacenters of ct as the scenario does.
func causeReport(m *sim.Model, ct *causeTally, replications int) CauseReport {
	key := ct.key
	dc := m.Datacenters[key.datacenter]
	route := m.Scenario.Routing.Routes[m.Populations[key.population].Route].PlaneRoute(scenarios.Planes[key.via])
	cr := CauseReport{
		Population:       m.Populations[key.population].ID,
		Plane:            planeName(key.plane),
		Via:              planeName(key.via),
		Datacenter:       dc.ID,
		Jurisdiction:     dc.Jurisdiction,
		Secondary:        key.secondary,
		Full:             primariesIn(route, key.full),
		Down:             primariesIn(route, key.down),
		Count:            EstimateOf(ct.counts),
		ViolatingMinutes: EstimateOf(ct.minutes),
		TopBuckets:       topBucketsOf(ct.buckets, replications),
	}
	if key.secondary && route != nil && route.Secondaries != nil {
		cr.Whitelist = route.Secondaries.Whitelist
		if i := slices.Index(m.Scenario.Routing.Whitelists[cr.Whitelist], scenarios.ID(dc.ID)); i >= 0 {
			cr.Entry = &i
		}
	}
	return cr
}

// primariesIn returns the primaries of route whose bit is set in mask:
// bit i stands for route.Primaries[i].
func primariesIn(route *scenarios.PlaneRoute, mask uint64) []string {
	ids := []string{}
	if route == nil {
		return ids
	}
	for i, id := range route.Primaries {
		if mask&(1<<i) != 0 {
			ids = append(ids, string(id))
		}
	}
	return ids
}

// topBucketsOf returns the buckets with the highest mean count, at most
// topBuckets of them, highest first and earliest first among equals.
// Buckets that never saw the cause are left out.
func topBucketsOf(sums []int64, replications int) []BucketCount {
	top := []BucketCount{}
	for b, n := range sums {
		if n > 0 {
			top = append(top, BucketCount{Bucket: b, Mean: float64(n) / float64(replications)})
		}
	}
	slices.SortFunc(top, func(a, b BucketCount) int {
		return cmp.Or(cmp.Compare(b.Mean, a.Mean), cmp.Compare(a.Bucket, b.Bucket))
	})
	return top[:min(len(top), topBuckets)]
}
