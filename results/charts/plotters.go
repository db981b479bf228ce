package charts

import (
	"image/color"
	"math"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// bar is one bar of a bar chart, in data units.
type bar struct {
	// x is the centre of the bar, width its width.
	x, width float64
	// value is the bar's height; NaN draws no bar.
	value float64
	// low and high bound the whisker; NaN draws none.
	low, high float64
	color     color.Color
	// hatch draws white stripes over the bar: 0 none, 1 rising, 2
	// falling.
	hatch int
	// label is written above the bar (below, for a negative one), and
	// short is the same value in compact form (18.6 M), written instead
	// when the labels would run into one another or into the bars.
	label, short string
	// note is written in grey on the zero line instead of a bar, such as
	// "off" for a channel a strategy does not use.
	note string
}

// bars draws bars from zero with 95% whiskers and value labels. Labels
// that would run into one another, into a note or into another bar are
// all written in compact form instead (18.6 M for 18,642,040); when even
// those would, no value is written and the axis tells the values.
type bars struct {
	bars  []bar
	label text.Style
	note  text.Style
	// labels is how the last drawing wrote the values: labelsFull,
	// labelsShort or labelsNone.
	labels int
}

// How bars write their values.
const (
	labelsFull = iota
	labelsShort
	labelsNone
)

func newBars(bs []bar) *bars {
	b := &bars{bars: bs, label: textStyle(valueSize, true, inkColor), note: textStyle(valueSize, false, greyColor)}
	b.label.XAlign = draw.XCenter
	b.note.XAlign = draw.XCenter
	b.note.YAlign = draw.YBottom
	return b
}

// top is how high the bar and its whisker reach: up for a positive bar,
// down for a negative one.
func (b *bar) top() float64 {
	t := b.value
	if !math.IsNaN(b.high) && !math.IsNaN(b.low) {
		if b.value >= 0 {
			t = math.Max(t, b.high)
		} else {
			t = math.Min(t, b.low)
		}
	}
	return t
}

// labelGap is the space between a bar's end and its label.
var labelGap = vg.Points(4)

// Plot implements plot.Plotter.
func (b *bars) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	whisker := draw.LineStyle{Color: inkColor, Width: whiskerWidth}
	for _, r := range b.bars {
		if math.IsNaN(r.value) {
			continue
		}
		x0, x1 := trX(r.x-r.width/2), trX(r.x+r.width/2)
		y0, y1 := trY(0), trY(r.value)
		c.FillPolygon(r.color, c.ClipPolygonXY([]vg.Point{{X: x0, Y: y0}, {X: x0, Y: y1}, {X: x1, Y: y1}, {X: x1, Y: y0}}))
		hatch(c, r.hatch, vg.Rectangle{Min: vg.Point{X: x0, Y: min(y0, y1)}, Max: vg.Point{X: x1, Y: max(y0, y1)}})
	}
	b.labels = b.fitLabels(c, trX, trY)
	for _, r := range b.bars {
		xm := trX(r.x)
		if r.note != "" {
			c.FillText(b.note, vg.Point{X: xm, Y: trY(0) + labelGap}, r.note)
			continue
		}
		if math.IsNaN(r.value) {
			continue
		}
		if !math.IsNaN(r.low) && !math.IsNaN(r.high) && r.high > r.low {
			half := (trX(r.x+r.width/2) - trX(r.x-r.width/2)) / 4
			lo, hi := trY(r.low), trY(r.high)
			c.StrokeLines(whisker, c.ClipLinesXY([]vg.Point{{X: xm, Y: lo}, {X: xm, Y: hi}})...)
			c.StrokeLines(whisker, c.ClipLinesXY([]vg.Point{{X: xm - half, Y: lo}, {X: xm + half, Y: lo}})...)
			c.StrokeLines(whisker, c.ClipLinesXY([]vg.Point{{X: xm - half, Y: hi}, {X: xm + half, Y: hi}})...)
		}
		if s := r.labelText(b.labels); s != "" {
			sty := b.label
			sty.YAlign = draw.YBottom
			box := b.labelBox(r, s, trX, trY)
			c.FillText(sty, vg.Point{X: xm, Y: box.Min.Y}, s)
		}
	}
}

// labelText is the value label of r written as mode says ("" for none).
func (r *bar) labelText(mode int) string {
	if math.IsNaN(r.value) || r.note != "" {
		return ""
	}
	switch mode {
	case labelsFull:
		return r.label
	case labelsShort:
		if r.short != "" {
			return r.short
		}
		return r.label
	}
	return ""
}

// labelBox is where the label s of r goes: centred over the bar's end
// and whisker (under them, for a negative bar).
func (b *bars) labelBox(r bar, s string, trX, trY func(float64) vg.Length) vg.Rectangle {
	w, h := b.label.Width(s), b.label.Height(s)
	xm, y := trX(r.x), trY(r.top())
	if r.value >= 0 {
		return vg.Rectangle{Min: vg.Point{X: xm - w/2, Y: y + labelGap}, Max: vg.Point{X: xm + w/2, Y: y + labelGap + h}}
	}
	return vg.Rectangle{Min: vg.Point{X: xm - w/2, Y: y - labelGap - h}, Max: vg.Point{X: xm + w/2, Y: y - labelGap}}
}

