package main

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata/golden")

// runCLI runs one command line against buffers and returns its exit code,
// standard output and standard error.
func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	st := &globalState{ctx: context.Background(), stdout: &stdout, stderr: &stderr}
	code := execute(st, args)
	return code, stdout.String(), stderr.String()
}

// golden compares got with testdata/golden/name.golden, or rewrites it
// under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", "golden", name+".golden")
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/journeysim -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (go test ./cmd/journeysim -update rewrites it)\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func transcript(code int, stdout, stderr string) string {
	return fmt.Sprintf("exit %d\n--- stdout\n%s--- stderr\n%s", code, stdout, stderr)
}

func TestGoldenOutput(t *testing.T) {
	cases := []struct {
		name string
		args []string
	}{
		{"run_table", []string{"run", "testdata/small.yaml", "--workers", "2"}},
		{"run_csv", []string{"run", "testdata/small.yaml", "--format", "csv"}},
		{"run_json", []string{"run", "testdata/small.yaml", "--format", "json", "--reps", "1"}},
		{"run_subset", []string{"run", "testdata/small.yaml", "--strategies", "omni", "--horizon", "10", "--customers", "100"}},
		{"validate_ok", []string{"validate", "testdata/small.yaml", "testdata/ok_minimal.yaml"}},
		{"usage_unknown_flag", []string{"run", "--reps-count", "3"}},
		{"usage_bad_reps", []string{"run", "testdata/small.yaml", "--reps", "0"}},
		{"usage_bad_format", []string{"run", "testdata/small.yaml", "--format", "xml"}},
		{"usage_bad_workers", []string{"run", "testdata/small.yaml", "--workers", "-2"}},
		{"usage_bad_strategy", []string{"run", "testdata/small.yaml", "--strategies", "omni,mono"}},
		{"usage_too_many_args", []string{"run", "a.yaml", "b.yaml"}},
		{"usage_unknown_command", []string{"simulate"}},
		{"usage_validate_no_file", []string{"validate"}},
		{"missing_file", []string{"run", "testdata/nosuch.yaml"}},
		{"runtime_error", []string{"run", "testdata/runtime_error.yaml"}},
		{"unknown_builtin", []string{"run", "nosuch-scenario"}},
		{"unknown_builtin_typo", []string{"run", "email-presure"}},
		{"usage_flag_not_a_number", []string{"run", "testdata/small.yaml", "--horizon", "99999999999999999999"}},
		{"usage_negative_seed", []string{"run", "testdata/small.yaml", "--seed", "-1"}},
		{"usage_out_is_a_file", []string{"run", "testdata/small.yaml", "--out", "testdata/small.yaml"}},
		{"usage_out_under_a_file", []string{"run", "testdata/small.yaml", "--out", "testdata/small.yaml/results"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := runCLI(t, tc.args...)
			golden(t, tc.name, transcript(code, stdout, stderr))
		})
	}
}

// TestGoldenInputErrors checks the message and exit code for every class
// of bad scenario input in testdata/bad.
func TestGoldenInputErrors(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("testdata", "bad", "*.yaml"))
	if err != nil || len(files) == 0 {
		t.Fatalf("no bad scenarios: %v", err)
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".yaml")
		t.Run(name, func(t *testing.T) {
			for _, verb := range []string{"validate", "run"} {
				code, stdout, stderr := runCLI(t, verb, f)
				if code != exitUsage {
					t.Errorf("%s %s: exit %d, want %d", verb, f, code, exitUsage)
				}
				if stdout != "" {
					t.Errorf("%s %s: wrote to stdout: %q", verb, f, stdout)
				}
				if !strings.Contains(stderr, f+":") {
					t.Errorf("%s %s: the message does not name the file: %q", verb, f, stderr)
				}
				if verb == "validate" {
					golden(t, "bad_"+name, transcript(code, stdout, stderr))
				}
			}
		})
	}
}

// TestOutputIndependentOfWorkers is the determinism contract seen from the
// command line: the same bytes whatever the parallelism.
func TestOutputIndependentOfWorkers(t *testing.T) {
	var first string
	for _, w := range []string{"1", "3", "8"} {
		code, stdout, stderr := runCLI(t, "run", "testdata/small.yaml", "--format", "csv", "--workers", w)
		if code != 0 {
			t.Fatalf("--workers %s: exit %d: %s", w, code, stderr)
		}
		if first == "" {
			first = stdout
		} else if stdout != first {
			t.Errorf("--workers %s gives different output than --workers 1", w)
		}
	}
}

// TestStrategySubsetSameResults: a strategy's rows do not depend on which
// other strategies run alongside it.
func TestStrategySubsetSameResults(t *testing.T) {
	rows := func(args ...string) []string {
		code, stdout, stderr := runCLI(t, append([]string{"run", "testdata/small.yaml", "--format", "csv"}, args...)...)
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		var out []string
		for _, line := range strings.Split(stdout, "\n") {
			if strings.Contains(line, ",omni,") {
				out = append(out, line)
			}
		}
		return out
	}
	all, only := rows(), rows("--strategies", "omni")
	if len(all) == 0 || strings.Join(all, "\n") != strings.Join(only, "\n") {
		t.Errorf("omni's rows differ when run alone:\n%s\nvs\n%s", strings.Join(all, "\n"), strings.Join(only, "\n"))
	}
}

func TestOutWritesEveryFile(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "results")
	code, stdout, stderr := runCLI(t, "run", "testdata/small.yaml", "--format", "csv", "--out", dir)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	for _, name := range []string{"summary.txt", "summary.csv", "summary.json", "replications.csv", "series.csv"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Errorf("%s: %v", name, err)
			continue
		}
		if len(data) == 0 {
			t.Errorf("%s is empty", name)
		}
	}
	csv, _ := os.ReadFile(filepath.Join(dir, "summary.csv"))
	if string(csv) != stdout {
		t.Errorf("summary.csv differs from the CSV printed")
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left behind: %s", e.Name())
		}
	}
}

func TestInterruptedBeforeAnyReplication(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	var stdout, stderr bytes.Buffer
	st := &globalState{ctx: ctx, stdout: &stdout, stderr: &stderr}
	dir := filepath.Join(t.TempDir(), "out")
	code := execute(st, []string{"run", "testdata/small.yaml", "--out", dir})
	if code != exitFailure {
		t.Errorf("exit %d, want %d", code, exitFailure)
	}
	if stdout.Len() != 0 {
		t.Errorf("printed results of an interrupted run: %q", stdout.String())
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("an interrupted run created %s", dir)
	}
	if !strings.Contains(stderr.String(), "interrupted") {
		t.Errorf("stderr does not say the run was interrupted: %q", stderr.String())
	}
}

func TestVersionAndScenarios(t *testing.T) {
	code, stdout, _ := runCLI(t, "version")
	if code != 0 || !strings.HasPrefix(stdout, "journeysim ") {
		t.Errorf("version: exit %d, %q", code, stdout)
	}
	code, stdout, _ = runCLI(t, "scenarios")
	if code != 0 || !strings.Contains(stdout, "reference") {
		t.Errorf("scenarios: exit %d, %q", code, stdout)
	}
	code, stdout, _ = runCLI(t, "scenarios", "reference")
	if code != 0 || !strings.Contains(stdout, "name: reference") {
		t.Errorf("scenarios reference: exit %d, %q", code, stdout)
	}
}
