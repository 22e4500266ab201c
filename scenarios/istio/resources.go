package istio

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/geofence/geofence/scenarios"
)

// The resources geofence reads, in their own small structs: the fields
// that decide where traffic goes, each with the node it came from, so
// that every value of an imported route can point at its line.

// object is what every resource has: its kind, name and namespace, and
// where it starts.
type object struct {
	kind, name, namespace string
	at                    *yaml.Node // the document's mapping
	file                  string
}

// String names the resource as messages do: "DestinationRule geo/media".
func (o object) String() string {
	if o.namespace == "" {
		return o.kind + " " + o.name
	}
	return o.kind + " " + o.namespace + "/" + o.name
}

// serviceEntry is a ServiceEntry: hosts and their endpoints.
type serviceEntry struct {
	object
	hosts      []string
	hostsAt    *yaml.Node
	resolution string
	ports      []port
	endpoints  []*workload // written in the ServiceEntry
	selector   map[string]string
	selectorAt *yaml.Node
	spec       *yaml.Node
}

// port is a port of a ServiceEntry.
type port struct {
	number uint64
	name   string
}

// workload is an endpoint: a ServiceEntry's endpoint or a WorkloadEntry.
type workload struct {
	object     // for a WorkloadEntry; the ServiceEntry's otherwise
	at         *yaml.Node
	address    string
	labels     map[string]string // as written, then augmented with the locality's topology labels
	locality   string            // as written or from its label, sanitised
	localityAt *yaml.Node
	weight     uint64 // 0 means 1 (pilot/pkg/model/service.go)
	weightAt   *yaml.Node
	network    string
}

// destinationRule is a DestinationRule: a host's traffic policy and its
// subsets.
type destinationRule struct {
	object
	host    string
	hostAt  *yaml.Node
	policy  *trafficPolicy
	subsets map[string]*subset
	spec    *yaml.Node
}

type subset struct {
	name   string
	labels map[string]string
	policy *trafficPolicy
	at     *yaml.Node
}

// trafficPolicy holds the blocks that decide locality load balancing;
// ports are the port-level policies, by port number.
type trafficPolicy struct {
	at           *yaml.Node
	loadBalancer *loadBalancer
	pool         *connectionPool
	outlier      *outlierDetection
	ports        map[uint64]*trafficPolicy
	portsAt      map[uint64]*yaml.Node
}

type loadBalancer struct {
	at       *yaml.Node
	locality *localityLB
}

// localityLB is localityLbSetting.
type localityLB struct {
	at                 *yaml.Node
	enabled            *bool
	enabledAt          *yaml.Node
	distribute         []distribute
	distributeAt       *yaml.Node
	failover           []failover
	failoverAt         *yaml.Node
	failoverPriority   []string
	failoverPriorityAt *yaml.Node
}

type distribute struct {
	from   string
	at     *yaml.Node
	to     []distributeTo // in key order as written
	fromAt *yaml.Node
}

type distributeTo struct {
	locality string
	weight   uint64
	at       *yaml.Node // the key
}

type failover struct {
	from, to string
	at, toAt *yaml.Node
}

type connectionPool struct {
	connectTimeout   scenarios.Duration
	connectTimeoutAt *yaml.Node // nil: Istio's mesh default, 10s
}

// outlierDetection holds what Istio maps onto Envoy's outlier detection
// (pilot/pkg/networking/core/cluster_traffic_policy.go, applyOutlierDetection).
type outlierDetection struct {
	at                   *yaml.Node
	consecutive5xx       *uint64
	consecutive5xxAt     *yaml.Node
	consecutiveGateway   *uint64
	consecutiveGatewayAt *yaml.Node
	interval             *scenarios.Duration
	intervalAt           *yaml.Node
	baseEjection         *scenarios.Duration
	baseEjectionAt       *yaml.Node
	maxEjection          uint64 // 0: Envoy's default, 10
	maxEjectionAt        *yaml.Node
	minHealth            uint64
	minHealthAt          *yaml.Node
}

// resources are everything the files define.
type resources struct {
	serviceEntries   []*serviceEntry
	workloadEntries  []*workload
	destinationRules []*destinationRule
	virtualServices  []virtualService
}

