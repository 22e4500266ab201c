package scenarios

import (
	"fmt"
	"time"
	_ "time/tzdata" // time zones resolve even on a machine without a zone database
)

// LocalOffset is the offset, in seconds, of pr's local time from UTC at
// simulation time t: the fixed utc_offset, or the time zone's offset at
// run.start + t. A time zone must have been resolved by Validate; ok is
// false when it has not.
func (s *Scenario) LocalOffset(pr *Profile, t float64) (offset float64, ok bool) {
	if pr.TimeZone == "" {
		return float64(orDefault(pr.UTCOffset, 0)), true
	}
	start, err := s.Run.StartTime()
	if pr.location == nil || err != nil {
		return 0, false
	}
	_, seconds := start.Add(time.Duration(t * float64(time.Second))).In(pr.location).Zone()
	return float64(seconds), true
}

// StartTime parses run.start.
func (r RunSettings) StartTime() (time.Time, error) {
	t, err := time.Parse(time.RFC3339, r.Start)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time like 2020-04-02T00:00:00Z", r.Start)
	}
	return t, nil
}

// resolveTimeZone loads pr's time zone. "Local" is refused: it would make
// the scenario mean different things on different machines.
func resolveTimeZone(pr *Profile) error {
	if pr.TimeZone == "Local" {
		return fmt.Errorf(`"Local" depends on the machine; name the zone, e.g. America/Chicago`)
	}
	loc, err := time.LoadLocation(pr.TimeZone)
	if err != nil {
		return fmt.Errorf("unknown time zone %q: give an IANA name such as America/Chicago or Europe/Berlin", pr.TimeZone)
	}
	pr.location = loc
	return nil
}
