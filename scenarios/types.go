package scenarios

import (
	"time"
)

// The scenario format. Every field carries a `yaml` name and a `doc` line; the
// loader, the validator and the JSON Schema (geofence schema) are all driven by
// these declarations, so the three cannot drift apart.
//
// A value written means what it says. An optional field whose default
// differs from its zero value is a pointer, so that an explicit 0 is
// told from an absent field and honoured or refused, never replaced by the
// default. An optional text field left out is told from one written empty
// (""), which is refused unless the field is free text (tag empty:"ok").
// An optional field written as null counts as left out, except where
// leaving it out widens a policy rule (tag null:"refused").

// Scenario is one what-if: the datacenters, who calls them and how, the
// routing that places the calls and the policy that routing must keep.
type Scenario struct {
	Name          string        `yaml:"name" doc:"Short name of the scenario, shown in every report; at most 200 bytes."`
	Description   string        `yaml:"description,omitempty" empty:"ok" doc:"What the scenario models and where its numbers come from."`
	Baseline      string        `yaml:"baseline,omitempty" doc:"A built-in name or a file (relative to this one) that this scenario changes; geofence check compares blocking with it."`
	Jurisdictions Jurisdictions `yaml:"jurisdictions,omitempty" doc:"Named groups of ISO 3166-1 alpha-2 codes, usable wherever a code is."`
	Regions       []Region      `yaml:"regions" doc:"Routing regions: client populations and datacenters each belong to one."`
	Datacenters   []Datacenter  `yaml:"datacenters" doc:"Datacenters with their capacity per plane, round-trip times and timeline."`
	Populations   []Population  `yaml:"populations" doc:"Who calls: one entry per (region, jurisdiction, plan) population."`
	Routing       Routing       `yaml:"routing" doc:"How clients pick datacenters for each plane."`
	Policy        []PolicyRule  `yaml:"policy" doc:"Geofence rules, first match wins; anything a matching rule does not allow is forbidden."`
	Run           RunSettings   `yaml:"run" doc:"Simulation horizon, warm-up, replications, seed and reporting buckets."`
	Accepted      []Accepted    `yaml:"accepted,omitempty" doc:"Known risks accepted until a date: findings of geofence check they match are reported as accepted, not failed."`

	// Source is set by the loader; nil for a scenario built in code.
	Source *Source `yaml:"-"`
}

// Jurisdictions declares named groups of jurisdictions.
type Jurisdictions struct {
	Groups map[string][]Code `yaml:"groups,omitempty" doc:"Group name to member codes or other group names, e.g. EU: [DE, FR, NL, IE]."`
}

// Region is a routing region.
type Region struct {
	ID       ID        `yaml:"id" doc:"Region identifier, e.g. na, eu, cn."`
	Name     string    `yaml:"name,omitempty" empty:"ok" doc:"Human-readable name, at most 200 bytes."`
	Location *Location `yaml:"location,omitempty" doc:"Where the region's clients are, for RTTs derived from datacenter locations."`
}

// Location is a point on the globe in degrees.
type Location struct {
	Lat float64 `yaml:"lat" doc:"Latitude in degrees, -90 to 90."`
	Lon float64 `yaml:"lon" doc:"Longitude in degrees, -180 to 180."`
}

// Plane names the three kinds of service a datacenter may offer.
type Plane string

// The planes of the model.
const (
	Media     Plane = "media"
	Keys      Plane = "keys"
	Connector Plane = "connector"
)

// Planes lists the planes in report order.
var Planes = [...]Plane{Media, Keys, Connector}

// PlaneCapacity gives a capacity per plane; a plane left out is not served.
// Key servers (plane keys) are the KMS servers of DESIGN.md.
type PlaneCapacity struct {
	Media     *Capacity `yaml:"media,omitempty" doc:"Concurrent participants whose media this datacenter carries."`
	Keys      *Capacity `yaml:"keys,omitempty" doc:"Concurrent participants whose meeting key this datacenter's key servers hold."`
	Connector *Capacity `yaml:"connector,omitempty" doc:"Concurrent dial-in participants this datacenter's connectors serve."`
}

