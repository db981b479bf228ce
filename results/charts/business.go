package charts

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim/text"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// BusinessChart is the name of the chart of the business case: each
// strategy's cumulative extra cash against the baseline over time, with
// the day it pays back marked.
const BusinessChart = "business-payback"

// businessCharts draws the business case: for each strategy but the
// baseline, the cash it earns over the baseline added up tick by tick
// (results.BusinessCase.Cumulative), with its 95% band, a line at zero
// (the baseline) and a dot where it pays back. None when only one strategy
// ran, or the summary has no business case.
func businessCharts(sum *results.Summary) []*Chart {
	if b := drawBusiness(sum); b != nil {
		return []*Chart{b.chart}
	}
	return nil
}

// businessDrawing is the business chart with the parts a test looks at.
type businessDrawing struct {
	chart *Chart
	marks *paybackMarks
	// bands is the number of 95% bands drawn.
	bands int
}

// drawBusiness draws the business chart of sum; nil for none.
func drawBusiness(sum *results.Summary) *businessDrawing {
	var cases []*results.BusinessCase
	for k := range sum.BusinessCases {
		if len(sum.BusinessCases[k].Cumulative) > 0 {
			cases = append(cases, &sum.BusinessCases[k])
		}
	}
	if len(cases) == 0 {
		return nil
	}
	bands := 0
	tick := tickAxis(sum)
	n := len(sum.Strategies)
	// A strategy keeps its colour from the other charts: its position
	// among the run's strategies.
	index := func(j int, bc *results.BusinessCase) int {
		if k := slices.IndexFunc(sum.Strategies, func(st results.StrategySummary) bool { return st.Name == bc.Strategy }); k >= 0 {
			return k
		}
		return n + j
	}
	withBands := len(sum.Seeds) >= 2
	p := newPlot(text.Plural(tick), withUnit("extra cash", sum.Currency))
	addGrid(p)
	p.Add(zeroLine{})
	var lines []plot.Plotter
	marks := &paybackMarks{}
	legend := []legendEntry{}
	ticks := 0
	var late []string
	for j, bc := range cases {
		k := index(j, bc)
		col := strategyColor(k)
		ticks = max(ticks, len(bc.Cumulative))
		// x is the number of ticks gone: the line starts at 0 before the
		// first tick, and Cumulative[t] is its value after t+1 ticks.
		pts := plotter.XYs{{X: 0, Y: 0}}
		var upper, lower plotter.XYs
		wide := false
		for t, e := range bc.Cumulative {
			if math.IsNaN(e.Mean) || math.IsInf(e.Mean, 0) {
				continue
			}
			x := float64(t + 1)
			pts = append(pts, plotter.XY{X: x, Y: e.Mean})
			if withBands && !math.IsNaN(e.CI95) && !math.IsInf(e.CI95, 0) {
				upper = append(upper, plotter.XY{X: x, Y: e.High()})
				lower = append(lower, plotter.XY{X: x, Y: e.Low()})
				wide = wide || e.CI95 > 0
			}
		}
		if len(upper) >= 2 && wide {
			ring := append(plotter.XYs{}, upper...)
			for i := len(lower) - 1; i >= 0; i-- {
				ring = append(ring, lower[i])
			}
			if poly, err := plotter.NewPolygon(ring); err == nil {
				poly.Color = tint(col, 0x48)
				poly.LineStyle.Width = 0
				p.Add(poly)
				bands++
			}
		}
		l, err := plotter.NewLine(pts)
		if err != nil {
			continue // only finite values are given; cannot happen
		}
		width := lineWidth(k, n)
		l.LineStyle = draw.LineStyle{Color: col, Width: width, Dashes: strategyDashes(k)}
		lines = append(lines, l)
		marks.lines = append(marks.lines, pts)
		entry := legendEntry{label: bc.Strategy, alt: bc.Strategy + ": " + paybackShort(bc), thumb: stroke{col, strategyDashes(k), width}}
		if bc.PaidBack == 0 {
			entry.alt = bc.Strategy + ": no payback"
		}
		legend = append(legend, entry)
		if bc.PaidBack == 0 {
			late = append(late, bc.Strategy)
			last := pts[len(pts)-1]
			label := "no payback within " + text.Count(len(bc.Cumulative), tick)
			if len(cases) > 1 {
				label = bc.Strategy + ": " + label
			}
			marks.ends = append(marks.ends, endLabel{x: last.X, y: last.Y, label: label})
			continue
		}
		x := bc.Payback.Mean
		marks.add(mark{x: x, y: lineAt(pts, x), color: col, label: paybackWhen(bc, tick)}, bc.Strategy)
	}
	marks.nameMarks(len(cases))
	// A strategy ahead from the first tick has its dot at the origin,
	// where every line starts: its label would cover them. The subtitle
	// says it instead.
	var fromStart []string
	marks.marks = slices.DeleteFunc(marks.marks, func(q mark) bool {
		if q.x == 0 && strings.Contains(q.label, "from the first") {
			fromStart = append(fromStart, q.label)
			return true
		}
		return false
	})
	if len(marks.ends) > 1 {
		// Several notes at the lines' ends would crowd one another:
		// the subtitle names the strategies that do not pay back.
		marks.ends = nil
	}
	for _, l := range lines {
		p.Add(l)
	}
	p.Add(marks)
	p.X.Min, p.X.Max = 0, math.Max(float64(ticks), 1)
	if p.Y.Min < 0 && -p.Y.Min < 0.02*(p.Y.Max-p.Y.Min) {
		p.Y.Min = 0 // a band that dips just below zero at the start
	}
	padY(p)
	roundY(p, true)
	legend = append(legend,
		legendEntry{label: sum.Baseline + " (baseline)", thumb: stroke{inkColor, nil, axisWidth}},
		legendEntry{label: "pays back", thumb: dotThumb{}})

	sub := fmt.Sprintf("Extra cash earned over %s, added up %s by %s; investments count when paid. "+
		"The dot marks the %s a strategy has paid back: its line crosses zero for good.", sum.Baseline, tick, tick, tick)
	for _, l := range fromStart {
		sub += " " + strings.ToUpper(l[:1]) + l[1:] + ": never behind the baseline."
	}
	if len(late) > 0 {
		sub += fmt.Sprintf(" %s %s not pay back within the horizon (%s).", text.List(late, "and"), text.Agree(len(late), "does", "do"), text.Count(sum.Horizon, tick))
	}
	if withBands {
		sub += fmt.Sprintf(" Lines: means of %d replications; bands: 95%% confidence intervals.", len(sum.Seeds))
	} else {
		sub += " One replication, so no interval: run with --reps 2 or more for one."
	}
	if sum.Interrupted {
		sub += fmt.Sprintf(" The run was interrupted: %d of %d replications.", len(sum.Seeds), sum.Replications)
	}
	c := &Chart{
		Name:     BusinessChart,
		Title:    "Payback: cumulative extra cash against " + sum.Baseline,
		Subtitle: sub, plot: p, legendTitle: "strategy", legend: legend,
		altLegendTitle: "strategy: pays back on " + tick,
	}
	c.prepare = func(dc draw.Canvas) {
		// The dots' labels go on the plot if they all find a place
		// clear of one another and inside it; else the legend says
		// when each strategy pays back.
		marks.inLegend, c.altLegend = false, false
		c.drawBody(draw.New(newTextRecorder(nullCanvas{dc.Max.X - dc.Min.X, dc.Max.Y - dc.Min.Y})))
		if marks.crowded {
			marks.inLegend, c.altLegend = true, true
		}
	}
	return &businessDrawing{chart: c, marks: marks, bands: bands}
}

