package scenarios

import (
	"fmt"
	"strings"
	"time"
)

// Moment is when a timeline entry takes effect: a Duration from simulation
// time 0, or a calendar time — RFC 3339, seconds optional
// (2020-04-01T14:00+01:00, 2020-04-01T13:00Z), or a local wall-clock time
// in an IANA time zone (2020-04-01T14:00 Europe/Berlin), daylight saving
// included — which validation (scenarios/validate) places on simulation time by run.start.
type Moment struct {
	// Duration is the time from simulation time 0; for a calendar time,
	// Validation sets it from Calendar and run.start.
	Duration
	// Calendar is the calendar time as written; "" for a duration.
	Calendar string
}

// String writes m as the scenario does.
func (m Moment) String() string {
	if m.Calendar != "" {
		return m.Calendar
	}
	return m.Duration.String()
}

// MomentSyntax says how a Moment is written, for messages.
const MomentSyntax = "a duration from the start (like 15h or 1d2h) or a calendar time (like 2020-04-01T14:00+01:00, 2020-04-01T13:00Z or 2020-04-01T14:00 Europe/Berlin)"

// ParseMoment reads a moment: a duration, or a calendar time, which is
// checked here and placed on simulation time by Resolve.
func ParseMoment(s string) (Moment, error) {
	s = strings.TrimSpace(s)
	if d, err := ParseDuration(s); err == nil {
		return Moment{Duration: d}, nil
	}
	if !strings.Contains(s, "T") {
		return Moment{}, fmt.Errorf("%q is not %s", Clip(s), MomentSyntax)
	}
	if _, err := calendarTime(s); err != nil {
		return Moment{}, err
	}
	return Moment{Calendar: s}, nil
}

// calendarLayouts are the RFC 3339 forms a calendar time may take: with or
// without seconds and their fraction.
var calendarLayouts = []string{time.RFC3339Nano, "2006-01-02T15:04Z07:00"}

// localLayouts are the same forms without an offset, for a local time
// followed by its IANA zone.
var localLayouts = []string{"2006-01-02T15:04:05.999999999", "2006-01-02T15:04"}

// calendarTime reads a calendar time: RFC 3339, seconds optional, or a
// local time and an IANA zone after a space.
func calendarTime(s string) (time.Time, error) {
	if local, zone, ok := strings.Cut(s, " "); ok {
		zone = strings.TrimSpace(zone)
		if zone == "Local" {
			return time.Time{}, fmt.Errorf(`"Local" depends on the machine; name the zone, e.g. Europe/Berlin`)
		}
		loc, err := time.LoadLocation(zone)
		if err != nil || zone == "" {
			return time.Time{}, fmt.Errorf("unknown time zone %q in %q: give an IANA name such as Europe/Berlin", Clip(zone), Clip(s))
		}
		for _, layout := range localLayouts {
			if t, err := time.ParseInLocation(layout, local, loc); err == nil {
				return t, nil
			}
		}
		return time.Time{}, fmt.Errorf("%q is not a local time like 2020-04-01T14:00 before its zone", Clip(local))
	}
	for _, layout := range calendarLayouts {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, fmt.Errorf("%q is not %s: a calendar time needs its offset (+01:00, or Z for UTC) or a time zone after a space", Clip(s), MomentSyntax)
}

// Resolve places m on simulation time by the run's start: a duration as
// it is; a calendar time as its distance from run.start, which it needs
// and may not precede.
func (m Moment) Resolve(r RunSettings) (Duration, error) {
	if m.Calendar == "" {
		return m.Duration, nil
	}
	at, err := calendarTime(m.Calendar)
	if err != nil {
		return 0, err
	}
	if r.Start == "" {
		return 0, fmt.Errorf("%s is a calendar time: give run.start, the calendar time of simulation time 0, to place it (or write a duration from the start, like 15h)", Clip(m.Calendar))
	}
	start, err := r.StartTime()
	if err != nil {
		return 0, fmt.Errorf("%s is a calendar time, placed by run.start, which does not parse", Clip(m.Calendar))
	}
	d := at.Sub(start)
	if d < 0 {
		return 0, fmt.Errorf("%s is %v before run.start (%s): a timeline starts at simulation time 0", Clip(m.Calendar), -d, r.Start)
	}
	return Duration(d.Seconds()), nil
}
