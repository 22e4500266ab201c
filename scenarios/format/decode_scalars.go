package format

import (
	"math"
	"math/big"
	"reflect"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/geofence/geofence/scenarios"
)

// text returns a scalar's text as written. Strings are never resolved as
// YAML booleans or numbers: jurisdiction NO stays Norway.
func (d *decoder) text(n *yaml.Node, path string) (string, bool) {
	if n.Kind != yaml.ScalarNode {
		d.problem(n, path, "must be a string, got %s", scenarios.DescribeNode(n))
		return "", false
	}
	return n.Value, true
}

// number reads an integer or float scalar that is finite.
func (d *decoder) number(n *yaml.Node, path string) (float64, bool) {
	var f float64
	if n.Kind != yaml.ScalarNode || (n.ShortTag() != "!!int" && n.ShortTag() != "!!float") {
		d.problem(n, path, "must be a number, got %s", scenarios.DescribeNode(n))
		return 0, false
	}
	if !d.scalarAs(n, path, n.ShortTag(), &f, "must be a number") {
		return 0, false
	}
	if math.IsNaN(f) || math.IsInf(f, 0) {
		d.problem(n, path, "must be a finite number, got %s", scenarios.Clip(n.Value))
		return 0, false
	}
	return f, true
}

// integer reads a whole-number scalar; 10.5, 1e3 and "10" are refused.
func (d *decoder) integer(n *yaml.Node, path string) (int64, bool) {
	var i int64
	ok := !d.tooLarge(n, path) && d.scalarAs(n, path, "!!int", &i, "must be a whole number")
	return i, ok
}

// tooLarge reports a whole number written with more digits than 64 bits
// hold, which YAML reads as a float, so that it is not called a fraction.
func (d *decoder) tooLarge(n *yaml.Node, path string) bool {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!float" || strings.ContainsAny(n.Value, ".eE") {
		return false
	}
	d.problem(n, path, "%s is too large", scenarios.Clip(n.Value))
	return true
}

// scalarAs decodes a scalar with the given resolved tag into out, using the
// YAML library's own reading of numbers (hex, octal, underscores, .inf).
func (d *decoder) scalarAs(n *yaml.Node, path, tag string, out any, want string) bool {
	if n.Kind != yaml.ScalarNode || n.ShortTag() != tag {
		d.problem(n, path, "%s, got %s", want, scenarios.DescribeNode(n))
		return false
	}
	if err := n.Decode(out); err != nil {
		if _, whole := new(big.Int).SetString(strings.ReplaceAll(n.Value, "_", ""), 0); whole {
			d.problem(n, path, "%s is too large", scenarios.Clip(n.Value))
		} else { // an explicit tag on a value that is no such thing: !!int 1.5
			d.problem(n, path, "%s, got %s", want, scenarios.DescribeNode(n))
		}
		return false
	}
	return true
}

// capacity reads a non-negative whole number or the word unlimited.
func (d *decoder) capacity(n *yaml.Node, path string, v reflect.Value) {
	if n.Kind == yaml.ScalarNode && n.ShortTag() == "!!str" && n.Value == "unlimited" {
		v.SetInt(int64(scenarios.Unlimited))
		return
	}
	if n.Kind != yaml.ScalarNode || n.ShortTag() != "!!int" {
		d.problem(n, path, "must be a whole number or \"unlimited\", got %s", scenarios.DescribeNode(n))
		return
	}
	if c, ok := d.integer(n, path); ok {
		if c < 0 {
			d.problem(n, path, "must not be negative, got %d", c)
			return
		}
		v.SetInt(c)
	}
}

func (d *decoder) check(n *yaml.Node, path string, err error) {
	if err != nil {
		d.problem(n, path, "%s", err)
	}
}

// target is the node an alias stands for, or n itself.
func target(n *yaml.Node) *yaml.Node {
	if n.Kind == yaml.AliasNode {
		return n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}
