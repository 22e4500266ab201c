package chart

import (
	"fmt"
	"image/color"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Intervals is a dot-and-whisker chart: for each row, each series' point
// estimate with its interval, along a horizontal axis, and a rule at zero
// so that a change reads as better or worse at a glance.
type Intervals struct {
	Title, XLabel string
	Rows          []string // top to bottom
	Series        []IntervalSeries
}

// IntervalSeries is one figure's estimates, a value per row; a row whose
// values are not all numbers is left out.
type IntervalSeries struct {
	Name            string
	Mean, Low, High []float64
	Colour          int // index into Categorical
}

// intervalRow is the height a row takes, in points.
const intervalRow = 18 * vg.Length(1)

// SVG draws the chart.
func (iv Intervals) SVG() ([]byte, error) {
	p := newPlot(iv.Title, iv.XLabel, "")
	n := len(iv.Rows)
	p.Y.Min, p.Y.Max = 0, float64(n)
	rowTicks := make(plot.ConstantTicks, n)
	for r, name := range iv.Rows {
		rowTicks[r] = plot.Tick{Value: float64(n-r) - 0.5, Label: name}
	}
	p.Y.Tick.Marker = rowTicks
	p.Y.Tick.Length = 0
	p.X.Padding = 6
	p.Add(&zeroRule{rows: n})
	legend := plot.NewLegend()
	legend.TextStyle = p.Legend.TextStyle
	for s, series := range iv.Series {
		if len(series.Mean) != n || len(series.Low) != n || len(series.High) != n {
			return nil, fmt.Errorf("chart %q: series %q has %d, %d and %d values for %d rows", iv.Title, series.Name, len(series.Mean), len(series.Low), len(series.High), n)
		}
		var points plotter.XYs
		var whiskers xErrors
		// Series share a row, each a little above or below its middle.
		offset := (float64(s) - float64(len(iv.Series)-1)/2) * 0.22
		for r := range n {
			if !finite(series.Mean[r], series.Low[r], series.High[r]) {
				continue
			}
			y := float64(n-r) - 0.5 - offset
			points = append(points, plotter.XY{X: series.Mean[r], Y: y})
			whiskers = append(whiskers, xError{x: series.Mean[r], y: y, low: series.Mean[r] - series.Low[r], high: series.High[r] - series.Mean[r]})
		}
		colour := colourOf(series.Colour)
		if len(points) > 0 {
			dots, err := plotter.NewScatter(points)
			if err != nil {
				return nil, err
			}
			dots.GlyphStyle = draw.GlyphStyle{Color: colour, Radius: 3, Shape: draw.CircleGlyph{}}
			bars, err := plotter.NewXErrorBars(whiskers)
			if err != nil {
				return nil, err
			}
			bars.LineStyle = draw.LineStyle{Color: colour, Width: 1.2}
			bars.CapWidth = 5
			p.Add(bars, dots)
		}
		legend.Add(series.Name, dotThumb{colour})
	}
	height := intervalRow*vg.Length(n) + 70
	return render(iv.Title, p, &legend, max(height, 140))
}

// xError is one whisker: a point and how far its interval reaches either
// side.
type xError struct{ x, y, low, high float64 }

// xErrors is the whiskers of a series, in the form plotter.NewXErrorBars
// takes.
type xErrors []xError

func (e xErrors) Len() int                        { return len(e) }
func (e xErrors) XY(i int) (float64, float64)     { return e[i].x, e[i].y }
func (e xErrors) XError(i int) (float64, float64) { return e[i].low, e[i].high }

// zeroRule is a vertical line at x = 0 across every row.
type zeroRule struct{ rows int }

func (z *zeroRule) Plot(c draw.Canvas, p *plot.Plot) {
	x, y := p.Transforms(&c)
	c.StrokeLine2(draw.LineStyle{Color: color.Gray{Y: 0x80}, Width: 0.8, Dashes: []vg.Length{3, 2}}, x(0), y(0), x(0), y(float64(z.rows)))
}

func (z *zeroRule) DataRange() (xmin, xmax, ymin, ymax float64) { return 0, 0, 0, float64(z.rows) }

// dotThumb is a series' legend entry: its dot.
type dotThumb struct{ colour color.Color }

func (t dotThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(draw.GlyphStyle{Color: t.colour, Radius: 3, Shape: draw.CircleGlyph{}}, c.Center())
}
