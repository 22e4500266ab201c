package chart

import (
	"bytes"
	"encoding/xml"
	"io"
	"math"
	"slices"
	"strings"
	"testing"
)

// charts are one of each kind, with every feature used and names that
// need escaping.
func charts() map[string]interface{ SVG() ([]byte, error) } {
	edges := []string{"02:00", "03:00", "04:00", "05:00"}
	nan := math.NaN()
	return map[string]interface{ SVG() ([]byte, error) }{
		"bars": StackedBars{
			Title: `Media <script>alert("x")</script> & co`, XLabel: "time (UTC)", YLabel: "violations per hour (mean)", Edges: edges,
			Stacks: []Stack{{Name: `CN "quoted" & <b>`, Values: []float64{1, 2, nan}, Colour: 3}, {Name: "AU", Values: []float64{0.5, 0, 4}, Colour: 0}},
			Low:    []float64{0.2, 1, 3}, High: []float64{2.8, 3, 5}, IntervalName: "95% interval of the total",
		},
		"heatmap": HeatMap{
			Title: "Utilisation & <capacity>", XLabel: "time (UTC)", Edges: edges,
			Rows:    []string{"us-<east> media", "bj1 keys"},
			Values:  [][]float64{{0.1, 0.97, 1.2}, {nan, 0.6, 0.3}},
			Classes: []Class{{0.5, "up to 50%"}, {1, "50–100%"}}, Over: Class{Label: "over 100%"}, Missing: "down",
			Marks: []Mark{{Row: 0, X: 1.5, Shape: Cross, Label: "goes down"}, {Row: 0, X: 2, Shape: Ring, Label: "comes up"}, {Row: 1, X: 0.5, Shape: Diamond, Label: "capacity changes"}, {Row: 5, X: 1}},
		},
		"lines": Lines{
			Title: "Blocking against <picks>", XLabel: "picks", YLabel: "blocking (%)", X: []float64{1, 2, 3}, XTicks: []string{"1", "2", "3 & more"},
			Series: []Series{
				{Name: "factor = 1.3", Mean: []float64{1, 0.8, 0.7}, Low: []float64{0.9, 0.7, 0.6}, High: []float64{1.1, 0.9, 0.8}},
				{Name: `factor = "1.5"`, Mean: []float64{2, nan, 1.5}, Low: []float64{1.8, nan, 1.2}, High: []float64{2.2, nan, 1.8}, Colour: 1},
			},
			Rules: []Rule{{Across: true, At: 1.2, Label: "limit 1.2%"}, {At: 2, Label: "answer <2>"}},
		},
		"intervals": Intervals{
			Title: "Benefit and cost", Rows: []string{"na-free", "total & <all>"},
			Panels: []Panel{
				{Title: "Benefit", XLabel: "change (percentage points)", Series: []Series{
					{Name: "media", Mean: []float64{-1, -0.5}, Low: []float64{-1.5, -0.7}, High: []float64{-0.5, -0.3}},
					{Name: "keys", Mean: []float64{nan, 0.1}, Low: []float64{nan, -0.1}, High: []float64{nan, 0.3}, Colour: 1},
				}},
				{Title: "Cost", XLabel: "change (percentage points)", Series: []Series{
					{Name: "blocking", Mean: []float64{0.2, 0.1}, Low: []float64{0.1, 0}, High: []float64{0.3, 0.2}, Colour: 2},
				}},
			},
		},
	}
}

