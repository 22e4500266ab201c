package scenarios

import (
	"cmp"
	"math"
	"slices"
)

// RoundTrip is the round-trip time from region r's clients to datacenter d:
// the datacenter's explicit rtt entry for r, else one derived from their
// locations as
//
//	2 ms + 2 × 1.5 × great-circle distance / (200 km/ms)
//
// (light in fibre, on a path half again as long as the great circle). ok is
// false when neither is given.
func RoundTrip(r *Region, d *Datacenter) (rtt Duration, ok bool) {
	if v, ok := d.RTT[string(r.ID)]; ok {
		return v, true
	}
	if r.Location == nil || d.Location == nil {
		return 0, false
	}
	return LocationRTT(*r.Location, *d.Location), true
}

// LocationRTT is the round-trip time derived between two places:
// 2 ms + 2 × 1.5 × great-circle distance / (200 km/ms).
func LocationRTT(a, b Location) Duration {
	km := GreatCircleKm(a, b)
	return Duration((2 + 2*1.5*km/200) / 1000)
}

// GreatCircleKm is the haversine distance between a and b on a sphere of
// radius 6371 km.
func GreatCircleKm(a, b Location) float64 {
	const rad = math.Pi / 180
	dLat := (b.Lat - a.Lat) * rad
	dLon := (b.Lon - a.Lon) * rad
	h := math.Sin(dLat/2)*math.Sin(dLat/2) +
		math.Cos(a.Lat*rad)*math.Cos(b.Lat*rad)*math.Sin(dLon/2)*math.Sin(dLon/2)
	return 2 * 6371 * math.Asin(math.Min(1, math.Sqrt(h)))
}

// Nearest returns the datacenters ids (a whitelist) in the order a client
// of region r picking "nearest" tries them: by round-trip time, ties in
// list order.
func (s *Scenario) Nearest(r *Region, ids []ID) []ID {
	rtt := make(map[ID]Duration, len(ids))
	for i := range s.Datacenters {
		d := &s.Datacenters[i]
		if slices.Contains(ids, d.ID) {
			rtt[d.ID], _ = RoundTrip(r, d)
		}
	}
	out := slices.Clone(ids)
	slices.SortStableFunc(out, func(a, b ID) int { return cmp.Compare(rtt[a], rtt[b]) })
	return out
}
