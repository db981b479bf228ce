// Package journeymap lays a scenario's journey out as a customer-journey
// map, the picture CX courses teach: the journey's stages as columns, left
// to right in journey order; the channels as lanes (swimlanes), one row
// each, with a lane for the touchpoints on no channel; each touchpoint a
// box in its stage's column and its channel's lane; and the moves between
// touchpoints as arrows labelled with their chance in words. Purchases are
// marked, and with a run's figures (Annotate) the map carries what
// happened: how many customers were at each stage and on each channel,
// and, where they are known, how many passed each touchpoint and how
// satisfied they left it.
//
// New computes the layout, every box, label and arrow as rectangles and
// paths in pixels, with text measured in Liberation Sans, the typeface of
// journeysim's charts; SVG draws it as a standalone SVG file. The words
// come from the caller (Options.Label), so that the map says what the
// scenario's explanation says.
package journeymap

import (
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// Sizes of type, in pixels.
const (
	titleSize  = 18
	noteSize   = 12
	headSize   = 14
	laneSize   = 13
	nameSize   = 14
	detailSize = 12
	labelSize  = 12
	legendSize = 12
	// lineHeight is the height of a line of text, as a multiple of its
	// size.
	lineHeight = 1.3
)

// Spacing, in pixels.
const (
	margin      = 16
	boxPadX     = 10
	boxPadY     = 7
	boxMinW     = 120
	boxMaxText  = 210 // the widest a line of a box gets before it is cut
	labelMaxW   = 140 // the widest a line of an arrow's label gets
	labelLines  = 10  // the most lines an arrow's label takes before it is cut
	detailLines = 8   // the most lines a box's detail takes before it is cut
	labelGap    = 5   // between a box and the label of an arrow leaving it
	stubMin     = 16  // the shortest straight piece next to a box
	stackGap    = 18  // between boxes stacked in one cell
	lanePad     = 16  // between a lane's edge and its boxes
	slotGap     = 4   // between the slots of a box's side
	inSlot      = 10  // the slot of an arrow arriving at a box's side
	curveMin    = 44  // the narrowest a gutter's curve region gets
	curveEach   = 6   // added to it for each arrow turning into a corridor
	curveMax    = 96  // and no wider
	trackGap    = 7   // between the tracks of a corridor
	corridorPad = 8   // between a corridor's edge and its tracks
	headH       = 34  // the stage headings' row
	headGap     = 10  // between the headings and the first corridor
	legendGap   = 22  // between the lanes and the legend
	legendRow   = 22  // one row of the legend
)

// Point is a point of the map, in pixels from its top left corner.
type Point struct{ X, Y float64 }

// Rect is a rectangle of the map, in pixels: its top left corner, width
// and height.
type Rect struct{ X, Y, W, H float64 }

// Overlaps reports whether r and q share any area; rectangles that only
// touch do not overlap.
func (r Rect) Overlaps(q Rect) bool {
	const eps = 1e-9
	return r.X < q.X+q.W-eps && q.X < r.X+r.W-eps && r.Y < q.Y+q.H-eps && q.Y < r.Y+r.H-eps
}

// Contains reports whether q lies inside r.
func (r Rect) Contains(q Rect) bool {
	const eps = 1e-6
	return q.X >= r.X-eps && q.Y >= r.Y-eps && q.X+q.W <= r.X+r.W+eps && q.Y+q.H <= r.Y+r.H+eps
}

// Right is r's right edge.
func (r Rect) Right() float64 { return r.X + r.W }

// Bottom is r's bottom edge.
func (r Rect) Bottom() float64 { return r.Y + r.H }

// Kind says what a line of text is, which sets its style.
type Kind int

// The kinds of text.
const (
	KindName     Kind = iota // a touchpoint's name
	KindDetail               // its channel, ratings, moments of truth
	KindStart                // "start"
	KindPurchase             // the purchase badge
	KindRival                // a purchase at a competitor
	KindLoop                 // a move that stays at the touchpoint
	KindFigure               // a figure of a run
	KindPain                 // a pain point of a run
	KindLabel                // an arrow's label
	KindBack                 // the label of an arrow back to an earlier stage
	KindReply                // the label of a move on a response
)

// Line is one line of text, measured: Width is the width of Text in
// Liberation Sans of Size, Bold or not. X is where it starts and Baseline
// where it stands, once laid out.
type Line struct {
	Text      string
	Kind      Kind
	Size      float64
	Bold      bool
	Italic    bool
	Width     float64
	X         float64
	Baseline  float64
	Truncated bool
}

// newLine measures s, cut to at most maxW pixels with an ellipsis.
func newLine(s string, kind Kind, size float64, bold bool, maxW float64) Line {
	s = strings.Join(strings.Fields(s), " ")
	fit, cut := fitText(s, size, bold, maxW)
	return Line{Text: fit, Kind: kind, Size: size, Bold: bold, Width: TextWidth(fit, size, bold), Truncated: cut}
}

// height is the height of a line of text of size.
func height(size float64) float64 { return math.Ceil(size * lineHeight) }

// Column is a stage of the journey: a column of the map.
type Column struct {
	// Stage is the stage's index in the model's Stages, or -1 for the
	// column of a node whose stage is out of range.
	Stage int
	Name  string
	// X and W place the column's boxes; Head is its heading.
	X, W float64
	Head Rect
	// Title is the heading's text.
	Title Line
	// Figure is the heading's figure from a run, if any.
	Figure Line
	// Drop is the drop-off into this column from the one before it, from
	// a run's figures, placed in the gutter between their headings.
	Drop Line
}

// Lane is a channel: a row of the map.
type Lane struct {
	// Channel is the channel's index in the model's Channels, or -1 for
	// the lane of touchpoints on no channel.
	Channel int
	Name    string
	Y, H    float64
	// Label is the lane's name at the left; Figures are a run's figures
	// for it, under the name.
	Label   Line
	Figures []Line
	// Off says that the strategy of the annotated run does not use the
	// channel.
	Off bool
	// Empty says the channel has no touchpoint: customers meet it only
	// through messages.
	Empty bool
	// Note says so, in the lane, right of its name.
	Note Line
}

// Box is a touchpoint.
type Box struct {
	Node   int
	Name   string
	Column int // index into Layout.Columns
	Lane   int // index into Layout.Lanes
	Rect   Rect
	Lines  []Line
	// Tooltip is everything the box says, uncut.
	Tooltip    string
	Purchase   bool
	Competitor bool
	Start      bool
	// Fill is the box's colour from a run's figures ("" for the default);
	// Pain marks a pain point: low satisfaction or high effort.
	Fill string
	Pain bool
	// Off says that the touchpoint's channel is switched off in the
	// annotated run: it is drawn faded.
	Off bool
}

// Segment is a cubic Bézier piece of an arrow's path; a straight piece
// has its control points on the line.
type Segment struct{ P0, C1, C2, P1 Point }

// at is the point of s at t in [0, 1].
func (s Segment) at(t float64) Point {
	u := 1 - t
	a, b, c, d := u*u*u, 3*u*u*t, 3*u*t*t, t*t*t
	return Point{
		a*s.P0.X + b*s.C1.X + c*s.C2.X + d*s.P1.X,
		a*s.P0.Y + b*s.C1.Y + c*s.C2.Y + d*s.P1.Y,
	}
}

// line is a straight segment from a to b.
func line(a, b Point) Segment {
	return Segment{a, Point{a.X + (b.X-a.X)/3, a.Y + (b.Y-a.Y)/3}, Point{a.X + 2*(b.X-a.X)/3, a.Y + 2*(b.Y-a.Y)/3}, b}
}

// sCurve leaves a horizontally and reaches b horizontally.
func sCurve(a, b Point) Segment {
	mx := (a.X + b.X) / 2
	return Segment{a, Point{mx, a.Y}, Point{mx, b.Y}, b}
}

// Arrow is a move from one touchpoint to another.
type Arrow struct {
	From, To int // node indices
	// Edge is the move's index among its node's Edges, or ResponseEdges
	// when Response.
	Edge     int
	Response bool
	// Back says the move leads to an earlier stage; Same to the same.
	Back, Same bool
	// Label is the move's chance in words, cut to fit; Full is uncut.
	Label     []Line
	LabelRect Rect
	Full      string
	Path      []Segment
	// Off says that the move leads to or from a touchpoint on a channel
	// switched off in the annotated run: it is drawn faded.
	Off bool
}

// LegendItem is an entry of the legend: a sample and its words.
type LegendItem struct {
	Sample string // what the sample shows: "box", "purchase", "rival", "move", "back", "reply", "pain"
	Rect   Rect   // the sample and the words
	Text   Line
}

// Layout is a journey map laid out: every rectangle and path in pixels.
type Layout struct {
	Title    Line
	Subtitle Line
	Width    float64
	Height   float64
	Columns  []Column
	Lanes    []Lane
	// LaneLabelW is the width of the lane names at the left.
	LaneLabelW float64
	// Grid is the area of the lanes.
	Grid   Rect
	Boxes  []Box // in the model's node order
	Arrows []Arrow
	Legend []LegendItem
	// Notes are lines under the legend.
	Notes []Line

	model   *sim.Model
	options Options
	figures *Figures
}

// Options are what the map says in words.
type Options struct {
	// Label returns the chance of node from's k-th move in words ("12%",
	// "otherwise", "0.28 × (1 − 0.3 × price sensitivity)"), its
	// response move when response; it is written on the move's arrow,
	// cut to fit, and whole in its tooltip. Nil writes constants as
	// percentages and formulas as written.
	Label func(from, k int, response bool) string
	// Details returns a touchpoint's lines under its name (ratings,
	// moments of truth); nil for none.
	Details func(node int) []string
	// Currency is the sign or code of the purchase badge ("€", "EUR");
	// empty: "£/€".
	Currency string
	// Tick names one tick ("day"); empty: "tick".
	Tick string
	// Title is the map's title; empty: the model's name.
	Title string
}

// New lays out the journey of m as a customer-journey map.
func New(m *sim.Model, o Options) *Layout {
	return build(m, o, nil)
}

// Model is the model the map was laid out from.
func (l *Layout) Model() *sim.Model { return l.model }

// noChannel is the lane name of the touchpoints on no channel.
const noChannel = "no channel"

// side of a box an arrow leaves or reaches.
const (
	left = iota
	right
)

// slot is an arrow's place on a side of a box.
type slot struct {
	arrow int
	out   bool    // the arrow leaves here (and its label sits here)
	h     float64 // the slot's height
	y     float64 // where the arrow meets the side, once placed
}

// builder holds the work of laying out.
type builder struct {
	m   *sim.Model
	o   Options
	f   *Figures
	l   *Layout
	col []int // node → column
	ln  []int // node → lane
	// sides[node][side] are the slots of each side of each box.
	sides [][2][]slot
	// zoneL[c], zoneR[c] are the widths of the label zones left and right
	// of column c; curve[c] the curve region right of column c.
	zoneL, zoneR, curve []float64
	// corridor[i] is the corridor arrow i runs along, or -1; track its
	// track; span its horizontal stretch.
	corridor []int
	track    []int
	span     [][2]float64
	// corridorY[k] and corridorH[k] place corridor k (above lane k; k ==
	// lanes: below the last).
	corridorY, corridorH []float64
	tracks               []int
}

func build(m *sim.Model, o Options, f *Figures) *Layout {
	if o.Tick == "" {
		o.Tick = "tick"
	}
	b := &builder{m: m, o: o, f: f, l: &Layout{model: m, options: o, figures: f}}
	b.columns()
	b.lanes()
	b.boxes()
	b.arrows()
	b.horizontal()
	b.corridors()
	b.vertical()
	b.paths()
	b.legend()
	return b.l
}

// columns orders the stages.
func (b *builder) columns() {
	m := b.m
	for _, k := range columnOrder(m) {
		stage := k
		if k >= len(m.Stages) {
			stage = -1
		}
		b.l.Columns = append(b.l.Columns, Column{Stage: stage, Name: columnName(m, k)})
	}
	b.col, _ = NodeColumns(m)
}

// channelOf is node i's channel, or -1.
func (b *builder) channelOf(i int) int {
	if c := b.m.Nodes[i].Channel; c >= 0 && c < len(b.m.Channels) {
		return c
	}
	return -1
}

// lanes orders the channels: as they first appear along the journey,
// column by column.
func (b *builder) lanes() {
	m := b.m
	order := make([]int, len(m.Nodes))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(x, y int) int { return b.col[x] - b.col[y] })
	index := map[int]int{}
	for _, i := range order {
		c := b.channelOf(i)
		if _, ok := index[c]; ok {
			continue
		}
		index[c] = len(b.l.Lanes)
		name := noChannel
		if c >= 0 {
			name = m.Channels[c].Name
		}
		b.l.Lanes = append(b.l.Lanes, Lane{Channel: c, Name: name})
	}
	b.ln = make([]int, len(m.Nodes))
	for i := range m.Nodes {
		b.ln[i] = index[b.channelOf(i)]
	}
	// Channels with no touchpoint (a phone line the strategies' messages
	// reach, say) get a lane of their own, empty, so that every channel
	// is on the map, with its run's figures.
	for c, ch := range m.Channels {
		if _, ok := index[c]; !ok {
			index[c] = len(b.l.Lanes)
			b.l.Lanes = append(b.l.Lanes, Lane{Channel: c, Name: ch.Name, Empty: true})
		}
	}
}

