package results

import (
	"fmt"
	"math"
	"reflect"
	"strconv"

	"github.com/geofence/geofence/results/strictjson"
	"github.com/geofence/geofence/sim"
)

// A partial result's figures are an input like any other: check refuses
// what no replication of the model could have produced, naming the JSON
// pointer of the value at fault. A replication counts every measured join
// once — offered = admitted at a primary + at a secondary + blocked, one
// violation at most per join and plane, one cause for every violation —
// and the sums over buckets are sums of what the replications counted.

// maxCount bounds a count of one replication: 2^49 is more joins than a
// replication of the longest horizon at the highest rate validation
// allows (366 days at 10^7 a second), so that sums over the most
// replications a run may have stay exact in int64.
const maxCount = 1 << 49

// check checks the wire form of an accumulator for model m.
func (w *accumulatorJSON) check(m *sim.Model, jurisdictions int) error {
	if w.From < 0 || w.To < w.From || w.To-w.From > maxRecords {
		return strictjson.Fieldf("/to", "replications %d to %d: want 0 ≤ from ≤ to, at most %d of them", w.From, w.To, maxRecords)
	}
	if w.Replications != len(w.Records) {
		return strictjson.Fieldf("/replications", "%d, but %d replications are recorded", w.Replications, len(w.Records))
	}
	window := m.Horizon - m.Warmup
	var totals tallyTotals
	seen := make([]bool, w.To-w.From)
	for i, r := range w.Records {
		at := "/records/" + strconv.Itoa(i)
		if r == nil {
			return strictjson.Fieldf(at, "null, where a replication's figures belong")
		}
		if k := r.Index - w.From; k < 0 || k >= len(seen) || seen[k] {
			return strictjson.Fieldf(at+"/Index", "replication %d is outside %d to %d, or given twice", r.Index, w.From, w.To-1)
		} else {
			seen[k] = true
		}
		if r.Window != window {
			return strictjson.Fieldf(at+"/Window", "%v s, but the scenario measures %v s (its horizon less its warm-up)", r.Window, window)
		}
		if r.Events < 0 {
			return strictjson.Fieldf(at+"/Events", "%d: a count of events is never negative", r.Events)
		}
		if err := checkRecord(r, m, jurisdictions, &totals); err != nil {
			return strictjson.Under(at, err)
		}
	}
	return w.checkSums(m, &totals)
}

// maxRecords bounds the replications of one accumulator: those a run may
// have.
const maxRecords = 10_000

// tallyTotals are what the records add up to, which the bucket sums must
// equal.
type tallyTotals struct {
	populations     []sim.BucketTally // per population, its counts over every replication
	planeViolations [sim.NumPlanes]int64
	causes          map[causeKey]int64
	busy            [][sim.NumPlanes]float64 // participant-seconds, per datacenter
}

// checkRecord checks one replication's figures and adds them to totals.
func checkRecord(r *record, m *sim.Model, jurisdictions int, totals *tallyTotals) error {
	if len(r.Populations) != len(m.Populations) || len(r.Datacenters) != len(m.Datacenters) {
		return strictjson.Fieldf("/Populations", "%d populations and %d datacenters; the scenario has %d and %d", len(r.Populations), len(r.Datacenters), len(m.Populations), len(m.Datacenters))
	}
	if totals.populations == nil {
		totals.populations = make([]sim.BucketTally, len(m.Populations))
		totals.causes = map[causeKey]int64{}
		totals.busy = make([][sim.NumPlanes]float64, len(m.Datacenters))
	}
	if err := checkPopulation(&r.Total, jurisdictions); err != nil {
		return strictjson.Under("/Total", err)
	}
	sum := populationRecord{Landed: make([][numLandingKinds]int64, jurisdictions)}
	for p := range r.Populations {
		pr := &r.Populations[p]
		at := "/Populations/" + strconv.Itoa(p)
		if err := checkPopulation(pr, jurisdictions); err != nil {
			return strictjson.Under(at, err)
		}
		// Each count is at most the total's, all being 0 or more; so the
		// sum stays exact.
		if sum.add(pr); !sum.within(&r.Total) {
			return strictjson.Fieldf("/Total", "less than the populations' counts add up to")
		}
		totals.populations[p].Add(&sim.BucketTally{Offered: pr.Offered, Secondary: pr.AdmittedSecondary, Blocked: pr.Blocked, Violations: pr.Violations})
	}
	sum.Latency = r.Total.Latency
	if !reflect.DeepEqual(sum, r.Total) {
		return strictjson.Fieldf("/Total", "not the sum of the populations")
	}
	for q := range sim.NumPlanes {
		totals.planeViolations[q] += r.Total.Violations[q]
	}
	for d := range r.Datacenters {
		if err := checkDatacenter(&r.Datacenters[d], r.Window); err != nil {
			return strictjson.Under("/Datacenters/"+strconv.Itoa(d)+"/Planes", err)
		}
		for q := range sim.NumPlanes {
			totals.busy[d][q] += r.Datacenters[d].Planes[q].BusyArea
		}
	}
	return checkCauses(r, m, totals)
}

