package html_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/results/render/html"
	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/scenarios"
)

// BenchmarkRenderHTML draws the page of the default built-in's check —
// its ten replications simulated once, before timing — from the report
// in memory (as geofence report SCENARIO does after simulating), and from
// its saved JSON (as geofence report RESULT.json does, reading included).
func BenchmarkRenderHTML(b *testing.B) {
	s := fixture.Resolve(b, scenarios.Default)
	report, err := study.Check(context.Background(), s, study.CheckOptions{Options: study.Options{Version: "bench"}})
	if err != nil {
		b.Fatal(err)
	}
	benchmarkPage(b, report)
}

// BenchmarkRenderDiffHTML draws the page of the diff from the default
// built-in to its fix — 205 forbidden landings gone, both versions
// simulated once, before timing — from the report in memory and from its
// saved JSON (as geofence report diff.json does, reading included).
func BenchmarkRenderDiffHTML(b *testing.B) {
	old := fixture.Resolve(b, "zoom-2020-04")
	new := fixture.Resolve(b, "zoom-2020-04-fixed")
	report, err := study.Diff(context.Background(), old, new, study.DiffOptions{Options: study.Options{Version: "bench"}})
	if err != nil {
		b.Fatal(err)
	}
	benchmarkPage(b, report)
}

// benchmarkPage draws the page of report from the report in memory
// ("report") and from its saved JSON, reading included ("saved-json").
func benchmarkPage(b *testing.B, report any) {
	saved, err := json.Marshal(report)
	if err != nil {
		b.Fatal(err)
	}
	var page bytes.Buffer
	if err := html.Render(&page, report, html.Options{}); err != nil {
		b.Fatal(err)
	}
	b.Run("report", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(page.Len()))
		for b.Loop() {
			if err := html.Render(io.Discard, report, html.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("saved-json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			r, err := study.ReadResult(saved)
			if err != nil {
				b.Fatal(err)
			}
			if err := html.Render(io.Discard, r, html.Options{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}