// currencySign is the purchase badge's sign for a currency.
func currencySign(c string) string {
	switch strings.ToUpper(c) {
	case "":
		return "£/€"
	case "EUR":
		return "€"
	case "GBP":
		return "£"
	case "USD", "AUD", "CAD", "NZD":
		return "$"
	case "JPY", "CNY":
		return "¥"
	}
	return c
}

// boxes writes each touchpoint's lines and sizes its box's width.
func (b *builder) boxes() {
	m := b.m
	b.l.Boxes = make([]Box, len(m.Nodes))
	for i, n := range m.Nodes {
		bx := Box{Node: i, Name: n.Name, Column: b.col[i], Lane: b.ln[i], Purchase: n.Purchase, Competitor: n.Purchase && n.Competitor, Start: i == m.Start}
		var tip []string
		add := func(s string, kind Kind, size float64, bold bool) {
			maxLines := detailLines
			if kind == KindName {
				maxLines = 1
			}
			lines, _ := wrapText(s, kind, size, bold, boxMaxText, maxLines)
			bx.Lines = append(bx.Lines, lines...)
			tip = append(tip, strings.Join(strings.Fields(s), " "))
		}
		add(text.Spoken(n.Name), KindName, nameSize, true)
		if bx.Start {
			add("● start: every customer begins here", KindStart, detailSize, true)
		}
		switch {
		case bx.Competitor:
			add(currencySign(b.o.Currency)+" purchase at a competitor", KindRival, detailSize, true)
		case bx.Purchase:
			add(currencySign(b.o.Currency)+" purchase", KindPurchase, detailSize, true)
		}
		if b.o.Details != nil {
			for _, d := range b.o.Details(i) {
				add(d, KindDetail, detailSize, false)
			}
		}
		// Moves that stay: the cart opened or emptied, or a move to itself.
		for _, response := range []bool{false, true} {
			edges := n.Edges
			if response {
				edges = n.ResponseEdges
			}
			for k, e := range edges {
				if to := target(m, e); to >= 0 && to != i {
					continue
				}
				what := "stays"
				switch e.Cart {
				case sim.CartOpen:
					what = "stays, opens the cart"
				case sim.CartClear:
					what = "stays, empties the cart"
				}
				if to := target(m, e); to == i {
					what = "again"
				}
				if response {
					what = "on a response, " + what
				}
				add(what+": "+b.label(i, k, response), KindLoop, detailSize, false)
			}
		}
		if b.f != nil {
			for _, s := range b.f.nodeLines(i) {
				kind := KindFigure
				if strings.HasPrefix(s, painPrefix) {
					kind = KindPain
				}
				add(s, kind, detailSize, true)
			}
			bx.Fill, bx.Pain = b.f.nodeFill(i)
			bx.Off = b.f.channelOff(b.channelOf(i))
		}
		bx.Tooltip = strings.Join(tip, "\n")
		w := float64(boxMinW)
		for _, ln := range bx.Lines {
			w = max(w, math.Ceil(ln.Width)+2*boxPadX)
		}
		bx.Rect.W = w
		h := 2.0 * boxPadY
		for _, ln := range bx.Lines {
			h += height(ln.Size)
		}
		bx.Rect.H = h
		b.l.Boxes[i] = bx
	}
	// A column's boxes share its width.
	for c := range b.l.Columns {
		w := float64(boxMinW)
		for _, bx := range b.l.Boxes {
			if bx.Column == c {
				w = max(w, bx.Rect.W)
			}
		}
		b.l.Columns[c].W = w
	}
	for i := range b.l.Boxes {
		b.l.Boxes[i].Rect.W = b.l.Columns[b.l.Boxes[i].Column].W
	}
}

