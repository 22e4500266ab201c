package format

import (
	"fmt"
	"math"
	"reflect"
	"strconv"
	"strings"

	"github.com/geofence/geofence/scenarios"
)

// LoadPath is the override path of demand alone: load=K multiplies every
// population's join rate by K, capacities unchanged, and
// load[SELECTOR]=K those of the populations SELECTOR picks (see
// LoadSyntax). It names no field of the scenario: the override changes
// each selected population's joins_per_second, where problems with the
// rates it makes are located.
const LoadPath = "load"

// LoadSyntax says how a load override picks its populations, for
// geofence help set.
const LoadSyntax = `load=K multiplies the join rate of every population by K (greater than 0),
leaving every capacity as it is: demand alone, unlike --scale.
load[SELECTOR]=K does so for the populations SELECTOR picks: KEY:VALUE
pairs joined by commas, all of which a population must match —
region:ID, jurisdiction:CODE (a code or a jurisdiction group, as a
policy rule selects), plan:ID, population:ID or group:ID (a group of
run.groups). load[jurisdiction:EU]=1.2 is "EU load ×1.2";
load[region:eu,plan:free]=1.5 raises the free plan in region eu. *=
works as = does: the factor multiplies the file's rates. geofence
--load K and --load SELECTOR=K are --when load=K and load[SELECTOR]=K.
`

// loadKeys are the keys a load selector may use, in the order its words
// name them.
var loadKeys = []string{"population", "group", "region", "jurisdiction", "plan"}

// LoadSelection is what a load override's selector picks: each field
// given must match; none given picks every population.
type LoadSelection struct {
	Population, Group, Region, Jurisdiction, Plan string
}

// field is the selection's field for key.
func (sel *LoadSelection) field(key string) *string {
	switch key {
	case "population":
		return &sel.Population
	case "group":
		return &sel.Group
	case "region":
		return &sel.Region
	case "jurisdiction":
		return &sel.Jurisdiction
	case "plan":
		return &sel.Plan
	}
	return nil
}

// ParseLoadPath reads a load override's path, load or load[SELECTOR], and
// returns what it picks.
func ParseLoadPath(path string) (LoadSelection, error) {
	steps, err := parsePath(path)
	switch {
	case err != nil:
		return LoadSelection{}, err
	case steps[0].name != LoadPath || len(steps) > 2 || len(steps) == 2 && !steps[1].isKey:
		return LoadSelection{}, fmt.Errorf("%q is not a load path: write load, or load[SELECTOR] with a selector such as jurisdiction:EU", scenarios.Clip(path))
	case len(steps) == 2:
		return ParseLoadSelection(steps[1].key)
	}
	return LoadSelection{}, nil
}

// ParseLoadSelection reads a load selector, KEY:VALUE[,KEY:VALUE...];
// "" picks every population.
func ParseLoadSelection(text string) (LoadSelection, error) {
	var sel LoadSelection
	if text == "" {
		return sel, nil
	}
	for part := range strings.SplitSeq(text, ",") {
		key, value, ok := strings.Cut(strings.TrimSpace(part), ":")
		key, value = strings.TrimSpace(key), strings.TrimSpace(value)
		f := sel.field(key)
		switch {
		case !ok || f == nil:
			return sel, fmt.Errorf("%q is not a selector: give KEY:VALUE pairs joined by commas, each KEY one of %s (e.g. jurisdiction:EU or region:eu,plan:free)", scenarios.Clip(part), strings.Join(loadKeys, ", "))
		case *f != "":
			return sel, fmt.Errorf("the selector %q gives %s twice", scenarios.Clip(text), key)
		case value == "":
			return sel, fmt.Errorf("the selector %q gives %s no value", scenarios.Clip(text), key)
		}
		*f = value
	}
	return sel, nil
}

// Picks returns the indices of the populations of s that sel picks.
func (sel LoadSelection) Picks(s *scenarios.Scenario) ([]int, error) {
	var out []int
	for i := range s.Populations {
		p := &s.Populations[i]
		switch {
		case sel.Population != "" && string(p.ID) != sel.Population,
			!s.Selects(scenarios.Selector{Region: scenarios.ID(sel.Region), Jurisdiction: scenarios.Code(sel.Jurisdiction), Plan: scenarios.ID(sel.Plan)}, p):
			continue
		case sel.Group != "":
			g := s.Run.Group(sel.Group)
			if g == nil {
				return nil, fmt.Errorf("no group %q in run.groups%s", scenarios.Clip(sel.Group), groupHint(s))
			}
			if !s.InGroup(g, p) {
				continue
			}
		}
		out = append(out, i)
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("%s picks no population", sel.Words())
	}
	return out, nil
}

// groupHint lists the groups of s for a message about one it lacks.
func groupHint(s *scenarios.Scenario) string {
	var ids []string
	for _, g := range s.Run.Groups {
		ids = append(ids, string(g.ID))
	}
	if len(ids) == 0 {
		return ", which has none"
	}
	return "; it has " + strings.Join(scenarios.ClipAll(ids), ", ")
}

// Words names the populations sel picks, as a what-if says it: "every
// population", "EU", "region eu free-plan", "group eu-calls".
func (sel LoadSelection) Words() string {
	var parts []string
	for _, key := range loadKeys {
		v := *sel.field(key)
		switch {
		case v == "":
		case key == "jurisdiction":
			parts = append(parts, v)
		case key == "plan":
			parts = append(parts, v+"-plan")
		default:
			parts = append(parts, key+" "+v)
		}
	}
	if len(parts) == 0 {
		return "every population"
	}
	return strings.Join(parts, " ")
}

// applyLoad carries out a load override on c: each picked population's
// join rate multiplied by the factor, located at the override.
func applyLoad(c *scenarios.Scenario, steps []step, o scenarios.Override) scenarios.Problems {
	if len(steps) > 2 || len(steps) == 2 && !steps[1].isKey {
		return scenarios.Problems{o.Problemf("%s takes one selector in brackets, e.g. load[jurisdiction:EU]=1.2", LoadPath)}
	}
	if o.Op != opSet && o.Op != opScale {
		return scenarios.Problems{o.Problemf("%s is a factor: write %s=K (or *=K) with K above 0", LoadPath, o.Path)}
	}
	var text string
	if len(steps) == 2 {
		text = steps[1].key
	}
	sel, err := ParseLoadSelection(text)
	if err != nil {
		return scenarios.Problems{o.Problemf("%v", err)}
	}
	k, err := loadFactor(o.Value)
	if err != nil {
		return scenarios.Problems{o.Problemf("%v", err)}
	}
	picked, err := sel.Picks(c)
	if err != nil {
		return scenarios.Problems{o.Problemf("%v", err)}
	}
	rate := reflect.TypeFor[float64]()
	for _, i := range picked {
		p := &c.Populations[i]
		p.JoinsPerSecond *= k
		path := scenarios.Join(scenarios.Index("populations", i), "joins_per_second")
		c.Source.Replaced(path, "populations["+string(p.ID)+"].joins_per_second", rate, o)
	}
	return nil
}

// loadFactor reads a load's factor: a finite number above 0.
func loadFactor(text string) (float64, error) {
	k, err := strconv.ParseFloat(strings.TrimSpace(text), 64)
	if err != nil || !(k > 0) || math.IsInf(k, 0) {
		return 0, fmt.Errorf("the load factor must be a number greater than 0, got %q", scenarios.Clip(text))
	}
	return k, nil
}
