package istio

import (
	"fmt"
	"maps"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/geofence/geofence/scenarios"
)

// The lints of Istio's files: what Istio accepts but most likely does not
// do what its author meant, each at the line to change.
const (
	ruleUnknownField        = "istio-unknown-field"
	ruleNotRead             = "istio-not-read"
	ruleNotModelled         = "istio-not-modelled"
	ruleFailoverNoOutlier   = "istio-failover-without-outlier-detection"
	ruleFailoverAndPriority = "istio-failover-and-failover-priority"
	ruleFailoverShadowed    = "istio-failover-shadowed"
	ruleFailoverToEmpty     = "istio-failover-to-empty"
	ruleDistributeEmpty     = "istio-distribute-no-endpoint"
	ruleDistributeUnmatched = "istio-distribute-unmatched-client"
	rulePortDropsFailover   = "istio-port-policy-drops-failover"
	ruleLocalityDisabled    = "istio-locality-lb-disabled"
)

// Rules are the lints of Istio's files, sorted by id, for SARIF's rule
// metadata and the docs.
var Rules = []scenarios.LintRule{
	{ID: ruleDistributeEmpty, Severity: "warning", Summary: "A locality in distribute.to has no endpoint of the service: its weight goes nowhere, and the clients it was meant for get only the other localities."},
	{ID: ruleDistributeUnmatched, Severity: "warning", Summary: "A population's locality matches no distribute.from: Istio leaves its clients every endpoint of the service, in every locality, with no preference."},
	{ID: ruleFailoverAndPriority, Severity: "warning", Summary: "failover and failoverPriority are both set: Istio 1.20 and later apply both (failoverPriority first); Istio 1.19 and earlier ignore failover."},
	{ID: ruleFailoverShadowed, Severity: "warning", Summary: "A failover entry has the same from as an earlier one: Istio uses only the first, and ignores this one."},
	{ID: ruleFailoverToEmpty, Severity: "warning", Summary: "A failover entry's to names a region with no endpoint of the service: its clients fail over straight to every other region."},
	{ID: ruleFailoverNoOutlier, Severity: "warning", Summary: "failover or failoverPriority without outlierDetection: Istio applies no priorities at all, so every client sends traffic to every endpoint, in every region."},
	{ID: ruleLocalityDisabled, Severity: "warning", Summary: "localityLbSetting is disabled (enabled: false) but has rules: Istio ignores them, and every endpoint is at priority 0."},
	{ID: ruleNotModelled, Severity: "warning", Summary: "A field of Istio's schema that geofence does not model; the message says what geofence takes instead."},
	{ID: ruleNotRead, Severity: "note", Summary: "A resource that is not a DestinationRule, ServiceEntry or WorkloadEntry: geofence does not read it."},
	{ID: rulePortDropsFailover, Severity: "warning", Summary: "A port-level traffic policy for the service's port has no outlierDetection (or no loadBalancer) where the destination's has one: port-level settings replace, not merge, so failover is off for that port."},
	{ID: ruleUnknownField, Severity: "warning", Summary: "A field Istio's schema does not have here (geofence knows Istio's networking/v1 schema): Istio's formats evolve, so it is told, not refused."},
}

// severityOf is the severity of rule.
func severityOf(rule string) string {
	i := slices.IndexFunc(Rules, func(r scenarios.LintRule) bool { return r.ID == rule })
	return Rules[i].Severity
}

// lint records a lint of rule at n of file.
func (im *importer) lint(file string, n *yaml.Node, rule, format string, args ...any) {
	im.lints = append(im.lints, scenarios.ImportLint{Rule: rule, Severity: severityOf(rule),
		Pos: scenarios.Position{File: file, Line: n.Line, Column: n.Column}, Message: fmt.Sprintf(format, args...)})
}