// label is the words of node from's k-th move.
func (b *builder) label(from, k int, response bool) string {
	if b.o.Label != nil {
		return b.o.Label(from, k, response)
	}
	n := b.m.Nodes[from]
	edges := n.Edges
	if response {
		edges = n.ResponseEdges
	}
	e := edges[k]
	if e.P == nil {
		return "never"
	}
	if v, ok := e.P.Const(); ok {
		return strconv.FormatFloat(v*100, 'f', -1, 64) + "%"
	}
	return strings.Join(strings.Fields(e.P.Source), " ")
}

// wrapLabel breaks s into at most labelLines lines of at most labelMaxW
// pixels, the last cut with an ellipsis if need be.
func wrapLabel(s string, kind Kind) ([]Line, bool) {
	return wrapText(s, kind, labelSize, false, labelMaxW, labelLines)
}

// wrapText breaks s at spaces into at most maxLines lines of at most maxW
// pixels, the last cut with an ellipsis if need be, and says whether it
// was. A word wider than maxW on its own is cut.
func wrapText(s string, kind Kind, size float64, bold bool, maxW float64, maxLines int) ([]Line, bool) {
	words := strings.Fields(s)
	var lines []Line
	cut := false
	for len(words) > 0 {
		if len(lines) == maxLines-1 {
			ln := newLine(strings.Join(words, " "), kind, size, bold, maxW)
			cut = cut || ln.Truncated
			lines = append(lines, ln)
			break
		}
		n := 1
		for n < len(words) && TextWidth(strings.Join(words[:n+1], " "), size, bold) <= maxW {
			n++
		}
		ln := newLine(strings.Join(words[:n], " "), kind, size, bold, maxW)
		cut = cut || ln.Truncated
		lines = append(lines, ln)
		words = words[n:]
	}
	if len(lines) == 0 {
		lines = append(lines, newLine("", kind, size, bold, maxW))
	}
	return lines, cut
}

