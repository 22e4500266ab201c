package chart

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// StackedBars is a bar per column — a time bucket, say — each bar a stack
// of the categories' values, with an optional interval on each bar's
// total.
type StackedBars struct {
	Title, XLabel, YLabel string
	// Edges labels the columns' edges, Edges[c] the left edge of column
	// c; one more than the columns when the right edge of the last is
	// labelled too. Only some are shown when there are many.
	Edges []string
	// Stacks are drawn bottom first; each has a value per column (NaN
	// draws nothing).
	Stacks []Stack
	// Low and High bound each bar's total; nil for none. IntervalName
	// names the interval in the legend.
	Low, High    []float64
	IntervalName string
}

// Stack is one category of a stacked bar chart.
type Stack struct {
	Name   string
	Values []float64
	Colour int // index into Categorical, so that a category keeps its colour from chart to chart
}

// barsHeight is the height of a stacked bar chart, in points.
const barsHeight = 250 * vg.Length(1)

// SVG draws the chart.
func (b StackedBars) SVG() ([]byte, error) {
	columns := 0
	for _, s := range b.Stacks {
		columns = max(columns, len(s.Values))
	}
	if b.Low != nil && (len(b.Low) != columns || len(b.High) != columns) {
		return nil, fmt.Errorf("chart %q: %d columns but %d and %d interval bounds", b.Title, columns, len(b.Low), len(b.High))
	}
	p := newPlot(b.Title, b.XLabel, b.YLabel)
	p.X.Min, p.X.Max = 0, float64(columns)
	p.X.Tick.Marker = edgeTicks(b.Edges, 13)
	p.Y.Min = 0
	p.Add(&bars{stacks: b.Stacks, columns: columns})
	legend := plot.NewLegend()
	for i := len(b.Stacks) - 1; i >= 0; i-- { // top of the stack first, as the bars read
		legend.Add(b.Stacks[i].Name, swatch{colourOf(b.Stacks[i].Colour)})
	}
	if b.Low != nil {
		p.Add(&intervalBars{low: b.Low, high: b.High})
		legend.Add(b.IntervalName, intervalThumb{})
	}
	return render(b.Title, p, &legend, barsHeight)
}

// bars draws the stacks: column c's bar fills [c+gap, c+1-gap].
type bars struct {
	stacks  []Stack
	columns int
}

// barGap is the share of a column left empty on either side of its bar.
const barGap = 0.12

func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	x, y := p.Transforms(&c)
	for col := range b.columns {
		base := 0.0
		for _, s := range b.stacks {
			if col >= len(s.Values) || !finite(s.Values[col]) || s.Values[col] <= 0 {
				continue
			}
			top := base + s.Values[col]
			c.FillPolygon(colourOf(s.Colour), rect(x(float64(col)+barGap), y(base), x(float64(col+1)-barGap), y(top)))
			base = top
		}
	}
}

func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	for col := range b.columns {
		total := 0.0
		for _, s := range b.stacks {
			if col < len(s.Values) && finite(s.Values[col]) && s.Values[col] > 0 {
				total += s.Values[col]
			}
		}
		ymax = max(ymax, total)
	}
	return 0, float64(b.columns), 0, ymax
}

// intervalBars draws a vertical interval with caps at the middle of each
// column.
type intervalBars struct{ low, high []float64 }

var intervalStyle = draw.LineStyle{Color: color.Black, Width: 0.8}

func (e *intervalBars) Plot(c draw.Canvas, p *plot.Plot) {
	x, y := p.Transforms(&c)
	for col := range e.low {
		lo, hi := max(e.low[col], 0), e.high[col]
		if !finite(lo, hi) || hi <= 0 {
			continue
		}
		strokeInterval(&c, x(float64(col)+0.5), y(lo), y(hi), (x(1)-x(0))*0.15)
	}
}

func (e *intervalBars) DataRange() (xmin, xmax, ymin, ymax float64) {
	for col := range e.high {
		if finite(e.high[col]) {
			ymax = max(ymax, e.high[col])
		}
	}
	return 0, float64(len(e.high)), 0, ymax
}

// intervalThumb is the legend's picture of an interval: a capped vertical
// line.
type intervalThumb struct{}

func (intervalThumb) Thumbnail(c *draw.Canvas) {
	r := c.Rectangle
	strokeInterval(c, (r.Min.X+r.Max.X)/2, r.Min.Y, r.Max.Y, (r.Max.X-r.Min.X)*0.25)
}

// strokeInterval draws an upright interval from low to high at x, capped
// capWidth either side at both ends.
func strokeInterval(c *draw.Canvas, x, low, high, capWidth vg.Length) {
	c.StrokeLine2(intervalStyle, x, low, x, high)
	c.StrokeLine2(intervalStyle, x-capWidth, high, x+capWidth, high)
	c.StrokeLine2(intervalStyle, x-capWidth, low, x+capWidth, low)
}

// rect is the rectangle with corners (x0, y0) and (x1, y1).
func rect(x0, y0, x1, y1 vg.Length) []vg.Point {
	return []vg.Point{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}}
}
