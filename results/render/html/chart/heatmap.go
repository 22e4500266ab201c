package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// HeatMap is a grid of cells — rows such as datacenters, columns such as
// time buckets — each coloured by the class its value falls in, with marks
// for events placed on a row at a moment.
type HeatMap struct {
	Title, XLabel, YLabel string
	Rows                  []string // top to bottom
	// Edges labels the columns' edges as StackedBars.Edges does.
	Edges  []string
	Values [][]float64 // [row][column]; NaN is Missing
	// Classes are the colour classes by ascending upper bound: a value
	// belongs to the first class whose Upper is at least the value, and
	// to Over when it is above every one.
	Classes []Class
	Over    Class
	// Missing names what a NaN cell means ("down"), drawn grey.
	Missing string
	Marks   []Mark
}

// Class is a colour class of a heat map. Upper is ignored for Over.
type Class struct {
	Upper float64
	Label string
}

// Mark is an event on row Row at X, in column units: column c spans
// [c, c+1). The legend has one entry per Shape, with the Label of its
// first mark.
type Mark struct {
	Row   int
	X     float64
	Shape Shape
	Label string
}

// Shape is how a mark is drawn.
type Shape int

// The shapes of marks.
const (
	Cross   Shape = iota // ×
	Ring                 // ○
	Diamond              // ◇
)

// sequential are the colours of up to five classes, light to dark (from
// ColorBrewer's YlOrRd), and overColour the class above them.
var (
	sequential = []color.RGBA{rgb(0xffffcc), rgb(0xfed976), rgb(0xfd8d3c), rgb(0xe31a1c), rgb(0x800026)}
	overColour = rgb(0x54278f)
	missing    = rgb(0xc8c8c8)
)

// rowHeight is the height of one row of cells, in points.
const rowHeight = 12 * vg.Length(1)

// SVG draws the heat map.
func (h HeatMap) SVG() ([]byte, error) {
	if len(h.Classes) == 0 || len(h.Classes) > len(sequential) {
		return nil, fmt.Errorf("chart %q: %d colour classes, want 1 to %d", h.Title, len(h.Classes), len(sequential))
	}
	columns := 0
	for _, row := range h.Values {
		columns = max(columns, len(row))
	}
	if len(h.Values) != len(h.Rows) {
		return nil, fmt.Errorf("chart %q: %d rows named, %d rows of values", h.Title, len(h.Rows), len(h.Values))
	}
	p := newPlot(h.Title, h.XLabel, h.YLabel)
	p.X.Min, p.X.Max = 0, float64(columns)
	p.Y.Min, p.Y.Max = 0, float64(len(h.Rows))
	p.X.Tick.Marker = edgeTicks(h.Edges, 13)
	p.Y.Tick.Marker = rowTicks(h.Rows, true)
	p.Y.Tick.Length = 0
	p.Y.Tick.LineStyle.Width = 0
	p.Add(&cells{h: &h, columns: columns})
	p.Add(&marks{h: &h})

	legend := plot.NewLegend()
	colours := classColours(len(h.Classes))
	for i := len(h.Classes) - 1; i >= 0; i-- {
		legend.Add(h.Classes[i].Label, swatch{colours[i]})
	}
	legend.Add(h.Over.Label, swatch{overColour})
	legend.Add(h.Missing, swatch{missing})
	seen := map[Shape]bool{}
	for _, m := range h.Marks {
		if !seen[m.Shape] {
			seen[m.Shape] = true
			legend.Add(m.Label, markThumb{m.Shape})
		}
	}
	height := rowHeight*vg.Length(len(h.Rows)) + 70
	return render(h.Title, p, &legend, max(height, 150))
}

// classColours spreads n classes over the sequential colours, keeping the
// darkest for the highest class.
func classColours(n int) []color.RGBA {
	out := make([]color.RGBA, n)
	for i := range out {
		out[i] = sequential[len(sequential)-n+i]
	}
	return out
}

// colour is the colour of value v.
func (h *HeatMap) colour(v float64, colours []color.RGBA) color.Color {
	if math.IsNaN(v) {
		return missing
	}
	for i, c := range h.Classes {
		if v <= c.Upper {
			return colours[i]
		}
	}
	return overColour
}

// cells draws the grid.
type cells struct {
	h       *HeatMap
	columns int
}

func (g *cells) Plot(c draw.Canvas, p *plot.Plot) {
	x, y := p.Transforms(&c)
	colours := classColours(len(g.h.Classes))
	n := len(g.h.Rows)
	for r, row := range g.h.Values {
		// A run of cells of one colour is one rectangle: adjacent
		// rectangles would show hairline seams where they meet.
		for from := 0; from < len(row); {
			colour := g.h.colour(row[from], colours)
			to := from + 1
			for to < len(row) && g.h.colour(row[to], colours) == colour {
				to++
			}
			c.FillPolygon(colour, rect(x(float64(from)), y(float64(n-r-1)), x(float64(to)), y(float64(n-r))))
			from = to
		}
	}
	// Thin white rules between rows keep them apart where colours match.
	rule := draw.LineStyle{Color: color.White, Width: 0.6}
	for r := 1; r < n; r++ {
		c.StrokeLine2(rule, x(0), y(float64(r)), x(float64(g.columns)), y(float64(r)))
	}
}

func (g *cells) DataRange() (xmin, xmax, ymin, ymax float64) {
	return 0, float64(g.columns), 0, float64(len(g.h.Rows))
}

// marks draws the events.
type marks struct{ h *HeatMap }

func (m *marks) Plot(c draw.Canvas, p *plot.Plot) {
	x, y := p.Transforms(&c)
	n := len(m.h.Rows)
	for _, mk := range m.h.Marks {
		if mk.X < p.X.Min || mk.X > p.X.Max || mk.Row < 0 || mk.Row >= n {
			continue
		}
		c.DrawGlyph(glyphOf(mk.Shape), vg.Point{X: x(mk.X), Y: y(float64(n-mk.Row) - 0.5)})
	}
}

// glyphOf is the style a shape is drawn in: black on a white halo would
// need two glyphs, so the marks are black and large enough to read on any
// class colour.
func glyphOf(s Shape) draw.GlyphStyle {
	sty := draw.GlyphStyle{Color: color.Black, Radius: 3.5}
	switch s {
	case Ring:
		sty.Shape = draw.RingGlyph{}
	case Diamond:
		sty.Shape = diamondGlyph{}
	default:
		sty.Shape = draw.CrossGlyph{}
	}
	return sty
}

// diamondGlyph is an outlined diamond.
type diamondGlyph struct{}

func (diamondGlyph) DrawGlyph(c *draw.Canvas, sty draw.GlyphStyle, pt vg.Point) {
	r := sty.Radius
	c.StrokeLines(draw.LineStyle{Color: sty.Color, Width: 1.2}, []vg.Point{
		{X: pt.X, Y: pt.Y + r}, {X: pt.X + r, Y: pt.Y}, {X: pt.X, Y: pt.Y - r}, {X: pt.X - r, Y: pt.Y}, {X: pt.X, Y: pt.Y + r},
	})
}

// markThumb is a mark's legend entry.
type markThumb struct{ shape Shape }

func (t markThumb) Thumbnail(c *draw.Canvas) { c.DrawGlyph(glyphOf(t.shape), c.Center()) }
