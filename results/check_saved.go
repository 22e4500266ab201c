package results

import (
	"fmt"
	"math"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/geofence/geofence/results/strictjson"
	"github.com/geofence/geofence/scenarios/validate"
	"github.com/geofence/geofence/sim"
)

// CheckSaved refuses a result read back from a file (v points to a report
// of any kind) that holds what no run writes, naming the JSON pointer of
// the value at fault: a count of replications out of range; an estimate
// that is not the estimate of its own per-replication values, or has not
// one value per replication; figures whose counts do not add up (offered
// = admitted + blocked, at most one violation per join set up, rates the
// ratios of the counts); a time series that does not have one value per
// bucket of the horizon; a name or id longer than a scenario allows. A
// page drawn from a result is then as large as the result's figures make
// it, and what it shows is what a run could have said. replications is
// the number of the run v is of, when v does not say it itself (a
// sweep's point); 0 when v does.
func CheckSaved(v any, replications int) error {
	return checkValue(reflect.ValueOf(v).Elem(), "", savedContext{replications: replications})
}

// savedContext is what a value is checked against: the replications of
// the run it is of, and the buckets of its horizon (0 when unknown).
type savedContext struct {
	replications, buckets int
	series                bool // within a Series: every Values has a value per bucket
}

var (
	estimateType   = reflect.TypeFor[Estimate]()
	figuresType    = reflect.TypeFor[Figures]()
	proportionType = reflect.TypeFor[Proportion]()
	valuesType     = reflect.TypeFor[Values]()
	seriesType     = reflect.TypeFor[Series]()
)

// The longest id and name a scenario allows (scenarios.ID, and the
// validator's bound on names), which a result repeats in many places.
const (
	maxSavedID   = 64
	maxSavedName = 200
)

// idMembers are the members of a result that hold an id of a scenario.
var idMembers = []string{"id", "population", "datacenter", "region", "jurisdiction", "plan", "plane", "via"}

