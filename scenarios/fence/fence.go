// Package fence finds, without simulating, every forbidden datacenter a
// population's routing can reach in some state of the system, and for each
// the smallest set of datacenters that must be full or down for a client to
// land there: its witness. The size of the smallest witness is the fence's
// failure tolerance.
//
// The landing rule is the engine's: a client is admitted by the first of
// its primaries that can take it; when every primary is full or down it
// picks secondaries from its whitelist and is admitted by the first picked
// one that can. Which secondaries it picks depends on the order:
//
//   - random: any entry can be picked first, so any available entry can
//     admit it;
//   - most-free: any available entry can have the most free capacity, so
//     again any available entry can admit it;
//   - nearest: the picks are the k entries nearest the client, tried in
//     that order.
//
// "Full" is per plane and "down" is the whole datacenter; a witness
// datacenter can always be full on the plane in question, so a witness for
// one plane never stops another plane from being admitted.
//
// A balance route (Envoy's priorities by health) lands a client wherever
// the split of the state gives a share; its witnesses, the share they
// give and the ejection budget that bounds them are in balance.go.
package fence

import (
	"cmp"
	"context"
	"slices"

	"github.com/geofence/geofence/scenarios"
)

// Route is the part of a plane route the landing rule depends on, with
// datacenters as indices into Scenario.Datacenters.
type Route struct {
	Primaries []int
	Whitelist []int // empty: no secondaries
	Picks     int
	Nearest   bool // picks are the Picks entries of NearestOrder
	// NearestOrder is Whitelist by ascending RTT from the client region.
	NearestOrder []int
}

// Witness is the cheapest way for a client to land at a datacenter.
type Witness struct {
	Datacenter  int
	Unavailable []int // datacenters that must be full or down, in the order the client meets them
	Primary     int   // position in Primaries when it lands as a primary, else -1
	Entry       int   // position in Whitelist when it lands as a secondary, else -1
}

// candidate is a datacenter a route names, with its first position: in
// Primaries, else in Whitelist (-1 where it is not).
type candidate struct{ dc, primary, entry int }

// reach returns the cheapest witness for landing at candidate c through
// route r, and false when no state of the system lands a client there.
// c's positions are known, so that finding the witnesses of a whole route
// costs no search per datacenter.
func (r *Route) reach(c candidate) (Witness, bool) {
	dc := c.dc
	if c.primary >= 0 {
		// Landing as a secondary needs every primary unavailable,
		// dc included: the primary path is always cheaper.
		return Witness{Datacenter: dc, Unavailable: slices.Clone(r.Primaries[:c.primary]), Primary: c.primary, Entry: -1}, true
	}
	if c.entry < 0 {
		return Witness{}, false
	}
	w := Witness{Datacenter: dc, Unavailable: slices.Clone(r.Primaries), Primary: -1, Entry: c.entry}
	if r.Nearest {
		near := r.NearestOrder[:min(r.Picks, len(r.NearestOrder))]
		rank := slices.Index(near, dc)
		if rank < 0 {
			return Witness{}, false
		}
		for _, other := range near[:rank] {
			if !slices.Contains(w.Unavailable, other) {
				w.Unavailable = append(w.Unavailable, other)
			}
		}
	}
	return w, true
}

// Finding is one forbidden datacenter a population can reach.
type Finding struct {
	Population   string          `json:"population"`
	Plane        scenarios.Plane `json:"plane"` // whose fence is broken
	Via          scenarios.Plane `json:"via"`   // whose route leads there
	Datacenter   string          `json:"datacenter"`
	Jurisdiction string          `json:"jurisdiction"`
	Witness      []string        `json:"witness"` // must be full or down
	Whitelist    string          `json:"whitelist,omitempty"`
	// Share is, for a balance route, the fraction of requests whose
	// attempt goes to the datacenter when the witness is unhealthy.
	Share *float64 `json:"share,omitempty"`
	// Path is where in the scenario the datacenter is let in: the primary,
	// the whitelist entry, e.g. "routing.whitelists.intl-backup[4]", or the
	// balance route's locality.
	Path string `json:"path"`
}

// Fence is one population's plane: what it may reach that it must not.
type Fence struct {
	Population string          `json:"population"`
	Plane      scenarios.Plane `json:"plane"`
	// Tolerance is the least number of datacenters that must be full or
	// down before a client lands outside the fence; -1 when no state does.
	Tolerance int       `json:"tolerance"`
	Findings  []Finding `json:"findings"`
}

