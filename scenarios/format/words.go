package format

import (
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/geofence/geofence/scenarios"
)

// What an override is about decides whether it may change one side of a
// comparison alone. Routing, policy, the datacenters and populations as
// items and the scenario's own limits are the configuration under review:
// a change to them is what a comparison measures. A datacenter's capacity,
// timeline, round trips and location, a population's demand, a region's
// location and the run's clock describe the world the configuration runs
// in: a what-if about them is a condition, which every side of a
// comparison must run under for the comparison to be paired.

// worldFields are, per list of the scenario, the fields of an item that
// describe the world, with what a message calls them.
var worldFields = map[string]map[string]string{
	"datacenters": {"capacity": "capacity", "timeline": "timeline (outages, capacity changes, health checks)", "rtt": "round-trip times", "location": "location"},
	"populations": {"joins_per_second": "join rate", "profile": "daily profile", "surges": "surges", "growth_per_day": "growth",
		"holding": "holding time", "dial_in_share": "dial-in share"},
	"regions": {"location": "location"},
}

// worldRun are the run settings that place and measure the simulation:
// two runs compared must share them.
var worldRun = []string{"horizon", "warmup", "start", "bucket"}

// DescribesWorld says what of the world an override's path changes — "the
// capacity of datacenter eu-fra", "the load" — or "" when the path is the
// configuration under review (or names nothing: With says so).
func DescribesWorld(path string) string {
	steps, err := parsePath(path)
	if err != nil {
		return ""
	}
	switch first := steps[0]; {
	case first.isKey:
	case first.name == LoadPath:
		return "the load"
	case first.name == "run" && len(steps) == 1:
		return "the run settings"
	case first.name == "run" && !steps[1].isKey && slices.Contains(worldRun, steps[1].name):
		return "the run's " + steps[1].name
	case len(steps) >= 3 && steps[1].isKey && !steps[2].isKey:
		if what, ok := worldFields[first.name][steps[2].name]; ok {
			return fmt.Sprintf("the %s of %s %s", what, strings.TrimSuffix(first.name, "s"), steps[1].key)
		}
	}
	return ""
}

// Words says what override o did to the scenario, in a sentence a reader
// of a report understands without the override syntax: "eu-fra down
// 12:00–14:00 UTC", "EU load ×1.2", "cn-bj-1 removed from whitelist
// intl-backup". s is the scenario o was applied to, as it ran: it places
// times on the clock and finds where an outage ends.
func Words(s *scenarios.Scenario, o scenarios.Override) string {
	steps, err := parsePath(o.Path)
	if err != nil {
		return genericWords(o)
	}
	var words string
	switch {
	case steps[0].name == LoadPath:
		words = loadWords(steps, o)
	case len(steps) >= 3 && steps[0].name == "datacenters" && steps[1].isKey:
		words = datacenterWords(s, steps[1].key, steps[2:], o)
	case len(steps) >= 3 && steps[0].name == "populations" && steps[1].isKey:
		words = populationWords(s, steps[1].key, steps[2:], o)
	case len(steps) == 3 && steps[0].name == "routing" && steps[1].name == "whitelists" && (o.Op == opAdd || o.Op == opSubtract):
		words = memberWords(o, "whitelist "+whitelistName(steps[2]))
	}
	if words == "" {
		return genericWords(o)
	}
	return words
}

// ScaleWords says what --scale K did.
func ScaleWords(k string) string { return "every join rate and finite capacity ×" + k }

// whitelistName is the name a map step gives.
func whitelistName(st step) string {
	if st.isKey {
		return st.key
	}
	return st.name
}

// genericWords says what o did by its path: "run.horizon set to 26h".
func genericWords(o scenarios.Override) string {
	switch o.Op {
	case opScale:
		return o.Path + " ×" + o.Value
	case opAdd:
		return o.Value + " added to " + o.Path
	case opSubtract:
		return o.Value + " removed from " + o.Path
	}
	return o.Path + " set to " + o.Value
}

// memberWords says what += or -= did to the members of a list.
func memberWords(o scenarios.Override, list string) string {
	members := strings.Join(scalarTexts(o), ", ")
	if o.Op == opAdd {
		return members + " added to " + list
	}
	return members + " removed from " + list
}

// scalarTexts are the scalars of o's value: one, or the items of a list.
func scalarTexts(o scenarios.Override) []string {
	node, p := valueNode(o)
	if p != nil {
		return []string{o.Value}
	}
	var out []string
	for _, n := range scalars(node) {
		out = append(out, n.Value)
	}
	return out
}

// loadWords says what a load override did: "EU load ×1.2".
func loadWords(steps []step, o scenarios.Override) string {
	var text string
	if len(steps) == 2 {
		text = steps[1].key
	}
	sel, err := ParseLoadSelection(text)
	if err != nil {
		return ""
	}
	if text == "" {
		return "load ×" + o.Value + " (every population, capacities unchanged)"
	}
	return sel.Words() + " load ×" + o.Value
}

