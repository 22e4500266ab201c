package validate

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/geofence/geofence/scenarios"
)

// populations checks each population's id, references, rates, profile,
// holding time and route.
func (v *validator) populations() {
	for i := range v.s.Populations {
		p := &v.s.Populations[i]
		path := scenarios.Index("populations", i)
		v.id("populations", i, p.ID, v.populationAt, "population")
		v.ref(scenarios.Join(path, "region"), p.Region, v.knownRegions)
		v.country(scenarios.Join(path, "jurisdiction"), p.Jurisdiction)
		if !p.Plan.Valid() {
			v.Add(scenarios.Join(path, "plan"), "%q is not an id: use 1 to 64 letters, digits, '_', '.' or '-'", p.Plan)
		}
		v.rates(path, p)
		v.holding(scenarios.Join(path, "holding"), p.Holding)
		v.between(scenarios.Join(path, "dial_in_share"), float64(p.DialInShare), 0, 1)
		v.reconnect(scenarios.Join(path, "reconnect"), p.Reconnect)
		v.populationRoute(path, p)
	}
}

// rates checks what makes up the join rate of population p, then that
// together they stay below maxJoinsPerSecond at the rate's peak: the rate
// is joins_per_second × profile × surges × growth, and the engine bounds
// it over every hour by those same factors.
func (v *validator) rates(path string, p *scenarios.Population) {
	ok := v.atMost(scenarios.Join(path, "joins_per_second"), p.JoinsPerSecond, maxJoinsPerSecond, "joins per second")
	ok = v.profile(scenarios.Join(path, "profile"), p.Profile) && ok
	for j, surge := range p.Surges {
		sp := scenarios.Index(scenarios.Join(path, "surges"), j)
		v.nonNegativeDuration(scenarios.Join(sp, "start"), surge.Start, maxHorizon)
		if !(surge.Start < surge.End) {
			v.Add(scenarios.Join(sp, "end"), "must be after start (%v), got %v", surge.Start, surge.End)
		} else {
			v.nonNegativeDuration(scenarios.Join(sp, "end"), surge.End, maxHorizon)
		}
		ok = v.atMost(scenarios.Join(sp, "factor"), surge.Factor, maxFactor, "") && ok
	}
	growth := scenarios.Join(path, "growth_per_day")
	if !(p.GrowthPerDay > -1) || !finite(p.GrowthPerDay) {
		v.Add(growth, "must be greater than -1 (a rate cannot shrink by 100%% or more a day), got %v", p.GrowthPerDay)
		return
	}
	horizon := min(v.s.Run.Horizon, maxHorizon)
	if g := growthOver(p.GrowthPerDay, horizon); g > math.Log(maxFactor) {
		v.Add(growth, "multiplies the join rate by %s over the horizon (%v); at most by %s", exponential(g), horizon, scenarios.Readable(maxFactor))
		return
	}
	if peak := peakRate(p, horizon); ok && peak.total() > math.Log(maxJoinsPerSecond) {
		v.Add(scenarios.Join(path, "joins_per_second"), "the join rate peaks at %s joins per second (joins_per_second %v × profile %s × surges %s × growth %s); at most %s are allowed",
			exponential(peak.total()), p.JoinsPerSecond, exponential(peak.profile), exponential(peak.surges), exponential(peak.growth), scenarios.Readable(maxJoinsPerSecond))
	}
}

// atMost checks that x is greater than 0 and at most limit, and reports
// whether it is.
func (v *validator) atMost(path string, x, limit float64, unit string) bool {
	if !(x > 0) || !finite(x) {
		v.Add(path, "must be greater than 0, got %v", x)
		return false
	}
	if x > limit {
		if unit != "" {
			unit = " " + unit
		}
		v.Add(path, "must be at most %s%s, got %v", scenarios.Readable(limit), unit, x)
		return false
	}
	return true
}

// growthOver is the logarithm of the factor by which compound growth of
// perDay multiplies a rate over horizon, or 0 when the rate shrinks.
func growthOver(perDay float64, horizon scenarios.Duration) float64 {
	return max(0, math.Log1p(perDay)*float64(horizon)/86400)
}

// peak holds the natural logarithms of the factors of a rate's peak.
type peak struct{ base, profile, surges, growth float64 }

func (p peak) total() float64 { return p.base + p.profile + p.surges + p.growth }

// peakRate bounds population p's join rate over horizon, in logarithms so
// that no factor overflows: the base rate, the largest profile factor, the
// largest product of surge factors in force at one time, and the growth.
func peakRate(p *scenarios.Population, horizon scenarios.Duration) peak {
	pk := peak{base: math.Log(p.JoinsPerSecond), growth: growthOver(p.GrowthPerDay, horizon)}
	if pr := p.Profile; pr != nil {
		switch {
		case len(pr.Hourly) > 0:
			pk.profile = math.Log(slices.Max(pr.Hourly))
		case pr.Sinusoid != nil:
			pk.profile = math.Log1p(pr.Sinusoid.Amplitude)
		}
	}
	// Sweep the surge windows in time order, keeping the sum of the
	// logarithms of the factors above 1 in force.
	type edge struct {
		t   scenarios.Duration
		log float64
	}
	var edges []edge
	for _, s := range p.Surges {
		if s.Factor > 1 && s.Start < horizon && s.Start < s.End {
			edges = append(edges, edge{s.Start, math.Log(s.Factor)}, edge{s.End, -math.Log(s.Factor)})
		}
	}
	slices.SortFunc(edges, func(a, b edge) int { return cmp.Or(cmp.Compare(a.t, b.t), cmp.Compare(a.log, b.log)) })
	inForce := 0.0
	for _, e := range edges {
		inForce += e.log
		pk.surges = max(pk.surges, inForce)
	}
	return pk
}

