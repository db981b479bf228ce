package output

import "io"

// RenderTable writes rows under header in the style of every table this
// package prints: a box-drawn table, the first column aligned left and
// the others right. Each row must have one cell per header column.
func RenderTable(w io.Writer, header []string, rows [][]string) error {
	return render(w, header, rows, 0)
}

// RenderTableWidth writes rows under header as RenderTable does, fitted
// to width display columns (0: no limit): a table too wide is transposed,
// or split into groups of columns that each fit, each repeating the first
// column, a blank line between two; a cell's text is wrapped within the
// cell only when one column and the first are too wide together.
func RenderTableWidth(w io.Writer, header []string, rows [][]string, width int) error {
	return render(w, header, rows, width)
}

// RenderTableLabelled is RenderTableWidth for a table whose first labels
// columns together label its rows (a strategy, a rank and a point, say):
// each group of columns repeats them all, and the table is not transposed.
func RenderTableLabelled(w io.Writer, header []string, rows [][]string, width, labels int) error {
	return renderLabelled(w, header, rows, width, labels)
}
