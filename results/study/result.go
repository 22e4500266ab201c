package study

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
)

// resultKinds decodes each kind of JSON result a page can be drawn from.
var resultKinds = map[string]func(data []byte) (any, error){
	results.KindRun: decodeAs[results.Report],
	check.Kind:      decodeAs[check.Report],
	KindSweep:       decodeAs[SweepReport],
	KindPlan:        decodeAs[PlanReport],
	diff.Kind:       decodeAs[diff.Report],
}

func decodeAs[T any](data []byte) (any, error) {
	r := new(T)
	if err := json.Unmarshal(data, r); err != nil {
		return nil, err
	}
	return r, nil
}

// ResultKind returns the kind of result data holds when it is a JSON
// result written by geofence ("run", "check", ...), and "" when it is
// not one: a scenario, say, which has no kind.
func ResultKind(data []byte) string {
	var head struct {
		Kind string `json:"kind"`
	}
	if json.Unmarshal(data, &head) != nil {
		return ""
	}
	return head.Kind
}

// ReadResult decodes a JSON result of a kind ResultKind names: a *Report
// for "run", a *CheckReport for "check", a *SweepReport for "sweep", a
// *PlanReport for "plan", a *DiffReport for "diff".
func ReadResult(data []byte) (any, error) {
	kind := ResultKind(data)
	decode, ok := resultKinds[kind]
	if !ok {
		kinds := make([]string, 0, len(resultKinds))
		for k := range resultKinds {
			kinds = append(kinds, k)
		}
		slices.Sort(kinds)
		return nil, fmt.Errorf("a result of kind %q cannot be drawn: want one of %s", kind, strings.Join(kinds, ", "))
	}
	r, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("reading a %s result: %w", kind, err)
	}
	return r, nil
}
