// Package route53 imports Route 53 record sets and health checks from the
// output of `terraform show -json` (a plan or a state): the
// aws_route53_record resources with every routing policy, their health
// checks (aws_route53_health_check, linked by health_check_id, which a
// plan that creates the check knows only through its configuration's
// references), and alias records with evaluate_target_health.
package route53

import (
	"strings"

	"github.com/geofence/geofence/scenarios/answer"
	"github.com/geofence/geofence/scenarios/internal/tree"
	"github.com/geofence/geofence/scenarios/terraform"
)

// RecordSet is one aws_route53_record.
type RecordSet struct {
	File                string     // the file that holds it
	Address             string     // its Terraform address
	Node                *tree.Node // the resource in the file
	Name                string     // lower-case, without the trailing dot
	Type                string     // A, AAAA, CNAME, ...
	SetID               string     // set_identifier; "" for simple routing
	SetIDNode, NameNode *tree.Node
	TTL                 int64    // seconds; 0 for an alias (whose TTL is the target's, 60 s for AWS resources)
	Records             []string // the values, for a record that is not an alias

	Alias *Alias

	Policy      answer.Policy
	PolicyNode  *tree.Node // the routing policy block, or the record for simple routing
	Secondary   bool       // failover SECONDARY
	Continent   string     // geolocation
	Country     string     // geolocation; "*" for the default record
	Subdivision string     // geolocation
	Region      string     // latency: the AWS region
	Weight      int64      // weighted

	HealthCheck     *HealthCheck
	HealthCheckNode *tree.Node // health_check_id, or its configuration expression in a plan
}

// Alias is an alias record's target.
type Alias struct {
	Name                 string // lower-case, without the trailing dot
	Zone                 string
	EvaluateTargetHealth bool
	Node                 *tree.Node
}

// HealthCheck is one aws_route53_health_check.
type HealthCheck struct {
	Address          string
	ID               string // "" while a plan does not know it
	Node             *tree.Node
	Interval         int64 // request_interval: 10 or 30 seconds
	FailureThreshold int64 // consecutive observations to change status, 1 to 10
	Disabled         bool  // "Route 53 considers the status of the health check to always be healthy"
}

// Default health-check settings when the file leaves them out (Route 53's
// CreateHealthCheck API).
const (
	DefaultInterval         = 30
	DefaultFailureThreshold = 3
	AliasTTL                = 60 // "TTL for all alias records is 60 seconds"
)

// Records is what a file holds: its record sets and health checks.
type Records struct {
	Sets   []*RecordSet
	Checks []*HealthCheck
}

// Read reads the record sets and health checks of one `terraform show
// -json` file, reporting problems to r.
func Read(r *tree.Reader, root *tree.Node) *Records {
	f := terraform.Read(r, root)
	if f == nil {
		return nil
	}
	out := &Records{}
	byID := map[string]*HealthCheck{}
	byAddress := map[string]*HealthCheck{}
	for _, res := range f.OfType("aws_route53_health_check") {
		hc := readHealthCheck(r, res)
		out.Checks = append(out.Checks, hc)
		if hc.ID != "" {
			byID[hc.ID] = hc
		}
		byAddress[res.Address] = hc
	}
	for _, res := range f.OfType("aws_route53_record") {
		if rs := readRecord(r, f, res, byID, byAddress); rs != nil {
			out.Sets = append(out.Sets, rs)
		}
	}
	return out
}

