package check

import (
	"fmt"
	"slices"
	"time"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/scenarios"
)

// How an accepted risk stands on the day a check judges it.
const (
	AcceptanceHolds     = "holds"     // not expired, and matches a finding: the finding is accepted
	AcceptanceExpired   = "expired"   // past its expiry: it accepts nothing and fails the check
	AcceptanceUnmatched = "unmatched" // not expired, but matches no finding: it fails the check, so that stale ones go
)

// dateLayout writes the day a check judges acceptances on.
const DateLayout = "2006-01-02"

// Acceptance is an accepted risk as a check judged it.
type Acceptance struct {
	Population   string `json:"population"`
	Plane        string `json:"plane"`
	Datacenter   string `json:"datacenter"`   // "" when the acceptance names a jurisdiction
	Jurisdiction string `json:"jurisdiction"` // "" when it names a datacenter
	Reason       string `json:"reason"`
	Expires      string `json:"expires"` // the last day it holds, YYYY-MM-DD
	// File, Line and Column say where the acceptance is written: in the
	// scenario (InScenario), or in a file given with --accept.
	File       string `json:"file"`
	Line       int    `json:"line"`
	Column     int    `json:"column"`
	InScenario bool   `json:"in_scenario"`
	State      string `json:"state"`
	// Matches are the findings the acceptance matches, accepted or (when
	// it has expired) not: "cn-bj-1 (CN)" for a static finding, "violation
	// rate" for a fence's simulated rate.
	Matches []string `json:"matches"`
}

// At writes where the acceptance is written: file:line:column.
func (a Acceptance) At() string { return results.FileLine(a.File, a.Line, a.Column) }

// What names what the acceptance is for: "us-paid media cn-bj-1".
func (a Acceptance) What() string {
	return a.Population + " " + a.Plane + " " + a.Datacenter + a.Jurisdiction
}

// acceptances judges a check's accepted risks as its fences meet their
// findings.
type acceptances struct {
	list    []Acceptance
	expired []bool
	covers  [][]string // the jurisdictions each one names, groups expanded; nil for a datacenter
}

// newAcceptances readies the acceptances list of scenario s, judged on
// date.
func NewAcceptances(s *scenarios.Scenario, list []scenarios.Accepted, date time.Time) *acceptances {
	a := &acceptances{list: []Acceptance{}}
	for _, acc := range list {
		a.list = append(a.list, Acceptance{
			Population: string(acc.Population), Plane: string(acc.Plane),
			Datacenter: string(acc.Datacenter), Jurisdiction: string(acc.Jurisdiction),
			Reason: acc.Reason, Expires: acc.Expires,
			File: acc.File, Line: acc.Pos.Line, Column: acc.Pos.Column,
			InScenario: s.Source != nil && acc.File == s.Source.File,
			Matches:    []string{},
		})
		a.expired = append(a.expired, acc.Expired(date))
		var covers []string
		if acc.Jurisdiction != "" {
			covers = s.Expand([]scenarios.Code{acc.Jurisdiction})
		}
		a.covers = append(a.covers, covers)
	}
	return a
}

// accept returns the index of the first acceptance that holds for a
// landing of population's plane at datacenter dc in jurisdiction j, or -1;
// every acceptance that matches it, expired or not, records what.
func (a *acceptances) accept(population, plane, dc, j, what string) int {
	by := -1
	for i := range a.list {
		if !a.matches(i, population, plane, dc, j) {
			continue
		}
		a.list[i].Matches = append(a.list[i].Matches, what)
		if by < 0 && !a.expired[i] {
			by = i
		}
	}
	return by
}

// covered reports whether acceptances that hold cover a landing, without
// recording a match.
func (a *acceptances) covered(population, plane, dc, j string) bool {
	return a.Holding(population, plane, dc, j) >= 0
}

// holding returns the index of the first acceptance that holds for a
// landing, or -1, without recording a match.
func (a *acceptances) Holding(population, plane, dc, j string) int {
	for i := range a.list {
		if a.matches(i, population, plane, dc, j) && !a.expired[i] {
			return i
		}
	}
	return -1
}

func (a *acceptances) matches(i int, population, plane, dc, j string) bool {
	acc := &a.list[i]
	if acc.Population != population || acc.Plane != plane {
		return false
	}
	if acc.Datacenter != "" {
		return acc.Datacenter == dc
	}
	return slices.Contains(a.covers[i], j)
}

// judge sets each acceptance's state once every finding has met them, and
// returns the sentences of those that fail the check.
func (a *acceptances) judge() []string {
	var failures []string
	for i := range a.list {
		acc := &a.list[i]
		switch {
		case a.expired[i]:
			acc.State = AcceptanceExpired
			failures = append(failures, fmt.Sprintf("%s: accepted risk %s expired after %s (%s)", acc.At(), acc.What(), acc.Expires, acc.Reason))
		case len(acc.Matches) == 0:
			acc.State = AcceptanceUnmatched
			failures = append(failures, fmt.Sprintf("%s: accepted risk %s matches no finding: remove it", acc.At(), acc.What()))
		default:
			acc.State = AcceptanceHolds
		}
	}
	return failures
}

// dateText writes the day acceptances are judged on, "" when there are
// none to judge.
func dateText(in Input) string {
	if len(in.Accepted) == 0 {
		return ""
	}
	return in.Date.UTC().Format(DateLayout)
}

// acceptedSentence says that an acceptance covers a finding: "cn-bj-1
// (CN) accepted until 2026-07-31 (accepted.yaml:2:5): reason".
func acceptedSentence(what string, acc Acceptance) string {
	return fmt.Sprintf("%s accepted until %s (%s): %s", what, acc.Expires, acc.At(), acc.Reason)
}

// AcceptedRisk is the acceptance that covers a change a diff would
// otherwise count as worse: why, until when, and where it is written.
type AcceptedRisk struct {
	Reason  string `json:"reason"`
	Expires string `json:"expires"`
	At      string `json:"at"` // file:line:column
	// InScenario is set when NEW's scenario holds the acceptance, unset
	// for an --accept file.
	InScenario bool `json:"in_scenario"`
}

// risk is acceptance i as a diff reports it.
func (a *acceptances) Risk(i int) *AcceptedRisk {
	acc := a.list[i]
	return &AcceptedRisk{Reason: acc.Reason, Expires: acc.Expires, At: acc.At(), InScenario: acc.InScenario}
}
