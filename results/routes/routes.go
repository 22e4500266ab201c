// Package routes says what a scenario's routing does, without simulating
// it, for geofence routes: each population's chain on each plane, what it
// excludes, and the split of its joins when given datacenters are taken to
// be unhealthy.
package routes

import (
	"cmp"
	"fmt"
	"maps"
	"math/big"
	"slices"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/balance"
	"github.com/geofence/geofence/scenarios/fence"
)

// Kind is the kind of the result of `geofence routes`.
const Kind = "routes"

// Report is what a scenario's routing does for each population and
// plane, without simulating: the chain its route gives (priorities,
// localities, weights and hosts; primaries and whitelist), the datacenters
// it never names, and how requests split between datacenters and
// jurisdictions when the datacenters named unhealthy are full or down —
// what `istioctl proxy-config endpoints` shows, offline.
type Report struct {
	results.Header
	Scenario  results.ScenarioRef `json:"scenario"`
	Unhealthy []string            `json:"unhealthy"`
	Chains    []Chain             `json:"chains"`
}

// Chain is one population's route for one plane.
type Chain struct {
	Population string `json:"population"`
	Plane      string `json:"plane"`
	// Kind is the route's kind (walk, balance), or "custody: client" for
	// keys no server holds.
	Kind  string           `json:"kind"`
	Route string           `json:"route"` // its key: region, region/plan or @population
	At    results.Location `json:"at"`
	// Priorities are a balance route's levels, with the load each takes
	// in the state asked about.
	Priorities []ChainPriority `json:"priorities,omitempty"`
	Balance    *BalanceFacts   `json:"balance,omitempty"`
	// Primaries and Secondaries are a walk's.
	Primaries   []ChainLocality `json:"primaries,omitempty"`
	Secondaries *ChainWhitelist `json:"secondaries,omitempty"`
	// Answers are the datacenters a failover or dns route can answer
	// with, in route order, each with the share of queries it answers.
	Answers []ChainLocality `json:"answers,omitempty"`
	// Excluded are the datacenters serving the plane the route never
	// names: no state sends a client there.
	Excluded []string `json:"excluded"`
	// Split is the share of requests that lands at each datacenter in the
	// state asked about, largest first; NoHost the share that finds none
	// (blocked, or "no healthy upstream"). Shares are nil where they
	// depend on more than the state (a most-free pick).
	Split         []Share  `json:"split"`
	Jurisdictions []Share  `json:"jurisdictions"`
	NoHost        *float64 `json:"no_host"`
}

// ChainPriority is one level of a balance route.
type ChainPriority struct {
	Priority   int             `json:"priority"`
	Load       int             `json:"load"` // percent of requests, Envoy's priority load
	Panic      bool            `json:"panic"`
	Localities []ChainLocality `json:"localities"`
}

// ChainLocality is a datacenter a route names, where it names it.
type ChainLocality struct {
	Datacenter   string           `json:"datacenter"`
	Jurisdiction string           `json:"jurisdiction"`
	Allowed      bool             `json:"allowed"`
	Weight       int              `json:"weight,omitempty"`
	Hosts        int              `json:"hosts,omitempty"`
	Healthy      int              `json:"healthy"` // hosts healthy in the state asked about (a walk's datacenter: 0 or 1)
	Share        *float64         `json:"share"`
	At           results.Location `json:"at"`
}

// ChainWhitelist is a walk's secondaries.
type ChainWhitelist struct {
	Whitelist string          `json:"whitelist"`
	Picks     int             `json:"picks"`
	Order     string          `json:"order"`
	Entries   []ChainLocality `json:"entries"`
}

// BalanceFacts are a balance route's settings and its ejection budget.
type BalanceFacts struct {
	Overprovisioning int     `json:"overprovisioning"`
	PanicThreshold   int     `json:"panic_threshold"`
	LocalityWeighted bool    `json:"locality_weighted"`
	Retries          int     `json:"retries"`
	ConnectTimeoutS  float64 `json:"connect_timeout_s"`
	OutlierDetection bool    `json:"outlier_detection"`
	// EjectionBudget is how many hosts outlier detection may eject at
	// once (see scenarios/fence.EjectionBudget).
	EjectionBudget int `json:"ejection_budget"`
	Hosts          int `json:"hosts"`
}

