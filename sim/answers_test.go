package sim

import (
	"math"
	"testing"

	"github.com/geofence/geofence/scenarios"
)

// answerScenario is a scenario with two European datacenters and one in
// the US, whose media route (given as YAML) answers by health.
func answerScenario(t *testing.T, media, timeline string) *scenarios.Scenario {
	t.Helper()
	yaml := `name: answers
regions: [{id: eu}]
datacenters:
  - {id: ie, region: eu, jurisdiction: IE, capacity: {media: unlimited}, rtt: {eu: 20ms}` + timeline + `}
  - {id: de, region: eu, jurisdiction: DE, capacity: {media: unlimited}, rtt: {eu: 10ms}}
  - {id: us, region: eu, jurisdiction: US, capacity: {media: unlimited}, rtt: {eu: 90ms}}
populations:
  - {id: de-users, region: eu, jurisdiction: DE, plan: free, joins_per_second: 2, holding: {distribution: deterministic, mean: 10s}}
routing:
  routes:
    - region: eu
      media:
` + media + `
      keys: {custody: client}
policy:
  - select: {}
    allow: {media: [IE, DE], keys: [IE, DE], connector: [IE, DE]}
run: {horizon: 4h, replications: 2, seed: 9, bucket: 30s}
`
	return mustLoad(t, "answers.yaml", yaml)
}

// A Route 53 failover pair with a 60 s TTL: Dublin, the primary, is down
// from 2h to 3h. Resolvers keep their answers for up to a TTL, so after
// Dublin recovers (and its check says so at 3h) joins keep landing at the
// US secondary for about a TTL — some in each 30 s bucket of the first
// minute, fewer in the second half — and then none at all.
func TestTTLLagAfterRecovery(t *testing.T) {
	s := answerScenario(t, `        dns:
          ttl: 60s
          groups:
            - name: media.example.com
              policy: failover
              records:
                - {id: primary, failover: primary, datacenter: ie, health_check: {interval: 10s}}
                - {id: secondary, failover: secondary, datacenter: us}`,
		`, timeline: [{at: 2h, state: down}, {at: 3h, state: up}]`)
	m, reps := run(t, s)
	bucket := func(at float64) int64 {
		var n int64
		for _, r := range reps {
			n += r.Populations[0].Buckets[m.bucket(at)].Secondary
		}
		return n
	}
	offered := func(at float64) int64 {
		var n int64
		for _, r := range reps {
			n += r.Populations[0].Buckets[m.bucket(at)].Offered
		}
		return n
	}
	before, during := bucket(2*3600-60), bucket(2*3600+1800)
	first, second, after := bucket(3*3600+1), bucket(3*3600+31), bucket(3*3600+61)
	// Half an hour into the outage every answer is one given in it.
	if duringOffered := offered(2*3600 + 1800); before != 0 || during == 0 || during != duringOffered {
		t.Errorf("secondary landings: %d before the outage, %d of %d joins in it; want none, then all", before, during, duringOffered)
	}
	if !(first > second && second > 0 && after == 0) {
		t.Errorf("after recovery: %d, %d in the first two 30 s buckets, %d in the third; want a decreasing tail lasting one TTL", first, second, after)
	}
	// Age is uniform over the TTL, so a join x seconds after the
	// recovery reads an answer from the outage with probability
	// (60 - x)/60: 3/4 of the first bucket's joins, 1/4 of the second's.
	for _, c := range []struct {
		stale, offered int64
		want           float64
	}{{first, offered(3*3600 + 1), 0.75}, {second, offered(3*3600 + 31), 0.25}} {
		if lo, hi := wilson(c.stale, c.offered); c.want < lo || c.want > hi {
			t.Errorf("%d of %d joins read a stale answer: 99.9%% interval [%.3f, %.3f] misses %.2f", c.stale, c.offered, lo, hi, c.want)
		}
	}
	// At the start of the outage, stale answers name the dead primary:
	// those joins fail and are blocked.
	var blocked int64
	for _, r := range reps {
		blocked += r.Populations[0].Buckets[m.bucket(2*3600+1)].Blocked
	}
	if blocked == 0 {
		t.Errorf("no join blocked by a stale answer naming the dead primary at the outage's start")
	}
}

