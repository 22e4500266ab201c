package lint

import (
	"strings"

	"github.com/geofence/geofence/scenarios"
)

// codes writes jurisdictions as a fence is written in the policy: [US, CA].
func codes(cs []scenarios.Code) string {
	s := make([]string, len(cs))
	for i, c := range cs {
		s[i] = string(c)
	}
	return "[" + strings.Join(s, ", ") + "]"
}

// list joins names with commas, as messages name several ids.
func list[T ~string](names []T) string {
	s := make([]string, len(names))
	for i, n := range names {
		s[i] = string(n)
	}
	return strings.Join(s, ", ")
}

// plural returns one when n is 1, else many.
func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// stories groups the populations a lint concerns by what its message says
// about them, so that one lint tells of many populations without repeating
// itself. Stories keep the order in which they were first told. A story
// follows the population ids directly, so it begins with its own
// separator: " (keys): when ..." or ": only ...".
type stories struct {
	order []string
	who   map[string][]string // story -> the populations it holds for
}

// tell records that story holds for a population, named by who: its id,
// perhaps with what sets it apart, e.g. "us-free [US, CA]".
func (st *stories) tell(story, who string) {
	if st.who == nil {
		st.who = map[string][]string{}
	}
	if _, ok := st.who[story]; !ok {
		st.order = append(st.order, story)
	}
	st.who[story] = append(st.who[story], who)
}

func (st *stories) empty() bool { return len(st.order) == 0 }

// these refers back to the populations told of: "this population" or
// "these populations".
func (st *stories) these() string {
	n := 0
	for _, ids := range st.who {
		n += len(ids)
	}
	return plural(n, "this population", "these populations")
}

// String writes each story after the populations it holds for, e.g.
// "populations us-free, us-paid (media): ...; population eu-free (media): ...".
func (st *stories) String() string {
	parts := make([]string, len(st.order))
	for i, story := range st.order {
		ids := st.who[story]
		parts[i] = plural(len(ids), "population ", "populations ") + list(ids) + story
	}
	return strings.Join(parts, "; ")
}
