package results

import (
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim"
)

// The spill fixture tells a small story by hand, so that every figure of
// its report can be worked out on paper.
//
// North America has two US datacenters, us-east and us-west. Free-plan
// callers (na-free) walk them in order for media and, when both are full,
// pick secondaries from the shared whitelist "intl" = [us-west, bj1]; bj1
// is in Beijing. Their keys come from us-east, falling back to
// "kms-backup" = [bj1]; dial-ins go to us-east's connectors, falling back
// to "intl". Government callers (na-gov) have no secondaries at all. The
// policy allows only US for everyone.
//
// Over three hand-written replications of 4h (1h warm-up, 1h buckets)
// na-free spills to bj1 a few times a replication; in the second, us-west
// is down for half an hour and one dial-in lands on bj1's connector, which
// gets a copy of the key.

const (
	usEast = iota
	usWest
	bj1
)

func spillModel() *sim.Model {
	ids := func(s ...scenarios.ID) []scenarios.ID { return s }
	s := &scenarios.Scenario{
		Name: "spill",
		Routing: scenarios.Routing{
			Whitelists: map[string][]scenarios.ID{"intl": ids("us-west", "bj1"), "kms-backup": ids("bj1")},
			Routes: []scenarios.Route{
				{
					Region: "na",
					Media:  scenarios.PlaneRoute{Primaries: ids("us-east", "us-west"), Secondaries: &scenarios.Secondary{Whitelist: "intl"}},
					Keys: scenarios.KeyRoute{PlaneRoute: scenarios.PlaneRoute{
						Primaries: ids("us-east"), Secondaries: &scenarios.Secondary{Whitelist: "kms-backup"},
					}},
					Connector: &scenarios.PlaneRoute{Primaries: ids("us-east"), Secondaries: &scenarios.Secondary{Whitelist: "intl"}},
				},
				{
					Region: "na", Plan: "gov",
					Media: scenarios.PlaneRoute{Primaries: ids("us-east", "us-west")},
					Keys:  scenarios.KeyRoute{PlaneRoute: scenarios.PlaneRoute{Primaries: ids("us-east")}},
				},
			},
		},
	}
	const unlimited = -1
	return &sim.Model{
		Scenario: s,
		Populations: []sim.PopulationInfo{
			{ID: "na-free", Region: "na", Jurisdiction: "US", Plan: "free", Route: 0, Allowed: onlyUS},
			{ID: "na-gov", Region: "na", Jurisdiction: "US", Plan: "gov", Route: 1, Allowed: onlyUS},
		},
		Datacenters: []sim.DatacenterInfo{
			{ID: "us-east", Region: "na", Jurisdiction: "US", Serves: [3]bool{true, true, true}, Capacity: [3]int64{100, unlimited, 10}},
			{ID: "us-west", Region: "na", Jurisdiction: "US", Serves: [3]bool{true, false, false}, Capacity: [3]int64{100, 0, 0}},
			{ID: "bj1", Region: "cn", Jurisdiction: "CN", Serves: [3]bool{true, true, true}, Capacity: [3]int64{50, unlimited, 5}},
		},
		Horizon: 4 * 3600, Warmup: 3600, Bucket: 3600, NumBuckets: 4,
	}
}

// onlyUS is the policy's allow lists for either population.
var onlyUS = [sim.NumPlanes][]string{{"US"}, {"US"}, {"US"}}

// spillMeta is the provenance the CLI would pass.
var spillMeta = Meta{Tool: "geofence", Version: "v0.1.0-test", Seed: 42, File: "testdata/spill.yaml", SHA256: "5d41402abc4b2a76b9719d911017c592"}

