package istio

import (
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/geofence/geofence/scenarios"
)

// service is one plane's service as Istio builds its Envoy cluster: the
// ServiceEntry's endpoints (of the subset, if one is named) grouped by
// locality, and the traffic policy that applies to the port and subset.
type service struct {
	plane  scenarios.Plane
	name   string // as routing.import.services gives it
	host   string
	port   *port
	subset *subset
	se     *serviceEntry
	dr     *destinationRule
	policy policy
	groups []*group
	path   string // routing.import.services.<plane>
}

// policy is the traffic policy in force for a service's port and subset
// (pilot/pkg/networking/util MergeSubsetTrafficPolicy): each block from the
// most specific place that sets it.
type policy struct {
	loadBalancer *loadBalancer
	pool         *connectionPool
	outlier      *outlierDetection
	// portAt is the port-level entry that replaced the destination's
	// blocks, nil when none did.
	portAt *yaml.Node
}

// group is the endpoints of one locality, as Istio's endpoint builder
// groups them (by the locality as written), with the datacenter they
// stand in.
type group struct {
	label      string
	loc        locality
	endpoints  []*workload
	weight     uint64 // Σ endpoint weights, 0 counting 1
	datacenter int
}

// parseService reads a service as routing.import.services names it: a
// host, or the name of the Envoy cluster Istio makes for it,
// outbound|PORT|SUBSET|HOST (PORT and SUBSET may be empty).
func parseService(s string) (host string, portNumber uint64, subsetName string, err error) {
	if !strings.HasPrefix(s, "outbound|") {
		return s, 0, "", nil
	}
	parts := strings.Split(s, "|")
	if len(parts) != 4 || parts[3] == "" {
		return "", 0, "", fmt.Errorf("%q is not a host or an Istio cluster name (outbound|PORT|SUBSET|HOST)", scenarios.Clip(s))
	}
	if parts[1] != "" {
		if portNumber, err = strconv.ParseUint(parts[1], 10, 16); err != nil || portNumber == 0 {
			return "", 0, "", fmt.Errorf("%q: %q is not a port number", scenarios.Clip(s), scenarios.Clip(parts[1]))
		}
	}
	return parts[3], portNumber, parts[2], nil
}

// services finds, for each plane routing.import names a service for, its
// ServiceEntry, DestinationRule, port, subset and endpoints.
func (im *importer) services() []*service {
	var out []*service
	names := im.s.Routing.Import.Services
	for _, plane := range scenarios.Planes {
		var name string
		switch plane {
		case scenarios.Media:
			name = names.Media
		case scenarios.Keys:
			name = names.Keys
		default:
			name = names.Connector
		}
		if name == "" {
			continue
		}
		if svc := im.service(plane, name); svc != nil {
			out = append(out, svc)
		}
	}
	return out
}

func (im *importer) service(plane scenarios.Plane, name string) *service {
	svc := &service{plane: plane, name: name, path: "routing.import.services." + string(plane)}
	host, portNumber, subsetName, err := parseService(name)
	if err != nil {
		im.scenarioProblem(svc.path, "%v", err)
		return nil
	}
	svc.host = host
	var hosts []string
	for _, se := range im.rs.serviceEntries {
		hosts = append(hosts, se.hosts...)
		if slices.Contains(se.hosts, host) {
			if svc.se != nil {
				im.problem(se.file, se.hostsAt, se.String(), "host %s is also defined by %s (line %d): Istio merges them by creation time, which the files do not say; define each host once", host, svc.se, svc.se.hostsAt.Line)
				return nil
			}
			svc.se = se
		}
	}
	if svc.se == nil {
		slices.Sort(hosts)
		im.scenarioProblem(svc.path, "no ServiceEntry in the files defines host %q; they define %s", scenarios.Clip(host), strings.Join(scenarios.ClipAll(slices.Compact(hosts)), ", "))
		return nil
	}
	for _, vs := range im.rs.virtualServices {
		if slices.Contains(vs.hosts, host) {
			im.problem(vs.file, vs.hostsAt, vs.String(), "routes host %s, and VirtualServices (subsets, retries, timeouts, fault injection) are not modelled: leave this file out of routing.import.files, and name the subset it routes to in routing.import.services as outbound|PORT|SUBSET|%s", host, host)
		}
	}
	svc.dr = im.destinationRule(host)
	if !im.port(svc, portNumber) {
		return nil
	}
	if subsetName != "" {
		if svc.dr == nil || svc.dr.subsets[subsetName] == nil {
			im.scenarioProblem(svc.path, "no DestinationRule for host %s has a subset %q", scenarios.Clip(host), scenarios.Clip(subsetName))
			return nil
		}
		svc.subset = svc.dr.subsets[subsetName]
	}
	svc.policy = svc.mergedPolicy()
	if !im.endpoints(svc) {
		return nil
	}
	return svc
}

