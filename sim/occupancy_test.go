package sim

import (
	"context"
	"math"
	"testing"

	"pgregory.net/rapid"

	"github.com/geofence/geofence/scenarios"
)

// integratedSlot is a datacenter plane's time-weighted figures integrated
// the way the engine did before it accumulated busy area per change: at
// every change of occupancy or state, occupancy × span is added to the
// busy area and spread over the time buckets, and capacity, time full and
// time down likewise.
type integratedSlot struct {
	occ, cap int64
	up       bool
	last     float64
	tally    PlaneTally
}

func (s *integratedSlot) integrate(m *Model, t float64) {
	from := max(s.last, m.Warmup)
	s.last = t
	t = min(t, m.Horizon)
	if from >= t {
		return
	}
	pt := &s.tally
	span := t - from
	occ := float64(s.occ)
	pt.BusyArea += occ * span
	if !s.up {
		pt.DownTime += span
		pt.FullTime += span
	} else {
		if s.cap != noCapacity {
			pt.CapArea += float64(s.cap) * span
		}
		if s.occ >= s.cap {
			pt.FullTime += span
		}
	}
	if occ == 0 {
		return
	}
	m.spread(pt.BucketBusy, from, t, occ)
}

// The engine accumulates a slot's busy area as ±(end of bucket − t) per
// change of occupancy and integrates its other figures only when its state
// changes; on random timelines — joins and departures at random times,
// ties, changes on bucket edges, at the warm-up and past the horizon,
// outages that drop every call, capacity raised and cut below occupancy,
// buckets whole or fractional — every figure of every plane equals the
// integral at every change to 1e-12 relative (of a bucket's width, for a
// busy area far smaller than one).
func TestOccupancyAccumulatesAsIntegrated(t *testing.T) {
	const tolerance = 1e-12
	worst := 0.0
	rapid.Check(t, func(t *rapid.T) {
		horizon := rapid.Float64Range(10, 10_000).Draw(t, "horizon")
		width := rapid.SampledFrom([]float64{0.1, 0.7, 1.1, 60, 3600, horizon / 3}).Draw(t, "bucket")
		capacity := rapid.Int64Range(1, 40).Draw(t, "capacity")
		s := lossSystem(10, capacity, exponential(10), horizon, 1)
		s.Run.Warmup = scenarios.Duration(rapid.Float64Range(0, horizon/2).Draw(t, "warmup"))
		s.Run.Bucket = new(scenarios.Duration(width))
		if rapid.Bool().Draw(t, "unlimited") {
			s.Datacenters[0].Capacity.Media = &[]scenarios.Capacity{scenarios.Unlimited}[0]
		}
		m, err := Compile(s)
		if err != nil {
			t.Fatal(err)
		}
		e := newEngine(context.Background(), m, 1, 0)
		var ref [NumPlanes]integratedSlot
		for p := range ref {
			ref[p] = integratedSlot{cap: e.sites[0].slots[p].cap, up: true}
			ref[p].tally.BucketBusy = make([]float64, m.NumBuckets)
		}
		integrateAll := func(now float64) {
			for p := range ref {
				ref[p].integrate(m, now)
			}
		}
		sl, media := &e.sites[0].slots[Media], &ref[Media]
		step := rapid.SampledFrom([]float64{2e-4, 2e-3, 2e-2}).Draw(t, "step") * horizon
		now := 0.0
		for now < horizon*1.1 {
			switch rapid.IntRange(0, 9).Draw(t, "when") {
			case 0: // a tie
			case 1: // on a bucket edge, the warm-up or the horizon
				now = max(now, rapid.SampledFrom([]float64{m.Warmup, horizon, width * math.Ceil(now/width)}).Draw(t, "edge"))
			default:
				now += rapid.Float64Range(0, step).Draw(t, "dt")
			}
			e.at(now)
			switch op := rapid.IntRange(0, 19).Draw(t, "op"); {
			case op < 10 && e.sites[0].up && sl.occ < sl.cap:
				integrateAll(now)
				media.occ++
				e.occupy(sl, 0, Media)
			case op < 19 && sl.occ > 0:
				integrateAll(now)
				media.occ--
				e.release(sl, 0, Media)
			case op == 19:
				ch := timelineChange{t: now, dc: 0, setState: rapid.Bool().Draw(t, "set-state"), up: rapid.Bool().Draw(t, "up")}
				if rapid.Bool().Draw(t, "set-capacity") {
					ch.setCap[Media], ch.cap[Media] = true, rapid.Int64Range(0, 40).Draw(t, "new-capacity")
				}
				integrateAll(now)
				for p := range ref {
					if ch.setState && ch.up != ref[p].up {
						ref[p].up = ch.up
						if !ch.up {
							ref[p].occ = 0
						}
					}
				}
				if ch.setCap[Media] {
					media.cap = ch.cap[Media]
				}
				e.apply(&ch)
			}
			if sl.occ != media.occ {
				t.Fatalf("occupancy %d, integrated %d", sl.occ, media.occ)
			}
		}
		e.finish()
		integrateAll(horizon)
		for p := range NumPlanes {
			got, want := &e.out.Datacenters[0].Planes[p], &ref[p].tally
			// An area is compared relative to itself, or to a bucket's
			// width when it is smaller than that by far: its shares,
			// ±(end of bucket − t), are that size, and round there. A
			// warm-up drawn at 1e-54 s leaves a bucket a sliver of that
			// size, and a call held for 6e-33 s of the window an area
			// of that size, which the shares of width 1.1 round to
			// nothing.
			check := func(what string, got, want, span float64) {
				diff := math.Abs(got - want)
				if diff > 0 {
					worst = max(worst, diff/max(math.Abs(want), span))
				}
				if diff > tolerance*max(math.Abs(want), span) {
					t.Fatalf("plane %d: %s %v, integrated %v (relative difference %.2g)", p, what, got, want, diff/math.Abs(want))
				}
			}
			check("busy area", got.BusyArea, want.BusyArea, min(width, horizon))
			check("capacity area", got.CapArea, want.CapArea, 0)
			check("time full", got.FullTime, want.FullTime, 0)
			check("time down", got.DownTime, want.DownTime, 0)
			for b := range want.BucketBusy {
				check("busy area of a bucket", got.BucketBusy[b], want.BucketBusy[b], min(width, horizon))
			}
		}
	})
	t.Logf("largest relative difference %.2g", worst)
}
