package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	gosarif "github.com/owenrumney/go-sarif/v3/pkg/report/v210/sarif"
	"go.yaml.in/yaml/v3"
)

// actionDir is the GitHub action, as a workflow names it.
const actionDir = "../../docs/github-action"

// action is what a runner reads of an action.yml.
type action struct {
	Inputs map[string]struct {
		Default  string `yaml:"default"`
		Required bool   `yaml:"required"`
	} `yaml:"inputs"`
	Runs struct {
		Using string       `yaml:"using"`
		Steps []actionStep `yaml:"steps"`
	} `yaml:"runs"`
}

type actionStep struct {
	ID    string            `yaml:"id"`
	If    string            `yaml:"if"`
	Uses  string            `yaml:"uses"`
	Shell string            `yaml:"shell"`
	Run   string            `yaml:"run"`
	Env   map[string]string `yaml:"env"`
	With  map[string]string `yaml:"with"`
}

// runner plays a GitHub runner for the action's own step: the
// expressions it uses, from the inputs given and the event, the
// variables a runner sets, and bash as a runner starts it.
type runner struct {
	t      *testing.T
	action action
	dir    string // RUNNER_TEMP and the files a runner writes
	inputs map[string]string
	event  map[string]any // the webhook payload
	env    []string       // GITHUB_* as a runner sets them
}

var expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)

// eval replaces each expression of s by its value; only the forms the
// action uses are known.
func (r *runner) eval(s string) string {
	return expression.ReplaceAllStringFunc(s, func(m string) string {
		name := expression.FindStringSubmatch(m)[1]
		if input, ok := strings.CutPrefix(name, "inputs."); ok {
			v, ok := r.inputs[input]
			if !ok {
				r.t.Fatalf("the action reads input %s, which it does not declare", input)
			}
			return v
		}
		if path, ok := strings.CutPrefix(name, "github.event."); ok {
			var v any = r.event
			for _, key := range strings.Split(path, ".") {
				obj, _ := v.(map[string]any)
				v = obj[key]
			}
			if v == nil {
				return ""
			}
			return fmt.Sprint(v)
		}
		r.t.Fatalf("expression %q: the test's runner does not know it", name)
		return ""
	})
}

// newRunner reads the action, and sets its inputs: with over the
// defaults, whose expressions read event.
func newRunner(t *testing.T, with map[string]string, event map[string]any, env ...string) *runner {
	data, err := os.ReadFile(filepath.Join(actionDir, "action.yml"))
	if err != nil {
		t.Fatal(err)
	}
	r := &runner{t: t, dir: t.TempDir(), inputs: map[string]string{}, event: event, env: env}
	if err := yaml.Unmarshal(data, &r.action); err != nil {
		t.Fatal(err)
	}
	if v := r.action.Inputs["version"].Default; v != "v"+release {
		t.Errorf("the action installs %s by default, want this release, v%s", v, release)
	}
	for name, in := range r.action.Inputs {
		r.inputs[name] = r.eval(in.Default)
	}
	for name, v := range with {
		if _, ok := r.action.Inputs[name]; !ok {
			t.Fatalf("no input %s", name)
		}
		r.inputs[name] = v
	}
	for name, in := range r.action.Inputs {
		if in.Required && r.inputs[name] == "" {
			t.Fatalf("input %s is required", name)
		}
	}
	return r
}

