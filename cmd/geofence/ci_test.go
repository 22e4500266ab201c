package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// The CI glue in docs/ — the GitHub action, the GitLab template — runs
// geofence from a shell in a git repository. These helpers give its tests
// both: the geofence under test as a program on PATH, and a scratch
// repository of commits.

// geofenceBin returns a directory holding a program called geofence that
// is this package's main: the test binary itself, which TestMain runs as
// geofence when it is called so. It skips the test without bash or git.
func geofenceBin(t *testing.T) string {
	t.Helper()
	for _, tool := range []string{"bash", "git"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed: the CI scripts cannot run", tool)
		}
	}
	self, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := os.Symlink(self, filepath.Join(dir, "geofence")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// gitEnv is the environment git needs to commit in a test, whatever the
// machine's configuration.
var gitEnv = []string{"GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com", "GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com", "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_NOSYSTEM=1"}

// repo is a scratch git repository.
type repo struct {
	t   *testing.T
	dir string
}

// newRepo makes an empty repository whose branch is main.
func newRepo(t *testing.T) *repo {
	r := &repo{t: t, dir: t.TempDir()}
	r.git("init", "-q", "-b", "main")
	return r
}

// git runs git in the repository and returns its output.
func (r *repo) git(args ...string) string {
	r.t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), gitEnv...)
	out, err := cmd.CombinedOutput()
	if err != nil {
		r.t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
	return strings.TrimSpace(string(out))
}

// commit writes files (path in the repository -> the testdata/ci file
// whose content it takes) and commits them, returning the commit's hash.
func (r *repo) commit(files map[string]string) string {
	r.t.Helper()
	for path, from := range files {
		data, err := os.ReadFile(filepath.Join("testdata", "ci", from))
		if err != nil {
			r.t.Fatal(err)
		}
		full := filepath.Join(r.dir, path)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			r.t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o644); err != nil {
			r.t.Fatal(err)
		}
		r.git("add", path)
	}
	r.git("commit", "-q", "-m", "change")
	return r.git("rev-parse", "HEAD")
}

// exitStatus is the exit status a command's Run or Wait error says, 0
// for none; any other error fails t.
func exitStatus(t *testing.T, err error) int {
	t.Helper()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit):
		return exit.ExitCode()
	case err != nil:
		t.Fatal(err)
	}
	return 0
}

// changeRepo is a repository of two commits on main: the scenarios
// scenarios/na.yaml (from testdata/ci/clean.yaml) and its baseline
// scenarios/before.yaml, then na.yaml changed to the testdata/ci file
// change. It returns the repository and the first commit's hash.
func changeRepo(t *testing.T, change string) (*repo, string) {
	r := newRepo(t)
	base := r.commit(map[string]string{"scenarios/na.yaml": "clean.yaml", "scenarios/before.yaml": "before.yaml"})
	r.commit(map[string]string{"scenarios/na.yaml": change})
	return r, base
}
