package output

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
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

// Errors of CheckWritable.
var (
	// ErrNotEmpty is a folder to write that already holds files, where
	// replacing an earlier result folder is not allowed.
	ErrNotEmpty = errors.New("the folder is not empty")
	// ErrNotResultFolder is a folder to replace that holds files but no
	// result folder.
	ErrNotResultFolder = errors.New("the folder is not empty and is not a result folder (no manifest.json)")
)

// CheckWritable makes sure that WriteDir can write the result folder dir,
// before a run starts and without creating anything: dir, or its nearest
// existing parent, must be a folder that accepts a new file; an existing
// dir must be empty (ErrNotEmpty), unless replace is set and it holds an
// earlier result folder (ErrNotResultFolder otherwise).
func CheckWritable(dir string, replace bool) error {
	probe := dir
	for {
		info, err := os.Stat(probe)
		if err == nil {
			if !info.IsDir() {
				if probe == dir {
					return errors.New("it is a file; give a folder (it is created if missing)")
				}
				return fmt.Errorf("%s is a file, so the folder cannot be created there", probe)
			}
			if entries, err := os.ReadDir(dir); probe == dir && err == nil && len(entries) > 0 {
				if !replace {
					return ErrNotEmpty
				}
				if !HasManifest(dir) {
					return ErrNotResultFolder
				}
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return err
		}
		parent := filepath.Dir(probe)
		if parent == probe {
			break
		}
		probe = parent
	}
	f, err := os.CreateTemp(probe, ".journeysim-probe-*")
	if err != nil {
		return fmt.Errorf("cannot write in %s: %v", probe, errors.Unwrap(err))
	}
	f.Close()
	return os.Remove(f.Name())
}
