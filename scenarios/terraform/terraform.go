// Package terraform reads what `terraform show -json` writes for a plan or
// a state (the one versioned format in which Terraform-managed
// configuration sits in a repository): every resource it holds or will
// create, with each value located in the file, the values a plan knows
// only after apply, and the references its configuration makes.
//
// The format is documented in Terraform's "JSON Output Format"
// (internals/json-format): format_version 1.x; values under
// planned_values (a plan) or values (a state), modules nested under
// child_modules; unknown values omitted there and marked true under the
// resource change's after_unknown; configuration expressions as
// constant_value or references.
package terraform

import (
	"strconv"
	"strings"

	"github.com/geofence/geofence/scenarios/internal/tree"
)

// Resource is one resource instance of a plan or state.
type Resource struct {
	Address string // e.g. module.media_geo.aws_route53_record.geo["EU"]
	Module  string // e.g. module.media_geo; "" for the root module
	Type    string
	Name    string
	Node    *tree.Node // the resource's object in the file
	Values  *tree.Node // its attributes
	// Unknown marks the attributes a plan knows only after apply (the
	// change's after_unknown); nil in a state.
	Unknown *tree.Node
	// Config is the resource's block in the plan's configuration: its
	// expressions, with the references they make; nil in a state.
	Config *tree.Node
}

// IsUnknown reports whether attribute name is known only after apply.
func (r *Resource) IsUnknown(name string) bool {
	u := r.Unknown.Get(name)
	return u != nil && u.Kind == tree.Bool && u.Text == "true"
}

// References returns what the configuration's expression for attribute
// name refers to, with the resource's module prefix added so that each
// is a resource address of the file (e.g. "aws_route53_health_check.eu"),
// and the expression's node; nil when there is none.
func (r *Resource) References(name string) ([]string, *tree.Node) {
	expr := r.Config.Get("expressions").Get(name)
	refs := expr.Get("references")
	if refs == nil || refs.Kind != tree.List {
		return nil, expr
	}
	var out []string
	for _, it := range refs.Items {
		if it.Kind == tree.String {
			out = append(out, prefixed(r.Module, it.Text))
		}
	}
	return out, expr
}

func prefixed(module, address string) string {
	if module == "" {
		return address
	}
	return module + "." + address
}

// File is a plan or a state as `terraform show -json` writes it.
type File struct {
	Plan      bool
	Resources []Resource
}

// Read reads the plan or state at root, reporting problems to r.
func Read(r *tree.Reader, root *tree.Node) *File {
	o := r.Object(root, "terraform show -json output")
	version, vnode := o.String("format_version")
	if vnode == nil {
		r.Errorf(root, "no format_version: this is not `terraform show -json` output")
		return nil
	}
	if major, _, _ := strings.Cut(version, "."); major != "0" && major != "1" {
		r.Errorf(vnode, "format_version %q is not supported: Terraform's JSON output is read at format 1.x", version)
		return nil
	}
	o.Ignore("terraform_version", "variables", "output_changes", "prior_state", "relevant_attributes",
		"checks", "timestamp", "errored", "complete", "deferred_changes", "action_invocations", "resource_drift", "applyable")
	f := &File{}
	planned, state := o.Take("planned_values"), o.Take("values")
	changes, config := o.Take("resource_changes"), o.Take("configuration")
	o.Done("terraform show -json output")
	values := state
	if planned != nil {
		f.Plan, values = true, planned
	}
	if values == nil || values.Kind == tree.Null {
		return f // an empty state
	}
	unknown := map[string]*tree.Node{}
	for _, c := range r.List(changes) {
		if addr := c.Get("address"); addr != nil && addr.Kind == tree.String {
			unknown[addr.Text] = c.Get("change").Get("after_unknown")
		}
	}
	configs := map[string]*tree.Node{}
	configResources(config.Get("root_module"), "", configs)
	f.modules(r, r.Object(values, "values").Take("root_module"), "", unknown, configs)
	return f
}

// modules adds the resources of module m and of its child modules.
func (f *File) modules(r *tree.Reader, m *tree.Node, module string, unknown, configs map[string]*tree.Node) {
	if m == nil || m.Kind != tree.Map {
		return
	}
	for _, res := range r.List(m.Get("resources")) {
		if res.Kind != tree.Map {
			continue
		}
		text := func(k string) string {
			if v := res.Get(k); v != nil && v.Kind == tree.String {
				return v.Text
			}
			return ""
		}
		if text("mode") == "data" {
			continue
		}
		addr := text("address")
		f.Resources = append(f.Resources, Resource{
			Address: addr, Module: module, Type: text("type"), Name: text("name"),
			Node: res, Values: res.Get("values"), Unknown: unknown[addr],
			Config: configs[prefixed(module, text("type")+"."+text("name"))],
		})
	}
	for _, child := range r.List(m.Get("child_modules")) {
		if a := child.Get("address"); a != nil && a.Kind == tree.String {
			f.modules(r, child, a.Text, unknown, configs)
		}
	}
}

// configResources indexes the resource blocks of configuration module m
// (whose instances' addresses start with module) and of the modules it
// calls, by the address of the block: module.a.module.b.TYPE.NAME.
func configResources(m *tree.Node, module string, into map[string]*tree.Node) {
	if m == nil || m.Kind != tree.Map {
		return
	}
	if rs := m.Get("resources"); rs != nil && rs.Kind == tree.List {
		for _, res := range rs.Items {
			if a := res.Get("address"); a != nil && a.Kind == tree.String {
				into[prefixed(module, a.Text)] = res
			}
		}
	}
	if calls := m.Get("module_calls"); calls != nil && calls.Kind == tree.Map {
		for _, call := range calls.Fields {
			configResources(call.Value.Get("module"), prefixed(module, "module."+call.Key), into)
		}
	}
}

// Instances returns the resources of the file whose address is address,
// or whose address without its instance key ([0], ["EU"]) is: a
// reference names a resource block, and count or for_each may make
// several instances of it.
func (f *File) Instances(address string) []*Resource {
	var out []*Resource
	for i := range f.Resources {
		a := f.Resources[i].Address
		if rest, ok := strings.CutPrefix(a, address); ok && (rest == "" || instanceKey(rest)) {
			out = append(out, &f.Resources[i])
		}
	}
	return out
}

// instanceKey reports whether s is an instance key as addresses write
// it: [3] or ["EU"].
func instanceKey(s string) bool {
	if len(s) < 3 || s[0] != '[' || s[len(s)-1] != ']' {
		return false
	}
	inner := s[1 : len(s)-1]
	if _, err := strconv.Unquote(inner); err == nil && inner[0] == '"' {
		return true
	}
	_, err := strconv.Atoi(inner)
	return err == nil
}

// OfType returns the resources of the given type, in file order.
func (f *File) OfType(typ string) []*Resource {
	var out []*Resource
	for i := range f.Resources {
		if f.Resources[i].Type == typ {
			out = append(out, &f.Resources[i])
		}
	}
	return out
}