// Datacenter is a site that can serve one or more planes.
type Datacenter struct {
	ID           ID                  `yaml:"id" doc:"Datacenter identifier."`
	Region       ID                  `yaml:"region" doc:"Region the datacenter belongs to."`
	Jurisdiction Code                `yaml:"jurisdiction" doc:"ISO 3166-1 alpha-2 code of the territory whose law applies."`
	Capacity     PlaneCapacity       `yaml:"capacity" doc:"Capacity per plane; the planes present are the planes served."`
	RTT          map[string]Duration `yaml:"rtt,omitempty" doc:"Round-trip time from each client region (by region id), at most 1h; overrides the location-derived value."`
	Location     *Location           `yaml:"location,omitempty" doc:"Where the datacenter is; RTT to a region with a location is derived as 2 ms + 2 x 1.5 x great-circle distance / 200 km/ms."`
	Timeline     []TimelineEntry     `yaml:"timeline,omitempty" doc:"Outages and capacity changes, in time order."`
	Locality     string              `yaml:"locality,omitempty" doc:"Where the datacenter stands in the configuration routing.import reads: an Istio locality REGION/ZONE/SUBZONE (zone and subzone optional), a Consul datacenter name or a Route 53 set_identifier; no two datacenters share one. Each importer says how its endpoints find their datacenter (Istio: the longest match, segment by segment)."`
}

// TimelineEntry changes a datacenter at a moment: its state or its capacity.
type TimelineEntry struct {
	At       Moment         `yaml:"at" doc:"When: a duration from the start of the simulation (15h), at most 366d; or a calendar time, placed by run.start: RFC 3339 with its offset, seconds optional (2020-04-01T14:00+01:00, 2020-04-01T13:00Z), or a local time and an IANA time zone (2020-04-01T14:00 Europe/Berlin)."`
	State    string         `yaml:"state,omitempty" enum:"up,down" doc:"up or down. Going down drops every call the datacenter carries."`
	Capacity *PlaneCapacity `yaml:"capacity,omitempty" doc:"New capacity for the planes given; calls above a reduced capacity finish normally."`
	Check    string         `yaml:"check,omitempty" enum:"passing,warning,critical,observed" doc:"What the health checks of failover and dns routes observe at the datacenter from now on, whatever its state: passing, warning or critical (a check script's verdict, for what-ifs); observed returns to the model's (critical when down, the route's full setting when full, else passing)."`
}

// Population is a group of callers that share a region, jurisdiction and plan.
type Population struct {
	ID             ID          `yaml:"id" doc:"Population identifier."`
	Region         ID          `yaml:"region" doc:"Region whose routing the population uses."`
	Jurisdiction   Code        `yaml:"jurisdiction" doc:"Jurisdiction the callers are in."`
	Plan           ID          `yaml:"plan" doc:"Account plan, e.g. free, paid, gov."`
	JoinsPerSecond float64     `yaml:"joins_per_second" doc:"Base join rate (joins per second) before profile, surges and growth; at most 1e7, and so is the rate at its peak (this x the largest profile factor x the surges in force together x the growth over the horizon)."`
	Profile        *Profile    `yaml:"profile,omitempty" doc:"Daily profile of the join rate in the population's time zone; flat when absent."`
	Surges         []Surge     `yaml:"surges,omitempty" doc:"Windows in which the join rate is multiplied; overlapping surges multiply."`
	GrowthPerDay   float64     `yaml:"growth_per_day,omitempty" doc:"Compound growth of the join rate per simulated day (0.1 = +10% a day), greater than -1; the growth over the horizon may multiply the rate by at most 1e6."`
	Holding        Holding     `yaml:"holding" doc:"How long an admitted participant stays."`
	DialInShare    Probability `yaml:"dial_in_share,omitempty" doc:"Share of joins that dial in through a connector, 0 to 1."`
	Locality       string      `yaml:"locality,omitempty" doc:"Where the population's clients stand in the configuration routing.import reads: the Istio locality of their proxy (REGION/ZONE/SUBZONE, zone and subzone optional) or their local Consul datacenter."`
	Reconnect      *Reconnect  `yaml:"reconnect,omitempty" doc:"What the population's clients do when an outage drops their call; when absent, every one joins again at once, as real clients do."`
}

