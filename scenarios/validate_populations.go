package scenarios

import "math"

// populations checks each population's id, references, rates, profile,
// holding time and route.
func (v *validator) populations() {
	for i := range v.s.Populations {
		p := &v.s.Populations[i]
		path := index("populations", i)
		v.id("populations", i, p.ID, v.populationAt, "population")
		v.ref(join(path, "region"), p.Region, v.knownRegions)
		v.country(join(path, "jurisdiction"), p.Jurisdiction)
		if !p.Plan.Valid() {
			v.add(join(path, "plan"), "%q is not an id: use 1 to 64 letters, digits, '_', '.' or '-'", p.Plan)
		}
		v.positive(join(path, "joins_per_second"), p.JoinsPerSecond)
		v.profile(join(path, "profile"), p.Profile)
		for j, surge := range p.Surges {
			sp := index(join(path, "surges"), j)
			v.nonNegativeDuration(join(sp, "start"), surge.Start)
			if !(surge.Start < surge.End) {
				v.add(join(sp, "end"), "must be after start (%v), got %v", surge.Start, surge.End)
			}
			v.positive(join(sp, "factor"), surge.Factor)
		}
		if !(p.GrowthPerDay > -1) || !finite(p.GrowthPerDay) {
			v.add(join(path, "growth_per_day"), "must be greater than -1 (a rate cannot shrink by 100%% or more a day), got %v", p.GrowthPerDay)
		}
		v.holding(join(path, "holding"), p.Holding)
		v.between(join(path, "dial_in_share"), float64(p.DialInShare), 0, 1)
		v.populationRoute(path, p)
	}
}

// populationRoute checks that p has a route, with a connector route if p
// dials in.
func (v *validator) populationRoute(path string, p *Population) {
	if _, ok := v.regionAt[p.Region]; !ok {
		return // already reported as an unknown region
	}
	ri := v.routeFor(p)
	if ri < 0 {
		if !v.routesLost {
			v.add(path, "population %q has no route: add a route for region %q", p.ID, p.Region)
		}
		return
	}
	if p.DialInShare > 0 && v.s.Routing.Routes[ri].Connector == nil {
		v.add(join(path, "dial_in_share"), "the population dials in, but its route (%s) has no connector route", v.at(index("routing.routes", ri)))
	}
}

// profile checks a daily profile: one shape, 24 sane factors or a sinusoid.
func (v *validator) profile(path string, pr *Profile) {
	if pr == nil {
		return
	}
	if !(math.Abs(float64(pr.UTCOffset)) <= 14*3600) {
		v.add(join(path, "utc_offset"), "must be between -14h and +14h, got %v seconds", float64(pr.UTCOffset))
	}
	if pr.TimeZone != "" {
		tz := join(path, "time_zone")
		if pr.UTCOffset != 0 {
			v.add(tz, "give utc_offset or time_zone, not both")
		}
		if err := resolveTimeZone(pr); err != nil {
			v.add(tz, "%v", err)
		}
		if v.s.Run.Start == "" {
			v.add(tz, "a time zone needs run.start, the calendar time of simulation time 0, to know when daylight saving applies")
		}
	}
	switch {
	case pr.Hourly == nil && pr.Sinusoid == nil:
		v.add(path, "give hourly factors or a sinusoid")
	case pr.Hourly != nil && pr.Sinusoid != nil:
		v.add(path, "give hourly factors or a sinusoid, not both")
	}
	if pr.Hourly != nil {
		hp := join(path, "hourly")
		if len(pr.Hourly) != 24 {
			v.add(hp, "needs 24 factors, one per hour, got %d", len(pr.Hourly))
		}
		allZero := true
		for i, f := range pr.Hourly {
			if !(f >= 0) || !finite(f) {
				v.add(index(hp, i), "must not be negative, got %v", f)
			}
			allZero = allZero && f == 0
		}
		if allZero && len(pr.Hourly) > 0 {
			v.add(hp, "factors must not all be 0: nobody would ever call")
		}
	}
	if sin := pr.Sinusoid; sin != nil {
		sp := join(path, "sinusoid")
		v.between(join(sp, "amplitude"), sin.Amplitude, 0, 1)
		v.nonNegativeDuration(join(sp, "peak"), sin.Peak)
		v.nonNegativeDuration(join(sp, "period"), sin.Period)
	}
}

// holding checks the holding-time distribution and its parameters.
func (v *validator) holding(path string, h Holding) {
	v.enum(join(path, "distribution"), h.Distribution, distributions)
	v.positiveDuration(join(path, "mean"), h.Mean)
	switch {
	case h.Distribution == "lognormal":
		v.positiveDuration(join(path, "sd"), h.SD)
	case h.SD != 0:
		v.add(join(path, "sd"), "sd is for lognormal holding times only")
	}
}
