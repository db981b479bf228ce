package results

import (
	"bytes"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// Formats lists the output formats WriteFormat knows.
var Formats = []string{"table", "csv", "json"}

// WriteFormat writes the summary in one of Formats.
func (s *Summary) WriteFormat(w io.Writer, format string) error {
	switch format {
	case "table":
		return s.WriteTable(w)
	case "csv":
		return s.WriteCSV(w)
	case "json":
		return s.WriteJSON(w)
	}
	return fmt.Errorf("unknown format %q", format)
}

// WriteDir writes every rendering of the summary into dir: summary.txt,
// summary.csv, summary.json, replications.csv and series.csv. Each file is
// written under a temporary name and renamed into place, so a file in dir
// is either complete or absent.
func (s *Summary) WriteDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("create output folder: %w", err)
	}
	files := []struct {
		name  string
		write func(io.Writer) error
	}{
		{"summary.txt", s.WriteTable},
		{"summary.csv", s.WriteCSV},
		{"summary.json", s.WriteJSON},
		{"replications.csv", s.WriteReplicationsCSV},
		{"series.csv", s.WriteSeriesCSV},
	}
	for _, f := range files {
		var buf bytes.Buffer
		if err := f.write(&buf); err != nil {
			return fmt.Errorf("render %s: %w", f.name, err)
		}
		if err := WriteFileAtomic(filepath.Join(dir, f.name), buf.Bytes()); err != nil {
			return err
		}
	}
	return nil
}

// WriteFileAtomic writes data to path through a temporary file in the same
// folder, synced and then renamed, so that path never holds half a file.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	defer os.Remove(tmp.Name())
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Chmod(tmp.Name(), 0o644); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}