// destinationRule is the DestinationRule for host: one whose host is
// host, else the one whose wildcard host (*.suffix, or *) matches it most
// closely; nil when none does. Two equally close are a problem.
func (im *importer) destinationRule(host string) *destinationRule {
	var best *destinationRule
	bestLen := -1
	for _, dr := range im.rs.destinationRules {
		n := -1
		switch {
		case dr.host == host:
			n = len(host) + 1 // exact beats every wildcard
		case dr.host == "*":
			n = 0
		case strings.HasPrefix(dr.host, "*.") && strings.HasSuffix(host, dr.host[1:]):
			n = len(dr.host)
		}
		switch {
		case n < 0 || n < bestLen:
		case n == bestLen:
			im.problem(dr.file, dr.hostAt, dr.String(), "host %s applies to %s as closely as %s (line %d) does: Istio picks one by namespace and creation time, which the files do not say; keep one", dr.host, host, best, best.hostAt.Line)
		default:
			best, bestLen = dr, n
		}
	}
	return best
}

// port finds the service's port: the one named, else the ServiceEntry's
// only port, or none needed when no port-level policy could apply.
func (im *importer) port(svc *service, number uint64) bool {
	if number != 0 {
		i := slices.IndexFunc(svc.se.ports, func(p port) bool { return p.number == number })
		if i < 0 {
			im.scenarioProblem(svc.path, "%s has no port %d", svc.se, number)
			return false
		}
		svc.port = &svc.se.ports[i]
		return true
	}
	if len(svc.se.ports) == 1 {
		svc.port = &svc.se.ports[0]
		return true
	}
	if svc.dr == nil {
		return true
	}
	for _, p := range svc.se.ports {
		if svc.dr.hasPortLevel(p.number) {
			im.scenarioProblem(svc.path, "%s has ports %s and %s sets a policy for port %d: say which port the %s plane uses, as outbound|%d||%s", svc.se, portList(svc.se.ports), svc.dr, p.number, svc.plane, p.number, svc.host)
			return false
		}
	}
	return true
}

func portList(ps []port) string {
	var out []string
	for _, p := range ps {
		out = append(out, strconv.FormatUint(p.number, 10))
	}
	return strings.Join(out, ", ")
}

// hasPortLevel reports whether dr sets a policy for port number, at the
// top or in a subset.
func (dr *destinationRule) hasPortLevel(number uint64) bool {
	if dr.policy != nil && dr.policy.ports[number] != nil {
		return true
	}
	for _, s := range dr.subsets {
		if s.policy != nil && s.policy.ports[number] != nil {
			return true
		}
	}
	return false
}

// mergedPolicy is MergeSubsetTrafficPolicy: the destination's policy, or
// its port-level entry for the port (which replaces the load balancer,
// connection pool and outlier detection wholesale, absent ones included);
// then the subset's blocks that it sets, or all of them from its
// port-level entry.
func (svc *service) mergedPolicy() policy {
	var p policy
	if svc.dr == nil {
		return p
	}
	apply := func(tp *trafficPolicy, wholesale bool) {
		if tp == nil {
			return
		}
		if svc.port != nil && tp.ports[svc.port.number] != nil {
			pp := tp.ports[svc.port.number]
			p.loadBalancer, p.pool, p.outlier, p.portAt = pp.loadBalancer, pp.pool, pp.outlier, tp.portsAt[svc.port.number]
			return
		}
		if wholesale || tp.loadBalancer != nil {
			p.loadBalancer = tp.loadBalancer
		}
		if wholesale || tp.pool != nil {
			p.pool = tp.pool
		}
		if wholesale || tp.outlier != nil {
			p.outlier = tp.outlier
		}
	}
	apply(svc.dr.policy, true)
	if svc.subset != nil {
		apply(svc.subset.policy, false)
	}
	return p
}