// checkPopulation checks one population's counts in one replication (or
// their total): none negative, each join offered admitted or blocked
// once, at most one violation per join set up and plane.
func checkPopulation(pr *populationRecord, jurisdictions int) error {
	counts := []struct {
		name string
		n    int64
	}{
		{"Offered", pr.Offered}, {"AdmittedPrimary", pr.AdmittedPrimary}, {"AdmittedSecondary", pr.AdmittedSecondary},
		{"Blocked", pr.Blocked}, {"Retries", pr.Retries}, {"DialIns", pr.DialIns},
		{"Unanswered", pr.Unanswered}, {"Rejoins", pr.Rejoins}, {"RejoinsBlocked", pr.RejoinsBlocked},
	}
	for q := range sim.NumPlanes {
		counts = append(counts, struct {
			name string
			n    int64
		}{"BlockedPlane/" + strconv.Itoa(int(q)), pr.BlockedPlane[q]}, struct {
			name string
			n    int64
		}{"Violations/" + strconv.Itoa(int(q)), pr.Violations[q]})
	}
	for _, c := range counts {
		if c.n < 0 || c.n > maxCount {
			return strictjson.Fieldf("/"+c.name, "%d: a count is from 0 to 2^49", c.n)
		}
	}
	setUp := pr.AdmittedPrimary + pr.AdmittedSecondary
	if pr.Offered != setUp+pr.Blocked {
		return strictjson.Fieldf("/Offered", "%d joins offered, but %d set up at a primary, %d at a secondary and %d blocked: every join offered is one of them",
			pr.Offered, pr.AdmittedPrimary, pr.AdmittedSecondary, pr.Blocked)
	}
	var blocked int64
	for q := range sim.NumPlanes {
		blocked += pr.BlockedPlane[q]
		if pr.Violations[q] > setUp {
			return strictjson.Fieldf("/Violations/"+strconv.Itoa(int(q)), "%d %s violations, more than the %d joins set up (a join breaks a fence on a plane once at most)", pr.Violations[q], PlaneName(q), setUp)
		}
		minutes := pr.ViolatingMinutes[q]
		if !(minutes >= 0) || math.IsInf(minutes, 0) || minutes > 0 && pr.Violations[q] == 0 {
			return strictjson.Fieldf("/ViolatingMinutes/"+strconv.Itoa(int(q)), "%v: want 0 or more, and 0 without violations", minutes)
		}
	}
	if blocked != pr.Blocked {
		return strictjson.Fieldf("/BlockedPlane", "%d joins blocked by plane, but %d blocked", blocked, pr.Blocked)
	}
	if pr.Unanswered > pr.Blocked {
		return strictjson.Fieldf("/Unanswered", "%d joins unanswered, more than the %d blocked", pr.Unanswered, pr.Blocked)
	}
	if pr.Rejoins > pr.Offered || pr.RejoinsBlocked > pr.Rejoins || pr.RejoinsBlocked > pr.Blocked {
		return strictjson.Fieldf("/Rejoins", "%d rejoins, %d of them blocked: want at most the %d joins offered, and the blocked ones at most the %d blocked", pr.Rejoins, pr.RejoinsBlocked, pr.Offered, pr.Blocked)
	}
	if pr.DialIns > setUp {
		return strictjson.Fieldf("/DialIns", "%d joins dialled in, more than the %d set up", pr.DialIns, setUp)
	}
	last := 0.0
	for q, x := range pr.Latency {
		switch {
		case math.IsNaN(x) && setUp == 0:
		case math.IsNaN(x) || math.IsInf(x, 0) || x < last:
			return strictjson.Fieldf("/Latency/"+strconv.Itoa(q), "%v s: latency quantiles are 0 or more, in order, and given when a join was set up", x)
		default:
			last = x
		}
	}
	if len(pr.Landed) != jurisdictions {
		return strictjson.Fieldf("/Landed", "%d jurisdictions, but the datacenters are in %d", len(pr.Landed), jurisdictions)
	}
	var landed [numLandingKinds]int64
	for j, l := range pr.Landed {
		for k, n := range l {
			if n < 0 || n > maxCount {
				return strictjson.Fieldf(fmt.Sprintf("/Landed/%d/%d", j, k), "%d: a count is from 0 to 2^49", n)
			}
			landed[k] += n
		}
	}
	if landed[landMedia] != setUp {
		return strictjson.Fieldf("/Landed", "%d media landings, but %d joins set up: each lands its media once", landed[landMedia], setUp)
	}
	for k := landKeys; k < numLandingKinds; k++ {
		if landed[k] > setUp {
			return strictjson.Fieldf("/Landed", "%d landings of one kind, more than the %d joins set up", landed[k], setUp)
		}
	}
	return nil
}

