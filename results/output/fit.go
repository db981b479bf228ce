package output

import (
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/olekukonko/tablewriter/pkg/twwidth"
)

// A table fits a width (in display columns, as a terminal counts them)
// this way, never by letting the terminal wrap its lines:
//
//  1. as it is, when it fits;
//  2. with the value columns' headers wrapped onto more lines, no wider
//     than the column's values (nor than their longest word), as few as
//     need be;
//  3. transposed, rows for columns, when it has more columns than rows
//     and the transpose fits (as it is, with its headers wrapped, or with
//     its labels wrapped a little too);
//  4. with its labels wrapped a little, to keep its columns side by side;
//  5. split into groups of value columns that each fit, each repeating
//     the label (first) column, as evenly as they go; a group still too
//     wide, one value column wider than the width with the labels, has its
//     labels wrapped within their cells and then, if need be, its values.

// boxBorder is what a box-drawn table adds to its columns' text: a border
// on the left, and a space either side of each column's text and a border
// after it.
const (
	boxBorder    = 1
	columnMargin = 3
)

// minLabelWidth is the narrowest a label column is wrapped to before its
// values are wrapped too.
const minLabelWidth = 12

// textTable is a table as text: a header and rows of cells, each row with
// one cell per header column; a cell may hold several lines. Its first
// labels columns (at least one) label the rows: a group of its columns
// repeats them.
type textTable struct {
	header []string
	rows   [][]string
	labels int
	// across names what the value columns are: the corner's heading of
	// the table transposed.
	across string
}

// labelColumns is how many leading columns label t's rows: labels, at
// least one, at most all.
func (t textTable) labelColumns() int {
	return max(1, min(t.labels, len(t.header)))
}

// displayWidth returns the columns s takes on a terminal: those of its
// widest line.
func displayWidth(s string) int {
	w := 0
	for line := range strings.SplitSeq(s, "\n") {
		w = max(w, twwidth.Width(line))
	}
	return w
}

// columnWidths returns the display width of each column's widest cell,
// header included.
func (t textTable) columnWidths() []int {
	ws := make([]int, len(t.header))
	for j, h := range t.header {
		ws[j] = displayWidth(h)
	}
	for _, r := range t.rows {
		for j, c := range r {
			if j < len(ws) {
				ws[j] = max(ws[j], displayWidth(c))
			}
		}
	}
	return ws
}

// boxWidth is the width a box-drawn table whose columns' text is ws wide
// takes.
func boxWidth(ws []int) int {
	n := boxBorder
	for _, w := range ws {
		n += w + columnMargin
	}
	return n
}

// width is the display width of t drawn as a box.
func (t textTable) width() int { return boxWidth(t.columnWidths()) }

// columns returns the label columns and the value columns cols (indices
// into the header) of t.
func (t textTable) columns(cols []int) textTable {
	k := t.labelColumns()
	pick := func(r []string) []string {
		var out []string
		for j := range k {
			out = append(out, cell(r, j))
		}
		for _, j := range cols {
			out = append(out, cell(r, j))
		}
		return out
	}
	g := textTable{header: pick(t.header), labels: k, across: t.across}
	for _, r := range t.rows {
		g.rows = append(g.rows, pick(r))
	}
	return g
}

func cell(r []string, j int) string {
	if j < len(r) {
		return r[j]
	}
	return ""
}

// transpose returns t with its rows as columns: the row labels become the
// header and the header's names the labels; its corner is what t's
// columns are (t.across), and what its rows are is the corner of the
// transpose's transpose.
func (t textTable) transpose() textTable {
	tr := textTable{header: []string{t.across}, across: cell(t.header, 0)}
	for _, r := range t.rows {
		tr.header = append(tr.header, cell(r, 0))
	}
	for j := 1; j < len(t.header); j++ {
		row := []string{t.header[j]}
		for _, r := range t.rows {
			row = append(row, cell(r, j))
		}
		tr.rows = append(tr.rows, row)
	}
	return tr
}

// wrapHeaders returns t with the header of each value column wrapped to
// the width of the column's values, or of the header's longest word when
// that is wider.
func (t textTable) wrapHeaders() textTable {
	return t.wrapTo(t.headerTargets())
}

