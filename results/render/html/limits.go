package html

import (
	"fmt"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/render"
)

// limitsSection holds every population's blocking to the blocking limit
// and every group to its limits, when the check has either.
func limitsSection(c *check.Report) section {
	s := section{ID: "limits", Title: "Blocking and groups against their limits"}
	if len(c.Blocking) > 0 {
		s.Paragraphs = append(s.Paragraphs, fmt.Sprintf("Every population's blocking probability (joins blocked per join offered) is held to %s (%s), judged by its %s.",
			results.LimitText(*c.MaxBlocking), c.MaxBlockingSource, decidedWord(c)))
		t := &table{Caption: "Blocking per population", Header: []string{"population", "blocking probability", "95% upper bound", "limit", "check"}}
		for _, b := range c.Blocking {
			t.Rows = append(t.Rows, []cell{{Text: b.Population, Header: true}, num(render.RateCell(b.Blocking)), num(results.Percent(b.Blocking.Upper)),
				num(results.LimitText(*c.MaxBlocking)), passCell(b.Passed)})
		}
		s.Blocks = append(s.Blocks, block{Table: t})
	}
	if len(c.Groups) > 0 {
		s.Paragraphs = append(s.Paragraphs, "A group's rates are of its joins pooled: in each replication, the violations (or blocked joins) of all its populations over the joins all of them offered, then the 95% interval over replications — not an average of its populations' rates.")
		t := &table{Caption: "Groups of populations, each rate of the group's joins", Header: []string{"group", "figure", "rate", "95% upper bound", "limit", "check"}}
		for _, g := range c.Groups {
			for i, gr := range g.Rates {
				head := cell{Header: true, Class: "more"}
				if i == 0 {
					head = cell{Text: g.ID, Sub: render.GroupMembers(g), Header: true}
				}
				limit, check := cell{Text: "none", Class: "num"}, cell{Text: "-"}
				if gr.Limit != nil {
					limit, check = num(results.LimitText(*gr.Limit)), passCell(gr.Passed)
				}
				t.Rows = append(t.Rows, []cell{head, {Text: render.GroupFigure(gr.Figure)}, num(render.RateCell(gr.Rate)), num(results.Percent(gr.Rate.Upper)), limit, check})
			}
		}
		s.Blocks = append(s.Blocks, block{Table: t})
	}
	return s
}

// limitReasons say, for the banner, which populations were blocked past
// the limit and which groups exceeded theirs, at most three of each.
func limitReasons(c *check.Report) []string {
	var blocked, groups []string
	for _, b := range c.Blocking {
		if !b.Passed {
			blocked = append(blocked, b.Population+" "+render.RateCell(b.Blocking))
		}
	}
	for _, g := range c.Groups {
		if !g.Passed {
			groups = append(groups, "group "+g.ID+": "+strings.Join(g.Reasons, "; "))
		}
	}
	var out []string
	if len(blocked) > 0 {
		out = append(out, fmt.Sprintf("joins blocked past the blocking limit %s (%s): %s", results.LimitText(*c.MaxBlocking), c.MaxBlockingSource, strings.Join(firstFew(blocked), ", ")))
	}
	return append(out, firstFew(groups)...)
}

// firstFew keeps the first three items and counts the rest.
func firstFew(items []string) []string {
	if len(items) <= 3 {
		return items
	}
	return append(items[:3:3], fmt.Sprintf("and %d more", len(items)-3))
}

// decidedWord names what a check held rates to their limits by.
func decidedWord(c *check.Report) string {
	return map[string]string{check.DecideMean: "mean", check.DecideUpper: "95% upper bound"}[c.DecidedBy]
}

// passCell is a check's PASS or FAIL cell.
func passCell(passed bool) cell {
	if passed {
		return cell{Text: "PASS", Class: "pass-cell"}
	}
	return cell{Text: "FAIL", Class: "fail-cell"}
}
