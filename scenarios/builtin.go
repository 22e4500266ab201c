package scenarios

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Default is the built-in scenario used when none is named.
const Default = "zoom-2020-04"

// builtinPrefix starts the Source.File of every built-in scenario.
const builtinPrefix = "builtin/"

//go:embed builtin/*.yaml
var builtinFiles embed.FS

// Builtin describes a scenario that ships inside the binary.
type Builtin struct {
	Name    string // what Resolve accepts, e.g. "zoom-2020-04"
	Summary string // first line of the scenario's description
}

// Builtins lists the built-in scenarios, sorted by name.
func Builtins() []Builtin {
	entries, _ := fs.ReadDir(builtinFiles, "builtin") // the embedded directory always exists
	var out []Builtin
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), ".yaml")
		src, _ := BuiltinSource(name)
		var head struct {
			Description string `yaml:"description"`
		}
		_ = yaml.Unmarshal(src, &head) // a broken built-in keeps an empty summary; loading it reports why
		summary, _, _ := strings.Cut(strings.TrimSpace(head.Description), "\n")
		out = append(out, Builtin{Name: name, Summary: summary})
	}
	slices.SortFunc(out, func(a, b Builtin) int { return strings.Compare(a.Name, b.Name) })
	return out
}

// BuiltinSource returns the YAML of the built-in scenario called name.
func BuiltinSource(name string) ([]byte, bool) {
	if name == "" || strings.ContainsAny(name, `/\`) {
		return nil, false
	}
	src, err := builtinFiles.ReadFile(path.Join("builtin", name+".yaml"))
	return src, err == nil
}

// Resolve loads the built-in scenario called nameOrPath or, when there is
// none, the scenario file at that path.
func Resolve(nameOrPath string) (*Scenario, error) {
	if src, ok := BuiltinSource(nameOrPath); ok {
		return Load(builtinPrefix+nameOrPath+".yaml", src)
	}
	s, err := LoadFile(nameOrPath)
	if errors.Is(err, fs.ErrNotExist) && !strings.ContainsAny(nameOrPath, `/\.`) {
		var names []string
		for _, b := range Builtins() {
			names = append(names, b.Name)
		}
		return nil, fmt.Errorf("no built-in scenario or file named %q; the built-ins are %s", nameOrPath, strings.Join(names, ", "))
	}
	return s, err
}

// ResolveRelative turns a scenario reference written inside s (such as its
// baseline) into something Resolve accepts: a built-in name stays as it
// is, and a file path is taken relative to the directory of s's file.
func (s *Scenario) ResolveRelative(ref string) string {
	if _, ok := BuiltinSource(ref); ok || filepath.IsAbs(ref) || s.Source == nil || strings.HasPrefix(s.Source.File, builtinPrefix) {
		return ref
	}
	return filepath.Join(filepath.Dir(s.Source.File), ref)
}