// paybackWhen says when a strategy pays back, for its label: "from the
// first day" (it is never behind), or such as "day 100", with the
// interval and the share of replications when they differ.
func paybackWhen(bc *results.BusinessCase, tick string) string {
	e := bc.Payback
	if e.Mean == 0 && (math.IsNaN(e.CI95) || e.CI95 == 0) {
		return "from the first " + tick
	}
	s := tick + " " + formatNumber(e.Mean, 0)
	if ci := formatNumber(e.CI95, 0); !math.IsNaN(e.CI95) && ci != "0" {
		s += " ± " + ci
	}
	if reps := len(e.Values); reps > 0 && bc.PaidBack < reps {
		s += fmt.Sprintf(" (%d of %d replications)", bc.PaidBack, reps)
	}
	return s
}

// paybackShort says when a strategy pays back, for the legend under
// "pays back on day": "from the start", or such as "100 ± 12", and in
// how many replications when not in all.
func paybackShort(bc *results.BusinessCase) string {
	e := bc.Payback
	if e.Mean == 0 && (math.IsNaN(e.CI95) || e.CI95 == 0) {
		return "from the start"
	}
	s := formatNumber(e.Mean, 0)
	if ci := formatNumber(e.CI95, 0); !math.IsNaN(e.CI95) && ci != "0" {
		s += " ± " + ci
	}
	if reps := len(e.Values); reps > 0 && bc.PaidBack < reps {
		s += fmt.Sprintf(" (%d of %d)", bc.PaidBack, reps)
	}
	return s
}