// Share is a datacenter's or a jurisdiction's share of requests.
type Share struct {
	Name         string   `json:"name"`
	Jurisdiction string   `json:"jurisdiction,omitempty"`
	Allowed      bool     `json:"allowed"`
	Share        *float64 `json:"share"`
}

// Options choose what Build shows: one population, one plane (""
// for all), and the datacenters taken to be unhealthy (full or down).
type Options struct {
	Population, Plane string
	Unhealthy         []string
	Meta              results.Meta
}

// Build lays out the routing of s as Options asks. Unknown names
// are an error saying what is known.
func Build(s *scenarios.Scenario, opt Options) (*Report, error) {
	index := map[scenarios.ID]int{}
	for i, d := range s.Datacenters {
		index[d.ID] = i
	}
	down := map[int]bool{}
	for _, id := range opt.Unhealthy {
		i, ok := index[scenarios.ID(id)]
		if !ok {
			return nil, fmt.Errorf("--unhealthy %s: no such datacenter; the datacenters are %s", id, idsOf(s.Datacenters))
		}
		down[i] = true
	}
	if opt.Plane != "" && !slices.Contains(scenarios.Planes[:], scenarios.Plane(opt.Plane)) {
		return nil, fmt.Errorf("--plane %s: want media, keys or connector", opt.Plane)
	}
	if opt.Population != "" && !slices.ContainsFunc(s.Populations, func(p scenarios.Population) bool { return string(p.ID) == opt.Population }) {
		return nil, fmt.Errorf("--population %s: no such population", opt.Population)
	}
	r := &Report{
		Header:    results.Header{Kind: Kind, FormatVersion: results.FormatVersion, Tool: opt.Meta.Tool, Version: opt.Meta.Version},
		Scenario:  results.ScenarioRefOf(s, opt.Meta),
		Unhealthy: append([]string{}, opt.Unhealthy...),
		Chains:    []Chain{},
	}
	for pi := range s.Populations {
		p := &s.Populations[pi]
		if opt.Population != "" && string(p.ID) != opt.Population {
			continue
		}
		for _, plane := range scenarios.Planes {
			if opt.Plane != "" && string(plane) != opt.Plane || plane == scenarios.Connector && p.DialInShare == 0 {
				continue
			}
			ri, pr := s.PlaneRouteOf(p, plane)
			if ri < 0 {
				continue
			}
			c := chainOf(s, p, plane, ri, pr, index, down)
			r.Chains = append(r.Chains, c)
		}
	}
	return r, nil
}

func idsOf(dcs []scenarios.Datacenter) string {
	ids := make([]string, len(dcs))
	for i, d := range dcs {
		ids[i] = string(d.ID)
	}
	return strings.Join(ids, ", ")
}