// Every chart is well-formed XML, an <svg> element labelled with its
// title, whose every text is escaped: no markup from a name survives.
func TestSVGIsXML(t *testing.T) {
	for name, c := range charts() {
		svg, err := c.SVG()
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if !bytes.HasPrefix(svg, []byte(`<svg role="img" aria-label="`)) {
			t.Errorf("%s: starts %q, want an <svg> element labelled for screen readers", name, svg[:min(len(svg), 60)])
		}
		d := xml.NewDecoder(bytes.NewReader(svg))
		var texts []string
		depth, roots := 0, 0
		for {
			tok, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s: not XML: %v", name, err)
			}
			switch tok := tok.(type) {
			case xml.StartElement:
				if depth == 0 {
					roots++
				}
				depth++
				if tok.Name.Local == "script" {
					t.Errorf("%s: a <script> element", name)
				}
			case xml.EndElement:
				depth--
			case xml.CharData:
				if s := strings.TrimSpace(string(tok)); s != "" {
					texts = append(texts, s)
				}
			}
		}
		if roots != 1 {
			t.Errorf("%s: %d root elements, want one <svg>", name, roots)
		}
		if name == "bars" && !slices.Contains(texts, `CN "quoted" & <b>`) {
			t.Errorf("bars: the legend does not read back as written: %q", texts)
		}
	}
}

// The same chart gives the same bytes, time after time.
func TestSVGDeterministic(t *testing.T) {
	for name, c := range charts() {
		first, err := c.SVG()
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			again, _ := c.SVG()
			if !bytes.Equal(first, again) {
				t.Fatalf("%s: two drawings differ", name)
			}
		}
	}
}

// Charts refuse data that does not fit their shape.
func TestChartErrors(t *testing.T) {
	for name, c := range map[string]interface{ SVG() ([]byte, error) }{
		"interval bounds":  StackedBars{Stacks: []Stack{{Values: []float64{1, 2}}}, Low: []float64{1}, High: []float64{1}},
		"no classes":       HeatMap{Rows: []string{"a"}, Values: [][]float64{{1}}},
		"rows and values":  HeatMap{Rows: []string{"a", "b"}, Values: [][]float64{{1}}, Classes: []Class{{1, "all"}}},
		"series and rows":  Intervals{Rows: []string{"a", "b"}, Panels: []Panel{{Series: []Series{{Mean: []float64{1}, Low: []float64{1}, High: []float64{1}}}}}},
		"lines and ticks":  Lines{X: []float64{1, 2}, XTicks: []string{"1"}},
		"lines and values": Lines{X: []float64{1}, XTicks: []string{"1"}, Series: []Series{{Mean: []float64{1, 2}}}},
		"too many classes": HeatMap{Rows: []string{"a"}, Values: [][]float64{{1}}, Classes: make([]Class, 9)},
	} {
		if _, err := c.SVG(); err == nil {
			t.Errorf("%s: no error", name)
		}
	}
}

// A label is shown on every edge when there are few, on every k-th when
// there are many, and every edge has a tick.
func TestEdgeTicks(t *testing.T) {
	labels := make([]string, 25)
	for i := range labels {
		labels[i] = string(rune('a' + i))
	}
	ticks := edgeTicks(labels, 13)
	shown := 0
	for i, tk := range ticks {
		if tk.Value != float64(i) {
			t.Fatalf("tick %d at %v", i, tk.Value)
		}
		if tk.Label != "" {
			shown++
		}
	}
	if shown != 13 || ticks[0].Label != "a" || ticks[2].Label != "c" || ticks[1].Label != "" {
		t.Errorf("%d labels shown (%v), want every other one, 13", shown, ticks)
	}
}

// An intervals chart's axis is labelled at round values, enough of them
// to read a dot's place off, with no more digits than the step needs.
func TestPlainTicks(t *testing.T) {
	for _, c := range []struct {
		min, max float64
		want     string
	}{
		{-0.2, 2.6, "0.0 0.5 1.0 1.5 2.0 2.5"},
		{-13000, 9000, "-10000 -5000 0 5000"},
		{-6.4, 0.3, "-6 -4 -2 0"},
		{-1, 1, "-1.0 -0.5 0.0 0.5 1.0"},
		{0.001, 0.0042, "0.001 0.002 0.003 0.004"},
	} {
		var labels []string
		for _, tick := range (plainTicks{}).Ticks(c.min, c.max) {
			labels = append(labels, tick.Label)
		}
		if got := strings.Join(labels, " "); got != c.want {
			t.Errorf("ticks of [%g, %g]: %s, want %s", c.min, c.max, got, c.want)
		}
	}
}
