package output

import "io"

// RenderTable writes rows under header in the style of every table this
// package prints: a box-drawn table, the first column aligned left and
// the others right. Each row must have one cell per header column.
func RenderTable(w io.Writer, header []string, rows [][]string) error {
	return render(w, header, rows)
}
