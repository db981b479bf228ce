package output

import (
	"encoding/csv"
	"fmt"
	"io"
	"strconv"
)

// ColumnType is the type of a data table's column.
type ColumnType int

// Column types. Values are kept as text, formatted as CSV shows them; an
// empty cell in an Int or Float column is a missing value (null in Parquet).
const (
	String ColumnType = iota
	Int
	Float
)

// Column is one column of a data table.
type Column struct {
	Name string
	Type ColumnType
}

// Table is a tidy data table, as written to CSV and Parquet: one row per
// observation, one column per variable, units in the column names.
type Table struct {
	// Name is the file name without extension ("summary").
	Name    string
	Columns []Column
	Rows    [][]string
	// Metadata is what the table says about itself beyond its rows, such
	// as where it came from: WriteParquet writes it as the file's
	// key-value metadata, and ReadParquet reads it back. CSV has no
	// place for it. Nil for none.
	Metadata map[string]string
}

// Add appends a row; it must have one cell per column.
func (t *Table) Add(cells ...string) {
	if len(cells) != len(t.Columns) {
		panic(fmt.Sprintf("table %s: row of %d cells for %d columns", t.Name, len(cells), len(t.Columns)))
	}
	t.Rows = append(t.Rows, cells)
}

// WriteCSV writes the table as CSV with a header row.
func (t *Table) WriteCSV(w io.Writer) error {
	cw := csv.NewWriter(w)
	header := make([]string, len(t.Columns))
	for k, c := range t.Columns {
		header[k] = c.Name
	}
	cw.Write(header)
	for _, r := range t.Rows {
		cw.Write(r)
	}
	cw.Flush()
	return cw.Error()
}

// ReadCSV reads a table written by WriteCSV; columns are typed as in
// like, whose column names must match the header.
func ReadCSV(r io.Reader, like *Table) (*Table, error) {
	rows, err := csv.NewReader(r).ReadAll()
	if err != nil {
		return nil, fmt.Errorf("read %s.csv: %w", like.Name, err)
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("read %s.csv: no header", like.Name)
	}
	t := &Table{Name: like.Name}
	for k, name := range rows[0] {
		typ := String
		if k < len(like.Columns) && like.Columns[k].Name == name {
			typ = like.Columns[k].Type
		}
		t.Columns = append(t.Columns, Column{name, typ})
	}
	t.Rows = rows[1:]
	return t, nil
}

// Column returns the index of the column called name, or -1.
func (t *Table) Column(name string) int {
	for k, c := range t.Columns {
		if c.Name == name {
			return k
		}
	}
	return -1
}

// fmtInt formats an integer cell.
func fmtInt(v int64) string { return strconv.FormatInt(v, 10) }