// endpoints collects the service's endpoints (the ServiceEntry's own, or
// the WorkloadEntries its selector picks in its namespace), keeps the
// subset's, and groups them by locality, each group placed in the
// datacenter whose locality matches it most closely.
func (im *importer) endpoints(svc *service) bool {
	se := svc.se
	switch se.resolution {
	case "STATIC", "DNS", "DNS_ROUND_ROBIN":
	case "NONE":
		im.problem(se.file, se.spec, se.String(), "resolution NONE sends traffic to whatever address the client asked for, which has no locality: geofence cannot tell where it lands; give resolution STATIC with endpoints")
		return false
	default:
		im.problem(se.file, se.spec, se.String(), "resolution %q is not modelled: use STATIC, DNS or DNS_ROUND_ROBIN with endpoints", scenarios.Clip(se.resolution))
		return false
	}
	eps := se.endpoints
	if se.selector != nil {
		if len(eps) > 0 {
			im.problem(se.file, se.selectorAt, se.String(), "has both endpoints and workloadSelector, which Istio refuses")
			return false
		}
		for _, we := range im.rs.workloadEntries {
			if we.namespace == se.namespace && subsetOf(se.selector, we.labels) {
				eps = append(eps, we)
			}
		}
	}
	if len(eps) == 0 {
		im.problem(se.file, se.spec, se.String(), "has no endpoints: Istio would resolve host %s by DNS, an address with no locality, so geofence cannot tell where it lands; list the endpoints with their localities", svc.host)
		return false
	}
	byLabel := map[string]*group{}
	for _, ep := range eps {
		labels := maps.Clone(ep.labels)
		loc := parseLocality(ep.locality)
		loc.topologyLabels(labels)
		if ep.network != "" {
			labels["topology.istio.io/network"] = ep.network
		}
		if svc.subset != nil && !subsetOf(svc.subset.labels, labels) {
			continue
		}
		if ep.locality == "" {
			im.problem(ep.file, ep.at, ep.String(), "an endpoint of host %s has no locality (nor a topology.istio.io/locality label): geofence cannot tell where it is", svc.host)
			continue
		}
		g := byLabel[ep.locality]
		if g == nil {
			g = &group{label: ep.locality, loc: loc, datacenter: -1}
			byLabel[ep.locality] = g
		}
		g.endpoints = append(g.endpoints, &workload{object: ep.object, at: ep.at, address: ep.address, labels: labels,
			locality: ep.locality, localityAt: ep.localityAt, weight: ep.weight, weightAt: ep.weightAt, network: ep.network})
		g.weight += max(ep.weight, 1)
	}
	for _, label := range slices.Sorted(maps.Keys(byLabel)) {
		g := byLabel[label]
		g.datacenter = im.datacenterOf(g)
		svc.groups = append(svc.groups, g)
	}
	if len(svc.groups) == 0 && svc.subset != nil {
		im.problem(im.fileOf(svc.dr), svc.subset.at, svc.dr.String(), "subset %s selects no endpoint of host %s", svc.subset.name, svc.host)
		return false
	}
	return !slices.ContainsFunc(svc.groups, func(g *group) bool { return g.datacenter < 0 })
}

func (im *importer) fileOf(dr *destinationRule) string { return dr.file }

// subsetOf reports whether every label of want is in have with its value.
func subsetOf(want, have map[string]string) bool {
	for k, v := range want {
		if have[k] != v {
			return false
		}
	}
	return true
}

// datacenterOf finds the datacenter a group stands in: the one whose
// locality matches the group's most closely, segment by segment (a
// datacenter at us-east1 holds every zone of us-east1 that no datacenter
// names more closely); -1, and a problem at the endpoint, when none does.
func (im *importer) datacenterOf(g *group) int {
	best, bestLen, tie := -1, 0, -1
	for i, d := range im.s.Datacenters {
		if d.Locality == "" {
			continue
		}
		dl := parseLocality(d.Locality)
		n := 0
		switch {
		case dl.region != g.loc.region:
			continue
		case dl.zone == "":
			n = 1
		case dl.zone != g.loc.zone:
			continue
		case dl.subzone == "":
			n = 2
		case dl.subzone != g.loc.subzone:
			continue
		default:
			n = 3
		}
		switch {
		case n > bestLen:
			best, bestLen, tie = i, n, -1
		case n == bestLen:
			tie = i
		}
	}
	ep := g.endpoints[0]
	at := ep.localityAt
	if at == nil {
		at = ep.at
	}
	switch {
	case best < 0:
		var known []string
		for _, d := range im.s.Datacenters {
			if d.Locality != "" {
				known = append(known, fmt.Sprintf("%s (%s)", d.ID, d.Locality))
			}
		}
		im.problem(ep.file, at, ep.String(), "no datacenter has locality %s (or a region or zone of it): give the datacenter where these endpoints run that locality; the datacenters' localities are %s",
			g.loc, orNone(strings.Join(known, ", ")))
		return -1
	case tie >= 0:
		im.problem(ep.file, at, ep.String(), "locality %s matches datacenters %s (%s) and %s (%s) alike: give one of them a closer locality", g.loc,
			im.s.Datacenters[best].ID, im.s.Datacenters[best].Locality, im.s.Datacenters[tie].ID, im.s.Datacenters[tie].Locality)
		return -1
	}
	return best
}

func orNone(s string) string {
	if s == "" {
		return "none"
	}
	return s
}