// virtualService is what geofence reads of a VirtualService: the hosts it
// routes, which it refuses to import.
type virtualService struct {
	object
	hosts   []string
	hostsAt *yaml.Node
}

// apiVersions are the versions of networking.istio.io whose schema this
// reads; v1, v1beta1 and v1alpha3 are the same schema.
var apiVersions = []string{"networking.istio.io/v1", "networking.istio.io/v1beta1", "networking.istio.io/v1alpha3"}

// metadataFields are Kubernetes ObjectMeta's fields; only name and
// namespace are read.
var metadataFields = ignored{"labels", "annotations", "uid", "resourceVersion", "generation", "creationTimestamp",
	"deletionTimestamp", "deletionGracePeriodSeconds", "generateName", "ownerReferences", "finalizers", "managedFields", "selfLink"}

// read reads every document of the file into rs; false when the file is
// not YAML.
func (r *reader) read(data []byte, rs *resources) bool {
	dec := yaml.NewDecoder(bytes.NewReader(data))
	for {
		var doc yaml.Node
		err := dec.Decode(&doc)
		if errors.Is(err, io.EOF) {
			return true
		}
		if err != nil {
			r.problems = append(r.problems, scenarios.YAMLSyntaxProblem(r.file, data, err))
			return false
		}
		if len(doc.Content) == 0 || isNull(doc.Content[0]) {
			continue // an empty document between two ---
		}
		r.budget = 10_000 + 10*countNodes(&doc)
		r.document(doc.Content[0], rs)
	}
}

// countNodes counts the nodes of the tree as written, not following aliases.
func countNodes(n *yaml.Node) int {
	count := 1
	for _, c := range n.Content {
		count += countNodes(c)
	}
	return count
}

// document reads one resource.
func (r *reader) document(n *yaml.Node, rs *resources) {
	top, ok := r.mapping(n, "a resource", []string{"apiVersion", "kind", "metadata", "spec"}, ignored{"status"})
	if !ok {
		return
	}
	kind, _ := r.str(top.get("kind"), "kind")
	o := object{kind: kind, at: n, file: r.file}
	if meta, ok := r.mapping(top.get("metadata"), kind+" metadata", []string{"name", "namespace"}, metadataFields); ok {
		o.name, _ = r.str(meta.get("name"), kind+" metadata.name")
		o.namespace, _ = r.str(meta.get("namespace"), kind+" metadata.namespace")
	}
	switch kind {
	case "DestinationRule", "ServiceEntry", "WorkloadEntry", "VirtualService":
	case "":
		r.problem(n, "a resource", "has no kind: each document must be an Istio resource (DestinationRule, ServiceEntry, WorkloadEntry)")
		return
	default:
		r.lint(top.at("kind", n), ruleNotRead, "%s is not read: geofence imports DestinationRule, ServiceEntry and WorkloadEntry", o)
		return
	}
	if v, _ := r.str(top.get("apiVersion"), o.String()+": apiVersion"); !strings.HasPrefix(v, "networking.istio.io/") {
		r.problem(top.at("apiVersion", n), o.String(), "apiVersion %q is not networking.istio.io's (one of %s)", scenarios.Clip(v), strings.Join(apiVersions, ", "))
		return
	} else if !slices.Contains(apiVersions, v) {
		r.lint(top.get("apiVersion"), ruleUnknownField, "%s: apiVersion %s is not one whose schema geofence knows (%s); it is read as v1", o, v, strings.Join(apiVersions, ", "))
	}
	if o.name == "" {
		r.problem(top.at("metadata", n), o.String(), "metadata.name is missing")
	}
	spec := top.get("spec")
	if spec == nil {
		r.problem(n, o.String(), "spec is missing")
		return
	}
	switch kind {
	case "DestinationRule":
		if dr := r.destinationRule(o, spec); dr != nil {
			rs.destinationRules = append(rs.destinationRules, dr)
		}
	case "ServiceEntry":
		if se := r.serviceEntry(o, spec); se != nil {
			rs.serviceEntries = append(rs.serviceEntries, se)
		}
	case "WorkloadEntry":
		if f, ok := r.mapping(spec, o.String()+": spec", workloadFields, nil); ok {
			rs.workloadEntries = append(rs.workloadEntries, r.workload(o, spec, f, o.String()+": spec"))
		}
	case "VirtualService":
		if f, ok := r.mapping(spec, o.String()+": spec", []string{"hosts"}, ignored{"gateways", "http", "tls", "tcp", "exportTo"}); ok {
			rs.virtualServices = append(rs.virtualServices, virtualService{o, r.strings(f.get("hosts"), o.String()+": spec.hosts"), f.at("hosts", spec)})
		}
	}
}

