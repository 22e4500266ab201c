package render

import (
	"bytes"
	"testing"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/internal/fixture"
)

// A rate no replication saw is shown as its bound in every format — "<
// 0.0X%", or "< 2.9e-05 (none simulated; 95% upper bound)" in JUnit and
// SARIF messages — never as "0 [0, 0]" or "0 ± 0", which read as
// certainty.
func TestZeroRatesShowTheirBound(t *testing.T) {
	r := fixture.OverflowCheck(t, false)
	zero := -1
	for i, fc := range r.Fences {
		if fc.ViolationRate != nil && fc.ViolationRate.UpperBy == results.UpperClopperPearson {
			zero = i
			break
		}
	}
	if zero < 0 {
		t.Fatal("no fence without violations")
	}
	// A fence that fails statically with no simulated violation.
	r.Fences[zero].Passed, r.Passed = false, false
	r.Fences[zero].Reasons = []string{"statically reachable"}
	for _, format := range CheckFormats() {
		if format == "json" {
			continue // numbers, each rate with its upper bound and upper_by
		}
		var out bytes.Buffer
		if err := Check(&out, r, format, CIOptions{}); err != nil {
			t.Fatal(err)
		}
		for _, bad := range []string{"0 [0, 0]", "0 ± 0", "0% ± 0%"} {
			if bytes.Contains(out.Bytes(), []byte(bad)) {
				t.Errorf("%s shows a rate no replication saw as %q", format, bad)
			}
		}
		if format == "junit" && !bytes.Contains(out.Bytes(), []byte("simulated violation rate < ")) {
			t.Errorf("junit does not give the failing fence's rate by its bound:\n%s", out.Bytes())
		}
	}
}
