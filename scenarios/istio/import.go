package istio

import (
	"fmt"
	"slices"

	"go.yaml.in/yaml/v3"

	"github.com/geofence/geofence/scenarios"
)

// Istio's defaults for what a DestinationRule leaves out, and Envoy's for
// what Istio leaves to it.
const (
	meshConnectTimeout = scenarios.Duration(10) // meshConfig.connectTimeout (pkg/config/mesh/mesh.go)
	defaultRetries     = 2                      // num_retries of Istio's default retry policy (route/retry/retry.go)
	envoyPanic         = 50                     // Envoy's healthy_panic_threshold, kept when there is no outlierDetection
	envoyFactor        = 140                    // Envoy's overprovisioning_factor; Istio sets none
)

// importer holds what one import reads and makes.
type importer struct {
	s        *scenarios.Scenario
	rs       resources
	problems scenarios.Problems
	lints    []scenarios.ImportLint
	out      scenarios.Imported
}

// Import reads Istio's DestinationRule, ServiceEntry and WorkloadEntry
// files and compiles, for each population, a route of its own whose
// imported planes are balance routes: the priorities Istio gives a client
// at the population's locality, the weights, and what Istio sets Envoy's
// outlier detection, panic threshold, retries and connect timeout to. base
// is the index in Routing.Routes the first route will have; every value of
// the routes is located in the files.
func Import(s *scenarios.Scenario, files []scenarios.ImportFile, base int) (scenarios.Imported, scenarios.Problems) {
	im := &importer{s: s, out: scenarios.Imported{Positions: map[string]scenarios.Position{}}}
	unreadable := false
	for _, f := range files {
		r := &reader{file: f.Name}
		unreadable = !r.read(f.Data, &im.rs) || unreadable
		im.problems = append(im.problems, r.problems...)
		im.lints = append(im.lints, r.lints...)
	}
	if unreadable { // what a file would have defined is anyone's guess
		return scenarios.Imported{}, im.problems
	}
	services := im.services()
	im.validate()
	clients := im.clients()
	if len(im.problems) > 0 {
		return scenarios.Imported{}, im.problems
	}
	for _, svc := range services {
		im.serviceLints(svc)
	}
	for pi := range s.Populations {
		im.route(base+len(im.out.Routes), pi, clients[pi], services)
	}
	im.clientLints(services, clients)
	im.out.Lints = im.lints
	return im.out, nil
}

// problem reports what is wrong at node n of file.
func (im *importer) problem(file string, n *yaml.Node, what, format string, args ...any) {
	msg := fmt.Sprintf(format, scenarios.ClipArgs(args)...)
	if what != "" {
		msg = what + ": " + msg
	}
	im.problems = append(im.problems, scenarios.Problem{File: file, Line: n.Line, Column: n.Column, Msg: msg})
}

// scenarioProblem reports what is wrong with the scenario's value at path.
func (im *importer) scenarioProblem(path, format string, args ...any) {
	im.problems = append(im.problems, scenarios.Problem{Path: path, Msg: path + ": " + fmt.Sprintf(format, scenarios.ClipArgs(args)...)})
}

// client is a population as Istio sees its proxy: its locality and the
// topology labels Istio gives the proxy from it.
type client struct {
	loc    locality
	labels map[string]string
}

// clients reads each population's locality; a population without one
// cannot be placed.
func (im *importer) clients() []client {
	out := make([]client, len(im.s.Populations))
	for i, p := range im.s.Populations {
		path := scenarios.Join(scenarios.Index("populations", i), "locality")
		if p.Locality == "" {
			im.scenarioProblem(path, "population %q has no locality: Istio orders endpoints by the locality of the client's proxy (REGION/ZONE/SUBZONE), so routing.import needs it", p.ID)
			continue
		}
		out[i] = client{loc: parseLocality(p.Locality), labels: map[string]string{}}
		out[i].loc.topologyLabels(out[i].labels)
	}
	return out
}

// route compiles population pi's own route, numbered ri, with a balance
// route for each imported plane, and locates its values.
func (im *importer) route(ri, pi int, c client, services []*service) {
	r := scenarios.Route{Population: im.s.Populations[pi].ID, Imported: "istio"}
	at := func(path string, file string, n *yaml.Node) {
		if n != nil {
			im.out.Positions[path] = scenarios.Position{File: file, Line: n.Line, Column: n.Column}
		}
	}
	for k, svc := range services {
		pr := scenarios.PlaneRoute{Balance: im.balance(svc, c, scenarios.PlaneRoutePath(ri, svc.plane), at)}
		switch svc.plane {
		case scenarios.Media:
			r.Media = pr
		case scenarios.Keys:
			r.Keys = scenarios.KeyRoute{PlaneRoute: pr}
		default:
			r.Connector = &pr
		}
		if k == 0 {
			at(scenarios.RoutePath(ri), svc.lbFile(), svc.lbAt())
		}
	}
	im.out.Routes = append(im.out.Routes, r)
}

