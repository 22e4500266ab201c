package sim

import (
	"fmt"
	"math"
	"slices"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/sim/internal/random"
)

// segment is the width of the pieces over which arrival thinning bounds the
// rate: an hour, the resolution of the daily profiles.
const segment = 3600.0

// maxPicks bounds the secondaries a client picks (the loader enforces it).
const maxPicks = 8

// The ways a client orders its secondaries.
const (
	pickRandom uint8 = iota
	pickNearest
	pickMostFree
)

// Outages reports whether some datacenter of m goes down in its timeline,
// dropping the calls it carries.
func (m *Model) Outages() bool {
	for i := range m.compiled.changes {
		if ch := &m.compiled.changes[i]; ch.setState && !ch.up {
			return true
		}
	}
	return false
}

// The distributions of holding times and rejoin delays.
const (
	holdExponential uint8 = iota
	holdLognormal
	holdDeterministic
	delayUniform // a rejoin delay only: uniform on [0, 2 × mean]
)

// noCapacity stands for unlimited capacity: occupancy never reaches it.
const noCapacity = math.MaxInt64

// planeRoute is a compiled scenarios.PlaneRoute: a walk, a balance route
// or a failover or dns route.
type planeRoute struct {
	enabled   bool
	balancer  int32 // 1 + index in compiled.balancers of a balance route; 0 for another kind
	primaries []int32
	attempts  int32
	timeout   float64
	whitelist []int32 // empty: no secondaries
	picks     int32
	order     uint8
	nearest   []int32 // whitelist by ascending RTT, for pickNearest
	answer    int32   // 1 + index in compiled.answers of a failover or dns route; 0 for a walk
}

// route is what one population follows.
type route struct {
	planes  [NumPlanes]planeRoute
	retries int32
	backoff float64
}

// population is a compiled scenarios.Population.
type population struct {
	region    int32
	base      float64
	offset    float64   // seconds added to simulation time to get local time (scenarios.Scenario.LocalOffset)
	offsets   []float64 // per hour segment, when a time zone's offset varies
	hourly    []float64
	sinAmp    float64
	sinPeak   float64
	sinPeriod float64
	surges    []scenarios.Surge
	growth    float64 // log growth per second
	flat      bool    // λ(t) = base: no thinning needed

	holdKind  uint8
	holdMean  float64
	holdMu    float64
	holdSigma float64
	dialIn    float64

	// When an outage drops one of its calls, the client joins again
	// with probability rejoinP after a delay of kind rejoinKind and
	// mean rejoinMean.
	rejoinP    float64
	rejoinKind uint8
	rejoinMean float64

	key   uint64
	route route
}

// timelineChange is one entry of a datacenter's timeline.
type timelineChange struct {
	t        float64
	dc       int32
	setState bool
	up       bool
	setCap   [NumPlanes]bool
	cap      [NumPlanes]int64
	setCheck bool
	check    int8 // what the datacenter's checks observe from now on (checkOverride)
}

// compiled holds the tables the engine reads.
type compiled struct {
	pops      []population
	segments  int // hour-long segments in the horizon, for thinning
	numDCs    int
	rtt       []float64 // [region*numDCs + dc] seconds
	forbidden []bool    // [(pop*NumPlanes+plane)*numDCs + dc]
	capacity  []int64   // [dc*NumPlanes+plane] initial; noCapacity when unlimited
	changes   []timelineChange

	answers     []answerRoute // failover and dns routes, see answers.go
	checks      []checkSpec
	checkGroups []checkGroup // a change event with ref len(changes)+g is group g's observation
	checkRoutes [][]int32    // check -> the answer routes relying on it

	// balancers are the balance routes, one per population and plane that
	// follows one; a change event with ref len(changes)+len(checkGroups)+b
	// is balancer b's outlier sweep.
	balancers []balancer
}