// wrapHeadersToFit returns t with as few of its value columns' headers
// wrapped as wrapHeaders wraps them as make it fit width, those that gain
// the most first; ok is false when wrapping them all is not enough.
func (t textTable) wrapHeadersToFit(width int) (out textTable, ok bool) {
	if t.width() <= width {
		return t, true
	}
	targets, natural := t.headerTargets(), t.columnWidths()
	order := make([]int, 0, len(targets))
	for j := 1; j < len(targets); j++ {
		if targets[j] < natural[j] {
			order = append(order, j)
		}
	}
	slices.SortStableFunc(order, func(a, b int) int { return (natural[b] - targets[b]) - (natural[a] - targets[a]) })
	ws := slices.Clone(natural)
	for _, j := range order {
		ws[j] = targets[j]
		if out = t.wrapTo(ws); out.width() <= width {
			return out, true
		}
	}
	return t.wrapTo(ws), false
}

// headerTargets are the widths wrapHeaders wraps t's columns to: the
// label column's own, and for each value column the width of its values,
// or of its header's longest word when that is wider.
func (t textTable) headerTargets() []int {
	ws := t.columnWidths()
	for j := 1; j < len(t.header); j++ {
		values := 0
		for _, r := range t.rows {
			values = max(values, displayWidth(cell(r, j)))
		}
		ws[j] = min(ws[j], max(values, longestWord(t.header[j])))
	}
	return ws
}

// longestWord is the display width of the widest word of s.
func longestWord(s string) int {
	w := 0
	for _, word := range strings.Fields(s) {
		w = max(w, twwidth.Width(word))
	}
	return w
}

// wrapTo returns t with the cells of each column j, header included,
// wrapped to widths[j] display columns.
func (t textTable) wrapTo(widths []int) textTable {
	wrap := func(r []string) []string {
		out := append([]string(nil), r...)
		for j := range out {
			if j < len(widths) && displayWidth(out[j]) > widths[j] {
				out[j] = wrapCell(out[j], widths[j])
			}
		}
		return out
	}
	out := textTable{header: wrap(t.header), labels: t.labels, across: t.across}
	for _, r := range t.rows {
		out.rows = append(out.rows, wrap(r))
	}
	return out
}

// wrapLabels returns t with its label column wrapped so that t fits
// width, when wrapping it to no less than two thirds of its width (and
// minLabelWidth) does: a little wrapping keeps the columns side by side.
func (t textTable) wrapLabels(width int) (textTable, bool) {
	ws := t.columnWidths()
	label := ws[0] - (boxWidth(ws) - width)
	if label < max(minLabelWidth, (2*ws[0]+2)/3) {
		return t, false
	}
	ws[0] = label
	out := t.wrapTo(ws)
	return out, out.width() <= width
}

// squeeze returns t with its cells wrapped so that it is at most width
// wide: the value columns' headers first (wrapHeaders), then the label
// column, and the value columns if that is not enough, the widest first.
// Of the ways to share the width between the labels and the values, it
// takes the one that draws the fewest lines, a value broken within a
// phrase ("1,100 ±" over "1,271") counting as one more, and the widest
// labels on a tie.
// A word too long for its column is broken. t is returned as it is when
// the width leaves less than one column of text per column.
func (t textTable) squeeze(width int) textTable {
	if t.width() <= width || boxWidth(make([]int, len(t.header))) >= width {
		return t
	}
	if out, ok := t.wrapHeadersToFit(width); ok {
		return out
	}
	base := t.headerTargets()
	var best textTable
	fewest := -1
	for label := base[0]; label >= 1; label-- {
		targets := slices.Clone(base)
		targets[0] = label
		out := t.shrinkValues(targets, width)
		if out.width() > width {
			continue
		}
		if n := out.lines() + out.brokenPhrases(t); fewest < 0 || n < fewest {
			best, fewest = out, n
		}
	}
	if fewest < 0 {
		return t
	}
	return best
}

// shrinkValues returns t wrapped to targets, its widest value column
// narrowed one column of text at a time until t fits width or no value
// column can be narrowed further.
func (t textTable) shrinkValues(targets []int, width int) textTable {
	out := t.wrapTo(targets)
	for {
		ws := out.columnWidths()
		if boxWidth(ws) <= width || len(ws) < 2 {
			return out
		}
		widest := 1
		for j := 2; j < len(ws); j++ {
			if ws[j] > ws[widest] {
				widest = j
			}
		}
		if ws[widest] <= 1 {
			return out
		}
		targets[widest] = ws[widest] - 1
		out = t.wrapTo(targets)
	}
}

