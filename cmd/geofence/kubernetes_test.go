package main

import (
	"bytes"
	"context"
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"
)

// manifest is the part of a Kubernetes object these tests read.
type manifest struct {
	Kind     string                `yaml:"kind"`
	Metadata struct{ Name string } `yaml:"metadata"`
	Data     map[string]string     `yaml:"data"`
	Spec     struct {
		CompletionMode string `yaml:"completionMode"`
		Completions    int    `yaml:"completions"`
		Parallelism    int    `yaml:"parallelism"`
		Template       struct {
			Spec struct {
				Containers []struct {
					Args         []string `yaml:"args"`
					VolumeMounts []struct {
						Name      string `yaml:"name"`
						MountPath string `yaml:"mountPath"`
					} `yaml:"volumeMounts"`
				} `yaml:"containers"`
			} `yaml:"spec"`
		} `yaml:"template"`
	} `yaml:"spec"`
}

// readManifests reads every object of a multi-document YAML file.
func readManifests(t *testing.T, path string) []manifest {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	dec := yaml.NewDecoder(bytes.NewReader(data))
	var out []manifest
	for {
		var m manifest
		if err := dec.Decode(&m); errors.Is(err, io.EOF) {
			return out
		} else if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		out = append(out, m)
	}
}

// The Kubernetes manifests shipped in docs/kubernetes run: the Indexed
// Job's N pods, each with its completion index, and then the merge Job,
// give the unsharded sweep's report byte for byte. Kubernetes cannot run
// here, so each pod's command runs as Kubernetes would start it: its args
// with $(JOB_COMPLETION_INDEX) expanded, its volumes' mount paths mapped
// to directories (the ConfigMap's keys as files). To keep the test short,
// every sweep, sharded or not, runs 2 replications of 6 hours.
func TestKubernetesSweep(t *testing.T) {
	var configMap, sweep, merge *manifest
	objects := append(readManifests(t, "../../docs/kubernetes/sweep.yaml"), readManifests(t, "../../docs/kubernetes/merge.yaml")...)
	for i := range objects {
		switch m := &objects[i]; {
		case m.Kind == "ConfigMap":
			configMap = m
		case m.Kind == "Job" && m.Spec.CompletionMode == "Indexed":
			sweep = m
		case m.Kind == "Job":
			merge = m
		}
	}
	if configMap == nil || sweep == nil || merge == nil {
		t.Fatal("want a ConfigMap, an Indexed Job and a merge Job")
	}
	n := sweep.Spec.Completions
	if n < 2 || sweep.Spec.Parallelism != n {
		t.Fatalf("completions %d, parallelism %d: want them equal, at least 2", n, sweep.Spec.Parallelism)
	}
	shard := sweep.Spec.Template.Spec.Containers[0]
	if !slices.Contains(shard.Args, "$(JOB_COMPLETION_INDEX)/"+strconv.Itoa(n)) {
		t.Fatalf("shard args %q do not pass --shard $(JOB_COMPLETION_INDEX)/%d", shard.Args, n)
	}

	dir := t.TempDir()
	mounts := map[string]string{}
	for _, name := range []string{"study", "results"} {
		mounts[name] = filepath.Join(dir, name)
		if err := os.Mkdir(mounts[name], 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for key, text := range configMap.Data {
		if err := os.WriteFile(filepath.Join(mounts["study"], key), []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// mapped replaces each mount path in args by its directory.
	mapped := func(args []string, mountsOf []struct {
		Name      string `yaml:"name"`
		MountPath string `yaml:"mountPath"`
	}, index string) []string {
		out := make([]string, len(args))
		for i, a := range args {
			a = strings.ReplaceAll(a, "$(JOB_COMPLETION_INDEX)", index)
			for _, m := range mountsOf {
				a = strings.Replace(a, m.MountPath+"/", mounts[m.Name]+"/", 1)
			}
			out[i] = a
		}
		return out
	}
	shorter := []string{"--replications", "2", "--set", "run.horizon=6h"}
	for k := range n {
		args := append(mapped(shard.Args, shard.VolumeMounts, strconv.Itoa(k)), shorter...)
		var stderr strings.Builder
		if code := run(context.Background(), args, io.Discard, &stderr); code != exitOK {
			t.Fatalf("pod %d: %q exited %d: %s", k, args, code, stderr.String())
		}
	}
	merger := merge.Spec.Template.Spec.Containers[0]
	args := mapped(merger.Args, merger.VolumeMounts, "")
	var stderr strings.Builder
	if code := run(context.Background(), args, io.Discard, &stderr); code != exitOK {
		t.Fatalf("merge: %q exited %d: %s", args, code, stderr.String())
	}
	var whole strings.Builder
	unsharded := append([]string{"sweep", filepath.Join(mounts["study"], "study.yaml"), "-o", "json", "-q"}, shorter...)
	if code := run(context.Background(), unsharded, &whole, io.Discard); code != exitOK {
		t.Fatalf("unsharded sweep exited %d", code)
	}
	merged, err := os.ReadFile(filepath.Join(mounts["results"], "sweep.json"))
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(merged, []byte(whole.String())) {
		t.Error("the merged report of the Indexed Job's pods differs from the unsharded sweep's")
	}
}
