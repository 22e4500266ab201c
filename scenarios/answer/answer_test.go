package answer

import (
	"fmt"
	"slices"
	"strings"
	"testing"
)

// Each case is one rule of the documentation, quoted in its name.

func TestFirstHealthy(t *testing.T) {
	P, W, C := Passing, Warning, Critical
	for _, c := range []struct {
		rule        string
		statuses    []Status
		onlyPassing bool
		answerFirst bool
		want        int
	}{
		{"the local datacenter answers while it has a healthy instance", []Status{P, P, P}, false, false, 0},
		{"the first datacenter with any healthy instance takes the whole query", []Status{C, C, P, P}, false, false, 2},
		{"warning counts as healthy unless OnlyPassing", []Status{W, P}, false, false, 0},
		{"with OnlyPassing a warning check drops the instance", []Status{W, P}, true, false, 1},
		{"with OnlyPassing and nothing passing, no answer", []Status{W, C, W}, true, false, None},
		{"no datacenter healthy: the query returns no instances", []Status{C, C}, false, false, None},
		{"Route 53 failover, both unhealthy: the primary", []Status{C, C}, false, true, 0},
		{"no targets at all: no answer", nil, false, true, None},
	} {
		if got := First(c.statuses, c.onlyPassing, c.answerFirst); got != c.want {
			t.Errorf("%s: First(%v) = %d, want %d", c.rule, c.statuses, got, c.want)
		}
	}
}

// show formats a distribution as "dc=p ... none=p", datacenters sorted.
func show(d *Dist) string {
	shares := slices.Clone(d.Shares)
	slices.SortFunc(shares, func(a, b Share) int { return a.Datacenter - b.Datacenter })
	var parts []string
	for _, s := range shares {
		parts = append(parts, fmt.Sprintf("%d=%.4g", s.Datacenter, s.P))
	}
	if d.None > 0 {
		parts = append(parts, fmt.Sprintf("none=%.4g", d.None))
	}
	return strings.Join(parts, " ")
}

// leaf is a record answering with datacenter dc, checked by check (-1: none).
func leaf(dc, check int) Record {
	return Record{Datacenter: dc, Target: -1, Check: check, TargetCheck: -1, LatencyTo: dc}
}

func alias(group int, eth bool) Record {
	return Record{Datacenter: -1, Target: group, Check: -1, TargetCheck: -1, EvaluateTargetHealth: eth, LatencyTo: -1}
}

func secondary(r Record) Record { r.Secondary = true; return r }

func geo(r Record, continent, country, subdivision string) Record {
	r.Continent, r.Country, r.Subdivision = continent, country, subdivision
	return r
}

func weight(r Record, w int64) Record { r.Weight = w; return r }

