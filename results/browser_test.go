package results_test

import (
	"bytes"
	"context"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/chromium"
	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/scenarios"
)

// TestBuiltinsInChromium renders the report page of each built-in's check,
// on few replications, in a real headless Chromium: a screenshot at
// desktop width and at the width of an A4 page must not be blank and must
// show the charts in colour, the DOM the browser built must hold the
// headline's numbers and every chart, and the page must print to a PDF.
// With GEOFENCE_SCREENSHOTS=DIR the screenshots and PDFs are kept in DIR
// for a person to look at.
func TestBuiltinsInChromium(t *testing.T) {
	browser, err := chromium.Find()
	if err != nil {
		t.Skipf("%v: this test needs a Chromium (CI installs one: apt-get install chromium)", err)
	}
	if testing.Short() {
		t.Skip("runs Chromium a dozen times")
	}
	keep := os.Getenv("GEOFENCE_SCREENSHOTS")
	for _, name := range []string{"zoom-2020-04", "zoom-2020-04-fixed", "erlang"} {
		t.Run(name, func(t *testing.T) {
			report := checkBuiltin(t, name)
			dir := t.TempDir()
			if keep != "" {
				dir = keep
			}
			page := filepath.Join(dir, name+".html")
			var buf bytes.Buffer
			if err := results.RenderHTML(&buf, report, results.HTMLOptions{Date: "2020-04-03"}); err != nil {
				t.Fatal(err)
			}
			if err := os.WriteFile(page, buf.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			ctx := context.Background()

			for _, size := range []struct {
				name          string
				width, height int
			}{{"desktop", 1280, 3000}, {"a4", 794, 3000}} {
				shot := filepath.Join(dir, name+"-"+size.name+".png")
				if err := browser.Screenshot(ctx, page, shot, size.width, size.height); err != nil {
					t.Fatal(err)
				}
				ink, colour := inked(t, shot)
				// The headline's cards and tables and the first chart
				// cover far more than a few per cent of the page's top.
				if ink < 0.03 || colour < 0.002 {
					t.Errorf("%s screenshot: %.1f%% of pixels inked, %.2f%% in colour: blank or chartless", size.name, 100*ink, 100*colour)
				}
			}

			dom, err := browser.DumpDOM(ctx, page)
			if err != nil {
				t.Fatal(err)
			}
			text := string(dom)
			for _, want := range headlineNumbers(report) {
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

// checkBuiltin checks the built-in called name, simulating 3 replications
// and its baseline when it has one, at the limits its file sets.
func checkBuiltin(t *testing.T, name string) *results.CheckReport {
	t.Helper()
	s, err := scenarios.Resolve(name)
	if err != nil {
		t.Fatal(err)
	}
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
func headlineNumbers(r *results.CheckReport) []string {
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
