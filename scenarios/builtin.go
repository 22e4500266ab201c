package scenarios

import (
	"embed"
	"io/fs"
	"path"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Default is the built-in scenario used when none is named.
const Default = "zoom-2020-04"

// BuiltinPrefix starts the Source.File of every built-in scenario.
const BuiltinPrefix = "builtin/"

//go:embed builtin
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
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".yaml") {
			continue // files a built-in imports
		}
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

// BuiltinFile returns a file that a built-in scenario imports routing
// from, by its path inside the built-ins' directory.
func BuiltinFile(name string) ([]byte, error) {
	return builtinFiles.ReadFile(path.Join("builtin", path.Clean("/" + name)[1:]))
}
