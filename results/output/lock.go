package output

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// ErrLocked is the error of Lock when another process holds the lock.
var ErrLocked = errors.New("another process is writing it")

// LockError says which process holds the lock of a result folder.
type LockError struct {
	Dir string
	// PID is the process holding the lock, 0 when unknown.
	PID int
}

func (e *LockError) Error() string {
	if e.PID > 0 {
		return fmt.Sprintf("%s: another journeysim (process %d) is writing it; wait for it to finish, or give another folder", e.Dir, e.PID)
	}
	return fmt.Sprintf("%s: another journeysim is writing it; wait for it to finish, or give another folder", e.Dir)
}

func (e *LockError) Unwrap() error { return ErrLocked }

// DirLock is an exclusive lock on a result folder, held while a run or a
// sweep writes it: a lock file beside the folder (".NAME.lock"), locked
// with flock where the system has it, so that the lock ends with its
// process however that process ends (a killed writer's file stays, and the
// next writer takes it over). Call Unlock when done.
type DirLock struct {
	f    *os.File
	path string
}

// LockPath is the lock file of the result folder dir.
func LockPath(dir string) string {
	dir = filepath.Clean(dir)
	return filepath.Join(filepath.Dir(dir), "."+filepath.Base(dir)+".lock")
}

// Lock takes the exclusive lock of the result folder dir, creating its
// parent if need be; a lock another process holds is a *LockError naming
// that process. Once it holds the lock, Lock tidies what writers of dir
// that died left beside it (see Tidy) and returns what it did, for the
// user to be told.
func Lock(dir string) (*DirLock, []string, error) {
	path := LockPath(dir)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, nil, fmt.Errorf("lock %s: %w", dir, err)
	}
	f, err := lockPath(dir, path)
	if err != nil {
		return nil, nil, err
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	l := &DirLock{f: f, path: path}
	done, err := Tidy(dir)
	if err != nil {
		l.Unlock()
		return nil, nil, err
	}
	return l, done, nil
}

// lockPath opens and locks the lock file path of dir. A holder removes
// the file as it unlocks, so a lock taken on a file that was removed
// meanwhile is no lock: it is taken again on the file that stands there.
func lockPath(dir, path string) (*os.File, error) {
	for range 100 {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, fmt.Errorf("lock %s: %w", dir, err)
		}
		if err := lockFile(f); err != nil {
			data, _ := os.ReadFile(path)
			pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
			f.Close()
			if errors.Is(err, ErrLocked) {
				return nil, &LockError{Dir: dir, PID: pid}
			}
			return nil, fmt.Errorf("lock %s: %w", dir, err)
		}
		held, herr := f.Stat()
		there, terr := os.Stat(path)
		if herr == nil && terr == nil && os.SameFile(held, there) {
			return f, nil
		}
		unlockFile(f)
		f.Close()
	}
	return nil, fmt.Errorf("lock %s: the lock file %s keeps changing", dir, path)
}

// Unlock releases the lock and removes the lock file, so that a folder
// written leaves nothing beside it.
func (l *DirLock) Unlock() error {
	if l == nil || l.f == nil {
		return nil
	}
	os.Remove(l.path) // while still held: no other writer can be using it
	err := unlockFile(l.f)
	if cerr := l.f.Close(); err == nil {
		err = cerr
	}
	l.f = nil
	return err
}

// Tidy removes what a writer of the result folder dir that died left
// beside it: the hidden folders WriteDir writes into (".NAME.tmp-…"), and
// the complete earlier folder it moves aside while replacing dir
// (".NAME.tmp-….old"), which Tidy first puts back as dir if dir is
// missing. It must be called only by the holder of dir's lock, when no
// other writer can be at work; it returns what it did.
func Tidy(dir string) ([]string, error) {
	dir = filepath.Clean(dir)
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	entries, err := os.ReadDir(parent)
	if err != nil {
		if errors.Is(err, os.ErrNotExist) {
			return nil, nil
		}
		return nil, fmt.Errorf("tidy beside %s: %w", dir, err)
	}
	var done []string
	prefix := "." + base + ".tmp-"
	if _, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		for _, e := range entries {
			old := filepath.Join(parent, e.Name())
			if e.IsDir() && strings.HasPrefix(e.Name(), prefix) && strings.HasSuffix(e.Name(), ".old") && HasManifest(old) {
				if err := os.Rename(old, dir); err != nil {
					return done, fmt.Errorf("restore %s from %s: %w", dir, old, err)
				}
				done = append(done, fmt.Sprintf("restored %s, the earlier results an interrupted write had moved aside, from %s", dir, old))
				break
			}
		}
	}
	for _, e := range entries {
		path := filepath.Join(parent, e.Name())
		if !strings.HasPrefix(e.Name(), prefix) {
			continue
		}
		if _, err := os.Stat(path); err != nil {
			continue // restored above
		}
		if err := os.RemoveAll(path); err != nil {
			return done, fmt.Errorf("remove %s, left by an interrupted write: %w", path, err)
		}
		done = append(done, "removed "+path+", left by an interrupted write")
	}
	return done, nil
}
