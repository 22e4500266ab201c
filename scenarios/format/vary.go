package format

import (
	"fmt"
	"math"
	"reflect"
	"strconv"

	"github.com/geofence/geofence/scenarios"
)

var planeCapacityType = reflect.TypeFor[scenarios.PlaneCapacity]()

// NumberOverride is the override that sets (op "=") or multiplies (op
// "*=") the quantity at path in s by x, written at origin: a number, a
// duration (x in seconds) or a capacity, or for "*=" a datacenter's
// capacity on every plane. A path that names nothing, or names a value
// of another kind — a string such as a population's plan, a list, a
// mapping — is refused with a problem located at origin: only a quantity
// can be searched or scaled. s is left untouched.
func NumberOverride(s *scenarios.Scenario, path, op string, x float64, origin string) (scenarios.Override, error) {
	if op != opSet && op != opScale {
		return scenarios.Override{}, scenarios.Problems{{File: origin, Msg: "an operation to vary a quantity by is = or *=, not " + scenarios.Clip(op)}}
	}
	if math.IsInf(x, 0) || math.IsNaN(x) {
		return scenarios.Override{}, scenarios.Problems{{File: origin, Msg: fmt.Sprintf("%v is not a finite number", x)}}
	}
	text := strconv.FormatFloat(x, 'f', -1, 64)
	o, err := ParseOverride(path+op+text, origin)
	if err != nil {
		return o, err
	}
	if o.Op != op || o.Value != text {
		return o, scenarios.Problems{{File: origin, Msg: fmt.Sprintf("%q is an override, not a path: name the value to vary, e.g. datacenters[us-sjc].capacity.media", scenarios.Clip(path))}}
	}
	steps, err := parsePath(o.Path)
	if err != nil {
		return o, scenarios.Problems{o.Problemf("%v", err)}
	}
	if steps[0].name == LoadPath {
		if _, err := ParseLoadPath(o.Path); err != nil {
			return o, scenarios.Problems{o.Problemf("%v", err)}
		}
		return o, nil // a factor of the picked join rates, checked when applied
	}
	at, p := resolveSlot(s.Clone(), steps, o)
	if p != nil {
		return o, scenarios.Problems{*p}
	}
	t := at.typ
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	refuse := func(format string, args ...any) (scenarios.Override, error) {
		return o, scenarios.Problems{{File: origin, Path: o.Path, Msg: fmt.Sprintf(format, args...)}}
	}
	_, number := numberOf(reflect.Zero(t))
	switch {
	case t == planeCapacityType && op == opSet:
		return refuse("%s is a capacity on every plane; set one plane's, e.g. %s.media, or scale them all", o.Path, o.Path)
	case t == planeCapacityType:
	case t == offsetType || !number:
		return refuse("%s is %s, not a quantity: vary a number, a duration or a capacity", o.Path, kindOf(t))
	case t == durationType && op == opSet:
		o.Value += "s"
	}
	return o, nil
}
