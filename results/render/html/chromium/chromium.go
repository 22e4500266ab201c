// Package chromium drives a headless Chromium installed on the machine:
// it prints a page to PDF, takes a screenshot of it, or dumps its DOM.
// Each call starts a fresh browser with a profile of its own and nothing
// it could fetch, and waits for it to exit.
package chromium

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"
)

// Names are the executables looked for on PATH, in order.
var Names = []string{"chromium", "chromium-browser", "google-chrome"}

// ErrNotFound says no executable of Names is on PATH.
var ErrNotFound = errors.New("no Chromium on PATH (looked for " + strings.Join(Names, ", ") + ")")

// Timeout bounds one run of the browser: a page without scripts loads in
// a few seconds even on a busy machine.
const Timeout = 2 * time.Minute

// Browser is an installed Chromium.
type Browser struct{ Path string }

// Find returns the first Chromium of Names on PATH.
func Find() (*Browser, error) {
	for _, name := range Names {
		if path, err := exec.LookPath(name); err == nil {
			return &Browser{Path: path}, nil
		}
	}
	return nil, ErrNotFound
}

// PrintToPDF prints the page in the file page to the file pdf, on the
// paper its print stylesheet asks for, without the header and footer
// Chromium would add.
func (b *Browser) PrintToPDF(ctx context.Context, page, pdf string) error {
	abs, err := filepath.Abs(pdf)
	if err != nil {
		return err
	}
	if _, err := b.run(ctx, "--no-pdf-header-footer", "--print-to-pdf="+abs, fileURL(page)); err != nil {
		return err
	}
	return written(abs)
}

// Screenshot takes a PNG of the page in a window width × height pixels,
// the page's top at its top.
func (b *Browser) Screenshot(ctx context.Context, page, png string, width, height int) error {
	abs, err := filepath.Abs(png)
	if err != nil {
		return err
	}
	if _, err := b.run(ctx, "--hide-scrollbars", "--window-size="+strconv.Itoa(width)+","+strconv.Itoa(height), "--screenshot="+abs, fileURL(page)); err != nil {
		return err
	}
	return written(abs)
}

// DumpDOM returns the page's DOM as the browser built it, serialised.
func (b *Browser) DumpDOM(ctx context.Context, page string) ([]byte, error) {
	return b.run(ctx, "--dump-dom", fileURL(page))
}

// run starts the browser headless with args and a profile directory of
// its own, removed afterwards, and returns what it wrote to stdout.
func (b *Browser) run(ctx context.Context, args ...string) ([]byte, error) {
	profile, err := os.MkdirTemp("", "geofence-chromium-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(profile)
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	flags := []string{
		"--headless", "--disable-gpu", "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--user-data-dir=" + profile,
	}
	if os.Geteuid() == 0 {
		// Chromium's sandbox refuses to run as root.
		flags = append(flags, "--no-sandbox")
	}
	cmd := exec.CommandContext(ctx, b.Path, append(flags, args...)...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	cmd.WaitDelay = 5 * time.Second // a browser's helpers may hold its pipes open
	if err := cmd.Run(); err != nil {
		if ctx.Err() != nil {
			return nil, fmt.Errorf("%s: %w", b.Path, ctx.Err())
		}
		return nil, fmt.Errorf("%s: %w: %s", b.Path, err, lastLines(stderr.String(), 5))
	}
	return stdout.Bytes(), nil
}

// fileURL is the file: URL of path.
func fileURL(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		abs = path
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// written checks that the browser wrote something to path: it exits 0
// even when it could not.
func written(path string) error {
	info, err := os.Stat(path)
	if err != nil {
		return fmt.Errorf("chromium wrote no %s: %w", filepath.Base(path), err)
	}
	if info.Size() == 0 {
		return fmt.Errorf("chromium wrote an empty %s", filepath.Base(path))
	}
	return nil
}

// lastLines keeps the last n lines of s, where a failing browser says why.
func lastLines(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
