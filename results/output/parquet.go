package output

import (
	"errors"
	"fmt"
	"io"
	"maps"
	"slices"
	"strconv"

	"github.com/parquet-go/parquet-go"
	"github.com/parquet-go/parquet-go/format"
)

// parquetCreatedBy is the fixed created_by string of files written by
// WriteParquet, so that the output does not depend on build information.
const parquetCreatedBy = "github.com/journeysim/journeysim/results"

// parquetBatch is the number of rows written or read at a time.
const parquetBatch = 1024

// orderedGroup is a parquet group whose fields keep the order of the table's
// columns; parquet.Group alone sorts its fields by name.
type orderedGroup struct {
	parquet.Group
	index map[string]int
}

// Fields returns the fields of g in column order.
func (g orderedGroup) Fields() []parquet.Field {
	fields := g.Group.Fields()
	slices.SortFunc(fields, func(a, b parquet.Field) int {
		return g.index[a.Name()] - g.index[b.Name()]
	})
	return fields
}

// parquetSchema returns the Parquet schema of t: one optional leaf column
// per table column, in order.
func (t *Table) parquetSchema() (*parquet.Schema, error) {
	if len(t.Columns) == 0 {
		return nil, errors.New("no columns")
	}
	g := orderedGroup{Group: parquet.Group{}, index: make(map[string]int, len(t.Columns))}
	for k, c := range t.Columns {
		if _, dup := g.Group[c.Name]; dup {
			return nil, fmt.Errorf("duplicate column %q", c.Name)
		}
		var n parquet.Node
		switch c.Type {
		case String:
			n = parquet.String()
		case Int:
			n = parquet.Leaf(parquet.Int64Type)
		case Float:
			n = parquet.Leaf(parquet.DoubleType)
		default:
			return nil, fmt.Errorf("column %q: unknown type %d", c.Name, c.Type)
		}
		g.Group[c.Name] = parquet.Optional(n)
		g.index[c.Name] = k
	}
	return parquet.NewSchema(t.Name, g), nil
}

// parquetValue converts a cell of a column of type typ into a Parquet value of
// column k; an empty Int or Float cell is null.
func parquetValue(typ ColumnType, cell string, k int) (parquet.Value, error) {
	if cell == "" && typ != String {
		return parquet.NullValue().Level(0, 0, k), nil
	}
	var v parquet.Value
	switch typ {
	case String:
		v = parquet.ByteArrayValue([]byte(cell))
	case Int:
		x, err := strconv.ParseInt(cell, 10, 64)
		if err != nil {
			return v, err
		}
		v = parquet.Int64Value(x)
	case Float:
		x, err := strconv.ParseFloat(cell, 64)
		if err != nil {
			return v, err
		}
		v = parquet.DoubleValue(x)
	}
	return v.Level(0, 1, k), nil
}

// WriteParquet writes the table as a Parquet file with one optional column
// per table column, in order: String columns as UTF-8 strings, Int columns
// as INT64 and Float columns as DOUBLE. An empty Int or Float cell is
// written as null; String cells are never null. The table's Metadata
// becomes the file's key-value metadata, sorted by key. The file is
// zstd-compressed and its bytes depend only on the table. It is an error
// for a cell not to parse as its column's type, for a row not to have one
// cell per column, for the table to have no columns or two columns of the
// same name, or for a metadata key to be empty.
func (t *Table) WriteParquet(w io.Writer) error {
	schema, err := t.parquetSchema()
	if err != nil {
		return fmt.Errorf("write %s.parquet: %w", t.Name, err)
	}
	opts := []parquet.WriterOption{
		schema,
		parquet.CreatedBy(parquetCreatedBy, "", ""),
		parquet.Compression(&parquet.Zstd),
	}
	for _, key := range slices.Sorted(maps.Keys(t.Metadata)) {
		if key == "" {
			return fmt.Errorf("write %s.parquet: metadata with an empty key (value %q): every key must name what it holds", t.Name, t.Metadata[key])
		}
		opts = append(opts, parquet.KeyValueMetadata(key, t.Metadata[key]))
	}
	pw := parquet.NewWriter(w, opts...)
	batch := make([]parquet.Row, 0, parquetBatch)
	for i, r := range t.Rows {
		if len(r) != len(t.Columns) {
			return fmt.Errorf("write %s.parquet: row %d: %d cells for %d columns", t.Name, i, len(r), len(t.Columns))
		}
		row := make(parquet.Row, len(r))
		for k, cell := range r {
			v, err := parquetValue(t.Columns[k].Type, cell, k)
			if err != nil {
				return fmt.Errorf("write %s.parquet: column %s, row %d: %w", t.Name, t.Columns[k].Name, i, err)
			}
			row[k] = v
		}
		if batch = append(batch, row); len(batch) == cap(batch) {
			if _, err := pw.WriteRows(batch); err != nil {
				return fmt.Errorf("write %s.parquet: %w", t.Name, err)
			}
			batch = batch[:0]
		}
	}
	if _, err := pw.WriteRows(batch); err != nil {
		return fmt.Errorf("write %s.parquet: %w", t.Name, err)
	}
	if err := pw.Close(); err != nil {
		return fmt.Errorf("write %s.parquet: %w", t.Name, err)
	}
	return nil
}