// brokenPhrases counts the values of t, wrapped from those of orig, that
// are broken within a phrase (text between double spaces) rather than
// only between phrases.
func (t textTable) brokenPhrases(orig textTable) int {
	n := 0
	for i, r := range t.rows {
		for j := 1; j < len(r); j++ {
			o := cell(orig.rows[i], j)
			phrases := len(strings.Split(strings.ReplaceAll(o, "\n", "  "), "  "))
			if strings.Count(r[j], "\n")+1 > phrases {
				n++
			}
		}
	}
	return n
}

// lines is the number of lines of text t is drawn with: its header's and
// its rows', each as many as its tallest cell.
func (t textTable) lines() int {
	tallest := func(r []string) int {
		n := 1
		for _, c := range r {
			n = max(n, strings.Count(c, "\n")+1)
		}
		return n
	}
	n := tallest(t.header)
	for _, r := range t.rows {
		n += tallest(r)
	}
	return n
}

// fit returns the tables t is drawn as to fit width display columns: t
// itself when width is 0 (no limit) or t fits, else as described at the
// top of this file. Every table returned is at most width wide, unless
// width leaves less than one column of text per column.
func fit(t textTable, width int) []textTable {
	if width <= 0 || t.width() <= width {
		return []textTable{t}
	}
	if h, ok := t.wrapHeadersToFit(width); ok {
		return []textTable{h}
	}
	wrapped := t.wrapHeaders()
	if len(t.header) > len(t.rows) && len(t.rows) > 0 && t.labelColumns() == 1 {
		tr := t.transpose()
		if trh, ok := tr.wrapHeadersToFit(width); ok {
			return []textTable{trh}
		}
		if trl, ok := tr.wrapHeaders().wrapLabels(width); ok {
			return []textTable{trl}
		}
	}
	if sq, ok := wrapped.wrapLabels(width); ok {
		return []textTable{sq}
	}
	k := t.labelColumns()
	if len(t.header) <= k {
		return []textTable{t.squeeze(width)}
	}
	// The grouping of the plain table when it needs no more groups than
	// the one with its headers wrapped, so that headers stay on one line
	// where they can.
	groups := splitColumns(t.columnWidths(), k, width)
	if g := splitColumns(wrapped.columnWidths(), k, width); len(g) < len(groups) {
		groups = g
	}
	// Long labels wrapped onto two lines or so, when that keeps more
	// columns side by side: one metric's long name should not leave one
	// strategy to a group.
	base := t
	if k == 1 {
		if narrow, ok := t.narrowLabels(width); ok {
			if g := splitColumns(narrow.wrapHeaders().columnWidths(), k, width); len(g) < len(groups) {
				groups, base = g, narrow
			}
		}
	}
	var out []textTable
	for _, cols := range groups {
		out = append(out, base.columns(cols).squeeze(width))
	}
	return out
}

// narrowLabels returns t with its label column wrapped to a third of
// width (no less than minLabelWidth nor its longest word), and whether
// that made it narrower.
func (t textTable) narrowLabels(width int) (textTable, bool) {
	ws := t.columnWidths()
	target := max(minLabelWidth, width/3)
	for _, r := range t.rows {
		target = max(target, longestWord(cell(r, 0)))
	}
	target = max(target, longestWord(cell(t.header, 0)))
	if target >= ws[0] {
		return t, false
	}
	targets := slices.Clone(ws)
	targets[0] = target
	return t.wrapTo(targets), true
}

// splitColumns groups the value columns (labels to len(ws)-1) of a table
// whose columns are ws wide, the first labels of them its labels, into as
// few consecutive groups as fit width with the labels, as evenly wide as
// they go; a column too wide to fit with the labels is a group of its own.
func splitColumns(ws []int, labels, width int) [][]int {
	n := len(ws) - 1
	label := boxBorder
	for j := range labels {
		label += ws[j] + columnMargin
	}
	size := func(i, j int) int { // width of the group of value columns i to j-1
		s := label
		for k := i; k < j; k++ {
			s += ws[k] + columnMargin
		}
		return s
	}
	// The fewest groups, filling each greedily.
	groups := 0
	for i := labels; i <= n; {
		j := i + 1
		for j <= n && size(i, j+1) <= width {
			j++
		}
		groups++
		i = j
	}
	// The same number of groups, the widest as narrow as can be: best[k][i]
	// is the least widest group of columns i..n in k groups.
	const inf = int(^uint(0) >> 1)
	cost := func(i, j int) int {
		s := size(i, j)
		switch {
		case j == i+1 && s > width:
			return width // alone and too wide: squeezed to fit
		case s > width:
			return inf
		}
		return s
	}
	best := make([][]int, groups+1)
	cut := make([][]int, groups+1)
	for k := range best {
		best[k] = make([]int, n+2)
		cut[k] = make([]int, n+2)
		for i := range best[k] {
			best[k][i] = inf
		}
	}
	best[0][n+1] = 0
	for k := 1; k <= groups; k++ {
		for i := n; i >= labels; i-- {
			for j := i + 1; j <= n+1; j++ {
				c, rest := cost(i, j), best[k-1][j]
				if c == inf || rest == inf {
					continue
				}
				if m := max(c, rest); m <= best[k][i] { // on a tie, the fuller first group
					best[k][i], cut[k][i] = m, j
				}
			}
		}
	}
	var out [][]int
	for k, i := groups, labels; k > 0; k-- {
		j := cut[k][i]
		var cols []int
		for c := i; c < j; c++ {
			cols = append(cols, c)
		}
		out = append(out, cols)
		i = j
	}
	return out
}