// add adds the payback dot of the strategy name, whose label says when
// it pays back; strategies that pay back at the same point share a dot.
func (m *paybackMarks) add(q mark, name string) {
	for i := range m.marks {
		if o := &m.marks[i]; o.x == q.x && o.y == q.y && o.label == q.label {
			o.names = append(o.names, name)
			o.color = whiteColor
			return
		}
	}
	q.names = []string{name}
	m.marks = append(m.marks, q)
}

// nameMarks turns each dot's label into a sentence: "pays back: day 100"
// when the chart has one strategy (of cases), else with the names of the
// strategies it marks, or "all" for every one.
func (m *paybackMarks) nameMarks(cases int) {
	for i := range m.marks {
		q := &m.marks[i]
		verb := "pays back"
		if len(q.names) > 1 {
			verb = "pay back"
		}
		when := ": " + q.label
		if strings.HasPrefix(q.label, "from ") {
			when = " " + q.label
		}
		switch {
		case cases == 1:
			q.label = verb + when
		case len(q.names) == cases:
			q.label = "all " + verb + when
		default:
			q.label = text.List(q.names, "and") + " " + verb + when
		}
	}
}

// lineAt is the height of the line through pts (in increasing x) at x.
func lineAt(pts plotter.XYs, x float64) float64 {
	for i := 1; i < len(pts); i++ {
		a, b := pts[i-1], pts[i]
		if x <= b.X {
			if b.X == a.X {
				return b.Y
			}
			f := math.Max(0, (x-a.X)/(b.X-a.X))
			return a.Y + f*(b.Y-a.Y)
		}
	}
	return pts[len(pts)-1].Y
}

// tint is c made translucent, for a band under its line.
func tint(c color.Color, alpha uint8) color.Color {
	r, g, b, _ := c.RGBA()
	return color.NRGBA{R: uint8(r >> 8), G: uint8(g >> 8), B: uint8(b >> 8), A: alpha}
}

// zeroLine draws a horizontal line at zero across the plot: the baseline.
type zeroLine struct{}

// Plot implements plot.Plotter.
func (zeroLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(0)
	c.StrokeLines(draw.LineStyle{Color: inkColor, Width: axisWidth}, c.ClipLinesY([]vg.Point{{X: c.Min.X, Y: y}, {X: c.Max.X, Y: y}})...)
}

// DataRange implements plot.DataRanger: zero, whatever the x.
func (zeroLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), 0, 0
}

// mark is a dot on a line at x, y, with a label.
type mark struct {
	x, y  float64
	color color.Color
	label string
	names []string
}

// endLabel is a note at the end of a line, at x, y.
type endLabel struct {
	x, y  float64
	label string
}

// paybackMarks draws a dot where each line pays back, with its label
// beside it, and a note at the end of each line that does not. A label
// goes to the place around its dot (above left, below right, above right,
// below left, above, below; then the same a line further away, joined to
// the dot by a leader) that covers the fewest lines, labels and dots,
// inside the plot; the nearest of those that cover as few.
type paybackMarks struct {
	marks []mark
	ends  []endLabel
	// lines are the plot's lines, in data units, for the labels to keep
	// off; the line at zero is one.
	lines []plotter.XYs
	// inLegend draws the dots alone: the legend says when each strategy
	// pays back.
	inLegend bool
	// crowded reports that the last drawing had a label it could place
	// only over another label or dot, or out of the plot.
	crowded bool
}

// markRadius is the radius of a payback dot.
var markRadius = vg.Points(7)

