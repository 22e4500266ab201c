package html

import (
	"bytes"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/cockroachdb/datadriven"
	"golang.org/x/net/html"
	"golang.org/x/net/html/atom"

	"github.com/geofence/geofence/results"
	"github.com/geofence/geofence/results/check"
	"github.com/geofence/geofence/results/diff"
	"github.com/geofence/geofence/results/internal/fixture"
	"github.com/geofence/geofence/results/legend"
	"github.com/geofence/geofence/results/render"
	"github.com/geofence/geofence/results/study"
	"github.com/geofence/geofence/sim"
)

// TestHTMLOutline replays testdata/html_outline.txt:
//
//	outline run [date=<date>]
//	outline sweep
//	outline plan
//	outline check scenario=<file> [baseline=<file>] [static]
//	outline diff old=<file> new=<file> [static]
//
// renders the spill fixture's run report, a sweep of it (spillSweep), a
// plan (spillPlan), the check of testdata/<file> as fixture.CheckStory
// makes it, or the diff of two files as fixture.DiffStory makes it, as an
// HTML page, and prints its outline:
// the headings, verdict, cards, figures (by title), tables (caption,
// header and size), lists and facts, in page order. The outline is the
// page's structure, reviewable where 100 kB of markup would not be. Run
// with -rewrite to regenerate it.
func TestHTMLOutline(t *testing.T) {
	datadriven.RunTest(t, "testdata/html_outline.txt", func(t *testing.T, d *datadriven.TestData) string {
		if d.Cmd != "outline" || len(d.CmdArgs) == 0 {
			t.Fatalf("%s: want outline run|sweep|plan|check|diff", d.Pos)
		}
		var opt Options
		d.MaybeScanArgs(t, "date", &opt.Date)
		page := renderPage(t, htmlFixture(t, d), opt)
		return outline(t, page)
	})
}

// htmlFixture is the result a test case names: the spill run, a sweep,
// a plan, a check or a diff.
func htmlFixture(t *testing.T, d *datadriven.TestData) any {
	t.Helper()
	switch d.CmdArgs[0].Key {
	case "run":
		return fixture.SpillReport(t)
	case "sweep":
		return spillSweep(t)
	case "plan":
		return spillPlan(t)
	case "diff":
		return fixture.DiffStory(t, d)
	}
	return fixture.CheckStory(t, d)
}

// renderPage renders result as HTML; an error fails the test.
func renderPage(t *testing.T, result any, opt Options) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Render(&buf, result, opt); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// outline writes the structure of page, one line per element that
// matters, indented under its section.
func outline(t *testing.T, page []byte) string {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	indent := ""
	var walk func(n *html.Node)
	walk = func(n *html.Node) {
		if n.Type != html.ElementNode {
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				walk(c)
			}
			return
		}
		switch {
		case n.DataAtom == atom.Title:
			fmt.Fprintf(&out, "title: %s\n", text(n))
			return
		case n.DataAtom == atom.Style, n.DataAtom == atom.Nav:
			return
		case n.DataAtom == atom.H1 || n.DataAtom == atom.H3:
			fmt.Fprintf(&out, "%s%s %s\n", indent, n.Data, text(n))
			return
		case n.DataAtom == atom.Section:
			fmt.Fprintf(&out, "section #%s\n", attr(n, "id"))
			indent = "  "
		case n.DataAtom == atom.H2:
			fmt.Fprintf(&out, "%s%s\n", indent, text(n))
			return
		case hasClass(n, "verdict"), hasClass(n, "kind"):
			fmt.Fprintf(&out, "%s%s: %s\n", indent, attr(n, "class"), text(n))
			return
		case hasClass(n, "card"):
			fmt.Fprintf(&out, "%scard: %s\n", indent, text(n))
			return
		case n.DataAtom == atom.Figure:
			svgs := 0
			title := ""
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.Type == html.ElementNode && c.Data == "svg" {
					svgs++
					title = attr(c, "aria-label")
				}
			}
			fmt.Fprintf(&out, "%sfigure (%d svg): %s\n", indent, svgs, title)
			return
		case n.DataAtom == atom.Table:
			writeTable(&out, indent, n)
			return
		case n.DataAtom == atom.Ul:
			items := 0
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.DataAtom == atom.Li {
					items++
				}
			}
			fmt.Fprintf(&out, "%slist: %d items\n", indent, items)
			return
		case n.DataAtom == atom.Dl:
			var names []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.DataAtom == atom.Dt {
					names = append(names, text(c))
				}
			}
			fmt.Fprintf(&out, "%sfacts: %s\n", indent, strings.Join(names, ", "))
			return
		case hasClass(n, "note"):
			fmt.Fprintf(&out, "%snote: %s\n", indent, text(n))
			return
		case n.DataAtom == atom.P:
			fmt.Fprintf(&out, "%sparagraph\n", indent)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
		if n.DataAtom == atom.Section {
			indent = ""
		}
	}
	walk(doc)
	return out.String()
}