// labelHeight is the height of an arrow's label.
func labelHeight(lines []Line) float64 {
	return float64(len(lines)) * height(labelSize)
}

// arrows makes an arrow of each move between two touchpoints and gives it
// a slot on the sides of its boxes.
func (b *builder) arrows() {
	m := b.m
	b.sides = make([][2][]slot, len(m.Nodes))
	for _, response := range []bool{false, true} {
		for i, n := range m.Nodes {
			edges := n.Edges
			if response {
				edges = n.ResponseEdges
			}
			for k, e := range edges {
				to := target(m, e)
				if to < 0 || to == i {
					continue
				}
				full := b.label(i, k, response)
				kind := KindLabel
				a := Arrow{From: i, To: to, Edge: k, Response: response, Full: full}
				if b.f != nil {
					a.Off = b.f.channelOff(b.channelOf(i)) || b.f.channelOff(b.channelOf(to))
				}
				switch {
				case b.col[to] < b.col[i]:
					a.Back = true
					kind = KindBack
				case b.col[to] == b.col[i]:
					a.Same = true
				}
				if response {
					kind = KindReply
				}
				a.Label, _ = wrapLabel(full, kind)
				idx := len(b.l.Arrows)
				b.l.Arrows = append(b.l.Arrows, a)
				outSide, inSide := right, left
				switch {
				case a.Back:
					outSide, inSide = left, right
				case a.Same:
					outSide, inSide = right, right
				}
				b.sides[i][outSide] = append(b.sides[i][outSide], slot{arrow: idx, out: true, h: labelHeight(a.Label) + 2 + slotGap})
				b.sides[to][inSide] = append(b.sides[to][inSide], slot{arrow: idx, h: inSlot})
			}
		}
	}
	// A box is tall enough for the slots on each of its sides.
	for i := range b.l.Boxes {
		for s := range 2 {
			need := 2.0 * boxPadY
			for _, sl := range b.sides[i][s] {
				need += sl.h
			}
			b.l.Boxes[i].Rect.H = max(b.l.Boxes[i].Rect.H, need)
		}
	}
}

