package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"github.com/geofence/geofence/results/render/codeclimate"
	"github.com/geofence/geofence/results/render/codeclimate/codeclimatetest"
)

// gitlabJob is what GitLab reads of the template's job.
type gitlabJob struct {
	Image        string            `yaml:"image"`
	Variables    map[string]string `yaml:"variables"`
	BeforeScript []string          `yaml:"before_script"`
	Script       []string          `yaml:"script"`
	Artifacts    struct {
		When    string `yaml:"when"`
		Reports struct {
			CodeQuality string `yaml:"codequality"`
			JUnit       string `yaml:"junit"`
		} `yaml:"reports"`
	} `yaml:"artifacts"`
}

// runGitLabJob runs the template's job as a GitLab runner's bash would —
// before_script then script, each line in one shell under set -eo
// pipefail — in the repository r with the job's variables (vars over
// them) and the predefined ones given. go is a stand-in that records
// what it was asked to install and puts the geofence under test where
// go install would. It returns the exit status and what go was asked.
func runGitLabJob(t *testing.T, r *repo, vars map[string]string, predefined ...string) (code int, goArgs string) {
	t.Helper()
	data, err := os.ReadFile("../../docs/gitlab/geofence.gitlab-ci.yml")
	if err != nil {
		t.Fatal(err)
	}
	var jobs map[string]gitlabJob
	if err := yaml.Unmarshal(data, &jobs); err != nil {
		t.Fatal(err)
	}
	job, ok := jobs["geofence"]
	if !ok {
		t.Fatal("no job geofence")
	}
	if job.Artifacts.When != "always" || job.Artifacts.Reports.CodeQuality != "gl-code-quality-report.json" || job.Artifacts.Reports.JUnit == "" {
		t.Errorf("artifacts %+v: want the reports kept, failing or not", job.Artifacts)
	}

	gopath := t.TempDir()
	if err := os.Rename(geofenceBin(t), filepath.Join(gopath, "bin")); err != nil {
		t.Fatal(err)
	}
	fakeGo := t.TempDir()
	asked := filepath.Join(fakeGo, "asked")
	stub := "#!/bin/sh\ncase $1 in\ninstall) echo \"$*\" >> '" + asked + "' ;;\nenv) echo '" + gopath + "' ;;\n*) exit 2 ;;\nesac\n"
	if err := os.WriteFile(filepath.Join(fakeGo, "go"), []byte(stub), 0o755); err != nil {
		t.Fatal(err)
	}
	script := "set -eo pipefail\n" + strings.Join(append(job.BeforeScript, job.Script...), "\n") + "\n"
	cmd := exec.Command("bash", "--noprofile", "--norc", "-c", script)
	cmd.Dir = r.dir
	cmd.Env = append(os.Environ(), gitEnv...)
	cmd.Env = append(cmd.Env, "PATH="+fakeGo+string(os.PathListSeparator)+os.Getenv("PATH"), "CI=true", "GITLAB_CI=true", "CI_PROJECT_DIR="+r.dir, "CI_DEFAULT_BRANCH=main")
	for name, v := range job.Variables {
		if over, ok := vars[name]; ok {
			v = over
		}
		cmd.Env = append(cmd.Env, name+"="+v)
	}
	cmd.Env = append(cmd.Env, predefined...)
	out, err := cmd.CombinedOutput()
	t.Logf("the job's log:\n%s", out)
	code = exitStatus(t, err)
	goArgs, _ = readFile(asked)
	matches, _ := filepath.Glob(filepath.Join(r.dir, job.Artifacts.Reports.JUnit))
	if len(matches) == 0 && code < exitUsage {
		t.Errorf("no JUnit report matches %s", job.Artifacts.Reports.JUnit)
	}
	for _, m := range matches {
		data, err := os.ReadFile(m)
		if err != nil {
			t.Fatal(err)
		}
		if err := xml.Unmarshal(data, new(struct{})); err != nil {
			t.Errorf("%s is not XML: %v", m, err)
		}
	}
	return code, strings.TrimSpace(goArgs)
}

func readFile(path string) (string, error) {
	data, err := os.ReadFile(path)
	return string(data), err
}