// writeTable writes a table's caption, header and size, and its first
// row.
func writeTable(out io.Writer, indent string, n *html.Node) {
	var caption string
	var header []string
	var rows [][]string
	var visit func(n *html.Node)
	visit = func(n *html.Node) {
		switch n.DataAtom {
		case atom.Caption:
			caption = text(n)
			return
		case atom.Thead:
			for c := range n.Descendants() {
				if c.DataAtom == atom.Th {
					header = append(header, text(c))
				}
			}
			return
		case atom.Tr:
			var row []string
			for c := n.FirstChild; c != nil; c = c.NextSibling {
				if c.DataAtom == atom.Td || c.DataAtom == atom.Th {
					row = append(row, text(c))
				}
			}
			rows = append(rows, row)
			return
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			visit(c)
		}
	}
	visit(n)
	fmt.Fprintf(out, "%stable %q: %d rows\n", indent, caption, len(rows))
	fmt.Fprintf(out, "%s  | %s\n", indent, strings.Join(header, " | "))
	if len(rows) > 0 {
		fmt.Fprintf(out, "%s  | %s\n", indent, strings.Join(rows[0], " | "))
	}
}

// text is the text of n and its descendants, spaces collapsed.
func text(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
			b.WriteString(" ")
		}
	}
	return strings.Join(strings.Fields(b.String()), " ")
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(n *html.Node, class string) bool {
	for _, c := range strings.Fields(attr(n, "class")) {
		if c == class {
			return true
		}
	}
	return false
}

// htmlResults are the results the page tests draw: a run, a check with a
// baseline, a static-only check, hostile names, a sweep, a plan, a
// simulated diff, a static-only diff and a diff with a hostile name.
func htmlResults(t *testing.T) map[string]any {
	t.Helper()
	withBaseline := fixture.CheckInput(t, "check_spill_media_fixed.yaml", false)
	withBaseline.Baseline = fixture.Baseline(t, "check_spill.yaml", "check_spill_media_fixed.yaml")
	return map[string]any{
		"run":           fixture.SpillReport(t),
		"check":         check.Check(withBaseline),
		"static check":  check.Check(fixture.CheckInput(t, "check_spill.yaml", true)),
		"escaped names": escapingReport(t),
		"sweep":         spillSweep(t),
		"plan":          spillPlan(t),
		"diff":          diff.Diff(fixture.DiffInput(t, fixture.LoadStory(t, "check_spill.yaml"), fixture.LoadStory(t, "check_spill_media_fixed.yaml"), false)),
		"static diff":   diff.Diff(fixture.DiffInput(t, fixture.LoadStory(t, "check_spill_media_fixed.yaml"), fixture.LoadStory(t, "diff_spill_kms_bj2.yaml"), true)),
		"escaped diff":  escapingDiff(t),
	}
}

// chartless are the results of htmlResults whose pages have no chart:
// those that simulate nothing.
var chartless = []string{"static check", "static diff"}