// parquetColumn returns the table column for a leaf field of a Parquet
// schema, which must be of a type WriteParquet writes.
func parquetColumn(f parquet.Field) (Column, error) {
	if !f.Leaf() || f.Repeated() {
		return Column{}, fmt.Errorf("column %q: not a flat column", f.Name())
	}
	typ := f.Type()
	lt := typ.LogicalType()
	switch typ.Kind() {
	case parquet.ByteArray:
		if lt != nil {
			if _, ok := lt.Value.(*format.StringType); ok {
				return Column{f.Name(), String}, nil
			}
		}
	case parquet.Int64:
		if lt == nil || lt.Value == nil {
			return Column{f.Name(), Int}, nil
		}
		if it, ok := lt.Value.(*format.IntType); ok && it.IsSigned {
			return Column{f.Name(), Int}, nil
		}
	case parquet.Double:
		return Column{f.Name(), Float}, nil
	}
	return Column{}, fmt.Errorf("column %q: unsupported type %s", f.Name(), typ)
}

// cellOf formats a Parquet value of a column of type typ as a cell; null is
// the empty cell.
func cellOf(typ ColumnType, v parquet.Value) string {
	switch {
	case v.IsNull():
		return ""
	case typ == Int:
		return strconv.FormatInt(v.Int64(), 10)
	case typ == Float:
		return strconv.FormatFloat(v.Double(), 'f', -1, 64)
	default:
		return string(v.ByteArray())
	}
}

// ReadParquet reads a table called name from a Parquet file of size bytes
// written by WriteParquet. Column names and types come from the file's
// schema, Metadata from its key-value metadata (nil if it has none), and
// cells are formatted as WriteParquet expects them, null being the empty
// cell, so that reading back a written table gives an equal table. Rows is
// nil if the file has no rows.
func ReadParquet(r io.ReaderAt, size int64, name string) (t *Table, err error) {
	defer func() {
		// parquet-go may panic on corrupt input; report it as an error.
		if p := recover(); p != nil {
			t, err = nil, fmt.Errorf("read %s.parquet: %v", name, p)
		}
	}()
	f, err := parquet.OpenFile(r, size)
	if err != nil {
		return nil, fmt.Errorf("read %s.parquet: %w", name, err)
	}
	t = &Table{Name: name}
	for _, kv := range f.Metadata().KeyValueMetadata {
		if t.Metadata == nil {
			t.Metadata = map[string]string{}
		}
		t.Metadata[kv.Key] = kv.Value
	}
	for _, field := range f.Schema().Fields() {
		c, err := parquetColumn(field)
		if err != nil {
			return nil, fmt.Errorf("read %s.parquet: %w", name, err)
		}
		t.Columns = append(t.Columns, c)
	}
	if n := f.NumRows(); n > 0 {
		t.Rows = make([][]string, 0, n)
	}
	batch := make([]parquet.Row, parquetBatch)
	for _, rg := range f.RowGroups() {
		if err := t.readRowGroup(rg, batch); err != nil {
			return nil, fmt.Errorf("read %s.parquet: %w", name, err)
		}
	}
	return t, nil
}

// readRowGroup appends the rows of rg to t, using batch as buffer.
func (t *Table) readRowGroup(rg parquet.RowGroup, batch []parquet.Row) error {
	rows := rg.Rows()
	defer rows.Close()
	for {
		n, err := rows.ReadRows(batch)
		for _, row := range batch[:n] {
			if len(row) != len(t.Columns) {
				return fmt.Errorf("row %d: %d values for %d columns", len(t.Rows), len(row), len(t.Columns))
			}
			cells := make([]string, len(row))
			for _, v := range row {
				k := v.Column()
				if k < 0 || k >= len(cells) {
					return fmt.Errorf("row %d: value of column %d", len(t.Rows), k)
				}
				cells[k] = cellOf(t.Columns[k].Type, v)
			}
			t.Rows = append(t.Rows, cells)
		}
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
