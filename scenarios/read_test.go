package scenarios_test

import (
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"

	"github.com/journeysim/journeysim/scenarios"
)

// ReadFile refuses, before reading a byte, what is not a regular file or
// is larger than MaxFileSize: a named pipe would block it, /dev/zero would
// feed it without end, a sparse file would make it read gigabytes.
func TestReadFileRefusesHostileFiles(t *testing.T) {
	dir := t.TempDir()
	fifo := filepath.Join(dir, "pipe.yaml")
	if err := syscall.Mkfifo(fifo, 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	sparse := filepath.Join(dir, "sparse.yaml")
	f, err := os.Create(sparse)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil { // 2 GiB, no blocks
		t.Fatal(err)
	}
	f.Close()
	ok := filepath.Join(dir, "ok.yaml")
	if err := os.WriteFile(ok, []byte("name: x\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		path, want string
	}{
		{fifo, "it is a named pipe, not a file"},
		{dir, "it is a folder, not a file"},
		{sparse, "it holds 2147483648 bytes; at most 8388608 are allowed"},
		{filepath.Join(dir, "missing.yaml"), "no such file"},
	}
	if runtime.GOOS == "linux" {
		tests = append(tests, struct{ path, want string }{"/dev/zero", "it is a device, not a file"})
	}
	for _, tt := range tests {
		_, err := scenarios.ReadFile(tt.path)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("ReadFile(%s) = %v; want an error saying %q", tt.path, err, tt.want)
		}
	}
	if data, err := scenarios.ReadFile(ok); err != nil || string(data) != "name: x\n" {
		t.Errorf("ReadFile(ok.yaml) = %q, %v", data, err)
	}
	// The loaders use it: a scenario, an experiment, a {file:} parameter.
	_, err = scenarios.Open(fifo)
	var list scenarios.ErrorList
	if !errors.As(err, &list) || !strings.Contains(err.Error(), "cannot read the file: it is a named pipe") {
		t.Errorf("Open(a named pipe) = %v; want an input error saying what it is", err)
	}
}