// labelSpace is the least room left between a value label and another
// label, a note or a bar.
var labelSpace = vg.Points(3)

// fitLabels chooses how to write the values on c: in full if no label
// then runs into another label, a note, another bar or its whisker, or
// out of the plot; else in compact form if none does then; else not at
// all.
func (b *bars) fitLabels(c draw.Canvas, trX, trY func(float64) vg.Length) int {
	// The bars and whiskers, and the notes, that labels must keep off.
	var solid, notes []vg.Rectangle
	for _, r := range b.bars {
		if r.note != "" {
			w, h := b.note.Width(r.note), b.note.Height(r.note)
			xm, y := trX(r.x), trY(0)+labelGap
			notes = append(notes, vg.Rectangle{Min: vg.Point{X: xm - w/2, Y: y}, Max: vg.Point{X: xm + w/2, Y: y + h}})
		}
		if math.IsNaN(r.value) {
			solid = append(solid, vg.Rectangle{})
			continue
		}
		lo, hi := min(0, r.value), max(0, r.value)
		if !math.IsNaN(r.low) && !math.IsNaN(r.high) {
			lo, hi = min(lo, r.low), max(hi, r.high)
		}
		solid = append(solid, vg.Rectangle{Min: vg.Point{X: trX(r.x - r.width/2), Y: trY(lo)}, Max: vg.Point{X: trX(r.x + r.width/2), Y: trY(hi)}})
	}
	fits := func(mode int) bool {
		var boxes []vg.Rectangle
		for i, r := range b.bars {
			s := r.labelText(mode)
			if s == "" {
				continue
			}
			box := b.labelBox(r, s, trX, trY)
			if box.Min.X < c.Min.X || box.Max.X > c.Max.X {
				return false
			}
			grown := vg.Rectangle{Min: vg.Point{X: box.Min.X - labelSpace, Y: box.Min.Y}, Max: vg.Point{X: box.Max.X + labelSpace, Y: box.Max.Y}}
			for j, o := range solid {
				if j != i && overlaps(grown, o) {
					return false
				}
			}
			for _, others := range [][]vg.Rectangle{notes, boxes} {
				for _, o := range others {
					if overlaps(grown, o) {
						return false
					}
				}
			}
			boxes = append(boxes, box)
		}
		return true
	}
	for _, mode := range []int{labelsFull, labelsShort} {
		if fits(mode) {
			return mode
		}
	}
	return labelsNone
}

// DataRange implements plot.DataRanger: the bars, their whiskers and zero.
func (b *bars) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	ymin, ymax = 0, 0
	for _, r := range b.bars {
		xmin = math.Min(xmin, r.x-r.width/2)
		xmax = math.Max(xmax, r.x+r.width/2)
		for _, v := range []float64{r.value, r.low, r.high} {
			if !math.IsNaN(v) && !math.IsInf(v, 0) {
				ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
			}
		}
	}
	return xmin, xmax, ymin, ymax
}

// GlyphBoxes implements plot.GlyphBoxer, so that the plot leaves room for
// the value labels above (or below) the bars.
func (b *bars) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var boxes []plot.GlyphBox
	for _, r := range b.bars {
		if r.label == "" || math.IsNaN(r.value) {
			continue
		}
		w := b.label.Width(r.label)
		h := b.label.Height(r.label) + labelGap
		box := plot.GlyphBox{X: p.X.Norm(r.x), Y: p.Y.Norm(r.top())}
		if r.value >= 0 {
			box.Rectangle = vg.Rectangle{Min: vg.Point{X: -w / 2}, Max: vg.Point{X: w / 2, Y: h}}
		} else {
			box.Rectangle = vg.Rectangle{Min: vg.Point{X: -w / 2, Y: -h}, Max: vg.Point{X: w / 2}}
		}
		boxes = append(boxes, box)
	}
	return boxes
}

// point is one estimate at x: its mean and 95% interval (NaN: none).
type point struct {
	x, mean, low, high float64
}

// dots draws estimates as dots with whiskers, joined by a line when join
// is set.
type dots struct {
	points []point
	color  color.Color
	dashes []vg.Length
	join   bool
}

// dotRadius is the radius of an estimate's dot.
var dotRadius = vg.Points(5)

