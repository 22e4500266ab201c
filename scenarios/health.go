package scenarios

import (
	"slices"

	"github.com/geofence/geofence/scenarios/answer"
)

// The route kinds that answer by health: a failover list (a Consul
// prepared query or resolver, a Route 53 failover pair) and a tree of
// Route 53 record groups. Both learn a datacenter's health from health
// checks, whose model is Health; package scenarios/answer holds what they
// answer for given health, and docs/DESIGN.md the model.

// Health is how the health checks of a route observe a datacenter's plane.
// A check observes every interval, at k x interval from the start of the
// simulation: critical at a datacenter that is down, the full setting at
// one that is up but full on the plane, passing otherwise (a timeline
// entry's check overrides what it observes). It reports a new status once
// failure_threshold consecutive observations agree on it.
type Health struct {
	Interval         *Duration `yaml:"interval,omitempty" doc:"Time between two observations, at least 1s and at most 1h; 10s when absent (Consul's agent checks; Route 53 checks every 10s or 30s)."`
	FailureThreshold *int      `yaml:"failure_threshold,omitempty" doc:"Consecutive observations that must agree before the check changes status, 1 to 10; 1 when absent (Consul; Route 53's default is 3)."`
	Full             string    `yaml:"full,omitempty" enum:"critical,warning,passing" doc:"What a check observes at a datacenter that is up but full on the plane: critical (default: an HTTP check that times out under overload), warning (a check script that reports overload) or passing (a TCP check that still connects)."`
}

// Defaults of the health check model.
const (
	DefaultCheckInterval    = Duration(10)
	DefaultFailureThreshold = 1
	DefaultFull             = "critical"
	DefaultWhenNoneHealthy  = "none"
	DefaultTTL              = Duration(0)
)

// Limits of the health check model.
const (
	MinCheckInterval    = Duration(1)
	MaxCheckInterval    = Duration(3600)
	MaxFailureThreshold = 10
	MaxTTL              = Duration(86400)
	MaxTargets          = 64
	MaxRecordGroups     = 64
	MaxRecords          = 256 // records in one group
)

// FailoverRoute sends every join to the first of its targets whose health
// check is healthy: all or nothing per datacenter, as a Consul prepared
// query (the local datacenter, its NearestN, then its Datacenters) or a
// service-resolver's failover chooses, and as a Route 53 failover pair.
type FailoverRoute struct {
	Targets         []ID      `yaml:"targets" doc:"Datacenters in the order tried; the first whose check is healthy takes every join."`
	OnlyPassing     bool      `yaml:"only_passing,omitempty" doc:"A warning check counts as unhealthy (Consul's OnlyPassing); otherwise only a critical one does."`
	WhenNoneHealthy string    `yaml:"when_none_healthy,omitempty" enum:"none,first" doc:"When no target is healthy: none (default) gives no answer and blocks the join (Consul); first answers with the first target anyway (a Route 53 failover pair: both unhealthy, the primary)."`
	TTL             *Duration `yaml:"ttl,omitempty" doc:"How long a client keeps an answer (a DNS TTL), at most 1d: a join uses the answer given at a moment up to this long before it; 0s when absent: resolved at every join (Consul's HTTP API)."`
	ConnectTimeout  *Duration `yaml:"connect_timeout,omitempty" doc:"Time an attempt at a down datacenter takes to fail, at most 1h; 5s when absent (an attempt at a full datacenter is refused after one round trip)."`
	Health          *Health   `yaml:"health,omitempty" doc:"How the targets' checks observe them."`
}

// DNSRoute is a tree of Route 53 record groups: a client's query is
// answered by the first group's routing policy, with health checks, the
// documented fail-open rules and aliases followed, and the client keeps
// the answer for the TTL.
type DNSRoute struct {
	Groups         []RecordGroup `yaml:"groups" doc:"Record groups (the records of one name and type); clients query the first, and alias records name others."`
	TTL            *Duration     `yaml:"ttl,omitempty" doc:"How long a client keeps an answer, at most 1d (Route 53 alias records: 60s); 0s when absent."`
	ConnectTimeout *Duration     `yaml:"connect_timeout,omitempty" doc:"Time an attempt at a down datacenter takes to fail, at most 1h; 5s when absent."`
	Health         *Health       `yaml:"health,omitempty" doc:"Defaults for the records' health checks (and for evaluating an outside alias target's health)."`
}