// spillPlan is a hand-made plan for the least media capacity of us-east:
// 100 and 150 fail, 200 passes, and 150 is tried again on more
// replications; each evaluation's figures are the spill fixture's.
func spillPlan(t *testing.T) *study.PlanReport {
	t.Helper()
	r, passing := spillRun(t, 3, false), spillRun(t, 3, true)
	r6, passing6 := spillRun(t, 6, false), spillRun(t, 6, true)
	eval := func(value float64, reps int, passed bool, total results.Figures) study.PlanEvaluation {
		return study.PlanEvaluation{Value: value, Replications: reps, Passed: passed, NotAbove: passed,
			Worst: results.FenceRate{Population: "na-free", Plane: "media", Rate: total.ViolationRate.Media}, Total: total}
	}
	return &study.PlanReport{
		Header:      results.Header{Kind: study.KindPlan, FormatVersion: study.PlanFormatVersion, Tool: "geofence", Version: "v0.1.0-test"},
		Scenario:    r.Scenario,
		Seed:        42,
		Question:    study.PlanQuestion{Paths: []string{"datacenters[us-east].capacity.media"}, By: "set", Goal: "least", Min: 100, Max: 200, Step: 50},
		Limits:      [sim.NumPlanes]float64{0.01, 0.01, 0.01},
		LimitSource: [sim.NumPlanes]string{"--max-violation-rate", "--max-violation-rate", "--max-violation-rate"},
		Answer:      &study.PlanAnswer{Path: "datacenters[us-east].capacity.media", Value: 200, Plausible: [2]float64{150, 200}, Replications: 6, Confirmed: 12},
		Evaluations: []study.PlanEvaluation{
			eval(100, 3, false, r.Total), eval(200, 3, true, passing.Total), eval(150, 3, false, r.Total), eval(150, 6, false, r6.Total), eval(200, 6, true, passing6.Total),
		},
		Definitions: legend.Plan(),
	}
}

// spillRun summarises n replications of the spill fixture — past its
// three, its first ones again — with no violation at all when quiet: what
// a run could report.
func spillRun(t *testing.T, n int, quiet bool) *results.Report {
	t.Helper()
	reps := make([]*sim.Replication, n)
	for k := range reps {
		r := fixture.SpillReplication(k % 3)
		r.Index = k
		if quiet {
			for p := range r.Populations {
				pt := &r.Populations[p]
				pt.Violations, pt.ViolatingMinutes = [sim.NumPlanes]int64{}, [sim.NumPlanes]float64{}
				for b := range pt.Buckets {
					pt.Buckets[b].Violations = [sim.NumPlanes]int64{}
				}
			}
			for d := range r.Datacenters {
				for q := range r.Datacenters[d].Planes {
					r.Datacenters[d].Planes[q].Violations, r.Datacenters[d].Planes[q].KeyCopyViolations = 0, 0
				}
			}
			r.Causes = nil
		}
		reps[k] = r
	}
	return fixture.Summarize(t, fixture.SpillModel(), reps, fixture.SpillMeta)
}

// spillSweep is a hand-made sweep of the spill fixture over two axes of two
// values: a point's figures are those of the fixture's replications, the
// third of one point being its first again, so that the lines differ, and
// one point's run saw no violation at all.
func spillSweep(t *testing.T) *study.SweepReport {
	t.Helper()
	three := fixture.SpillReport(t)
	again := fixture.SpillReplication(0)
	again.Index = 2
	two := fixture.Summarize(t, fixture.SpillModel(), []*sim.Replication{fixture.SpillReplication(0), fixture.SpillReplication(1), again}, fixture.SpillMeta)
	quiet := spillRun(t, 3, true)
	return &study.SweepReport{
		Header:   results.Header{Kind: study.KindSweep, FormatVersion: study.SweepFormatVersion, Tool: "geofence", Version: "v0.1.0-test"},
		Study:    study.FileRef{File: "studies/capacity.yaml", SHA256: "ab12"},
		Scenario: results.ScenarioRef{Name: "spill", File: "testdata/spill.yaml", SHA256: fixture.SpillMeta.SHA256, Overrides: []string{}},
		Seed:     42, Replications: 3, Confidence: results.Confidence,
		Axes: []study.SweepAxis{
			{Path: "datacenters[us-east].capacity.media", Values: []string{"100", "150"}},
			{Path: "routing.routes[na].media.secondaries.picks", Values: []string{"1", "2"}},
		},
		Points: []study.SweepPoint{
			study.PointOf([]string{"100", "1"}, two), study.PointOf([]string{"100", "2"}, three),
			study.PointOf([]string{"150", "1"}, three), study.PointOf([]string{"150", "2"}, quiet),
		},
		Definitions: legend.Sweep(),
	}
}

