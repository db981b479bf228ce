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
	"time"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/sim/text"
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
// of it (a shard), whether every run is in, how its runs table's columns
// are named, and what made it, where and when.
type Manifest struct {
	Version string `json:"journeysim_version"`
	// Commit is the source revision of the journeysim that started the
	// sweep (for a merged folder, that of its shards); "" when unknown.
	Commit           string      `json:"commit,omitempty"`
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
	// Attribution reports that each run reran its strategies' counterfactuals
	// (each channel switched off, no contact), which ROMI and the
	// channels' true incremental revenue need.
	Attribution bool `json:"attribution,omitempty"`
	// Series names the per-tick series recorded for each run in the
	// series table (SeriesFile), in order; none when empty.
	Series []string `json:"series,omitempty"`
	// Currency is the scenario's currency, which names the runs table's
	// columns of amounts of money (revenue_eur). Create and Resume read
	// it from the scenario when it is "". Absent in folders of earlier
	// versions.
	Currency string `json:"currency,omitempty"`
	// RunsColumns lists the runs table's columns, in order, with the
	// parameter or outcome each holds; WriteManifest fills it in. Absent
	// in folders of earlier versions, whose columns are named by the
	// parameters' paths and the outcomes' bare keys (Columns).
	RunsColumns []RunsColumn `json:"runs_columns,omitempty"`
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
	// Sessions records each journeysim sweep that worked on the folder,
	// in order: the first is the one that started it, and each --resume
	// adds one. Absent in a merged folder, whose shards' sessions are in
	// MergedFrom, and in folders of earlier versions.
	Sessions []Session `json:"sessions,omitempty"`
	// MergedFrom records, for a merged folder, each shard's folder and
	// sessions, in shard order.
	MergedFrom []MergedShard `json:"merged_from,omitempty"`
	// Merge records, for a merged folder, the journeysim merge that made
	// it: its build and host, and when it started.
	Merge *output.Provenance `json:"merge,omitempty"`

	// legacyColumns is set for a folder of an earlier version, whose
	// runs table names its columns by path and bare key.
	legacyColumns bool
}

// Session is one journeysim sweep working on a sweep folder: what program
// ran where, from when to when (Ended is "" for a session cut short by a
// crash), and how many of the folder's (point, replication) runs it added.
type Session struct {
	output.Provenance
	Done int `json:"done"`
}

// MergedShard is one shard of a merged folder: its index, the folder it
// was merged from, as given to Merge, and the sessions that ran it.
type MergedShard struct {
	Shard    int       `json:"shard"`
	Folder   string    `json:"folder"`
	Commit   string    `json:"commit,omitempty"`
	Sessions []Session `json:"sessions,omitempty"`
}

