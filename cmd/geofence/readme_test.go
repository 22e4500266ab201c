package main

import (
	"context"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The README's CI section runs as written: in a scratch repository whose
// main branch has scenarios/eu.yaml (and its baseline) and whose working
// tree adds Beijing to its backup list, each geofence command exits as
// its comment says (exit N; 0 when it says none), the install line names
// this module at this release, and the workflow and job it shows are the
// files' own.
func TestREADMECISection(t *testing.T) {
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	_, section, ok := strings.Cut(string(data), "\n## CI:")
	if !ok {
		t.Fatal("the README has no CI section")
	}
	section, _, _ = strings.Cut(section, "\n## ")
	modfile, err := os.ReadFile("../../go.mod")
	if err != nil {
		t.Fatal(err)
	}
	module := strings.Fields(strings.SplitN(string(modfile), "\n", 2)[0])[1]
	workflow, err := os.ReadFile("../../docs/github-action/example-workflow.yml")
	if err != nil {
		t.Fatal(err)
	}
	template, err := os.ReadFile("../../docs/gitlab/geofence.gitlab-ci.yml")
	if err != nil {
		t.Fatal(err)
	}

	geofenceBin(t) // skips without bash or git
	r := newRepo(t)
	r.commit(map[string]string{"scenarios/eu.yaml": "clean.yaml", "scenarios/before.yaml": "before.yaml"})
	opened, err := os.ReadFile("testdata/ci/opened.yaml")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(r.dir+"/scenarios/eu.yaml", opened, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Chdir(r.dir)

	block := regexp.MustCompile("(?s)```(sh|yaml)\n(.*?)```")
	exitIn := regexp.MustCompile(`^\s*exit (\d+)`)
	commands := 0
	for _, b := range block.FindAllStringSubmatch(section, -1) {
		if b[1] == "yaml" {
			if strings.Contains(b[2], "uses: geofence/geofence/docs/github-action@v"+release) {
				for _, line := range strings.Split(strings.TrimSpace(b[2]), "\n") {
					if !strings.Contains(string(workflow), strings.TrimSpace(line)) {
						t.Errorf("the README's workflow line %q is not example-workflow.yml's", line)
					}
				}
				continue
			}
			var job struct {
				Include  []map[string]string `yaml:"include"`
				Geofence struct {
					Variables map[string]string `yaml:"variables"`
				} `yaml:"geofence"`
			}
			if err := yaml.Unmarshal([]byte(b[2]), &job); err != nil {
				t.Fatal(err)
			}
			if len(job.Include) != 1 || !strings.HasSuffix(job.Include[0]["remote"], "/v"+release+"/docs/gitlab/geofence.gitlab-ci.yml") {
				t.Errorf("the README includes %v, want the template at this release", job.Include)
			}
			for name := range job.Geofence.Variables {
				if !strings.Contains(string(template), name+":") {
					t.Errorf("the README sets %s, which the GitLab job does not have", name)
				}
			}
			continue
		}
		for _, line := range strings.Split(strings.TrimSpace(b[2]), "\n") {
			command, comment, _ := strings.Cut(line, "#")
			args := strings.Fields(command)
			if strings.ContainsAny(command, `'"$|><`) {
				t.Fatalf("%q: the test splits commands at spaces; write it without quotes, variables or redirections", line)
			}
			switch {
			case len(args) == 3 && args[0] == "go" && args[1] == "install":
				if want := module + "/cmd/geofence@v" + release; args[2] != want {
					t.Errorf("the README installs %s, want %s", args[2], want)
				}
				continue
			case args[0] != "geofence":
				t.Fatalf("%q: not a geofence command", line)
			}
			want := 0
			if m := exitIn.FindStringSubmatch(comment); m != nil {
				want, _ = strconv.Atoi(m[1])
			}
			var stdout, stderr strings.Builder
			if code := run(context.Background(), args[1:], &stdout, &stderr); code != want {
				t.Errorf("%s: exit %d, want %d\n%s", command, code, want, stderr.String())
			}
			commands++
		}
	}
	if commands < 6 {
		t.Errorf("ran %d commands: the section's blocks were not found", commands)
	}
}
