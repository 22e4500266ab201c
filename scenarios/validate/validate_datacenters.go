package validate

import (
	"github.com/geofence/geofence/scenarios"
)

// location checks that l, if given, is on the globe.
func (v *validator) location(path string, l *scenarios.Location) {
	if l == nil {
		return
	}
	v.between(scenarios.Join(path, "lat"), l.Lat, -90, 90)
	v.between(scenarios.Join(path, "lon"), l.Lon, -180, 180)
}

// regions checks region ids and locations.
func (v *validator) regions() {
	for i, r := range v.s.Regions {
		path := scenarios.Index("regions", i)
		v.id("regions", i, r.ID, v.regionAt, "region")
		v.name(scenarios.Join(path, "name"), r.Name)
		v.location(scenarios.Join(path, "location"), r.Location)
	}
}

// datacenters checks each datacenter's id, references, capacities, round-trip
// times, location and timeline.
func (v *validator) datacenters() {
	for i := range v.s.Datacenters {
		dc := &v.s.Datacenters[i]
		path := scenarios.Index("datacenters", i)
		v.id("datacenters", i, dc.ID, v.datacenterAt, "datacenter")
		v.ref(scenarios.Join(path, "region"), dc.Region, v.knownRegions)
		v.country(scenarios.Join(path, "jurisdiction"), dc.Jurisdiction)
		if dc.Capacity.Media == nil && dc.Capacity.Keys == nil && dc.Capacity.Connector == nil {
			v.Add(scenarios.Join(path, "capacity"), "the datacenter must serve at least one plane (media, keys or connector)")
		}
		v.capacities(scenarios.Join(path, "capacity"), dc.Capacity, nil)
		for _, region := range sortedKeys(dc.RTT) {
			v.ref(scenarios.Join(scenarios.Join(path, "rtt"), region), scenarios.ID(region), v.knownRegions)
			v.nonNegativeDuration(scenarios.Join(scenarios.Join(path, "rtt"), region), dc.RTT[region], maxRTT)
		}
		v.location(scenarios.Join(path, "location"), dc.Location)
		v.timeline(scenarios.Join(path, "timeline"), dc)
	}
}

// capacities checks each capacity given; with served set (a timeline
// entry), also that the datacenter serves each plane given, since a
// timeline entry cannot add one. A datacenter's own capacity must be
// positive: a plane with no room is a plane not served. A timeline entry
// may drain a plane to 0.
func (v *validator) capacities(path string, c scenarios.PlaneCapacity, served *scenarios.PlaneCapacity) {
	for _, plane := range scenarios.Planes {
		capacity := c.For(plane)
		if capacity == nil {
			continue
		}
		switch {
		case *capacity < 0 && !capacity.IsUnlimited():
			v.Add(scenarios.Join(path, string(plane)), "must not be negative, got %d", *capacity)
		case *capacity == 0 && served == nil:
			v.Add(scenarios.Join(path, string(plane)), "must be at least 1 or unlimited; leave the plane out if the datacenter does not serve it, or drain it with a timeline entry")
		}
		if served != nil && served.For(plane) == nil {
			v.Add(scenarios.Join(path, string(plane)), "the datacenter does not serve %s", plane)
		}
	}
}

// timeline checks that entries are in time order, that each changes one
// thing the datacenter has, and that entries at one instant agree. An
// entry whose time did not decode or cannot be placed is left out of the
// order: its problem is said already.
func (v *validator) timeline(path string, dc *scenarios.Datacenter) {
	var placed []int // the entries with a time, in order
	for i := range dc.Timeline {
		at := scenarios.Join(scenarios.Index(path, i), "at")
		if !v.bad[at] && v.placeMoment(at, &dc.Timeline[i].At) {
			placed = append(placed, i)
		}
	}
	for k, i := range placed {
		e, p := dc.Timeline[i], scenarios.Index(path, i)
		v.sameInstant(path, dc.Timeline, placed[:k+1])
		v.nonNegativeDuration(scenarios.Join(p, "at"), e.At.Duration, maxHorizon)
		if k > 0 && e.At.Duration < dc.Timeline[placed[k-1]].At.Duration {
			prev := placed[k-1]
			v.Add(scenarios.Join(p, "at"), "entries must be in time order: %v comes after %v (%s)", e.At, dc.Timeline[prev].At, v.at(scenarios.Index(path, prev)))
		}
	}
	for i, e := range dc.Timeline {
		p := scenarios.Index(path, i)
		given := 0
		for _, g := range []bool{e.State != "", e.Capacity != nil, e.Check != ""} {
			if g {
				given++
			}
		}
		switch {
		case given == 0 && !v.bad[scenarios.Join(p, "state")] && !v.bad[scenarios.Join(p, "capacity")] && !v.bad[scenarios.Join(p, "check")]:
			v.Add(p, "give a state, a capacity or a check")
		case given > 1:
			v.Add(p, "give a state, a capacity or a check, not more than one")
		}
		if e.State != "" {
			v.enum(scenarios.Join(p, "state"), e.State, states)
		}
		if e.Check != "" {
			v.enum(scenarios.Join(p, "check"), e.Check, checkStatuses)
		}
		if e.Capacity != nil {
			v.capacities(scenarios.Join(p, "capacity"), *e.Capacity, &dc.Capacity)
		}
	}
}

// sameInstant checks the last of the entries placed (indices into the
// timeline, in order) against the earlier ones at the same instant: the
// engine applies them in file order, so two that disagree (down and up,
// or two capacities for one plane) would mean whichever comes last, and
// the author meant one of them.
func (v *validator) sameInstant(path string, timeline []scenarios.TimelineEntry, placed []int) {
	i := placed[len(placed)-1]
	e := timeline[i]
	for k := len(placed) - 2; k >= 0 && timeline[placed[k]].At.Duration == e.At.Duration; k-- {
		j := placed[k]
		earlier := timeline[j]
		if e.State != "" && earlier.State != "" && e.State != earlier.State {
			v.Add(scenarios.Join(scenarios.Index(path, i), "state"), "%s at %v, but the entry at %s says %s at the same instant: give one state", e.State, e.At, v.at(scenarios.Index(path, j)), earlier.State)
		}
		if e.Capacity == nil || earlier.Capacity == nil {
			continue
		}
		for _, plane := range scenarios.Planes {
			now, then := e.Capacity.For(plane), earlier.Capacity.For(plane)
			if now != nil && then != nil && *now != *then {
				v.Add(scenarios.Join(scenarios.Join(scenarios.Index(path, i), "capacity"), string(plane)), "%v at %v, but the entry at %s gives %v at the same instant: give one capacity", *now, e.At, v.at(scenarios.Index(path, j)), *then)
			}
		}
	}
}

// placeMoment places a calendar time written at path on simulation time,
// by run.start, and reports whether it could.
func (v *validator) placeMoment(path string, m *scenarios.Moment) bool {
	if m.Calendar == "" {
		return true
	}
	d, err := m.Resolve(v.s.Run)
	if err != nil {
		v.Add(path, "%v", err)
		return false
	}
	m.Duration = d
	return true
}
