package scenarios

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// ClipAll clips each of names for a message.
func ClipAll(names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = Clip(n)
	}
	return out
}

// Problem is one thing wrong with a scenario, located in its file.
type Problem struct {
	File         string
	Line, Column int    // 1-based; 0 when unknown
	Path         string // e.g. "datacenters[2].capacity.media"; empty for the file as a whole
	Msg          string
}

// Error formats p as file:line:column: message, leaving out what is unknown.
func (p Problem) Error() string {
	var b strings.Builder
	if p.File != "" {
		b.WriteString(p.File)
		b.WriteString(":")
	}
	switch {
	case p.Line > 0 && p.Column > 0:
		fmt.Fprintf(&b, "%d:%d:", p.Line, p.Column)
	case p.Line > 0:
		fmt.Fprintf(&b, "%d:", p.Line)
	}
	if b.Len() > 0 {
		b.WriteString(" ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is every problem found in a scenario, in file order.
type Problems []Problem

// Error lists the problems one per line.
func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Error()
	}
	return strings.Join(lines, "\n")
}

// MaxProblems bounds the problems kept: past it a huge broken file would
// only fill memory with messages no one reads.
const MaxProblems = 1000

// Collector gathers problems up to maxProblems and counts the rest.
type Collector struct {
	List    Problems
	Dropped int
}

func (c *Collector) Add(p Problem) {
	if c.Full() {
		c.Dropped++
		return
	}
	if len(p.Msg) > MaxMessage { // the values in it are clipped; this bounds how many there are
		p.Msg = prefix(p.Msg, MaxMessage) + "..."
	}
	c.List = append(c.List, p)
}

func (c *Collector) Full() bool { return len(c.List) >= MaxProblems }

// Report returns the problems of file in order, at most maxProblems of
// them, then a line that counts the ones left out.
func (c *Collector) Report(file string) Problems {
	ps := c.List.Sort()
	dropped := c.Dropped
	if len(ps) > MaxProblems {
		ps, dropped = ps[:MaxProblems], dropped+len(ps)-MaxProblems
	}
	if dropped > 0 {
		ps = append(ps, Problem{File: file, Msg: fmt.Sprintf("%d more problems not shown", dropped)})
	}
	return ps
}

// Sort orders ps by position, then message, and drops exact repeats (an
// alias can make the decoder meet the same bad value twice).
func (ps Problems) Sort() Problems {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(a.File, b.File),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.Msg, b.Msg),
			cmp.Compare(a.Path, b.Path),
		)
	})
	return slices.Compact(ps)
}

// ParentPath strips the last field, key or index from path: "a.b[2]" gives
// "a.b", "a.b" gives "a", "a" gives "".
func ParentPath(path string) string {
	i := strings.LastIndexAny(path, ".[")
	if i < 0 {
		return ""
	}
	return path[:i]
}

// Under reports whether path is at or below ancestor.
func Under(path, ancestor string) bool {
	if ancestor == "" || path == ancestor {
		return true
	}
	return strings.HasPrefix(path, ancestor) && (path[len(ancestor)] == '.' || path[len(ancestor)] == '[')
}

// Index appends a list index to a path.
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

// Join appends a field name or map key to a path.
func Join(path, name string) string {
	if path == "" {
		return name
	}
	return path + "." + name
}

// Suggest returns the closest of candidates to got if it is close enough to
// be a likely typo, else "".
func Suggest(got string, candidates []string) string {
	best, bestDist := "", len(got)/3+1 // a third of the word may be wrong, at least one edit
	if len(candidates) > 1000 {
		return "" // too many to be worth the time; the message lists none either
	}
	for _, c := range candidates {
		if d := editDistance(strings.ToLower(got), strings.ToLower(c)); d <= bestDist && (best == "" || d < bestDist) {
			best, bestDist = c, d
		}
	}
	return best
}

// editDistance is the Levenshtein distance between a and b, in bytes.
func editDistance(a, b string) int {
	if len(a) > 64 || len(b) > 64 {
		return max(len(a), len(b)) // IDs are at most 64 characters; longer is no typo
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(b)]
}

// maxEcho bounds the bytes of user text a message repeats: enough for any
// id (64) and a readable value, not a megabyte of one. maxMessage bounds a
// message as a whole.
const (
	maxEcho    = 80
	MaxMessage = 1000
)

// Clip cuts user text s to at most about maxEcho bytes for a message, on a
// rune boundary, saying how long it was.
func Clip(s string) string {
	if len(s) <= maxEcho {
		return s
	}
	return fmt.Sprintf("%s... (%d bytes)", prefix(s, maxEcho-20), len(s))
}

// prefix is the longest start of s that has at most n bytes and ends
// between two runes.
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}

// ClipArgs clips the arguments of a message that are the scenario's own
// text: its ids and jurisdiction codes, which are kept even when malformed.
// Other text a message repeats is clipped where it is formatted.
func ClipArgs(args []any) []any {
	for i, a := range args {
		switch a := a.(type) {
		case ID:
			args[i] = ID(Clip(string(a)))
		case Code:
			args[i] = Code(Clip(string(a)))
		}
	}
	return args
}

// QuoteList formats names for a message: "a", "b" or "c", with the
// conjunction given.
func QuoteList(names []string, conjunction string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = strconv.Quote(Clip(n))
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " " + conjunction + " " + q[len(q)-1]
}
