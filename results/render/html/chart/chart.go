// Package chart draws the charts of a report as SVG with gonum/plot. A
// chart is a value — a title, axis labels with their units, the numbers —
// and SVG returns it drawn: a plot with its plotters added and its legend
// beside it, saved through vg/vgsvg. The package knows nothing of reports:
// it takes plain values, so that results can import it.
//
// The SVG is meant to be inlined in an HTML page: it has no XML
// declaration, carries role="img" and its title as aria-label, and its
// text is escaped by vgsvg. The same chart always gives the same bytes.
package chart

import (
	"bytes"
	"fmt"
	"html"
	"image/color"
	"math"

	xfont "golang.org/x/image/font"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"
)

// chartWidth is the width of every chart, in points: a page's text column, so
// that a chart's text keeps its size on screen and on an A4 page.
const chartWidth = 720 * vg.Length(1)

// Text sizes, in points.
const (
	titleSize = 12
	labelSize = 10
	tickSize  = 9
)

// sans is the typeface of every text: Liberation Sans, whose metrics are
// Arial's and Helvetica's, so that a reader without it still sees the text
// fit where gonum measured it.
var sans = font.Font{Typeface: "Liberation", Variant: "Sans"}

// Categorical is the palette of categories (a chart's stacks, a legend's
// series): Tableau's ten colours, then ten more, lighter or darker, so
// that the destinations of a busy day stay apart on screen and in print.
// A category's colour is Categorical[i % len(Categorical)].
var Categorical = []color.RGBA{
	rgb(0x4e79a7), rgb(0xf28e2b), rgb(0xe15759), rgb(0x76b7b2), rgb(0x59a14f), rgb(0xedc948),
	rgb(0xb07aa1), rgb(0xff9da7), rgb(0x9c755f), rgb(0xbab0ac), rgb(0x1f3b73), rgb(0x8cd17d),
	rgb(0xa0cbe8), rgb(0xffbe7d), rgb(0x86bcb6), rgb(0xd4a6c8), rgb(0x7f3c0e), rgb(0x499894),
	rgb(0xd37295), rgb(0x79706e),
}

// colourOf is category i's colour.
func colourOf(i int) color.RGBA {
	return Categorical[((i%len(Categorical))+len(Categorical))%len(Categorical)]
}

func rgb(hex uint32) color.RGBA {
	return color.RGBA{R: uint8(hex >> 16), G: uint8(hex >> 8), B: uint8(hex), A: 0xff}
}

// newPlot is a plot with the chart's title and axis labels, every text in
// sans at the chart sizes.
func newPlot(title, xLabel, yLabel string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font = font.From(bold(sans), titleSize)
	p.Title.Padding = 8
	p.X.Label.Text, p.Y.Label.Text = xLabel, yLabel
	for _, a := range []*plot.Axis{&p.X, &p.Y} {
		a.Label.TextStyle.Font = font.From(sans, labelSize)
		a.Tick.Label.Font = font.From(sans, tickSize)
		a.Tick.Length = 4
		a.Padding = 0
	}
	return p
}

func bold(f font.Font) font.Font {
	f.Weight = xfont.WeightBold
	return f
}

// legendGap is the space between a plot and its neighbour or legend.
const legendGap = 12 * vg.Length(1)

// render draws p, with legend l in a column at its right when it has
// entries, on a canvas of chartWidth × height, and returns the SVG.
func render(title string, p *plot.Plot, l *plot.Legend, height vg.Length) ([]byte, error) {
	return renderPanels(title, []*plot.Plot{p}, l, height)
}

// renderPanels draws plots side by side, sharing the width equally, and
// legend l in a column at their right, on a canvas of chartWidth × height, and
// returns the SVG.
func renderPanels(title string, plots []*plot.Plot, l *plot.Legend, height vg.Length) ([]byte, error) {
	c := vgsvg.New(chartWidth, height)
	dc := draw.New(c)
	l.TextStyle.Font = font.From(sans, tickSize)
	l.Left, l.Top = true, true
	l.Padding = 3
	l.ThumbnailWidth = 14
	legendWidth := l.Rectangle(dc).Size().X
	// The legend starts level with the plots' data, below their titles.
	top := plots[0].Title.TextStyle.Rectangle(plots[0].Title.Text).Size().Y + plots[0].Title.Padding
	l.Draw(draw.Crop(dc, chartWidth-legendWidth, 0, 0, -top))
	width := (chartWidth - legendWidth - legendGap) / vg.Length(len(plots))
	for i, p := range plots {
		left := vg.Length(i) * width
		area := draw.Crop(dc, left, left+width-chartWidth, 0, 0)
		if i > 0 {
			area = draw.Crop(area, legendGap, 0, 0, 0)
		}
		p.Draw(area)
	}
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return nil, err
	}
	return inline(buf.Bytes(), title)
}

// inline turns vgsvg's document into an element for an HTML page: without
// the XML declaration and comment before <svg, and labelled for screen
// readers with the chart's title.
func inline(svg []byte, title string) ([]byte, error) {
	i := bytes.Index(svg, []byte("<svg "))
	if i < 0 {
		return nil, fmt.Errorf("chart: vgsvg wrote no <svg> element")
	}
	var out bytes.Buffer
	out.WriteString(`<svg role="img" aria-label="`)
	out.WriteString(html.EscapeString(title))
	out.WriteString(`" `)
	out.Write(svg[i+len("<svg "):])
	return out.Bytes(), nil
}

// Series is one figure's estimates: a value per position — a Lines
// chart's X, an Intervals chart's row — with its interval. A position
// whose values are not all numbers is not drawn: it breaks a line, and
// leaves a row without a dot.
type Series struct {
	Name            string
	Mean, Low, High []float64
	Colour          int // index into Categorical
}

// rowTicks place rows top to bottom, row r of n in [n-r-1, n-r], each
// labelled with its name when labelled.
func rowTicks(rows []string, labelled bool) plot.ConstantTicks {
	n := len(rows)
	ticks := make(plot.ConstantTicks, n)
	for r, name := range rows {
		ticks[r] = plot.Tick{Value: float64(n-r) - 0.5}
		if labelled {
			ticks[r].Label = name
		}
	}
	return ticks
}

// edgeTicks labels the edges of n columns (column c spans [c, c+1)) with
// labels (one per edge, n+1 of them, or n when the last is left out), at
// most about maxLabels of them; the other edges get unlabelled ticks.
func edgeTicks(labels []string, maxLabels int) plot.ConstantTicks {
	step := max(1, int(math.Ceil(float64(len(labels))/float64(maxLabels))))
	ticks := make(plot.ConstantTicks, len(labels))
	for i, label := range labels {
		ticks[i] = plot.Tick{Value: float64(i)}
		if i%step == 0 {
			ticks[i].Label = label
		}
	}
	return ticks
}

// swatch is a legend thumbnail filled with one colour.
type swatch struct{ colour color.Color }

func (s swatch) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	inset := (r.Max.Y - r.Min.Y) * 0.1
	c.FillPolygon(s.colour, []vg.Point{
		{X: r.Min.X, Y: r.Min.Y + inset}, {X: r.Max.X, Y: r.Min.Y + inset},
		{X: r.Max.X, Y: r.Max.Y - inset}, {X: r.Min.X, Y: r.Max.Y - inset},
	})
}

// finite reports whether every value is a number.
func finite(xs ...float64) bool {
	for _, x := range xs {
		if math.IsNaN(x) || math.IsInf(x, 0) {
			return false
		}
	}
	return true
}
