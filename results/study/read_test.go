package study

import (
	"context"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/scenarios/format"
)

// testVersion is the version the partials and results of these tests are
// made by.
const testVersion = "v0.0.0-test"

// spillPartials runs the spill scenario of testdata/sweep as a run, a
// check and a sweep (its study.yaml) of shards shards each, and returns
// each partial's JSON, named by command and shard: run0, run1, …,
// check0, …, sweep0, ….
func spillPartials(t testing.TB, shards int) map[string][]byte {
	t.Helper()
	st, err := format.LoadStudyFile(filepath.Join("testdata", "sweep", "study.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	return partialsOf(t, shards, Changes{}, st)
}

// tinyPartials are spillPartials of one shard on two replications of an
// hour, and a sweep of two points: small seeds for the fuzzer, which
// minimises what it finds byte by byte.
func tinyPartials(t testing.TB) map[string][]byte {
	t.Helper()
	st, err := format.LoadStudy(filepath.Join("testdata", "sweep", "tiny.yaml"), []byte(tinyStudy))
	if err != nil {
		t.Fatal(err)
	}
	return partialsOf(t, 1, tinyChanges, st)
}

// tinyChanges make the spill scenario small; tinyStudy sweeps it.
var tinyChanges = Changes{Set: []string{"run.replications=2", "run.horizon=1h"}}

const tinyStudy = `scenario: spill.yaml
set: ["run.replications=2", "run.horizon=1h"]
axes:
  - {set: "datacenters[us-1].capacity.media", values: [8, 12]}
`

// partialsOf runs the spill scenario with the changes ch as a run and a
// check, and the study st, each as shards shards.
func partialsOf(t testing.TB, shards int, ch Changes, st *format.Study) map[string][]byte {
	t.Helper()
	ctx := context.Background()
	s, err := Load(ctx, filepath.Join("testdata", "sweep", "spill.yaml"), ch)
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]byte{}
	add := func(name string, p *Partial, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		if out[name], err = json.Marshal(p); err != nil {
			t.Fatal(err)
		}
	}
	opt := Options{Version: testVersion}
	for k := range shards {
		p, err := RunShard(ctx, s, Shard{k, shards}, opt)
		add("run"+strconv.Itoa(k), p, err)
		p, err = CheckShard(ctx, s, Shard{k, shards}, CheckOptions{Options: opt, CheckSettings: CheckSettings{Limits: [3]float64{0.01, 0.01, 0.01}, Decide: "mean", FailOn: "error"}})
		add("check"+strconv.Itoa(k), p, err)
		p, err = SweepShard(ctx, st, Changes{}, Shard{k, shards}, SweepOptions{Options: opt})
		add("sweep"+strconv.Itoa(k), p, err)
	}
	return out
}

// mergeFiles writes the partials to files and merges them as geofence
// merge does: read, then merged.
func mergeFiles(t *testing.T, parts map[string][]byte, names ...string) (*Merged, error) {
	t.Helper()
	dir := t.TempDir()
	var paths []string
	for _, name := range names {
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, parts[name], 0o644); err != nil {
			t.Fatal(err)
		}
		paths = append(paths, path)
	}
	read, err := ReadPartials(context.Background(), paths)
	if err != nil {
		return nil, err
	}
	return Merge(context.Background(), read, testVersion)
}

// savedResults merges the partials run0, check0 and sweep0, each the
// whole of its job, and returns each result as geofence writes it, by
// command.
func savedResults(t testing.TB, parts map[string][]byte) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	for _, job := range []string{"run", "check", "sweep"} {
		p, err := ReadPartial(job, parts[job+"0"])
		if err != nil {
			t.Fatal(err)
		}
		m, err := Merge(context.Background(), []*Partial{p}, testVersion)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range []any{m.Run, m.Check, m.Sweep} {
			if data := mustJSON(t, r); data != nil {
				out[job] = data
			}
		}
	}
	return out
}

