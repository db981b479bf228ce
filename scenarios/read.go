package scenarios

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
)

// ErrTooLarge is the error of ReadFile for a file over MaxFileSize.
var ErrTooLarge = fmt.Errorf("the file is larger than %d bytes, the most allowed", MaxFileSize)

// ReadFile reads an input file (a scenario, an experiment, a parameter's
// {file: PATH}) of at most MaxFileSize bytes. It refuses anything but a
// regular file before opening it, so that a named pipe, a device such as
// /dev/zero or a folder cannot block it or feed it without end, and it
// reads through a limit, so that a file that grows, or that says it is
// smaller than it is (as /proc files do), cannot make it read more.
func ReadFile(path string) ([]byte, error) {
	info, err := os.Stat(path)
	if err != nil {
		return nil, err
	}
	if err := regular(path, info); err != nil {
		return nil, err
	}
	if info.Size() > MaxFileSize {
		return nil, fmt.Errorf("it holds %d bytes; at most %d are allowed", info.Size(), MaxFileSize)
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	// What was opened is what was checked: a file swapped for a pipe
	// since is refused too (opening a pipe to read it would have blocked
	// only until a writer came; reading it is what never ends).
	if info, err = f.Stat(); err != nil {
		return nil, err
	}
	if err := regular(path, info); err != nil {
		return nil, err
	}
	data, err := io.ReadAll(io.LimitReader(f, MaxFileSize+1))
	if err != nil {
		return nil, err
	}
	if len(data) > MaxFileSize {
		return nil, ErrTooLarge
	}
	return data, nil
}

// regular refuses a file that is not a regular one, saying what it is.
func regular(path string, info fs.FileInfo) error {
	mode := info.Mode()
	what := ""
	switch {
	case mode.IsRegular():
		return nil
	case mode.IsDir():
		what = "a folder"
	case mode&fs.ModeNamedPipe != 0:
		what = "a named pipe"
	case mode&fs.ModeSocket != 0:
		what = "a socket"
	case mode&fs.ModeDevice != 0 || mode&fs.ModeCharDevice != 0:
		what = "a device"
	default:
		what = "not a regular file"
		return errors.New("it is " + what + "; give a file")
	}
	return fmt.Errorf("it is %s, not a file; give a file", what)
}
