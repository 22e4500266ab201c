package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/render/html"
	"github.com/geofence/geofence/results/render/html/chromium"
	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/scenarios"
)

// reportCmd draws a scenario's check, or a saved result, as one
// self-contained HTML page, and prints it to PDF if asked.
func reportCmd(ctx context.Context, e *env, args []string) error {
	fs := newReportFlags(e, "report", html.Formats())
	pdf := fs.String("pdf", "", "also print the page to `FILE` as an A4 PDF with the Chromium on PATH; without --out, only the PDF is written")
	date := fs.String("date", "", "the `DATE` the report is of (YYYY-MM-DD or RFC 3339), shown on the page and the day a scenario's accepted risks are judged on; none by default: the page reads no clock, and a scenario's risks are judged on today, as check judges them")
	baseline := fs.String("baseline", "", "compare with this scenario (`NAME|FILE`), instead of the scenario's own baseline")
	arg, limits, sf, err := fs.parseLimited(args)
	if err != nil {
		return err
	}
	if *date != "" && !validDate(*date) {
		return usageError{fmt.Sprintf("--date %q: want YYYY-MM-DD or an RFC 3339 time", shorten(*date, 40))}
	}
	if sf.sharded() {
		return usageError{"--shard: a report draws a whole result; run check --shard on each part, geofence merge them, and draw the merged result"}
	}
	if fs.Changed("pdf") && *pdf == "" {
		return usageError{"--pdf needs a file name"}
	}
	var browser *chromium.Browser
	if *pdf != "" {
		if *fs.format != "html" {
			return usageError{"--pdf prints the HTML page; it does not go with -o " + *fs.format}
		}
		if browser, err = chromium.Find(); err != nil {
			return fmt.Errorf("--pdf: %w; install one (apt-get install chromium), or write the page with --out and print it from a browser", err)
		}
	}

	result, saved, err := readResult(ctx, arg)
	if err != nil {
		return err
	}
	var inputs []string
	var s *scenarios.Scenario
	if saved {
		for _, flag := range []string{"set", "when", "load", "scale", "seed", "replications", "workers", "baseline", limitFlag, planeLimitFlag(0), planeLimitFlag(1), planeLimitFlag(2), blockingFlag} {
			if fs.Changed(flag) {
				return usageError{fmt.Sprintf("--%s applies to a scenario; %s is a saved result, drawn as it is", flag, arg)}
			}
		}
		inputs = []string{arg}
	} else {
		if s, err = sf.load(ctx, arg); err != nil {
			return err
		}
		inputs = scenarioFiles(arg, study.BaselineRef(s, *baseline))
	}
	// The outputs are checked before anything is simulated, so that a bad
	// one costs nothing.
	var pdfOut *output
	if *pdf != "" {
		if pdfOut, err = openOutput(e.stdout, *pdf, inputs); err != nil {
			return err
		}
	}
	var pageOut *output
	if *pdf == "" || sf.out != "" {
		if pageOut, err = openOutput(e.stdout, sf.out, inputs); err != nil {
			return err
		}
	}
	if s != nil {
		if result, err = checkForReport(ctx, e, s, sf, limits, *baseline, judgedOn(*date)); err != nil {
			return err
		}
	}
	var page bytes.Buffer
	if err := html.RenderResult(&page, result, *fs.format, html.Options{Date: *date}); err != nil {
		return err
	}
	if pdfOut != nil {
		doc, err := printPDF(ctx, browser, page.Bytes())
		if err != nil {
			return err
		}
		if err := pdfOut.write(ctx, doc); err != nil {
			return err
		}
	}
	if pageOut == nil {
		return nil
	}
	return pageOut.write(ctx, page.Bytes())
}

// checkForReport checks s as geofence check does, simulating it and its
// baseline, with the limits the flags or the scenario set, judging its
// accepted risks on date.
func checkForReport(ctx context.Context, e *env, s *scenarios.Scenario, sf *simFlags, limits *limitFlags, baseline string, date time.Time) (*check.Report, error) {
	bar := newProgress(e, "simulating "+s.Name, sf.quiet)
	opt := study.CheckOptions{Options: sf.options(bar), Baseline: baseline, CheckSettings: study.CheckSettings{Date: date}}
	opt.Limits, opt.LimitSource = limits.resolve(s)
	opt.MaxBlocking, opt.MaxBlockingSource = limits.blockingLimit(s)
	report, err := study.Check(ctx, s, opt)
	bar.finish()
	return report, err
}

// readResult reads arg when it is a saved JSON result, and reports false
// for anything else: a built-in, a scenario file, or a file that is not
// there, for the scenario loader to explain.
func readResult(ctx context.Context, arg string) (any, bool, error) {
	if _, builtin := scenarios.BuiltinSource(arg); arg == "" || builtin {
		return nil, false, nil
	}
	return study.ReadResultFile(ctx, arg)
}

// printPDF prints page with browser and returns the PDF.
func printPDF(ctx context.Context, browser *chromium.Browser, page []byte) ([]byte, error) {
	dir, err := os.MkdirTemp("", "geofence-report-")
	if err != nil {
		return nil, err
	}
	defer os.RemoveAll(dir)
	html, pdf := filepath.Join(dir, "report.html"), filepath.Join(dir, "report.pdf")
	if err := os.WriteFile(html, page, 0o600); err != nil {
		return nil, err
	}
	if err := browser.PrintToPDF(ctx, html, pdf); err != nil {
		if errors.Is(err, context.Canceled) {
			return nil, err
		}
		return nil, fmt.Errorf("--pdf: %w", err)
	}
	return os.ReadFile(pdf)
}

// validDate reports whether s is a date or an RFC 3339 time.
func validDate(s string) bool {
	_, dateErr := time.Parse(time.DateOnly, s)
	_, timeErr := time.Parse(time.RFC3339, s)
	return dateErr == nil || timeErr == nil
}

// judgedOn is the day accepted risks are judged on: that of date, a valid
// --date, else today.
func judgedOn(date string) time.Time {
	if d, err := time.Parse(time.DateOnly, date); err == nil {
		return d
	}
	if t, err := time.Parse(time.RFC3339, date); err == nil {
		return day(t)
	}
	return day(time.Now())
}
