package html

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/study"
)

// The HTML format is one self-contained page: the stylesheet inline, the
// charts inline SVG, no script, nothing loaded from anywhere, so that it
// reads offline, prints to A4 and travels as an e-mail attachment. A page
// is laid out here as a list of sections of blocks (cards, figures,
// tables, lists); one template draws every kind of result. A kind of
// result has one function that lays out its page (runPage, checkPage,
// sweepPage, planPage, diffPage).

//go:embed templates/report.html.tmpl templates/report.css
var htmlFiles embed.FS

var htmlTemplate = template.Must(template.New("report.html.tmpl").ParseFS(htmlFiles, "templates/report.html.tmpl"))

// pageCSS is the page's stylesheet, inlined in its <style>.
var pageCSS = func() template.CSS {
	css, err := htmlFiles.ReadFile("templates/report.css")
	if err != nil {
		panic(err)
	}
	return template.CSS(css)
}()

// Options are what a page shows that the result does not hold.
type Options struct {
	// Date is the date the report is said to be of, as the user gave it;
	// empty for none. A page never reads the clock, so that the same
	// result always gives the same bytes.
	Date string
}

// Render writes result — a *Report, *CheckReport, *SweepReport,
// *PlanReport or *DiffReport — as one self-contained HTML page. The page depends on result and opt alone:
// the same inputs give the same bytes.
func Render(w io.Writer, result any, opt Options) error {
	var p page
	switch r := result.(type) {
	case *results.Report:
		p = runPage(r, opt)
	case *check.Report:
		p = checkPage(r, opt)
	case *study.SweepReport:
		p = sweepPage(r, opt)
	case *study.PlanReport:
		p = planPage(r, opt)
	case *diff.Report:
		p = diffPage(r, opt)
	default:
		return fmt.Errorf("results: no HTML page for a %T", result)
	}
	if err := p.drawCharts(); err != nil {
		return err
	}
	p.CSS = pageCSS
	var buf bytes.Buffer
	if err := htmlTemplate.Execute(&buf, p); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}

// RenderResult writes result — a *Report, *CheckReport, *SweepReport,
// *PlanReport or *DiffReport — in format: "html" (Render) or
// "markdown" (as the command that made it writes it).
func RenderResult(w io.Writer, result any, format string, opt Options) error {
	switch format {
	case "html":
		return Render(w, result, opt)
	case "markdown":
		switch r := result.(type) {
		case *results.Report:
			return render.Run(w, r, format, render.Options{})
		case *check.Report:
			return render.Check(w, r, format, render.CIOptions{})
		case *study.SweepReport:
			return render.Sweep(w, r, format)
		case *study.PlanReport:
			return render.Plan(w, r, format)
		case *diff.Report:
			return render.Diff(w, r, format, render.CIOptions{})
		}
		return fmt.Errorf("results: no Markdown for a %T", result)
	}
	return fmt.Errorf("unknown format %q: want html or markdown", format)
}

// Formats are the formats RenderResult writes, the default first.
func Formats() []string { return []string{"html", "markdown"} }

// page is what the template draws.
type page struct {
	Kind        string // "run report", "check report"
	Title       string
	Description string
	Verdict     *verdictLine
	// Conditions says, in words, the conditions of the world the result
	// ran under: on every side of a comparison. "" when there are none.
	Conditions string
	Sections   []section
	Generator  string // tool and version
	Date       string
	CSS        template.CSS
}

// newPage starts the page of the result whose header is h, its title and
// description saying what it is of: the kind, the tool that made it and
// the date are every page's.
func newPage(h results.Header, opt Options, title, description string) page {
	return page{Kind: "geofence " + h.Kind + " report", Title: title, Description: description, Generator: render.ToolName(h.Tool, h.Version), Date: opt.Date}
}

// verdictLine is the answer of a check, coloured by Class: "pass",
// "fail" or "none".
type verdictLine struct{ Text, Detail, Class string }

// section is one titled part of the page; ID is its anchor, a fixed word.
type section struct {
	ID, Title  string
	Paragraphs []string
	Blocks     []block
}

// block is one thing a section shows; the template draws the fields that
// are set, in the order they are declared.
type block struct {
	Cards   []card
	Row     []block // blocks side by side on a wide page
	Figure  *figure
	Table   *table
	Heading string
	List    []string
	Facts   []term
	Note    string
}

// term is a name and what it stands for: a fact of the provenance, a
// definition.
type term struct{ Name, Value string }

// card is a headline figure.
type card struct{ Label, Value, Detail, Class string }

// figure is a chart, drawn into SVG when the page is rendered, and its
// caption.
type figure struct {
	chart   svgChart
	SVG     template.HTML
	Caption string
}

// svgChart is any chart of package chart.
type svgChart interface{ SVG() ([]byte, error) }

// table is a table of the page. A cell is a header cell of its row when
// Header is set; Class styles it ("num" for a figure).
type table struct {
	Caption string
	Class   string
	Header  []string
	Rows    [][]cell
}

type cell struct {
	Text, Sub, Class string
	Header           bool
}

// drawCharts draws every figure of the page.
func (p *page) drawCharts() error {
	var draw func(bs []block) error
	draw = func(bs []block) error {
		for i := range bs {
			if f := bs[i].Figure; f != nil {
				svg, err := f.chart.SVG()
				if err != nil {
					return err
				}
				// The chart package escapes every text it draws.
				f.SVG = template.HTML(svg)
			}
			if err := draw(bs[i].Row); err != nil {
				return err
			}
		}
		return nil
	}
	for i := range p.Sections {
		if err := draw(p.Sections[i].Blocks); err != nil {
			return err
		}
	}
	return nil
}