// Plot implements plot.Plotter.
func (m *paybackMarks) Plot(c draw.Canvas, p *plot.Plot) {
	trX, trY := p.Transforms(&c)
	var paths [][]vg.Point
	for _, l := range m.lines {
		var path []vg.Point
		for _, q := range l {
			path = append(path, vg.Point{X: trX(q.X), Y: trY(q.Y)})
		}
		paths = append(paths, path)
	}
	paths = append(paths, []vg.Point{{X: c.Min.X, Y: trY(0)}, {X: c.Max.X, Y: trY(0)}})
	var taken []vg.Rectangle
	// place puts a box of w × h at the best of the corners offered,
	// around a point: perStep of them at each distance from it, the
	// nearest first.
	place := func(w, h vg.Length, corners []vg.Point, perStep int) vg.Rectangle {
		best, score := vg.Rectangle{}, -1
		for i, at := range corners {
			// Kept inside the plot across; a step further from the
			// dot costs a little, a line crossed more, a label or dot
			// covered much more.
			at.X = max(c.Min.X, min(at.X, c.Max.X-w))
			r := vg.Rectangle{Min: at, Max: vg.Point{X: at.X + w, Y: at.Y + h}}
			n := i / perStep
			if r.Min.Y < c.Min.Y || r.Max.Y > c.Max.Y {
				n += 100
			}
			for _, o := range taken {
				if overlaps(r, o) {
					n += 10
				}
			}
			for _, path := range paths {
				if crosses(path, r) {
					n += 3
				}
			}
			if score < 0 || n < score {
				best, score = r, n
			}
		}
		taken = append(taken, best)
		if score >= 10 {
			m.crowded = true
		}
		return best
	}
	m.crowded = false
	order := make([]int, len(m.marks))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return compareFloat(m.marks[a].x, m.marks[b].x) })
	sty := textStyle(valueSize, true, inkColor)
	sty.XAlign, sty.YAlign = draw.XLeft, draw.YBottom
	gap := markRadius + vg.Points(4)
	h := sty.FontExtents().Height
	for _, i := range order {
		q := m.marks[i]
		pt := vg.Point{X: trX(q.x), Y: trY(q.y)}
		if !c.Contains(pt) {
			continue
		}
		drawDot(c, pt, q.color)
		if m.inLegend {
			continue
		}
		taken = append(taken, vg.Rectangle{Min: vg.Point{X: pt.X - markRadius, Y: pt.Y - markRadius}, Max: vg.Point{X: pt.X + markRadius, Y: pt.Y + markRadius}})
		// A long label takes several lines, each no wider than half the
		// plot.
		lines := wrap(q.label, sty, max((c.Max.X-c.Min.X)/2, vg.Inch))
		var w vg.Length
		for _, l := range lines {
			w = max(w, sty.Width(l))
		}
		lh := h * vg.Length(len(lines))
		var corners []vg.Point
		for _, lift := range []vg.Length{0, h, 2 * h} {
			corners = append(corners,
				vg.Point{X: pt.X - gap - w, Y: pt.Y + gap/2 + lift},      // above left
				vg.Point{X: pt.X + gap, Y: pt.Y - gap/2 - lh - lift},     // below right
				vg.Point{X: pt.X + gap, Y: pt.Y + gap/2 + lift},          // above right
				vg.Point{X: pt.X - gap - w, Y: pt.Y - gap/2 - lh - lift}, // below left
				vg.Point{X: pt.X - w/2, Y: pt.Y + gap + lift},            // above
				vg.Point{X: pt.X - w/2, Y: pt.Y - gap - lh - lift},       // below
			)
		}
		r := place(w, lh, corners, 6)
		if far := r.Min.Y > pt.Y+gap || r.Max.Y < pt.Y-gap; far {
			// A leader from the dot to its label, when they are apart.
			near := vg.Point{X: max(r.Min.X, min(pt.X, r.Max.X)), Y: max(r.Min.Y, min(pt.Y, r.Max.Y))}
			c.StrokeLine2(draw.LineStyle{Color: greyColor, Width: vg.Points(1.5)}, pt.X, pt.Y, near.X, near.Y)
			drawDot(c, pt, q.color)
		}
		labelBackground(c, r)
		for k, l := range lines {
			c.FillText(sty, vg.Point{X: r.Min.X, Y: r.Max.Y - h*vg.Length(k+1)}, l)
		}
	}
	note := textStyle(valueSize, false, greyColor)
	note.XAlign, note.YAlign = draw.XLeft, draw.YBottom
	nh := note.FontExtents().Height
	for _, e := range m.ends {
		if m.inLegend {
			break
		}
		pt := vg.Point{X: trX(e.x), Y: trY(e.y)}
		w := note.Width(e.label)
		x := max(c.Min.X, pt.X-w)
		var corners []vg.Point
		for _, lift := range []vg.Length{0, nh, 2 * nh} {
			corners = append(corners, vg.Point{X: x, Y: pt.Y + vg.Points(6) + lift}, vg.Point{X: x, Y: pt.Y - vg.Points(6) - nh - lift})
		}
		r := place(w, nh, corners, 2)
		labelBackground(c, r)
		c.FillText(note, r.Min, e.label)
	}
}

