// Package consul imports Consul's service failover: prepared queries
// (the HTTP API's JSON body, or Terraform's consul_prepared_query from
// `terraform show -json`) and service-resolver config entries (HCL or JSON
// as `consul config write` reads them, or the Kubernetes ServiceResolver
// resource). A query or resolver tries the local datacenter, then (a
// query's NearestN) the nearest others by round-trip time among every
// federated datacenter, then its Datacenters (or Targets) in order; the
// first with any healthy instance takes the whole query.
package consul

import (
	"path/filepath"
	"strings"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/internal/tree"
	"github.com/geofence/geofence/scenarios/terraform"
)

// Ref is a datacenter (or cluster peer) a file names, where it names it.
type Ref struct {
	Name string
	Peer bool // a cluster peer (Targets[].Peer or PeerName), not a datacenter
	Node *tree.Node
}

// Query is a prepared query.
type Query struct {
	File    string
	Node    *tree.Node
	Name    string // "" for a catch-all template
	Service string
	// Datacenter is where the query is defined (queries are per
	// datacenter; Terraform's datacenter); "" when the file does not say,
	// and the query is taken to be defined in every datacenter.
	Datacenter   string
	Template     bool // a name_prefix_match template: serves every service whose name starts with Name
	NearestN     int
	NearestNNode *tree.Node
	Datacenters  []Ref // Failover.Datacenters, or the datacenters and peers of Failover.Targets
	OnlyPassing  bool
	PassingNode  *tree.Node
	TTL          scenarios.Duration // DNS.TTL: how long DNS answers for the query are cached
}

// Resolver is a service-resolver config entry.
type Resolver struct {
	File           string
	Node           *tree.Node
	Name           string
	DefaultSubset  string
	OnlyPassing    map[string]bool // subset name -> its OnlyPassing
	Filtered       map[string]*tree.Node
	Failover       map[string]*FailoverEntry // by subset name, "*" for any
	ConnectTimeout scenarios.Duration        // 0 when not given
	TimeoutNode    *tree.Node
}

// FailoverEntry is one subset's failover: datacenters (or peers) tried in
// order after the primary.
type FailoverEntry struct {
	Node    *tree.Node
	Targets []Ref
}

// Config is what one or more files hold.
type Config struct {
	Queries   []*Query
	Resolvers []*Resolver
}

// Read adds the queries and resolvers of one file to c, reporting problems
// to r. The file's syntax is told by its name and first character: .hcl
// is HCL; .yaml and .yml Kubernetes resources; JSON is a config entry
// (with Kind), a prepared query or a list of them (the API's body and GET
// output), or `terraform show -json` output (with format_version).
func (c *Config) Read(r *tree.Reader, data []byte) {
	r.Fold = tree.FoldConsul
	file := r.File
	ext := strings.ToLower(filepath.Ext(file))
	trimmed := strings.TrimSpace(string(data))
	syntaxError := func(e *tree.SyntaxError) {
		r.Errors.Add(scenarios.Problem{File: file, Line: e.Pos.Line, Column: e.Pos.Column, Msg: e.Msg})
	}
	switch {
	case ext == ".yaml" || ext == ".yml":
		docs, err := yamlDocuments(data)
		if err != nil {
			syntaxError(err)
			return
		}
		for _, d := range docs {
			c.readManifest(r, d)
		}
	case strings.HasPrefix(trimmed, "{") || strings.HasPrefix(trimmed, "["):
		root, err := tree.ParseJSON(data)
		if err != nil {
			syntaxError(err)
			return
		}
		c.readJSON(r, root)
	default:
		root, err := parseHCL(data)
		if err != nil {
			syntaxError(err)
			return
		}
		c.readEntry(r, root)
	}
}

func (c *Config) readJSON(r *tree.Reader, root *tree.Node) {
	switch {
	case root.Kind == tree.List:
		for _, q := range root.Items {
			c.addQuery(r, q)
		}
	case root.Get("format_version") != nil:
		r.Fold = nil // Terraform's names are exact
		f := terraform.Read(r, root)
		if f == nil {
			return
		}
		for _, res := range f.OfType("consul_prepared_query") {
			c.Queries = append(c.Queries, readTerraformQuery(r, res))
		}
	case root.Get("Kind") != nil || root.Get("kind") != nil:
		c.readEntry(r, root)
	default:
		c.addQuery(r, root)
	}
}

// readEntry reads a config entry of HCL or JSON; only service-resolver
// entries place traffic in datacenters.
func (c *Config) readEntry(r *tree.Reader, n *tree.Node) {
	o := r.Object(n, "a config entry")
	kind, kn := o.String("Kind")
	if kn == nil {
		r.Errorf(n, "a config entry needs a Kind (the file is neither a prepared query nor terraform show -json output)")
		return
	}
	if kind != "service-resolver" {
		r.Warnf(kn, "a %s config entry is not read: only service-resolver entries fail over between datacenters", kind)
		return
	}
	c.Resolvers = append(c.Resolvers, readResolver(r, o, "", n))
}

// readManifest reads one Kubernetes resource; only ServiceResolver
// (consul.hashicorp.com) is read.
func (c *Config) readManifest(r *tree.Reader, n *tree.Node) {
	o := r.Object(n, "a Kubernetes resource")
	api, _ := o.String("apiVersion")
	kind, kn := o.String("kind")
	if !strings.HasPrefix(api, "consul.hashicorp.com/") || kind != "ServiceResolver" {
		if kn != nil {
			r.Warnf(kn, "a %s resource is not read: only Consul's ServiceResolver fails over between datacenters", kind)
		}
		return
	}
	meta := r.Object(o.Take("metadata"), "metadata")
	name, nn := meta.String("name")
	meta.Ignore("namespace", "labels", "annotations", "uid", "resourceVersion", "generation", "creationTimestamp", "finalizers", "managedFields")
	meta.Done("metadata")
	o.Ignore("status")
	spec := r.Object(o.Take("spec"), "spec")
	o.Done("a ServiceResolver")
	res := readResolver(r, spec, name, n)
	if res.Name == "" && nn == nil {
		r.Errorf(n, "a ServiceResolver needs metadata.name, the service it resolves")
	}
	c.Resolvers = append(c.Resolvers, res)
}