// wrapCell wraps the text of a table cell to width display columns: each
// of its lines at a double space first (a value and its verdict), then at
// spaces, a word too long for the width broken.
func wrapCell(s string, width int) string {
	if width < 1 {
		width = 1
	}
	var lines []string
	for line := range strings.SplitSeq(s, "\n") {
		if twwidth.Width(line) <= width {
			lines = append(lines, line)
			continue
		}
		cur := ""
		for phrase := range strings.SplitSeq(line, "  ") {
			phrase = strings.TrimSpace(phrase)
			switch {
			case phrase == "":
				continue
			case cur == "":
			case twwidth.Width(cur)+2+twwidth.Width(phrase) <= width:
				cur += "  " + phrase
				continue
			default:
				lines = append(lines, cur)
			}
			if twwidth.Width(phrase) <= width {
				cur = phrase
				continue
			}
			wrapped := wrapWords(phrase, width, "", "")
			lines = append(lines, wrapped[:len(wrapped)-1]...)
			cur = wrapped[len(wrapped)-1]
		}
		lines = append(lines, cur)
	}
	return strings.Join(lines, "\n")
}

// wrapWords wraps s at spaces into lines of at most width display
// columns, the first starting with first and the others with rest; a word
// too long for a line is broken.
func wrapWords(s string, width int, first, rest string) []string {
	var lines []string
	line, fresh := first, true
	for _, word := range strings.Fields(s) {
		if !fresh && twwidth.Width(line)+1+twwidth.Width(word) > width {
			lines = append(lines, line)
			line, fresh = rest, true
		}
		if !fresh {
			line += " "
		}
		for twwidth.Width(line)+twwidth.Width(word) > width {
			head, tail := splitAtWidth(word, width-twwidth.Width(line))
			if head == "" { // not even one character fits: take one anyway
				_, n := utf8.DecodeRuneInString(word)
				head, tail = word[:n], word[n:]
			}
			lines = append(lines, line+head)
			line, word = rest, tail
		}
		line += word
		fresh = false
	}
	return append(lines, line)
}

// splitAtWidth splits s after as many of its characters as fit width
// display columns, or after the last dot or slash among them (a
// configuration path breaks between its parts), else the last hyphen or
// underscore, when that keeps at least half of them.
func splitAtWidth(s string, width int) (head, tail string) {
	w, cut := 0, len(s)
	for i, r := range s {
		rw := twwidth.Width(string(r))
		if w+rw > width {
			cut = i
			break
		}
		w += rw
	}
	if cut == len(s) {
		return s, ""
	}
	for _, after := range []string{"./", "-_"} {
		if i := strings.LastIndexAny(s[:cut], after); i >= 0 && 2*(i+1) >= cut {
			return s[:i+1], s[i+1:]
		}
	}
	return s[:cut], s[cut:]
}

// WrapLine wraps the line s (without its newline) to width display
// columns and ends it with a newline: the first line begins with first,
// the others with rest; a word too long for a line is broken. A line that
// fits, or any line when width is 0 (no limit), is written as it is.
func WrapLine(s string, width int, first, rest string) string {
	if width <= 0 || twwidth.Width(first+s) <= width {
		return first + s + "\n"
	}
	return strings.Join(wrapWords(s, width, first, rest), "\n") + "\n"
}

// WrapText wraps s at spaces to width display columns (as sim/text.Wrap
// does, counting display columns), the first line beginning with first
// and the others with rest, each ending with a newline; a word too long
// for a line is broken.
func WrapText(s string, width int, first, rest string) string {
	return strings.Join(wrapWords(s, width, first, rest), "\n") + "\n"
}