// chainOf lays out route ri's plane route pr for population p.
func chainOf(s *scenarios.Scenario, p *scenarios.Population, plane scenarios.Plane, ri int, pr *scenarios.PlaneRoute, index map[scenarios.ID]int, down map[int]bool) Chain {
	path := scenarios.PlaneRoutePath(ri, plane)
	c := Chain{Population: string(p.ID), Plane: string(plane), Route: s.Routing.Routes[ri].Key(), At: locationOf(s, path), Excluded: []string{}, Split: []Share{}, Jurisdictions: []Share{}}
	if pr == nil {
		c.Kind = "custody: client"
		none := 0.0
		c.NoHost = &none // no server is asked
		return c
	}
	c.Kind = strings.Join(pr.Kinds(), ", ")
	allowed := s.Allowed(p, plane)
	locality := func(id scenarios.ID, at string) ChainLocality {
		d := &s.Datacenters[index[id]]
		_, ok := slices.BinarySearch(allowed, string(d.Jurisdiction))
		healthy := 1
		if down[index[id]] {
			healthy = 0
		}
		return ChainLocality{Datacenter: string(id), Jurisdiction: string(d.Jurisdiction), Allowed: ok, Healthy: healthy, At: locationOf(s, at)}
	}
	shares := map[string]*float64{}
	if pr.Balance != nil {
		br := balance.Compile(pr.Balance, func(id scenarios.ID) int { return index[id] })
		split := br.Split(br.HealthyWithout(func(dc int) bool { return down[dc] }))
		c.NoHost = &split.None
		b := pr.Balance
		c.Balance = &BalanceFacts{Overprovisioning: br.Overprovisioning, PanicThreshold: br.PanicThreshold, LocalityWeighted: br.LocalityWeighted,
			Retries: b.EffectiveRetries(), ConnectTimeoutS: b.EffectiveConnectTimeout().Seconds(), OutlierDetection: b.OutlierDetection != nil,
			EjectionBudget: fence.EjectionBudget(b, br.Hosts()), Hosts: br.Hosts()}
		for lp, level := range b.Priorities {
			cp := ChainPriority{Priority: lp, Load: split.Load.Healthy[lp] + split.Load.Degraded[lp], Panic: split.Load.Panic[lp]}
			for i, l := range level {
				cl := locality(l.Datacenter, scenarios.Index(scenarios.Index(scenarios.Join(path, "balance.priorities"), lp), i))
				cl.Weight, cl.Hosts, cl.Healthy = l.EffectiveWeight(), l.EffectiveHosts(), l.EffectiveHosts()*cl.Healthy
				share := split.Shares[lp][i]
				cl.Share = &share
				addShare(shares, cl.Datacenter, &share)
				cp.Localities = append(cp.Localities, cl)
			}
			c.Priorities = append(c.Priorities, cp)
		}
	} else if pr.Failover != nil || pr.DNS != nil {
		c.NoHost = answerSplit(s, &c, path, pr, p, index, down, locality, shares)
	} else {
		c.NoHost = walkSplit(s, &c, ri, pr, p, plane, index, down, locality, shares)
	}
	named := map[string]bool{}
	for _, id := range slices.Concat(pr.Primaries, s.Routing.Whitelists[whitelistOf(pr)], pr.Balance.Datacenters(), pr.AnswerDatacenters()) {
		named[string(id)] = true
	}
	for _, d := range s.Datacenters {
		if d.Capacity.For(plane) != nil && !named[string(d.ID)] {
			c.Excluded = append(c.Excluded, string(d.ID))
		}
	}
	byJurisdiction := map[string]*float64{}
	for _, name := range slices.Sorted(maps.Keys(shares)) {
		d := &s.Datacenters[index[scenarios.ID(name)]]
		_, ok := slices.BinarySearch(allowed, string(d.Jurisdiction))
		c.Split = append(c.Split, Share{Name: name, Jurisdiction: string(d.Jurisdiction), Allowed: ok, Share: shares[name]})
		addShare(byJurisdiction, string(d.Jurisdiction), shares[name])
	}
	for _, j := range slices.Sorted(maps.Keys(byJurisdiction)) {
		_, ok := slices.BinarySearch(allowed, j)
		c.Jurisdictions = append(c.Jurisdictions, Share{Name: j, Allowed: ok, Share: byJurisdiction[j]})
	}
	bySize := func(a, b Share) int {
		return cmp.Or(cmp.Compare(shareOrZero(b.Share), shareOrZero(a.Share)), strings.Compare(a.Name, b.Name))
	}
	slices.SortStableFunc(c.Split, bySize)
	slices.SortStableFunc(c.Jurisdictions, bySize)
	return c
}