// codeQualityReport reads the job's Code Quality report as GitLab would
// take it: valid by GitLab's documented fields, fingerprints unique.
func codeQualityReport(t *testing.T, r *repo) []codeclimate.Issue {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(r.dir, "gl-code-quality-report.json"))
	if err != nil {
		t.Fatal(err)
	}
	return codeclimatetest.Read(t, data)
}

// mergeRequest is what GitLab predefines for a merge request pipeline of
// the repository's head against base.
func mergeRequest(r *repo, base string) []string {
	return []string{"CI_PIPELINE_SOURCE=merge_request_event", "CI_MERGE_REQUEST_DIFF_BASE_SHA=" + base, "CI_MERGE_REQUEST_TARGET_BRANCH_NAME=main",
		"CI_MERGE_REQUEST_IID=1", "CI_COMMIT_SHA=" + r.git("rev-parse", "HEAD")}
}

// The template's job on a merge request that adds Beijing to a backup
// list: go install fetches the module at the pinned release, the job
// fails (exit 1), its Code Quality report joins both scenarios' issues
// with the forbidden landing at its line, the JUnit reports are there,
// and the diff against the merge request's base is in the log and kept.
func TestGitLabTemplateMergeRequest(t *testing.T) {
	r, base := changeRepo(t, "opened.yaml")
	code, goArgs := runGitLabJob(t, r, nil, mergeRequest(r, base)...)
	if code != exitViolation {
		t.Errorf("exit %d, want %d", code, exitViolation)
	}
	modfile, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	module := strings.Fields(strings.SplitN(string(modfile), "\n", 2)[0])[1]
	if want := "install " + module + "/cmd/geofence@v" + release; goArgs != want {
		t.Errorf("go was asked %q, want %q", goArgs, want)
	}
	issues := codeQualityReport(t, r)
	paths := map[string]int{}
	critical := 0
	for _, i := range issues {
		paths[i.Location.Path]++
		if i.Severity == "critical" {
			critical++
			if i.CheckName != "static-reachable" || i.Location.Path != "scenarios/na.yaml" || i.Location.Lines.Begin != 31 {
				t.Errorf("critical issue %+v: want the forbidden landing at scenarios/na.yaml:31", i)
			}
		}
	}
	if critical != 1 || paths["scenarios/before.yaml"] == 0 {
		t.Errorf("%d critical issues, issues by file %v: want the landing and both files' lints", critical, paths)
	}
	diff, err := os.ReadFile(filepath.Join(r.dir, "geofence", "2-scenarios_na.yaml.diff.md"))
	if err != nil || !bytes.Contains(diff, []byte("new forbidden landing at bj1 (CN)")) {
		t.Errorf("the merge request's diff was not kept: %v\n%s", err, diff)
	}
}

// With GEOFENCE_CODE_QUALITY=diff the report lists only what the merge
// request made worse: the new entry and its lint, nothing of the
// scenario it did not touch.
func TestGitLabTemplateDiffCodeQuality(t *testing.T) {
	r, base := changeRepo(t, "opened.yaml")
	if code, _ := runGitLabJob(t, r, map[string]string{"GEOFENCE_CODE_QUALITY": "diff"}, mergeRequest(r, base)...); code != exitViolation {
		t.Errorf("exit %d, want %d", code, exitViolation)
	}
	issues := codeQualityReport(t, r)
	var names []string
	for _, i := range issues {
		names = append(names, i.CheckName+"@"+i.Location.Path)
	}
	if strings.Join(names, " ") != "static-reachable@scenarios/na.yaml fail-open@scenarios/na.yaml" {
		t.Errorf("issues %q, want only what got worse", names)
	}
}

// On the default branch, a configuration that keeps its fences passes,
// its report holding lints only.
func TestGitLabTemplateDefaultBranch(t *testing.T) {
	r := newRepo(t)
	r.commit(map[string]string{"scenarios/na.yaml": "clean.yaml", "scenarios/before.yaml": "before.yaml"})
	if code, _ := runGitLabJob(t, r, nil, "CI_PIPELINE_SOURCE=push", "CI_COMMIT_BRANCH=main"); code != exitOK {
		t.Errorf("exit %d, want 0", code)
	}
	for _, i := range codeQualityReport(t, r) {
		if i.Severity == "critical" || i.Severity == "major" {
			t.Errorf("issue %+v on a configuration that keeps its fences", i)
		}
	}
}