// horizontal places the lane names, the columns and the gutters between
// them.
func (b *builder) horizontal() {
	l := b.l
	nc := len(l.Columns)
	b.zoneL = make([]float64, nc)
	b.zoneR = make([]float64, nc)
	b.curve = make([]float64, nc+1)
	for c := range nc {
		b.zoneL[c], b.zoneR[c] = stubMin, stubMin
	}
	turns := make([]int, nc+1) // arrows turning into a corridor in the gutter right of column c (c = -1 → index nc)
	for _, a := range l.Arrows {
		w := 0.0
		for _, ln := range a.Label {
			w = max(w, ln.Width)
		}
		w = math.Ceil(w) + 2*labelGap
		cf, ct := b.col[a.From], b.col[a.To]
		if a.Back {
			b.zoneL[cf] = max(b.zoneL[cf], w)
		} else {
			b.zoneR[cf] = max(b.zoneR[cf], w)
		}
		switch {
		case a.Back && ct < cf-1:
			turns[cf-1]++
			turns[ct]++
		case !a.Back && !a.Same && ct > cf+1:
			turns[cf]++
			turns[ct-1]++
		}
	}
	for c := range b.curve {
		b.curve[c] = min(curveMax, curveMin+curveEach*float64(max(0, turns[c]-1)))
	}
	// Lane names.
	lw := 0.0
	for k := range l.Lanes {
		ln := &l.Lanes[k]
		italic := ln.Channel < 0
		ln.Label = newLine(text.Spoken(ln.Name), KindName, laneSize, !italic, 140)
		ln.Label.Italic = italic
		lw = max(lw, ln.Label.Width)
		if b.f != nil {
			for _, s := range b.f.laneLines(ln.Channel) {
				fl := newLine(s, KindFigure, detailSize, false, 140)
				ln.Figures = append(ln.Figures, fl)
				lw = max(lw, fl.Width)
			}
			ln.Off = b.f.channelOff(ln.Channel)
		}
	}
	l.LaneLabelW = math.Ceil(lw) + 20
	x := margin + l.LaneLabelW
	for c := range l.Columns {
		x += b.zoneL[c]
		if c == 0 {
			x += 8
		}
		l.Columns[c].X = x
		x += l.Columns[c].W + b.zoneR[c] + b.curve[c]
	}
	l.Grid.X = margin
	l.Grid.W = x - margin
	for i := range l.Boxes {
		l.Boxes[i].Rect.X = l.Columns[l.Boxes[i].Column].X
	}
}

// curveMid is the middle of the curve region right of column c.
func (b *builder) curveMid(c int) float64 {
	col := b.l.Columns[c]
	return col.X + col.W + b.zoneR[c] + b.curve[c]/2
}

