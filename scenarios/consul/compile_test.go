package consul

import (
	"fmt"
	"testing"

	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/internal/tree"
)

// europe is a federation around Frankfurt: Zurich and London (outside the
// EU) are nearer to it than Lisbon.
func europe() *scenarios.Scenario {
	media := scenarios.Capacity(100)
	dc := func(id, locality string, lat, lon float64) scenarios.Datacenter {
		return scenarios.Datacenter{ID: scenarios.ID(id), Region: "eu", Locality: locality,
			Capacity: scenarios.PlaneCapacity{Media: &media}, Location: &scenarios.Location{Lat: lat, Lon: lon}}
	}
	return &scenarios.Scenario{
		Regions: []scenarios.Region{{ID: "eu", Location: &scenarios.Location{Lat: 50, Lon: 8}}},
		Datacenters: []scenarios.Datacenter{
			dc("de-fra", "dc-eu-1", 50.1, 8.7),
			dc("pt-lis", "dc-eu-2", 38.7, -9.1),
			dc("ch-zrh", "dc-ch", 47.4, 8.5),
			dc("gb-lon", "dc-gb", 51.5, -0.1),
			dc("us-iad", "dc-us-east", 38.9, -77.4),
			{ID: "de-keys", Region: "eu", Locality: "dc-keys", Location: &scenarios.Location{Lat: 50.1, Lon: 8.6}}, // serves no media
		},
	}
}

func TestCompileNearestN(t *testing.T) {
	s := europe()
	query := `{"Name": "media", "Service": {"Service": "media", "Failover": {"NearestN": 2, "Datacenters": ["dc-eu-2", "dc-mars"]}, "OnlyPassing": true}, "DNS": {"TTL": "10s"}}`
	var c Config
	readers := map[string]*tree.Reader{}
	readerOf := func(file string) *tree.Reader {
		if readers[file] == nil {
			readers[file] = &tree.Reader{File: file}
		}
		return readers[file]
	}
	c.Read(readerOf("query.json"), []byte(query))
	p := &scenarios.Population{ID: "eu-free", Region: "eu", Locality: "dc-eu-1"}
	route := NewFederation(s).Compile(readerOf, &c, p, scenarios.Media, "media")
	if route == nil {
		t.Fatalf("no route: %v", readers["query.json"].Errors.List)
	}
	f := route.Failover
	// de-keys is nearer than Zurich but serves no media: it takes one of
	// the two NearestN slots and is then skipped, as Consul's query there
	// finds no instance.
	if got, want := fmt.Sprint(f.Targets), "[de-fra ch-zrh pt-lis]"; got != want {
		t.Errorf("targets %s, want %s", got, want)
	}
	if !f.OnlyPassing || f.TTL == nil || *f.TTL != 10 {
		t.Errorf("only_passing %v ttl %v, want true and 10s", f.OnlyPassing, f.TTL)
	}
	if pos := route.Pos["targets[1]"]; pos != (tree.Pos{Line: 1, Column: 76}) {
		t.Errorf("targets[1] (a NearestN pick) at %v, want NearestN at 1:76", pos)
	}
	if w := readers["query.json"].Warnings.List; len(w) != 1 || w[0].Column != 106 {
		t.Errorf("warnings %v, want one about dc-mars at 1:106", w)
	}
}
