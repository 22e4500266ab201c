package format

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/geofence/geofence/scenarios"
)

// scratchRepo makes a git repository in a new directory, makes it the
// current directory, and commits each of commits in turn (path -> file
// content; "" removes the file), tagging the i-th commit c<i>. It skips
// the test when git is not installed.
func scratchRepo(t *testing.T, commits ...map[string]string) string {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed: revision references cannot be read")
	}
	dir := t.TempDir()
	t.Chdir(dir)
	git := func(args ...string) {
		t.Helper()
		cmd := exec.Command("git", args...)
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null")
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	git("init", "-q", "-b", "main")
	for i, files := range commits {
		for path, content := range files {
			if content == "" {
				git("rm", "-q", path)
				continue
			}
			if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
				t.Fatal(err)
			}
			git("add", path)
		}
		git("commit", "-q", "-m", "commit")
		git("tag", "c"+string(rune('0'+i)))
	}
	return dir
}

// withBaseline is the erlang built-in named name, with baseline set.
func withBaseline(t *testing.T, name, baseline string) string {
	src, _ := scenarios.BuiltinSource("erlang")
	text := strings.Replace(string(src), "name: erlang", "name: "+name, 1)
	if baseline != "" {
		text += "baseline: " + baseline + "\n"
	}
	return text
}

// A file at a revision is read as it was then, named as given with the
// hash of the bytes read, and its relative baseline is the file at the
// same revision — even where the working tree has moved on or removed it,
// and from a subdirectory.
func TestResolveRevision(t *testing.T) {
	old := withBaseline(t, "eu-old", "base.yaml")
	scratchRepo(t,
		map[string]string{"scenarios/eu.yaml": old, "scenarios/base.yaml": withBaseline(t, "base-old", "")},
		map[string]string{"scenarios/eu.yaml": withBaseline(t, "eu-new", ""), "scenarios/base.yaml": ""},
	)
	s, err := Resolve("git:c0:scenarios/eu.yaml")
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256([]byte(old))
	if s.Name != "eu-old" || s.Source.File != "git:c0:scenarios/eu.yaml" || s.Source.SHA256 != hex.EncodeToString(sum[:]) {
		t.Errorf("read %s from %s, sha256 %s; want eu-old as given, with the hash of the old bytes", s.Name, s.Source.File, s.Source.SHA256)
	}
	base := s.ResolveRelative(s.Baseline)
	if base != "git:c0:scenarios/base.yaml" {
		t.Fatalf("baseline resolves to %q, want it at the same revision", base)
	}
	if b, err := Resolve(base); err != nil || b.Name != "base-old" {
		t.Fatalf("baseline at the revision: %v, %v", b, err)
	}
	if s, err := Resolve("git:main:scenarios/eu.yaml"); err != nil || s.Name != "eu-new" {
		t.Errorf("git:main: %v, %v; want the newest commit's eu-new", s, err)
	}

	t.Chdir("scenarios")
	if s, err := Resolve("git:c0:eu.yaml"); err != nil || s.Name != "eu-old" || s.ResolveRelative(s.Baseline) != "git:c0:base.yaml" {
		t.Errorf("from the subdirectory: %v, %v; want paths taken from the current directory, as in the working tree", s, err)
	}
	if s, err := Resolve("git:c0:" + filepath.Join(mustGetwd(t), "eu.yaml")); err != nil || s.Name != "eu-old" {
		t.Errorf("an absolute path: %v, %v", s, err)
	}
}

func mustGetwd(t *testing.T) string {
	wd, err := os.Getwd()
	if err != nil {
		t.Fatal(err)
	}
	return wd
}

// Whatever is wrong with a reference to a revision is a problem of the
// reference, saying what: git absent, no repository, no such revision, no
// such file, a directory, a file too large, an option in disguise; a
// baseline missing at the revision is located at its line.
func TestResolveRevisionProblems(t *testing.T) {
	eu := withBaseline(t, "eu", "gone.yaml")
	dir := scratchRepo(t, map[string]string{
		"eu.yaml":    eu,
		"ok.yaml":    withBaseline(t, "ok", ""),
		"big.yaml":   "# " + strings.Repeat("x", maxFileSize) + "\n",
		"d/one.yaml": withBaseline(t, "one", ""),
	})
	for _, c := range []struct{ ref, want string }{
		{"git:c0:eu.yaml", fmt.Sprintf("git:c0:eu.yaml:%d:11: baseline: git:c0:gone.yaml: no file gone.yaml at revision c0", strings.Count(eu, "\n"))},
		{"git:nope:ok.yaml", `git:nope:ok.yaml: no revision "nope" in this git repository`},
		{"git:c0:missing.yaml", "git:c0:missing.yaml: no file missing.yaml at revision c0"},
		{"git:c0:d", "git:c0:d: is a tree at that revision, not a file"},
		{"git:c0:big.yaml", "git:c0:big.yaml: file is larger than 8 MiB"},
		{"git:--output=x:ok.yaml", `the revision "--output=x" starts with '-'`},
		{"git:c0:-ok.yaml", `the path "-ok.yaml" starts with '-'`},
		{"git:c0", "want git:REV:PATH"},
		{"git::ok.yaml", "want git:REV:PATH"},
	} {
		_, err := Resolve(c.ref)
		var ps scenarios.Problems
		if !errors.As(err, &ps) || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: %v; want problems saying %q", c.ref, err, c.want)
		}
	}

	t.Chdir(t.TempDir())
	if _, err := Resolve("git:c0:ok.yaml"); err == nil || !strings.Contains(err.Error(), "not in a git repository") {
		t.Errorf("outside a repository: %v", err)
	}
	t.Chdir(dir)
	t.Setenv("PATH", t.TempDir())
	if _, err := Resolve("git:c0:ok.yaml"); err == nil || !strings.Contains(err.Error(), "needs git, which is not on PATH") {
		t.Errorf("without git: %v", err)
	}
}

// An interrupt stops the reading.
func TestResolveRevisionCancelled(t *testing.T) {
	scratchRepo(t, map[string]string{"ok.yaml": withBaseline(t, "ok", "")})
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := ResolveContext(ctx, "git:c0:ok.yaml"); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: %v, want context.Canceled", err)
	}
}

// A study at a revision names its scenario at the same revision, which
// must be there.
func TestStudyAtRevision(t *testing.T) {
	study := "scenario: eu.yaml\naxes:\n  - {set: run.seed, values: [1, 2]}\n"
	scratchRepo(t,
		map[string]string{"s/study.yaml": study, "s/eu.yaml": withBaseline(t, "eu", "")},
		map[string]string{"s/eu.yaml": ""},
	)
	st, err := LoadStudyContext(context.Background(), "git:c0:s/study.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if st.ScenarioRef() != "git:c0:s/eu.yaml" || st.Source.File != "git:c0:s/study.yaml" {
		t.Errorf("study %s names %s; want its scenario at the same revision", st.Source.File, st.ScenarioRef())
	}
	if _, err := LoadStudyContext(context.Background(), "git:c1:s/study.yaml"); err == nil || !strings.Contains(err.Error(), "git:c1:s/study.yaml:1:11: scenario: git:c1:s/eu.yaml: no file s/eu.yaml at revision c1") {
		t.Errorf("scenario gone at the revision: %v", err)
	}
}