// RecordGroup is the records of one name and type, chosen among by one
// routing policy.
type RecordGroup struct {
	Name    string   `yaml:"name" doc:"The DNS name, e.g. eu.media.example.com; unique within the route."`
	Policy  string   `yaml:"policy" enum:"simple,failover,geolocation,latency,weighted,multivalue" doc:"The routing policy: simple (one record), failover (a primary and a secondary), geolocation, latency, weighted or multivalue."`
	Records []Record `yaml:"records" doc:"The records of the group."`
}

// Record is one record set: it answers with a datacenter or is an alias
// to another group of the route.
type Record struct {
	ID                   string  `yaml:"id,omitempty" doc:"The record's set_identifier, for messages."`
	Datacenter           ID      `yaml:"datacenter,omitempty" doc:"The datacenter the record answers with; for an alias to a group, the datacenter its own health check observes and whose round-trip time stands for its latency region."`
	Alias                string  `yaml:"alias,omitempty" doc:"The name of the group of this route the record is an alias to."`
	EvaluateTargetHealth bool    `yaml:"evaluate_target_health,omitempty" doc:"The alias is healthy only when its target is: a group with a healthy record, or the outside resource (an ELB) in datacenter, whose health is observed as a check would."`
	HealthCheck          *Health `yaml:"health_check,omitempty" doc:"The record's health check, observing its datacenter; fields left out come from the route's health. A record without one is always healthy."`
	Failover             string  `yaml:"failover,omitempty" enum:"primary,secondary" doc:"A failover record's role."`
	Continent            string  `yaml:"continent,omitempty" doc:"A geolocation record's continent: AF, AN, AS, EU, NA, OC or SA."`
	Country              string  `yaml:"country,omitempty" doc:"A geolocation record's ISO 3166-1 alpha-2 country, or * for the default record."`
	Subdivision          string  `yaml:"subdivision,omitempty" doc:"A geolocation record's subdivision of its country (a US state: CA, NY, ...)."`
	Weight               *int    `yaml:"weight,omitempty" doc:"A weighted record's weight, 0 to 255."`
}

// SetPlaneRoute gives route r the plane route pr for plane, as an
// importer writes a population's route.
func (r *Route) SetPlaneRoute(plane Plane, pr *PlaneRoute) {
	switch plane {
	case Media:
		r.Media = *pr
	case Keys:
		r.Keys.PlaneRoute = *pr
	default:
		r.Connector = pr
	}
}

// AnswerDatacenters lists, once each in route order, the datacenters a
// failover or dns route can answer with (a record's datacenter is listed
// even for an alias, whose check observes it).
func (pr *PlaneRoute) AnswerDatacenters() []ID {
	var out []ID
	add := func(id ID) {
		if id != "" && !slices.Contains(out, id) {
			out = append(out, id)
		}
	}
	if f := pr.Failover; f != nil {
		for _, id := range f.Targets {
			add(id)
		}
	}
	if d := pr.DNS; d != nil {
		for _, g := range d.Groups {
			for _, r := range g.Records {
				add(r.Datacenter)
			}
		}
	}
	return out
}

// EffectiveInterval is Interval, or its default when absent.
func (h *Health) EffectiveInterval() Duration {
	if h == nil {
		return DefaultCheckInterval
	}
	return orDefault(h.Interval, DefaultCheckInterval)
}

// EffectiveFailureThreshold is FailureThreshold, or its default when absent.
func (h *Health) EffectiveFailureThreshold() int {
	if h == nil {
		return DefaultFailureThreshold
	}
	return orDefault(h.FailureThreshold, DefaultFailureThreshold)
}

// EffectiveFull is Full, or its default when absent.
func (h *Health) EffectiveFull() string {
	if h == nil || h.Full == "" {
		return DefaultFull
	}
	return h.Full
}

// Under returns h with the fields it leaves out taken from defaults: a
// record's check under its route's health.
func (h *Health) Under(defaults *Health) *Health {
	out := Health{}
	if defaults != nil {
		out = *defaults
	}
	if h != nil {
		if h.Interval != nil {
			out.Interval = h.Interval
		}
		if h.FailureThreshold != nil {
			out.FailureThreshold = h.FailureThreshold
		}
		if h.Full != "" {
			out.Full = h.Full
		}
	}
	return &out
}

// EffectiveWhenNoneHealthy is WhenNoneHealthy, or its default when absent.
func (f *FailoverRoute) EffectiveWhenNoneHealthy() string {
	if f.WhenNoneHealthy == "" {
		return DefaultWhenNoneHealthy
	}
	return f.WhenNoneHealthy
}

// EffectiveTTL is TTL, or its default when absent.
func (f *FailoverRoute) EffectiveTTL() Duration { return orDefault(f.TTL, DefaultTTL) }

