package scenarios

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"strings"
	"time"
)

// ID names a region, datacenter, population or plan: 1 to 64 characters of
// [A-Za-z0-9_.-].
type ID string

var IDPattern = regexp.MustCompile(`^[A-Za-z0-9_.-]{1,64}$`)

// Valid reports whether id has the permitted form.
func (id ID) Valid() bool { return IDPattern.MatchString(string(id)) }

// Code is an ISO 3166-1 alpha-2 jurisdiction code, or the name of a group
// declared under jurisdictions.groups.
type Code string

// Duration is a span of simulated time in seconds. In YAML it is written as
// a Go duration with an optional day unit ("250ms", "5s", "1h30m", "2d") or
// as the number 0.
type Duration float64

// Seconds returns d in seconds.
func (d Duration) Seconds() float64 { return float64(d) }

// String formats d the way the scenario format accepts it. Whole days are
// written in days; a span too long for time.Duration (about 292 years),
// which would wrap round to a negative number, in days too.
func (d Duration) String() string {
	s := float64(d)
	switch {
	case s == 0:
		return "0s"
	case math.IsNaN(s) || math.IsInf(s, 0):
		return strconv.FormatFloat(s, 'g', -1, 64) + "s"
	case math.Abs(s) < 1e9 && (math.Abs(s) < 86400 || math.Mod(s, 86400) != 0):
		return time.Duration(s * float64(time.Second)).String()
	}
	return compactExponent(strconv.FormatFloat(s/86400, 'g', 9, 64)) + "d"
}

// Readable formats x to three significant digits, with an exponent only
// below 0.001 and from a million: 0.5, 1000, 4.99e4 stays 49900, 1e7.
func Readable(x float64) string {
	r, _ := strconv.ParseFloat(strconv.FormatFloat(x, 'g', 3, 64), 64)
	if a := math.Abs(r); a == 0 || a >= 1e-3 && a < 1e6 {
		return strconv.FormatFloat(r, 'f', -1, 64)
	}
	return compactExponent(strconv.FormatFloat(r, 'g', -1, 64))
}

// compactExponent writes Go's 1e+06 and 2e-07 as 1e6 and 2e-7.
func compactExponent(s string) string {
	mantissa, exp, ok := strings.Cut(s, "e")
	if !ok {
		return s
	}
	sign := ""
	if exp[0] == '-' {
		sign = "-"
	}
	return mantissa + "e" + sign + strings.TrimLeft(exp[1:], "0")
}

// ParseDuration reads a duration in the scenario format. Negative durations
// are rejected: nothing in the model runs backwards.
func ParseDuration(s string) (Duration, error) {
	s = strings.TrimSpace(s)
	if s == "0" {
		return 0, nil
	}
	days := 0.0
	if i := strings.IndexByte(s, 'd'); i >= 0 {
		n, err := strconv.ParseFloat(s[:i], 64)
		// n*86400 must stay finite too: 1e308d parses but overflows.
		if err != nil || math.IsNaN(n) || math.IsInf(n*86400, 0) || n < 0 {
			return 0, fmt.Errorf("%q is not a duration (like 250ms, 5s, 1h30m or 2d)", Clip(s))
		}
		days, s = n, s[i+1:]
		if s == "" {
			return Duration(days * 86400), nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("%q is not a duration (like 250ms, 5s, 1h30m or 2d)", Clip(s))
	}
	if d < 0 {
		return 0, fmt.Errorf("duration %q is negative", Clip(s))
	}
	return Duration(days*86400 + d.Seconds()), nil
}

// Probability is a number in [0, 1].
type Probability float64

// Capacity is a number of concurrent participants, or Unlimited.
// In YAML it is a non-negative integer or the word "unlimited".
type Capacity int64

// Unlimited is the capacity of a datacenter that is never full.
const Unlimited Capacity = -1

// IsUnlimited reports whether c never fills.
func (c Capacity) IsUnlimited() bool { return c == Unlimited }

// String formats c as the scenario format writes it.
func (c Capacity) String() string {
	if c.IsUnlimited() {
		return "unlimited"
	}
	return strconv.FormatInt(int64(c), 10)
}

// Offset is a signed time-zone offset from UTC in seconds, written like a
// Duration with an optional sign ("-5h", "+5h30m"), between -14h and +14h.
type Offset float64

// ParseOffset reads a UTC offset.
func ParseOffset(s string) (Offset, error) {
	s = strings.TrimSpace(s)
	sign := 1.0
	switch {
	case strings.HasPrefix(s, "-"):
		sign, s = -1, s[1:]
	case strings.HasPrefix(s, "+"):
		s = s[1:]
	}
	d, err := ParseDuration(s)
	if err != nil || d > 14*3600 {
		return 0, fmt.Errorf("%q is not a UTC offset (like -5h or +5h30m, at most 14h either way)", Clip(s))
	}
	return Offset(sign * float64(d)), nil
}
