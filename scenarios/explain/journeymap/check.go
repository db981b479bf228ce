package journeymap

import (
	"fmt"
)

// Problems lists what is wrong with the layout, for tests and for a
// caller that wants to be sure before it shows the map: boxes that
// overlap, text that overflows its box, heading or lane, labels that
// cover a box or one another, arrows that run through a box, columns out
// of order, anything outside the picture. A sound layout has none.
func (l *Layout) Problems() []string {
	var out []string
	bad := func(format string, args ...any) { out = append(out, fmt.Sprintf(format, args...)) }
	page := Rect{0, 0, l.Width, l.Height}
	name := func(i int) string { return l.Boxes[i].Name }
	// Columns, left to right, apart.
	for c := 1; c < len(l.Columns); c++ {
		a, b := l.Columns[c-1], l.Columns[c]
		if a.X+a.W >= b.X {
			bad("columns %q and %q overlap or are out of order", a.Name, b.Name)
		}
		if a.Head.Overlaps(b.Head) {
			bad("the headings of %q and %q overlap", a.Name, b.Name)
		}
	}
	for _, c := range l.Columns {
		if !page.Contains(c.Head) {
			bad("the heading of %q is outside the picture", c.Name)
		}
		if c.Title.X < c.Head.X || c.Title.X+c.Title.Width > c.Head.Right() {
			bad("the heading %q overflows its chevron", c.Title.Text)
		}
	}
	// Lanes, top to bottom, apart; their names fit.
	for r, ln := range l.Lanes {
		if r > 0 && l.Lanes[r-1].Y+l.Lanes[r-1].H > ln.Y {
			bad("lanes %q and %q overlap", l.Lanes[r-1].Name, ln.Name)
		}
		for _, t := range append([]Line{ln.Label}, ln.Figures...) {
			if t.X < l.Grid.X || t.X+t.Width > l.Grid.X+l.LaneLabelW {
				bad("the lane name or figure %q overflows its place", t.Text)
			}
		}
	}
	// Boxes: apart, in their column and lane, their text inside.
	for i, bx := range l.Boxes {
		r := bx.Rect
		if !page.Contains(r) {
			bad("box %s is outside the picture", name(i))
		}
		col, lane := l.Columns[bx.Column], l.Lanes[bx.Lane]
		if r.X < col.X-1e-6 || r.Right() > col.X+col.W+1e-6 {
			bad("box %s is outside its column %q", name(i), col.Name)
		}
		if r.Y < lane.Y || r.Bottom() > lane.Y+lane.H {
			bad("box %s is outside its lane %q", name(i), lane.Name)
		}
		for j := i + 1; j < len(l.Boxes); j++ {
			if r.Overlaps(l.Boxes[j].Rect) {
				bad("boxes %s and %s overlap", name(i), name(j))
			}
		}
		for _, t := range bx.Lines {
			if !r.Contains(textRect(t)) {
				bad("the text %q overflows box %s", t.Text, name(i))
			}
		}
	}
	// Labels: clear of the boxes, the headings and one another.
	for k, a := range l.Arrows {
		lr := a.LabelRect
		what := fmt.Sprintf("the label %q of %s → %s", a.Full, name(a.From), name(a.To))
		if !l.Grid.Contains(lr) {
			bad("%s is outside the lanes", what)
		}
		for _, t := range a.Label {
			if !lr.Contains(textRect(t)) {
				bad("%s overflows its place", what)
			}
		}
		for i, bx := range l.Boxes {
			if lr.Overlaps(bx.Rect) {
				bad("%s covers box %s", what, name(i))
			}
		}
		for j := k + 1; j < len(l.Arrows); j++ {
			if lr.Overlaps(l.Arrows[j].LabelRect) {
				bad("%s and the label of %s → %s overlap", what, name(l.Arrows[j].From), name(l.Arrows[j].To))
			}
		}
		// The path runs through no box: sample it, away from its ends.
		for s, seg := range a.Path {
			for step := 0; step <= 16; step++ {
				p := seg.at(float64(step) / 16)
				if s == 0 && step == 0 || s == len(a.Path)-1 && step == 16 {
					continue
				}
				for i, bx := range l.Boxes {
					in := Rect{bx.Rect.X + 1, bx.Rect.Y + 1, bx.Rect.W - 2, bx.Rect.H - 2}
					if p.X > in.X && p.X < in.Right() && p.Y > in.Y && p.Y < in.Bottom() {
						bad("the arrow %s → %s runs through box %s at (%.0f, %.0f)", name(a.From), name(a.To), name(i), p.X, p.Y)
						break
					}
				}
			}
		}
	}
	// The legend: under the lanes, its entries apart.
	for k, it := range l.Legend {
		if !page.Contains(it.Rect) || it.Rect.Y < l.Grid.Bottom() {
			bad("the legend entry %q is out of place", it.Text.Text)
		}
		for j := k + 1; j < len(l.Legend); j++ {
			if it.Rect.Overlaps(l.Legend[j].Rect) {
				bad("the legend entries %q and %q overlap", it.Text.Text, l.Legend[j].Text.Text)
			}
		}
	}
	for _, t := range append([]Line{l.Title, l.Subtitle}, l.Notes...) {
		if !page.Contains(textRect(t)) {
			bad("the text %q is outside the picture", t.Text)
		}
	}
	return out
}

// textRect is the area a line of text takes: its measured width, from
// its ascent to its descent.
func textRect(t Line) Rect {
	return Rect{X: t.X, Y: t.Baseline - 0.92*t.Size, W: t.Width, H: 1.15 * t.Size}
}
