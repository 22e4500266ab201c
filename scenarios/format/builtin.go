package format

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/geofence/geofence/scenarios"
)

// Resolve loads the built-in scenario called nameOrPath or, when there is
// none, the scenario file at that path.
func Resolve(nameOrPath string) (*scenarios.Scenario, error) {
	if src, ok := scenarios.BuiltinSource(nameOrPath); ok {
		return Load(scenarios.BuiltinPrefix+nameOrPath+".yaml", src)
	}
	s, err := LoadFile(nameOrPath)
	if errors.Is(err, fs.ErrNotExist) && !strings.ContainsAny(nameOrPath, `/\.`) {
		var names []string
		for _, b := range scenarios.Builtins() {
			names = append(names, b.Name)
		}
		return nil, fmt.Errorf("no built-in scenario or file named %q; the built-ins are %s", nameOrPath, strings.Join(names, ", "))
	}
	return s, err
}
