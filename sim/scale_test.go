package sim

import (
	"flag"
	"fmt"
	"os"
	"reflect"
	"regexp"
	"strconv"
	"testing"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
)

// scaled is the default built-in at k times its size: every datacenter and
// timeline capacity and every population's join rate multiplied by k. At
// k = 1000 it is the real April 2020 day (316M joins, about 14M calls in
// progress at the peak).
func scaled(t testing.TB, k int64) *scenarios.Scenario {
	t.Helper()
	s := builtin(t)
	times := func(c *scenarios.Capacity) *scenarios.Capacity {
		if c == nil || c.IsUnlimited() {
			return c
		}
		v := *c * scenarios.Capacity(k)
		return &v
	}
	scale := func(pc *scenarios.PlaneCapacity) {
		pc.Media, pc.Keys, pc.Connector = times(pc.Media), times(pc.Keys), times(pc.Connector)
	}
	for i := range s.Datacenters {
		d := &s.Datacenters[i]
		scale(&d.Capacity)
		for j := range d.Timeline {
			if c := d.Timeline[j].Capacity; c != nil {
				scale(c)
			}
		}
	}
	for i := range s.Populations {
		s.Populations[i].JoinsPerSecond *= float64(k)
	}
	return s
}

// scaledYAML is the default built-in's file with the numbers scaled says,
// for the command line (which has no --scale yet).
func scaledYAML(t testing.TB, k int64) []byte {
	t.Helper()
	src, ok := scenarios.BuiltinSource(scenarios.Default)
	if !ok {
		t.Fatal("no default built-in")
	}
	capacity := regexp.MustCompile(`\b(media|keys|connector): ([0-9]+)\b`)
	rate := regexp.MustCompile(`\bjoins_per_second: ([0-9.eE+-]+)`)
	// Capacities are scaled on the lines that set them, up to a comment.
	out := regexp.MustCompile(`(?m)^[^#\n]*capacity: \{[^#\n]*`).ReplaceAllFunc(src, func(line []byte) []byte {
		return capacity.ReplaceAllFunc(line, func(m []byte) []byte {
			sub := capacity.FindSubmatch(m)
			n, _ := strconv.ParseInt(string(sub[2]), 10, 64)
			return fmt.Appendf(nil, "%s: %d", sub[1], n*k)
		})
	})
	return rate.ReplaceAllFunc(out, func(m []byte) []byte {
		v, _ := strconv.ParseFloat(string(rate.FindSubmatch(m)[1]), 64)
		return fmt.Appendf(nil, "joins_per_second: %v", v*float64(k))
	})
}

var (
	writeScaled = flag.String("write-scaled", "", "TestScaledYAML writes the default built-in scaled by -scale to this file")
	scaleFlag   = flag.Int64("scale", 1000, "the factor for -write-scaled")
)

// The scaled YAML is the scaled scenario, field for field; with
// -write-scaled FILE the test also writes it for the command line:
//
//	go test ./sim -run TestScaledYAML -scale 1000 -write-scaled /tmp/zoom-x1000.yaml
func TestScaledYAML(t *testing.T) {
	for _, k := range []int64{10, *scaleFlag} {
		src := scaledYAML(t, k)
		got, err := format.Load("scaled.yaml", src)
		if err != nil {
			t.Fatal(err)
		}
		want := scaled(t, k)
		got.Source, want.Source = nil, nil
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("×%d: the scaled YAML differs from the scaled scenario", k)
		}
		if k == *scaleFlag && *writeScaled != "" {
			if err := os.WriteFile(*writeScaled, src, 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
}