// The figures of each replication, column k for replication k.
var (
	freeOffered   = [3]int64{100, 110, 120}
	freePrimary   = [3]int64{80, 85, 90}
	freeSecondary = [3]int64{15, 20, 24}
	freeBlocked   = [3]int64{5, 5, 6}
	freeRetries   = [3]int64{2, 3, 4}
	govOffered    = [3]int64{10, 12, 8}
	govPrimary    = [3]int64{10, 12, 7}
	govBlocked    = [3]int64{0, 0, 1}
)

// spillCauses are the violations of each replication, by cause.
func spillCauses(k int) []sim.Cause {
	media := func(full, down uint64, count int64, buckets ...int64) sim.Cause {
		return sim.Cause{Population: 0, Plane: sim.Media, Via: sim.Media, Datacenter: bj1, Secondary: true,
			Full: full, Down: down, Count: count, Minutes: 5 * float64(count), Buckets: buckets}
	}
	viaKeys := func(count int64, buckets ...int64) sim.Cause {
		return sim.Cause{Population: 0, Plane: sim.Keys, Via: sim.Keys, Datacenter: bj1, Secondary: true,
			Full: 0b1, Count: count, Minutes: 5 * float64(count), Buckets: buckets}
	}
	viaConnector := func(plane sim.Plane) sim.Cause {
		return sim.Cause{Population: 0, Plane: plane, Via: sim.Connector, Datacenter: bj1, Secondary: true,
			Full: 0b1, Count: 1, Minutes: 5, Buckets: []int64{0, 0, 0, 1}}
	}
	switch k {
	case 0:
		return []sim.Cause{media(0b11, 0, 5, 0, 1, 3, 1), viaKeys(1, 0, 0, 1, 0)}
	case 1:
		return []sim.Cause{
			media(0b01, 0b10, 2, 0, 0, 2, 0), // us-west down, us-east full
			media(0b11, 0, 6, 0, 2, 3, 1),
			viaConnector(sim.Keys),
			viaConnector(sim.Connector),
		}
	default:
		return []sim.Cause{media(0b11, 0, 10, 0, 3, 5, 2), viaKeys(2, 0, 0, 2, 0)}
	}
}

// spillReplications returns the first n (at most 3) replications.
func spillReplications(n int) []*sim.Replication {
	reps := make([]*sim.Replication, n)
	for k := range reps {
		reps[k] = spillReplication(k)
	}
	return reps
}

func spillReplication(k int) *sim.Replication {
	const window = 3 * 3600.0
	causes := spillCauses(k)
	free := population(freeOffered[k], freePrimary[k], freeSecondary[k], freeBlocked[k], 0.05+0.01*float64(k))
	free.Retries = freeRetries[k]
	for _, c := range causes {
		free.Violations[c.Plane] += c.Count
		free.ViolatingMinutes[c.Plane] += c.Minutes
		for b, n := range c.Buckets {
			free.Buckets[b].Violations[c.Plane] += n
		}
	}
	gov := population(govOffered[k], govPrimary[k], 0, govBlocked[k], 0.03)
	land(&free, causes, freePrimary[k], freeSecondary[k], true)
	land(&gov, nil, govPrimary[k], 0, false)

	// occupancy fills a plane's busy integrals at a constant occupancy over
	// the measured buckets 1 to 3.
	occupancy := func(pt *sim.PlaneTally, occ float64, capacity float64) {
		pt.BusyArea = occ * window
		pt.CapArea = capacity * (window - pt.DownTime)
		pt.BucketBusy = []float64{0, occ * 3600, occ * 3600, occ * 3600}
	}
	var east, west, beijing sim.DatacenterTally
	east.Planes[sim.Media] = sim.PlaneTally{AdmittedPrimary: 70 + 5*int64(k), Refused: 20 + 5*int64(k), FullTime: 0.1 * window * float64(k+1)}
	occupancy(&east.Planes[sim.Media], 80+5*float64(k), 100)
	east.Planes[sim.Keys] = sim.PlaneTally{AdmittedPrimary: 100 + 10*int64(k)}
	occupancy(&east.Planes[sim.Keys], 95+5*float64(k), 0)
	east.Planes[sim.Connector] = sim.PlaneTally{AdmittedPrimary: 2, FullTime: 360}
	occupancy(&east.Planes[sim.Connector], 1, 10)

	west.Planes[sim.Media] = sim.PlaneTally{AdmittedPrimary: 20, FullTime: 500}
	if k == 1 {
		west.Planes[sim.Media] = sim.PlaneTally{AdmittedPrimary: 22, Failed: 4, Dropped: 6, DownTime: 1800, FullTime: 2300}
	}
	occupancy(&west.Planes[sim.Media], 20-float64(k), 100)

	for _, c := range causes {
		pt := &beijing.Planes[c.Via]
		pt.Violations += c.Count
		if c.Plane == c.Via {
			pt.AdmittedSecondary += c.Count
		}
	}
	occupancy(&beijing.Planes[sim.Media], 5+2*float64(k), 50)
	occupancy(&beijing.Planes[sim.Keys], 0.1*float64(k), 0)
	occupancy(&beijing.Planes[sim.Connector], 0.05*float64(k%2), 5)

	return &sim.Replication{
		Index:       k,
		Window:      window,
		Populations: []sim.PopulationTally{free, gov},
		Datacenters: []sim.DatacenterTally{east, west, beijing},
		Causes:      causes,
	}
}