// A Consul failover whose first target's check script reports warning
// from 1h on: it keeps every join unless OnlyPassing, with which the next
// target takes them all (Consul's FilterIgnore).
func TestOnlyPassingWarning(t *testing.T) {
	for _, c := range []struct {
		onlyPassing  bool
		wantFirstHrs float64 // hours of joins at the first target
	}{{false, 4}, {true, 1}} {
		media := `        failover: {targets: [de, ie], only_passing: false}`
		if c.onlyPassing {
			media = `        failover: {targets: [de, ie], only_passing: true}`
		}
		s := answerScenario(t, media, "")
		s.Datacenters[1].Timeline = []scenarios.TimelineEntry{{At: scenarios.Moment{Duration: 3600}, Check: "warning"}}
		m, reps := run(t, s)
		var de, ie int64
		for _, r := range reps {
			de += r.Populations[0].Landed[1][Media]
			ie += r.Populations[0].Landed[0][Media]
		}
		// The check observes the warning at 1h exactly (a check event at
		// k x 10 s, after the timeline's change at that instant).
		want := c.wantFirstHrs / 4
		if lo, hi := wilson(de, de+ie); want < lo || want > hi && want < 1 || want == 1 && ie != 0 {
			t.Errorf("only_passing %v: %d of %d joins at the first target, 99.9%% interval [%.3f, %.3f], want %.3f", c.onlyPassing, de, de+ie, lo, hi, want)
		}
		_ = m
	}
}

// A geolocation group with no record for Germany and no default answers
// nothing: every join is unanswered, counted as blocked for that reason.
func TestUnansweredJoins(t *testing.T) {
	s := answerScenario(t, `        dns:
          groups:
            - name: media.example.com
              policy: geolocation
              records:
                - {continent: NA, datacenter: us}
                - {country: IE, datacenter: ie}`, "")
	_, reps := run(t, s)
	for _, r := range reps {
		p := &r.Populations[0]
		if p.Offered == 0 || p.Unanswered != p.Offered || p.Blocked != p.Offered {
			t.Errorf("offered %d, blocked %d, unanswered %d: want every join unanswered", p.Offered, p.Blocked, p.Unanswered)
		}
	}
}

// Weighted records without health checks are always healthy: with Dublin
// down, half the joins are still sent there and fail. With checks, Dublin
// drops out of the answers once its check sees it down.
func TestUncheckedRecordsStayAnswered(t *testing.T) {
	for _, checked := range []bool{false, true} {
		check := ""
		if checked {
			check = ", health_check: {}"
		}
		s := answerScenario(t, `        dns:
          groups:
            - name: media.example.com
              policy: weighted
              records:
                - {weight: 1, datacenter: ie`+check+`}
                - {weight: 1, datacenter: de`+check+`}`,
			`, timeline: [{at: 0s, state: down}]`)
		_, reps := run(t, s)
		var offered, blocked int64
		for _, r := range reps {
			offered += r.Populations[0].Offered
			blocked += r.Populations[0].Blocked
		}
		// Unchecked, each join is answered Dublin with probability 1/2;
		// checked, Dublin's check fails at its first observation (10 s),
		// and only the joins before it are.
		want := 0.5
		if checked {
			want = 0.5 * 10 / s.Run.Horizon.Seconds()
		}
		if lo, hi := wilson(blocked, offered); want < lo || want > hi {
			t.Errorf("checked %v: %d of %d joins blocked, 99.9%% interval [%.4f, %.4f] misses %.4f", checked, blocked, offered, lo, hi, want)
		}
	}
}

// The event loop allocates nothing with failover and dns routes either:
// check events record answers in preallocated histories.
func TestAnswerEventsAllocateNothing(t *testing.T) {
	s := answerScenario(t, `        dns:
          ttl: 60s
          groups:
            - name: media.example.com
              policy: geolocation
              records:
                - {continent: EU, alias: eu.media.example.com, evaluate_target_health: true}
                - {country: "*", datacenter: us}
            - name: eu.media.example.com
              policy: failover
              records:
                - {failover: primary, datacenter: ie, health_check: {interval: 10s}}
                - {failover: secondary, datacenter: de, health_check: {interval: 30s, failure_threshold: 3}}`,
		`, timeline: [{at: 1h, state: down}, {at: 2h, state: up}, {at: 3h, state: down}]`)
	s.Run.Horizon = 24 * 3600
	m := mustCompile(t, s)
	if n := fewestAllocations(m, 0); n != 0 {
		t.Errorf("%d allocations in 10^5 events", n)
	}
}

// wilson is the Wilson score interval at 99.9% for k successes in n
// trials.
func wilson(k, n int64) (lo, hi float64) {
	const z = 3.2905 // two-sided 99.9%
	p, fn := float64(k)/float64(n), float64(n)
	centre := (p + z*z/(2*fn)) / (1 + z*z/fn)
	half := z / (1 + z*z/fn) * math.Sqrt(p*(1-p)/fn+z*z/(4*fn*fn))
	return centre - half, centre + half
}
