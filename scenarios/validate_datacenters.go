package scenarios

// location checks that l, if given, is on the globe.
func (v *validator) location(path string, l *Location) {
	if l == nil {
		return
	}
	v.between(join(path, "lat"), l.Lat, -90, 90)
	v.between(join(path, "lon"), l.Lon, -180, 180)
}

// regions checks region ids and locations.
func (v *validator) regions() {
	for i, r := range v.s.Regions {
		path := index("regions", i)
		v.id("regions", i, r.ID, v.regionAt, "region")
		v.name(join(path, "name"), r.Name)
		v.location(join(path, "location"), r.Location)
	}
}

// datacenters checks each datacenter's id, references, capacities, round-trip
// times, location and timeline.
func (v *validator) datacenters() {
	for i := range v.s.Datacenters {
		dc := &v.s.Datacenters[i]
		path := index("datacenters", i)
		v.id("datacenters", i, dc.ID, v.datacenterAt, "datacenter")
		v.ref(join(path, "region"), dc.Region, v.knownRegions)
		v.country(join(path, "jurisdiction"), dc.Jurisdiction)
		if dc.Capacity.Media == nil && dc.Capacity.Keys == nil && dc.Capacity.Connector == nil {
			v.add(join(path, "capacity"), "the datacenter must serve at least one plane (media, keys or connector)")
		}
		v.capacities(join(path, "capacity"), dc.Capacity, nil)
		for _, region := range sortedKeys(dc.RTT) {
			v.ref(join(join(path, "rtt"), region), ID(region), v.knownRegions)
			v.nonNegativeDuration(join(join(path, "rtt"), region), dc.RTT[region], maxRTT)
		}
		v.location(join(path, "location"), dc.Location)
		v.timeline(join(path, "timeline"), dc)
	}
}

// capacities checks each capacity given; with served set (a timeline
// entry), also that the datacenter serves each plane given, since a
// timeline entry cannot add one. A datacenter's own capacity must be
// positive: a plane with no room is a plane not served. A timeline entry
// may drain a plane to 0.
func (v *validator) capacities(path string, c PlaneCapacity, served *PlaneCapacity) {
	for _, plane := range Planes {
		capacity := c.For(plane)
		if capacity == nil {
			continue
		}
		switch {
		case *capacity < 0 && !capacity.IsUnlimited():
			v.add(join(path, string(plane)), "must not be negative, got %d", *capacity)
		case *capacity == 0 && served == nil:
			v.add(join(path, string(plane)), "must be at least 1 or unlimited; leave the plane out if the datacenter does not serve it, or drain it with a timeline entry")
		}
		if served != nil && served.For(plane) == nil {
			v.add(join(path, string(plane)), "the datacenter does not serve %s", plane)
		}
	}
}

// timeline checks that entries are in time order, that each changes one
// thing the datacenter has, and that entries at one instant agree.
func (v *validator) timeline(path string, dc *Datacenter) {
	for i, e := range dc.Timeline {
		p := index(path, i)
		v.sameInstant(path, dc.Timeline, i)
		v.nonNegativeDuration(join(p, "at"), e.At, maxHorizon)
		if i > 0 && e.At < dc.Timeline[i-1].At {
			v.add(join(p, "at"), "entries must be in time order: %v comes after %v (%s)", e.At, dc.Timeline[i-1].At, v.at(index(path, i-1)))
		}
		switch {
		case e.State == "" && e.Capacity == nil && !v.bad[join(p, "state")] && !v.bad[join(p, "capacity")]:
			v.add(p, "give a state or a capacity")
		case e.State != "" && e.Capacity != nil:
			v.add(p, "give a state or a capacity, not both")
		}
		if e.State != "" {
			v.enum(join(p, "state"), e.State, states)
		}
		if e.Capacity != nil {
			v.capacities(join(p, "capacity"), *e.Capacity, &dc.Capacity)
		}
	}
}

// sameInstant checks entry i of a timeline against the earlier entries at
// the same instant: the engine applies them in file order, so two that
// disagree (down and up, or two capacities for one plane) would mean
// whichever comes last, and the author meant one of them.
func (v *validator) sameInstant(path string, timeline []TimelineEntry, i int) {
	e := timeline[i]
	for j := i - 1; j >= 0 && timeline[j].At == e.At; j-- {
		earlier := timeline[j]
		if e.State != "" && earlier.State != "" && e.State != earlier.State {
			v.add(join(index(path, i), "state"), "%s at %v, but the entry at %s says %s at the same instant: give one state", e.State, e.At, v.at(index(path, j)), earlier.State)
		}
		if e.Capacity == nil || earlier.Capacity == nil {
			continue
		}
		for _, plane := range Planes {
			now, then := e.Capacity.For(plane), earlier.Capacity.For(plane)
			if now != nil && then != nil && *now != *then {
				v.add(join(join(index(path, i), "capacity"), string(plane)), "%v at %v, but the entry at %s gives %v at the same instant: give one capacity", *now, e.At, v.at(index(path, j)), *then)
			}
		}
	}
}
