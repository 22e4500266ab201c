package route53

import (
	"fmt"
	"os"
	"testing"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/answer"
	"github.com/geofence/geofence/scenarios/internal/tree"
)

func TestCompileFixture(t *testing.T) {
	data, err := os.ReadFile("testdata/plan-media-dns.json")
	if err != nil {
		t.Fatal(err)
	}
	root, serr := tree.ParseJSON(data)
	if serr != nil {
		t.Fatal(serr)
	}
	r := &tree.Reader{File: "plan-media-dns.json"}
	recs := Read(r, root)
	tr, ok := recs.Tree(r, "media.example.com")
	if !ok {
		t.Fatal(r.Errors.List)
	}
	media := scenarios.Capacity(10)
	s := &scenarios.Scenario{Datacenters: []scenarios.Datacenter{
		{ID: "ie-dub", Locality: "eu-primary-euw1", Capacity: scenarios.PlaneCapacity{Media: &media}},
		{ID: "us-iad", Locality: "media-use1-1234567890.us-east-1.elb.amazonaws.com", Capacity: scenarios.PlaneCapacity{Media: &media}},
	}}
	var readers tree.Readers
	route := Compile(&readers, s, tr)
	if p := readers.Problems(); len(p) > 0 {
		t.Fatal(p)
	}
	if len(r.Errors.List) > 0 {
		t.Fatal(r.Errors.List)
	}
	index := func(id scenarios.ID) int {
		for i, d := range s.Datacenters {
			if d.ID == id {
				return i
			}
		}
		return -1
	}
	at, checks := route.DNS.AnswerTree(index)
	if len(checks) != 2 || checks[0].Datacenter != "us-iad" || checks[1].Datacenter != "ie-dub" || checks[1].Interval != 30 || checks[1].FailureThreshold != 3 {
		t.Fatalf("checks %+v: want the ELB's target health (us-iad) and the primary's check (ie-dub, 30s x3)", checks)
	}
	de := at.Specialize(answer.Client{Country: "DE", RTT: func(int) (float64, bool) { return 0, false }})
	br := at.Specialize(answer.Client{Country: "BR", RTT: func(int) (float64, bool) { return 0, false }})
	P, C := answer.Passing, answer.Critical
	for _, c := range []struct {
		what     string
		plan     *answer.Plan
		statuses []answer.Status // us-iad ELB, ie-dub primary
		want     string
	}{
		{"an EU client while the primary is healthy", de, []answer.Status{P, P}, "0=1"},
		{"an EU client with the EU primary unhealthy: the us-east-1 secondary", de, []answer.Status{P, C}, "1=1"},
		{"both unhealthy: geo-eu is unhealthy, the default is too, so all are healthy again: the primary", de, []answer.Status{C, C}, "0=1"},
		{"the rest of the world: the default record", br, []answer.Status{P, P}, "1=1"},
	} {
		var d answer.Dist
		c.plan.Answer(c.statuses, &d)
		got := ""
		for _, sh := range d.Shares {
			got += fmt.Sprintf("%d=%g", sh.Datacenter, sh.P)
		}
		if got != c.want || d.None != 0 {
			t.Errorf("%s: %s none=%g, want %s", c.what, got, d.None, c.want)
		}
	}
	if route.DNS.TTL == nil || *route.DNS.TTL != 60 {
		t.Errorf("ttl %v, want 60s", route.DNS.TTL)
	}
	if pos := route.Pos["groups[1].records[0].health_check"]; pos.Line != 262 || pos.File != "plan-media-dns.json" {
		t.Errorf("the primary's health check at %v, want the configuration's reference at line 262", pos)
	}
}
