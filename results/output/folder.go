package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// ManifestName is the file that makes a folder a result folder: the
// manifest of a run's folder or of a sweep's.
const ManifestName = "manifest.json"

// Kind is what a folder holds, as far as journeysim is concerned.
type Kind int

// Kinds of folder.
const (
	// NotResults is a folder without a manifest.json.
	NotResults Kind = iota
	// RunFolder is the folder of a run (journeysim run --out).
	RunFolder
	// SweepFolder is the folder of a sweep (journeysim sweep --out) or of
	// its merged shards.
	SweepFolder
)

// ErrUnknownManifest is the error of FolderKind for a manifest.json that
// is neither a run's nor a sweep's.
var ErrUnknownManifest = errors.New("its manifest.json is neither a run's nor a sweep's")

// FolderKind says what kind of result folder dir is, from its
// manifest.json: a sweep's names its experiment, a run's the tool that
// wrote it. A folder without a manifest is NotResults, with no error; a
// manifest that cannot be read or parsed is an error, and one of neither
// kind is ErrUnknownManifest.
func FolderKind(dir string) (Kind, error) {
	path := filepath.Join(dir, ManifestName)
	data, err := os.ReadFile(path)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return NotResults, nil
	case err != nil:
		return NotResults, err
	}
	var kind struct {
		Tool       string `json:"tool"`
		Experiment string `json:"experiment"`
	}
	if err := json.Unmarshal(data, &kind); err != nil {
		return NotResults, fmt.Errorf("%s: %w", path, err)
	}
	switch {
	case kind.Experiment != "":
		return SweepFolder, nil
	case kind.Tool != "":
		return RunFolder, nil
	}
	return NotResults, ErrUnknownManifest
}

// HasManifest reports whether dir holds a manifest.json, the mark of a
// result folder of either kind.
func HasManifest(dir string) bool {
	info, err := os.Stat(filepath.Join(dir, ManifestName))
	return err == nil && !info.IsDir()
}

// ResultFoldersIn returns up to max folders directly in dir that hold a
// manifest.json, in the order of their names: where to look instead when
// dir itself is not a result folder.
func ResultFoldersIn(dir string, max int) []string {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var found []string
	for _, e := range entries {
		if p := filepath.Join(dir, e.Name()); e.IsDir() && HasManifest(p) && len(found) < max {
			found = append(found, p)
		}
	}
	return found
}
