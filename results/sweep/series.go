package sweep

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strconv"

	"github.com/journeysim/journeysim/results/output"
)

// File names of a sweep folder's series table, which a sweep whose
// experiment names series writes: one row per run, tick and series.
const (
	SeriesFile    = "series.csv"
	SeriesParquet = "series.parquet"
)

// seriesColumns are the series table's columns: the run of the runs table
// the row belongs to, its point, replication and strategy, the tick, the
// series' name (metric) and unit (the currency for money, as in the runs table's
// manifest), and its value.
var seriesColumns = []output.Column{{Name: "run", Type: output.Int}, {Name: "point", Type: output.Int},
	{Name: "replication", Type: output.Int}, {Name: "strategy", Type: output.String}, {Name: "tick", Type: output.Int},
	{Name: "metric", Type: output.String}, {Name: "unit", Type: output.String}, {Name: "value", Type: output.Float}}

// seriesHeader is the CSV header line of the series table.
func seriesHeader() string {
	names := make([]string, len(seriesColumns))
	for k, c := range seriesColumns {
		names[k] = c.Name
	}
	return csvLine(names)
}

// csvCell is s as a cell of a CSV line, quoted if need be.
func csvCell(s string) string {
	line := csvLine([]string{s})
	return line[:len(line)-1]
}

// seriesWriter formats a unit's series rows as the series journal holds
// them, reusing its buffer and the quoted names of strategies and series,
// so that a run's ticks are written without allocating.
type seriesWriter struct {
	m          *Manifest
	strategies []string // quoted
	names      []string // each series' ",name,unit," part
	buf        []byte
}

func newSeriesWriter(m *Manifest) *seriesWriter {
	w := &seriesWriter{m: m}
	for _, s := range m.Strategies {
		w.strategies = append(w.strategies, csvCell(s))
	}
	currency := m.Currency
	if currency == "" {
		currency = DefaultCurrency
	}
	for _, s := range m.Series {
		w.names = append(w.names, ","+csvCell(s)+","+csvCell(seriesUnit(s, currency))+",")
	}
	return w
}

// format returns the series rows of rows, one unit's, in order: by
// strategy, then tick, then series. The bytes are w's, valid until the
// next call.
func (w *seriesWriter) format(rows []Row) []byte {
	b := w.buf[:0]
	n := len(w.m.Series)
	for _, r := range rows {
		if n == 0 || len(r.Series) == 0 {
			continue
		}
		run := (r.Point*w.m.Replications+r.Replication)*len(w.m.Strategies) + r.Strategy
		ticks := len(r.Series) / n
		for t := range ticks {
			for s := range n {
				b = strconv.AppendInt(b, int64(run), 10)
				b = append(b, ',')
				b = strconv.AppendInt(b, int64(r.Point), 10)
				b = append(b, ',')
				b = strconv.AppendInt(b, int64(r.Replication), 10)
				b = append(b, ',')
				b = append(b, w.strategies[r.Strategy]...)
				b = append(b, ',')
				b = strconv.AppendInt(b, int64(t), 10)
				b = append(b, w.names[s]...)
				if v := r.Series[s*ticks+t]; v == v {
					b = strconv.AppendFloat(b, v, 'g', -1, 64)
				}
				b = append(b, '\n')
			}
		}
	}
	w.buf = b
	return b
}

// openSeries opens the series journal of dir for appending, keeping the
// series of the units done holds, which the runs journal holds whole. A
// unit's series are written, and synced, before its runs, so the journal
// holds those units first, in the runs journal's order, and then at most
// the series, whole or cut short, of one unit the runs journal lacks,
// which is dropped. It is an error for the journal to lack a unit done
// holds.
func openSeries(dir string, m *Manifest, done map[int]int) (*os.File, error) {
	path := filepath.Join(dir, SeriesFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	header := seriesHeader()
	if !bytes.HasPrefix(data, []byte(header)) {
		return nil, fmt.Errorf("%s: its header is not a series table's", path)
	}
	rest := data[len(header):]
	r := csv.NewReader(bytes.NewReader(rest))
	r.FieldsPerRecord = -1
	r.ReuseRecord = true
	kept := map[int]bool{}
	keep := 0 // the end of the last record of a unit done holds
	last := -1
	for {
		cells, err := r.Read()
		if err == io.EOF {
			break
		}
		off := int(r.InputOffset())
		if err != nil || off == 0 || rest[off-1] != '\n' || len(cells) != len(seriesColumns) {
			break // cut short: the unit's runs are not in
		}
		point, err1 := strconv.Atoi(cells[1])
		rep, err2 := strconv.Atoi(cells[2])
		u := point*m.Replications + rep
		if err1 != nil || err2 != nil || done[u] == 0 || u != last && kept[u] {
			break // not a unit done holds, or one kept already
		}
		kept[u], last = true, u
		keep = off
	}
	for u := range done {
		if !kept[u] {
			p, rep := u/m.Replications, u%m.Replications
			return nil, fmt.Errorf("%s lacks the series of point %d, replication %d, whose runs %s holds: the folder's journals disagree; start the sweep again in a new folder",
				path, p, rep, RunsFile)
		}
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, writeFailure("open", path, err)
	}
	end := int64(len(header) + keep)
	if err := f.Truncate(end); err != nil {
		f.Close()
		return nil, writeFailure("truncate", path, err)
	}
	if _, err := f.Seek(end, io.SeekStart); err != nil {
		f.Close()
		return nil, writeFailure("open", path, err)
	}
	return f, nil
}

// ReadSeries reads the series table of folder dir, sorted by run; within
// a run, rows keep their order (by tick, then series).
func ReadSeries(dir string) (*output.Table, error) {
	f, err := os.Open(filepath.Join(dir, SeriesFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	t, err := output.ReadCSV(bufio.NewReader(f), &output.Table{Name: "series", Columns: seriesColumns})
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(dir, SeriesFile), err)
	}
	sortRuns(t)
	return t, nil
}

// WriteSeries replaces the series table of dir with t, as CSV and Parquet
// (with t's Metadata), each file written aside and renamed into place.
func WriteSeries(dir string, t *output.Table) error {
	return writeTable(dir, t, SeriesFile, SeriesParquet)
}

// appendSeries writes the series of one unit's rows to the series
// journal, in one piece, and syncs them, before the rows go to the runs
// journal; it does nothing when the manifest names no series.
func (j *Journal) appendSeries(rows []Row) error {
	if j.series == nil {
		return nil
	}
	path := filepath.Join(j.dir, SeriesFile)
	if _, err := j.series.Write(j.sw.format(rows)); err != nil {
		j.failed = writeFailure("write", path, err)
		return j.failed
	}
	if err := j.series.Sync(); err != nil {
		j.failed = writeFailure("sync", path, err)
		return j.failed
	}
	return nil
}

// closeSeries closes the series journal, if open.
func (j *Journal) closeSeries() error {
	if j.series == nil {
		return nil
	}
	err := j.series.Close()
	j.series = nil
	if err != nil {
		return writeFailure("close", filepath.Join(j.dir, SeriesFile), err)
	}
	return nil
}