// Reconnect is what clients do when the datacenter carrying their call's
// media goes down: join again, for the rest of the call, with some
// probability after some delay. The new join is counted as a join offered
// and as a rejoin.
type Reconnect struct {
	Probability *Probability `yaml:"probability,omitempty" doc:"Chance that a client whose call is dropped joins again, 0 to 1; 1 when absent."`
	Delay       *Delay       `yaml:"delay,omitempty" doc:"Time from the drop to the new join; none when absent. A client whose call would have ended first does not join again."`
}

// Delay is the distribution of a waiting time.
type Delay struct {
	Distribution string   `yaml:"distribution" enum:"deterministic,exponential,uniform" doc:"deterministic (always the mean), exponential, or uniform from 0 to twice the mean (full jitter)."`
	Mean         Duration `yaml:"mean" doc:"Mean delay, at most 1d."`
}

// RejoinProbability is the chance that a client of r rejoins after a drop.
func (r *Reconnect) RejoinProbability() float64 {
	if r == nil || r.Probability == nil {
		return 1
	}
	return float64(*r.Probability)
}

// Profile is a daily shape of the join rate, as hourly factors or a sinusoid.
type Profile struct {
	UTCOffset *Offset   `yaml:"utc_offset,omitempty" doc:"Fixed offset of the callers' local time from UTC, e.g. -5h: the local time is run.start + simulation time + this offset (run.start is 00:00 UTC when absent). Instead of time_zone; with neither, local time is UTC."`
	TimeZone  string    `yaml:"time_zone,omitempty" doc:"IANA time zone of the callers, e.g. America/Chicago: the local time is run.start + simulation time in this zone, daylight saving included (a change takes effect at the next whole hour of simulation time); needs run.start. Instead of utc_offset."`
	Hourly    []float64 `yaml:"hourly,omitempty" doc:"24 factors from 0 to 1e6, one per local hour, applied to the base rate."`
	Sinusoid  *Sinusoid `yaml:"sinusoid,omitempty" doc:"Rate factor 1 + amplitude x cos(2 pi (local time - peak) / period)."`

	location *time.Location // TimeZone, resolved by ResolveTimeZone
}

// Sinusoid is a smooth periodic rate factor.
type Sinusoid struct {
	Amplitude float64   `yaml:"amplitude" doc:"Relative amplitude, 0 to 1."`
	Peak      Duration  `yaml:"peak" doc:"Local time of the peak, e.g. 14h, counted from midnight of the day the simulation starts (as the profile's local time counts); at most 366d."`
	Period    *Duration `yaml:"period,omitempty" doc:"Period of the cycle, longer than 0 and at most 366d; 24h when absent."`
}

// Surge multiplies a population's join rate during a window.
type Surge struct {
	Start  Duration `yaml:"start" doc:"Start of the window, from the start of the simulation; at most 366d."`
	End    Duration `yaml:"end" doc:"End of the window, after its start; at most 366d."`
	Factor float64  `yaml:"factor" doc:"Multiplier applied to the join rate in the window, greater than 0 and at most 1e6."`
}

// Holding is the distribution of a participant's holding time.
type Holding struct {
	Distribution string   `yaml:"distribution" enum:"exponential,lognormal,deterministic" doc:"exponential, lognormal or deterministic."`
	Mean         Duration `yaml:"mean" doc:"Mean holding time, at most 30d."`
	SD           Duration `yaml:"sd,omitempty" doc:"Standard deviation, for lognormal only; at most 30d and at most 100 times the mean."`
}

// Routing holds the shared whitelists and the routes.
type Routing struct {
	Whitelists map[string][]ID `yaml:"whitelists,omitempty" doc:"Named secondary whitelists (lists of datacenter ids); several routes may share one."`
	Import     *Import         `yaml:"import,omitempty" doc:"Routing read from a service mesh's or DNS's own configuration files: for each population, a route of its own for each plane with a service. Planes without a service keep their native route."`
	Routes     []Route         `yaml:"routes" doc:"One route per region, plus optional per-plan and per-population overrides."`
}