// workloadFields are WorkloadEntry's fields (networking/v1alpha3/workload_entry.proto).
var workloadFields = []string{"address", "ports", "labels", "network", "locality", "weight", "serviceAccount"}

// workload reads a WorkloadEntry spec, or an endpoint of a ServiceEntry,
// whose fields are f.
func (r *reader) workload(o object, n *yaml.Node, f fields, what string) *workload {
	w := &workload{object: o, at: n, labels: r.labels(f.get("labels"), what+".labels")}
	w.address, _ = r.str(f.get("address"), what+".address")
	w.network, _ = r.str(f.get("network"), what+".network")
	if l, ok := r.str(f.get("locality"), what+".locality"); ok && l != "" {
		w.locality, w.localityAt = l, f.get("locality")
	} else if l := localityLabel(w.labels); l != "" {
		w.locality, w.localityAt = sanitiseLocalityLabel(l), f.at("labels", n)
	}
	if v, ok := r.uint(f.get("weight"), what+".weight", 1<<32-1); ok {
		w.weight, w.weightAt = v, f.get("weight")
	}
	if w.network != "" {
		r.lint(f.at("network", n), ruleNotModelled, "%s: network %s is not modelled: geofence takes every client to reach this endpoint where it stands, as a network gateway would forward it", what, w.network)
	}
	return w
}

// serviceEntry reads a ServiceEntry spec.
func (r *reader) serviceEntry(o object, n *yaml.Node) *serviceEntry {
	what := o.String() + ": spec"
	f, ok := r.mapping(n, what, []string{"hosts", "ports", "location", "resolution", "endpoints", "workloadSelector", "exportTo"},
		ignored{"addresses", "subjectAltNames"})
	if !ok {
		return nil
	}
	se := &serviceEntry{object: o, hostsAt: f.at("hosts", n), spec: n}
	se.hosts = r.strings(f.get("hosts"), what+".hosts")
	if len(se.hosts) == 0 {
		r.problem(f.at("hosts", n), what, "hosts is missing or empty")
	}
	se.resolution, _ = r.str(f.get("resolution"), what+".resolution")
	if se.resolution == "" {
		se.resolution = "NONE"
	}
	for p := range r.mappings(f.get("ports"), what+".ports", []string{"number", "name"}, ignored{"protocol", "targetPort"}) {
		number, _ := r.uint(p.get("number"), p.what+".number", 65535)
		name, _ := r.str(p.get("name"), p.what+".name")
		se.ports = append(se.ports, port{number: number, name: name})
	}
	for e := range r.mappings(f.get("endpoints"), what+".endpoints", workloadFields, nil) {
		se.endpoints = append(se.endpoints, r.workload(o, e.node, e.fields, e.what))
	}
	if sel := f.get("workloadSelector"); sel != nil {
		if sf, ok := r.mapping(sel, what+".workloadSelector", []string{"labels"}, nil); ok {
			se.selector, se.selectorAt = r.labels(sf.get("labels"), what+".workloadSelector.labels"), f.at("workloadSelector", n)
		}
	}
	r.exportTo(f, n, o, what)
	return se
}

// exportTo refuses an exportTo that hides the resource from some
// namespaces: which namespace a population's clients are in, the model
// does not say.
func (r *reader) exportTo(f fields, n *yaml.Node, o object, what string) {
	to := r.strings(f.get("exportTo"), what+".exportTo")
	if f.get("exportTo") != nil && !slices.Contains(to, "*") {
		r.problem(f.at("exportTo", n), what+".exportTo", "%v hides %s from clients in other namespaces, which geofence does not model (it takes every population to see every resource): remove exportTo or add \"*\"", to, o)
	}
}

