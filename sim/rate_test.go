package sim

import (
	"context"
	"strings"
	"testing"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/validate"
)

// Callers in New York call only in the local hour from noon; daylight
// saving starts on the second day (8 March 2020, 02:00 local), so their
// hour moves from 17:00 UTC to 16:00 UTC. Arrivals must fall in exactly
// those hours.
func TestTimeZoneFollowsDaylightSaving(t *testing.T) {
	hourly := strings.Repeat("0, ", 12) + "1, " + strings.TrimSuffix(strings.Repeat("0, ", 11), ", ")
	src := `
name: dst
regions: [{id: na}]
datacenters:
  - {id: us-1, region: na, jurisdiction: US, capacity: {media: unlimited}, rtt: {na: 0s}}
populations:
  - id: ny
    region: na
    jurisdiction: US
    plan: free
    joins_per_second: 1
    holding: {distribution: exponential, mean: 1m}
    profile: {time_zone: America/New_York, hourly: [` + hourly + `]}
routing:
  routes:
    - {region: na, media: {primaries: [us-1]}, keys: {custody: client}}
policy:
  - {select: {}, allow: {media: [US], keys: [US], connector: [US]}}
run: {horizon: 2d, replications: 2, seed: 1, start: "2020-03-07T00:00:00Z"}
`
	s := mustLoad(t, "dst.yaml", src)
	m := mustCompile(t, s)
	r, err := Replicate(context.Background(), m, 1, 0)
	if err != nil {
		t.Fatal(err)
	}
	for b, bucket := range r.Populations[0].Buckets {
		want := b == 17 || b == 24+16
		if got := bucket.Offered > 0; got != want {
			t.Errorf("UTC hour %d of day %d: %d joins offered", b%24, b/24+1, bucket.Offered)
		}
	}
}

// A fixed offset and a time zone without daylight saving agree.
func TestTimeZoneWithoutDaylightSaving(t *testing.T) {
	s := lossSystem(10, 10, exponential(60), 86400, 2)
	s.Run.Start = "2020-04-02T00:00:00Z"
	hourly := make([]float64, 24)
	hourly[9] = 1
	s.Populations[0].Profile = &scenarios.Profile{TimeZone: "Asia/Tokyo", Hourly: hourly}
	if ps := validate.Scenario(s); len(ps) > 0 {
		t.Fatal(ps)
	}
	zone := mustCompile(t, s)
	s.Populations[0].Profile = &scenarios.Profile{UTCOffset: new(scenarios.Offset(9 * 3600)), Hourly: hourly}
	fixed := mustCompile(t, s)
	a, _ := Replicate(context.Background(), zone, 1, 0)
	b, _ := Replicate(context.Background(), fixed, 1, 0)
	if a.Populations[0].Offered == 0 || a.Populations[0].Offered != b.Populations[0].Offered {
		t.Errorf("Asia/Tokyo offered %d, +9h offered %d", a.Populations[0].Offered, b.Populations[0].Offered)
	}
}

// The local hour comes from run.start + t for both kinds of profile. The
// factor of local hour h is h + 1, so the rate names the hour.
func TestStartPlacesTheLocalHour(t *testing.T) {
	hourly := make([]float64, 24)
	for h := range hourly {
		hourly[h] = float64(h + 1)
	}
	localHours := func(start string, pr scenarios.Profile) []int {
		t.Helper()
		s := lossSystem(10, 10, exponential(60), 2*86400, 2)
		s.Populations[0].JoinsPerSecond = 1
		s.Run.Start = start
		s.Populations[0].Profile = &pr
		if ps := validate.Scenario(s); len(ps) > 0 {
			t.Fatal(ps)
		}
		m := mustCompile(t, s)
		hours := make([]int, 48)
		for k := range hours {
			hours[k] = int(m.compiled.pops[0].rate(float64(k)*3600+1800)) - 1
		}
		return hours
	}
	// Midnight in Chicago on 7 March 2020, the day before daylight saving
	// starts (8 March, 02:00 CST, which is simulation hour 26).
	chicago := localHours("2020-03-07T00:00:00-06:00", scenarios.Profile{TimeZone: "America/Chicago", Hourly: hourly})
	fixed := localHours("2020-03-07T00:00:00-06:00", scenarios.Profile{UTCOffset: new(scenarios.Offset(-6 * 3600)), Hourly: hourly})
	// Noon UTC, on no particular day.
	noon := localHours("2020-04-02T12:00:00Z", scenarios.Profile{UTCOffset: new(scenarios.Offset(0)), Hourly: hourly})
	for k := range 48 {
		if want := k % 24; fixed[k] != want {
			t.Errorf("hour %d: utc_offset -6h from midnight at -06:00 gives local hour %d, want %d", k, fixed[k], want)
		}
		want := fixed[k]
		if k >= 26 {
			want = (k + 1) % 24
		}
		if chicago[k] != want {
			t.Errorf("hour %d: America/Chicago from midnight at -06:00 gives local hour %d, want %d", k, chicago[k], want)
		}
		if want := (k + 12) % 24; noon[k] != want {
			t.Errorf("hour %d: UTC from 12:00Z gives local hour %d, want %d", k, noon[k], want)
		}
	}
}
