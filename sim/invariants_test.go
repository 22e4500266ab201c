package sim

import (
	"context"
	"reflect"
	"testing"

	"github.com/geofence/geofence/scenarios"
)

// On the built-in April 2020 scenario — outages, capacity changes, keys,
// connectors, every pick order in use — every replication conserves joins
// per population, and the run is the same whatever the number of workers.
func TestBuiltinInvariants(t *testing.T) {
	s, err := scenarios.Resolve(scenarios.Default)
	if err != nil {
		t.Fatal(err)
	}
	m, err := Compile(s)
	if err != nil {
		t.Fatal(err)
	}
	const replications = 3
	one, err := Run(context.Background(), m, s.Run.Seed, replications, 1)
	if err != nil {
		t.Fatal(err)
	}
	two, err := Run(context.Background(), m, s.Run.Seed, replications, 2)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(one, two) {
		t.Error("one worker and two workers gave different replications")
	}
	for _, r := range one {
		var offered, settled int64
		for i, p := range r.Populations {
			if p.Offered != p.AdmittedPrimary+p.AdmittedSecondary+p.Blocked {
				t.Errorf("replication %d, %s: offered %d != %d primary + %d secondary + %d blocked",
					r.Index, m.Populations[i].ID, p.Offered, p.AdmittedPrimary, p.AdmittedSecondary, p.Blocked)
			}
			var blocked int64
			for _, b := range p.BlockedPlane {
				blocked += b
			}
			if blocked != p.Blocked {
				t.Errorf("replication %d, %s: blocked %d but %d by plane", r.Index, m.Populations[i].ID, p.Blocked, blocked)
			}
			offered += p.Offered
			settled += p.AdmittedPrimary + p.AdmittedSecondary + p.Blocked
		}
		if offered == 0 || offered != settled {
			t.Errorf("replication %d: %d offered in total, %d settled", r.Index, offered, settled)
		}
	}
	// A different replication index draws different numbers.
	if reflect.DeepEqual(one[0].Populations, one[1].Populations) {
		t.Error("replications 0 and 1 are identical")
	}
}

// A cancelled context stops a run and says why.
func TestRunCancelled(t *testing.T) {
	m, err := Compile(erlangBench())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Run(ctx, m, 1, 2, 0); err != context.Canceled {
		t.Errorf("cancelled run returned %v", err)
	}
}
