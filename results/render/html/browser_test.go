package html_test

import (
	"bytes"
	"context"
	"fmt"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/results/render/html"
	"github.com/geofence/geofence/results/render/html/chromium"
	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/scenarios"
	"github.com/geofence/geofence/scenarios/format"
)

// TestBuiltinsInChromium renders the report page of each built-in's check,
// on few replications, and of a diff of the fixed zoom system, in a real
// headless Chromium: a screenshot at desktop width and at the width
// of an A4 page must not be blank and must show the charts in colour, the
// DOM the browser built must hold the headline's numbers and every chart,
// and the page must print to a PDF. With GEOFENCE_SCREENSHOTS=DIR the
// screenshots and PDFs are kept in DIR for a person to look at.
func TestBuiltinsInChromium(t *testing.T) {
	browser, err := chromium.Find()
	if err != nil {
		t.Skipf("%v: this test needs a Chromium (CI installs one: apt-get install chromium)", err)
	}
	if testing.Short() {
		t.Skip("runs Chromium a dozen times")
	}
	keep := os.Getenv("GEOFENCE_SCREENSHOTS")
	pages := []struct {
		name   string
		result func(t *testing.T) (any, []string) // the result, and what its page must say
		// height is how much of the page the screenshots take, in pixels:
		// enough to reach the first chart.
		height int
	}{
		{"zoom-2020-04", checkPage("zoom-2020-04"), 3000},
		{"zoom-2020-04-fixed", checkPage("zoom-2020-04-fixed"), 3000},
		{"erlang", checkPage("erlang"), 3000},
		// The pull request of issue 9: a Beijing site back on the key
		// pool of the fixed system. Its charts come after 16 new
		// landings, their tolerances and the lints.
		{"diff-zoom-2020-04-fixed-kms", func(t *testing.T) (any, []string) {
			r := diffBuiltins(t, "zoom-2020-04-fixed", "zoom-2020-04-fixed", "routing.whitelists[kms-pool]+=cn-bj-1")
			return r, diffHeadline(r)
		}, 8000},
	}
	for _, pg := range pages {
		name := pg.name
		t.Run(name, func(t *testing.T) {
			report, want := pg.result(t)
			dir := t.TempDir()
			if keep != "" {
				dir = keep
			}
			page := filepath.Join(dir, name+".html")
			var buf bytes.Buffer
			if err := html.Render(&buf, report, html.Options{Date: "2020-04-03"}); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()

			for _, size := range []struct {
				name          string
				width, height int
			}{{"desktop", 1280, pg.height}, {"a4", 794, pg.height}} {
				shot := filepath.Join(dir, name+"-"+size.name+".png")
				if err := browser.Screenshot(ctx, page, shot, size.width, size.height); err != nil {
					t.Fatal(err)
				}
				ink, colour := inked(t, shot)
				// The headline's cards and tables and the first chart
				// cover far more than a few per cent of the page's top
				// 3000 pixels; a taller screenshot must have as many
				// pixels inked and in colour.
				top := float64(size.height) / 3000
				if ink < 0.03/top || colour < 0.002/top {
					t.Errorf("%s screenshot: %.1f%% of pixels inked, %.2f%% in colour: blank or chartless", size.name, 100*ink, 100*colour)
				}
			}

			dom, err := browser.DumpDOM(ctx, page)
			if err != nil {
				t.Fatal(err)
			}
			text := string(dom)
			for _, want := range want {
				if !strings.Contains(text, want) {
					t.Errorf("the page in the browser does not show %q", want)
				}
			}
			if got, want := strings.Count(text, "<svg "), strings.Count(buf.String(), "<svg "); got != want || want == 0 {
				t.Errorf("the browser's DOM has %d charts, the page %d", got, want)
			}

			pdf := filepath.Join(dir, name+".pdf")
			if err := browser.PrintToPDF(ctx, page, pdf); err != nil {
				t.Fatal(err)
			}
			doc, err := os.ReadFile(pdf)
			if err != nil {
				t.Fatal(err)
			}
			if !bytes.HasPrefix(doc, []byte("%PDF-")) || len(doc) < 20<<10 {
				t.Errorf("the printed PDF starts %q and has %d bytes", doc[:min(len(doc), 8)], len(doc))
			}
		})
	}
}

// checkPage is the check of the built-in called name, with the numbers
// its headline must show.
func checkPage(name string) func(t *testing.T) (any, []string) {
	return func(t *testing.T) (any, []string) {
		r := checkBuiltin(t, name)
		return r, headlineNumbers(r)
	}
}

