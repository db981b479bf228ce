package sweep

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/journeysim/journeysim/results/output"
)

// WriteError is a failure to write a file of a sweep folder: the disk is
// full (ENOSPC), a limit on file size or a quota is reached (EFBIG,
// EDQUOT), the device fails (EIO), or a write, sync, rename or truncation
// fails for another reason. Its text names the file of the folder (never a
// temporary file beside it) and the system's reason, and nothing else, as
// in "write out/runs.csv: no space left on device".
//
// A sweep folder keeps its manifest and every run its journal held before
// such a failure, so Resume finishes the sweep once the cause is gone.
type WriteError struct {
	// Op is what failed: create, open, write, sync, truncate or close.
	Op string
	// Path is the file or folder that could not be written.
	Path string
	// Err is the system's error, such as syscall.ENOSPC.
	Err error
}

func (e *WriteError) Error() string { return e.Op + " " + e.Path + ": " + e.Err.Error() }

// Unwrap returns the system's error, so that errors.Is(err,
// syscall.ENOSPC) holds for a full disk.
func (e *WriteError) Unwrap() error { return e.Err }

// writeFailure makes err, met doing op on path, a *WriteError whose
// reason is the system's error alone, without the names of the files or
// calls it passed through.
func writeFailure(op, path string, err error) *WriteError {
	return &WriteError{Op: op, Path: path, Err: cause(err)}
}

// cause is the innermost error of err's chain: the system's error of a
// failed call, such as syscall.EFBIG.
func cause(err error) error {
	for {
		next := errors.Unwrap(err)
		if next == nil {
			return err
		}
		err = next
	}
}

// writeAtomic writes data to path through a file beside it, synced and
// renamed into place, so that path holds the old contents or the new,
// never part of either; a failure is a *WriteError naming path.
func writeAtomic(path string, data []byte) error {
	if err := output.WriteFileAtomic(path, data); err != nil {
		return writeFailure("write", path, err)
	}
	return nil
}

// folderFiles are the files a sweep writes in its folder.
var folderFiles = []string{ManifestFile, ExperimentFile, ScenarioFile, RunsFile, RunsParquet, SeriesFile, SeriesParquet}

// leftover reports whether name is a temporary file that writeAtomic, cut
// short by a crash, left in a sweep folder: "." + a folder file's name +
// ".tmp-…".
func leftover(name string) bool {
	for _, f := range folderFiles {
		if strings.HasPrefix(name, "."+f+".tmp-") {
			return true
		}
	}
	return false
}

// entries lists dir's entries; a dir that does not exist has none.
func entries(dir string) ([]fs.DirEntry, error) {
	list, err := os.ReadDir(dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("--out %s: %w", dir, cause(err))
	}
	return list, nil
}

// tidy removes the temporary files that writes cut short by a crash left
// in the sweep folder dir. Only the holder of the folder's lock may call
// it.
func tidy(dir string, list []fs.DirEntry) {
	for _, e := range list {
		if leftover(e.Name()) {
			os.Remove(filepath.Join(dir, e.Name()))
		}
	}
}