// destinationRule reads a DestinationRule spec.
func (r *reader) destinationRule(o object, n *yaml.Node) *destinationRule {
	what := o.String() + ": spec"
	f, ok := r.mapping(n, what, []string{"host", "trafficPolicy", "subsets", "exportTo", "workloadSelector"}, nil)
	if !ok {
		return nil
	}
	dr := &destinationRule{object: o, hostAt: f.at("host", n), subsets: map[string]*subset{}, spec: n}
	dr.host, _ = r.str(f.get("host"), what+".host")
	if dr.host == "" {
		r.problem(f.at("host", n), what, "host is missing")
	}
	if tp := f.get("trafficPolicy"); tp != nil {
		if dr.policy = r.trafficPolicy(tp, what+".trafficPolicy", true); dr.policy != nil {
			dr.policy.at = f.at("trafficPolicy", tp)
		}
	}
	for sn := range r.mappings(f.get("subsets"), what+".subsets", []string{"name", "labels", "trafficPolicy"}, nil) {
		s := &subset{at: sn.node, labels: r.labels(sn.get("labels"), sn.what+".labels")}
		s.name, _ = r.str(sn.get("name"), sn.what+".name")
		if tp := sn.get("trafficPolicy"); tp != nil {
			s.policy = r.trafficPolicy(tp, sn.what+".trafficPolicy", true)
		}
		dr.subsets[s.name] = s
	}
	if f.get("workloadSelector") != nil {
		r.problem(f.at("workloadSelector", n), what+".workloadSelector", "applies %s to the client workloads it selects only, which geofence cannot tell from populations: remove it, or import a file without it for the clients it selects", o)
	}
	r.exportTo(f, n, o, what)
	return dr
}

// trafficPolicy reads a TrafficPolicy or, with ports false, a port-level
// one.
func (r *reader) trafficPolicy(n *yaml.Node, what string, ports bool) *trafficPolicy {
	known := []string{"loadBalancer", "connectionPool", "outlierDetection"}
	if ports {
		known = append(known, "portLevelSettings", "retryBudget")
	} else {
		known = append(known, "port")
	}
	f, ok := r.mapping(n, what, known, ignored{"tls", "tunnel", "proxyProtocol"})
	if !ok {
		return nil
	}
	tp := &trafficPolicy{at: n}
	if lb := f.get("loadBalancer"); lb != nil {
		if tp.loadBalancer = r.loadBalancer(lb, what+".loadBalancer"); tp.loadBalancer != nil {
			tp.loadBalancer.at = f.at("loadBalancer", lb)
		}
	}
	if cp := f.get("connectionPool"); cp != nil {
		tp.pool = r.connectionPool(cp, what+".connectionPool")
	}
	if od := f.get("outlierDetection"); od != nil {
		if tp.outlier = r.outlierDetection(od, what+".outlierDetection"); tp.outlier != nil {
			tp.outlier.at = f.at("outlierDetection", od)
		}
	}
	if rb := f.get("retryBudget"); rb != nil {
		r.lint(f.at("retryBudget", n), ruleNotModelled, "%s.retryBudget is not modelled: geofence lets every request retry as Istio's default retry policy says", what)
	}
	if !ports {
		return tp
	}
	tp.ports, tp.portsAt = map[uint64]*trafficPolicy{}, map[uint64]*yaml.Node{}
	for i, pn := range r.list(f.get("portLevelSettings"), what+".portLevelSettings") {
		pw := fmt.Sprintf("%s.portLevelSettings[%d]", what, i)
		pp := r.trafficPolicy(pn, pw, false)
		if pp == nil {
			continue
		}
		number, ok := r.portNumber(pn, pw)
		if !ok {
			continue
		}
		if tp.ports[number] == nil { // Istio takes the first entry for a port
			tp.ports[number], tp.portsAt[number] = pp, pn
		}
	}
	return tp
}

// portNumber reads the port.number of a port-level policy.
func (r *reader) portNumber(n *yaml.Node, what string) (uint64, bool) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == "port" {
			pf, ok := r.mapping(n.Content[i+1], what+".port", []string{"number"}, nil)
			if !ok {
				return 0, false
			}
			return r.uint(pf.get("number"), what+".port.number", 65535)
		}
	}
	r.problem(n, what, "port is missing")
	return 0, false
}