// Merge trusts no partial: one whose figures no run could produce, whose
// shard, job or layout is not one --shard writes, or that is no partial
// at all, is refused, naming its file and the JSON pointer of the value
// at fault; the partials as written merge.
func TestMergeRefusesEditedPartials(t *testing.T) {
	parts := spillPartials(t, 2)
	for _, job := range [][]string{{"run0", "run1"}, {"check1", "check0"}, {"sweep0", "sweep1"}} {
		if _, err := mergeFiles(t, parts, job...); err != nil {
			t.Fatalf("%v: %v", job, err)
		}
	}
	run := parts["run1"]
	offered := fixture.JSONInt(t, run, "/runs/0/records/0/Populations/0/Offered")
	for _, tc := range []struct {
		name    string
		base    string // the partial edited; merged with the other of its job
		pointer string
		value   any
		want    string // in the message, after the file's name
	}{
		{"more violations than joins", "run1", "/runs/0/records/0/Populations/0/Violations/0", offered + 1, "/runs/0/records/0/Populations/0/Violations/0: "},
		{"negative offered", "run1", "/runs/0/records/1/Populations/0/Offered", -3, "/runs/0/records/1/Populations/0/Offered: "},
		{"more admitted than offered", "run1", "/runs/0/records/0/Populations/0/AdmittedSecondary", fixture.Plus(1), "/runs/0/records/0/Populations/0/Offered: "},
		{"two million planes", "run1", "/runs/0/records/0/Total/Violations", make([]int, 2_000_000), "/runs/0/records/0/Total/Violations: want an array of 3, got one of another length"},
		{"negative window", "run1", "/runs/0/records/0/Window", -1, "/runs/0/records/0/Window: "},
		{"replications of another shard", "run1", "/runs/0/from", 0, "/runs/0"},
		{"negative replications", "run1", "/job/replications", -4, "/job/replications: -4"},
		{"shard out of range", "run1", "/shard/index", 7, "/shard: shard 7 of 2"},
		{"another kind", "run1", "/kind", "run", "a run result, not a partial one"},
		{"no kind", "run1", "/kind", "secret", `not a partial result: it has no kind "partial"`},
		{"a later layout", "run1", "/format_version", 2, "/format_version: 2"},
		{"an unknown member", "run1", "/job/secret", 1, "/job: holds a member geofence does not write"},
		{"a run with points", "run1", "/points", []any{}, ""},
		{"a command", "run1", "/job/command", "plan", "/job/command: want run, check or sweep"},
		{"a scenario of 100 MB", "run1", "/job/scenario/yaml", strings.Repeat("x", 9<<20), "/job/scenario/yaml: a string of 9.0 MiB; no result holds one of more than 8.0 MiB"},
		{"a name of 2 MB", "run1", "/job/scenario/file", strings.Repeat("x", 2<<20), "/job/scenario/file: a string of 2.0 MiB"},
		{"a path of 5000 bytes", "run1", "/job/scenario/file", strings.Repeat("x", 5000), "/job/scenario/file: 5000 bytes, longer than any path"},
		{"a hash", "check1", "/job/scenario/sha256", "secret", "/job/scenario/sha256: not a SHA-256"},
		{"a study edited", "sweep1", "/job/study/yaml", func(old any) any { return old.(string) + "# edited\n" }, "does not match its sha256"},
		{"a check's run", "check1", "/runs/0/records/0/Populations/0/Blocked", fixture.Plus(1), "/runs/0/records/0/Populations/0/Offered: "},
		{"a sweep's point", "sweep1", "/points/0/total/violations/media/per_replication/0", 1e9, "/points/0/total/violations/media/per_replication/0: "},
		{"a point's label", "sweep1", "/points/0/values/0", "99", "/points/0/values: not the values of the study's point"},
		{"a point of another length", "sweep1", "/points/1/total/offered/per_replication", []any{1}, "/points/1/total/offered/per_replication: 1 values; the run has 4 replications"},
	} {
		edited := map[string][]byte{}
		for name, data := range parts {
			edited[name] = data
		}
		if tc.name == "a run with points" {
			edited[tc.base] = []byte(strings.Replace(string(run), `"runs":`, `"points":[{"values":[],"overrides":[],"headline":{},"total":{},"populations":[]}],"runs":`, 1))
			tc.want = "/points: a run has no points"
		} else {
			edited[tc.base] = fixture.SetJSON(t, parts[tc.base], tc.pointer, tc.value)
		}
		other := strings.TrimSuffix(tc.base, "1") + "0"
		named := tc.base
		if tc.name == "a study edited" { // in every shard, so that they are of one job: the first is named
			edited[other] = fixture.SetJSON(t, parts[other], tc.pointer, tc.value)
			named = other
		}
		_, err := mergeFiles(t, edited, other, tc.base)
		if err == nil || !strings.Contains(err.Error(), named+".json: ") || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v; want one naming %s.json and saying %q", tc.name, err, named, tc.want)
		}
	}
}