// within reports whether every count of pr is at most total's.
func (pr *populationRecord) within(total *populationRecord) bool {
	ok := pr.Offered <= total.Offered && pr.AdmittedPrimary <= total.AdmittedPrimary && pr.AdmittedSecondary <= total.AdmittedSecondary &&
		pr.Blocked <= total.Blocked && pr.Retries <= total.Retries && pr.DialIns <= total.DialIns &&
		pr.Unanswered <= total.Unanswered && pr.Rejoins <= total.Rejoins && pr.RejoinsBlocked <= total.RejoinsBlocked
	for q := range sim.NumPlanes {
		ok = ok && pr.BlockedPlane[q] <= total.BlockedPlane[q] && pr.Violations[q] <= total.Violations[q]
	}
	for j := range pr.Landed {
		for k := range pr.Landed[j] {
			ok = ok && pr.Landed[j][k] <= total.Landed[j][k]
		}
	}
	return ok
}

// checkDatacenter checks one datacenter's planes in a replication that
// measured window seconds.
func checkDatacenter(d *sim.DatacenterTally, window float64) error {
	slack := window * (1 + 1e-9) // sums of spans may round past the window
	for q := range sim.NumPlanes {
		t := &d.Planes[q]
		at := "/" + strconv.Itoa(int(q))
		for _, c := range []struct {
			name string
			n    int64
		}{{"AdmittedPrimary", t.AdmittedPrimary}, {"AdmittedSecondary", t.AdmittedSecondary}, {"Refused", t.Refused}, {"Failed", t.Failed},
			{"Violations", t.Violations}, {"KeyCopies", t.KeyCopies}, {"KeyCopyViolations", t.KeyCopyViolations}, {"Dropped", t.Dropped}} {
			if c.n < 0 || c.n > maxCount {
				return strictjson.Fieldf(at+"/"+c.name, "%d: a count is from 0 to 2^49", c.n)
			}
		}
		if t.Violations > t.AdmittedPrimary+t.AdmittedSecondary {
			return strictjson.Fieldf(at+"/Violations", "%d, more than the %d admissions", t.Violations, t.AdmittedPrimary+t.AdmittedSecondary)
		}
		if t.KeyCopyViolations > t.KeyCopies {
			return strictjson.Fieldf(at+"/KeyCopyViolations", "%d, more than the %d key copies", t.KeyCopyViolations, t.KeyCopies)
		}
		for _, a := range []struct {
			name string
			x    float64
		}{{"BusyArea", t.BusyArea}, {"CapArea", t.CapArea}, {"FullTime", t.FullTime}, {"DownTime", t.DownTime}} {
			if !(a.x >= 0) || math.IsInf(a.x, 0) {
				return strictjson.Fieldf(at+"/"+a.name, "%v: want a finite number of 0 or more", a.x)
			}
		}
		if t.DownTime > t.FullTime*(1+1e-9) || t.FullTime > slack {
			return strictjson.Fieldf(at+"/FullTime", "full %v s and down %v s in a window of %v s: down is part of full, and full part of the window", t.FullTime, t.DownTime, window)
		}
		if len(t.BucketBusy) > 0 {
			return strictjson.Fieldf(at+"/BucketBusy", "per-bucket figures are kept in the sums, not in a replication")
		}
	}
	return nil
}