// populationWords says what o did to population id: its join rate,
// surges, holding time.
func populationWords(s *scenarios.Scenario, id string, rest []step, o scenarios.Override) string {
	if len(rest) != 1 {
		return ""
	}
	switch rest[0].name {
	case "joins_per_second":
		switch o.Op {
		case opScale:
			return id + " load ×" + o.Value
		case opSet:
			return id + " joins at " + o.Value + " a second (before profile, surges and growth)"
		}
	case "surges":
		if o.Op != opAdd {
			return ""
		}
		var parts []string
		for _, surge := range decodeList[scenarios.Surge](o) {
			parts = append(parts, fmt.Sprintf("%s load ×%s %s (surge)", id, strconv.FormatFloat(surge.Factor, 'g', -1, 64),
				scenarios.Window(s.Run.Origin(), surge.Start.Seconds(), surge.End.Seconds())))
		}
		return strings.Join(parts, "; ")
	}
	return ""
}

// datacenterWords says what o did to datacenter id: an outage, a capacity.
func datacenterWords(s *scenarios.Scenario, id string, rest []step, o scenarios.Override) string {
	switch rest[0].name {
	case "timeline":
		if len(rest) != 1 || o.Op != opAdd {
			return ""
		}
		var parts []string
		ended := map[float64]bool{} // when the outages said end: their recovery is said already
		for _, e := range decodeList[scenarios.TimelineEntry](o) {
			at := entryTime(s, id, e)
			if e.State == "up" && e.Capacity == nil && ended[at] {
				continue
			}
			if until, ok := upAfter(s, id, at); ok && e.State == "down" {
				ended[until] = true
			}
			parts = append(parts, timelineWords(s, id, e))
		}
		return strings.Join(parts, "; ")
	case "capacity":
		what := id + " capacity"
		if len(rest) == 2 && !rest[1].isKey {
			what = id + " " + rest[1].name + " capacity"
		} else if len(rest) != 1 {
			return ""
		}
		switch o.Op {
		case opSet:
			return what + " " + o.Value
		case opScale:
			if len(rest) == 1 {
				return what + " ×" + o.Value + " (every plane)"
			}
			return what + " ×" + o.Value
		case opAdd:
			return what + " +" + o.Value
		case opSubtract:
			return what + " −" + o.Value
		}
	}
	return ""
}

// timelineWords says what a timeline entry added to datacenter id does: an
// outage with the time it ends, from the datacenter's timeline as it ran
// ("eu-fra down 12:00–14:00 UTC", "down from 12:00 UTC" when it never
// comes up), a recovery, a capacity change.
func timelineWords(s *scenarios.Scenario, id string, e scenarios.TimelineEntry) string {
	start := s.Run.Origin()
	at := entryTime(s, id, e)
	var parts []string
	switch e.State {
	case "down":
		if until, ok := upAfter(s, id, at); ok {
			parts = append(parts, id+" down "+scenarios.Window(start, at, until))
		} else {
			parts = append(parts, id+" down from "+scenarios.Clock(start, at))
		}
	case "up":
		parts = append(parts, id+" up at "+scenarios.Clock(start, at))
	}
	if e.Capacity != nil {
		var planes []string
		for _, plane := range scenarios.Planes {
			if c := e.Capacity.For(plane); c != nil {
				planes = append(planes, string(plane)+" "+c.String())
			}
		}
		parts = append(parts, id+" capacity "+strings.Join(planes, ", ")+" from "+scenarios.Clock(start, at))
	}
	switch e.Check {
	case "":
	case "observed":
		parts = append(parts, id+"'s health checks observed again from "+scenarios.Clock(start, at))
	default:
		parts = append(parts, id+"'s health checks "+e.Check+" from "+scenarios.Clock(start, at))
	}
	return strings.Join(parts, "; ")
}

// entryTime is when e takes effect in s's run: its at, written as a
// calendar time placed by run.start.
func entryTime(s *scenarios.Scenario, id string, e scenarios.TimelineEntry) float64 {
	if e.At.Calendar == "" {
		return e.At.Seconds()
	}
	if dc := datacenterNamed(s, id); dc != nil {
		for _, ran := range dc.Timeline {
			if ran.At.Calendar == e.At.Calendar {
				return ran.At.Seconds()
			}
		}
	}
	if t, err := e.At.Resolve(s.Run); err == nil {
		return t.Seconds()
	}
	return 0
}

// upAfter is when datacenter id next comes up after t in s's timeline.
func upAfter(s *scenarios.Scenario, id string, t float64) (float64, bool) {
	dc := datacenterNamed(s, id)
	if dc == nil {
		return 0, false
	}
	for _, e := range dc.Timeline {
		if e.State == "up" && e.At.Seconds() > t {
			return e.At.Seconds(), true
		}
	}
	return 0, false
}

// datacenterNamed is the datacenter of s called id, or nil.
func datacenterNamed(s *scenarios.Scenario, id string) *scenarios.Datacenter {
	for i := range s.Datacenters {
		if string(s.Datacenters[i].ID) == id {
			return &s.Datacenters[i]
		}
	}
	return nil
}

// decodeList reads the value of a += on a list of T: one item, or a YAML
// list of them; nothing when it does not decode (it did, to be applied).
func decodeList[T any](o scenarios.Override) []T {
	node, p := valueNode(o)
	if p != nil {
		return nil
	}
	nodes := []*yaml.Node{node}
	if target(node).Kind == yaml.SequenceNode {
		nodes = target(node).Content
	}
	var out []T
	for _, n := range nodes {
		v, ps := decodeValue(o, n, reflect.TypeFor[T](), "value", "value", nil)
		if len(ps) > 0 {
			return nil
		}
		out = append(out, v.Interface().(T))
	}
	return out
}
