package scenarios

import "time"

// Accepted is a known risk that its owners accept, until it expires: a
// fence — one population's plane — reaching one forbidden datacenter, or
// any forbidden datacenter in one jurisdiction. A check reports a finding
// that an acceptance matches as accepted rather than failed, up to and
// including its expiry date; after that, and when it matches no finding,
// the acceptance is a finding itself. (The matching is the checker's; this
// package gives the format, and where each acceptance is written.)
//
// It is written in a scenario's accepted list, or in a file of its own
// whose top level is accepted: [...] (LoadAcceptedFile).
type Accepted struct {
	Population   ID     `yaml:"population" doc:"The population whose fence the risk is in."`
	Plane        Plane  `yaml:"plane" enum:"media,keys,connector" doc:"The fence's plane: media, keys or connector."`
	Datacenter   ID     `yaml:"datacenter,omitempty" doc:"The forbidden datacenter the fence may reach; or give jurisdiction instead."`
	Jurisdiction Code   `yaml:"jurisdiction,omitempty" doc:"A forbidden jurisdiction (code or group) any of whose datacenters the fence may reach; or give datacenter instead."`
	Reason       string `yaml:"reason" doc:"Why the risk is accepted, and by whom: shown with every finding it matches."`
	Expires      string `yaml:"expires" doc:"The last day the acceptance holds, YYYY-MM-DD (UTC); from the next day the finding fails again."`

	// Where the acceptance is written (set by the loader): its file, and
	// its line and column there; the zero Position when unknown.
	File string   `yaml:"-"`
	Pos  Position `yaml:"-"`
}

// expiryLayout is how Accepted.Expires writes a date.
const expiryLayout = "2006-01-02"

// Expiry is the first instant at which the acceptance no longer holds:
// 00:00 UTC the day after Expires. ok is false when Expires is not a
// date, which validation refuses.
func (a Accepted) Expiry() (t time.Time, ok bool) {
	day, err := time.Parse(expiryLayout, a.Expires)
	if err != nil {
		return time.Time{}, false
	}
	return day.AddDate(0, 0, 1), true
}

// Expired reports whether the acceptance no longer holds at now.
func (a Accepted) Expired(now time.Time) bool {
	end, ok := a.Expiry()
	return !ok || !now.Before(end)
}