// Import names configuration files whose routing the loader compiles into
// routes of the model (see scenarios/format and the importer packages).
type Import struct {
	Format   string         `yaml:"format" enum:"istio,consul,route53" doc:"Whose files: istio (DestinationRule, ServiceEntry, WorkloadEntry YAML), consul or route53."`
	Files    []string       `yaml:"files" doc:"The files, relative to this scenario (as they sit in the repository)."`
	Services ImportServices `yaml:"services" doc:"For each plane routed by the files, the service whose routing it follows."`

	// Lints are what the importer found likely wrong in the files, each
	// located there; the loader sets them and scenarios/lint reports them.
	Lints []ImportLint `yaml:"-"`
}

// ImportServices names, per plane, the service of the imported files that
// routes it: an Istio host, a Consul service, a Route 53 record name.
type ImportServices struct {
	Media     string `yaml:"media,omitempty" doc:"The service media goes to."`
	Keys      string `yaml:"keys,omitempty" doc:"The service meeting keys come from."`
	Connector string `yaml:"connector,omitempty" doc:"The service dial-in joins connect to."`
}

// Route tells the clients of a region (and, if set, one plan), or of one
// population, where to go. A route with a plan replaces the region's route
// for that plan entirely; a route with a population replaces, for that
// population, the planes it gives.
type Route struct {
	Region     ID          `yaml:"region,omitempty" doc:"Region whose clients use this route; every route without a population has one."`
	Plan       ID          `yaml:"plan,omitempty" doc:"If set, the route applies to this plan only and replaces the region's route for it."`
	Population ID          `yaml:"population,omitempty" doc:"If set (instead of region and plan), the route applies to this population only, for the planes it gives; its other planes come from the population's region or plan route."`
	Media      PlaneRoute  `yaml:"media,omitempty" doc:"Where media goes; every route without a population gives it."`
	Keys       KeyRoute    `yaml:"keys,omitempty" doc:"Where meeting keys come from; every route without a population gives it."`
	Connector  *PlaneRoute `yaml:"connector,omitempty" doc:"Where dial-in joins connect; required when a population of this route dials in."`
	Retries    int         `yaml:"retries,omitempty" doc:"Times a blocked join starts over from its first primary after backoff; a population's route takes them from its region or plan route."`
	Backoff    Duration    `yaml:"backoff,omitempty" doc:"Wait before each retry, at most 1h."`

	// Imported names the format of routing.import the loader compiled this
	// route from; "" for a route the scenario writes.
	Imported string `yaml:"-"`
}

// PlaneRoute is how a client finds a datacenter for one plane: the native
// walk (primaries, then secondaries) or exactly one other kind.
type PlaneRoute struct {
	Primaries      []ID           `yaml:"primaries,omitempty" doc:"Datacenters tried in order; a walk needs primaries or secondaries."`
	Attempts       *int           `yaml:"attempts,omitempty" doc:"Attempts per datacenter of the walk before moving on, 1 to 100; 1 when absent."`
	ConnectTimeout *Duration      `yaml:"connect_timeout,omitempty" doc:"Time an attempt of the walk at a down datacenter takes to fail, at most 1h; 5s when absent, and 0s makes it fail at once (an attempt at a full datacenter takes one round trip whatever this is)."`
	Secondaries    *Secondary     `yaml:"secondaries,omitempty" doc:"Fallback of the walk when every primary refused or failed; none when absent."`
	Balance        *Balance       `yaml:"balance,omitempty" doc:"Instead of the walk: Envoy's load balancing over priorities of localities by health, as Istio configures it."`
	Failover       *FailoverRoute `yaml:"failover,omitempty" doc:"Instead of the walk: the first healthy of a list of targets takes every join (a Consul prepared query or service-resolver, a Route 53 failover pair)."`
	DNS            *DNSRoute      `yaml:"dns,omitempty" doc:"Instead of the walk: Route 53 record groups answering by routing policy and health, each answer kept for its TTL."`
}

