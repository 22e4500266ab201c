package results

import (
	"cmp"
	"fmt"
	"slices"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// topBuckets is how many time buckets a cause lists where it concentrates.
const TopBuckets = 3

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
	Whitelist string `json:"whitelist,omitempty"`
	Entry     *int   `json:"entry,omitempty"`
	// Priority is, for a balance route, the first priority that names the
	// datacenter; Secondary then says the join landed past P0.
	Priority *int     `json:"priority,omitempty"`
	Full     []string `json:"full"` // primaries of the Via route (of a balance route: its datacenters) found full, in route order
	Down     []string `json:"down"` // primaries of the Via route (of a balance route: its datacenters) found down, in route order
	// At locates the entry that let the violations in: the whitelist
	// entry, the primary it was admitted at, or the balance route's
	// locality.
	At Location `json:"at"`

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

// causeReports estimates the figures of every cause seen in any
// replication, a replication without it counting zero, most frequent
// first.
func (a *Accumulator) causeReports() []CauseReport {
	keys := a.sums.sortedCauseKeys()
	out := make([]CauseReport, len(keys))
	for i, key := range keys {
		counts := make([]float64, len(a.records))
		minutes := make([]float64, len(a.records))
		for k, r := range a.records {
			if j, ok := slices.BinarySearchFunc(r.Causes, key, func(c sim.Cause, key causeKey) int { return keyOf(&c).compare(key) }); ok {
				counts[k], minutes[k] = float64(r.Causes[j].Count), r.Causes[j].Minutes
			}
		}
		out[i] = causeReport(a.model, key)
		out[i].Count = EstimateOf(counts)
		out[i].ViolatingMinutes = EstimateOf(minutes)
		out[i].TopBuckets = topBucketsOf(a.sums.Causes[key], len(a.records))
	}
	slices.SortStableFunc(out, func(x, y CauseReport) int { return cmp.Compare(y.Count.Mean, x.Count.Mean) })
	return out
}

// causeReport names the datacenters of the cause key as the scenario
// does, and locates the entry that let its violations in.
func causeReport(m *sim.Model, key causeKey) CauseReport {
	dc := m.Datacenters[key.datacenter]
	pop := m.Populations[key.population]
	ri := pop.Routes[key.via]
	route := m.Scenario.Routing.Routes[ri].PlaneRoute(scenarios.Planes[key.via])
	cr := CauseReport{
		Population:   pop.ID,
		Plane:        PlaneName(key.plane),
		Via:          PlaneName(key.via),
		Datacenter:   dc.ID,
		Jurisdiction: dc.Jurisdiction,
		Secondary:    key.secondary,
		Full:         primariesIn(route, key.full),
		Down:         primariesIn(route, key.down),
	}
	var path string
	switch {
	case route != nil && route.Balance != nil:
		cr.Full, cr.Down = datacentersIn(route.Balance.Datacenters(), key.full), datacentersIn(route.Balance.Datacenters(), key.down)
		path = scenarios.PlaneRoutePath(ri, scenarios.Planes[key.via])
		for p, level := range route.Balance.Priorities {
			if i := slices.IndexFunc(level, func(l scenarios.BalanceLocality) bool { return string(l.Datacenter) == dc.ID }); i >= 0 {
				cr.Priority = &p
				path = scenarios.Index(scenarios.Index(path+".balance.priorities", p), i)
				break
			}
		}
	case key.secondary && route != nil && route.Secondaries != nil:
		cr.Whitelist = route.Secondaries.Whitelist
		path = scenarios.WhitelistPath(cr.Whitelist)
		if i := slices.Index(m.Scenario.Routing.Whitelists[cr.Whitelist], scenarios.ID(dc.ID)); i >= 0 {
			cr.Entry = &i
			path = scenarios.WhitelistEntryPath(cr.Whitelist, i)
		}
	default:
		path = scenarios.PlaneRoutePath(ri, scenarios.Planes[key.via])
		if route != nil {
			if i := slices.Index(route.Primaries, scenarios.ID(dc.ID)); i >= 0 {
				path = scenarios.PrimaryPath(ri, scenarios.Planes[key.via], i)
			}
		}
	}
	pos := m.Scenario.Source.Pos(path)
	cr.At = Location{Path: path, File: pos.File, Line: pos.Line, Column: pos.Column}
	return cr
}

// primariesIn returns the primaries of route whose bit is set in mask:
// bit i stands for route.Primaries[i].
func primariesIn(route *scenarios.PlaneRoute, mask uint64) []string {
	if route == nil {
		return []string{}
	}
	return datacentersIn(route.Primaries, mask)
}

// datacentersIn returns the ids whose bit is set in mask: bit i stands
// for ids[i].
func datacentersIn(ids []scenarios.ID, mask uint64) []string {
	out := []string{}
	for i, id := range ids {
		if i < 64 && mask&(1<<i) != 0 {
			out = append(out, string(id))
		}
	}
	return out
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
	return top[:min(len(top), TopBuckets)]
}

// reachText says how the violating datacenter was reached: as a primary or as
// a secondary from a whitelist entry, on the route of another plane when
// that is where the breach happened (a key copied to a connector).
func ReachText(c CauseReport) string {
	s := "primary"
	switch {
	case c.Priority != nil:
		s = fmt.Sprintf("P%d", *c.Priority)
	case c.Secondary:
		s = "secondary " + c.Whitelist
		if c.Entry != nil {
			s += fmt.Sprintf("[%d]", *c.Entry)
		}
	}
	if c.Via != c.Plane {
		s = c.Via + " " + s
	}
	return s
}

// causeSentence says how a cause's violations came about, e.g.
// "admitted at bj1 (CN) as secondary intl[1]; primaries full: us-east, us-west; down: -".
func CauseSentence(c CauseReport) string {
	tried := "primaries"
	if c.Priority != nil {
		tried = "datacenters tried"
	}
	return fmt.Sprintf("admitted at %s (%s) as %s; %s full: %s; down: %s", c.Datacenter, c.Jurisdiction, ReachText(c), tried, IdList(c.Full), IdList(c.Down))
}
