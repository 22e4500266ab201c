package consul

import (
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/internal/tree"
)

// readResolver reads a service-resolver's fields (api.ServiceResolverConfigEntry;
// the Kubernetes spec has the same fields in camelCase, which Consul's
// case-insensitive key matching reads alike). name is the resolver's
// name when it comes from elsewhere (metadata.name).
func readResolver(r *tree.Reader, o *tree.Object, name string, at *tree.Node) *Resolver {
	res := &Resolver{File: r.File, Node: at, Name: name, OnlyPassing: map[string]bool{}, Filtered: map[string]*tree.Node{}, Failover: map[string]*FailoverEntry{}}
	if n, nn := o.String("Name"); nn != nil {
		res.Name = n
	}
	res.DefaultSubset, _ = o.String("DefaultSubset")
	subsets := r.Object(o.Take("Subsets"), "Subsets")
	for _, f := range subsets.Members() {
		so := r.Object(f.Value, "a subset")
		if filter, fn := so.String("Filter"); filter != "" {
			res.Filtered[f.Key] = fn
		}
		res.OnlyPassing[f.Key], _ = so.Bool("OnlyPassing")
		so.Done("a subset")
	}
	o.Refuse("Redirect", "a redirect resolves another service, subset or datacenter in place of this one, and Consul then ignores every other field")
	failover := r.Object(o.Take("Failover"), "Failover")
	for _, f := range failover.Members() {
		res.Failover[f.Key] = readFailover(r, f.Value)
	}
	res.ConnectTimeout, res.TimeoutNode = duration(r, o, "ConnectTimeout")
	o.Ignore("Kind", "Namespace", "Partition", "Meta", "RequestTimeout", "LoadBalancer", "PrioritizeByLocality", "CreateIndex", "ModifyIndex")
	o.Done("a service-resolver")
	return res
}

// readFailover reads one Failover entry (api.ServiceResolverFailover).
func readFailover(r *tree.Reader, n *tree.Node) *FailoverEntry {
	e := &FailoverEntry{Node: n}
	o := r.Object(n, "a failover entry")
	dcs, dcNodes, dcList := o.Strings("Datacenters")
	for i, dc := range dcs {
		e.Targets = append(e.Targets, Ref{Name: dc, Node: dcNodes[i]})
	}
	targets := o.Take("Targets")
	if len(dcs) > 0 && !targets.Empty() {
		r.Errorf(dcList, "Datacenters and Targets cannot both be given (Consul refuses the entry)")
	}
	for _, t := range r.List(targets) {
		e.Targets = append(e.Targets, readTarget(r, t, "Datacenter", []string{"Peer"}))
	}
	if mode, mn := r.Object(o.Take("Policy"), "Policy").String("Mode"); mode != "" && mode != "sequential" {
		r.Errorf(mn, "failover policy mode %q is not modelled: only sequential failover (the default) is", mode)
	}
	o.Refuse("SamenessGroup", "a sameness group's members and their order come from another config entry")
	o.Ignore("Service", "ServiceSubset", "Namespace")
	o.Done("a failover entry")
	return e
}

// readTarget reads a failover target: a datacenter or a cluster peer,
// under the keys given (a peer's field has several names).
func readTarget(r *tree.Reader, n *tree.Node, dcKey string, peerKeys []string) Ref {
	o := r.Object(n, "a failover target")
	dc, dn := o.String(dcKey)
	var peer string
	var pn *tree.Node
	for _, k := range peerKeys {
		if p, at := o.String(k); at != nil && pn == nil {
			peer, pn = p, at
		}
	}
	o.Ignore("Service", "ServiceSubset", "Namespace", "Partition")
	o.Done("a failover target")
	switch {
	case dc != "" && peer != "":
		r.Errorf(n, "a failover target names a datacenter or a peer, not both")
	case peer != "":
		return Ref{Name: peer, Peer: true, Node: pn}
	case dc == "":
		r.Errorf(n, "a failover target needs a Datacenter or a Peer")
		return Ref{Node: n}
	}
	return Ref{Name: dc, Node: dn}
}

// duration takes a Go duration string ("2s", "500ms").
func duration(r *tree.Reader, o *tree.Object, key string) (scenarios.Duration, *tree.Node) {
	s, n := o.String(key)
	if s == "" {
		return 0, n
	}
	d, err := scenarios.ParseDuration(s)
	if err != nil {
		r.Errorf(n, "%v", err)
	}
	return d, n
}