// Analyze returns one Fence per population and plane, in scenario order,
// for a validated scenario. Its work grows with populations × the
// datacenters their routes name, which a large file can make long: it
// returns ctx's error as soon as ctx is done.
func Analyze(ctx context.Context, s *scenarios.Scenario) ([]Fence, error) {
	dcIndex := map[scenarios.ID]int{}
	for i, d := range s.Datacenters {
		dcIndex[d.ID] = i
	}
	regionOf := map[scenarios.ID]*scenarios.Region{}
	for i := range s.Regions {
		regionOf[s.Regions[i].ID] = &s.Regions[i]
	}
	var out []Fence
	work := 0
	for pi := range s.Populations {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		p := &s.Populations[pi]
		if ri, _ := s.PlaneRouteOf(p, scenarios.Media); ri < 0 {
			continue
		}
		for _, plane := range scenarios.Planes {
			f := Fence{Population: string(p.ID), Plane: plane, Tolerance: -1}
			allowed := s.Allowed(p, plane)
			for _, via := range routesTo(plane) {
				ri, pr := s.PlaneRouteOf(p, via)
				if pr == nil || !walks(p, via) || (plane == scenarios.Keys && via == scenarios.Connector && clientCustody(s, p)) {
					continue
				}
				if pr.Balance != nil {
					found, err := balanceFindings(ctx, s, p, plane, via, ri, pr, allowed, dcIndex)
					if err != nil {
						return nil, err
					}
					f.Findings = append(f.Findings, found...)
					continue
				}
				if pr.Failover != nil || pr.DNS != nil {
					f.Findings = append(f.Findings, answerFindings(s, p, plane, via, ri, pr, allowed)...)
					continue
				}
				r := compile(s, pr, regionOf[p.Region], dcIndex)
				for _, c := range candidates(r) {
					if work++; work%4096 == 0 {
						if err := ctx.Err(); err != nil {
							return nil, err
						}
					}
					d := &s.Datacenters[c.dc]
					if _, ok := slices.BinarySearch(allowed, string(d.Jurisdiction)); ok {
						continue
					}
					w, ok := r.reach(c)
					if !ok {
						continue
					}
					f.Findings = append(f.Findings, finding(s, p, plane, via, ri, pr, w))
				}
			}
			slices.SortStableFunc(f.Findings, func(a, b Finding) int {
				return cmp.Or(cmp.Compare(len(a.Witness), len(b.Witness)), cmp.Compare(a.Datacenter, b.Datacenter), cmp.Compare(a.Via, b.Via))
			})
			if len(f.Findings) > 0 {
				f.Tolerance = len(f.Findings[0].Witness)
			}
			out = append(out, f)
		}
	}
	return out, nil
}

// routesTo lists the plane routes whose landings can break plane's fence:
// keys are issued on the key route and copied to the connector route.
func routesTo(plane scenarios.Plane) []scenarios.Plane {
	if plane == scenarios.Keys {
		return []scenarios.Plane{scenarios.Keys, scenarios.Connector}
	}
	return []scenarios.Plane{plane}
}

// clientCustody reports whether population p keeps its keys end to end,
// so that no server, connector included, ever holds one.
func clientCustody(s *scenarios.Scenario, p *scenarios.Population) bool {
	ri, pr := s.PlaneRouteOf(p, scenarios.Keys)
	return ri >= 0 && pr == nil
}

// walks reports whether joins of p ever walk the route of plane via: the
// connector route only for a population that dials in.
func walks(p *scenarios.Population, via scenarios.Plane) bool {
	return via != scenarios.Connector || p.DialInShare > 0
}

func compile(s *scenarios.Scenario, pr *scenarios.PlaneRoute, region *scenarios.Region, dcIndex map[scenarios.ID]int) *Route {
	r := &Route{}
	for _, id := range pr.Primaries {
		r.Primaries = append(r.Primaries, dcIndex[id])
	}
	if sec := pr.Secondaries; sec != nil {
		for _, id := range s.Routing.Whitelists[sec.Whitelist] {
			r.Whitelist = append(r.Whitelist, dcIndex[id])
		}
		r.Picks = sec.EffectivePicks()
		r.Nearest = sec.EffectiveOrder() == "nearest"
		for _, id := range s.Nearest(region, s.Routing.Whitelists[sec.Whitelist]) {
			r.NearestOrder = append(r.NearestOrder, dcIndex[id])
		}
	}
	return r
}

// candidates lists every datacenter r names once, primaries first.
// Validation has made each list free of repeats, so only a whitelist
// entry that is also a primary is left out.
func candidates(r *Route) []candidate {
	out := make([]candidate, 0, len(r.Primaries)+len(r.Whitelist))
	for i, dc := range r.Primaries {
		out = append(out, candidate{dc: dc, primary: i, entry: -1})
	}
	for e, dc := range r.Whitelist {
		if !slices.Contains(r.Primaries, dc) { // at most 64 primaries
			out = append(out, candidate{dc: dc, primary: -1, entry: e})
		}
	}
	return out
}

func finding(s *scenarios.Scenario, p *scenarios.Population, plane, via scenarios.Plane, ri int, pr *scenarios.PlaneRoute, w Witness) Finding {
	d := &s.Datacenters[w.Datacenter]
	f := Finding{
		Population: string(p.ID), Plane: plane, Via: via,
		Datacenter: string(d.ID), Jurisdiction: string(d.Jurisdiction),
		Witness: []string{},
	}
	for _, u := range w.Unavailable {
		f.Witness = append(f.Witness, string(s.Datacenters[u].ID))
	}
	if w.Primary >= 0 {
		f.Path = scenarios.PrimaryPath(ri, via, w.Primary)
	} else {
		f.Whitelist = pr.Secondaries.Whitelist
		f.Path = scenarios.WhitelistEntryPath(f.Whitelist, w.Entry)
	}
	return f
}