// Compile turns a validated scenario into a Model. It returns an error only
// for what validation cannot see (none today); a scenario that failed
// validation must not be compiled.
func Compile(s *scenarios.Scenario) (*Model, error) {
	m := &Model{
		Scenario: s,
		Horizon:  s.Run.Horizon.Seconds(),
		Warmup:   s.Run.Warmup.Seconds(),
		Bucket:   s.Run.EffectiveBucket().Seconds(),
	}
	m.NumBuckets = int(math.Ceil(m.Horizon / m.Bucket))
	m.compiled.segments = int(math.Ceil(m.Horizon / segment))
	if err := m.checkClock(s); err != nil {
		return nil, err
	}

	regionIndex := map[scenarios.ID]int32{}
	for i, r := range s.Regions {
		regionIndex[r.ID] = int32(i)
	}
	dcIndex := map[scenarios.ID]int32{}
	for i, d := range s.Datacenters {
		dcIndex[d.ID] = int32(i)
	}
	nDC := len(s.Datacenters)
	c := &m.compiled
	c.numDCs = nDC
	c.capacity = make([]int64, nDC*int(NumPlanes))
	c.rtt = make([]float64, len(s.Regions)*nDC)

	for i := range s.Datacenters {
		d := &s.Datacenters[i]
		info := DatacenterInfo{ID: string(d.ID), Region: string(d.Region), Jurisdiction: string(d.Jurisdiction)}
		for p, plane := range scenarios.Planes {
			capacity := d.Capacity.For(plane)
			if capacity == nil {
				continue // not served: capacity 0 refuses every attempt
			}
			info.Serves[p] = true
			info.Capacity[p] = int64(*capacity)
			c.capacity[i*int(NumPlanes)+p] = capacityOf(*capacity)
		}
		m.Datacenters = append(m.Datacenters, info)
		for r := range s.Regions {
			c.rtt[r*nDC+i] = rttOf(&s.Regions[r], d)
		}
		for _, e := range d.Timeline {
			ch := timelineChange{t: e.At.Seconds(), dc: int32(i)}
			if e.State != "" {
				ch.setState, ch.up = true, e.State == "up"
			}
			if e.Check != "" {
				ch.setCheck, ch.check = true, checkOverride(e.Check)
			}
			if e.Capacity != nil {
				for p, plane := range scenarios.Planes {
					if v := e.Capacity.For(plane); v != nil {
						ch.setCap[p], ch.cap[p] = true, capacityOf(*v)
					}
				}
			}
			c.changes = append(c.changes, ch)
		}
	}
	// Changes at the same moment apply in datacenter order, then file order.
	slices.SortStableFunc(c.changes, func(a, b timelineChange) int {
		if a.t != b.t {
			if a.t < b.t {
				return -1
			}
			return 1
		}
		return int(a.dc - b.dc)
	})

	c.forbidden = make([]bool, len(s.Populations)*int(NumPlanes)*nDC)
	for pi := range s.Populations {
		sp := &s.Populations[pi]
		info := PopulationInfo{
			ID: string(sp.ID), Region: string(sp.Region), Jurisdiction: string(sp.Jurisdiction),
			Plan: string(sp.Plan), Rule: s.RuleFor(sp),
		}
		for p, plane := range scenarios.Planes {
			info.Routes[p], _ = s.PlaneRouteOf(sp, plane)
		}
		if info.Routes[Media] < 0 {
			return nil, fmt.Errorf("population %s has no route", sp.ID)
		}
		region := regionIndex[sp.Region]
		pop, err := compilePopulation(s, sp, region, dcIndex, m.Horizon)
		if err != nil {
			return nil, err
		}
		for p, plane := range scenarios.Planes {
			if _, pr := s.PlaneRouteOf(sp, plane); pr != nil && pr.Balance != nil {
				c.balancers = append(c.balancers, compileBalancer(pr.Balance, dcIndex))
				pop.route.planes[p].balancer = int32(len(c.balancers))
			}
		}
		c.compileAnswers(s, sp, &pop, dcIndex)
		c.pops = append(c.pops, pop)
		for p, plane := range scenarios.Planes {
			allowed := s.Allowed(sp, plane)
			info.Allowed[p] = allowed
			for di, d := range s.Datacenters {
				_, ok := slices.BinarySearch(allowed, string(d.Jurisdiction))
				c.forbidden[(pi*int(NumPlanes)+p)*nDC+di] = !ok
			}
		}
		m.Populations = append(m.Populations, info)
	}
	c.routesOfChecks()
	if err := m.checkRanges(); err != nil {
		return nil, err
	}
	return m, nil
}

func capacityOf(c scenarios.Capacity) int64 {
	if c.IsUnlimited() {
		return noCapacity
	}
	return int64(c)
}

