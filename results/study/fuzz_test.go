package study

import (
	"context"
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/strictjson"
)

// The readers of what a user hands back — a shard's partial, a saved
// result — are fuzzed from what geofence writes and from the hostile
// edits in testdata/fuzz (negative counts, more violations than joins,
// per-plane arrays of millions, strings of megabytes, other kinds):
//
//	go test ./results/study -run '^$' -fuzz FuzzReadPartial -fuzztime 10m
//	go test ./results/study -run '^$' -fuzz FuzzReadResult -fuzztime 10m

// FuzzReadPartial checks that reading a partial never panics, refuses
// with an error that names the file, and that a partial it accepts, when
// it is the whole of its job, merges into a result that report reads
// back — or is refused by Merge with an error.
func FuzzReadPartial(f *testing.F) {
	for _, data := range tinyPartials(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ReadPartial("fuzz.json", data)
		if err != nil {
			if p != nil || !strings.HasPrefix(err.Error(), "fuzz.json: ") {
				t.Fatalf("refused with a partial, or without naming the file: %v", err)
			}
			return
		}
		if p.Shard.Count != 1 {
			return
		}
		merged, err := Merge(context.Background(), []*Partial{p}, p.Version)
		if err != nil {
			return
		}
		var result any = merged.Run
		switch {
		case merged.Check != nil:
			result = merged.Check
		case merged.Sweep != nil:
			result = merged.Sweep
		}
		saved, err := json.Marshal(result)
		if err != nil {
			t.Fatalf("the merged result does not marshal: %v", err)
		}
		if _, err := ReadResult(saved); err != nil {
			t.Fatalf("the merged result is refused when read back: %v", err)
		}
	})
}

// FuzzReadResult checks that reading a saved result never panics, refuses
// with a located error, and that a result it accepts reads back the same
// after it is written again.
func FuzzReadResult(f *testing.F) {
	for _, data := range spillResults(f) {
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ReadResult(data)
		if err != nil {
			var field *strictjson.FieldError
			var syntax *strictjson.SyntaxError
			if r != nil || err.Error() == "" || errors.As(err, &field) && field.Msg == "" || errors.As(err, &syntax) && syntax.Line < 1 {
				t.Fatalf("refused with a result, or with an empty error: %v", err)
			}
			return
		}
		again, err := json.Marshal(r)
		if err != nil {
			t.Fatalf("an accepted result does not marshal: %v", err)
		}
		back, err := ReadResult(again)
		if err != nil {
			t.Fatalf("an accepted result, written again, is refused: %v", err)
		}
		if !reflect.DeepEqual(mustJSON(t, back), mustJSON(t, r)) {
			t.Fatal("an accepted result reads back as another")
		}
	})
}

// spillResults are the results of every kind of the tiny spill scenario
// (see tinyPartials): merged from its partials (run, check, sweep),
// planned and diffed.
func spillResults(t testing.TB) [][]byte {
	t.Helper()
	ctx := context.Background()
	saved := savedResults(t, tinyPartials(t))
	out := [][]byte{saved["run"], saved["check"], saved["sweep"]}
	s, err := Load(ctx, "testdata/sweep/spill.yaml", tinyChanges)
	if err != nil {
		t.Fatal(err)
	}
	opt := Options{Version: testVersion}
	limits := [3]float64{0.05, 0.05, 0.05}
	plan, err := Plan(ctx, s, Question{Paths: []string{"datacenters[us-1].capacity.media"}, By: "set", Goal: "least", Min: 5, Max: 15, Step: 5}, PlanOptions{Options: opt, Limits: limits})
	if err != nil {
		t.Fatal(err)
	}
	changed, err := Load(ctx, "testdata/sweep/spill.yaml", Changes{Set: append(slices.Clone(tinyChanges.Set), "datacenters[us-1].capacity.media=20")})
	if err != nil {
		t.Fatal(err)
	}
	d, err := Diff(ctx, s, changed, DiffOptions{Options: opt, Settings: diff.Settings{Limits: limits, FailOn: "error", ExitOn: "worse"}})
	if err != nil {
		t.Fatal(err)
	}
	return append(out, mustJSON(t, plan), mustJSON(t, d))
}

// mustJSON is v as JSON, and nothing for a nil pointer.
func mustJSON(t testing.TB, v any) []byte {
	t.Helper()
	if rv := reflect.ValueOf(v); rv.Kind() == reflect.Pointer && rv.IsNil() {
		return nil
	}
	data, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return data
}