// The same result gives the same bytes, and so does its JSON read back:
// a saved result draws as the result it was saved from.
func TestHTMLDeterministic(t *testing.T) {
	for name, r := range htmlResults(t) {
		opt := Options{Date: "2020-04-03"}
		first := renderPage(t, r, opt)
		if again := renderPage(t, r, opt); !bytes.Equal(first, again) {
			t.Errorf("%s: two renderings differ", name)
		}
		saved, err := json.Marshal(r)
		if err != nil {
			t.Fatal(err)
		}
		back, err := study.ReadResult(saved)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if reread := renderPage(t, back, opt); !bytes.Equal(first, reread) {
			t.Errorf("%s: the page of the saved JSON differs from the page of the result", name)
		}
	}
}

// A page loads nothing from anywhere: no script, no stylesheet, font or
// image by URL, links only to its own sections.
func TestHTMLSelfContained(t *testing.T) {
	for name, r := range htmlResults(t) {
		page := renderPage(t, r, Options{})
		lower := bytes.ToLower(page)
		for _, banned := range []string{"<script", "<link", "<img", "<iframe", "<object", "<embed", "@import", "url(", "src=", "xlink:href=", "http://", "https://"} {
			if banned == "http://" || banned == "https://" {
				// The SVG namespaces are names, not loads.
				lower = bytes.ReplaceAll(lower, []byte(`xmlns="http://www.w3.org/2000/svg"`), nil)
				lower = bytes.ReplaceAll(lower, []byte(`xmlns:xlink="http://www.w3.org/1999/xlink"`), nil)
			}
			if i := bytes.Index(lower, []byte(banned)); i >= 0 {
				t.Errorf("%s: %q at byte %d: %s", name, banned, i, lower[max(0, i-40):min(len(lower), i+60)])
			}
		}
		for _, m := range regexp.MustCompile(`href="([^"]*)"`).FindAllSubmatch(page, -1) {
			if !bytes.HasPrefix(m[1], []byte("#")) {
				t.Errorf("%s: a link out of the page: %s", name, m[0])
			}
		}
	}
}

// svgPattern finds each inline SVG of a page.
var svgPattern = regexp.MustCompile(`(?s)<svg .*?</svg>`)

// Every chart of every page is well-formed XML, one <svg> element.
func TestHTMLSVGsParseAsXML(t *testing.T) {
	for name, r := range htmlResults(t) {
		svgs := svgPattern.FindAll(renderPage(t, r, Options{}), -1)
		if !slices.Contains(chartless, name) && len(svgs) == 0 {
			t.Errorf("%s: no chart", name)
		}
		for i, svg := range svgs {
			d := xml.NewDecoder(bytes.NewReader(svg))
			for {
				_, err := d.Token()
				if err == io.EOF {
					break
				}
				if err != nil {
					t.Errorf("%s: chart %d is not XML: %v", name, i, err)
					break
				}
			}
		}
	}
}

// hostile is what a scenario's names may hold that must reach the reader
// as text: markup, quotes of both kinds and ampersands.
const hostile = `<script>alert("x&y")</script> 'q'`

// escapingReport is the spill run with hostile text in its scenario's
// name, description, file, overrides, and in population, datacenter and
// jurisdiction names.
func escapingReport(t *testing.T) *results.Report {
	t.Helper()
	m := fixture.SpillModel()
	m.Scenario.Name = "spill " + hostile
	m.Scenario.Description = "Described " + hostile + " & more"
	m.Populations[0].ID = "na-free" + hostile
	m.Datacenters[fixture.BJ1].ID = "bj1" + hostile
	m.Datacenters[fixture.BJ1].Jurisdiction = `C"N&<i>`
	meta := fixture.SpillMeta
	meta.File = "dir/" + hostile + ".yaml"
	meta.Overrides = []string{"populations[na-free].joins_per_second*=" + hostile}
	r := fixture.Summarize(t, m, fixture.SpillReplications(3), meta)
	return r
}