// Plot implements plot.Plotter.
func (d *dots) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	line := draw.LineStyle{Color: d.color, Width: seriesWidth, Dashes: d.dashes}
	if d.join {
		var pts []vg.Point
		for _, q := range d.points {
			if !math.IsNaN(q.mean) {
				pts = append(pts, vg.Point{X: trX(q.x), Y: trY(q.mean)})
			}
		}
		c.StrokeLines(line, c.ClipLinesXY(pts)...)
	}
	whisker := draw.LineStyle{Color: d.color, Width: whiskerWidth}
	for _, q := range d.points {
		if math.IsNaN(q.mean) {
			continue
		}
		x := trX(q.x)
		if !math.IsNaN(q.low) && !math.IsNaN(q.high) {
			lo, hi := trY(q.low), trY(q.high)
			c.StrokeLines(whisker, c.ClipLinesY([]vg.Point{{X: x, Y: lo}, {X: x, Y: hi}})...)
			for _, y := range []vg.Length{lo, hi} {
				c.StrokeLines(whisker, c.ClipLinesY([]vg.Point{{X: x - dotRadius, Y: y}, {X: x + dotRadius, Y: y}})...)
			}
		}
		pt := vg.Point{X: x, Y: trY(q.mean)}
		if c.Contains(pt) {
			c.DrawGlyph(draw.GlyphStyle{Color: d.color, Radius: dotRadius, Shape: draw.CircleGlyph{}}, pt)
		}
	}
}

// DataRange implements plot.DataRanger.
func (d *dots) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax = math.Inf(1), math.Inf(-1)
	ymin, ymax = math.Inf(1), math.Inf(-1)
	for _, q := range d.points {
		if math.IsNaN(q.mean) {
			continue
		}
		xmin, xmax = math.Min(xmin, q.x), math.Max(xmax, q.x)
		for _, v := range []float64{q.mean, q.low, q.high} {
			if !math.IsNaN(v) {
				ymin, ymax = math.Min(ymin, v), math.Max(ymax, v)
			}
		}
	}
	return xmin, xmax, ymin, ymax
}

// GlyphBoxes implements plot.GlyphBoxer: room for the dots at the edges.
func (d *dots) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var boxes []plot.GlyphBox
	for _, q := range d.points {
		if math.IsNaN(q.mean) {
			continue
		}
		boxes = append(boxes, plot.GlyphBox{X: p.X.Norm(q.x), Y: p.Y.Norm(q.mean),
			Rectangle: vg.Rectangle{Min: vg.Point{X: -dotRadius, Y: -dotRadius}, Max: vg.Point{X: dotRadius, Y: dotRadius}}})
	}
	return boxes
}

// Thumbnail implements plot.Thumbnailer: a line with a dot.
func (d *dots) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	if d.join {
		c.StrokeLine2(draw.LineStyle{Color: d.color, Width: seriesWidth, Dashes: d.dashes}, c.Min.X, y, c.Max.X, y)
	}
	c.DrawGlyph(draw.GlyphStyle{Color: d.color, Radius: dotRadius, Shape: draw.CircleGlyph{}}, c.Center())
}

// hatch draws white stripes of kind (1 rising, 2 falling; 0 none) over
// the rectangle r of c.
func hatch(c draw.Canvas, kind int, r vg.Rectangle) {
	if kind == 0 {
		return
	}
	box := draw.Canvas{Canvas: c.Canvas, Rectangle: r}
	gap := vg.Points(7)
	h := r.Max.Y - r.Min.Y
	style := draw.LineStyle{Color: whiteColor, Width: vg.Points(2)}
	var lines [][]vg.Point
	for x := r.Min.X - h; x < r.Max.X; x += gap {
		if kind == 1 {
			lines = append(lines, []vg.Point{{X: x, Y: r.Min.Y}, {X: x + h, Y: r.Max.Y}})
		} else {
			lines = append(lines, []vg.Point{{X: x, Y: r.Max.Y}, {X: x + h, Y: r.Min.Y}})
		}
	}
	for _, l := range lines {
		c.StrokeLines(style, box.ClipLinesXY(l)...)
	}
}

// swatch is a legend's filled square, hatched as its bars are.
type swatch struct {
	color color.Color
	hatch int
}

// Thumbnail implements plot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	side := c.Max.Y - c.Min.Y
	x0 := c.Min.X + (c.Max.X-c.Min.X-side)/2
	c.FillPolygon(s.color, []vg.Point{{X: x0, Y: c.Min.Y}, {X: x0, Y: c.Max.Y}, {X: x0 + side, Y: c.Max.Y}, {X: x0 + side, Y: c.Min.Y}})
	hatch(*c, s.hatch, vg.Rectangle{Min: vg.Point{X: x0, Y: c.Min.Y}, Max: vg.Point{X: x0 + side, Y: c.Max.Y}})
}

// stroke is a legend's line.
type stroke struct {
	color  color.Color
	dashes []vg.Length
	width  vg.Length
}

// Thumbnail implements plot.Thumbnailer.
func (s stroke) Thumbnail(c *draw.Canvas) {
	y := c.Center().Y
	c.StrokeLine2(draw.LineStyle{Color: s.color, Width: s.width, Dashes: s.dashes}, c.Min.X, y, c.Max.X, y)
}
