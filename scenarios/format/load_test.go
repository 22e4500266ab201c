package format

import (
	"bytes"
	"cmp"
	"errors"
	"fmt"
	"math"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/geofence/geofence/scenarios"
)

// runLoad runs the stories in testdata/load: each loads the YAML given as
// input from a file called test.yaml and prints "ok" or the problems, one
// per line. Commands:
//
//	load [pad=N] [escapes] [long=N]
//	               load the input, padded with a comment to N bytes; with
//	               escapes, \xHH in the input stands for the byte HH; with
//	               long, each LONG in it for N x's
//	positions      load the input and print every recorded path and position
//	local-hours [hours=N]
//	               load the input and print, for each population with a
//	               profile, its local hour in simulation hours 0 to N-1
//	               (24 when not given), by Scenario.LocalOffset
//	timeline       load the input and print every timeline entry's at as
//	               written and as placed on simulation time
func runLoad(t *testing.T, d *datadriven.TestData) string {
	data := []byte(d.Input + "\n")
	if d.HasArg("escapes") {
		data = unescape(data)
	}
	var long int
	if d.MaybeScanArgs(t, "long", &long) {
		data = bytes.ReplaceAll(data, []byte("LONG"), bytes.Repeat([]byte("x"), long))
	}
	var size int
	if d.MaybeScanArgs(t, "pad", &size) {
		data = padded(data, size)
	}
	s, err := Load("test.yaml", data)
	switch d.Cmd {
	case "load":
		return report(t, err)
	case "positions":
		if err != nil {
			return report(t, err)
		}
		return positions(s.Source)
	case "timeline":
		if err != nil {
			return report(t, err)
		}
		return timelines(s)
	case "local-hours":
		if err != nil {
			return report(t, err)
		}
		hours := 24
		d.MaybeScanArgs(t, "hours", &hours)
		return localHours(s, hours)
	}
	d.Fatalf(t, "unknown command %q", d.Cmd)
	return ""
}

// report prints Load's verdict: ok, or every problem. It fails the test if
// the error is not Problems.
func report(t *testing.T, err error) string {
	if err == nil {
		return "ok\n"
	}
	var ps scenarios.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("error %v is a %T, not Problems", err, err)
	}
	return ps.Error() + "\n"
}

// padded appends a YAML comment to data so that it is size bytes long.
func padded(data []byte, size int) []byte {
	if pad := size - len(data); pad > 1 {
		data = append(data, '#')
		data = append(data, bytes.Repeat([]byte{'x'}, pad-2)...)
		data = append(data, '\n')
	}
	return data
}

// positions lists the recorded paths in file order.
func positions(src *scenarios.Source) string {
	all := src.Positions()
	paths := make([]string, 0, len(all))
	for p := range all {
		paths = append(paths, p)
	}
	slices.SortFunc(paths, func(a, b string) int {
		pa, pb := all[a], all[b]
		return cmp.Or(cmp.Compare(pa.Line, pb.Line), cmp.Compare(pa.Column, pb.Column), strings.Compare(a, b))
	})
	var b strings.Builder
	for _, p := range paths {
		name := p
		if name == "" {
			name = "(the scenario)"
		}
		fmt.Fprintf(&b, "%d:%d %s\n", all[p].Line, all[p].Column, name)
	}
	return b.String()
}

// localHours prints each profile's local hour in the middle of each of the
// first n simulation hours.
func localHours(s *scenarios.Scenario, n int) string {
	var b strings.Builder
	for _, p := range s.Populations {
		if p.Profile == nil {
			continue
		}
		fmt.Fprintf(&b, "%s:", p.ID)
		for k := range n {
			t := float64(k)*3600 + 1800
			off, ok := s.LocalOffset(p.Profile, t)
			if !ok {
				fmt.Fprintf(&b, " ?")
				continue
			}
			fmt.Fprintf(&b, " %02d", int(math.Floor((t+off)/3600))%24)
		}
		b.WriteString("\n")
	}
	return b.String()
}

var byteEscape = regexp.MustCompile(`\\x[0-9a-fA-F]{2}`)

// unescape replaces each \xHH in data by the byte HH, so that a test file
// can hold bytes no editor shows.
func unescape(data []byte) []byte {
	return byteEscape.ReplaceAllFunc(data, func(esc []byte) []byte {
		b, _ := strconv.ParseUint(string(esc[2:]), 16, 8)
		return []byte{byte(b)}
	})
}

// timelines prints each timeline entry's moment as written and in
// seconds from simulation time 0.
func timelines(s *scenarios.Scenario) string {
	var b strings.Builder
	for _, d := range s.Datacenters {
		for _, e := range d.Timeline {
			fmt.Fprintf(&b, "%s: %s = %v (%gs)\n", d.ID, e.At, e.At.Duration, e.At.Seconds())
		}
	}
	return b.String()
}