// Every name from a scenario reaches the page as text, never as markup:
// the page has no <script> element, and each name reads back whole from
// the parsed page, in its text and its charts.
func TestHTMLEscapes(t *testing.T) {
	r := escapingReport(t)
	page := renderPage(t, r, Options{Date: "2020-04-03"})
	all := pageText(t, page)
	for _, want := range []string{
		r.Scenario.Name, r.Scenario.Description, r.Scenario.File, r.Scenario.Overrides[0],
		"na-free" + hostile + " media", // the blame's fence
		"bj1" + hostile + ` (C"N&<i>)`, // the datacenter let in
	} {
		if !strings.Contains(all, want) {
			t.Errorf("%q does not read back from the page's text", want)
		}
	}
	// In the charts, vgsvg's escaping reads back through an XML parser.
	var chartTexts []string
	for _, svg := range svgPattern.FindAll(page, -1) {
		d := xml.NewDecoder(bytes.NewReader(svg))
		for {
			tok, err := d.Token()
			if err != nil {
				break
			}
			if cd, ok := tok.(xml.CharData); ok {
				chartTexts = append(chartTexts, string(cd))
			}
		}
	}
	if joined := strings.Join(chartTexts, "\n"); !strings.Contains(joined, `C"N&<i>`) || !strings.Contains(joined, "bj1"+hostile+" media") {
		t.Errorf("the charts do not name the jurisdiction and datacenter as written: %q", joined)
	}
}

// pageText is the text of page, a text node a line, once page is known
// to run nothing: no <script> in its bytes, and no script, iframe or event
// handler attribute in the document it parses to.
func pageText(t *testing.T, page []byte) string {
	t.Helper()
	if i := bytes.Index(bytes.ToLower(page), []byte("<script")); i >= 0 {
		t.Fatalf("the page has a <script>: %s", page[max(0, i-60):min(len(page), i+100)])
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatal(err)
	}
	var texts []string
	for n := range doc.Descendants() {
		switch {
		case n.Type == html.ElementNode && (n.DataAtom == atom.Script || n.DataAtom == atom.Iframe):
			t.Errorf("a %s element", n.Data)
		case n.Type == html.ElementNode:
			for _, a := range n.Attr {
				if strings.HasPrefix(strings.ToLower(a.Key), "on") {
					t.Errorf("an event handler attribute %s=%q", a.Key, a.Val)
				}
			}
		case n.Type == html.TextNode:
			texts = append(texts, n.Data)
		}
	}
	return strings.Join(texts, "\n")
}

// escapingDiff is the media fix simulated, its NEW scenario named with
// hostile text, and hostile text in OLD's file and NEW's overrides.
func escapingDiff(t *testing.T) *diff.Report {
	t.Helper()
	new := fixture.LoadStory(t, "check_spill_media_fixed.yaml")
	new.Name = "spill-media-fixed " + hostile
	r := diff.Diff(fixture.DiffInput(t, fixture.LoadStory(t, "check_spill.yaml"), new, false))
	r.Old.File = "dir/" + hostile + ".yaml"
	r.New.Overrides = []string{"description=" + hostile}
	return r
}

// A diff's names reach its page as text too: the scenario named with
// markup on one side, the other's file, the overrides.
func TestHTMLDiffEscapes(t *testing.T) {
	r := escapingDiff(t)
	all := pageText(t, renderPage(t, r, Options{}))
	for _, want := range []string{
		"spill → " + r.New.Name, // the title
		r.New.Name,              // the provenance
		r.Old.File,
		r.New.Overrides[0],
	} {
		if !strings.Contains(all, want) {
			t.Errorf("%q does not read back from the page's text", want)
		}
	}
}

