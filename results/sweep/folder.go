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
	"io/fs"
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
	// Design is how the experiment laid out its points; absent in
	// folders of earlier versions.
	Design *DesignInfo `json:"design,omitempty"`
	// CommonRandomNumbers reports whether replication r of every point
	// shares its seed; nil in folders of earlier versions, where the
	// runs table's seeds tell.
	CommonRandomNumbers *bool `json:"common_random_numbers,omitempty"`
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

// ParamInfo is a varied parameter: its path, whether its values are
// numbers, and, for a range, its bounds.
type ParamInfo struct {
	Path    string `json:"path"`
	Numeric bool   `json:"numeric"`
	// Min and Max bound a range; nil for a list of values.
	Min *float64 `json:"min,omitempty"`
	Max *float64 `json:"max,omitempty"`
	// Integer reports a range of whole numbers.
	Integer bool `json:"integer,omitempty"`
	// Values lists a list's values, as the runs table holds them.
	Values []string `json:"values,omitempty"`
}

// DesignInfo is an experiment's design: its kind (grid, random, lhs,
// sobol or morris) and size.
type DesignInfo struct {
	Kind string `json:"kind"`
	// Points is a random or lhs design's number of points, and a sobol
	// design's number of base points.
	Points int `json:"points,omitempty"`
	// Trajectories and Levels size a morris design.
	Trajectories int `json:"trajectories,omitempty"`
	Levels       int `json:"levels,omitempty"`
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
// scenario's text, and opens its journal. dir must not exist or be empty.
//
// The manifest is written first, before any other file, so that a folder
// Create made holds a manifest whatever fails after it, and Resume can
// finish it; if the manifest itself cannot be written, the folder Create
// made is removed again. A file that cannot be written is a *WriteError;
// any other error says why dir cannot be used.
func Create(dir string, m *Manifest, experiment, scenario []byte) (*Journal, error) {
	list, err := entries(dir)
	if err != nil {
		return nil, err
	}
	if len(list) > 0 {
		switch {
		case slices.ContainsFunc(list, func(e fs.DirEntry) bool { return e.Name() == ManifestFile }):
			return nil, fmt.Errorf("%s holds a sweep already: add --resume to finish it, or give a new folder", dir)
		case onlySweepFiles(list) == "":
			return nil, fmt.Errorf("%s holds the start of a sweep that wrote no manifest: add --resume to finish it, or give a new folder", dir)
		}
		return nil, fmt.Errorf("%s is not empty and holds no sweep: give a new or empty folder", dir)
	}
	return start(dir, m, experiment, scenario)
}

// start makes the empty or missing folder dir a sweep folder for m: the
// manifest first, then the rest.
func start(dir string, m *Manifest, experiment, scenario []byte) (*Journal, error) {
	_, statErr := os.Stat(dir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return nil, writeFailure("create", dir, err)
	}
	if err := WriteManifest(dir, m); err != nil {
		if errors.Is(statErr, fs.ErrNotExist) {
			os.Remove(dir) // made here, and empty: a folder without a manifest is not left behind
		}
		return nil, err
	}
	return finish(dir, m, experiment, scenario)
}

// finish writes the files of the sweep folder dir that are missing (a
// failure after the manifest can leave some unwritten), removes what a
// crash left half-written, and opens the journal.
func finish(dir string, m *Manifest, experiment, scenario []byte) (*Journal, error) {
	list, err := entries(dir)
	if err != nil {
		return nil, err
	}
	tidy(dir, list)
	for _, f := range []struct {
		name string
		data []byte
	}{{ExperimentFile, experiment}, {ScenarioFile, scenario}, {RunsFile, []byte(m.header())}} {
		path := filepath.Join(dir, f.name)
		if _, err := os.Lstat(path); err == nil {
			continue
		}
		if err := writeAtomic(path, f.data); err != nil {
			return nil, err
		}
	}
	return open(dir, m)
}

// onlySweepFiles returns "" if list holds nothing but files that a sweep
// writes before its first run (the experiment, the scenario, the runs
// table's header, temporary files), or else the first entry that is not
// one of them.
func onlySweepFiles(list []fs.DirEntry) string {
	for _, e := range list {
		switch name := e.Name(); {
		case name == ExperimentFile, name == ScenarioFile, name == RunsFile, leftover(name):
		default:
			return name
		}
	}
	return ""
}

// Resume opens the sweep folder dir to finish the sweep m describes,
// keeping every whole run its journal holds. The rows of a run cut off
// mid-write (by a crash, or a disk that filled) are dropped, and the run
// is done again. experiment and scenario are the experiment's and its
// scenario's text, written again if the folder lacks them.
//
// The folder's manifest must be m's experiment, shard and version. A
// folder that does not exist or is empty starts the sweep, as Create
// does. A folder without a manifest, as an earlier journeysim could leave
// when the disk was full, is taken up only if it holds nothing but the
// files a sweep writes before its first run, with this experiment's text
// and header; its manifest is then written first.
func Resume(dir string, m *Manifest, experiment, scenario []byte) (*Journal, error) {
	list, err := entries(dir)
	if err != nil {
		return nil, err
	}
	if len(list) == 0 {
		return start(dir, m, experiment, scenario)
	}
	if !slices.ContainsFunc(list, func(e fs.DirEntry) bool { return e.Name() == ManifestFile }) {
		if err := adoptable(dir, list, m, experiment, scenario); err != nil {
			return nil, err
		}
		if err := WriteManifest(dir, m); err != nil {
			return nil, err
		}
		return finish(dir, m, experiment, scenario)
	}
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
	return finish(dir, m, experiment, scenario)
}

// adoptable checks that the folder dir, which has no manifest, holds only
// what a sweep of m writes before its manifest and first run: the
// experiment's and scenario's text as given, at most the runs table's
// header, and temporary files.
func adoptable(dir string, list []fs.DirEntry, m *Manifest, experiment, scenario []byte) error {
	if odd := onlySweepFiles(list); odd != "" {
		return fmt.Errorf("%s is not a sweep folder: it has no %s, and holds %s; give a new or empty folder", dir, ManifestFile, odd)
	}
	for _, f := range []struct {
		name string
		want []byte
	}{{ExperimentFile, experiment}, {ScenarioFile, scenario}, {RunsFile, []byte(m.header())}} {
		path := filepath.Join(dir, f.name)
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, cause(err))
		}
		if f.name == RunsFile && len(data) > len(f.want) && bytes.HasPrefix(data, f.want) {
			return fmt.Errorf("%s holds runs but no %s, so what made them is unknown: give a new or empty folder", dir, ManifestFile)
		}
		if !bytes.Equal(data, f.want) {
			return fmt.Errorf("%s has no %s, and its %s is not this experiment's: give a new or empty folder", dir, ManifestFile, f.name)
		}
	}
	return nil
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
		return nil, writeFailure("open", path, err)
	}
	if err := f.Truncate(int64(end)); err != nil {
		f.Close()
		return nil, writeFailure("truncate", path, err)
	}
	if _, err := f.Seek(int64(end), io.SeekStart); err != nil {
		f.Close()
		return nil, writeFailure("open", path, err)
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
		j.failed = writeFailure("write", filepath.Join(j.dir, RunsFile), err)
		return j.failed
	}
	if err := j.f.Sync(); err != nil {
		j.failed = writeFailure("sync", filepath.Join(j.dir, RunsFile), err)
		return j.failed
	}
	if len(rows) > 0 {
		j.done[rows[0].Point*j.m.Replications+rows[0].Replication] = len(rows)
	}
	return nil
}

// Close closes the journal. If every unit is in, it writes the runs table
// sorted by run (CSV and Parquet) and marks the manifest complete.
//
// A journal whose Append failed is closed all the same, and the manifest
// records the runs it holds; Resume finishes it.
func (j *Journal) Close() error {
	if err := j.f.Close(); err != nil {
		return writeFailure("close", filepath.Join(j.dir, RunsFile), err)
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