func TestRecordRules(t *testing.T) {
	P, C := Passing, Critical
	de := Client{Country: "DE", RTT: func(dc int) (float64, bool) { return float64(dc), dc < 100 }}
	usCA := Client{Country: "US", Subdivision: "CA", RTT: de.RTT}
	br := Client{Country: "BR", RTT: de.RTT}
	for _, c := range []struct {
		rule     string
		tree     Tree
		client   Client
		statuses []Status
		want     string
	}{
		{"records without a health check are always healthy",
			Tree{[]Group{{Failover, []Record{leaf(1, -1), secondary(leaf(2, 0))}}}}, de, []Status{P}, "1=1"},
		{"failover: primary healthy, only the primary",
			Tree{[]Group{{Failover, []Record{leaf(1, 0), secondary(leaf(2, 1))}}}}, de, []Status{P, P}, "1=1"},
		{"failover: primary unhealthy and secondary healthy, the secondary",
			Tree{[]Group{{Failover, []Record{secondary(leaf(2, 1)), leaf(1, 0)}}}}, de, []Status{C, P}, "2=1"},
		{"failover: both unhealthy, the primary",
			Tree{[]Group{{Failover, []Record{leaf(1, 0), secondary(leaf(2, 1))}}}}, de, []Status{C, C}, "1=1"},
		{"failover: a secondary without a check is used when the primary fails, even if it is dead",
			Tree{[]Group{{Failover, []Record{leaf(1, 0), secondary(leaf(2, -1))}}}}, de, []Status{C}, "2=1"},
		{"if no record is healthy, all records are healthy (weighted)",
			Tree{[]Group{{Weighted, []Record{weight(leaf(1, 0), 3), weight(leaf(2, 1), 1)}}}}, de, []Status{C, C}, "1=0.75 2=0.25"},
		{"weighted: in proportion to the weights of the healthy records",
			Tree{[]Group{{Weighted, []Record{weight(leaf(1, 0), 3), weight(leaf(2, 1), 1), weight(leaf(3, 2), 4)}}}}, de, []Status{P, C, P}, "1=0.4286 3=0.5714"},
		{"weighted: weight 0 disables routing to a record",
			Tree{[]Group{{Weighted, []Record{weight(leaf(1, 0), 1), weight(leaf(2, 1), 0)}}}}, de, []Status{P, P}, "1=1"},
		{"weighted: all weights 0, equal probability",
			Tree{[]Group{{Weighted, []Record{leaf(1, 0), leaf(2, 1)}}}}, de, []Status{P, P}, "1=0.5 2=0.5"},
		{"weighted: zero-weighted records are considered when every non-zero one is unhealthy",
			Tree{[]Group{{Weighted, []Record{weight(leaf(1, 0), 5), leaf(2, 1), leaf(3, 2)}}}}, de, []Status{C, P, P}, "2=0.5 3=0.5"},
		{"geolocation: the smallest matching area (country over continent)",
			Tree{[]Group{{Geolocation, []Record{geo(leaf(1, -1), "EU", "", ""), geo(leaf(2, -1), "", "DE", ""), geo(leaf(3, -1), "", "*", "")}}}}, de, nil, "2=1"},
		{"geolocation: a subdivision over its country",
			Tree{[]Group{{Geolocation, []Record{geo(leaf(1, -1), "", "US", ""), geo(leaf(2, -1), "", "US", "CA")}}}}, usCA, nil, "2=1"},
		{"geolocation: the * default answers locations without a record",
			Tree{[]Group{{Geolocation, []Record{geo(leaf(1, -1), "EU", "", ""), geo(leaf(3, -1), "", "*", "")}}}}, br, nil, "3=1"},
		{"geolocation: without a default, no answer for the rest of the world",
			Tree{[]Group{{Geolocation, []Record{geo(leaf(1, -1), "EU", "", "")}}}}, br, nil, "none=1"},
		{"geolocation: an unhealthy record gives way to the next larger matching area",
			Tree{[]Group{{Geolocation, []Record{geo(leaf(1, 0), "EU", "", ""), geo(leaf(3, 1), "", "*", "")}}}}, de, []Status{C, P}, "3=1"},
		{"geolocation: every record unhealthy, all healthy: the smallest area again",
			Tree{[]Group{{Geolocation, []Record{geo(leaf(1, 0), "EU", "", ""), geo(leaf(3, 1), "", "*", "")}}}}, de, []Status{C, C}, "1=1"},
		{"geolocation: the client's records unhealthy while another area's is healthy: no answer",
			Tree{[]Group{{Geolocation, []Record{geo(leaf(1, 0), "EU", "", ""), geo(leaf(2, 1), "SA", "", "")}}}}, de, []Status{C, P}, "none=1"},
		{"latency: the record with the lowest latency",
			Tree{[]Group{{Latency, []Record{leaf(7, 0), leaf(3, 1), leaf(5, 2)}}}}, de, []Status{P, P, P}, "3=1"},
		{"latency: unhealthy, the next-best latency",
			Tree{[]Group{{Latency, []Record{leaf(7, 0), leaf(3, 1), leaf(5, 2)}}}}, de, []Status{P, C, P}, "5=1"},
		{"multivalue: up to eight healthy records, the client uses one",
			Tree{[]Group{{Multivalue, []Record{leaf(1, 0), leaf(2, 1), leaf(3, 2), leaf(4, -1)}}}}, de, []Status{P, C, P}, "1=0.3333 3=0.3333 4=0.3333"},
		{"multivalue: all unhealthy, unhealthy records are returned",
			Tree{[]Group{{Multivalue, []Record{leaf(1, 0), leaf(2, 1)}}}}, de, []Status{C, C}, "1=0.5 2=0.5"},
		{"alias: answers what its target group answers",
			Tree{[]Group{{Simple, []Record{alias(1, false)}}, {Failover, []Record{leaf(1, 0), secondary(leaf(2, 1))}}}}, de, []Status{C, P}, "2=1"},
		{"alias with evaluate target health: a target with no healthy record backs out of the branch",
			Tree{[]Group{
				{Geolocation, []Record{geo(alias(1, true), "EU", "", ""), geo(leaf(3, 2), "", "*", "")}},
				{Weighted, []Record{weight(leaf(1, 0), 1), weight(leaf(2, 1), 1)}},
			}}, de, []Status{C, C, P}, "3=1"},
		{"alias without evaluate target health pins the branch even when all its records fail",
			Tree{[]Group{
				{Geolocation, []Record{geo(alias(1, false), "EU", "", ""), geo(leaf(3, 2), "", "*", "")}},
				{Weighted, []Record{weight(leaf(1, 0), 1), weight(leaf(2, 1), 1)}},
			}}, de, []Status{C, C, P}, "1=0.5 2=0.5"},
		{"alias with a health check of its own and evaluate target health: both must pass",
			Tree{[]Group{
				{Failover, []Record{func() Record { r := alias(1, true); r.Check = 2; return r }(), secondary(leaf(3, -1))}},
				{Simple, []Record{leaf(1, 0)}},
			}}, de, []Status{P, P, C}, "3=1"},
		{"alias to an outside resource evaluates that resource's health",
			Tree{[]Group{{Failover, []Record{
				leaf(1, 0),
				secondary(func() Record { r := leaf(2, -1); r.EvaluateTargetHealth, r.TargetCheck = true, 1; return r }()),
			}}}}, de, []Status{C, C}, "1=1"},
		{"recursion: a failed-over EU primary lands in the secondary's region through the alias",
			Tree{[]Group{
				{Geolocation, []Record{geo(alias(1, true), "EU", "", ""), geo(leaf(2, -1), "", "*", "")}},
				{Failover, []Record{leaf(1, 0), secondary(leaf(2, -1))}},
			}}, de, []Status{C}, "2=1"},
	} {
		var d Dist
		c.tree.Specialize(c.client).Answer(c.statuses, &d)
		if got := show(&d); got != c.want {
			t.Errorf("%s: got %s, want %s", c.rule, got, c.want)
		}
	}
}

