// Package sweep keeps the results of a batch experiment in a folder: a
// journal that each finished run is appended to at once, so that an
// interrupted sweep keeps every finished run and resumes where it stopped;
// the sorted tables written when the sweep is complete; merging the
// folders of a sweep's shards; and the analysis of a complete folder.
package sweep

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/results/output"
	"gopkg.in/yaml.v3"
)

// File names in a sweep folder.
const (
	ManifestFile   = "manifest.json"
	ExperimentFile = "experiment.yaml"
	ScenarioFile   = "scenario.yaml"
	RunsFile       = "runs.csv"
	RunsParquet    = "runs.parquet"
)

// Manifest describes a sweep folder: what experiment it holds, which part
// of it (a shard), and whether every run is in.
type Manifest struct {
	Version          string      `json:"journeysim_version"`
	Experiment       string      `json:"experiment"`
	ExperimentSHA256 string      `json:"experiment_sha256"`
	ScenarioOrigin   string      `json:"scenario_origin"`
	ScenarioSHA256   string      `json:"scenario_sha256"`
	Seed             string      `json:"seed"`
	Points           int         `json:"points"`
	Replications     int         `json:"replications"`
	Strategies       []string    `json:"strategies"`
	Params           []ParamInfo `json:"params"`
	Outcomes         []Outcome   `json:"outcomes"`
	// Shard is this folder's part of the experiment's runs: Index of
	// Count (0 of 1 for the whole). Merged folders hold every shard.
	Shard Shard `json:"shard"`
	// Shards lists the shards merged into this folder, if any.
	Shards []int `json:"merged_shards,omitempty"`
	// Units is the number of (point, replication) runs this folder is to
	// hold, Done how many it holds.
	Units    int    `json:"units"`
	Done     int    `json:"done"`
	Complete bool   `json:"complete"`
	Command  string `json:"command,omitempty"`
}

// ParamInfo is a varied parameter: its path, and whether its values are
// numbers.
type ParamInfo struct {
	Path    string `json:"path"`
	Numeric bool   `json:"numeric"`
}

// Outcome is a recorded metric and which way it improves (1 higher, -1
// lower, 0 neither).
type Outcome struct {
	Key    string `json:"key"`
	Better int    `json:"better"`
}

// Shard is one of Count deterministic slices of a sweep's runs.
type Shard struct {
	Index int `json:"index"`
	Count int `json:"count"`
}

// Has reports whether the unit with canonical index u belongs to the shard.
func (s Shard) Has(u int) bool { return s.Count <= 1 || u%s.Count == s.Index }

// String is I/N.
func (s Shard) String() string { return fmt.Sprintf("%d/%d", s.Index, s.Count) }

// Columns are the runs table's columns for m: identity, parameters,
// outcomes.
func (m *Manifest) Columns() []output.Column {
	cols := []output.Column{{Name: "experiment", Type: output.String}, {Name: "run", Type: output.Int},
		{Name: "point", Type: output.Int}, {Name: "replication", Type: output.Int},
		{Name: "strategy", Type: output.String}, {Name: "seed", Type: output.String}}
	for _, p := range m.Params {
		t := output.String
		if p.Numeric {
			t = output.Float
		}
		cols = append(cols, output.Column{Name: p.Path, Type: t})
	}
	for _, o := range m.Outcomes {
		cols = append(cols, output.Column{Name: o.Key, Type: output.Float})
	}
	return cols
}

// header is the CSV header line of the runs table.
func (m *Manifest) header() string {
	var names []string
	for _, c := range m.Columns() {
		names = append(names, c.Name)
	}
	return csvLine(names)
}

// Row is one strategy's outcomes in one run of a point.
type Row struct {
	Point, Replication int
	Strategy           int // index into Manifest.Strategies
	Seed               uint64
	Params             []string // formatted values, in Manifest.Params order
	Outcomes           []float64
}

// Cells formats the row as the runs table holds it.
func (m *Manifest) Cells(r Row) []string {
	unit := r.Point*m.Replications + r.Replication
	cells := []string{m.Experiment, strconv.Itoa(unit*len(m.Strategies) + r.Strategy), strconv.Itoa(r.Point),
		strconv.Itoa(r.Replication), m.Strategies[r.Strategy], strconv.FormatUint(r.Seed, 10)}
	cells = append(cells, r.Params...)
	for _, v := range r.Outcomes {
		if v != v {
			cells = append(cells, "")
			continue
		}
		cells = append(cells, strconv.FormatFloat(v, 'g', -1, 64))
	}
	return cells
}

func csvLine(cells []string) string {
	var b bytes.Buffer
	w := csvWriter(&b)
	w.Write(cells)
	w.Flush()
	return b.String()
}

