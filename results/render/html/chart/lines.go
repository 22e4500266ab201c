package chart

import (
	"fmt"
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// Lines is a figure against a quantity: a line through each series'
// point estimates, its confidence interval shaded around it.
type Lines struct {
	Title, XLabel, YLabel string
	// X are the positions of the values along the horizontal axis, and
	// XTicks their labels, one per position.
	X      []float64
	XTicks []string
	Series []Series
	// Rules are reference lines drawn dashed: a limit across the chart
	// or an answer along it.
	Rules []Rule
}

// Rule is a reference line at At: across the chart (a value of the
// vertical axis) when Across, else upright (a value of the horizontal
// axis). Label names it in the legend.
type Rule struct {
	Across bool
	At     float64
	Label  string
}

// linesHeight is the height of a line chart, in points.
const linesHeight = 250 * vg.Length(1)

// SVG draws the chart.
func (l Lines) SVG() ([]byte, error) {
	if len(l.XTicks) != len(l.X) {
		return nil, fmt.Errorf("chart %q: %d positions, %d labels", l.Title, len(l.X), len(l.XTicks))
	}
	p := newPlot(l.Title, l.XLabel, l.YLabel)
	ticks := make(plot.ConstantTicks, len(l.X))
	for i, x := range l.X {
		ticks[i] = plot.Tick{Value: x, Label: l.XTicks[i]}
	}
	p.X.Tick.Marker = ticks
	p.Y.Min = 0
	legend := plot.NewLegend()
	for _, s := range l.Series {
		if len(s.Mean) != len(l.X) || len(s.Low) != len(l.X) || len(s.High) != len(l.X) {
			return nil, fmt.Errorf("chart %q: series %q has %d, %d and %d values for %d positions", l.Title, s.Name, len(s.Mean), len(s.Low), len(s.High), len(l.X))
		}
		colour := colourOf(s.Colour)
		band := colour
		band.A = 0x40
		for _, run := range finiteRuns(s, l.X) {
			if len(run.upper) > 1 {
				poly, err := plotter.NewPolygon(append(run.upper, reversed(run.lower)...))
				if err != nil {
					return nil, err
				}
				poly.Color, poly.LineStyle.Width = premultiplied(band), 0
				p.Add(poly)
			}
			line, points, err := plotter.NewLinePoints(run.mean)
			if err != nil {
				return nil, err
			}
			line.LineStyle = draw.LineStyle{Color: colour, Width: 1.5}
			points.GlyphStyle = draw.GlyphStyle{Color: colour, Radius: 2.5, Shape: draw.CircleGlyph{}}
			p.Add(line, points)
		}
		legend.Add(s.Name, lineThumb{colour})
	}
	padRange(&p.X)
	legend.Add("95% interval", swatch{premultiplied(color.RGBA{R: 0x80, G: 0x80, B: 0x80, A: 0x40})})
	for i, r := range l.Rules {
		style := ruleStyle(i)
		p.Add(&ruleLine{rule: r, style: style})
		legend.Add(r.Label, ruleThumb{style})
	}
	return render(l.Title, p, &legend, linesHeight)
}

// run is a stretch of a series whose values are all numbers.
type run struct{ mean, lower, upper plotter.XYs }

// finiteRuns splits a series where a value is not a number.
func finiteRuns(s Series, x []float64) []run {
	var runs []run
	var cur run
	for i := range x {
		if !finite(s.Mean[i], s.Low[i], s.High[i]) {
			if len(cur.mean) > 0 {
				runs = append(runs, cur)
			}
			cur = run{}
			continue
		}
		cur.mean = append(cur.mean, plotter.XY{X: x[i], Y: s.Mean[i]})
		cur.lower = append(cur.lower, plotter.XY{X: x[i], Y: max(s.Low[i], 0)})
		cur.upper = append(cur.upper, plotter.XY{X: x[i], Y: s.High[i]})
	}
	if len(cur.mean) > 0 {
		runs = append(runs, cur)
	}
	return runs
}

func reversed(xys plotter.XYs) plotter.XYs {
	out := make(plotter.XYs, len(xys))
	for i, xy := range xys {
		out[len(xys)-1-i] = xy
	}
	return out
}

// premultiplied is c as color.RGBA must hold a translucent colour: its
// channels scaled by its alpha.
func premultiplied(c color.RGBA) color.RGBA {
	scale := func(v uint8) uint8 { return uint8(uint16(v) * uint16(c.A) / 0xff) }
	return color.RGBA{R: scale(c.R), G: scale(c.G), B: scale(c.B), A: c.A}
}

// lineThumb is a line series' legend entry: a short line with its dot.
type lineThumb struct{ colour color.Color }

func (t lineThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle{Color: t.colour, Width: 1.5}, c.Min.X, y, c.Max.X, y)
	c.DrawGlyph(draw.GlyphStyle{Color: t.colour, Radius: 2.5, Shape: draw.CircleGlyph{}}, c.Center())
}

// ruleStyle is rule i's line: dark and dashed, each rule its own dashes.
func ruleStyle(i int) draw.LineStyle {
	dashes := [][]vg.Length{{4, 3}, {1.5, 2}, {6, 2, 1.5, 2}}
	return draw.LineStyle{Color: color.Gray{Y: 0x30}, Width: 1, Dashes: dashes[i%len(dashes)]}
}

// ruleLine draws a rule across the data area.
type ruleLine struct {
	rule  Rule
	style draw.LineStyle
}

func (r *ruleLine) Plot(c draw.Canvas, p *plot.Plot) {
	x, y := p.Transforms(&c)
	if r.rule.Across {
		c.StrokeLine2(r.style, c.Min.X, y(r.rule.At), c.Max.X, y(r.rule.At))
		return
	}
	c.StrokeLine2(r.style, x(r.rule.At), c.Min.Y, x(r.rule.At), c.Max.Y)
}

// DataRange keeps the rule in view.
func (r *ruleLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	if r.rule.Across {
		return math.Inf(1), math.Inf(-1), r.rule.At, r.rule.At
	}
	return r.rule.At, r.rule.At, math.Inf(1), math.Inf(-1)
}

// ruleThumb is a rule's legend entry: a short stretch of its line.
type ruleThumb struct{ style draw.LineStyle }

func (t ruleThumb) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(t.style, c.Min.X, y, c.Max.X, y)
}