// run runs the action's steps as a runner would with the geofence input
// set: the install steps are skipped (they are the ones conditioned on
// it), the upload step checked, not run (it needs GitHub), and the step
// that runs the script run with bash. It returns the step's exit status
// and what it printed (workflow commands among it).
func (r *runner) run(workspace string) (code int, stdout string) {
	r.t.Helper()
	if r.action.Runs.Using != "composite" {
		r.t.Fatalf("runs.using %q, want composite", r.action.Runs.Using)
	}
	pinned := regexp.MustCompile(`^[\w-]+/[\w-]+(/[\w-]+)*@[0-9a-f]{40}$`)
	var script *actionStep
	for i := range r.action.Runs.Steps {
		step := &r.action.Runs.Steps[i]
		switch {
		case step.Uses != "" && !pinned.MatchString(step.Uses):
			r.t.Errorf("step uses %s: pin actions to a full commit hash", step.Uses)
		case step.ID == "geofence":
			script = step
		case strings.Contains(step.Uses, "upload-sarif"):
			if step.With["sarif_file"] != "${{ steps.geofence.outputs.sarif }}" || !strings.Contains(step.If, "!cancelled()") {
				r.t.Errorf("the upload step uploads %q if %q: want the script's SARIF, even when it failed", step.With["sarif_file"], step.If)
			}
		case step.If != "inputs.geofence == ''":
			r.t.Errorf("step %+v runs with a geofence given: only the install steps may be skipped for it", step)
		}
	}
	if script == nil || script.Shell != "bash" {
		r.t.Fatal("no bash step with id geofence")
	}
	file := filepath.Join(r.dir, "step.sh")
	if err := os.WriteFile(file, []byte(r.eval(script.Run)), 0o644); err != nil {
		r.t.Fatal(err)
	}
	abs, err := filepath.Abs(actionDir)
	if err != nil {
		r.t.Fatal(err)
	}
	cmd := exec.Command("bash", "--noprofile", "--norc", "-eo", "pipefail", file)
	cmd.Dir = workspace
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "GITHUB_") && !strings.HasPrefix(kv, "GEOFENCE") && !strings.HasPrefix(kv, "RUNNER_") {
			cmd.Env = append(cmd.Env, kv)
		}
	}
	cmd.Env = append(cmd.Env, gitEnv...)
	cmd.Env = append(cmd.Env, r.env...)
	cmd.Env = append(cmd.Env, "GITHUB_ACTIONS=true", "CI=true", "GITHUB_WORKSPACE="+workspace, "GITHUB_ACTION_PATH="+abs,
		"RUNNER_TEMP="+r.dir, "GITHUB_STEP_SUMMARY="+r.file("summary"), "GITHUB_OUTPUT="+r.file("output"))
	for name, v := range script.Env {
		cmd.Env = append(cmd.Env, name+"="+r.eval(v))
	}
	var out, errOut strings.Builder
	cmd.Stdout, cmd.Stderr = &out, &errOut
	code = exitStatus(r.t, cmd.Run())
	r.t.Logf("the step's log:\n%s%s", out.String(), errOut.String())
	return code, out.String()
}

// file is one of the files a runner gives a step, created empty.
func (r *runner) file(name string) string {
	path := filepath.Join(r.dir, name)
	if _, err := os.Stat(path); err != nil {
		if err := os.WriteFile(path, nil, 0o644); err != nil {
			r.t.Fatal(err)
		}
	}
	return path
}

// read returns what the step wrote to one of its files.
func (r *runner) read(name string) string {
	data, err := os.ReadFile(r.file(name))
	if err != nil {
		r.t.Fatal(err)
	}
	return string(data)
}

// outputs are the step's outputs.
func (r *runner) outputs() map[string]string {
	out := map[string]string{}
	for _, line := range strings.Split(r.read("output"), "\n") {
		if k, v, ok := strings.Cut(line, "="); ok {
			out[k] = v
		}
	}
	return out
}

// pullRequestRunner runs the action, with the geofence under test, on a
// pull request that changes scenarios/na.yaml to the testdata/ci file
// change, checking scenarios. It returns the runner, the repository and
// the base commit.
func pullRequestRunner(t *testing.T, change, scenarios string) (*runner, *repo, string) {
	bin := geofenceBin(t)
	r, base := changeRepo(t, change)
	event, env := pullRequest(t, r, base)
	return newRunner(t, map[string]string{"scenarios": scenarios, "geofence": filepath.Join(bin, "geofence")}, event, env...), r, base
}

// pullRequest is the event of a pull request from feature into main whose
// base is the commit base.
func pullRequest(t *testing.T, r *repo, base string) (map[string]any, []string) {
	event := map[string]any{"action": "opened", "number": 1.0, "pull_request": map[string]any{
		"number": 1.0,
		"base":   map[string]any{"ref": "main", "sha": base},
		"head":   map[string]any{"ref": "feature", "sha": r.git("rev-parse", "HEAD")},
	}}
	data, err := json.Marshal(event)
	if err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "event.json")
	if err := os.WriteFile(path, data, 0o644); err != nil {
		t.Fatal(err)
	}
	return event, []string{"GITHUB_EVENT_NAME=pull_request", "GITHUB_EVENT_PATH=" + path, "GITHUB_BASE_REF=main", "GITHUB_HEAD_REF=feature",
		"GITHUB_REF=refs/pull/1/merge", "GITHUB_SHA=" + r.git("rev-parse", "HEAD"), "GITHUB_REPOSITORY=example/routing"}
}

// sarifRuns reads every SARIF log in dir, by file name.
func sarifRuns(t *testing.T, dir string) map[string]*gosarif.Run {
	files, err := filepath.Glob(filepath.Join(dir, "*.sarif"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no SARIF in %q: %v", dir, err)
	}
	out := map[string]*gosarif.Run{}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		log, err := gosarif.FromBytes(data)
		if err != nil || len(log.Runs) != 1 {
			t.Fatalf("%s: %v; want one run of valid JSON", f, err)
		}
		out[filepath.Base(f)] = log.Runs[0]
	}
	return out
}