func TestPick(t *testing.T) {
	d := Dist{Shares: []Share{{Datacenter: 4, P: 0.25}, {Datacenter: 7, P: 0.5}}, None: 0.25}
	for _, c := range []struct {
		u    float64
		want int
	}{{0.1, 4}, {0.25, 4}, {0.3, 7}, {0.75, 7}, {0.8, None}, {1, None}} {
		if got := d.Pick(c.u); got != c.want {
			t.Errorf("Pick(%g) = %d, want %d", c.u, got, c.want)
		}
	}
	full := Dist{Shares: []Share{{Datacenter: 1, P: 0.3}, {Datacenter: 2, P: 0.7 - 1e-12}}}
	if got := full.Pick(1); got != 2 {
		t.Errorf("a total short of 1 by rounding: Pick(1) = %d, want 2", got)
	}
}

func TestContinent(t *testing.T) {
	for country, want := range map[string]string{
		"DE": "EU", "GB": "EU", "RU": "EU", "US": "NA", "CA": "NA", "MX": "NA", "PA": "NA", "JM": "NA",
		"BR": "SA", "AR": "SA", "CN": "AS", "IN": "AS", "TR": "AS", "AU": "OC", "NZ": "OC",
		"EG": "AF", "ZA": "AF", "AQ": "AN", "XX": "", "EU": "",
	} {
		if got := Continent(country); got != want {
			t.Errorf("Continent(%s) = %q, want %q", country, got, want)
		}
	}
}

func TestCheckObserve(t *testing.T) {
	P, W, C := Passing, Warning, Critical
	for _, c := range []struct {
		rule      string
		threshold int
		observed  []Status
		want      string // the status after each observation
	}{
		{"threshold 1 flips at once", 1, []Status{C, P, W}, "critical passing warning"},
		{"threshold 3 needs three consecutive failures", 3, []Status{C, C, C, C}, "passing passing critical critical"},
		{"a passing observation breaks the run", 3, []Status{C, C, P, C, C, C}, "passing passing passing passing passing critical"},
		{"and three consecutive successes bring it back", 3, []Status{C, C, C, P, P, C, P, P, P}, "passing passing critical critical critical critical critical critical passing"},
		{"a run must agree on one status", 2, []Status{W, C, C}, "passing passing critical"},
	} {
		var chk Check
		var got []string
		for _, o := range c.observed {
			chk.Observe(o, c.threshold)
			got = append(got, chk.Status.String())
		}
		if strings.Join(got, " ") != c.want {
			t.Errorf("%s: %s, want %s", c.rule, strings.Join(got, " "), c.want)
		}
	}
}
