package output

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"time"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim"
)

// Formats lists the output formats Write knows.
var Formats = []string{"table", "csv", "json"}

// Write writes the summary s to w in format, one of Formats, its text
// tables as wide as their contents.
func Write(w io.Writer, s *results.Summary, format string) error {
	return WriteWidth(w, s, format, 0)
}

// WriteWidth writes the summary s to w in format, one of Formats; the
// text tables and their lines fit width display columns (0: no limit), as
// WriteTableWidth fits them. CSV and JSON ignore the width.
func WriteWidth(w io.Writer, s *results.Summary, format string, width int) error {
	switch format {
	case "table":
		return WriteTableWidth(w, s, width)
	case "csv":
		return SummaryTable(s).WriteCSV(w)
	case "json":
		return WriteJSON(w, s)
	}
	return fmt.Errorf("unknown format %q", format)
}

// Manifest describes a result folder: what made it, from what, when and
// where.
type Manifest struct {
	Tool    string `json:"tool"`
	Version string `json:"version"`
	// Commit is the source revision of the program that made the folder;
	// absent when unknown.
	Commit string `json:"commit,omitempty"`
	// Build describes that program in full; absent when the caller of
	// Files did not say.
	Build *Build `json:"build,omitempty"`
	// Host is the name of the machine the run ran on.
	Host string `json:"host,omitempty"`
	// Scenario is where the scenario came from: its name, its file (or
	// "builtin:NAME") and the SHA-256 of the file's bytes.
	Scenario ManifestScenario `json:"scenario"`
	// EffectiveScenario is the scenario with every default made explicit,
	// as also written to scenario.yaml.
	EffectiveScenario string           `json:"effective_scenario"`
	Seed              string           `json:"seed"`
	ReplicationSeeds  results.SeedList `json:"replication_seeds"`
	Replications      int              `json:"replications"`
	Completed         int              `json:"replications_completed"`
	Interrupted       bool             `json:"interrupted"`
	Strategies        []string         `json:"strategies"`
	Baseline          string           `json:"baseline"`
	Attribution       bool             `json:"attribution"`
	DecayHalfLife     float64          `json:"time_decay_half_life,omitempty"`
	Customers         int              `json:"customers"`
	Horizon           int              `json:"horizon"`
	Tick              string           `json:"tick"`
	Currency          string           `json:"currency"`
	Workers           int              `json:"workers"`
	CommandLine       []string         `json:"command_line"`
	// Started and Finished are when the run started and ended, in UTC,
	// as RFC 3339 (Timestamp).
	Started       string  `json:"started"`
	Finished      string  `json:"finished"`
	WallSeconds   float64 `json:"wall_seconds"`
	CustomerTicks int64   `json:"customer_ticks"`
	// Files lists every other file of the folder with its SHA-256.
	Files []ManifestFile `json:"files"`
}

// ManifestScenario identifies a run's scenario.
type ManifestScenario struct {
	Name   string `json:"name"`
	Source string `json:"source"`
	SHA256 string `json:"sha256"`
}

// ManifestFile is one file of a result folder.
type ManifestFile struct {
	Name   string `json:"name"`
	Rows   int    `json:"rows,omitempty"`
	SHA256 string `json:"sha256"`
}

// RunInfo is what a result folder records about how the run was made.
type RunInfo struct {
	// Build is the program that ran it, and Host the machine's name; a
	// zero Build is left out of the manifest.
	Build          Build
	Host           string
	ScenarioSource string
	ScenarioBytes  []byte
	Effective      []byte
	CommandLine    []string
	Workers        int
	Attribution    bool
	Started, Ended time.Time
	DecayHalfLife  float64
}

// File is a named file's content.
type File struct {
	Name string
	Data []byte
	Rows int // data rows of a table; 0 otherwise
}

// Hash returns the hex SHA-256 of data.
func Hash(data []byte) string {
	h := sha256.Sum256(data)
	return hex.EncodeToString(h[:])
}