// A pull request that adds Beijing to a backup list fails the job (exit
// 1): the summary has the check of every scenario and the diff of the
// one it changed, the findings are annotated at their lines, and each
// scenario's SARIF is its own code-scanning category with the finding at
// the entry's line.
func TestGitHubActionPullRequestOpensForbiddenPath(t *testing.T) {
	gh, r, base := pullRequestRunner(t, "opened.yaml", "scenarios/*.yaml")

	code, log := gh.run(r.dir)
	if code != exitViolation {
		t.Errorf("exit %d, want %d", code, exitViolation)
	}
	summary := gh.read("summary")
	for _, want := range []string{
		"compared with the base revision `" + base + "`",
		"| `scenarios/before.yaml` | pass | unchanged |",
		"| `scenarios/na.yaml` | **fail** | diff **fail** |",
		"### `scenarios/na.yaml`: what this pull request changes",
		"na-free media: new forbidden landing at bj1 (CN) when us-east and us-west are full or down",
		"<summary><code>scenarios/na.yaml</code>: check **fail**</summary>",
	} {
		if !strings.Contains(summary, want) {
			t.Errorf("the summary lacks %q:\n%s", want, summary)
		}
	}
	for _, want := range []string{
		"::error file=scenarios/na.yaml,line=31,col=9,title=geofence check::na-free media: statically reachable: bj1 (CN)",
		"::error file=scenarios/na.yaml,line=31,col=9,title=geofence diff::na-free media: new forbidden landing at bj1 (CN)",
	} {
		if !strings.Contains(log, want) {
			t.Errorf("no annotation %q", want)
		}
	}
	out := gh.outputs()
	if out["status"] != "1" {
		t.Errorf("output status %q, want 1", out["status"])
	}
	runs := sarifRuns(t, out["sarif"])
	var categories []string
	for _, run := range runs {
		categories = append(categories, *run.AutomationDetails.ID)
	}
	slices.Sort(categories)
	if want := []string{"geofence/scenarios/before.yaml/", "geofence/scenarios/na.yaml/"}; !slices.Equal(categories, want) {
		t.Errorf("SARIF categories %q, want %q: code scanning refuses two runs of one category", categories, want)
	}
	na := runs["2-scenarios_na.yaml.sarif"]
	if first := na.Results; len(first) == 0 || *first[0].RuleID != "static-reachable" ||
		*first[0].Locations[0].PhysicalLocation.ArtifactLocation.URI != "scenarios/na.yaml" || *first[0].Locations[0].PhysicalLocation.Region.StartLine != 31 {
		t.Errorf("na.yaml's SARIF results %+v: want the forbidden landing first, at scenarios/na.yaml:31", na.Results)
	}
}

// A pull request that keeps every fence passes (exit 0), its diff shown.
func TestGitHubActionPullRequestPasses(t *testing.T) {
	gh, r, _ := pullRequestRunner(t, "roomier.yaml", "scenarios/na.yaml\nscenarios/before.yaml")
	if code, _ := gh.run(r.dir); code != exitOK {
		t.Errorf("exit %d, want 0", code)
	}
	summary := gh.read("summary")
	if !strings.Contains(summary, "| `scenarios/na.yaml` | pass | diff pass |") || !strings.Contains(summary, "UNCHANGED") {
		t.Errorf("the summary does not show the passing diff:\n%s", summary)
	}
	if out := gh.outputs(); out["status"] != "0" || len(sarifRuns(t, out["sarif"])) != 2 {
		t.Errorf("outputs %v", out)
	}
}

// Bad input fails the job with exit 2 and geofence's message, annotated
// and in the summary; on a push there is nothing to diff.
func TestGitHubActionInputError(t *testing.T) {
	bin := geofenceBin(t)
	r := newRepo(t)
	r.commit(map[string]string{"scenarios/na.yaml": "clean.yaml", "scenarios/before.yaml": "before.yaml"})
	gh := newRunner(t, map[string]string{"scenarios": "scenarios/na.yaml scenarios/eu.yaml", "geofence": filepath.Join(bin, "geofence")}, map[string]any{},
		"GITHUB_EVENT_NAME=push", "GITHUB_REF=refs/heads/main")
	code, log := gh.run(r.dir)
	if code != exitUsage {
		t.Errorf("exit %d, want %d", code, exitUsage)
	}
	if !strings.Contains(log, "::error title=geofence check::geofence check: open scenarios/eu.yaml: no such file or directory") {
		t.Errorf("no annotation of the missing file")
	}
	summary := gh.read("summary")
	if !strings.Contains(summary, "| `scenarios/na.yaml` | pass | — |") || !strings.Contains(summary, "### `scenarios/eu.yaml`: input error") {
		t.Errorf("summary:\n%s", summary)
	}
	if out := gh.outputs(); out["status"] != "2" {
		t.Errorf("output status %q, want 2", out["status"])
	}
}