// A file that is not a partial is refused without a word of its content.
func TestReadPartialNeverEchoes(t *testing.T) {
	const secret = "hunter2-AKIA"
	for _, data := range []string{
		"AWS_SECRET=" + secret + "\n",
		`{"token": "` + secret + `"}`,
		`{"kind": "` + secret + `"}`,
		`{"kind": "partial", "` + secret + `": 1}`,
		`{"kind": "partial", "format_version": 1, "tool": "geofence", "version": "x", "job": ` + secret + `}`,
		`[` + secret + `]`,
		secret,
	} {
		_, err := ReadPartial("secret.env", []byte(data))
		if err == nil || strings.Contains(err.Error(), secret) || !strings.HasPrefix(err.Error(), "secret.env: ") {
			t.Errorf("%.40q: error %v; want one naming the file and nothing of its content", data, err)
		}
	}
}

// A saved result is refused, naming the JSON pointer at fault, when no
// run writes it: relabelled as another kind, replications out of range,
// a name longer than a scenario allows or a string of megabytes,
// estimates that are not those of their values, counts that do not add
// up, series of another length than the horizon's buckets.
func TestReadResultRefusesWhatNoRunWrites(t *testing.T) {
	saved := savedResults(t, spillPartials(t, 1))
	run, check, sweep := saved["run"], saved["check"], saved["sweep"]
	for _, data := range [][]byte{run, check, sweep} {
		if _, err := ReadResult(data); err != nil {
			t.Fatalf("a result as written is refused: %v", err)
		}
	}
	for _, tc := range []struct {
		name    string
		data    []byte
		pointer string
		value   any
		want    string
	}{
		{"run relabelled as check", run, "/kind", "check", "not a check result as geofence writes one: the top level holds a member geofence does not write"},
		{"check relabelled as run", check, "/kind", "run", "not a run result as geofence writes one: the top level holds a member geofence does not write"},
		{"sweep relabelled as plan", sweep, "/kind", "plan", "not a plan result as geofence writes one: the top level holds a member geofence does not write"},
		{"negative replications", run, "/replications", -2, "/replications: -2"},
		{"one replication", sweep, "/replications", 1, "/replications: 1"},
		{"a name of 300 bytes", run, "/scenario/name", strings.Repeat("n", 300), "/scenario/name: 300 bytes"},
		{"a name of 100 MB", run, "/scenario/name", strings.Repeat("n", 100<<20), "/scenario/name: a string of 100 MiB"},
		{"an id", check, "/simulation/populations/0/id", strings.Repeat("p", 65), "/simulation/populations/0/id: 65 bytes"},
		{"a mean", run, "/total/offered/mean", 1e9, "/total/offered: mean 1e+09"},
		{"a count", run, "/populations/0/blocked/per_replication/1", 1e6, "/populations/0/offered/per_replication/1: "},
		{"a latency", run, "/populations/0/latency_p95/per_replication/1", 1e6, "/populations/0/latency_p95: mean"},
		{"values per replication", run, "/total/retries/per_replication", []any{0}, "/total/retries/per_replication: 1 values"},
		{"a series", run, "/series/populations/0/offered", []any{1, 2}, "/series/populations/0/offered: 2 values; the horizon has 4 buckets"},
		{"buckets", run, "/bucket_s", 1e-3, "/bucket_s: a horizon of 14400 s in buckets of 0.001 s"},
		{"the layout", sweep, "/format_version", 7, "/format_version: 7"},
		{"the tool", check, "/tool", "other", "/tool: not geofence"},
		{"a missing member", run, "/seed", nil, "/seed: "},
	} {
		edited := fixture.SetJSON(t, tc.data, tc.pointer, tc.value)
		if tc.name == "a missing member" {
			edited = []byte(strings.Replace(string(tc.data), `"seed":`, `"unseeded":`, 1))
			tc.want = "not a run result as geofence writes one: the top level holds a member geofence does not write"
		}
		if _, err := ReadResult(edited); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v; want one saying %q", tc.name, err, tc.want)
		}
	}
	// A result whose members are all present is drawn; one missing a
	// member it always has is not.
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(run, &doc); err != nil {
		t.Fatal(err)
	}
	delete(doc, "series")
	short, _ := json.Marshal(doc)
	var fe interface{ Error() string }
	if _, err := ReadResult(short); err == nil || !strings.Contains(err.Error(), "/series: missing") || errors.As(err, &fe) && fe == nil {
		t.Errorf("a run without its series: error %v", err)
	}
}

// What geofence writes, of every kind, is read back.
func TestReadResultAcceptsWhatRunsWrite(t *testing.T) {
	for i, data := range spillResults(t) {
		if _, err := ReadResult(data); err != nil {
			t.Errorf("result %d (%s): %v", i, ResultKind(data), err)
		}
	}
}