// corridors chooses the corridor of each arrow that skips columns, and
// its track.
func (b *builder) corridors() {
	l := b.l
	nl := len(l.Lanes)
	b.corridor = make([]int, len(l.Arrows))
	b.track = make([]int, len(l.Arrows))
	b.span = make([][2]float64, len(l.Arrows))
	for i, a := range l.Arrows {
		b.corridor[i] = -1
		cf, ct := b.col[a.From], b.col[a.To]
		lf, lt := b.ln[a.From], b.ln[a.To]
		switch {
		case a.Back && ct < cf-1:
			// Back along the corridor next to the target's lane, on the
			// source's side: returns to one touchpoint share a corridor.
			k := lt + 1
			if lf < lt {
				k = lt
			}
			b.corridor[i] = k
			b.span[i] = [2]float64{b.curveMid(ct), b.curveMid(cf - 1)}
		case !a.Back && !a.Same && ct > cf+1:
			// Forward along the corridor next to the source's lane, on
			// the target's side.
			k := lf + 1
			if lt < lf {
				k = lf
			}
			b.corridor[i] = k
			b.span[i] = [2]float64{b.curveMid(cf), b.curveMid(ct - 1)}
		}
	}
	// Tracks: arrows whose stretches overlap take different tracks.
	b.tracks = make([]int, nl+1)
	for k := 0; k <= nl; k++ {
		var in []int
		for i := range l.Arrows {
			if b.corridor[i] == k {
				in = append(in, i)
			}
		}
		slices.SortStableFunc(in, func(x, y int) int {
			switch {
			case b.span[x][0] < b.span[y][0]:
				return -1
			case b.span[x][0] > b.span[y][0]:
				return 1
			}
			return 0
		})
		var ends []float64
		for _, i := range in {
			t := slices.IndexFunc(ends, func(e float64) bool { return e < b.span[i][0]-12 })
			if t < 0 {
				t = len(ends)
				ends = append(ends, 0)
			}
			ends[t] = b.span[i][1]
			b.track[i] = t
		}
		b.tracks[k] = len(ends)
	}
}

// vertical places the title, the headings, the lanes with their boxes,
// and the corridors between them.
func (b *builder) vertical() {
	l := b.l
	m := b.m
	title := b.o.Title
	if title == "" {
		title = m.Name + ": the customer journey map"
	}
	y := float64(margin)
	l.Title = newLine(title, KindName, titleSize, true, 4000)
	l.Title.X, l.Title.Baseline = margin, y+titleSize
	y += height(titleSize)
	sub := "Stages left to right in journey order; a lane per channel; arrows are the moves, with their chance each " + b.o.Tick + "."
	if b.f != nil {
		sub = b.f.subtitle(b.o.Tick)
	}
	l.Subtitle = newLine(sub, KindDetail, noteSize, false, 4000)
	l.Subtitle.X, l.Subtitle.Baseline = margin, y+noteSize+2
	y += height(noteSize) + 10
	// Stage headings: chevrons over their columns.
	figs := b.f != nil && b.f.hasStageLines()
	for c := range l.Columns {
		col := &l.Columns[c]
		x0 := col.X - b.zoneL[c]
		if c == 0 {
			x0 -= 8
		}
		x1 := col.X + col.W + b.zoneR[c] + b.curve[c]
		col.Head = Rect{X: x0 + 1, Y: y, W: x1 - x0 - 2, H: headH}
		col.Title = newLine(stageTitle(c, col.Name), KindName, headSize, true, col.Head.W-32)
		col.Title.X = col.Head.X + 18
		col.Title.Baseline = y + headH/2 + headSize*0.35
		if figs {
			col.Figure = newLine(b.f.stageLine(col.Stage, b.o.Tick), KindFigure, detailSize, false, col.Head.W-12)
			col.Figure.X = col.Head.X + 18
			col.Figure.Baseline = y + headH + detailSize + 4
			if c > 0 {
				if d := b.f.dropLine(l.Columns[c-1].Stage, col.Stage); d != "" {
					col.Drop = newLine(d, KindPain, detailSize, true, col.Head.W)
					col.Drop.X = col.Head.X - col.Drop.Width/2
					col.Drop.Baseline = y + headH + 2*height(detailSize) + 4
				}
			}
		}
	}
	y += headH + headGap
	if figs {
		y += 2*height(detailSize) + 4
	}
	// Cells: the boxes of each column and lane, stacked.
	nl := len(l.Lanes)
	cells := map[[2]int][]int{}
	for i, bx := range l.Boxes {
		key := [2]int{bx.Column, bx.Lane}
		cells[key] = append(cells[key], i)
	}
	b.corridorY = make([]float64, nl+1)
	b.corridorH = make([]float64, nl+1)
	corridorHeight := func(k int) float64 {
		h := 2.0 * corridorPad
		if b.tracks[k] > 1 {
			h += float64(b.tracks[k]-1) * trackGap
		}
		return h
	}
	l.Grid.Y = y
	for r := range nl {
		b.corridorY[r], b.corridorH[r] = y, corridorHeight(r)
		y += b.corridorH[r]
		lane := &l.Lanes[r]
		lane.Y = y
		h := 0.0
		for c := range l.Columns {
			stack := cells[[2]int{c, r}]
			sh := 0.0
			for j, i := range stack {
				if j > 0 {
					sh += stackGap
				}
				sh += l.Boxes[i].Rect.H
			}
			h = max(h, sh)
		}
		h += 2 * lanePad
		labelH := height(laneSize) + float64(len(lane.Figures))*height(detailSize) + 2*lanePad
		lane.H = max(h, labelH)
		for c := range l.Columns {
			stack := cells[[2]int{c, r}]
			sh := 0.0
			for j, i := range stack {
				if j > 0 {
					sh += stackGap
				}
				sh += l.Boxes[i].Rect.H
			}
			by := lane.Y + (lane.H-sh)/2
			for _, i := range stack {
				l.Boxes[i].Rect.Y = by
				by += l.Boxes[i].Rect.H + stackGap
			}
		}
		lane.Label.X = margin + 8
		lane.Label.Baseline = lane.Y + lanePad + laneSize
		if lane.Empty {
			lane.Note = newLine("no touchpoint: customers meet this channel only through the strategies' messages", KindDetail, detailSize, false, l.Grid.W-l.LaneLabelW-24)
			lane.Note.Italic = true
			lane.Note.X = l.Grid.X + l.LaneLabelW + 16
			lane.Note.Baseline = lane.Y + lanePad + laneSize
		}
		fy := lane.Label.Baseline
		for k := range lane.Figures {
			fy += height(detailSize)
			lane.Figures[k].X = margin + 8
			lane.Figures[k].Baseline = fy
		}
		y += lane.H
	}
	b.corridorY[nl], b.corridorH[nl] = y, corridorHeight(nl)
	y += b.corridorH[nl]
	l.Grid.H = y - l.Grid.Y
	// Lines of text in their boxes.
	for i := range l.Boxes {
		bx := &l.Boxes[i]
		ty := bx.Rect.Y + boxPadY
		content := 0.0
		for _, ln := range bx.Lines {
			content += height(ln.Size)
		}
		ty += (bx.Rect.H - 2*boxPadY - content) / 2
		for k := range bx.Lines {
			ln := &bx.Lines[k]
			ln.X = bx.Rect.X + boxPadX
			ln.Baseline = ty + ln.Size*1.02
			ty += height(ln.Size)
		}
	}
	l.Height = y
}

