// Package answer is what a health-checked resolver answers, as pure
// functions of the health of what it can answer with: Consul's failover
// (the first target with any healthy instance takes the whole query) and
// Route 53's record groups (failover, geolocation, latency, weighted,
// multivalue and alias records, with their fail-open rules). The engine
// samples these answers and the static analysis enumerates them, so both
// follow one reading of the documentation.
package answer

import "slices"

// Status is what a health check reports.
type Status uint8

// The statuses of a check, as Consul names them; Route 53's checks are
// healthy (Passing) or unhealthy (Critical).
const (
	Passing Status = iota
	Warning
	Critical
)

var statusNames = [...]string{"passing", "warning", "critical"}

func (s Status) String() string { return statusNames[s] }

// ParseStatus reads a status by name.
func ParseStatus(name string) (Status, bool) { return byName[Status](statusNames[:], name) }

// byName reads a value of T by its name, names holding T's values' names
// in order.
func byName[T ~uint8](names []string, name string) (T, bool) {
	if i := slices.Index(names, name); i >= 0 {
		return T(i), true
	}
	return 0, false
}

// Healthy reports whether a target whose check reports s counts as
// healthy. Consul drops an instance with any critical check, and with
// OnlyPassing also one with a warning check (CheckServiceNodes.FilterIgnore);
// Route 53 has no warning state, and a record without a check is healthy.
func (s Status) Healthy(onlyPassing bool) bool {
	return s == Passing || s == Warning && !onlyPassing
}

// None is the answer to a query that gets no answer.
const None = -1

// First returns the position of the first healthy target in the order
// tried, given each target's status. Consul's prepared query and resolver
// failover answer with the first datacenter whose filtered instance list
// is not empty: one healthy instance takes the whole query, all or
// nothing. When none is healthy it returns None, or 0 with answerFirst
// (Route 53's failover pair: "If Route 53 considers both the primary and
// secondary records unhealthy, Route 53 returns the primary record").
func First(statuses []Status, onlyPassing, answerFirst bool) int {
	for i, s := range statuses {
		if s.Healthy(onlyPassing) {
			return i
		}
	}
	if answerFirst && len(statuses) > 0 {
		return 0
	}
	return None
}

// Check is a health check's state: the status it reports, and the run of
// consecutive observations that disagree with it. The zero Check reports
// passing, as a check starts (Consul registers checks critical by default
// until their first run; the model starts every check passing so that a
// run begins in its steady state).
type Check struct {
	Status  Status
	pending Status // the status the current run of observations agrees on
	run     int    // how many consecutive observations have seen pending
}

// Observe records one observation and reports whether the check changed
// status: it takes a new status once threshold consecutive observations
// agree on it (Route 53's failure threshold, "the number of consecutive
// health checks that an endpoint must pass or fail for Route 53 to change
// the current status"; Consul's failures_before_critical and
// success_before_passing, 1 by default). An observation equal to the
// current status ends any run.
func (c *Check) Observe(obs Status, threshold int) bool {
	if obs == c.Status {
		c.run = 0
		return false
	}
	if c.run > 0 && obs == c.pending {
		c.run++
	} else {
		c.pending, c.run = obs, 1
	}
	if c.run < threshold {
		return false
	}
	c.Status, c.run = obs, 0
	return true
}