// Journal is a sweep folder's runs table, open for appending.
type Journal struct {
	dir  string
	m    *Manifest
	f    *os.File
	done map[int]int // unit → rows seen
	// failed is set once an append failed: the file may end in part of a
	// run, which a resume drops, and nothing more is appended.
	failed error
}

// Create makes dir a new sweep folder for m, with the experiment's and
// scenario's text. dir must not exist or be empty.
func Create(dir string, m *Manifest, experiment, scenario []byte) (*Journal, error) {
	if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
		return nil, fmt.Errorf("%s is not empty: give a new folder, or --resume to finish the sweep in it", dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, fmt.Errorf("create %s: %w", dir, err)
	}
	for name, data := range map[string][]byte{ExperimentFile: experiment, ScenarioFile: scenario} {
		if err := writeAtomic(filepath.Join(dir, name), data); err != nil {
			return nil, err
		}
	}
	// The runs table first: a folder with a manifest can always resume.
	if err := writeAtomic(filepath.Join(dir, RunsFile), []byte(m.header())); err != nil {
		return nil, err
	}
	if err := WriteManifest(dir, m); err != nil {
		return nil, err
	}
	return open(dir, m)
}

// Resume opens the sweep folder dir to finish it: its manifest must be
// m's experiment and shard. Rows of a run cut off mid-write are dropped.
func Resume(dir string, m *Manifest) (*Journal, error) {
	old, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if old.ExperimentSHA256 != m.ExperimentSHA256 || old.ScenarioSHA256 != m.ScenarioSHA256 {
		return nil, fmt.Errorf("%s holds another experiment (%s, experiment SHA-256 %.12s…); resume it with the experiment file it was started with", dir, old.Experiment, old.ExperimentSHA256)
	}
	if old.Shard != m.Shard {
		return nil, fmt.Errorf("%s holds shard %s; this is shard %s", dir, old.Shard, m.Shard)
	}
	if old.Version != m.Version {
		return nil, fmt.Errorf("%s was started by journeysim %s; this is %s, whose runs may differ: finish it with that version, or start a new folder", dir, old.Version, m.Version)
	}
	return open(dir, m)
}

func open(dir string, m *Manifest) (*Journal, error) {
	path := filepath.Join(dir, RunsFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", path, err)
	}
	header := m.header()
	if !strings.HasPrefix(string(data), header) {
		return nil, fmt.Errorf("%s: its header is not this experiment's", path)
	}
	j := &Journal{dir: dir, m: m, done: map[int]int{}}
	// Keep whole records of whole runs; a run is written in one piece, so
	// only the last can be cut short. A record may span lines (a quoted
	// cell with a newline), so the CSV reader finds where each ends.
	rest := data[len(header):]
	r := csv.NewReader(bytes.NewReader(rest))
	r.FieldsPerRecord = -1
	type unitRows struct{ start, rows int }
	units := map[int]*unitRows{}
	var order []int
	end := 0 // of the last whole record, in rest
	for {
		start := end
		cells, err := r.Read()
		if err != nil || len(cells) != len(m.Columns()) {
			break
		}
		off := int(r.InputOffset())
		if off == 0 || rest[off-1] != '\n' {
			break // the last record, cut off before its newline
		}
		point, err1 := strconv.Atoi(cells[2])
		rep, err2 := strconv.Atoi(cells[3])
		if err1 != nil || err2 != nil || point < 0 || point >= m.Points || rep < 0 || rep >= m.Replications {
			break
		}
		u := point*m.Replications + rep
		if units[u] == nil {
			units[u] = &unitRows{start: start}
			order = append(order, u)
		}
		units[u].rows++
		end = off
	}
	// Whole runs up to the first that is not whole are kept.
	keep := end
	for _, u := range order {
		if units[u].rows != len(m.Strategies) {
			keep = units[u].start
			break
		}
	}
	for _, u := range order {
		if units[u].start < keep && units[u].rows == len(m.Strategies) {
			j.done[u] = units[u].rows
		}
	}
	end = len(header) + keep
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, fmt.Errorf("open %s: %w", path, err)
	}
	if err := f.Truncate(int64(end)); err != nil {
		f.Close()
		return nil, fmt.Errorf("truncate %s: %w", path, err)
	}
	if _, err := f.Seek(int64(end), io.SeekStart); err != nil {
		f.Close()
		return nil, err
	}
	j.f = f
	return j, nil
}

// Done reports whether the unit with canonical index u is in the journal.
func (j *Journal) Done(u int) bool { return j.done[u] > 0 }

// Count is the number of units in the journal.
func (j *Journal) Count() int { return len(j.done) }