// stageTitle is a column's heading: its number and name.
func stageTitle(c int, name string) string {
	return strconv.Itoa(c+1) + " " + text.Spoken(name)
}

// centerY is the vertical middle of node i's box.
func (b *builder) centerY(i int) float64 {
	r := b.l.Boxes[i].Rect
	return r.Y + r.H/2
}

// paths places each arrow's slots on its boxes' sides, its label, and
// its path.
func (b *builder) paths() {
	l := b.l
	// The other end of a slot's arrow: where it is, to order the slots of
	// a side so that arrows cross as little as may be.
	other := func(i int, sl slot) float64 {
		a := l.Arrows[sl.arrow]
		if a.From == i {
			return b.centerY(a.To)
		}
		return b.centerY(a.From)
	}
	for i := range l.Boxes {
		r := l.Boxes[i].Rect
		for s := range 2 {
			sl := b.sides[i][s]
			slices.SortStableFunc(sl, func(x, y slot) int {
				ox, oy := other(i, x), other(i, y)
				switch {
				case ox < oy:
					return -1
				case ox > oy:
					return 1
				}
				return 0
			})
			total := 0.0
			for _, x := range sl {
				total += x.h
			}
			y := r.Y + (r.H-total)/2
			for k := range sl {
				if sl[k].out {
					sl[k].y = y + sl[k].h - slotGap/2
				} else {
					sl[k].y = y + sl[k].h/2
				}
				y += sl[k].h
			}
		}
	}
	port := func(i, arrow int, out bool) (Point, int) {
		for s := range 2 {
			for _, sl := range b.sides[i][s] {
				if sl.arrow == arrow && sl.out == out {
					x := l.Boxes[i].Rect.X
					if s == right {
						x = l.Boxes[i].Rect.Right()
					}
					return Point{x, sl.y}, s
				}
			}
		}
		return Point{}, right
	}
	for ai := range l.Arrows {
		a := &l.Arrows[ai]
		cf, ct := b.col[a.From], b.col[a.To]
		p, ps := port(a.From, ai, true)
		q, qs := port(a.To, ai, false)
		// The label sits above the straight piece that leaves the box.
		lh := labelHeight(a.Label)
		lw := 0.0
		for _, ln := range a.Label {
			lw = max(lw, ln.Width)
		}
		var x1 float64 // where the straight piece ends
		if ps == right {
			x1 = p.X + b.zoneR[cf]
			a.LabelRect = Rect{X: p.X + labelGap, Y: p.Y - lh - 2, W: lw, H: lh}
		} else {
			x1 = p.X - b.zoneL[cf]
			a.LabelRect = Rect{X: p.X - labelGap - lw, Y: p.Y - lh - 2, W: lw, H: lh}
		}
		for k := range a.Label {
			a.Label[k].X = a.LabelRect.X
			if ps == left {
				a.Label[k].X = a.LabelRect.Right() - a.Label[k].Width
			}
			a.Label[k].Baseline = a.LabelRect.Y + float64(k)*height(labelSize) + labelSize*1.02
		}
		// The straight piece that reaches the target.
		var x2 float64
		if qs == left {
			x2 = q.X - b.zoneL[ct]
		} else {
			x2 = q.X + b.zoneR[ct]
		}
		p1, q1 := Point{x1, p.Y}, Point{x2, q.Y}
		a.Path = []Segment{line(p, p1)}
		switch k := b.corridor[ai]; {
		case a.Same:
			// Out of the right side and back into it: a bulge into the
			// curve region.
			bulge := min(b.curve[cf]*0.8, 18+math.Abs(q.Y-p.Y)/4)
			a.Path = append(a.Path, Segment{p1, Point{p1.X + bulge, p1.Y}, Point{q1.X + bulge, q1.Y}, q1})
		case k >= 0:
			yc := b.corridorY[k] + corridorPad + float64(b.track[ai])*trackGap
			xs, xe := b.span[ai][0], b.span[ai][1]
			if a.Back {
				xs, xe = xe, xs
			}
			c0, c1 := Point{xs, yc}, Point{xe, yc}
			a.Path = append(a.Path, sCurve(p1, c0), line(c0, c1), sCurve(c1, q1))
		default:
			a.Path = append(a.Path, sCurve(p1, q1))
		}
		a.Path = append(a.Path, line(q1, q))
	}
}