// balance is the balance route of svc for client c, at path; at records
// where each of its values is written.
func (im *importer) balance(svc *service, c client, path string, at func(path, file string, n *yaml.Node)) *scenarios.Balance {
	lbFile := svc.lbFile()
	b := &scenarios.Balance{
		Overprovisioning: ptr(envoyFactor),
		PanicThreshold:   ptr(envoyPanic),
		Retries:          ptr(defaultRetries),
		ConnectTimeout:   ptr(meshConnectTimeout),
	}
	balancePath := scenarios.Join(path, "balance")
	at(path, lbFile, svc.lbAt())
	at(balancePath, lbFile, svc.lbAt())
	for _, f := range []string{"priorities", "overprovisioning", "locality_weighted", "retries", "panic_threshold", "connect_timeout"} {
		at(scenarios.Join(balancePath, f), lbFile, svc.lbAt())
	}
	l := svc.setting()
	od := svc.policy.outlier
	// ApplyToCluster: locality weights count with distribute, or with
	// failover or failoverPriority when outlier detection is on.
	b.LocalityWeighted = l != nil && (len(l.distribute) > 0 || od != nil && (len(l.failover) > 0 || len(l.failoverPriority) > 0))
	if p := svc.policy.pool; p != nil && p.connectTimeoutAt != nil {
		b.ConnectTimeout = ptr(p.connectTimeout)
		at(scenarios.Join(balancePath, "connect_timeout"), lbFile, p.connectTimeoutAt)
	}
	if od != nil {
		b.OutlierDetection, b.PanicThreshold = im.outlier(od, scenarios.Join(balancePath, "outlier_detection"), lbFile, at), ptr(int(od.minHealth))
		at(scenarios.Join(balancePath, "panic_threshold"), lbFile, firstNode(od.minHealthAt, od.at))
	}
	entries := im.place(svc, c.loc, c.labels)
	for _, e := range entries {
		for len(b.Priorities) <= e.priority {
			b.Priorities = append(b.Priorities, nil)
		}
		dc := im.s.Datacenters[e.group.datacenter].ID
		level := &b.Priorities[e.priority]
		i := slices.IndexFunc(*level, func(l scenarios.BalanceLocality) bool { return l.Datacenter == dc })
		if i >= 0 { // localities in one datacenter and one priority are one locality of the model
			*(*level)[i].Weight += int(e.weight)
			*(*level)[i].Hosts += len(e.endpoints)
			continue
		}
		*level = append(*level, scenarios.BalanceLocality{Datacenter: dc, Weight: ptr(int(e.weight)), Hosts: ptr(len(e.endpoints))})
		lp := scenarios.Index(scenarios.Index(scenarios.Join(balancePath, "priorities"), e.priority), len(*level)-1)
		file := e.endpoints[0].file
		if e.catchAll || e.named {
			file = lbFile
		}
		at(lp, file, e.why)
		at(scenarios.Join(lp, "datacenter"), file, e.why)
		at(scenarios.Join(lp, "weight"), file, e.why)
		if w := e.endpoints[0].weightAt; w != nil && !e.named {
			at(scenarios.Join(lp, "weight"), e.endpoints[0].file, w)
		}
		at(scenarios.Join(lp, "hosts"), e.endpoints[0].file, e.endpoints[0].at)
		if len(*level) == 1 {
			at(scenarios.Index(scenarios.Join(balancePath, "priorities"), e.priority), file, e.why)
		}
	}
	return b
}

// outlier is the outlier detection Istio configures Envoy with
// (applyOutlierDetection): ejection after consecutive5xxErrors (5 when
// absent; 0 turns it off) or, when set above 0, consecutiveGatewayErrors —
// every refused or failed attempt is a 503, which counts for both, so the
// smaller threshold in force ejects; and Envoy's defaults for what is
// left out.
func (im *importer) outlier(od *outlierDetection, path, file string, at func(path, file string, n *yaml.Node)) *scenarios.OutlierDetection {
	out := &scenarios.OutlierDetection{
		ConsecutiveErrors:  ptr(scenarios.DefaultConsecutiveErrors),
		Interval:           ptr(scenarios.DefaultOutlierInterval),
		BaseEjectionTime:   ptr(scenarios.DefaultBaseEjectionTime),
		MaxEjectionPercent: ptr(scenarios.DefaultMaxEjectionPercent),
	}
	at(path, file, od.at)
	for _, f := range []string{"consecutive_errors", "interval", "base_ejection_time", "max_ejection_percent"} {
		at(scenarios.Join(path, f), file, od.at)
	}
	threshold := uint64(scenarios.DefaultConsecutiveErrors)
	thresholdAt := od.at
	if od.consecutive5xx != nil {
		threshold, thresholdAt = *od.consecutive5xx, od.consecutive5xxAt
	}
	if g := od.consecutiveGateway; g != nil && *g > 0 && (threshold == 0 || *g < threshold) {
		threshold, thresholdAt = *g, od.consecutiveGatewayAt
	}
	out.ConsecutiveErrors = ptr(int(min(threshold, 1_000_000)))
	at(scenarios.Join(path, "consecutive_errors"), file, thresholdAt)
	if od.interval != nil {
		out.Interval = od.interval
		at(scenarios.Join(path, "interval"), file, od.intervalAt)
	}
	if od.baseEjection != nil {
		out.BaseEjectionTime = od.baseEjection
		at(scenarios.Join(path, "base_ejection_time"), file, od.baseEjectionAt)
	}
	if od.maxEjection > 0 {
		out.MaxEjectionPercent = ptr(int(od.maxEjection))
		at(scenarios.Join(path, "max_ejection_percent"), file, od.maxEjectionAt)
	}
	return out
}

func ptr[T any](v T) *T { return &v }

// firstNode is the first of nodes that is not nil.
func firstNode(nodes ...*yaml.Node) *yaml.Node {
	for _, n := range nodes {
		if n != nil {
			return n
		}
	}
	return nil
}