func readHealthCheck(r *tree.Reader, res *terraform.Resource) *HealthCheck {
	hc := &HealthCheck{Address: res.Address, Node: res.Node, Interval: DefaultInterval, FailureThreshold: DefaultFailureThreshold}
	o := r.Object(res.Values, "aws_route53_health_check")
	hc.ID, _ = o.String("id")
	if typ, n := o.String("type"); n != nil {
		switch typ {
		case "HTTP", "HTTPS", "HTTP_STR_MATCH", "HTTPS_STR_MATCH", "TCP":
		default:
			r.Errorf(n, "health check type %q is not modelled: the model's checks observe the datacenter of the record they guard (HTTP, HTTPS, their string-matching forms and TCP)", typ)
		}
	}
	if v, n := o.Int("request_interval", 10, 30); n != nil && !n.Empty() {
		if v != 10 && v != 30 {
			r.Errorf(n, "request_interval must be 10 or 30 seconds, not %d", v)
		}
		hc.Interval = v
	}
	if v, n := o.Int("failure_threshold", 1, 10); n != nil && !n.Empty() {
		hc.FailureThreshold = v
	}
	hc.Disabled, _ = o.Bool("disabled")
	o.Refuse("invert_healthcheck", "an inverted check reports a healthy endpoint as unhealthy")
	o.Refuse("child_healthchecks", "a calculated check's status comes from other checks")
	o.Refuse("cloudwatch_alarm_name", "a CloudWatch check's status comes from an alarm")
	o.Refuse("routing_control_arn", "a recovery-control check's status is set by hand")
	o.Ignore("arn", "child_health_threshold", "cloudwatch_alarm_region", "enable_sni", "fqdn",
		"insufficient_data_health_status", "ip_address", "measure_latency", "port", "reference_name",
		"regions", "resource_path", "search_string", "tags", "tags_all", "triggers")
	o.Done("aws_route53_health_check")
	return hc
}

func readRecord(r *tree.Reader, f *terraform.File, res *terraform.Resource, byID, byAddress map[string]*HealthCheck) *RecordSet {
	rs := &RecordSet{File: r.File, Address: res.Address, Node: res.Node, PolicyNode: res.Node}
	o := r.Object(res.Values, "aws_route53_record")
	name, nameNode := o.String("name")
	if nameNode == nil || nameNode.Kind == tree.Null {
		what := "has no name"
		if res.IsUnknown("name") {
			what = "has a name known only after apply"
		}
		r.Errorf(res.Node, "%s %s: its records cannot be matched to a service", res.Address, what)
		return nil
	}
	rs.Name, rs.NameNode = DomainName(name), nameNode
	rs.Type, _ = o.String("type")
	rs.SetID, rs.SetIDNode = o.String("set_identifier")
	rs.TTL, _ = o.Int("ttl", 0, 2147483647)
	rs.Records, _, _ = o.Strings("records")

	if a := r.Block(o.Take("alias")); a != nil {
		ao := r.Object(a, "alias")
		target, n := ao.String("name")
		if n == nil || n.Kind == tree.Null {
			r.Errorf(a, "%s: the alias target is known only after apply; plan against existing resources, or read the state", res.Address)
		}
		rs.Alias = &Alias{Name: DomainName(target), Node: a}
		rs.Alias.Zone, _ = ao.String("zone_id")
		rs.Alias.EvaluateTargetHealth, _ = ao.Bool("evaluate_target_health")
		ao.Done("alias")
	}

	policies := 0
	policy := func(key string, p answer.Policy) *tree.Object {
		b := r.Block(o.Take(key))
		if b == nil {
			return nil
		}
		policies++
		rs.Policy, rs.PolicyNode = p, b
		return r.Object(b, key)
	}
	if po := policy("failover_routing_policy", answer.Failover); po != nil {
		typ, n := po.String("type")
		switch typ {
		case "PRIMARY":
		case "SECONDARY":
			rs.Secondary = true
		default:
			r.Errorf(n, "failover type must be PRIMARY or SECONDARY, not %q", typ)
		}
		po.Done("failover_routing_policy")
	}
	if po := policy("geolocation_routing_policy", answer.Geolocation); po != nil {
		rs.Continent, _ = po.String("continent")
		rs.Country, _ = po.String("country")
		rs.Subdivision, _ = po.String("subdivision")
		po.Done("geolocation_routing_policy")
		readArea(r, rs)
	}
	if po := policy("latency_routing_policy", answer.Latency); po != nil {
		rs.Region, _ = po.String("region")
		po.Done("latency_routing_policy")
	}
	if po := policy("weighted_routing_policy", answer.Weighted); po != nil {
		rs.Weight, _ = po.Int("weight", 0, 255)
		po.Done("weighted_routing_policy")
	}
	if mv, n := o.Bool("multivalue_answer_routing_policy"); mv {
		policies++
		rs.Policy, rs.PolicyNode = answer.Multivalue, n
	}
	if policies > 1 {
		r.Errorf(rs.PolicyNode, "%s has %d routing policies; a record has at most one", res.Address, policies)
	}
	o.Refuse("cidr_routing_policy", "CIDR routing answers by the resolver's IP range, which the model does not place")
	o.Refuse("geoproximity_routing_policy", "geoproximity routing answers by distance with biases the model does not compute")
	rs.HealthCheck, rs.HealthCheckNode = healthCheckOf(r, f, res, o, byID, byAddress)
	o.Ignore("allow_overwrite", "fqdn", "id", "zone_id", "timeouts")
	o.Done("aws_route53_record")
	if policies > 0 && rs.SetID == "" {
		r.Errorf(rs.PolicyNode, "%s has a %s routing policy but no set_identifier", res.Address, rs.Policy)
	}
	return rs
}