// loadBalancer reads LoadBalancerSettings.
func (r *reader) loadBalancer(n *yaml.Node, what string) *loadBalancer {
	f, ok := r.mapping(n, what, []string{"simple", "consistentHash", "localityLbSetting", "zoneAwareLbSetting", "warmupDurationSecs", "warmup"}, nil)
	if !ok {
		return nil
	}
	lb := &loadBalancer{at: n}
	if s, _ := r.str(f.get("simple"), what+".simple"); s == "PASSTHROUGH" {
		r.problem(f.get("simple"), what+".simple", "PASSTHROUGH sends each connection to the address the client asked for, which geofence does not model: use ROUND_ROBIN, LEAST_REQUEST or RANDOM")
	}
	for _, name := range []string{"consistentHash", "zoneAwareLbSetting"} {
		if f.get(name) != nil {
			r.problem(f.at(name, n), what+"."+name, "is not modelled: geofence balances requests by the weights of localities and hosts; remove %s", name)
		}
	}
	for _, name := range []string{"warmupDurationSecs", "warmup"} {
		if f.get(name) != nil {
			r.lint(f.at(name, n), ruleNotModelled, "%s.%s is not modelled: a host that comes back gets its full share at once", what, name)
		}
	}
	if l := f.get("localityLbSetting"); l != nil {
		if lb.locality = r.localityLB(l, what+".localityLbSetting"); lb.locality != nil {
			lb.locality.at = f.at("localityLbSetting", l)
		}
	}
	return lb
}

// localityLB reads LocalityLoadBalancerSetting.
func (r *reader) localityLB(n *yaml.Node, what string) *localityLB {
	f, ok := r.mapping(n, what, []string{"enabled", "distribute", "failover", "failoverPriority"}, nil)
	if !ok {
		return nil
	}
	l := &localityLB{at: n, distributeAt: f.at("distribute", nil), failoverAt: f.at("failover", nil), failoverPriorityAt: f.at("failoverPriority", nil)}
	if e, ok := r.boolean(f.get("enabled"), what+".enabled"); ok {
		l.enabled, l.enabledAt = &e, f.at("enabled", n)
	}
	fromTo := []string{"from", "to"}
	for dn := range r.mappings(f.get("distribute"), what+".distribute", fromTo, nil) {
		d := distribute{at: dn.node, fromAt: dn.at("from", dn.node)}
		d.from, _ = r.str(dn.get("from"), dn.what+".from")
		if to := dn.get("to"); to != nil && to.Kind == yaml.MappingNode {
			for j := 0; j+1 < len(to.Content); j += 2 {
				k, v := to.Content[j], r.resolve(to.Content[j+1])
				if v == nil {
					break
				}
				w, ok := r.uint(v, dn.what+".to."+k.Value, 1<<32-1)
				if ok {
					d.to = append(d.to, distributeTo{locality: k.Value, weight: w, at: k})
				}
			}
		} else if to != nil {
			r.problem(to, dn.what+".to", "must be a mapping of localities to weights, got %s", scenarios.DescribeNode(to))
		}
		l.distribute = append(l.distribute, d)
	}
	for fn := range r.mappings(f.get("failover"), what+".failover", fromTo, nil) {
		fo := failover{at: fn.node, toAt: fn.at("to", fn.node)}
		fo.from, _ = r.str(fn.get("from"), fn.what+".from")
		fo.to, _ = r.str(fn.get("to"), fn.what+".to")
		l.failover = append(l.failover, fo)
	}
	l.failoverPriority = r.strings(f.get("failoverPriority"), what+".failoverPriority")
	return l
}