// Balance is Envoy's priority load balancing (what Istio's locality
// failover compiles to): each attempt picks a priority by the health of
// every priority, then a locality within it, then a host; hosts are ejected
// by outlier detection, which is how a full or down datacenter becomes
// unhealthy. docs/DESIGN.md gives the arithmetic and its sources.
type Balance struct {
	Priorities       [][]BalanceLocality `yaml:"priorities" doc:"Priority levels, P0 first; each a list of localities (datacenters). A datacenter appears at most once in a priority."`
	Overprovisioning *int                `yaml:"overprovisioning,omitempty" doc:"Envoy's overprovisioning factor in percent, 1 to 100000: a priority's health is min(100, this x healthy hosts / hosts); 140 when absent."`
	PanicThreshold   *int                `yaml:"panic_threshold,omitempty" doc:"Percent of healthy hosts, 0 to 100, below which a priority is in panic and balances over all its hosts, unhealthy included (only while the priorities' total health is below 100); 50 when absent (Envoy's default), 0 disables panic (Istio's with outlier detection)."`
	LocalityWeighted bool                `yaml:"locality_weighted,omitempty" doc:"Pick the locality within a priority by weight x min(1, overprovisioning x healthy / hosts) (Envoy's locality_weighted_lb_config); otherwise hosts of the priority are balanced alike, whatever their locality."`
	Retries          *int                `yaml:"retries,omitempty" doc:"Retries of an attempt refused or failed, 0 to 100, each picked again from the same priority loads; 0 when absent (Istio sets 2)."`
	ConnectTimeout   *Duration           `yaml:"connect_timeout,omitempty" doc:"Time an attempt at a down datacenter takes to fail, at most 1h; 5s when absent (Envoy's default; Istio's is 10s)."`
	OutlierDetection *OutlierDetection   `yaml:"outlier_detection,omitempty" doc:"How hosts that keep failing are ejected; when absent no host is ever ejected."`
}

// BalanceLocality is one locality of a priority: the hosts of one
// datacenter.
type BalanceLocality struct {
	Datacenter ID   `yaml:"datacenter" doc:"The datacenter whose hosts these are."`
	Weight     *int `yaml:"weight,omitempty" doc:"Locality weight (Envoy's load_balancing_weight), 1 to 1000000000; 1 when absent."`
	Hosts      *int `yaml:"hosts,omitempty" doc:"Hosts (endpoints) of the locality, 1 to 4096; 1 when absent."`
}

// OutlierDetection is Envoy's consecutive-5xx ejection of hosts.
type OutlierDetection struct {
	ConsecutiveErrors  *int      `yaml:"consecutive_errors,omitempty" doc:"Consecutive failed attempts (refused by a full datacenter, or failed at a down one) that eject a host, 0 to 1000; 0 ejects nobody; 5 when absent."`
	Interval           *Duration `yaml:"interval,omitempty" doc:"Time between ejection sweeps, which return hosts whose ejection has run out; longer than 0, at most 1h; 10s when absent."`
	BaseEjectionTime   *Duration `yaml:"base_ejection_time,omitempty" doc:"A host's n-th ejection lasts n x this, at most 1h; 30s when absent."`
	MaxEjectionPercent *int      `yaml:"max_ejection_percent,omitempty" doc:"A host is ejected only if then at most this percent of all the route's hosts are ejected, 0 to 100; 10 when absent."`
}

// Secondary picks fallback datacenters from a named whitelist.
type Secondary struct {
	Whitelist string `yaml:"whitelist" doc:"Name of the whitelist in routing.whitelists."`
	Picks     *int   `yaml:"picks,omitempty" doc:"How many datacenters the client picks from the whitelist, 1 to 8; 2 when absent."`
	Order     string `yaml:"order,omitempty" enum:"random,nearest,most-free" doc:"random (uniform, default), nearest (lowest RTT) or most-free (most free capacity now)."`
}

// KeyRoute is the key plane: server custody walks a PlaneRoute of key
// servers; client custody (end-to-end keys) leaves no key on any server.
type KeyRoute struct {
	Custody    string `yaml:"custody,omitempty" enum:"server,client" doc:"server (default): keys come from key servers; client: end-to-end keys, no server holds them."`
	PlaneRoute `yaml:",inline"`
}

// PolicyRule allows jurisdictions per plane for the populations it selects.
type PolicyRule struct {
	Name   string   `yaml:"name,omitempty" empty:"ok" doc:"Name of the rule, used in reports; at most 200 bytes."`
	Select Selector `yaml:"select" doc:"Which populations the rule applies to; an omitted field matches anything, and {} matches every population."`
	Allow  Allow    `yaml:"allow" doc:"Jurisdictions (codes or groups) allowed for each plane."`
}