// exponential formats e^x for a message, also where e^x overflows.
func exponential(x float64) string {
	if x < 700 {
		return scenarios.Readable(math.Exp(x))
	}
	return fmt.Sprintf("10^%.0f", x/math.Ln10)
}

// populationRoute checks that p has a route for media and keys, and a
// connector route if p dials in.
func (v *validator) populationRoute(path string, p *scenarios.Population) {
	if _, ok := v.regionAt[p.Region]; !ok {
		return // already reported as an unknown region
	}
	for _, plane := range []scenarios.Plane{scenarios.Media, scenarios.Keys} {
		if ri, _ := v.planeRouteOf(p, plane); ri < 0 {
			if !v.routesLost {
				v.Add(path, "population %q has no route: add a route for region %q", p.ID, p.Region)
			}
			return
		}
	}
	if ri, pr := v.planeRouteOf(p, scenarios.Connector); p.DialInShare > 0 && pr == nil {
		route := "its route"
		if ri >= 0 {
			route = fmt.Sprintf("its route (%s)", v.at(scenarios.Index("routing.routes", ri)))
		}
		v.Add(scenarios.Join(path, "dial_in_share"), "the population dials in, but %s has no connector route", route)
	}
}

// profile checks a daily profile: one shape, 24 sane factors or a
// sinusoid. It reports whether the factors are within bounds.
func (v *validator) profile(path string, pr *scenarios.Profile) bool {
	if pr == nil {
		return true
	}
	ok := true
	if off := pr.UTCOffset; off != nil && !(math.Abs(float64(*off)) <= 14*3600) {
		v.Add(scenarios.Join(path, "utc_offset"), "must be between -14h and +14h, got %v seconds", float64(*off))
	}
	if pr.TimeZone != "" {
		tz := scenarios.Join(path, "time_zone")
		if pr.UTCOffset != nil {
			v.Add(tz, "give utc_offset or time_zone, not both")
		}
		if err := pr.ResolveTimeZone(); err != nil {
			v.Add(tz, "%v", err)
		}
		if v.s.Run.Start == "" {
			v.Add(tz, "a time zone needs run.start, the calendar time of simulation time 0, to know when daylight saving applies")
		}
	}
	switch {
	case pr.Hourly == nil && pr.Sinusoid == nil:
		v.Add(path, "give hourly factors or a sinusoid")
	case pr.Hourly != nil && pr.Sinusoid != nil:
		v.Add(path, "give hourly factors or a sinusoid, not both")
	}
	if pr.Hourly != nil {
		hp := scenarios.Join(path, "hourly")
		if len(pr.Hourly) != 24 {
			v.Add(hp, "needs 24 factors, one per hour, got %d", len(pr.Hourly))
		}
		allZero := true
		for i, f := range pr.Hourly {
			switch {
			case !(f >= 0) || !finite(f):
				v.Add(scenarios.Index(hp, i), "must not be negative, got %v", f)
				ok = false
			case f > maxFactor:
				v.Add(scenarios.Index(hp, i), "must be at most %s, got %v", scenarios.Readable(maxFactor), f)
				ok = false
			}
			allZero = allZero && f == 0
		}
		if allZero && len(pr.Hourly) > 0 {
			v.Add(hp, "factors must not all be 0: nobody would ever call")
		}
	}
	if sin := pr.Sinusoid; sin != nil {
		sp := scenarios.Join(path, "sinusoid")
		v.between(scenarios.Join(sp, "amplitude"), sin.Amplitude, 0, 1)
		ok = ok && sin.Amplitude >= 0 && sin.Amplitude <= 1
		v.nonNegativeDuration(scenarios.Join(sp, "peak"), sin.Peak, maxHorizon)
		if sin.Period != nil {
			v.positiveDuration(scenarios.Join(sp, "period"), *sin.Period, maxHorizon)
		}
	}
	return ok
}

// reconnect checks what clients do when an outage drops their call.
func (v *validator) reconnect(path string, r *scenarios.Reconnect) {
	if r == nil {
		return
	}
	if r.Probability != nil {
		v.between(scenarios.Join(path, "probability"), float64(*r.Probability), 0, 1)
	}
	if d := r.Delay; d != nil {
		dp := scenarios.Join(path, "delay")
		v.enum(scenarios.Join(dp, "distribution"), d.Distribution, delayDistributions)
		v.nonNegativeDuration(scenarios.Join(dp, "mean"), d.Mean, maxRejoinDelay)
	}
}

// holding checks the holding-time distribution and its parameters.
func (v *validator) holding(path string, h scenarios.Holding) {
	v.enum(scenarios.Join(path, "distribution"), h.Distribution, distributions)
	v.positiveDuration(scenarios.Join(path, "mean"), h.Mean, maxHolding)
	switch {
	case h.Distribution == "lognormal":
		v.positiveDuration(scenarios.Join(path, "sd"), h.SD, maxHolding)
		if h.Mean > 0 && h.SD > maxHoldingCV*h.Mean {
			v.Add(scenarios.Join(path, "sd"), "must be at most %d times the mean (%v), got %v", maxHoldingCV, h.Mean, h.SD)
		}
	case h.SD != 0:
		v.Add(scenarios.Join(path, "sd"), "sd is for lognormal holding times only")
	}
}