// connectionPool reads ConnectionPoolSettings: the connect timeout; the
// circuit breakers are told as not modelled.
func (r *reader) connectionPool(n *yaml.Node, what string) *connectionPool {
	f, ok := r.mapping(n, what, []string{"tcp", "http"}, nil)
	if !ok {
		return nil
	}
	cp := &connectionPool{}
	if tcp := f.get("tcp"); tcp != nil {
		tf, ok := r.mapping(tcp, what+".tcp", []string{"connectTimeout", "maxConnections"}, ignored{"tcpKeepalive", "maxConnectionDuration", "idleTimeout"})
		if ok {
			if d, ok := r.duration(tf.get("connectTimeout"), what+".tcp.connectTimeout"); ok {
				cp.connectTimeout, cp.connectTimeoutAt = d, tf.get("connectTimeout")
			}
			if tf.get("maxConnections") != nil {
				r.lint(tf.at("maxConnections", tcp), ruleNotModelled, "%s.tcp.maxConnections is not modelled: geofence takes Istio's default circuit breakers, which never trip", what)
			}
		}
	}
	if h := f.get("http"); h != nil {
		hf, ok := r.mapping(h, what+".http", []string{"http1MaxPendingRequests", "http2MaxRequests", "maxRequestsPerConnection", "maxRetries", "maxConcurrentStreams"},
			ignored{"idleTimeout", "h2UpgradePolicy", "useClientProtocol", "http2KeepAlive"})
		if ok {
			for _, name := range []string{"http1MaxPendingRequests", "http2MaxRequests", "maxRetries", "maxConcurrentStreams"} {
				if hf.get(name) != nil {
					r.lint(hf.at(name, h), ruleNotModelled, "%s.http.%s is not modelled: geofence takes Istio's default circuit breakers, which never trip", what, name)
				}
			}
		}
	}
	return cp
}

// outlierDetection reads OutlierDetection.
func (r *reader) outlierDetection(n *yaml.Node, what string) *outlierDetection {
	f, ok := r.mapping(n, what, []string{"consecutiveErrors", "splitExternalLocalOriginErrors", "consecutiveLocalOriginFailures",
		"consecutiveGatewayErrors", "consecutive5xxErrors", "interval", "baseEjectionTime", "maxEjectionPercent", "minHealthPercent",
		"outlierDetectionHttpErrorCodes"}, nil)
	if !ok {
		return nil
	}
	od := &outlierDetection{at: n}
	if v, ok := r.uint(f.get("consecutive5xxErrors"), what+".consecutive5xxErrors", 1<<32-1); ok {
		od.consecutive5xx, od.consecutive5xxAt = &v, f.get("consecutive5xxErrors")
	}
	if v, ok := r.uint(f.get("consecutiveGatewayErrors"), what+".consecutiveGatewayErrors", 1<<32-1); ok {
		od.consecutiveGateway, od.consecutiveGatewayAt = &v, f.get("consecutiveGatewayErrors")
	}
	if d, ok := r.duration(f.get("interval"), what+".interval"); ok {
		od.interval, od.intervalAt = &d, f.get("interval")
	}
	if d, ok := r.duration(f.get("baseEjectionTime"), what+".baseEjectionTime"); ok {
		od.baseEjection, od.baseEjectionAt = &d, f.get("baseEjectionTime")
	}
	if v, ok := r.uint(f.get("maxEjectionPercent"), what+".maxEjectionPercent", 100); ok {
		od.maxEjection, od.maxEjectionAt = v, f.get("maxEjectionPercent")
	}
	if v, ok := r.uint(f.get("minHealthPercent"), what+".minHealthPercent", 100); ok {
		od.minHealth, od.minHealthAt = v, f.get("minHealthPercent")
	}
	if f.get("consecutiveErrors") != nil {
		r.lint(f.at("consecutiveErrors", n), ruleNotModelled, "%s.consecutiveErrors is deprecated and Istio ignores it: consecutive5xxErrors applies (5 when absent)", what)
	}
	if split, _ := r.boolean(f.get("splitExternalLocalOriginErrors"), what+".splitExternalLocalOriginErrors"); split {
		r.problem(f.at("splitExternalLocalOriginErrors", n), what+".splitExternalLocalOriginErrors", "is not modelled: geofence counts every refused or failed attempt as one consecutive error; remove it")
	}
	if f.get("outlierDetectionHttpErrorCodes") != nil {
		r.problem(f.at("outlierDetectionHttpErrorCodes", n), what+".outlierDetectionHttpErrorCodes", "is not modelled: geofence counts every refused or failed attempt as a 503; remove it")
	}
	return od
}
