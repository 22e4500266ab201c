package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/geofence/geofence/results/render/html/chromium"
)

// savedRun writes the erlang built-in's run, on 2 replications, as JSON
// in dir and returns its path.
func savedRun(t *testing.T, dir string) string {
	t.Helper()
	path := filepath.Join(dir, "run.json")
	var stderr strings.Builder
	if code := run(context.Background(), []string{"run", "erlang", "--replications", "2", "-q", "-o", "json", "--out", path}, &strings.Builder{}, &stderr); code != exitOK {
		t.Fatalf("run: exit %d: %s", code, stderr.String())
	}
	return path
}

// Without a Chromium on PATH, --pdf says so and what to do, exits 2, and
// neither simulates nor writes anything.
func TestReportPDFWithoutChromium(t *testing.T) {
	dir := t.TempDir()
	saved := savedRun(t, dir)
	t.Setenv("PATH", t.TempDir())
	pdf, page := filepath.Join(dir, "report.pdf"), filepath.Join(dir, "report.html")
	var stdout, stderr strings.Builder
	code := run(context.Background(), []string{"report", saved, "--pdf", pdf, "--out", page}, &stdout, &stderr)
	if code != exitUsage || !strings.Contains(stderr.String(), "--pdf: no Chromium on PATH (looked for chromium, chromium-browser, google-chrome); install one") {
		t.Errorf("exit %d, stderr %q; want %d and no Chromium said", code, stderr.String(), exitUsage)
	}
	for _, f := range []string{pdf, page} {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s was written", f)
		}
	}
}

// a4 is the media box of an A4 page, 595 × 842 points.
var a4 = regexp.MustCompile(`/MediaBox \[0 0 59[45]\.?\d* 84[12]\.?\d*\]`)

// With a Chromium, --pdf prints the page to an A4 PDF; without --out the
// page itself is not written anywhere, standard output included.
func TestReportPDF(t *testing.T) {
	if _, err := chromium.Find(); err != nil {
		t.Skipf("%v: this test needs a Chromium (CI installs one: apt-get install chromium)", err)
	}
	dir := t.TempDir()
	saved := savedRun(t, dir)
	pdf := filepath.Join(dir, "report.pdf")
	var stdout, stderr strings.Builder
	if code := run(context.Background(), []string{"report", saved, "--pdf", pdf}, &stdout, &stderr); code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	doc, err := os.ReadFile(pdf)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(doc, []byte("%PDF-")) || !a4.Match(doc) {
		t.Errorf("not an A4 PDF: %q…", doc[:min(len(doc), 200)])
	}
	if stdout.Len() > 0 {
		t.Errorf("the page went to standard output as well: %d bytes", stdout.Len())
	}
}