// walkSplit lays out a walk: its primaries, each taking every request
// when it is the first available one; then, when none is, its
// secondaries. It returns the share of requests that find no datacenter.
func walkSplit(s *scenarios.Scenario, c *Chain, ri int, pr *scenarios.PlaneRoute, p *scenarios.Population, plane scenarios.Plane, index map[scenarios.ID]int,
	down map[int]bool, locality func(scenarios.ID, string) ChainLocality, shares map[string]*float64) *float64 {
	left := 1.0
	for k, id := range pr.Primaries {
		cl := locality(id, scenarios.PrimaryPath(ri, plane, k))
		share := 0.0
		if !down[index[id]] {
			share, left = left, 0
		}
		cl.Share = &share
		addShare(shares, cl.Datacenter, &share)
		c.Primaries = append(c.Primaries, cl)
	}
	sec := pr.Secondaries
	if sec == nil {
		return &left
	}
	list := s.Routing.Whitelists[sec.Whitelist]
	c.Secondaries = &ChainWhitelist{Whitelist: sec.Whitelist, Picks: sec.EffectivePicks(), Order: sec.EffectiveOrder()}
	var available []scenarios.ID
	for _, id := range list {
		if !down[index[id]] && !slices.Contains(pr.Primaries, id) {
			available = append(available, id)
		}
	}
	blocked := left
	var each *float64
	switch sec.EffectiveOrder() {
	case "random":
		// The picks are the first k of a random order of the list; the
		// client lands at the first available one among them: each
		// available entry alike, unless all k picked are unavailable.
		n, m, k := len(list), len(available), min(sec.EffectivePicks(), len(list))
		none := binomialRatio(n-m, n, k)
		if m > 0 {
			x := left * (1 - none) / float64(m)
			each = &x
		}
		blocked = left * none
	case "nearest":
		near := s.Nearest(regionOf(s, p), list)
		near = near[:min(sec.EffectivePicks(), len(near))]
		if i := slices.IndexFunc(near, func(id scenarios.ID) bool { return slices.Contains(available, id) }); i >= 0 && left > 0 {
			available, blocked = []scenarios.ID{near[i]}, 0
			x := left
			each = &x
		} else {
			available = nil
		}
	default: // most-free: which available entry has the most room depends on the load
		blocked = 0
	}
	for k, id := range list {
		cl := locality(id, scenarios.WhitelistEntryPath(sec.Whitelist, k))
		var share *float64
		switch {
		case slices.Contains(available, id) && left > 0:
			share = each
		case sec.EffectiveOrder() != "most-free" || left == 0:
			zero := 0.0
			share = &zero
		}
		cl.Share = share
		addShare(shares, cl.Datacenter, share)
		c.Secondaries.Entries = append(c.Secondaries.Entries, cl)
	}
	if sec.EffectiveOrder() == "most-free" && left > 0 {
		return nil
	}
	return &blocked
}

// answerSplit lays out a failover or dns route at path: the datacenters
// it can answer with, each with the share of queries answered with it
// (fence.AnswerSplit), located at the target or the record that answers.
// It returns the share of queries with no answer.
func answerSplit(s *scenarios.Scenario, c *Chain, path string, pr *scenarios.PlaneRoute, p *scenarios.Population, index map[scenarios.ID]int,
	down map[int]bool, locality func(scenarios.ID, string) ChainLocality, shares map[string]*float64) *float64 {
	d := fence.AnswerSplit(s, p, pr, down)
	for _, id := range pr.AnswerDatacenters() {
		at := path
		share := 0.0
		for _, sh := range d.Shares {
			if sh.Datacenter != index[id] {
				continue
			}
			share += sh.P
			if pr.DNS != nil && at == path {
				at = scenarios.Index(scenarios.Index(path+".dns.groups", sh.Group)+".records", sh.Record)
			}
		}
		if pr.Failover != nil {
			at = scenarios.Index(path+".failover.targets", slices.Index(pr.Failover.Targets, id))
		}
		cl := locality(id, at)
		cl.Share = &share
		addShare(shares, cl.Datacenter, &share)
		c.Answers = append(c.Answers, cl)
	}
	return &d.None
}

// binomialRatio is C(a, k) / C(n, k): the chance that k items drawn from n
// without replacement all fall among a given a.
func binomialRatio(a, n, k int) float64 {
	if k > a {
		return 0
	}
	r, _ := new(big.Rat).SetFrac(new(big.Int).Binomial(int64(a), int64(k)), new(big.Int).Binomial(int64(n), int64(k))).Float64()
	return r
}

func regionOf(s *scenarios.Scenario, p *scenarios.Population) *scenarios.Region {
	for i := range s.Regions {
		if s.Regions[i].ID == p.Region {
			return &s.Regions[i]
		}
	}
	return nil
}

// addShare adds x to the share of name; an unknown share (nil) makes the
// total unknown.
func addShare(m map[string]*float64, name string, x *float64) {
	cur, seen := m[name]
	switch {
	case !seen && x != nil:
		v := *x
		m[name] = &v
	case !seen || x == nil:
		m[name] = nil
	case cur != nil:
		*cur += *x
	}
}

func shareOrZero(x *float64) float64 {
	if x == nil {
		return -1
	}
	return *x
}

func whitelistOf(pr *scenarios.PlaneRoute) string {
	if pr.Secondaries == nil {
		return ""
	}
	return pr.Secondaries.Whitelist
}

// locationOf is where the value at path stands.
func locationOf(s *scenarios.Scenario, path string) results.Location {
	pos := s.Source.Pos(path)
	return results.Location{Path: path, File: pos.File, Line: pos.Line, Column: pos.Column}
}
