package results

import (
	"bytes"
	"embed"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"
)

// The HTML format is one self-contained page: the stylesheet inline, the
// charts inline SVG, no script, nothing loaded from anywhere, so that it
// reads offline, prints to A4 and travels as an e-mail attachment. A page
// is laid out here as a list of sections of blocks (cards, figures,
// tables, lists); one template draws every kind of result. A kind of
// result has one function that lays out its page (runPage, checkPage,
// sweepPage, planPage, diffPage).

//go:embed html/report.html.tmpl html/report.css
var htmlFiles embed.FS

var htmlTemplate = template.Must(template.New("report.html.tmpl").ParseFS(htmlFiles, "html/report.html.tmpl"))

// pageCSS is the page's stylesheet, inlined in its <style>.
var pageCSS = func() template.CSS {
	css, err := htmlFiles.ReadFile("html/report.css")
	if err != nil {
		panic(err)
	}
	return template.CSS(css)
}()

// HTMLOptions are what a page shows that the result does not hold.
type HTMLOptions struct {
	// Date is the date the report is said to be of, as the user gave it;
	// empty for none. A page never reads the clock, so that the same
	// result always gives the same bytes.
	Date string
}

// resultKinds decodes each kind of JSON result a page can be drawn from.
var resultKinds = map[string]func(data []byte) (any, error){
	KindRun:   decodeAs[Report],
	KindCheck: decodeAs[CheckReport],
	KindSweep: decodeAs[SweepReport],
	KindPlan:  decodeAs[PlanReport],
	KindDiff:  decodeAs[DiffReport],
}

func decodeAs[T any](data []byte) (any, error) {
	r := new(T)
	if err := json.Unmarshal(data, r); err != nil {
		return nil, err
	}
	return r, nil
}

// ResultKind returns the kind of result data holds when it is a JSON
// result written by geofence ("run", "check", ...), and "" when it is
// not one: a scenario, say, which has no kind.
func ResultKind(data []byte) string {
	var head struct {
		Kind string `json:"kind"`
	}
	if json.Unmarshal(data, &head) != nil {
		return ""
	}
	return head.Kind
}

// ReadResult decodes a JSON result of a kind ResultKind names: a *Report
// for "run", a *CheckReport for "check", a *SweepReport for "sweep", a
// *PlanReport for "plan", a *DiffReport for "diff".
func ReadResult(data []byte) (any, error) {
	kind := ResultKind(data)
	decode, ok := resultKinds[kind]
	if !ok {
		kinds := make([]string, 0, len(resultKinds))
		for k := range resultKinds {
			kinds = append(kinds, k)
		}
		slices.Sort(kinds)
		return nil, fmt.Errorf("a result of kind %q cannot be drawn: want one of %s", kind, strings.Join(kinds, ", "))
	}
	r, err := decode(data)
	if err != nil {
		return nil, fmt.Errorf("reading a %s result: %w", kind, err)
	}
	return r, nil
}

// RenderHTML writes result — a *Report, *CheckReport, *SweepReport,
// *PlanReport or *DiffReport — as one self-contained HTML page. The page depends on result and opt alone:
// the same inputs give the same bytes.
func RenderHTML(w io.Writer, result any, opt HTMLOptions) error {
	var p page
	switch r := result.(type) {
	case *Report:
		p = runPage(r, opt)
	case *CheckReport:
		p = checkPage(r, opt)
	case *SweepReport:
		p = sweepPage(r, opt)
	case *PlanReport:
		p = planPage(r, opt)
	case *DiffReport:
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
// *PlanReport or *DiffReport — in format: "html" (RenderHTML) or
// "markdown" (as the command that made it writes it).
func RenderResult(w io.Writer, result any, format string, opt HTMLOptions) error {
	switch format {
	case "html":
		return RenderHTML(w, result, opt)
	case "markdown":
		switch r := result.(type) {
		case *Report:
			return Render(w, r, format, Options{})
		case *CheckReport:
			return RenderCheck(w, r, format, CIOptions{})
		case *SweepReport:
			return RenderSweep(w, r, format)
		case *PlanReport:
			return RenderPlan(w, r, format)
		case *DiffReport:
			return RenderDiff(w, r, format, CIOptions{})
		}
		return fmt.Errorf("results: no Markdown for a %T", result)
	}
	return fmt.Errorf("unknown format %q: want html or markdown", format)
}

// ReportFormats are the formats RenderResult writes, the default first.
func ReportFormats() []string { return []string{"html", "markdown"} }

// page is what the template draws.
type page struct {
	Kind        string // "run report", "check report"
	Title       string
	Description string
	Verdict     *verdictLine
	Sections    []section
	Generator   string // tool and version
	Date        string
	CSS         template.CSS
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