// EffectiveConnectTimeout is ConnectTimeout, or its default when absent.
func (f *FailoverRoute) EffectiveConnectTimeout() Duration {
	return orDefault(f.ConnectTimeout, DefaultConnectTimeout)
}

// EffectiveTTL is TTL, or its default when absent.
func (d *DNSRoute) EffectiveTTL() Duration { return orDefault(d.TTL, DefaultTTL) }

// EffectiveConnectTimeout is ConnectTimeout, or its default when absent.
func (d *DNSRoute) EffectiveConnectTimeout() Duration {
	return orDefault(d.ConnectTimeout, DefaultConnectTimeout)
}

// Group returns the index of the group named name, or -1.
func (d *DNSRoute) Group(name string) int {
	for i := range d.Groups {
		if d.Groups[i].Name == name {
			return i
		}
	}
	return -1
}

// Check is one health check a route relies on: the datacenter it observes
// and how. Two routes whose checks are equal share one check.
type Check struct {
	Datacenter       ID
	Interval         Duration
	FailureThreshold int
	Full             string
}

// check is the check h makes of datacenter dc.
func (h *Health) check(dc ID) Check {
	return Check{Datacenter: dc, Interval: h.EffectiveInterval(), FailureThreshold: h.EffectiveFailureThreshold(), Full: h.EffectiveFull()}
}

// Checks returns the check of each target, in target order.
func (f *FailoverRoute) Checks() []Check {
	out := make([]Check, len(f.Targets))
	for i, id := range f.Targets {
		out[i] = f.Health.check(id)
	}
	return out
}

// AnswerTree returns d as package answer evaluates it, with datacenters
// as their indices by index, and the checks its records rely on (a
// record's Check and TargetCheck index them).
func (d *DNSRoute) AnswerTree(index func(ID) int) (answer.Tree, []Check) {
	var checks []Check
	add := func(c Check) int {
		if i := slices.Index(checks, c); i >= 0 {
			return i
		}
		checks = append(checks, c)
		return len(checks) - 1
	}
	t := answer.Tree{Groups: make([]answer.Group, len(d.Groups))}
	for gi, g := range d.Groups {
		policy, _ := answer.ParsePolicy(g.Policy)
		out := answer.Group{Policy: policy, Records: make([]answer.Record, len(g.Records))}
		for ri, r := range g.Records {
			rec := answer.Record{
				Datacenter: -1, Target: -1, Check: -1, TargetCheck: -1, LatencyTo: -1,
				EvaluateTargetHealth: r.EvaluateTargetHealth, Secondary: r.Failover == "secondary",
				Continent: r.Continent, Country: r.Country, Subdivision: r.Subdivision,
			}
			if r.Weight != nil {
				rec.Weight = int64(*r.Weight)
			}
			if r.Datacenter != "" {
				rec.LatencyTo = index(r.Datacenter)
			}
			if r.Alias != "" {
				rec.Target = d.Group(r.Alias)
			} else {
				rec.Datacenter = index(r.Datacenter)
				if r.EvaluateTargetHealth { // an outside resource: its health is observed like a check's
					rec.TargetCheck = add(d.Health.check(r.Datacenter))
				}
			}
			if r.HealthCheck != nil && r.Datacenter != "" {
				rec.Check = add(r.HealthCheck.Under(d.Health).check(r.Datacenter))
			}
			out.Records[ri] = rec
		}
		t.Groups[gi] = out
	}
	return t, checks
}

// DatacenterIndex returns the index of each datacenter of s by id.
func (s *Scenario) DatacenterIndex() func(ID) int {
	index := make(map[ID]int, len(s.Datacenters))
	for i, d := range s.Datacenters {
		index[d.ID] = i
	}
	return func(id ID) int {
		if i, ok := index[id]; ok {
			return i
		}
		return -1
	}
}

// AnswerPlan returns how dns route d answers population p's queries —
// from its country (its jurisdiction), with latency by the round-trip
// time from its region — with datacenters as indices into s.Datacenters,
// and the checks its records rely on.
func (s *Scenario) AnswerPlan(p *Population, d *DNSRoute) (*answer.Plan, []Check) {
	tree, checks := d.AnswerTree(s.DatacenterIndex())
	var region *Region
	for i := range s.Regions {
		if s.Regions[i].ID == p.Region {
			region = &s.Regions[i]
		}
	}
	client := answer.Client{Country: string(p.Jurisdiction), RTT: func(dc int) (float64, bool) {
		if region == nil || dc < 0 {
			return 0, false
		}
		t, ok := RoundTrip(region, &s.Datacenters[dc])
		return t.Seconds(), ok
	}}
	return tree.Specialize(client), checks
}