// checkValue checks v, at pointer, and every value within it.
func checkValue(v reflect.Value, pointer string, ctx savedContext) error {
	switch v.Type() {
	case estimateType:
		return checkEstimate(v.Interface().(Estimate), ctx.replications, pointer)
	case proportionType:
		return checkProportion(v.Interface().(Proportion), ctx.replications, pointer)
	case valuesType:
		if n := v.Len(); ctx.series && n != ctx.buckets {
			return strictjson.Fieldf(pointer, "%d values; the horizon has %d buckets", n, ctx.buckets)
		}
		return nil
	case figuresType:
		if err := checkFigures(v.Addr().Interface().(*Figures), ctx.replications, pointer); err != nil {
			return err
		}
	case seriesType:
		ctx.series = true
		if n := len(v.Interface().(Series).StartS); n != ctx.buckets {
			return strictjson.Fieldf(pointer+"/start_s", "%d buckets; the horizon has %d", n, ctx.buckets)
		}
	}
	switch v.Kind() {
	case reflect.Pointer, reflect.Interface:
		if v.IsNil() {
			return nil
		}
		return checkValue(v.Elem(), pointer, ctx)
	case reflect.Struct:
		var err error
		if ctx, err = structContext(v, pointer, ctx); err != nil {
			return err
		}
		return checkFields(v, pointer, ctx)
	case reflect.Slice, reflect.Array:
		for i := range v.Len() {
			if err := checkValue(v.Index(i), pointer+"/"+strconv.Itoa(i), ctx); err != nil {
				return err
			}
		}
	case reflect.Map:
		keys := v.MapKeys()
		slices.SortFunc(keys, func(a, b reflect.Value) int { return strings.Compare(a.String(), b.String()) })
		for _, k := range keys {
			if err := checkValue(v.MapIndex(k), pointer+"/"+pointerToken(k.String()), ctx); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkFields checks the fields of struct v, each at its JSON member.
func checkFields(v reflect.Value, pointer string, ctx savedContext) error {
	t := v.Type()
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		at := pointer
		switch {
		case name == "-":
			continue
		case f.Anonymous && name == "":
		case name == "":
			at += "/" + f.Name
		default:
			at += "/" + name
		}
		fv := v.Field(i)
		if fv.Kind() == reflect.String {
			if err := checkText(fv.String(), name, at); err != nil {
				return err
			}
			continue
		}
		if err := checkValue(fv, at, ctx); err != nil {
			return err
		}
	}
	return nil
}

// structContext is the context of the values within struct v: the
// replications it gives (a report, an evaluation of a plan), and the
// buckets of a run report's horizon.
func structContext(v reflect.Value, pointer string, ctx savedContext) (savedContext, error) {
	if f := v.FieldByName("Replications"); f.IsValid() && f.Kind() == reflect.Int {
		n := int(f.Int())
		if n != 0 && (n < 2 || n > validate.MaxReplications) {
			return ctx, strictjson.Fieldf(pointer+"/replications", "%d: a run has 2 to %d replications (0 when nothing was simulated)", n, validate.MaxReplications)
		}
		ctx.replications = n
	}
	horizon, bucket := v.FieldByName("HorizonS"), v.FieldByName("BucketS")
	if !horizon.IsValid() || !bucket.IsValid() || horizon.Kind() != reflect.Float64 || bucket.Kind() != reflect.Float64 {
		return ctx, nil
	}
	h, b := horizon.Float(), bucket.Float()
	switch {
	case h == 0 && b == 0 && ctx.replications == 0: // nothing was simulated
		ctx.buckets = 0
	case !(h > 0) || h > maxHorizonS || !(b > 0) || h/b > maxBuckets:
		return ctx, strictjson.Fieldf(pointer+"/bucket_s", "a horizon of %v s in buckets of %v s: a run's horizon is at most 366 days, in at most %d buckets", h, b, maxBuckets)
	default:
		ctx.buckets = int(math.Ceil(h / b))
	}
	return ctx, nil
}

// The bounds a scenario's run settings keep to (see scenarios' validation).
const (
	maxHorizonS = 366 * 86400
	maxBuckets  = 100_000
)

// checkText checks a string member: an id or a name no longer than a
// scenario allows.
func checkText(s, member, pointer string) error {
	switch {
	case slices.Contains(idMembers, member) && len(s) > maxSavedID:
		return strictjson.Fieldf(pointer, "%d bytes, where a scenario's ids have at most %d", len(s), maxSavedID)
	case member == "name" && len(s) > maxSavedName:
		return strictjson.Fieldf(pointer, "%d bytes, where a scenario's names have at most %d", len(s), maxSavedName)
	}
	return nil
}

// pointerToken escapes a member name for a JSON pointer (RFC 6901).
func pointerToken(s string) string {
	return strings.NewReplacer("~", "~0", "/", "~1").Replace(s)
}

// checkEstimate checks that e is the estimate of its own per-replication
// values, one per replication (when replications is known), and that its
// upper bound, if any, is one RateOf gives.
func checkEstimate(e Estimate, replications int, pointer string) error {
	if replications > 0 && len(e.PerReplication) != replications {
		return strictjson.Fieldf(pointer+"/per_replication", "%d values; the run has %d replications", len(e.PerReplication), replications)
	}
	for i, x := range e.PerReplication {
		if math.IsInf(x, 0) {
			return strictjson.Fieldf(fmt.Sprintf("%s/per_replication/%d", pointer, i), "not a finite number")
		}
	}
	want, sd := estimateAndSD(e.PerReplication)
	same := func(a, b float64) bool { return a == b || math.IsNaN(a) && math.IsNaN(b) }
	if e.N != want.N || !same(e.Mean, want.Mean) || !same(e.Low, want.Low) || !same(e.High, want.High) || !same(e.HalfWidth, want.HalfWidth) {
		return strictjson.Fieldf(pointer, "mean %v, interval [%v, %v] of %d values; its per-replication values give %v, [%v, %v] of %d", e.Mean, e.Low, e.High, e.N, want.Mean, want.Low, want.High, want.N)
	}
	switch e.UpperBy {
	case "":
		if !math.IsNaN(e.Upper) {
			return strictjson.Fieldf(pointer+"/upper", "an upper bound without upper_by")
		}
	case UpperStudentT:
		if e.N < 2 || !same(e.Upper, studentUpper(want, sd)) {
			return strictjson.Fieldf(pointer+"/upper", "%v is not the Student-t bound of its per-replication values", e.Upper)
		}
	case UpperClopperPearson:
		if !(e.Upper > 0 && e.Upper <= 1) || slices.ContainsFunc(e.PerReplication, func(x float64) bool { return x != 0 && !math.IsNaN(x) }) {
			return strictjson.Fieldf(pointer+"/upper", "a Clopper–Pearson bound is of a rate no replication saw, from 0 to 1")
		}
	default:
		return strictjson.Fieldf(pointer+"/upper_by", "want %s or %s", UpperStudentT, UpperClopperPearson)
	}
	return nil
}

// checkProportion checks that p is the proportion of K in N replications
// ProportionOf gives.
func checkProportion(p Proportion, replications int, pointer string) error {
	if p.N < 0 || p.K < 0 || p.K > p.N || replications > 0 && p.N > replications {
		return strictjson.Fieldf(pointer, "%d of %d replications: want 0 ≤ k ≤ n ≤ the run's %d", p.K, p.N, replications)
	}
	xs := make([]float64, p.N)
	for i := range p.K {
		xs[i] = 1
	}
	if want := ProportionOf(xs); p != want {
		return strictjson.Fieldf(pointer, "fraction %v in [%v, %v]; %d of %d gives %v in [%v, %v]", p.Fraction, p.Low, p.High, p.K, p.N, want.Fraction, want.Low, want.High)
	}
	return nil
}

// checkFigures checks that a population's (or the total's) counts add up
// in every replication — offered = admitted at a primary + at a
// secondary + blocked, whole numbers of 0 or more, at most one violation
// per join set up and plane — and that its rates are their ratios.
func checkFigures(f *Figures, replications int, pointer string) error {
	n := len(f.Offered.PerReplication)
	if replications > 0 && n != replications {
		return strictjson.Fieldf(pointer+"/offered/per_replication", "%d values; the run has %d replications", n, replications)
	}
	counts := map[string]*Estimate{"offered": &f.Offered, "admitted_primary": &f.AdmittedPrimary, "admitted_secondary": &f.AdmittedSecondary, "blocked": &f.Blocked, "retries": &f.Retries}
	for p := range sim.NumPlanes {
		counts["violations/"+PlaneName(p)] = f.Violations.At(p)
	}
	for name, e := range counts {
		if len(e.PerReplication) != n {
			return strictjson.Fieldf(pointer+"/"+name+"/per_replication", "%d values, and %d joins offered", len(e.PerReplication), n)
		}
		for k, x := range e.PerReplication {
			if !(x >= 0 && x <= maxCount && x == math.Trunc(x)) {
				return strictjson.Fieldf(fmt.Sprintf("%s/%s/per_replication/%d", pointer, name, k), "%v: a count is a whole number of 0 or more", x)
			}
		}
	}
	for k := range n {
		offered, blocked, secondary := f.Offered.PerReplication[k], f.Blocked.PerReplication[k], f.AdmittedSecondary.PerReplication[k]
		setUp := f.AdmittedPrimary.PerReplication[k] + secondary
		if offered != setUp+blocked {
			return strictjson.Fieldf(fmt.Sprintf("%s/offered/per_replication/%d", pointer, k), "%v joins offered, but %v set up and %v blocked", offered, setUp, blocked)
		}
		rates := []struct {
			name     string
			rate     *Estimate
			num, den float64
		}{{"blocking_probability", &f.BlockingProbability, blocked, offered}, {"secondary_share", &f.SecondaryShare, secondary, offered}}
		for p := range sim.NumPlanes {
			violations := f.Violations.At(p).PerReplication[k]
			if violations > setUp {
				return strictjson.Fieldf(fmt.Sprintf("%s/violations/%s/per_replication/%d", pointer, PlaneName(p), k), "%v violations, more than the %v joins set up", violations, setUp)
			}
			rates = append(rates, struct {
				name     string
				rate     *Estimate
				num, den float64
			}{"violation_rate/" + PlaneName(p), f.ViolationRate.At(p), violations, offered})
		}
		for _, r := range rates {
			if len(r.rate.PerReplication) != n {
				return strictjson.Fieldf(pointer+"/"+r.name+"/per_replication", "%d values, and %d joins offered", len(r.rate.PerReplication), n)
			}
			if got, want := r.rate.PerReplication[k], ratio(r.num, r.den); got != want && !(math.IsNaN(got) && math.IsNaN(want)) {
				return strictjson.Fieldf(fmt.Sprintf("%s/%s/per_replication/%d", pointer, r.name, k), "%v, but the counts give %v", got, want)
			}
		}
	}
	return nil
}
