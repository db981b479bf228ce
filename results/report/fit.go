package report

import (
	"strings"
	"unicode"

	"github.com/journeysim/journeysim/results/output"
)

// A table on a projector must fit its width: a column cut off is a
// strategy the class never sees. The page has no scripts, so the table's
// type and layout are chosen here, when the page is made, from an estimate
// of each column's width in the page's font, Liberation Sans, which the
// page carries (fonts.go), so that the estimate holds on any machine.

// fitWidth is the width, in CSS pixels, that a table must fit: the page's
// text column in a window 1,280 pixels wide (1,200) less a margin for the
// estimate's error. narrowWidth is the same in a window 1,024 pixels wide
// (976, with the narrower margins template.html gives a window under
// 1,280 pixels, less a scroll bar), where the class fitClass names with
// the prefix "n-" applies.
const (
	fitWidth    = 1140
	narrowWidth = 900
)

// tableStyle is one way to set a table: its type size and the padding of
// its cells (as template.html's table, table.wide and table.wider set
// them), whether each interval takes a line of its own under its mean,
// and whether row labels and strategy names in the header may wrap (in
// the smallest setting only: a name broken in two is hard to read).
type tableStyle struct {
	class        string
	font, pad    float64
	stack, wraps bool
}

// tableStyles are tried in order, the largest type first; the last is
// used, and the table scrolls sideways, if none fits.
var tableStyles = []tableStyle{
	{class: "", font: 22, pad: 22},
	{class: "wide", font: 20, pad: 14},
	{class: "wide stack", font: 20, pad: 14, stack: true},
	{class: "wider stack", font: 18, pad: 10, stack: true, wraps: true},
	{class: "tiny stack", font: 15, pad: 5, stack: true, wraps: true},
}

// column is what a table's column holds, to estimate its width: its
// header, and whether it wraps between words (a metric's name does, a
// strategy's not); whether it holds row labels (bold); and its cells'
// texts. Notes are texts under a cell's value that wrap between words,
// such as a comparison's verdict.
type column struct {
	header     string
	wrapHeader bool
	label      bool
	cells      []string
	notes      []string
}

// gridColumns returns the columns of g: its first holds the row labels.
func gridColumns(g output.Grid) []column {
	cols := make([]column, len(g.Header))
	for k, h := range g.Header {
		cols[k] = column{header: h, label: k == 0}
	}
	for _, row := range g.Rows {
		for k, c := range row {
			if k >= len(cols) {
				break
			}
			cols[k].cells = append(cols[k].cells, c.Text)
			if v := shownVerdict(c.Verdict); v != "" {
				cols[k].notes = append(cols[k].notes, v)
			}
		}
	}
	return cols
}

// fitClass returns the CSS classes of the table of cols: "" for the page's
// usual type, or the first smaller setting that fits fitWidth; then, each
// with the prefix "n-", the first setting that fits narrowWidth, for a
// window under 1,280 pixels (none when it is the same).
func fitClass(cols []column) string {
	wide, narrow := fitStyle(cols, fitWidth), fitStyle(cols, narrowWidth)
	classes := strings.Fields(wide)
	if narrow != wide {
		for _, c := range strings.Fields(narrow) {
			classes = append(classes, "n-"+c)
		}
	}
	return strings.Join(classes, " ")
}

// fitStyle returns the class of the first table style in which the table
// of cols fits width; the last, in which the table scrolls sideways, if
// none fits.
func fitStyle(cols []column, width float64) string {
	for _, st := range tableStyles {
		if st.width(cols) <= width {
			return st.class
		}
	}
	return tableStyles[len(tableStyles)-1].class
}

// width estimates the width of the table of cols set in style st.
func (st tableStyle) width(cols []column) float64 {
	total := 0.0
	for _, c := range cols {
		w := textWidth(c.header, st.font, true)
		if c.wrapHeader || st.wraps {
			w = longestWord(c.header, st.font, true)
		}
		for _, text := range c.cells {
			var cw float64
			switch {
			case c.label && st.wraps:
				// A row label wraps in the smallest setting, to 6em at
				// least (template.html).
				cw = max(longestWord(text, st.font, true), min(textWidth(text, st.font, true), 6*st.font))
			case c.label:
				cw = textWidth(text, st.font, true)
			case st.stack:
				cw = max(textWidth(mean(text), st.font, false), textWidth(interval(text), st.font, false))
			default:
				cw = textWidth(text, st.font, false)
			}
			w = max(w, cw)
		}
		for _, n := range c.notes {
			w = max(w, longestWord(n, st.font-2, true))
		}
		total += w + 2*st.pad + 2 // and a border
	}
	return total
}

// longestWord is the width of the widest word of s, where a header or a
// label wraps: at spaces and, for a strategy's name, after underscores.
func longestWord(s string, px float64, bold bool) float64 {
	w := 0.0
	for _, word := range strings.FieldsFunc(s, func(r rune) bool { return r == ' ' || r == '_' }) {
		w = max(w, textWidth(word+"_", px, bold))
	}
	return w
}

// textWidth estimates the width of s in pixels, in Liberation Sans (or
// Arial) of px pixels, bold or not, from the widths of its letters.
func textWidth(s string, px float64, bold bool) float64 {
	em := 0.0
	for _, r := range s {
		switch {
		case r >= '0' && r <= '9', r == '±', r == '–', r == '−', r == '+':
			em += 0.556
		case r == ',' || r == '.' || r == ' ' || r == ':' || r == ';' || r == 'i' || r == 'l' || r == 'j' || r == '\'' || r == '·':
			em += 0.278
		case r == '(' || r == ')' || r == '-' || r == 'f' || r == 't' || r == 'r':
			em += 0.333
		case r == 'm' || r == 'w' || r == 'W' || r == 'M' || r == '%':
			em += 0.889
		case unicode.IsUpper(r):
			em += 0.667
		default:
			em += 0.556
		}
	}
	if bold {
		em *= 1.08
	}
	return em * px
}