// legend places the legend under the lanes: samples and their words, in
// rows as wide as the map.
func (b *builder) legend() {
	l := b.l
	items := []struct{ sample, text string }{
		{"box", "a touchpoint: a channel at a stage"},
	}
	hasPurchase, hasRival, hasBack, hasReply, hasLoop := false, false, false, false, false
	for _, bx := range l.Boxes {
		hasPurchase = hasPurchase || bx.Purchase && !bx.Competitor
		hasRival = hasRival || bx.Competitor
		for _, ln := range bx.Lines {
			hasLoop = hasLoop || ln.Kind == KindLoop
		}
	}
	for _, a := range l.Arrows {
		hasBack = hasBack || a.Back
		hasReply = hasReply || a.Response
	}
	if hasPurchase {
		items = append(items, struct{ sample, text string }{"purchase", "a purchase"})
	}
	if hasRival {
		items = append(items, struct{ sample, text string }{"rival", "a purchase at a competitor"})
	}
	items = append(items, struct{ sample, text string }{"move", "a move and its chance each " + b.o.Tick + "; \u201cotherwise\u201d: what the moves before it leave"})
	if hasBack {
		items = append(items, struct{ sample, text string }{"back", "a move back to an earlier stage"})
	}
	if hasReply {
		items = append(items, struct{ sample, text string }{"reply", "a move when the customer responds to a message"})
	}
	if hasLoop {
		items = append(items, struct{ sample, text string }{"loop", "\u201cstays\u201d lines: moves that keep the customer at the touchpoint"})
	}
	if b.f != nil {
		items = append(items, b.f.legendItems()...)
	}
	const sampleW = 34
	width := max(l.Grid.Right(), 760)
	x, y := float64(margin), l.Grid.Bottom()+legendGap
	for _, it := range items {
		t := newLine(it.text, KindDetail, legendSize, false, width-2*margin-sampleW-8)
		w := sampleW + 8 + t.Width
		if x > margin && x+w > width {
			x, y = margin, y+legendRow
		}
		li := LegendItem{Sample: it.sample, Rect: Rect{X: x, Y: y, W: w, H: legendRow - 6}, Text: t}
		li.Text.X = x + sampleW + 8
		li.Text.Baseline = y + legendSize
		l.Legend = append(l.Legend, li)
		x += w + 22
	}
	y += legendRow
	if b.f != nil {
		for _, s := range b.f.notes() {
			n := newLine(s, KindDetail, noteSize, false, width-2*margin)
			n.X, n.Baseline = margin, y+noteSize
			l.Notes = append(l.Notes, n)
			y += height(noteSize)
		}
	}
	l.Height = y + margin
	l.Width = math.Ceil(max(width, l.Title.Width+2*margin, l.Subtitle.Width+2*margin) + margin)
	l.Height = math.Ceil(l.Height)
}
