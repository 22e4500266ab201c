package istio

import "strings"

// locality is an Istio locality: region, zone and subzone, the first
// three segments of REGION/ZONE/SUBZONE/... (Istio keeps no more:
// pkg/model/proxy.go ConvertLocality, label.SplitLocalityLabel).
type locality struct{ region, zone, subzone string }

// parseLocality splits a locality string as Istio does.
func parseLocality(s string) locality {
	items := strings.Split(s, "/")
	l := locality{region: items[0]}
	if len(items) > 1 {
		l.zone = items[1]
	}
	if len(items) > 2 {
		l.subzone = items[2]
	}
	return l
}

// String writes l as Istio does, without empty trailing segments.
func (l locality) String() string {
	return strings.TrimRight(l.region+"/"+l.zone+"/"+l.subzone, "/")
}

// lbPriority is Istio's LbPriority (pilot/pkg/networking/util/util.go):
// 0 when region, zone and subzone match the client's, 1 when region and
// zone do, 2 when the region does, 3 otherwise.
func lbPriority(client, endpoint locality) int {
	switch {
	case client.region != endpoint.region:
		return 3
	case client.zone != endpoint.zone:
		return 2
	case client.subzone != endpoint.subzone:
		return 1
	}
	return 0
}

// matches is Istio's LocalityMatch: the rule's region equals l's or is
// "*", and its zone and subzone equal l's, are "*" or are left out.
func (l locality) matches(rule string) bool {
	r := parseLocality(rule)
	return (r.region == "*" || r.region == l.region) &&
		(r.zone == "*" || r.zone == "" || r.zone == l.zone) &&
		(r.subzone == "*" || r.subzone == "" || r.subzone == l.subzone)
}

// localityLabel is the locality a workload's labels give when it has no
// locality field: topology.istio.io/locality, else the older
// istio-locality (pkg/model/proxy.go GetLocalityLabel).
func localityLabel(labels map[string]string) string {
	if l, ok := labels["topology.istio.io/locality"]; ok {
		return l
	}
	return labels["istio-locality"]
}

// sanitiseLocalityLabel turns a locality label, which cannot hold "/", into
// a locality: dots become slashes unless it has slashes already
// (SanitizeLocalityLabel).
func sanitiseLocalityLabel(label string) string {
	if strings.Contains(label, "/") {
		return label
	}
	return strings.ReplaceAll(label, ".", "/")
}

// topologyLabels are the labels Istio adds to a proxy's and to an
// endpoint's own from its locality (AugmentLabels), which failoverPriority
// may name.
func (l locality) topologyLabels(into map[string]string) {
	for k, v := range map[string]string{
		"topology.kubernetes.io/region": l.region,
		"topology.kubernetes.io/zone":   l.zone,
		"topology.istio.io/subzone":     l.subzone,
	} {
		if v != "" {
			into[k] = v
		}
	}
}
