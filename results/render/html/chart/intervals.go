package chart

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Intervals is a dot-and-whisker chart: for each row, each series' point
// estimate with its interval along a horizontal axis, with a rule at zero
// so that a change reads as better or worse at a glance. Its panels stand
// side by side and share the rows, so that two figures of one row — a
// change's benefit and its cost, say — read across.
type Intervals struct {
	Title  string   // of the whole, for screen readers; each panel has its own
	Rows   []string // top to bottom
	Panels []Panel
}

// Panel is one of an Intervals chart's side-by-side plots.
type Panel struct {
	Title, XLabel string
	Series        []Series
}

// intervalRow is the height a row takes, in points.
const intervalRow = 17 * vg.Length(1)

// SVG draws the chart.
func (iv Intervals) SVG() ([]byte, error) {
	n := len(iv.Rows)
	legend := plot.NewLegend()
	var plots []*plot.Plot
	var names []string
	for i, panel := range iv.Panels {
		p := newPlot(panel.Title, panel.XLabel, "")
		p.Y.Min, p.Y.Max = 0, float64(n)
		// Only the first panel names the rows: the others read across.
		p.Y.Tick.Marker = rowTicks(iv.Rows, i == 0)
		p.Y.Tick.Length = 0
		p.X.Tick.Marker = plainTicks{}
		p.Add(&zeroRule{rows: n})
		for s, series := range panel.Series {
			if len(series.Mean) != n || len(series.Low) != n || len(series.High) != n {
				return nil, fmt.Errorf("chart %q: series %q has %d, %d and %d values for %d rows", iv.Title, series.Name, len(series.Mean), len(series.Low), len(series.High), n)
			}
			// Series share a row, each a little above or below its middle.
			offset := (float64(s) - float64(len(panel.Series)-1)/2) * 0.22
			if err := addSeries(p, series, n, offset); err != nil {
				return nil, err
			}
			if !slices.Contains(names, series.Name) {
				names = append(names, series.Name)
				legend.Add(series.Name, dotThumb{colourOf(series.Colour)})
			}
		}
		padRange(&p.X)
		plots = append(plots, p)
	}
	height := max(intervalRow*vg.Length(n)+70, 140)
	return renderPanels(iv.Title, plots, &legend, height)
}

// addSeries adds a series' dots and whiskers to p.
func addSeries(p *plot.Plot, series Series, n int, offset float64) error {
	var points plotter.XYs
	var whiskers xErrors
	for r := range n {
		if !finite(series.Mean[r], series.Low[r], series.High[r]) {
			continue
		}
		y := float64(n-r) - 0.5 - offset
		points = append(points, plotter.XY{X: series.Mean[r], Y: y})
		whiskers = append(whiskers, xError{x: series.Mean[r], y: y, low: series.Mean[r] - series.Low[r], high: series.High[r] - series.Mean[r]})
	}
	if len(points) == 0 {
		return nil
	}
	colour := colourOf(series.Colour)
	dots, err := plotter.NewScatter(points)
	if err != nil {
		return err
	}
	dots.GlyphStyle = draw.GlyphStyle{Color: colour, Radius: 2.5, Shape: draw.CircleGlyph{}}
	bars, err := plotter.NewXErrorBars(whiskers)
	if err != nil {
		return err
	}
	bars.LineStyle = draw.LineStyle{Color: colour, Width: 1.1}
	bars.CapWidth = 4
	p.Add(bars, dots)
	return nil
}

// padRange widens an axis by a twentieth of its range on either side, so
// that no whisker ends on the frame.
func padRange(a *plot.Axis) {
	pad := (a.Max - a.Min) / 20
	if pad == 0 {
		pad = 1
	}
	a.Min, a.Max = a.Min-pad, a.Max+pad
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

// plainTicks label an axis at about six round values — multiples of 1, 2,
// 2.5 or 5 times a power of ten — with the digits the step needs and no
// more: "-2500", not "-2500.00"; "0.25", "0.5". gonum's default ticks
// label as few as two values, too few to read a dot's place off.
type plainTicks struct{}

func (plainTicks) Ticks(min, max float64) []plot.Tick {
	if !finite(min, max) || max <= min {
		return plot.DefaultTicks{}.Ticks(min, max)
	}
	raw := (max - min) / 6
	magnitude := math.Pow(10, math.Floor(math.Log10(raw)))
	step := 10 * magnitude
	for _, m := range []float64{1, 2, 2.5, 5} {
		if m*magnitude >= raw {
			step = m * magnitude
			break
		}
	}
	decimals := 0
	for decimals < 15 && strconv.FormatFloat(step, 'f', decimals, 64) != strconv.FormatFloat(step, 'f', -1, 64) {
		decimals++
	}
	var ticks []plot.Tick
	for i := math.Ceil(min / step); i*step <= max; i++ {
		label := strconv.FormatFloat(i*step, 'f', decimals, 64)
		if x, _ := strconv.ParseFloat(label, 64); x == 0 {
			label = strconv.FormatFloat(0, 'f', decimals, 64) // not "-0"
		}
		ticks = append(ticks, plot.Tick{Value: i * step, Label: label})
	}
	return ticks
}

// dotThumb is a series' legend entry: its dot.
type dotThumb struct{ colour color.Color }

func (t dotThumb) Thumbnail(c *draw.Canvas) {
	c.DrawGlyph(draw.GlyphStyle{Color: t.colour, Radius: 3, Shape: draw.CircleGlyph{}}, c.Center())
}