// diffBuiltins diffs the built-ins called old and new, new changed by
// overrides as --set changes it, simulating 3 replications of each, at
// the limits new's file sets.
func diffBuiltins(t *testing.T, old, new string, overrides ...string) *diff.Report {
	t.Helper()
	o := fixture.Resolve(t, old)
	var set []scenarios.Override
	for _, text := range overrides {
		override, err := format.ParseOverride(text, "--set")
		if err != nil {
			t.Fatal(err)
		}
		set = append(set, override)
	}
	n, err := format.With(fixture.Resolve(t, new), set)
	if err != nil {
		t.Fatal(err)
	}
	n.Run.Replications = 3
	var opt study.DiffOptions
	opt.Version = "test"
	for i, p := range scenarios.Planes {
		opt.LimitSource[i] = "default"
		if limit := n.Run.MaxViolationRate.For(p); limit != nil {
			opt.Limits[i], opt.LimitSource[i] = float64(*limit), "scenario run.max_violation_rate"
		}
	}
	r, err := study.Diff(context.Background(), o, n, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// diffHeadline is what a diff's page must say, written here as a reader
// would expect it: the verdict with how many items got worse and how many
// better, and the paired changes' section when both versions were
// simulated.
func diffHeadline(r *diff.Report) []string {
	var want []string
	switch {
	case len(r.Worse) > 0:
		want = []string{"WORSE", fmt.Sprintf("%d worse, %d improved", len(r.Worse), len(r.Improved))}
	case len(r.Improved) > 0:
		want = []string{"IMPROVED", fmt.Sprintf("%d improved, nothing worse", len(r.Improved))}
	case r.Changed:
		want = []string{"CHANGED"}
	default:
		want = []string{"UNCHANGED"}
	}
	if r.Simulation != nil {
		want = append(want, "By simulation: paired changes")
	}
	return want
}

// checkBuiltin checks the built-in called name, simulating 3 replications
// and its baseline when it has one, at the limits its file sets.
func checkBuiltin(t *testing.T, name string) *check.Report {
	t.Helper()
	s := fixture.Resolve(t, name)
	s.Run.Replications = 3
	var opt study.CheckOptions
	opt.Version = "test"
	for i, p := range scenarios.Planes {
		if limit := s.Run.MaxViolationRate.For(p); limit != nil {
			opt.Limits[i], opt.LimitSource[i] = float64(*limit), "scenario run.max_violation_rate"
		}
	}
	r, err := study.Check(context.Background(), s, opt)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// headlineNumbers are what the headline must say, written here as a
// reader would expect them rather than by the page's own code: the
// verdict, joins a day with thousands grouped, blocking as a percentage
// with three significant digits, and the baseline's section when there is
// one.
func headlineNumbers(r *check.Report) []string {
	h := r.Simulation.Headline
	want := []string{
		map[bool]string{true: "PASS", false: "FAIL"}[r.Passed],
		thousands(h.JoinsPerDay.Mean),
		strconv.FormatFloat(100*h.Blocking.Mean, 'g', 3, 64) + "%",
	}
	if r.Baseline != nil {
		want = append(want, "Against the baseline")
	}
	return want
}

// thousands writes x rounded, with commas between groups of three digits.
func thousands(x float64) string {
	s := strconv.FormatFloat(math.Round(x), 'f', 0, 64)
	var out []byte
	for i := range len(s) {
		if i > 0 && (len(s)-i)%3 == 0 {
			out = append(out, ',')
		}
		out = append(out, s[i])
	}
	return string(out)
}

// inked returns the shares of a PNG's pixels that are not white, and that
// are coloured (not grey): text and rules, and charts.
func inked(t *testing.T, path string) (ink, colour float64) {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	img, err := png.Decode(f)
	if err != nil {
		t.Fatal(err)
	}
	b := img.Bounds()
	var inkN, colourN int
	for y := b.Min.Y; y < b.Max.Y; y++ {
		for x := b.Min.X; x < b.Max.X; x++ {
			r, g, bl, _ := img.At(x, y).RGBA()
			r, g, bl = r>>8, g>>8, bl>>8
			if r < 240 || g < 240 || bl < 240 {
				inkN++
			}
			if max(r, g, bl)-min(r, g, bl) > 60 {
				colourN++
			}
		}
	}
	n := float64(b.Dx() * b.Dy())
	return float64(inkN) / n, float64(colourN) / n
}