// RunsColumn is a column of the runs table and what it holds: the
// parameter at path Param, the outcome with metric key Outcome in Unit
// (the currency for money, such as EUR; share, ratio, 0_1 and so on as
// docs/metrics.md lists them; "" for counts), or, with neither, one of the
// columns every runs table starts with (experiment, run, point,
// replication, strategy, seed).
type RunsColumn struct {
	Name    string `json:"name"`
	Param   string `json:"param,omitempty"`
	Outcome string `json:"outcome,omitempty"`
	Unit    string `json:"unit,omitempty"`
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
	// Values lists a list's values, as the runs table holds them, and
	// Weights how likely each is drawn (nil: alike).
	Values  []string  `json:"values,omitempty"`
	Weights []float64 `json:"weights,omitempty"`
	// Distribution is the distribution a range is drawn from (normal,
	// lognormal, triangular or beta), truncated to Min and Max, with its
	// parameters; "" for uniform.
	Distribution string             `json:"distribution,omitempty"`
	DistParams   map[string]float64 `json:"distribution_params,omitempty"`
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

// identityColumns are the columns every runs table starts with.
var identityColumns = []output.Column{{Name: "experiment", Type: output.String}, {Name: "run", Type: output.Int},
	{Name: "point", Type: output.Int}, {Name: "replication", Type: output.Int},
	{Name: "strategy", Type: output.String}, {Name: "seed", Type: output.String}}

// Columns are the runs table's columns for m: identity, parameters,
// outcomes. A parameter's column is named by ParamColumn, an outcome's by
// its metric key with its unit, as the tables of a run name them
// (revenue_eur, churn_rate_share; results.ColumnName), so that every name
// can be used unquoted in R, pandas and SQL; RunsColumns maps each name
// back. The columns of a folder of an earlier version keep the names it
// gave them: the parameter's path and the metric's bare key.
func (m *Manifest) Columns() []output.Column {
	cols := slices.Clone(identityColumns)
	for _, p := range m.Params {
		t := output.String
		if p.Numeric {
			t = output.Float
		}
		cols = append(cols, output.Column{Type: t})
	}
	for range m.Outcomes {
		cols = append(cols, output.Column{Type: output.Float})
	}
	names := m.RunsColumns
	if len(names) != len(cols) {
		names = m.namedColumns()
	}
	for k := range cols {
		cols[k].Name = names[k].Name
	}
	return cols
}

// namedColumns names the runs table's columns of m afresh, or as an
// earlier version did for one of its folders.
func (m *Manifest) namedColumns() []RunsColumn {
	var cols []RunsColumn
	taken := map[string]bool{}
	for _, c := range identityColumns {
		cols = append(cols, RunsColumn{Name: c.Name})
		taken[c.Name] = true
	}
	currency := m.Currency
	if currency == "" {
		currency = DefaultCurrency
	}
	unique := func(name string) string {
		if m.legacyColumns {
			return name
		}
		if taken[name] {
			k := 2
			for taken[name+"_"+strconv.Itoa(k)] {
				k++
			}
			name += "_" + strconv.Itoa(k)
		}
		taken[name] = true
		return name
	}
	for _, p := range m.Params {
		name := p.Path
		if !m.legacyColumns {
			name = ParamColumn(p.Path)
		}
		cols = append(cols, RunsColumn{Name: unique(name), Param: p.Path})
	}
	for _, o := range m.Outcomes {
		name, unit := o.Key, ""
		if spec, ok := parseOutcome(o.Key); ok {
			_, unit, _, _, _ = spec.describe()
			if !m.legacyColumns {
				// channel.web.revenue is channel__web__revenue_eur.
				name = results.ColumnName(ParamColumn(o.Key), unit, currency)
			}
			unit = results.UnitText(unit, currency)
		}
		cols = append(cols, RunsColumn{Name: unique(name), Outcome: o.Key, Unit: unit})
	}
	return cols
}

// ParamColumn is the name of the runs table's column for the parameter at
// path: the path with each dot written as two underscores, and any other
// character that is not an ASCII letter, digit or underscore as one
// underscore, so that strategies.email_7pw.caps.email.max is
// strategies__email_7pw__caps__email__max. A name that would start with a
// digit starts with "p_". Were two parameters to get the same name (paths
// that differ only in a hyphen and an underscore), the second gets "_2"
// after it, the third "_3", and so on; the manifest's RunsColumns maps
// each column to its path.
func ParamColumn(path string) string {
	var b strings.Builder
	for _, r := range path {
		switch {
		case r == '.':
			b.WriteString("__")
		case r == '_' || r >= '0' && r <= '9' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z':
			b.WriteRune(r)
		default:
			b.WriteByte('_')
		}
	}
	name := b.String()
	if name == "" || name[0] >= '0' && name[0] <= '9' {
		name = "p_" + name
	}
	return name
}

// ParquetMetadata is the key-value metadata of m's Parquet tables: where
// their rows came from, so that a table read on its own still says. The
// keys are journeysim.experiment, journeysim.experiment_sha256,
// journeysim.scenario_sha256, journeysim.seed, journeysim.version and,
// when known, journeysim.commit. Nothing in it depends on when or where
// the sweep ran, so the tables stay the same bytes across workers,
// shards and resumes.
func (m *Manifest) ParquetMetadata() map[string]string {
	meta := map[string]string{
		"journeysim.experiment":        m.Experiment,
		"journeysim.experiment_sha256": m.ExperimentSHA256,
		"journeysim.scenario_sha256":   m.ScenarioSHA256,
		"journeysim.seed":              m.Seed,
		"journeysim.version":           m.Version,
	}
	if m.Commit != "" {
		meta["journeysim.commit"] = m.Commit
	}
	return meta
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
	// Series holds the run's per-tick values of Manifest.Series: series s
	// at tick t is at s × ticks + t. Nil when the manifest names none.
	Series []float64
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
	// session is the index in m.Sessions of the session that opened the
	// journal, -1 for none; held is how many units the folder held then.
	session, held int
	// failed is set once an append failed: the file may end in part of a
	// run, which a resume drops, and nothing more is appended.
	failed error
	// series is the series journal, nil when the manifest names no
	// series, and sw formats its rows.
	series *os.File
	sw     *seriesWriter
}

// Create makes dir a new sweep folder for m, with the experiment's and
// scenario's text, and opens its journal. dir must not exist or be empty.
// m.Sessions holds the session that starts the sweep, or nothing; the
// journal counts the runs it adds, and EndSession records when it ends.
// An m.Currency of "" is read from the scenario's text.
//
// The manifest is written first, before any other file, so that a folder
// Create made holds a manifest whatever fails after it, and Resume can
// finish it; if the manifest itself cannot be written, the folder Create
// made is removed again. A file that cannot be written is a *WriteError;
// any other error says why dir cannot be used.
func Create(dir string, m *Manifest, experiment, scenario []byte) (*Journal, error) {
	if m.Currency == "" {
		m.Currency = ScenarioCurrencyOf(scenario)
	}
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
	}{{ExperimentFile, experiment}, {ScenarioFile, scenario}, {RunsFile, []byte(m.header())}, {SeriesFile, []byte(seriesHeader())}} {
		path := filepath.Join(dir, f.name)
		if f.name == SeriesFile && len(m.Series) == 0 {
			continue
		}
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
		case name == ExperimentFile, name == ScenarioFile, name == RunsFile, name == SeriesFile, leftover(name):
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
// The folder's manifest must be m's experiment, shard and version, and
// its commit m's (output.SameCommit: a commit unknown to either is taken
// to match). m.Sessions holds the session that resumes the sweep, or
// nothing: it is added after the folder's sessions, and the folder's
// commit and column names are kept. A folder that does not exist or is
// empty starts the sweep, as Create does. A folder without a manifest, as
// an earlier journeysim could leave when the disk was full, is taken up
// only if it holds nothing but the files a sweep writes before its first
// run, with this experiment's text and header; its manifest is then
// written first.
func Resume(dir string, m *Manifest, experiment, scenario []byte) (*Journal, error) {
	if m.Currency == "" {
		m.Currency = ScenarioCurrencyOf(scenario)
	}
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
	if !output.SameCommit(old.Commit, m.Commit) {
		return nil, fmt.Errorf("%s was started by journeysim built from commit %s; this one is built from commit %s, whose runs may differ: finish it with a build of %s, or start a new folder (a build whose commit is unknown may finish any folder)",
			dir, old.Commit, m.Commit, old.Commit)
	}
	m.Commit = old.Commit // the folder's, known or not: that of the session that started it
	m.Sessions = append(slices.Clip(old.Sessions), m.Sessions...)
	m.RunsColumns, m.legacyColumns = old.RunsColumns, old.legacyColumns
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
	}{{ExperimentFile, experiment}, {ScenarioFile, scenario}, {RunsFile, []byte(m.header())}, {SeriesFile, []byte(seriesHeader())}} {
		path := filepath.Join(dir, f.name)
		data, err := os.ReadFile(path)
		if errors.Is(err, fs.ErrNotExist) {
			continue
		}
		if err != nil {
			return fmt.Errorf("read %s: %w", path, cause(err))
		}
		if (f.name == RunsFile || f.name == SeriesFile) && len(data) > len(f.want) && bytes.HasPrefix(data, f.want) {
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
	j := &Journal{dir: dir, m: m, done: map[int]int{}, session: len(m.Sessions) - 1}
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
		if err == io.EOF {
			break
		}
		off := int(r.InputOffset())
		if off == 0 || rest[off-1] != '\n' {
			break // the last record, cut off before its newline
		}
		var point, rep int
		var err1, err2 error
		if err == nil && len(cells) == len(m.Columns()) {
			point, err1 = strconv.Atoi(cells[2])
			rep, err2 = strconv.Atoi(cells[3])
		}
		if err != nil || len(cells) != len(m.Columns()) || err1 != nil || err2 != nil ||
			point < 0 || point >= m.Points || rep < 0 || rep >= m.Replications {
			// A run is written in one piece, so a crash cuts off only
			// the last record, before its newline: a whole line that is
			// not a run was put there, and dropping it would drop every
			// run after it.
			line := 1 + bytes.Count(data[:len(header)+start], []byte("\n"))
			return nil, fmt.Errorf("%s line %d is not a run of this sweep, and resuming would drop it and every line after it: mend or remove the line, then resume", path, line)
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
	if len(m.Series) > 0 {
		if j.series, err = openSeries(dir, m, j.done); err != nil {
			return nil, err
		}
		j.sw = newSeriesWriter(m)
	}
	f, err := os.OpenFile(path, os.O_RDWR, 0)
	if err != nil {
		return nil, writeFailure("open", path, err)
	}
	if err := f.Truncate(int64(end)); err != nil {
		f.Close()
		j.closeSeries()
		return nil, writeFailure("truncate", path, err)
	}
	if _, err := f.Seek(int64(end), io.SeekStart); err != nil {
		f.Close()
		j.closeSeries()
		return nil, writeFailure("open", path, err)
	}
	j.f = f
	j.held = len(j.done)
	return j, nil
}

// Done reports whether the unit with canonical index u is in the journal.
func (j *Journal) Done(u int) bool { return j.done[u] > 0 }

// Count is the number of units in the journal.
func (j *Journal) Count() int { return len(j.done) }

// Append writes one unit's rows, one per strategy, in one piece, and
// syncs them to disk; the rows' series go to the series journal first.
func (j *Journal) Append(rows []Row) error {
	if j.failed != nil {
		return j.failed
	}
	if err := j.appendSeries(rows); err != nil {
		return err
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

// EndSession records t as the end of the session that opened the journal,
// in the manifest that Close writes. It does nothing if the manifest
// records no session.
func (j *Journal) EndSession(t time.Time) {
	if j.session >= 0 {
		j.m.Sessions[j.session].Ended = output.Timestamp(t)
	}
}

// Close closes the journal. If every unit is in, it writes the runs table
// sorted by run (CSV and Parquet, with the manifest's ParquetMetadata) and
// marks the manifest complete. The manifest records how many runs the
// journal's session added.
//
// A journal whose Append failed is closed all the same, and the manifest
// records the runs it holds; Resume finishes it.
func (j *Journal) Close() error {
	serr := j.closeSeries()
	if err := j.f.Close(); err != nil {
		return writeFailure("close", filepath.Join(j.dir, RunsFile), err)
	}
	if serr != nil {
		return serr
	}
	j.m.Done = len(j.done)
	if j.session >= 0 {
		j.m.Sessions[j.session].Done = j.m.Done - j.held
	}
	if j.m.Done < j.m.Units {
		return WriteManifest(j.dir, j.m)
	}
	t, err := ReadRuns(j.dir, j.m)
	if err != nil {
		return err
	}
	t.Metadata = j.m.ParquetMetadata()
	if err := WriteRuns(j.dir, t); err != nil {
		return err
	}
	if len(j.m.Series) > 0 {
		st, err := ReadSeries(j.dir)
		if err != nil {
			return err
		}
		st.Metadata = t.Metadata
		if err := WriteSeries(j.dir, st); err != nil {
			return err
		}
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

// WriteRuns replaces the runs table of dir with t, as CSV and Parquet
// (with t's Metadata), each file written aside and renamed into place.
func WriteRuns(dir string, t *output.Table) error {
	return writeTable(dir, t, RunsFile, RunsParquet)
}

// writeTable replaces the table t of dir, written as CSV to csvName and as
// Parquet (with t's Metadata) to parquetName, each file written aside and
// renamed into place.
func writeTable(dir string, t *output.Table, csvName, parquetName string) error {
	var csvData, pq bytes.Buffer
	if err := t.WriteCSV(&csvData); err != nil {
		return err
	}
	if err := t.WriteParquet(&pq); err != nil {
		return err
	}
	if err := writeAtomic(filepath.Join(dir, parquetName), pq.Bytes()); err != nil {
		return err
	}
	return writeAtomic(filepath.Join(dir, csvName), csvData.Bytes())
}

// WriteManifest writes m into dir, first naming the runs table's columns
// in m.RunsColumns if it does not.
func WriteManifest(dir string, m *Manifest) error {
	if m.RunsColumns == nil && !m.legacyColumns {
		m.RunsColumns = m.namedColumns()
	}
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
	m.legacyColumns = m.RunsColumns == nil
	if err := m.checkColumns(); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, ManifestFile), err)
	}
	return &m, nil
}

// checkColumns checks that m.RunsColumns, if any, lists the columns of
// m's parameters and outcomes, in order, each with a name of its own.
func (m *Manifest) checkColumns() error {
	if m.RunsColumns == nil {
		return nil
	}
	want := len(identityColumns) + len(m.Params) + len(m.Outcomes)
	if len(m.RunsColumns) != want {
		return fmt.Errorf("runs_columns lists %s; %s and %s make %d", text.Count(len(m.RunsColumns), "column"),
			text.Count(len(m.Params), "parameter"), text.Count(len(m.Outcomes), "outcome"), want)
	}
	seen := map[string]bool{}
	for k, c := range m.RunsColumns {
		var what, is, want string
		switch i := k - len(identityColumns); {
		case i < 0:
			what, is, want = "identity column", c.Name, identityColumns[k].Name
		case i < len(m.Params):
			what, is, want = "parameter", c.Param, m.Params[i].Path
		default:
			what, is, want = "outcome", c.Outcome, m.Outcomes[i-len(m.Params)].Key
		}
		if is != want {
			return fmt.Errorf("runs_columns: column %d holds %s %q; params and outcomes say %q", k+1, what, is, want)
		}
		if c.Name == "" || seen[c.Name] {
			return fmt.Errorf("runs_columns: column %d is named %q, which is empty or taken; every column needs a name of its own", k+1, c.Name)
		}
		seen[c.Name] = true
	}
	return nil
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
	return ScenarioCurrencyOf(data)
}

// ScenarioCurrencyOf reads the currency of the scenario text data, as
// ScenarioCurrency does; "" when data is not YAML.
func ScenarioCurrencyOf(data []byte) string {
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