// crosses reports whether the polyline path, in increasing x, passes
// through the rectangle r.
func crosses(path []vg.Point, r vg.Rectangle) bool {
	for i := 1; i < len(path); i++ {
		a, b := path[i-1], path[i]
		lo, hi := max(a.X, r.Min.X), min(b.X, r.Max.X)
		if lo > hi {
			continue
		}
		at := func(x vg.Length) vg.Length {
			if b.X == a.X {
				return a.Y
			}
			return a.Y + (b.Y-a.Y)*(x-a.X)/(b.X-a.X)
		}
		y0, y1 := at(lo), at(hi)
		if b.X == a.X {
			y0, y1 = a.Y, b.Y
		}
		if max(y0, y1) >= r.Min.Y && min(y0, y1) <= r.Max.Y {
			return true
		}
	}
	return false
}

// labelBackground clears the box of a label, so that grid and band lines
// do not run through its letters.
func labelBackground(c draw.Canvas, r vg.Rectangle) {
	pad := vg.Points(2)
	c.FillPolygon(tint(whiteColor, 0xd0), c.ClipPolygonXY([]vg.Point{
		{X: r.Min.X - pad, Y: r.Min.Y}, {X: r.Min.X - pad, Y: r.Max.Y}, {X: r.Max.X + pad, Y: r.Max.Y}, {X: r.Max.X + pad, Y: r.Min.Y},
	}))
}

func overlaps(a, b vg.Rectangle) bool {
	return a.Min.X < b.Max.X && b.Min.X < a.Max.X && a.Min.Y < b.Max.Y && b.Min.Y < a.Max.Y
}

func compareFloat(a, b float64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// DataRange implements plot.DataRanger: the dots.
func (m *paybackMarks) DataRange() (xmin, xmax, ymin, ymax float64) {
	xmin, xmax, ymin, ymax = math.Inf(1), math.Inf(-1), math.Inf(1), math.Inf(-1)
	for _, q := range m.marks {
		xmin, xmax = math.Min(xmin, q.x), math.Max(xmax, q.x)
		ymin, ymax = math.Min(ymin, q.y), math.Max(ymax, q.y)
	}
	return xmin, xmax, ymin, ymax
}

// GlyphBoxes implements plot.GlyphBoxer: room for the dots at the edges.
func (m *paybackMarks) GlyphBoxes(p *plot.Plot) []plot.GlyphBox {
	var boxes []plot.GlyphBox
	for _, q := range m.marks {
		boxes = append(boxes, plot.GlyphBox{X: p.X.Norm(q.x), Y: p.Y.Norm(q.y),
			Rectangle: vg.Rectangle{Min: vg.Point{X: -markRadius, Y: -markRadius}, Max: vg.Point{X: markRadius, Y: markRadius}}})
	}
	return boxes
}

// drawDot draws a payback dot at pt: filled with col, ringed in ink, on
// a white halo that parts it from the line.
func drawDot(c draw.Canvas, pt vg.Point, col color.Color) {
	for _, g := range []struct {
		col color.Color
		r   vg.Length
	}{{whiteColor, markRadius + vg.Points(3.5)}, {inkColor, markRadius + vg.Points(1.5)}, {col, markRadius}} {
		c.DrawGlyph(draw.GlyphStyle{Color: g.col, Radius: g.r, Shape: draw.CircleGlyph{}}, pt)
	}
}

// dotThumb is the legend's payback dot.
type dotThumb struct{}

// Thumbnail implements plot.Thumbnailer.
func (dotThumb) Thumbnail(c *draw.Canvas) { drawDot(*c, c.Center(), whiteColor) }