// validate refuses what Istio's own validation refuses in a
// localityLbSetting (pkg/config/validation/agent ValidateLocalityLbSetting):
// the files would not apply.
func (im *importer) validate() {
	for _, dr := range im.rs.destinationRules {
		for _, l := range dr.localitySettings() {
			what := dr.String() + ": localityLbSetting"
			if len(l.distribute) > 0 && len(l.failover) > 0 {
				im.problem(dr.file, l.at, what, "Istio refuses distribute and failover together: keep one")
			}
			if len(l.failover) > 0 {
				for _, p := range l.failoverPriority {
					if slices.Contains([]string{"topology.kubernetes.io/region", "topology.kubernetes.io/zone", "topology.istio.io/subzone"}, p) {
						im.problem(dr.file, l.failoverPriorityAt, what, "Istio refuses failover together with the topology label %s in failoverPriority", p)
					}
				}
			}
			for _, f := range l.failover {
				switch {
				case f.from == f.to:
					im.problem(dr.file, f.at, what+".failover", "from and to are both %s: Istio refuses a failover to the same region", f.from)
				case strings.Contains(f.from+f.to, "/"):
					im.problem(dr.file, f.at, what+".failover", "from and to name regions only, without zones: Istio refuses %s → %s", f.from, f.to)
				case strings.Contains(f.from+f.to, "*"):
					im.problem(dr.file, f.at, what+".failover", "Istio refuses the wildcard * in from or to")
				}
			}
			for _, d := range l.distribute {
				var total uint64
				for _, to := range d.to {
					if to.weight < 1 || to.weight > 100 {
						im.problem(dr.file, to.at, what+".distribute", "the weight of %s must be from 1 to 100, got %d", to.locality, to.weight)
					}
					total += to.weight
				}
				if total != 100 {
					im.problem(dr.file, d.at, what+".distribute", "the weights of from %s add up to %d: Istio refuses any total but 100", d.from, total)
				}
				for i, a := range d.to {
					for _, b := range d.to[:i] {
						if overlap(a.locality, b.locality) {
							im.problem(dr.file, a.at, what+".distribute", "%s overlaps %s (line %d): Istio refuses overlapping localities in to", a.locality, b.locality, b.at.Line)
						}
					}
				}
			}
			for i, a := range l.distribute {
				for _, b := range l.distribute[:i] {
					if overlap(a.from, b.from) {
						im.problem(dr.file, a.fromAt, what+".distribute", "from %s overlaps from %s (line %d): Istio refuses overlapping localities", a.from, b.from, b.fromAt.Line)
					}
				}
			}
		}
	}
}

// localitySettings are every localityLbSetting of dr: the destination's,
// its port-level ones and its subsets'.
func (dr *destinationRule) localitySettings() []*localityLB {
	var out []*localityLB
	add := func(tp *trafficPolicy) {
		if tp == nil {
			return
		}
		for _, p := range append([]*trafficPolicy{tp}, portPolicies(tp)...) {
			if p.loadBalancer != nil && p.loadBalancer.locality != nil {
				out = append(out, p.loadBalancer.locality)
			}
		}
	}
	add(dr.policy)
	for _, name := range slices.Sorted(maps.Keys(dr.subsets)) {
		add(dr.subsets[name].policy)
	}
	return out
}

// portPolicies are tp's port-level policies, by port number.
func portPolicies(tp *trafficPolicy) []*trafficPolicy {
	numbers := slices.Sorted(maps.Keys(tp.ports))
	out := make([]*trafficPolicy, len(numbers))
	for i, n := range numbers {
		out[i] = tp.ports[n]
	}
	return out
}