// checkCauses checks that a replication's causes name the model's
// populations, planes and datacenters, and account for every violation
// of each population and plane once.
func checkCauses(r *record, m *sim.Model, totals *tallyTotals) error {
	counted := make([][sim.NumPlanes]int64, len(m.Populations))
	for c := range r.Causes {
		cause := &r.Causes[c]
		at := "/Causes/" + strconv.Itoa(c)
		switch {
		case cause.Population < 0 || cause.Population >= len(m.Populations) || cause.Datacenter < 0 || cause.Datacenter >= len(m.Datacenters) ||
			cause.Plane >= sim.NumPlanes || cause.Via >= sim.NumPlanes:
			return strictjson.Fieldf(at, "names a population, datacenter or plane the scenario does not have")
		case cause.Count < 1 || cause.Count > maxCount:
			return strictjson.Fieldf(at+"/Count", "%d: a cause is of 1 violation or more", cause.Count)
		case !(cause.Minutes >= 0) || math.IsInf(cause.Minutes, 0):
			return strictjson.Fieldf(at+"/Minutes", "%v: want a finite number of 0 or more", cause.Minutes)
		case len(cause.Buckets) > 0:
			return strictjson.Fieldf(at+"/Buckets", "per-bucket figures are kept in the sums, not in a replication")
		}
		if counted[cause.Population][cause.Plane] += cause.Count; counted[cause.Population][cause.Plane] > r.Populations[cause.Population].Violations[cause.Plane] {
			return strictjson.Fieldf(at+"/Count", "more violations than population %d counts on the %s plane", cause.Population, PlaneName(cause.Plane))
		}
		totals.causes[keyOf(cause)] += cause.Count
	}
	for p := range counted {
		for q := range sim.NumPlanes {
			if v := r.Populations[p].Violations[q]; counted[p][q] != v {
				return strictjson.Fieldf("/Causes", "%d %s violations of population %d have causes, but it has %d: every violation has one cause", counted[p][q], PlaneName(q), p, v)
			}
		}
	}
	return nil
}

