package consul

import (
	"github.com/geofence/geofence/scenarios/internal/tree"
	"github.com/geofence/geofence/scenarios/terraform"
)

// maxNearestN bounds NearestN: Consul takes any non-negative number, and
// more than the federation's datacenters means all of them.
const maxNearestN = 1 << 20

// addQuery reads a prepared query as the HTTP API takes it (POST
// /v1/query; api.PreparedQueryDefinition).
func (c *Config) addQuery(r *tree.Reader, n *tree.Node) {
	q := &Query{File: r.File, Node: n}
	o := r.Object(n, "a prepared query")
	q.Name, _ = o.String("Name")
	if t := r.Object(o.Take("Template"), "Template"); t.Node() != nil {
		typ, tn := t.String("Type")
		switch {
		case typ != "name_prefix_match":
			r.Errorf(tn, "template type %q is not modelled: only name_prefix_match", typ)
		default:
			q.Template = true
		}
		t.Refuse("Regexp", "a regular expression's captures can change the service the query serves")
		t.Ignore("RemoveEmptyTags")
		t.Done("Template")
	}
	svc := r.Object(o.Take("Service"), "Service")
	if svc.Node() == nil {
		r.Errorf(n, "a prepared query needs a Service")
	}
	q.Service, _ = svc.String("Service")
	if f := r.Object(svc.Take("Failover"), "Failover"); f.Node() != nil {
		q.readFailover(r, f, apiKeys)
	}
	q.OnlyPassing, q.PassingNode = svc.Bool("OnlyPassing")
	warnFilters(r, svc, "Tags", "NodeMeta", "ServiceMeta")
	if ids := svc.Take("IgnoreCheckIDs"); !ids.Empty() {
		r.Warnf(ids, "ignored checks are not modelled: a datacenter's health is its one check, which counts")
	}
	svc.Refuse("SamenessGroup", "a sameness group's members and their order come from another config entry")
	svc.Ignore("Namespace", "Partition", "Near", "Connect", "Peer")
	svc.Done("Service")
	if dns := r.Object(o.Take("DNS"), "DNS"); dns.Node() != nil {
		q.TTL, _ = duration(r, dns, "TTL")
		dns.Done("DNS")
	}
	o.Ignore("ID", "Session", "Token", "CreateIndex", "ModifyIndex")
	o.Done("a prepared query")
	c.Queries = append(c.Queries, q)
}

// failoverKeys names a query's failover fields in one of its forms.
type failoverKeys struct {
	block, nearestN, datacenters, targets, datacenter string
	peers                                             []string
}

var (
	// The API's (PeerName in the documentation, Peer in the Go client).
	apiKeys = failoverKeys{"Failover", "NearestN", "Datacenters", "Targets", "Datacenter", []string{"PeerName", "Peer"}}
	// Terraform's consul_prepared_query.
	terraformKeys = failoverKeys{"failover", "nearest_n", "datacenters", "targets", "datacenter", []string{"peer"}}
)

// readFailover reads a query's failover: NearestN, then Datacenters, or
// Targets (which Consul refuses with either of the others).
func (q *Query) readFailover(r *tree.Reader, f *tree.Object, k failoverKeys) {
	n64, nn := f.Int(k.nearestN, 0, maxNearestN)
	q.NearestN, q.NearestNNode = int(n64), nn
	dcs, dcNodes, _ := f.Strings(k.datacenters)
	for i, dc := range dcs {
		q.Datacenters = append(q.Datacenters, Ref{Name: dc, Node: dcNodes[i]})
	}
	targets := f.Take(k.targets)
	if !targets.Empty() && (q.NearestN > 0 || len(dcs) > 0) {
		r.Errorf(targets, "%s cannot be populated with %s or %s (Consul refuses the query)", k.targets, k.nearestN, k.datacenters)
	}
	for _, t := range r.List(targets) {
		q.Datacenters = append(q.Datacenters, readTarget(r, t, k.datacenter, k.peers))
	}
	f.Done(k.block)
}

// warnFilters warns about instance filters: the model places instances by
// datacenter, so a filter that empties a datacenter is not seen.
func warnFilters(r *tree.Reader, o *tree.Object, keys ...string) {
	for _, k := range keys {
		if n := o.Take(k); !n.Empty() {
			r.Warnf(n, "%s filters instances, which the model does not hold: every datacenter is taken to have matching ones", k)
		}
	}
}

// readTerraformQuery reads a consul_prepared_query resource of the
// Terraform Consul provider (its snake_case attributes; nested blocks as
// lists of one).
func readTerraformQuery(r *tree.Reader, res *terraform.Resource) *Query {
	q := &Query{File: r.File, Node: res.Node}
	o := r.Object(res.Values, "consul_prepared_query")
	q.Name, _ = o.String("name")
	q.Service, _ = o.String("service")
	q.Datacenter, _ = o.String("datacenter")
	if f := r.Block(o.Take("failover")); f != nil {
		q.readFailover(r, r.Object(f, "failover"), terraformKeys)
	}
	if t := r.Block(o.Take("template")); t != nil {
		to := r.Object(t, "template")
		if typ, tn := to.String("type"); typ != "name_prefix_match" {
			r.Errorf(tn, "template type %q is not modelled: only name_prefix_match", typ)
		}
		q.Template = true
		to.Refuse("regexp", "a regular expression's captures can change the service the query serves")
		to.Ignore("remove_empty_tags")
		to.Done("template")
	}
	q.OnlyPassing, q.PassingNode = o.Bool("only_passing")
	if d := r.Block(o.Take("dns")); d != nil {
		do := r.Object(d, "dns")
		q.TTL, _ = duration(r, do, "ttl")
		do.Done("dns")
	}
	warnFilters(r, o, "tags", "node_meta", "service_meta")
	if ids := o.Take("ignore_check_ids"); !ids.Empty() {
		r.Warnf(ids, "ignored checks are not modelled: a datacenter's health is its one check, which counts")
	}
	o.Ignore("id", "session", "token", "stored_token", "near", "connect", "namespace", "partition")
	o.Done("consul_prepared_query")
	return q
}
