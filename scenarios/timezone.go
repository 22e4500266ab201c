package scenarios

import (
	"fmt"
	"time"
)

// LocalOffset is what to add to simulation time t (seconds) to get the
// local wall-clock time of pr's callers, in seconds from a midnight: the
// UTC time of day of run.start (0 when run.start is absent), plus the
// offset of local time from UTC at run.start + t, which is the fixed
// utc_offset or the time zone's offset then. The local hour at t is thus
// ⌊(t + LocalOffset(pr, t)) / 3600⌋ mod 24, for both kinds of profile. ok
// is false when run.start does not parse or a time zone has not been
// resolved by ResolveTimeZone.
func (s *Scenario) LocalOffset(pr *Profile, t float64) (offset float64, ok bool) {
	start := time.Unix(0, 0).UTC()
	if s.Run.Start != "" {
		var err error
		if start, err = s.Run.StartTime(); err != nil {
			return 0, false
		}
	}
	h, m, sec := start.UTC().Clock()
	startOfDay := float64(h*3600+m*60+sec) + float64(start.Nanosecond())/1e9
	if pr.TimeZone == "" {
		return startOfDay + float64(orDefault(pr.UTCOffset, 0)), true
	}
	if pr.location == nil || s.Run.Start == "" {
		return 0, false
	}
	_, zone := start.Add(time.Duration(t * float64(time.Second))).In(pr.location).Zone()
	return startOfDay + float64(zone), true
}

// StartTime parses run.start.
func (r RunSettings) StartTime() (time.Time, error) {
	t, err := time.Parse(time.RFC3339, r.Start)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is not an RFC 3339 time like 2020-04-02T00:00:00Z", Clip(r.Start))
	}
	return t, nil
}

// ResolveTimeZone loads pr's time zone, which LocalOffset then follows.
// "Local" is refused: it would make the scenario mean different things on
// different machines.
func (pr *Profile) ResolveTimeZone() error {
	if pr.TimeZone == "Local" {
		return fmt.Errorf(`"Local" depends on the machine; name the zone, e.g. America/Chicago`)
	}
	loc, err := time.LoadLocation(pr.TimeZone)
	if err != nil {
		return fmt.Errorf("unknown time zone %q: give an IANA name such as America/Chicago or Europe/Berlin", Clip(pr.TimeZone))
	}
	pr.location = loc
	return nil
}

// ClockTime is the UTC time of day at simulation time t (seconds) from
// start, "15:00"; seconds and fractions are shown only when t has them.
func ClockTime(start time.Time, t float64) string {
	at := start.UTC().Add(time.Duration(t * float64(time.Second)))
	switch {
	case at.Nanosecond() != 0:
		return at.Format("15:04:05.000")
	case at.Second() != 0:
		return at.Format("15:04:05")
	}
	return at.Format("15:04")
}

// DayOf is the day of the run, counted from 1, that simulation time t
// falls in from start, by the UTC calendar.
func DayOf(start time.Time, t float64) int {
	start = start.UTC()
	at := start.Add(time.Duration(t * float64(time.Second)))
	midnight := func(x time.Time) time.Time { return time.Date(x.Year(), x.Month(), x.Day(), 0, 0, 0, 0, time.UTC) }
	return int(midnight(at).Sub(midnight(start)).Hours()/24) + 1
}

// Clock is simulation time t as a UTC clock time from start, "15:00 UTC",
// or "00:00 UTC (day 2)" past the first day.
func Clock(start time.Time, t float64) string {
	s := ClockTime(start, t) + " UTC"
	if day := DayOf(start, t); day > 1 {
		s += fmt.Sprintf(" (day %d)", day)
	}
	return s
}

// Window is the span [from, to) of simulation time as UTC clock times
// from start, "15:00–16:00 UTC", with the day of its start past the
// first: "00:00–01:00 UTC (day 2)".
func Window(start time.Time, from, to float64) string {
	s := ClockTime(start, from) + "–" + ClockTime(start, to) + " UTC"
	if day := DayOf(start, from); day > 1 {
		s += fmt.Sprintf(" (day %d)", day)
	}
	return s
}

// Origin is the calendar time of simulation time 0: run.start, or
// midnight UTC of no particular day when it is absent (or does not
// parse: validation reports that).
func (r RunSettings) Origin() time.Time {
	if t, err := r.StartTime(); err == nil {
		return t.UTC()
	}
	return time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
}
