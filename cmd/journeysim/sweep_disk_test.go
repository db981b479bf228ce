//go:build unix

package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/journeysim/journeysim/results/sweep"
	"golang.org/x/sys/unix"
)

// diskExperiment is a sweep of 48 small runs (16 points × 3
// replications, 2 strategies each), whose runs table outgrows every other
// file of its folder, so that a limit on file size can stop it at each
// of the files it writes.
var diskExperiment = lhsExperiment("disk-sweep", 11, 16, 100, 20)

const diskUnits = 16 * 3

// diskSweepEnv names the environment variable that makes
// TestSweepDiskHelper run: the limit on file size in bytes, then the
// sweep's command line, one item a line.
const diskSweepEnv = "JOURNEYSIM_TEST_DISK_SWEEP"

// TestSweepDiskHelper is a part of TestSweepDiskFull, which runs it in a
// process of its own: it lowers the limit on the size of the files the
// process writes (RLIMIT_FSIZE, as prlimit --fsize does), so that a write
// past it fails with EFBIG as on a full disk, runs the command line and
// exits with its code. Run otherwise, it does nothing.
func TestSweepDiskHelper(t *testing.T) {
	env := os.Getenv(diskSweepEnv)
	if env == "" {
		return
	}
	lines := strings.Split(env, "\n")
	limit, err := strconv.ParseUint(lines[0], 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	if err := unix.Setrlimit(unix.RLIMIT_FSIZE, &unix.Rlimit{Cur: limit, Max: limit}); err != nil {
		t.Fatal(err)
	}
	os.Exit(execute(&globalState{ctx: context.Background(), stdout: os.Stdout, stderr: os.Stderr}, lines[1:]))
}

// sweepWithLimit runs a sweep in a process of its own whose files may
// grow to limit bytes, and returns its exit code and standard error.
func sweepWithLimit(t *testing.T, limit int64, args ...string) (int, string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSweepDiskHelper$")
	cmd.Env = append(os.Environ(), diskSweepEnv+"="+strconv.FormatInt(limit, 10)+"\n"+strings.Join(args, "\n"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	err := cmd.Run()
	var exit *exec.ExitError
	switch {
	case errors.As(err, &exit) && exit.Exited():
		return exit.ExitCode(), stderr.String()
	case err != nil:
		t.Fatalf("the sweep with files limited to %d bytes: %v\n%s", limit, err, stderr.String())
	}
	return 0, stderr.String()
}

func fileSize(t *testing.T, path string) int64 {
	t.Helper()
	info, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	return info.Size()
}

// A disk that fills during a sweep, at whichever file of its folder,
// stops the sweep as a run failure (exit 1) with a message that names
// the file and says how to go on. The folder holds a manifest from the
// start (or is not left at all), keeps every whole run, and --resume
// finishes it, once there is room, with the very bytes of a sweep never
// stopped, the last run's rows cut off mid-write included. A full disk is
// stood for by a limit on file size, which fails writes with EFBIG just
// as ENOSPC does, at a byte that does not depend on timing: one worker
// appends the runs in a fixed order.
func TestSweepDiskFull(t *testing.T) {
	if testing.Short() {
		t.Skip("runs sweeps in processes of their own; skipped with -short")
	}
	exp := writeExperiment(t, diskExperiment)
	base := t.TempDir()
	whole := filepath.Join(base, "whole")
	if code, _, stderr := runCLI(t, "sweep", exp, "--out", whole, "--quiet"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	size := func(name string) int64 { return fileSize(t, filepath.Join(whole, name)) }
	manifest, scenario, runs := size(sweep.ManifestFile), size(sweep.ScenarioFile), size(sweep.RunsFile)
	// The limits below rest on the manifest's being the smallest of these
	// files and the runs table the largest, each with room to spare.
	if !(manifest+500 < scenario && scenario+2000 < runs) {
		t.Fatalf("file sizes %d (manifest), %d (scenario), %d (runs): this test needs each to be well under the next; change diskExperiment", manifest, scenario, runs)
	}
	for _, tc := range []struct {
		name  string
		limit int64
		file  string // the file that cannot be written
	}{
		{"manifest", manifest / 2, sweep.ManifestFile},
		{"scenario", (manifest + 500 + scenario) / 2, sweep.ScenarioFile},
		{"runs table, early", scenario + 1, sweep.RunsFile},
		{"runs table, late", runs - 300, sweep.RunsFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "out")
			args := []string{"sweep", exp, "--out", dir, "--workers", "1", "--quiet"}
			// Twice: the sweep, then a resume while the disk is still full.
			for i, args := range [][]string{args, append(args, "--resume")} {
				code, stderr := sweepWithLimit(t, tc.limit, args...)
				if code != exitFailure {
					t.Fatalf("%s: exit %d, want %d: %s", args, code, exitFailure, stderr)
				}
				first, rest, _ := strings.Cut(stderr, "\n")
				if want := fmt.Sprintf("journeysim: write %s: file too large", filepath.Join(dir, tc.file)); first != want {
					t.Errorf("%s: says %q; want %q", args, first, want)
				}
				checkFolderAfterDiskFull(t, dir, i == 0, tc.file == sweep.RunsFile, tc.limit)
				var hint string
				switch {
				case tc.file == sweep.ManifestFile:
					hint = fmt.Sprintf("  no runs were kept; once the limit on file size (ulimit -f) allows more, start again with: journeysim sweep %s --out %s\n", exp, dir)
				case i == 0:
					hint = fmt.Sprintf("  %s keeps %d of %d runs; once the limit on file size (ulimit -f) allows more, finish with: journeysim sweep %s --out %s --resume\n", dir, wholeUnits(t, dir), diskUnits, exp, dir)
				case tc.file == sweep.RunsFile:
					hint = fmt.Sprintf("  %s keeps %d of %d runs; once", dir, wholeUnits(t, dir), diskUnits)
				default: // the resume stopped before reading the runs
					hint = fmt.Sprintf("  %s keeps its finished runs; once", dir)
				}
				if !strings.HasPrefix(rest, hint) {
					t.Errorf("%s: then says %q; want %q", args, rest, hint)
				}
			}
			// Once there is room, the resume finishes the sweep.
			if code, _, stderr := runCLI(t, "sweep", exp, "--out", dir, "--resume", "--quiet"); code != 0 {
				t.Fatalf("resume: exit %d: %s", code, stderr)
			}
			for _, name := range []string{sweep.RunsFile, sweep.RunsParquet, sweep.ExperimentFile, sweep.ScenarioFile} {
				got, err := os.ReadFile(filepath.Join(dir, name))
				if err != nil {
					t.Fatal(err)
				}
				if want, _ := os.ReadFile(filepath.Join(whole, name)); !bytes.Equal(got, want) {
					t.Errorf("%s of the resumed sweep differs from that of a sweep never stopped", name)
				}
			}
			if m, err := sweep.ReadManifest(dir); err != nil || !m.Complete || m.Done != diskUnits {
				t.Errorf("manifest %+v, %v; want it complete with %d runs", m, err, diskUnits)
			}
		})
	}
}

// checkFolderAfterDiskFull checks the folder dir of a sweep that a limit
// on file size stopped: a folder it made holds a readable manifest (if it
// could not write the manifest, it left no folder: first is true for the
// sweep that would have made it) and no temporary file; a runs table that
// filled up holds limit bytes, the last run's rows cut off where the
// limit fell.
func checkFolderAfterDiskFull(t *testing.T, dir string, first, journal bool, limit int64) {
	t.Helper()
	list, err := os.ReadDir(dir)
	if errors.Is(err, os.ErrNotExist) {
		return
	}
	if err != nil {
		t.Fatal(err)
	}
	if _, err := sweep.ReadManifest(dir); err != nil {
		t.Errorf("the folder the sweep left: %v", err)
	}
	for _, e := range list {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("the folder the sweep left holds %s", e.Name())
		}
	}
	if journal && first {
		if n := fileSize(t, filepath.Join(dir, sweep.RunsFile)); n != limit {
			t.Errorf("runs.csv holds %d bytes; want %d, up to the limit", n, limit)
		}
	}
}

// wholeUnits is the number of runs whose rows are whole in the runs table
// of dir, written by one worker: all lines but the header and a last one
// cut short, two rows (strategies) a run.
func wholeUnits(t *testing.T, dir string) int {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, sweep.RunsFile))
	if err != nil {
		return 0
	}
	return (bytes.Count(data, []byte("\n")) - 1) / 2
}
