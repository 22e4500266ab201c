package sim

import "github.com/geofence/geofence/sim/latency"

// The raw figures of one replication. They are plain counts and integrals;
// package results turns them into estimates with confidence intervals.

// Plane indexes the three planes in a fixed order: media, keys, connector.
type Plane uint8

// The planes, in report order (the order of scenarios.Planes).
const (
	Media Plane = iota
	Keys
	Connector
	NumPlanes
)

// Replication holds every figure one replication measured. Counts are of
// joins that arrived in the measured window [warm-up, horizon); they are
// followed to their outcome even when it falls after the horizon. Integrals
// over time cover the measured window only.
type Replication struct {
	Index       int
	Window      float64 // seconds measured: horizon - warm-up
	Events      int64   // events processed, warm-up included
	Populations []PopulationTally
	Datacenters []DatacenterTally
	Causes      []Cause // violations grouped by cause, sorted
}

// Counts are a population's counts of joins, by outcome: what a
// replication tallies and what a saved shard keeps of it. The JSON tags
// are the shard's: counts a scenario without answered routes or outages
// never has are left out.
type Counts struct {
	Offered           int64 // joins that arrived
	AdmittedPrimary   int64 // set up, media at one of the route's primaries
	AdmittedSecondary int64 // set up, media at a secondary picked from the whitelist
	Blocked           int64 // gave up: some plane found no datacenter, retries included
	Retries           int64 // times a join started over after backoff
	DialIns           int64 // set-up joins that dialled in through a connector
	// Unanswered counts the blocked joins whose last try got no answer
	// from a failover or dns route (no healthy target, a geolocation
	// group with no record for them).
	Unanswered int64 `json:",omitempty"`
	// Rejoins counts the joins (of Offered) made by clients whose call
	// an outage dropped, joining again; RejoinsBlocked those of them
	// blocked (of Blocked).
	Rejoins, RejoinsBlocked int64 `json:",omitempty"`
	BlockedPlane            [NumPlanes]int64
	// Violations[p] counts set-up joins with plane p in a forbidden
	// jurisdiction. For Keys this includes a key copied to a connector in a
	// jurisdiction forbidden for keys.
	Violations [NumPlanes]int64
	// ViolatingMinutes[p] sums the holding times, in minutes, of those joins.
	ViolatingMinutes [NumPlanes]float64
}

// Add adds every count of o to c.
func (c *Counts) Add(o *Counts) {
	c.Offered += o.Offered
	c.AdmittedPrimary += o.AdmittedPrimary
	c.AdmittedSecondary += o.AdmittedSecondary
	c.Blocked += o.Blocked
	c.Retries += o.Retries
	c.DialIns += o.DialIns
	c.Unanswered += o.Unanswered
	c.Rejoins += o.Rejoins
	c.RejoinsBlocked += o.RejoinsBlocked
	for p := range NumPlanes {
		c.BlockedPlane[p] += o.BlockedPlane[p]
		c.Violations[p] += o.Violations[p]
		c.ViolatingMinutes[p] += o.ViolatingMinutes[p]
	}
}

// PopulationTally is what happened to one population's joins.
type PopulationTally struct {
	Counts
	// Latency is the setup latency of admitted joins: from arrival until the
	// last plane admitted it, in seconds.
	Latency latency.Histogram

	// Landed[dc][p] counts set-up joins whose plane p was admitted at
	// datacenter dc: where media was carried, keys were issued and
	// connectors served, allowed or not.
	Landed [][NumPlanes]int64
	// KeyCopies[dc] counts set-up joins whose key, issued by a key server,
	// was copied to their connector at datacenter dc.
	KeyCopies []int64

	Buckets []BucketTally // one per time bucket of the horizon
}

// BucketTally is a population's counts in one time bucket, by arrival time.
type BucketTally struct {
	Offered, Secondary, Blocked int64
	Violations                  [NumPlanes]int64
}

// Add adds o's counts to t's.
func (t *BucketTally) Add(o *BucketTally) {
	t.Offered += o.Offered
	t.Secondary += o.Secondary
	t.Blocked += o.Blocked
	for p := range NumPlanes {
		t.Violations[p] += o.Violations[p]
	}
}

// DatacenterTally is what one datacenter saw, per plane.
type DatacenterTally struct {
	Planes [NumPlanes]PlaneTally
}

// PlaneTally is one datacenter plane's view of the measured joins.
type PlaneTally struct {
	AdmittedPrimary   int64 // admissions while walking primaries
	AdmittedSecondary int64 // admissions as a picked secondary
	Refused           int64 // attempts refused because it was full
	Failed            int64 // attempts that timed out because it was down
	Violations        int64 // admissions that violate the joining population's fence for this plane
	// KeyCopies counts, at a connector plane, the keys copied to it: one per
	// dial-in join whose key a key server issued.
	KeyCopies int64
	// KeyCopyViolations counts, at a connector plane, key copies it received
	// in a jurisdiction forbidden for the joining population's keys (whose
	// key server was allowed): key violations, not connector violations.
	KeyCopyViolations int64
	Dropped           int64 // calls cut when it went down (any join, measured window)

	BusyArea float64 // integral of occupancy over the window (participant-seconds)
	CapArea  float64 // integral of capacity while up (finite capacity only)
	FullTime float64 // seconds it could not admit: full, or down
	DownTime float64 // seconds it was down

	BucketBusy []float64 // BusyArea per time bucket
}

// Cause groups violations that share their circumstances: the population,
// the plane, the forbidden datacenter that admitted them, whether it was a
// secondary (and so which whitelist entry), and the primaries found full
// and down on the way, as bit masks over the primaries of the Via plane's
// route (bit i is Primaries[i]).
type Cause struct {
	Population int
	Plane      Plane // the plane whose fence is broken
	Via        Plane // the plane route walked: Connector for a key copied to a connector
	Datacenter int
	Secondary  bool
	Full, Down uint64
	Count      int64
	Minutes    float64 // violating participant-minutes
	Buckets    []int64 // count per time bucket, by arrival time
}

// Add adds every count of o to t: the tally of the two populations, or the
// two replications, together.
func (t *PopulationTally) Add(o *PopulationTally) {
	t.Counts.Add(&o.Counts)
	t.Latency.Merge(&o.Latency)
	if t.Landed == nil && o.Landed != nil {
		t.Landed = make([][NumPlanes]int64, len(o.Landed))
		t.KeyCopies = make([]int64, len(o.KeyCopies))
	}
	for dc := range o.Landed {
		for p := range NumPlanes {
			t.Landed[dc][p] += o.Landed[dc][p]
		}
		t.KeyCopies[dc] += o.KeyCopies[dc]
	}
	if t.Buckets == nil && o.Buckets != nil {
		t.Buckets = make([]BucketTally, len(o.Buckets))
	}
	for b := range o.Buckets {
		t.Buckets[b].Add(&o.Buckets[b])
	}
}