// Selector matches populations. A field given as null or "" is refused
// rather than read as left out: that would widen the rule to every
// population.
type Selector struct {
	Region       ID   `yaml:"region,omitempty" null:"refused" doc:"Region id; any region when left out."`
	Jurisdiction Code `yaml:"jurisdiction,omitempty" null:"refused" doc:"Jurisdiction code or group; any jurisdiction when left out."`
	Plan         ID   `yaml:"plan,omitempty" null:"refused" doc:"Plan; any plan when left out."`
}

// Allow lists allowed jurisdictions per plane.
type Allow struct {
	Media     []Code `yaml:"media" doc:"Where media may be carried."`
	Keys      []Code `yaml:"keys" doc:"Where keys may be issued or copied."`
	Connector []Code `yaml:"connector" doc:"Where dial-in connectors may serve."`
}

// RunSettings controls a simulation run.
type RunSettings struct {
	Horizon          Duration        `yaml:"horizon" doc:"Simulated time per replication, warm-up included; at most 366d."`
	Warmup           Duration        `yaml:"warmup,omitempty" doc:"Initial time whose joins and occupancy are not measured."`
	Replications     int             `yaml:"replications" doc:"Independent replications; at least 2 for confidence intervals."`
	Seed             uint64          `yaml:"seed" doc:"Master seed; with the scenario it fixes every figure."`
	Bucket           *Duration       `yaml:"bucket,omitempty" doc:"Width of time-series buckets, longer than 0, at most 366d and at most 100000 of them in the horizon; 1h when absent."`
	Start            string          `yaml:"start,omitempty" doc:"Calendar time of simulation time 0, RFC 3339 (e.g. 2020-04-02T00:00:00Z or 2020-03-07T00:00:00-06:00). Every daily profile takes its local hour from run.start + simulation time, with its utc_offset or time_zone; when absent, simulation time 0 is 00:00 UTC, and a time_zone profile needs it."`
	MaxViolationRate *ViolationLimit `yaml:"max_violation_rate,omitempty" doc:"Thresholds for geofence check, per plane."`
	MaxBlocking      *Probability    `yaml:"max_blocking,omitempty" doc:"Highest blocking probability each population may have, 0 to 1: geofence check fails a population blocked more often, diff calls a significant rise past it worse and plan holds every population to it. No limit when absent."`
	Groups           []Group         `yaml:"groups,omitempty" doc:"Named sets of populations whose joins are counted together (\"all EU calls\"): their violation rates and blocking are of the group's joins pooled, held to the group's own limits."`
}

// Group is a named set of populations whose joins are counted, and held
// to limits, together: its rates are the violations (or blocked joins) of
// all its populations over the joins all of them offered. One of Select,
// Rule and Populations says which populations it holds.
type Group struct {
	ID               ID              `yaml:"id" doc:"Group identifier, named in reports, by geofence plan --population and by load[group:ID]."`
	Select           *Selector       `yaml:"select,omitempty" doc:"The populations a selector matches, as a policy rule's select does (region, jurisdiction code or group, plan; {} matches every population). Instead of rule or populations."`
	Rule             string          `yaml:"rule,omitempty" doc:"The populations a policy rule applies to (those it is the first match of), by the rule's name. Instead of select or populations."`
	Populations      []ID            `yaml:"populations,omitempty" doc:"The populations listed, by id. Instead of select or rule."`
	MaxViolationRate *ViolationLimit `yaml:"max_violation_rate,omitempty" doc:"Highest violation rate of the group's joins pooled, per plane: in each replication, the violations of all its populations over the joins all of them offered. Not held to a limit when absent."`
	MaxBlocking      *Probability    `yaml:"max_blocking,omitempty" doc:"Highest blocking probability of the group's joins pooled, 0 to 1. Not held to a limit when absent."`
}

// ViolationLimit is a maximum violation rate per plane.
type ViolationLimit struct {
	Media     *Probability `yaml:"media,omitempty" doc:"Maximum media violations per join offered."`
	Keys      *Probability `yaml:"keys,omitempty" doc:"Maximum key violations per join offered."`
	Connector *Probability `yaml:"connector,omitempty" doc:"Maximum connector violations per join offered."`
}
