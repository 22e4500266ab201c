package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// The README's commands run as written, each exiting as its comment says
// (exit N; 0 when it says none).

// Every command of the README that runs the Istio example, run from the
// repository's root as the README runs them.
func TestREADMEIstioCommands(t *testing.T) {
	commands := goRunCommands(t, readme(t), "docs/examples/istio")
	if len(commands) < 6 {
		t.Errorf("%d commands: the README's Istio commands were not found", len(commands))
	}
	t.Chdir("../..")
	for _, c := range commands {
		if c.words[0] != "routes" { // routes draws no progress bar
			c.words = append(c.words, "-q")
		}
		exitsAs(t, c.words, c.want)
	}
}

// The README's Consul and Route 53 commands run as written, from the
// repository's root, writing what they write (--out) to a scratch
// directory.
func TestREADMEImportSection(t *testing.T) {
	commands := goRunCommands(t, readmeSection(t, "## Consul and Route 53:"), "")
	if len(commands) < 3 {
		t.Fatalf("%d commands in the section, want the three it shows", len(commands))
	}
	t.Chdir("../..")
	out := t.TempDir()
	for _, c := range commands {
		for i, a := range c.words {
			if i > 0 && c.words[i-1] == "--out" {
				c.words[i] = filepath.Join(out, a)
			}
		}
		exitsAs(t, c.words, c.want)
	}
}

// The README's CI section runs as written: in a scratch repository whose
// main branch has scenarios/eu.yaml (and its baseline) and whose working
// tree adds Beijing to its backup list, each geofence command exits as
// its comment says (exit N; 0 when it says none), the install line names
// this module at this release, and the workflow and job it shows are the
// files' own.
func TestREADMECISection(t *testing.T) {
	section := readmeSection(t, "## CI:")
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
			c := parseCommand(t, line)
			args := c.words
			switch {
			case len(args) == 3 && args[0] == "go" && args[1] == "install":
				if want := module + "/cmd/geofence@v" + release; args[2] != want {
					t.Errorf("the README installs %s, want %s", args[2], want)
				}
				continue
			case args[0] != "geofence":
				t.Fatalf("%q: not a geofence command", line)
			}
			exitsAs(t, args[1:], c.want)
			commands++
		}
	}
	if commands < 6 {
		t.Errorf("ran %d commands: the section's blocks were not found", commands)
	}
}

// readme is the repository's README.
func readme(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("../../README.md")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// readmeSection is the README's section whose heading starts with
// heading, up to the next section.
func readmeSection(t *testing.T, heading string) string {
	t.Helper()
	_, section, ok := strings.Cut(readme(t), "\n"+heading)
	if !ok {
		t.Fatalf("the README has no %q section", heading)
	}
	section, _, _ = strings.Cut(section, "\n## ")
	return section
}

// readmeCommand is a command line of the README: its words, and the exit
// status its comment says.
type readmeCommand struct {
	words []string
	want  int
}

// exitIn finds the exit status in a command's comment.
var exitIn = regexp.MustCompile(`^\s*exit (\d+)`)

// parseCommand splits line, a command and its comment (# exit N: 0 when
// it says none), at spaces.
func parseCommand(t *testing.T, line string) readmeCommand {
	t.Helper()
	command, comment, _ := strings.Cut(line, "#")
	if strings.ContainsAny(command, `'"$|><`) {
		t.Fatalf("%q: the test splits commands at spaces; write it without quotes, variables or redirections", line)
	}
	c := readmeCommand{words: strings.Fields(command)}
	if m := exitIn.FindStringSubmatch(comment); m != nil {
		c.want, _ = strconv.Atoi(m[1])
	}
	return c
}

// goRunCommands are the lines of text that run go run ./cmd/geofence with
// arguments that hold about, as geofence's arguments.
func goRunCommands(t *testing.T, text, about string) []readmeCommand {
	t.Helper()
	var commands []readmeCommand
	for _, line := range strings.Split(text, "\n") {
		command, _, _ := strings.Cut(line, "#")
		rest, ok := strings.CutPrefix(strings.TrimSpace(command), "go run ./cmd/geofence ")
		if ok && strings.Contains(rest, about) {
			c := parseCommand(t, line)
			c.words = c.words[3:]
			commands = append(commands, c)
		}
	}
	return commands
}

// exitsAs runs geofence with args and checks that it exits with want.
func exitsAs(t *testing.T, args []string, want int) {
	t.Helper()
	var stdout, stderr strings.Builder
	if code := run(context.Background(), args, &stdout, &stderr); code != want {
		t.Errorf("geofence %s: exit %d, want %d\n%s", strings.Join(args, " "), code, want, stderr.String())
	}
}
