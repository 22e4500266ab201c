package render

import (
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
)

// blockingTable holds every population's blocking to the blocking limit.
func blockingTable(r *check.Report) textTable {
	t := newTable("Blocking: every population held to "+results.LimitText(*r.MaxBlocking)+" ("+r.MaxBlockingSource+")", 1,
		"population", "blocking probability", "95% upper bound", "status")
	for _, b := range r.Blocking {
		t.rows = append(t.rows, []string{b.Population, RateCell(b.Blocking), results.Percent(b.Blocking.Upper), passText(b.Passed)})
	}
	return t
}

// groupsTable holds each group to its limits, on its joins pooled.
func groupsTable(r *check.Report) textTable {
	t := newTable("Groups: rates of each group's joins pooled (violations or blocked joins of all its populations over the joins they offered)", 3,
		"group", "populations", "figure", "rate", "95% upper bound", "limit", "status")
	for _, g := range r.Groups {
		for i, gr := range g.Rates {
			group, members := "", ""
			if i == 0 {
				group, members = g.ID, GroupMembers(g)
			}
			limit, status := "none", "-"
			if gr.Limit != nil {
				limit, status = results.LimitText(*gr.Limit), passText(gr.Passed)
			}
			t.rows = append(t.rows, []string{group, members, GroupFigure(gr.Figure), RateCell(gr.Rate), results.Percent(gr.Rate.Upper), limit, status})
		}
	}
	return t
}

// GroupMembers names a group's populations and how the scenario chooses
// them: "eu-de-free, eu-fr-paid (select {jurisdiction: EU})".
func GroupMembers(g check.GroupCheck) string {
	return strings.Join(g.Populations, ", ") + " (" + g.Chosen + ")"
}

// GroupFigure names a rate of a group: "media violation rate", "blocking".
func GroupFigure(figure string) string {
	if figure == check.BlockingFigure {
		return "blocking"
	}
	return figure + " violation rate"
}

// passText is PASS or FAIL.
func passText(passed bool) string {
	if passed {
		return "PASS"
	}
	return "FAIL"
}