// Files renders every file of a result folder: summary.txt and
// summary.json, scenario.yaml, each data table as CSV and Parquet, and
// manifest.json last.
func Files(s *results.Summary, res *sim.Result, info RunInfo) ([]File, error) {
	var files []File
	var buf bytes.Buffer
	if err := WriteTable(&buf, s); err != nil {
		return nil, fmt.Errorf("render summary.txt: %w", err)
	}
	files = append(files, File{Name: "summary.txt", Data: bytes.Clone(buf.Bytes())})
	js, err := jsonBytes(s)
	if err != nil {
		return nil, fmt.Errorf("render summary.json: %w", err)
	}
	files = append(files, File{Name: "summary.json", Data: js})
	files = append(files, File{Name: "scenario.yaml", Data: info.Effective})
	for _, t := range Tables(s, res) {
		buf.Reset()
		if err := t.WriteCSV(&buf); err != nil {
			return nil, fmt.Errorf("render %s.csv: %w", t.Name, err)
		}
		files = append(files, File{Name: t.Name + ".csv", Data: bytes.Clone(buf.Bytes()), Rows: len(t.Rows)})
		buf.Reset()
		if err := t.WriteParquet(&buf); err != nil {
			return nil, fmt.Errorf("render %s.parquet: %w", t.Name, err)
		}
		files = append(files, File{Name: t.Name + ".parquet", Data: bytes.Clone(buf.Bytes()), Rows: len(t.Rows)})
	}
	man := Manifest{
		Tool: "journeysim", Version: s.Version, Commit: info.Build.Commit, Host: info.Host,
		Scenario:          ManifestScenario{Name: s.Scenario, Source: info.ScenarioSource, SHA256: Hash(info.ScenarioBytes)},
		EffectiveScenario: string(info.Effective),
		Seed:              fmtUint(s.Seed), ReplicationSeeds: s.Seeds, Replications: s.Replications, Completed: len(s.Seeds),
		Interrupted: s.Interrupted, Baseline: s.Baseline, Attribution: info.Attribution,
		Customers: s.Customers, Horizon: s.Horizon, Tick: s.TickLabel, Currency: s.Currency,
		Workers: info.Workers, CommandLine: info.CommandLine,
		Started: info.Started.UTC().Format(time.RFC3339Nano), Finished: info.Ended.UTC().Format(time.RFC3339Nano),
		WallSeconds: info.Ended.Sub(info.Started).Seconds(), CustomerTicks: res.CustomerTicks,
	}
	if info.Build != (Build{}) {
		b := info.Build
		man.Build = &b
	}
	if info.Attribution {
		man.DecayHalfLife = info.DecayHalfLife
	}
	for _, st := range s.Strategies {
		man.Strategies = append(man.Strategies, st.Name)
	}
	for _, f := range files {
		man.Files = append(man.Files, ManifestFile{Name: f.Name, Rows: f.Rows, SHA256: Hash(f.Data)})
	}
	mj, err := json.MarshalIndent(man, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("render manifest.json: %w", err)
	}
	return append(files, File{Name: "manifest.json", Data: append(mj, '\n')}), nil
}

// WriteDir writes files as the folder dir. They are written and synced in
// a new hidden folder beside dir, which then takes dir's place in one
// rename (an existing dir is moved aside first and removed after), so dir
// never holds a mix of two runs or a half-written file.
func WriteDir(dir string, files []File) error {
	dir = filepath.Clean(dir)
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if err := os.MkdirAll(parent, 0o755); err != nil {
		return fmt.Errorf("create output folder: %w", err)
	}
	tmp, err := os.MkdirTemp(parent, "."+base+".tmp-")
	if err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	done := false
	defer func() {
		if !done {
			os.RemoveAll(tmp)
		}
	}()
	for _, f := range files {
		if err := writeSynced(filepath.Join(tmp, f.Name), f.Data); err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(dir, f.Name), err)
		}
	}
	if err := os.Chmod(tmp, 0o755); err != nil {
		return fmt.Errorf("write %s: %w", dir, err)
	}
	old := ""
	if _, err := os.Stat(dir); err == nil {
		old = tmp + ".old"
		if err := os.Rename(dir, old); err != nil {
			return fmt.Errorf("replace %s: %w", dir, err)
		}
	}
	if err := os.Rename(tmp, dir); err != nil {
		if old != "" {
			os.Rename(old, dir) // put the previous results back
		}
		return fmt.Errorf("write %s: %w", dir, err)
	}
	done = true
	if old != "" {
		os.RemoveAll(old)
	}
	return nil
}

// writeSynced writes data to a new file at path and syncs it.
func writeSynced(path string, data []byte) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// WriteFileAtomic writes data to path through a new file beside it,
// synced and renamed into place, so path holds the old contents or the
// new, never part of either.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, systemError(err))
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Chmod(0o644)
	}
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return fmt.Errorf("write %s: %w", path, systemError(err))
	}
	return nil
}

// systemError is the system's reason for a failed call on a file, without
// the name of the file beside the target that the call was made on.
func systemError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	var le *os.LinkError
	if errors.As(err, &le) {
		return le.Err
	}
	return err
}

// ReadDir reads a result folder's summary and manifest back.
func ReadDir(dir string) (*results.Summary, *Manifest, error) {
	data, err := os.ReadFile(filepath.Join(dir, "manifest.json"))
	if err != nil {
		return nil, nil, fmt.Errorf("%s is not a result folder: %w", dir, err)
	}
	var man Manifest
	if err := json.Unmarshal(data, &man); err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", filepath.Join(dir, "manifest.json"), err)
	}
	data, err = man.ReadFile(dir, "summary.json")
	if err != nil {
		return nil, nil, err
	}
	s, err := ReadJSON(bytes.NewReader(data))
	if err != nil {
		return nil, nil, fmt.Errorf("read %s: %w", filepath.Join(dir, "summary.json"), err)
	}
	return s, &man, nil
}

// ReadFile reads the file called name of the result folder dir that man
// describes, after checking that man lists it and that its SHA-256 is the
// one man records, so that a file changed after the run is refused.
func (man *Manifest) ReadFile(dir, name string) ([]byte, error) {
	i := slices.IndexFunc(man.Files, func(f ManifestFile) bool { return f.Name == name })
	if i < 0 {
		return nil, fmt.Errorf("%s: manifest.json lists no %s", dir, name)
	}
	path := filepath.Join(dir, name)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read result folder: %w", err)
	}
	if Hash(data) != man.Files[i].SHA256 {
		return nil, fmt.Errorf("%s was changed after the run: its SHA-256 differs from the one in manifest.json", path)
	}
	return data, nil
}
