package consul

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/geofence/geofence/scenarios/internal/scenariotest"
	"github.com/geofence/geofence/scenarios/internal/tree"
)

// TestRead replays testdata/read/*.txt: `read file=FILE [name=NAME]` reads
// FILE under testdata (or, without file, the input under NAME) and prints
// the problems, then every query and resolver with each value's position.
// go test ./scenarios/consul -run TestRead -rewrite regenerates them.
func TestRead(t *testing.T) {
	scenariotest.Replay(t, "testdata/read", func(t *testing.T, d *datadriven.TestData) string {
		var c Config
		var b strings.Builder
		for _, arg := range d.CmdArgs {
			file := arg.Vals[0]
			data := []byte(d.Input)
			if arg.Key == "file" {
				data = scenariotest.ReadFile(t, d, file)
			}
			r := &tree.Reader{File: file}
			c.Read(r, data)
			for _, p := range r.Errors.Report(file) {
				fmt.Fprintf(&b, "error %s\n", p.Error())
			}
			for _, p := range r.Warnings.Report(file) {
				fmt.Fprintf(&b, "warning %s\n", p.Error())
			}
		}
		for _, q := range c.Queries {
			fmt.Fprintf(&b, "query %q service=%s dc=%q template=%v nearest_n=%d%s only_passing=%v%s ttl=%s\n",
				q.Name, q.Service, q.Datacenter, q.Template, q.NearestN, at(q.NearestNNode), q.OnlyPassing, at(q.PassingNode), q.TTL)
			for _, ref := range q.Datacenters {
				fmt.Fprintf(&b, "  then %s%s\n", showRef(ref), at(ref.Node))
			}
		}
		for _, res := range c.Resolvers {
			fmt.Fprintf(&b, "resolver %s default_subset=%q connect_timeout=%s%s\n", res.Name, res.DefaultSubset, res.ConnectTimeout, at(res.TimeoutNode))
			for _, s := range slices.Sorted(func(yield func(string) bool) {
				for k := range res.OnlyPassing {
					if !yield(k) {
						return
					}
				}
			}) {
				fmt.Fprintf(&b, "  subset %s only_passing=%v filtered=%v\n", s, res.OnlyPassing[s], res.Filtered[s] != nil)
			}
			for _, k := range slices.Sorted(func(yield func(string) bool) {
				for k := range res.Failover {
					if !yield(k) {
						return
					}
				}
			}) {
				fmt.Fprintf(&b, "  failover %q%s\n", k, at(res.Failover[k].Node))
				for _, ref := range res.Failover[k].Targets {
					fmt.Fprintf(&b, "    then %s%s\n", showRef(ref), at(ref.Node))
				}
			}
		}
		return b.String()
	})
}

func showRef(r Ref) string {
	if r.Peer {
		return "peer " + r.Name
	}
	return r.Name
}

func at(n *tree.Node) string {
	if n == nil {
		return ""
	}
	return fmt.Sprintf(" @%d:%d %s", n.Pos.Line, n.Pos.Column, n.Path)
}