// readArea checks a geolocation record's area: exactly one of continent
// and country, a subdivision only with a country.
func readArea(r *tree.Reader, rs *RecordSet) {
	switch {
	case rs.Continent != "" && rs.Country != "":
		r.Errorf(rs.PolicyNode, "%s: give a continent or a country, not both", rs.Address)
	case rs.Continent == "" && rs.Country == "":
		r.Errorf(rs.PolicyNode, "%s: a geolocation record needs a continent, a country or the default country \"*\"", rs.Address)
	case rs.Subdivision != "" && rs.Country == "":
		r.Errorf(rs.PolicyNode, "%s: a subdivision needs its country", rs.Address)
	case rs.Continent != "":
		known := false
		for _, c := range answer.Continents() {
			known = known || c == rs.Continent
		}
		if !known {
			r.Errorf(rs.PolicyNode, "%s: continent %q is not one of Route 53's (%s)", rs.Address, rs.Continent, strings.Join(answer.Continents(), ", "))
		}
	}
}

// healthCheckOf finds the health check a record names: by id, or, in a
// plan that creates the check, through the references of the record's
// configuration ("the attribute is absent ... and the link is only
// recoverable from configuration").
func healthCheckOf(r *tree.Reader, f *terraform.File, res *terraform.Resource, o *tree.Object, byID, byAddress map[string]*HealthCheck) (*HealthCheck, *tree.Node) {
	id, n := o.String("health_check_id")
	if id != "" {
		if hc := byID[id]; hc != nil {
			return hc, n
		}
		r.Errorf(n, "%s names health check %q, which no aws_route53_health_check in the file has", res.Address, id)
		return nil, n
	}
	if !res.IsUnknown("health_check_id") {
		return nil, n
	}
	refs, expr := res.References("health_check_id")
	at := expr
	if at == nil {
		at = res.Node
	}
	for _, ref := range refs {
		ref = strings.TrimSuffix(ref, ".id")
		if hc := byAddress[ref]; hc != nil {
			return hc, at
		}
		if inst := f.Instances(ref); len(inst) > 1 {
			r.Errorf(at, "%s: health_check_id refers to %s, which has %d instances; the plan does not say which", res.Address, ref, len(inst))
			return nil, at
		} else if len(inst) == 1 {
			return byAddress[inst[0].Address], at
		}
	}
	r.Errorf(at, "%s: health_check_id is known only after apply and the configuration names no aws_route53_health_check of the file", res.Address)
	return nil, at
}

// DomainName is name as Route 53 compares names: lower-case, without the
// trailing dot.
func DomainName(name string) string { return strings.TrimSuffix(strings.ToLower(name), ".") }
