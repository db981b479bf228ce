package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results/output"
)

// Two writers of one folder: the second run or sweep is refused (exit 2),
// naming the process that writes it, and writes nothing; once the first
// is done, the folder is free again and no lock file is left beside it.
func TestOutIsLockedWhileWritten(t *testing.T) {
	parent := t.TempDir()
	out := filepath.Join(parent, "run")
	lock, _, err := output.Lock(out)
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf("another journeysim (process %d) is writing it", os.Getpid())
	for _, args := range [][]string{
		{"run", "testdata/small.yaml", "--quiet", "--out", out},
		{"sweep", writeExperiment(t, testExperiment), "--quiet", "--out", out},
	} {
		code, _, stderr := runCLI(t, args...)
		if code != exitUsage || !strings.Contains(stderr, want) {
			t.Errorf("%s while locked: exit %d, stderr %q; want %d and %q", args[0], code, stderr, exitUsage, want)
		}
		if _, err := os.Stat(out); err == nil {
			t.Errorf("%s while locked wrote %s", args[0], out)
		}
	}
	if err := lock.Unlock(); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := runCLI(t, "run", "testdata/small.yaml", "--quiet", "--out", out); code != exitOK {
		t.Fatalf("run after the lock is released: exit %d: %s", code, stderr)
	}
	entries, _ := os.ReadDir(parent)
	if len(entries) != 1 {
		var names []string
		for _, e := range entries {
			names = append(names, e.Name())
		}
		t.Errorf("beside the result folder: %v; want only the folder", names)
	}
}
