package sim

import (
	"math"
	"testing"

	"github.com/geofence/geofence/scenarios"
)

// A datacenter of 1200 slots goes down from 15:00 to 16:30 and is cut to
// 600 at 20:00: its capacity series says so hour by hour, and the warm-up
// hours are not measured.
func TestCapacitySeries(t *testing.T) {
	s := lossSystem(10, 1200, exponential(100), 86400, 2)
	s.Run.Warmup = 7200
	s.Run.Bucket = new(scenarios.Duration(3600))
	s.Datacenters[0].Timeline = []scenarios.TimelineEntry{
		{At: scenarios.Moment{Duration: 15 * 3600}, State: "down"},
		{At: scenarios.Moment{Duration: 16.5 * 3600}, State: "up"},
		{At: scenarios.Moment{Duration: 20 * 3600}, Capacity: &scenarios.PlaneCapacity{Media: capacity(600)}},
	}
	m := mustCompile(t, s)
	got := m.CapacitySeries(0, Media)
	for b, want := range map[int]float64{0: math.NaN(), 1: math.NaN(), 2: 1200, 14: 1200, 15: 0, 16: 600, 17: 1200, 19: 1200, 20: 600, 23: 600} {
		if g := got[b]; !(g == want || math.IsNaN(g) && math.IsNaN(want)) {
			t.Errorf("bucket %d: capacity %v, want %v", b, g, want)
		}
	}
	if m.CapacitySeries(0, Keys) == nil {
		// An unserved plane has capacity 0, which is finite.
		t.Error("keys: nil series for a plane that is not served")
	}
	s.Datacenters[0].Capacity.Media = capacity(int64(scenarios.Unlimited))
	if m, _ := Compile(s); m.CapacitySeries(0, Media) != nil {
		t.Error("an unlimited plane has a capacity series")
	}
}

// Buckets that are not a whole number of seconds are stepped through one
// by one: the series ends, and its buckets add up to the horizon's
// capacity-seconds.
func TestCapacitySeriesFractionalBuckets(t *testing.T) {
	for _, width := range []float64{0.1, 0.3, 0.7, 1.1} {
		s := lossSystem(10, 50, exponential(1), 100, 2)
		s.Run.Warmup = 0
		s.Run.Bucket = new(scenarios.Duration(width))
		m := mustCompile(t, s)
		var area float64
		for b, c := range m.CapacitySeries(0, Media) {
			area += c * (min(float64(b+1)*width, m.Horizon) - float64(b)*width)
		}
		if math.Abs(area-50*100) > 1e-6 {
			t.Errorf("bucket %vs: capacity-seconds %v, want 5000", width, area)
		}
	}
}
