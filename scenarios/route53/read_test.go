package route53

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"

	"github.com/geofence/geofence/scenarios/internal/scenariotest"
	"github.com/geofence/geofence/scenarios/internal/tree"
)

// TestRead replays testdata/read/*.txt: `read name=NAME [file=FILE]`
// reads FILE under testdata (or the input) as `terraform show -json`
// output and prints the problems, then the record groups a query for NAME
// reaches, each record with what decides it and where it stands.
// go test ./scenarios/route53 -run TestRead -rewrite regenerates them.
func TestRead(t *testing.T) {
	scenariotest.Replay(t, "testdata/read", func(t *testing.T, d *datadriven.TestData) string {
		file, data := "input.json", []byte(d.Input)
		if d.HasArg("file") {
			d.ScanArgs(t, "file", &file)
			data = scenariotest.ReadFile(t, d, file)
		}
		var name string
		d.ScanArgs(t, "name", &name)
		return describe(file, data, name)
	})
}

func describe(file string, data []byte, name string) string {
	var b strings.Builder
	root, serr := tree.ParseJSON(data)
	if serr != nil {
		return fmt.Sprintf("%s:%s\n", file, serr)
	}
	r := &tree.Reader{File: file}
	recs := Read(r, root)
	var t *Tree
	if recs != nil {
		t, _ = recs.Tree(r, name)
	}
	for _, p := range r.Errors.Report(file) {
		fmt.Fprintf(&b, "error %s\n", p.Error())
	}
	for _, p := range r.Warnings.Report(file) {
		fmt.Fprintf(&b, "warning %s\n", p.Error())
	}
	if t == nil {
		fmt.Fprintf(&b, "no records for %s\n", name)
		return b.String()
	}
	for gi, g := range t.Groups {
		fmt.Fprintf(&b, "group %d %s %s %s\n", gi, g.Name, g.Type, g.Policy)
		for i, s := range g.Sets {
			fmt.Fprintf(&b, "  %s @%d:%d", s.Address, s.Node.Pos.Line, s.Node.Pos.Column)
			if s.SetID != "" {
				fmt.Fprintf(&b, " id=%s", s.SetID)
			}
			switch {
			case s.Policy.String() == "failover":
				fmt.Fprintf(&b, " %s", role(s.Secondary))
			case s.Country != "" || s.Continent != "":
				fmt.Fprintf(&b, " area=%s/%s/%s", s.Continent, s.Country, s.Subdivision)
			case s.Region != "":
				fmt.Fprintf(&b, " region=%s", s.Region)
			case s.Policy.String() == "weighted":
				fmt.Fprintf(&b, " weight=%d", s.Weight)
			}
			if s.Alias != nil {
				fmt.Fprintf(&b, " alias=%s eth=%v", s.Alias.Name, s.Alias.EvaluateTargetHealth)
			} else {
				fmt.Fprintf(&b, " records=%v", s.Records)
			}
			if g.Targets[i] >= 0 {
				fmt.Fprintf(&b, " -> group %d", g.Targets[i])
			}
			fmt.Fprintf(&b, " ttl=%d", s.EffectiveTTL())
			if hc := s.HealthCheck; hc != nil {
				fmt.Fprintf(&b, " check=%s(%ds x%d disabled=%v) linked @%d:%d", hc.Address, hc.Interval, hc.FailureThreshold, hc.Disabled, s.HealthCheckNode.Pos.Line, s.HealthCheckNode.Pos.Column)
			}
			b.WriteString("\n")
		}
	}
	return b.String()
}