// rttOf is scenarios.RoundTrip in seconds; validation has made sure that
// every pair a route uses has one.
func rttOf(r *scenarios.Region, d *scenarios.Datacenter) float64 {
	v, _ := scenarios.RoundTrip(r, d)
	return v.Seconds()
}

func compilePopulation(s *scenarios.Scenario, sp *scenarios.Population,
	region int32, dcIndex map[scenarios.ID]int32, horizon float64) (population, error) {
	p := population{
		region:   region,
		base:     sp.JoinsPerSecond,
		surges:   sp.Surges,
		growth:   math.Log1p(sp.GrowthPerDay) / 86400,
		holdMean: sp.Holding.Mean.Seconds(),
		dialIn:   float64(sp.DialInShare),
		key:      random.KeyOf(string(sp.ID)),
	}
	if pr := sp.Profile; pr != nil {
		// The local clock's offset at the start of each hour holds for the
		// hour, so that each thinning segment has one offset; a fixed
		// utc_offset gives one for the whole run.
		var ok bool
		if p.offset, ok = s.LocalOffset(pr, 0); !ok {
			return p, fmt.Errorf("population %s: the local time of its profile is unknown: validate the scenario before compiling it", sp.ID)
		}
		if pr.TimeZone != "" {
			p.offsets = make([]float64, int(math.Ceil(horizon/segment)))
			for k := range p.offsets {
				p.offsets[k], _ = s.LocalOffset(pr, float64(k)*segment)
			}
		}
		p.hourly = pr.Hourly
		if sn := pr.Sinusoid; sn != nil {
			p.sinAmp, p.sinPeak, p.sinPeriod = sn.Amplitude, sn.Peak.Seconds(), sn.EffectivePeriod().Seconds()
		}
	}
	switch sp.Holding.Distribution {
	case "exponential":
		p.holdKind = holdExponential
	case "deterministic":
		p.holdKind = holdDeterministic
	case "lognormal":
		// For mean m and standard deviation s: σ² = ln(1 + s²/m²), μ = ln m − σ²/2.
		p.holdKind = holdLognormal
		cv := sp.Holding.SD.Seconds() / p.holdMean
		p.holdSigma = math.Sqrt(math.Log1p(cv * cv))
		p.holdMu = math.Log(p.holdMean) - p.holdSigma*p.holdSigma/2
	default:
		return p, fmt.Errorf("population %s: unknown holding distribution %q", sp.ID, sp.Holding.Distribution)
	}
	p.flat = p.homogeneous()
	p.rejoinP, p.rejoinKind = sp.Reconnect.RejoinProbability(), holdDeterministic
	if r := sp.Reconnect; r != nil && r.Delay != nil {
		p.rejoinMean = r.Delay.Mean.Seconds()
		switch r.Delay.Distribution {
		case "exponential":
			p.rejoinKind = holdExponential
		case "uniform":
			p.rejoinKind = delayUniform
		}
	}

	if ri := s.RouteFor(sp); ri >= 0 { // a population's own route takes its retries from here
		p.route.retries = int32(s.Routing.Routes[ri].Retries)
		p.route.backoff = s.Routing.Routes[ri].Backoff.Seconds()
	}
	for i, plane := range scenarios.Planes {
		_, pr := s.PlaneRouteOf(sp, plane)
		if pr == nil {
			continue
		}
		if pr.Failover != nil || pr.DNS != nil {
			continue // compileAnswers
		}
		cr := planeRoute{
			enabled:  true,
			attempts: int32(pr.EffectiveAttempts()),
			timeout:  pr.EffectiveConnectTimeout().Seconds(),
		}
		for _, id := range pr.Primaries {
			cr.primaries = append(cr.primaries, dcIndex[id])
		}
		if sec := pr.Secondaries; sec != nil {
			for _, id := range s.Routing.Whitelists[sec.Whitelist] {
				cr.whitelist = append(cr.whitelist, dcIndex[id])
			}
			cr.picks = int32(min(sec.EffectivePicks(), maxPicks))
			switch sec.EffectiveOrder() {
			case "nearest":
				cr.order = pickNearest
			case "most-free":
				cr.order = pickMostFree
			}
			for _, id := range s.Nearest(&s.Regions[region], s.Routing.Whitelists[sec.Whitelist]) {
				cr.nearest = append(cr.nearest, dcIndex[id])
			}
		}
		p.route.planes[i] = cr
	}
	return p, nil
}
