package results

import (
	"cmp"
	"slices"
)

// Blame is the violations that one entry of the scenario let in: the
// whitelist entry a forbidden secondary was picked from, or the primary a
// join was admitted at, over every fence it broke. It is the row to change
// in the file to stop them.
type Blame struct {
	At           Location `json:"at"`
	Datacenter   string   `json:"datacenter"`
	Jurisdiction string   `json:"jurisdiction"`
	// Whitelist names the whitelist when the entry is one of its members;
	// empty for a primary.
	Whitelist string `json:"whitelist,omitempty"`
	// Count is the violations per replication the entry let in, its
	// causes' counts added up replication by replication.
	Count Estimate `json:"count"`
	// Fences are the fences it broke, most violations first.
	Fences []BlameFence `json:"fences"`
}

// BlameFence is the violations one entry let into one population's fence
// for one plane, by one route (via connector for key copies).
type BlameFence struct {
	Population string   `json:"population"`
	Plane      string   `json:"plane"`
	Via        string   `json:"via"`
	Count      Estimate `json:"count"` // per replication
}

// blameOf adds causes up by the entry that let them in, most violations
// first; entries and fences with equal counts keep the order of their
// first cause. Each replication's counts are added before estimating, so
// that an entry's interval is that of its own total, not a sum of
// intervals.
func blameOf(causes []CauseReport) []Blame {
	type fenceKey struct{ population, plane, via string }
	type group struct {
		blame  Blame
		counts []float64
		fences map[fenceKey][]float64
		order  []fenceKey
	}
	var groups []*group
	byPath := map[string]*group{}
	for _, c := range causes {
		g := byPath[c.At.Path]
		if g == nil {
			g = &group{
				blame:  Blame{At: c.At, Datacenter: c.Datacenter, Jurisdiction: c.Jurisdiction, Whitelist: c.Whitelist},
				counts: make([]float64, len(c.Count.PerReplication)),
				fences: map[fenceKey][]float64{},
			}
			byPath[c.At.Path] = g
			groups = append(groups, g)
		}
		k := fenceKey{c.Population, c.Plane, c.Via}
		if g.fences[k] == nil {
			g.fences[k] = make([]float64, len(c.Count.PerReplication))
			g.order = append(g.order, k)
		}
		for i, n := range c.Count.PerReplication {
			g.counts[i] += n
			g.fences[k][i] += n
		}
	}
	out := make([]Blame, len(groups))
	for i, g := range groups {
		b := g.blame
		b.Count = EstimateOf(g.counts)
		b.Fences = make([]BlameFence, len(g.order))
		for j, k := range g.order {
			b.Fences[j] = BlameFence{Population: k.population, Plane: k.plane, Via: k.via, Count: EstimateOf(g.fences[k])}
		}
		slices.SortStableFunc(b.Fences, func(x, y BlameFence) int { return cmp.Compare(y.Count.Mean, x.Count.Mean) })
		out[i] = b
	}
	slices.SortStableFunc(out, func(x, y Blame) int { return cmp.Compare(y.Count.Mean, x.Count.Mean) })
	return out
}