// A diff's page says what its text formats say: the verdict with its
// counts, every sentence of what got worse or better, and each changed
// landing, tolerance and routing change located.
func TestHTMLDiffShowsTheDiff(t *testing.T) {
	for _, c := range []struct {
		old, new string
		static   bool
		want     []string
	}{
		{"check_spill_media_fixed.yaml", "diff_spill_kms_bj2.yaml", true, []string{
			"<strong>WORSE</strong> — 3 worse, 0 improved; fails with --exit-on worse.",
			"New: forbidden landings NEW allows and OLD did not",
			"bj2 (CN) via connector", "kms-backup[1]<span class=\"sub\">30:23</span>",
			"Not simulated: this is a static-only diff.",
		}},
		{"check_spill.yaml", "check_spill_media_fixed.yaml", false, []string{
			"<strong>IMPROVED</strong> — 5 improved, nothing worse; passes with --exit-on worse.",
			"Gone: forbidden landings OLD allowed and NEW does not",
			"2 → never", "whitelist intl: bj1 removed", "testdata/check_spill.yaml:34:9",
			`aria-label="Change in violation rate, NEW − OLD, per population"`,
			`aria-label="Change in blocking, secondary share and p95 set-up latency, NEW − OLD, per population"`,
		}},
	} {
		r := diff.Diff(fixture.DiffInput(t, fixture.LoadStory(t, c.old), fixture.LoadStory(t, c.new), c.static))
		page := string(renderPage(t, r, Options{}))
		for _, s := range append(slices.Clone(r.Worse), r.Improved...) {
			c.want = append(c.want, html.EscapeString(s))
		}
		for _, want := range c.want {
			if !strings.Contains(page, want) {
				t.Errorf("%s → %s: the page does not show %q", c.old, c.new, want)
			}
		}
	}
}

// A result of a kind no page draws, or a file that is no result, is
// refused with the kinds that are drawn.
func TestReadResult(t *testing.T) {
	for _, c := range []struct{ data, want string }{
		{`{"kind": "merge"}`, `its kind is none of check, diff, plan, run, sweep`},
		{`name: spill`, `its kind is none of check, diff, plan, run, sweep`},
		{`{"kind": "run", "seed": "x"}`, "not a run result as geofence writes one: /seed: want a whole number"},
	} {
		if _, err := study.ReadResult([]byte(c.data)); err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%s: error %v, want %q", c.data, err, c.want)
		}
	}
	if kind := study.ResultKind([]byte("name: spill\n")); kind != "" {
		t.Errorf("a YAML scenario has kind %q", kind)
	}
}

// The page's numbers are the report's: the headline cards show what
// the Markdown shows, and every plane's chart has a table under it.
func TestHTMLHeadlineNumbers(t *testing.T) {
	r := fixture.SpillReport(t)
	page := string(renderPage(t, r, Options{}))
	for _, want := range []string{
		countText(r.Headline.JoinsPerDay), render.RateCell(r.Headline.Blocking),
		countText(r.Headline.PlaneViolationsPerDay.Media),
	} {
		if !strings.Contains(page, html.EscapeString(want)) {
			t.Errorf("the page does not show %q", want)
		}
	}
	for p := range sim.NumPlanes {
		title := capitalize(results.PlaneName(p)) + ": forbidden landings per hour"
		if strings.Count(page, `aria-label="`+title+`"`) != 1 {
			t.Errorf("no chart %q", title)
		}
	}
}

// A count card groups thousands and keeps a decimal for small counts.
func TestCountText(t *testing.T) {
	for _, c := range []struct {
		e    results.Estimate
		want string
	}{
		{results.EstimateOf([]float64{315687, 316362, 315388}), "315,812 ± 1,239"},
		{results.EstimateOf([]float64{1.5, 2.5}), "2.0 ± 6.4"},
		{results.EstimateOf([]float64{1234567}), "1,234,567"},
		{results.EstimateOf([]float64{-1500, -500}), "-1,000 ± 6,353"},
	} {
		if got := countText(c.e); got != c.want {
			t.Errorf("countText(%v) = %q, want %q", c.e.PerReplication, got, c.want)
		}
	}
}