// Append writes one unit's rows, one per strategy, in one piece, and
// syncs them to disk.
func (j *Journal) Append(rows []Row) error {
	if j.failed != nil {
		return j.failed
	}
	var b bytes.Buffer
	w := csvWriter(&b)
	for _, r := range rows {
		w.Write(j.m.Cells(r))
	}
	w.Flush()
	if _, err := j.f.Write(b.Bytes()); err != nil {
		j.failed = fmt.Errorf("append to %s: %w", filepath.Join(j.dir, RunsFile), err)
		return j.failed
	}
	if err := j.f.Sync(); err != nil {
		j.failed = fmt.Errorf("sync %s: %w", filepath.Join(j.dir, RunsFile), err)
		return j.failed
	}
	if len(rows) > 0 {
		j.done[rows[0].Point*j.m.Replications+rows[0].Replication] = len(rows)
	}
	return nil
}

// Close closes the journal. If every unit is in, it writes the runs table
// sorted by run (CSV and Parquet) and marks the manifest complete.
func (j *Journal) Close() error {
	if err := j.f.Close(); err != nil {
		return err
	}
	j.m.Done = len(j.done)
	if j.m.Done < j.m.Units {
		return WriteManifest(j.dir, j.m)
	}
	t, err := ReadRuns(j.dir, j.m)
	if err != nil {
		return err
	}
	if err := WriteRuns(j.dir, t); err != nil {
		return err
	}
	j.m.Complete = true
	return WriteManifest(j.dir, j.m)
}

// ReadRuns reads the runs table of folder dir, sorted by run.
func ReadRuns(dir string, m *Manifest) (*output.Table, error) {
	f, err := os.Open(filepath.Join(dir, RunsFile))
	if err != nil {
		return nil, err
	}
	defer f.Close()
	like := &output.Table{Name: "runs", Columns: m.Columns()}
	t, err := output.ReadCSV(bufio.NewReader(f), like)
	if err != nil {
		return nil, fmt.Errorf("read %s: %w", filepath.Join(dir, RunsFile), err)
	}
	sortRuns(t)
	return t, nil
}

func sortRuns(t *output.Table) {
	run := t.Column("run")
	slices.SortStableFunc(t.Rows, func(a, b []string) int {
		x, _ := strconv.Atoi(a[run])
		y, _ := strconv.Atoi(b[run])
		return x - y
	})
}

// WriteRuns replaces the runs table of dir with t, as CSV and Parquet,
// each file written aside and renamed into place.
func WriteRuns(dir string, t *output.Table) error {
	var csvData, pq bytes.Buffer
	if err := t.WriteCSV(&csvData); err != nil {
		return err
	}
	if err := t.WriteParquet(&pq); err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(dir, RunsParquet), pq.Bytes()); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, RunsFile), csvData.Bytes())
}

// WriteManifest writes m into dir.
func WriteManifest(dir string, m *Manifest) error {
	data, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, ManifestFile), append(data, '\n'))
}

// ReadManifest reads dir's manifest.
func ReadManifest(dir string) (*Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, ManifestFile))
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, fmt.Errorf("%s is not a sweep folder: it has no %s", dir, ManifestFile)
		}
		return nil, err
	}
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	if m.Experiment == "" {
		// Every sweep names its experiment; a run's manifest names the
		// tool that wrote it.
		var run struct {
			Tool string `json:"tool"`
		}
		if json.Unmarshal(data, &run) == nil && run.Tool != "" {
			return nil, fmt.Errorf("%s is a run's result folder (journeysim run --out), not a sweep folder", dir)
		}
		return nil, fmt.Errorf("%s is not a sweep folder: its %s names no experiment", dir, ManifestFile)
	}
	return &m, nil
}

// writeAtomic writes data to path through a file beside it, renamed into
// place.
func writeAtomic(path string, data []byte) error { return output.WriteFileAtomic(path, data) }

// DefaultCurrency is the currency of a scenario that names none.
const DefaultCurrency = "EUR"

// ScenarioCurrency reads the currency of the scenario the sweep in dir
// recorded (ScenarioFile: run.currency, DefaultCurrency when it names
// none), for the amounts an analysis, its charts and its report show; ""
// when the file cannot be read. Only this one key of the scenario format
// is read: whatever else it says is the scenarios package's to know.
func ScenarioCurrency(dir string) string {
	data, err := os.ReadFile(filepath.Join(dir, ScenarioFile))
	if err != nil {
		return ""
	}
	var sc struct {
		Run struct {
			Currency string `yaml:"currency"`
		} `yaml:"run"`
	}
	if err := yaml.Unmarshal(data, &sc); err != nil {
		return ""
	}
	if sc.Run.Currency == "" {
		return DefaultCurrency
	}
	return sc.Run.Currency
}
