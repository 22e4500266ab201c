package validate

import (
	"strings"
	"unicode"

	"github.com/geofence/geofence/scenarios"
)

// Limits of the balance kind and of imports. Envoy itself bounds little;
// these keep a run's per-host state small and its arithmetic exact.
const (
	maxPriorities      = 100
	MaxBalanceHosts    = 4096 // hosts of one balance route, all priorities: an Istio ServiceEntry has at most 4096 endpoints
	maxLocalityWeight  = 1<<32 - 1
	maxOverprovision   = 100_000
	maxConsecutive     = 1_000_000
	maxOutlierInterval = scenarios.Duration(3600)
	maxLocality        = 253 // bytes
)

// balance checks a balance route: its priorities name datacenters that
// serve the plane, each at most once a priority, and its numbers are in
// range.
func (v *validator) balance(path string, b *scenarios.Balance, plane scenarios.Plane) {
	priorities := scenarios.Join(path, "priorities")
	switch {
	case len(b.Priorities) == 0:
		v.Add(priorities, "at least one priority is needed")
	case len(b.Priorities) > maxPriorities:
		v.Add(priorities, "at most %d priorities are allowed, got %d", maxPriorities, len(b.Priorities))
	}
	hosts := 0
	for i, priority := range b.Priorities {
		pp := scenarios.Index(priorities, i)
		if len(priority) == 0 {
			v.Add(pp, "a priority needs at least one locality")
		}
		first := map[scenarios.ID]int{}
		for j, l := range priority {
			lp := scenarios.Index(pp, j)
			dc := scenarios.Join(lp, "datacenter")
			if v.ref(dc, l.Datacenter, v.knownDatacenters) {
				v.serves(dc, l.Datacenter, plane, "")
			}
			if k, dup := first[l.Datacenter]; dup {
				v.Add(dc, "%q is in this priority twice (first at %s)", l.Datacenter, v.at(scenarios.Join(scenarios.Index(pp, k), "datacenter")))
			} else {
				first[l.Datacenter] = j
			}
			v.intBetween(scenarios.Join(lp, "weight"), l.Weight, 1, maxLocalityWeight)
			v.intBetween(scenarios.Join(lp, "hosts"), l.Hosts, 1, MaxBalanceHosts)
			hosts += l.EffectiveHosts()
		}
	}
	if hosts > MaxBalanceHosts {
		v.Add(priorities, "at most %d hosts are allowed in all, got %d", MaxBalanceHosts, hosts)
	}
	v.intBetween(scenarios.Join(path, "overprovisioning"), b.Overprovisioning, 1, maxOverprovision)
	v.intBetween(scenarios.Join(path, "panic_threshold"), b.PanicThreshold, 0, 100)
	v.intBetween(scenarios.Join(path, "retries"), b.Retries, 0, maxRetries)
	if b.ConnectTimeout != nil {
		v.nonNegativeDuration(scenarios.Join(path, "connect_timeout"), *b.ConnectTimeout, maxConnectTimeout)
	}
	if od := b.OutlierDetection; od != nil {
		odPath := scenarios.Join(path, "outlier_detection")
		v.intBetween(scenarios.Join(odPath, "consecutive_errors"), od.ConsecutiveErrors, 0, maxConsecutive)
		if od.Interval != nil {
			v.positiveDuration(scenarios.Join(odPath, "interval"), *od.Interval, maxOutlierInterval)
		}
		if od.BaseEjectionTime != nil {
			v.positiveDuration(scenarios.Join(odPath, "base_ejection_time"), *od.BaseEjectionTime, maxOutlierInterval)
		}
		v.intBetween(scenarios.Join(odPath, "max_ejection_percent"), od.MaxEjectionPercent, 0, 100)
	}
}

// intBetween checks an optional whole number against its bounds.
func (v *validator) intBetween(path string, x *int, lo, hi int) {
	if x != nil && (*x < lo || *x > hi) {
		v.Add(path, "must be between %d and %d, got %d", lo, hi, *x)
	}
}

// imports checks routing.import as the model sees it; what its files say
// is the importer's to check, when the loader runs it.
func (v *validator) imports() {
	im := v.s.Routing.Import
	if im == nil {
		return
	}
	v.enum("routing.import.format", im.Format, importFormats)
	if len(im.Files) == 0 {
		v.Add("routing.import.files", "name at least one file")
	}
	for i, f := range im.Files {
		if strings.TrimSpace(f) == "" {
			v.Add(scenarios.Index("routing.import.files", i), "must not be empty")
		}
	}
	if im.Services == (scenarios.ImportServices{}) {
		v.Add("routing.import.services", "name the service of at least one plane (media, keys or connector)")
	}
}

// locality checks the form of a locality: short text without spaces or
// control characters. Which localities an importer accepts is its own.
func (v *validator) locality(path, l string) {
	switch {
	case l == "":
	case len(l) > maxLocality:
		v.Add(path, "must be at most %d bytes, got %d", maxLocality, len(l))
	case strings.IndexFunc(l, func(r rune) bool { return unicode.IsSpace(r) || !unicode.IsPrint(r) }) >= 0:
		v.Add(path, "%q is not a locality: it has a space or a control character", scenarios.Clip(l))
	}
}

// localities checks the datacenters' localities, each unique.
func (v *validator) localities() {
	first := map[string]int{}
	for i, dc := range v.s.Datacenters {
		if dc.Locality == "" {
			continue
		}
		path := scenarios.Join(scenarios.Index("datacenters", i), "locality")
		v.locality(path, dc.Locality)
		if j, dup := first[dc.Locality]; dup {
			v.Add(path, "datacenter %q has locality %q too (%s): an imported endpoint there would belong to both", v.s.Datacenters[j].ID, scenarios.Clip(dc.Locality), v.at(scenarios.Join(scenarios.Index("datacenters", j), "locality")))
			continue
		}
		first[dc.Locality] = i
	}
	for i, p := range v.s.Populations {
		v.locality(scenarios.Join(scenarios.Index("populations", i), "locality"), p.Locality)
	}
}