// serviceLints are the lints of one service's policy, whatever the client.
func (im *importer) serviceLints(svc *service) {
	if svc.dr == nil {
		return
	}
	file := svc.dr.file
	od := svc.policy.outlier
	if lb := svc.policy.loadBalancer; lb != nil && lb.locality != nil {
		l := lb.locality
		if l.enabled != nil && !*l.enabled && (len(l.distribute) > 0 || len(l.failover) > 0 || len(l.failoverPriority) > 0) {
			im.lint(file, l.enabledAt, ruleLocalityDisabled, "%s: localityLbSetting is disabled, so Istio ignores its distribute, failover and failoverPriority: every endpoint of %s is at priority 0, in every region", svc.dr, svc.host)
			return
		}
		if od == nil && (len(l.failover) > 0 || len(l.failoverPriority) > 0) {
			at := firstNode(l.failoverAt, l.failoverPriorityAt)
			im.lint(file, at, ruleFailoverNoOutlier, "%s: failover is not applied without outlierDetection (Istio: \"outlier detection policy must be provided for failover\"): every client of %s sends traffic to every endpoint, in every region, in proportion to its weight; add outlierDetection to the same traffic policy", svc.dr, svc.host)
		}
		if len(l.failover) > 0 && len(l.failoverPriority) > 0 {
			im.lint(file, l.failoverAt, ruleFailoverAndPriority, "%s: failover and failoverPriority are both set: Istio 1.20 and later rank endpoints by failoverPriority first and by failover within each rank; Istio 1.19 and earlier apply failoverPriority only and ignore failover", svc.dr)
		}
		seen := map[string]*yaml.Node{}
		for _, f := range l.failover {
			if first := seen[f.from]; first != nil {
				im.lint(file, f.at, ruleFailoverShadowed, "%s: a failover from %s is at line %d already: Istio uses only the first, so this entry (to %s) is ignored", svc.dr, f.from, first.Line, f.to)
				continue
			}
			seen[f.from] = f.at
			if !slices.ContainsFunc(svc.groups, func(g *group) bool { return g.loc.region == f.to }) {
				im.lint(file, f.toAt, ruleFailoverToEmpty, "%s: no endpoint of %s is in region %s, so clients in %s fail over straight to every other region", svc.dr, svc.host, f.to, f.from)
			}
		}
		for _, d := range l.distribute {
			for _, to := range d.to {
				var matched []*group
				for _, g := range svc.groups {
					if g.loc.matches(to.locality) {
						matched = append(matched, g)
					}
				}
				if len(matched) == 0 {
					im.lint(file, to.at, ruleDistributeEmpty, "%s: no endpoint of %s is in %s, so its weight %d goes nowhere: clients in %s get only the other localities of this rule", svc.dr, svc.host, to.locality, to.weight, d.from)
				}
			}
		}
	}
	if svc.policy.portAt != nil {
		top := svc.dr.policy
		if top != nil && (top.outlier != nil && od == nil || top.loadBalancer != nil && svc.policy.loadBalancer == nil) {
			im.lint(file, svc.policy.portAt, rulePortDropsFailover, "%s: the port-level policy for port %d replaces the destination's loadBalancer and outlierDetection (it does not merge them), and has no %s: locality failover is off for the %s plane",
				svc.dr, svc.port.number, missingBlocks(top, svc.policy), svc.plane)
		}
	}
}

// missingBlocks names the blocks the destination's policy has and the
// port-level one that replaces it lacks.
func missingBlocks(top *trafficPolicy, p policy) string {
	var out []string
	if top.loadBalancer != nil && p.loadBalancer == nil {
		out = append(out, "loadBalancer")
	}
	if top.outlier != nil && p.outlier == nil {
		out = append(out, "outlierDetection")
	}
	return strings.Join(out, " and ")
}

// clientLints are the lints that depend on where clients are: a
// distribute whose from no population's locality matches leaves those
// populations every endpoint.
func (im *importer) clientLints(services []*service, clients []client) {
	for _, svc := range services {
		l := svc.setting()
		if l == nil || len(l.distribute) == 0 {
			continue
		}
		var unmatched []string
		for pi, c := range clients {
			if !slices.ContainsFunc(l.distribute, func(d distribute) bool { return c.loc.matches(d.from) }) {
				unmatched = append(unmatched, fmt.Sprintf("%s (%s)", im.s.Populations[pi].ID, c.loc))
			}
		}
		if len(unmatched) > 0 {
			im.lint(svc.dr.file, l.distributeAt, ruleDistributeUnmatched, "%s: no distribute.from matches %s, so Istio gives them every endpoint of %s, in every locality: add a rule for their locality", svc.dr, strings.Join(unmatched, ", "), svc.host)
		}
	}
}

// overlap reports whether two locality patterns (REGION/ZONE/SUBZONE, a
// trailing * or left-out segments matching anything) match a locality in
// common.
func overlap(a, b string) bool {
	x, y := strings.Split(a, "/"), strings.Split(b, "/")
	for i := range 3 {
		if i >= len(x) || i >= len(y) || x[i] == "*" || y[i] == "*" {
			return true
		}
		if x[i] != y[i] {
			return false
		}
	}
	return true
}
