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
// summary.csv, summary.json, replications.csv and series.csv. Every file is
// first written in full under a temporary name; only when all are written
// are they renamed into place, so a failure leaves the folder as it was.
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
	var temps []string
	defer func() {
		for _, t := range temps {
			os.Remove(t) // gone already once renamed
		}
	}()
	for _, f := range files {
		var buf bytes.Buffer
		if err := f.write(&buf); err != nil {
			return fmt.Errorf("render %s: %w", f.name, err)
		}
		tmp, err := writeTemp(filepath.Join(dir, f.name), buf.Bytes())
		if err != nil {
			return err
		}
		temps = append(temps, tmp)
	}
	for k, f := range files {
		if err := os.Rename(temps[k], filepath.Join(dir, f.name)); err != nil {
			return fmt.Errorf("write %s: %w", filepath.Join(dir, f.name), err)
		}
	}
	return nil
}

// WriteFileAtomic writes data to path through a temporary file in the same
// folder, synced and then renamed, so that path never holds half a file.
func WriteFileAtomic(path string, data []byte) error {
	tmp, err := writeTemp(path, data)
	if err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		os.Remove(tmp)
		return fmt.Errorf("write %s: %w", path, err)
	}
	return nil
}

// writeTemp writes data, synced, to a new hidden file beside path and
// returns its name.
func writeTemp(path string, data []byte) (string, error) {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	_, err = tmp.Write(data)
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp.Name(), 0o644)
	}
	if err != nil {
		os.Remove(tmp.Name())
		return "", fmt.Errorf("write %s: %w", path, err)
	}
	return tmp.Name(), nil
}