// population is a tally whose joins spread evenly over the measured
// buckets and whose admitted joins mostly set up in fast seconds, the last
// tenth five times slower.
func population(offered, primary, secondary, blocked int64, fast float64) sim.PopulationTally {
	t := sim.PopulationTally{Offered: offered, AdmittedPrimary: primary, AdmittedSecondary: secondary, Blocked: blocked}
	t.Latency.Counts = make([]int64, sim.HistogramBins)
	admitted := primary + secondary
	for i := range admitted {
		if i < admitted*9/10 {
			t.Latency.Add(fast)
		} else {
			t.Latency.Add(5 * fast)
		}
	}
	t.Buckets = make([]sim.BucketTally, 4)
	for b, share := range spread(offered) {
		t.Buckets[b].Offered = share
	}
	for b, share := range spread(secondary) {
		t.Buckets[b].Secondary = share
	}
	for b, share := range spread(blocked) {
		t.Buckets[b].Blocked = share
	}
	return t
}

// land fills t's landings: media at us-east for the primaries but 20 at
// us-west, secondaries at us-west unless a cause sent them to bj1; keys at
// us-east unless a cause issued them at bj1; if it dials in, two dial-ins
// at us-east, plus those a cause sent to bj1, each with a key copy.
func land(t *sim.PopulationTally, causes []sim.Cause, primary, secondary int64, dialIns bool) {
	t.Landed = make([][sim.NumPlanes]int64, 3)
	t.KeyCopies = make([]int64, 3)
	var at [sim.NumPlanes]int64 // set up at bj1, by plane
	for _, c := range causes {
		if c.Plane == c.Via {
			at[c.Plane] += c.Count
		}
	}
	t.Landed[usEast][sim.Media] = primary - min(primary, 20)
	t.Landed[usWest][sim.Media] = min(primary, 20) + secondary - at[sim.Media]
	t.Landed[bj1][sim.Media] = at[sim.Media]
	t.Landed[usEast][sim.Keys] = primary + secondary - at[sim.Keys]
	t.Landed[bj1][sim.Keys] = at[sim.Keys]
	if dialIns {
		t.Landed[usEast][sim.Connector], t.KeyCopies[usEast] = 2, 2
		t.Landed[bj1][sim.Connector], t.KeyCopies[bj1] = at[sim.Connector], at[sim.Connector]
	}
}

// spread splits n over buckets 1 to 3, the remainder in the last.
func spread(n int64) [4]int64 {
	return [4]int64{0, n / 3, n / 3, n - 2*(n/3)}
}
