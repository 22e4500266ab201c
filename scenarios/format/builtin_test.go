package format

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/geofence/geofence/scenarios"
)

func TestBuiltinsLoad(t *testing.T) {
	builtins := scenarios.Builtins()
	names := map[string]bool{}
	for i, b := range builtins {
		names[b.Name] = true
		if i > 0 && builtins[i-1].Name >= b.Name {
			t.Errorf("Builtins() is not sorted: %q before %q", builtins[i-1].Name, b.Name)
		}
		if b.Summary == "" || strings.Contains(b.Summary, "\n") {
			t.Errorf("%s: summary %q is not one line of the description", b.Name, b.Summary)
		}
		s, err := Resolve(b.Name)
		if err != nil {
			t.Errorf("built-in %s does not load:\n%v", b.Name, err)
			continue
		}
		if want := "builtin/" + b.Name + ".yaml"; s.Source.File != want {
			t.Errorf("%s: Source.File = %q, want %q", b.Name, s.Source.File, want)
		}
		if len(s.Source.SHA256) != 64 {
			t.Errorf("%s: Source.SHA256 = %q, want 64 hex digits", b.Name, s.Source.SHA256)
		}
	}
	if !names["erlang"] {
		t.Error("the erlang built-in is missing")
	}
	if _, ok := scenarios.BuiltinSource("../decode.go"); ok {
		t.Error("BuiltinSource reads outside the built-ins")
	}
}

// TestDefaultBuiltin is skipped until the built-in it names is written.
func TestDefaultBuiltin(t *testing.T) {
	if _, ok := scenarios.BuiltinSource(scenarios.Default); !ok {
		t.Skipf("no built-in %q yet", scenarios.Default)
	}
	if _, err := Resolve(scenarios.Default); err != nil {
		t.Errorf("the default scenario does not load:\n%v", err)
	}
}

func TestResolveFile(t *testing.T) {
	src, _ := scenarios.BuiltinSource("erlang")
	path := filepath.Join(t.TempDir(), "mine.yaml")
	if err := os.WriteFile(path, src, 0o644); err != nil {
		t.Fatal(err)
	}
	s, err := Resolve(path)
	if err != nil {
		t.Fatal(err)
	}
	if s.Source.File != path {
		t.Errorf("Source.File = %q, want %q", s.Source.File, path)
	}
	if _, err := Resolve(filepath.Join(t.TempDir(), "missing.yaml")); !errors.Is(err, fs.ErrNotExist) {
		t.Errorf("a missing file gives %v, want an error wrapping fs.ErrNotExist", err)
	}
	if _, err := Resolve("zoom-1999"); err == nil || !strings.Contains(err.Error(), "erlang") {
		t.Errorf("an unknown name gives %v, want a list of the built-ins", err)
	}
}

func TestLoadFileTooLarge(t *testing.T) {
	path := filepath.Join(t.TempDir(), "big.yaml")
	if err := os.WriteFile(path, padded([]byte("name: big\n"), maxFileSize+1), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := LoadFile(path)
	var ps scenarios.Problems
	if !errors.As(err, &ps) || len(ps) != 1 || ps[0].Error() != path+": file is larger than 8 MiB" {
		t.Errorf("LoadFile of 8 MiB + 1 byte gives %v", err)
	}
}

// TestNorway checks that a plain NO is kept as text, where YAML 1.1 would
// read false.
func TestNorway(t *testing.T) {
	src, _ := scenarios.BuiltinSource("erlang")
	s, err := Load("no.yaml", []byte(strings.ReplaceAll(string(src), "US", "NO")))
	if err != nil {
		t.Fatal(err)
	}
	if got := s.Datacenters[0].Jurisdiction; got != "NO" {
		t.Errorf("jurisdiction: NO decodes as %q", got)
	}
}