// checkSums checks the per-bucket sums against the records they sum.
func (w *accumulatorJSON) checkSums(m *sim.Model, totals *tallyTotals) error {
	if len(w.Populations) != len(m.Populations) || len(w.Busy) != len(m.Datacenters) {
		return strictjson.Fieldf("/populations", "%d populations and %d datacenters; the scenario has %d and %d", len(w.Populations), len(w.Busy), len(m.Populations), len(m.Datacenters))
	}
	buckets := m.NumBuckets
	for p, sums := range w.Populations {
		at := "/populations/" + strconv.Itoa(p)
		if len(sums) != buckets {
			return strictjson.Fieldf(at, "%d buckets; the scenario's horizon has %d", len(sums), buckets)
		}
		var want, got sim.BucketTally
		if totals.populations != nil {
			want = totals.populations[p]
		}
		for b := range sums {
			// Counts of 0 or more that add up to want are each at most
			// what is left of it: the sum stays exact.
			if !countsWithin(&sums[b], &got, &want) {
				if !countsWithin(&sums[b], &sim.BucketTally{}, &sums[b]) {
					return strictjson.Fieldf(at+"/"+strconv.Itoa(b), "a count below 0: counts are 0 or more")
				}
				return strictjson.Fieldf(at, "the buckets add up to more than the replications count: %+v", want)
			}
			got.Add(&sums[b])
		}
		if got != want {
			return strictjson.Fieldf(at, "the buckets add up to %+v; the replications count %+v", got, want)
		}
	}
	for d, planes := range w.Busy {
		for q := range sim.NumPlanes {
			at := fmt.Sprintf("/busy/%d/%d", d, q)
			if len(planes[q]) != buckets {
				return strictjson.Fieldf(at, "%d buckets; the scenario's horizon has %d", len(planes[q]), buckets)
			}
			var sum exactSum
			for _, v := range planes[q] {
				sum.merge(v)
				if sum.Hi >= 1<<40 {
					return strictjson.Fieldf(at, "more participant-seconds than any run holds")
				}
			}
			want := 0.0
			if totals.busy != nil {
				want = totals.busy[d][q]
			}
			// Each bucket and replication is rounded to 2^-10 on its own.
			if slack := float64(buckets*len(w.Records))/exactScale + 1e-9*want; math.Abs(sum.value()-want) > slack {
				return strictjson.Fieldf(at, "the buckets add up to %v participant-seconds; the replications' occupancy is %v", sum.value(), want)
			}
		}
	}
	for q, moments := range w.Forbidden {
		at := "/forbidden/" + strconv.Itoa(q)
		if len(moments) != buckets {
			return strictjson.Fieldf(at, "%d buckets; the scenario's horizon has %d", len(moments), buckets)
		}
		var sum int64
		want := totals.planeViolations[q]
		for b, mo := range moments {
			if mo.Sum < 0 || mo.SumSquares < mo.Sum || float64(mo.SumSquares) > float64(mo.Sum)*float64(mo.Sum) {
				return strictjson.Fieldf(fmt.Sprintf("%s/%d", at, b), "sum %d and sum of squares %d: for counts of 0 or more, 0 ≤ sum ≤ sum of squares ≤ sum²", mo.Sum, mo.SumSquares)
			}
			if mo.Sum > want-sum {
				return strictjson.Fieldf(at, "the buckets add up to more than the %d %s violations the replications count", want, PlaneName(sim.Plane(q)))
			}
			sum += mo.Sum
		}
		if sum != want {
			return strictjson.Fieldf(at, "the buckets add up to %d %s violations; the replications count %d", sum, PlaneName(sim.Plane(q)), want)
		}
	}
	seen := map[causeKey]bool{}
	for c, cb := range w.Causes {
		at := "/causes/" + strconv.Itoa(c)
		key := causeKey{cb.Population, cb.Plane, cb.Via, cb.Datacenter, cb.Secondary, cb.Full, cb.Down}
		if seen[key] {
			return strictjson.Fieldf(at, "the same cause as one before it")
		}
		seen[key] = true
		if len(cb.Buckets) != buckets {
			return strictjson.Fieldf(at+"/buckets", "%d buckets; the scenario's horizon has %d", len(cb.Buckets), buckets)
		}
		var sum int64
		want := totals.causes[key]
		for b, n := range cb.Buckets {
			if n < 0 {
				return strictjson.Fieldf(fmt.Sprintf("%s/buckets/%d", at, b), "%d: counts are 0 or more", n)
			}
			if n > want-sum {
				return strictjson.Fieldf(at+"/buckets", "the buckets add up to more than the %d violations of this cause the replications count", want)
			}
			sum += n
		}
		if sum != want {
			return strictjson.Fieldf(at+"/buckets", "the buckets add up to %d violations of this cause; the replications count %d", sum, totals.causes[key])
		}
	}
	for key := range totals.causes {
		if !seen[key] {
			return strictjson.Fieldf("/causes", "a cause the replications count has no buckets")
		}
	}
	return nil
}

// countsWithin reports whether the counts of t are 0 or more and at most
// what the running sum leaves of want.
func countsWithin(t, sum, want *sim.BucketTally) bool {
	within := func(n, sum, want int64) bool { return n >= 0 && n <= want-sum }
	ok := within(t.Offered, sum.Offered, want.Offered) && within(t.Secondary, sum.Secondary, want.Secondary) && within(t.Blocked, sum.Blocked, want.Blocked)
	for q := range sim.NumPlanes {
		ok = ok && within(t.Violations[q], sum.Violations[q], want.Violations[q])
	}
	return ok
}
