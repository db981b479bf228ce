package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios"
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
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
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
		{"usage_brief_csv", []string{"run", "testdata/small.yaml", "--brief", "--format", "csv"}},
		{"usage_bad_workers", []string{"run", "testdata/small.yaml", "--workers", "-2"}},
		{"usage_bad_strategy", []string{"run", "testdata/small.yaml", "--strategies", "omni,mono"}},
		{"usage_too_many_args", []string{"run", "a.yaml", "b.yaml"}},
		{"usage_unknown_command", []string{"simulate"}},
		{"usage_validate_no_file", []string{"validate"}},
		{"missing_file", []string{"run", "testdata/nosuch.yaml"}},
		{"runtime_error", []string{"run", "testdata/runtime_error.yaml"}},
		{"unknown_builtin", []string{"run", "nosuch-scenario"}},
		{"unknown_builtin_typo", []string{"run", "email-presure"}},
		{"set_unmeasurable_key", []string{"run", "survey-metrics", "--set", "survey.sample=0"}},
		{"set_survey_out_of_range", []string{"run", "survey-metrics", "--set", "survey.sample=2"}},
		{"set_review_rating_out_of_range", []string{"run", "moments-of-truth", "--set", "reviews.rating=9"}},
		{"usage_flag_not_a_number", []string{"run", "testdata/small.yaml", "--horizon", "99999999999999999999"}},
		{"usage_negative_seed", []string{"run", "testdata/small.yaml", "--seed", "-1"}},
		{"usage_out_is_a_file", []string{"run", "testdata/small.yaml", "--out", "testdata/small.yaml"}},
		{"usage_out_under_a_file", []string{"run", "testdata/small.yaml", "--out", "testdata/small.yaml/results"}},
		{"usage_bad_baseline", []string{"run", "testdata/small.yaml", "--baseline", "mono"}},
		{"usage_bad_check", []string{"run", "testdata/small.yaml", "--check", "profit_to_cost >> 1"}},
		{"usage_bad_check_name", []string{"run", "testdata/small.yaml", "--check", "churn < 0.1"}},
		{"usage_bad_half_life", []string{"run", "testdata/small.yaml", "--attribution", "--half-life", "0"}},
		{"run_baseline", []string{"run", "testdata/small.yaml", "--baseline", "omni", "--strategies", "multi,omni", "--reps", "3"}},
		{"run_attribution", []string{"run", "testdata/small.yaml", "--attribution", "--reps", "2"}},
		{"run_one_replication", []string{"run", "testdata/small.yaml", "--reps", "1", "--check", "churn_rate < 0.5"}},
		{"usage_check_romi_needs_attribution", []string{"run", "testdata/small.yaml", "--check", "romi > 1"}},
		{"usage_check_no_competitor", []string{"run", "testdata/small.yaml", "--check", "share_of_wallet > 0.5"}},
		{"usage_check_typo", []string{"run", "testdata/small.yaml", "--check", "revnue > 10%"}},
		{"usage_half_life_alone", []string{"run", "testdata/small.yaml", "--half-life", "3"}},
		{"usage_half_life_not_a_number", []string{"run", "testdata/small.yaml", "--attribution", "--half-life", "abc"}},
		{"usage_out_not_empty", []string{"run", "testdata/small.yaml", "--out", "testdata"}},
		{"run_failed_check_csv", []string{"run", "testdata/small.yaml", "--format", "csv", "--check", "profit_to_cost > 1.2"}},
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

// runFolder runs small.yaml into a new result folder with a fixed clock.
func runFolder(t *testing.T, extra ...string) (string, string) {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "results")
	var stdout, stderr bytes.Buffer
	clock := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	st := &globalState{ctx: context.Background(), stdout: &stdout, stderr: &stderr,
		now:   func() time.Time { clock = clock.Add(time.Second); return clock },
		build: testBuild, hostname: func() (string, error) { return "node-7", nil }}
	args := append([]string{"run", "testdata/small.yaml", "--out", dir}, extra...)
	if code := execute(st, args); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr.String())
	}
	return dir, stdout.String()
}

// maskManifest blanks what differs between two identical runs: when they
// ran, for how long, and the command line with its output folder.
func maskManifest(t *testing.T, data []byte) string {
	t.Helper()
	var doc map[string]any
	if err := json.Unmarshal(data, &doc); err != nil {
		t.Fatalf("manifest.json: %v", err)
	}
	for _, k := range []string{"started", "finished", "wall_seconds", "command_line", "commit", "version"} {
		if _, ok := doc[k]; ok {
			doc[k] = "(masked)"
		}
	}
	if build, ok := doc["build"].(map[string]any); ok {
		build["version"] = "(masked)"
	}
	files, _ := doc["files"].([]any)
	for _, f := range files {
		if m, ok := f.(map[string]any); ok && strings.HasSuffix(m["name"].(string), ".parquet") {
			m["sha256"] = "(masked)"
		}
	}
	out, _ := json.MarshalIndent(doc, "", "  ")
	return string(out) + "\n"
}

// The result folder holds every table as CSV and Parquet, the summary, the
// effective scenario and a manifest; its text files match the golden
// folder, timing masked.
func TestResultFolder(t *testing.T) {
	dir, _ := runFolder(t, "--attribution", "--check", "revenue > 0")
	want := []string{"manifest.json", "summary.txt", "summary.json", "scenario.yaml"}
	for _, table := range []string{"summary", "replications", "timeseries", "channels", "touchpoints", "comparisons", "business_case", "attribution", "holdouts", "checks"} {
		want = append(want, table+".csv", table+".parquet")
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range entries {
		got = append(got, e.Name())
	}
	slices.Sort(got)
	slices.Sort(want)
	if !slices.Equal(got, want) {
		t.Errorf("folder holds %v, want %v", got, want)
	}
	for _, name := range got {
		if strings.HasSuffix(name, ".parquet") || name == "summary.json" {
			continue // binary, or the same data as the CSV files
		}
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		text := string(data)
		if name == "manifest.json" {
			text = maskManifest(t, data)
		}
		golden(t, filepath.Join("folder", name), text)
	}
	// The recorded scenario runs again to the same numbers.
	again, _ := runFolder(t, "--attribution", "--check", "revenue > 0")
	rerun := filepath.Join(t.TempDir(), "rerun")
	code, _, stderr := runCLI(t, "run", filepath.Join(again, "scenario.yaml"), "--attribution", "--check", "revenue > 0", "--out", rerun)
	if code != 0 {
		t.Fatalf("rerun of scenario.yaml: exit %d: %s", code, stderr)
	}
	for _, name := range []string{"summary.csv", "replications.csv", "timeseries.csv", "attribution.csv"} {
		a, _ := os.ReadFile(filepath.Join(dir, name))
		b, _ := os.ReadFile(filepath.Join(rerun, name))
		if !bytes.Equal(a, b) {
			t.Errorf("%s differs when the recorded scenario.yaml is run again", name)
		}
	}
}

// Two runs with the same seed give identical folders: every file byte for
// byte, the manifest once its timing is masked.
func TestSameSeedSameFolder(t *testing.T) {
	a, _ := runFolder(t, "--attribution", "--workers", "1")
	b, _ := runFolder(t, "--attribution", "--workers", "2")
	entries, err := os.ReadDir(a)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		da, _ := os.ReadFile(filepath.Join(a, e.Name()))
		db, err := os.ReadFile(filepath.Join(b, e.Name()))
		if err != nil {
			t.Errorf("%s missing from the second run", e.Name())
			continue
		}
		if e.Name() == "manifest.json" {
			ma, mb := maskManifest(t, da), maskManifest(t, db)
			ma = strings.Replace(ma, `"workers": 1`, `"workers": 2`, 1)
			if ma != mb {
				t.Errorf("manifests differ beyond timing:\n%s\n%s", ma, mb)
			}
			continue
		}
		if !bytes.Equal(da, db) {
			t.Errorf("%s differs between two runs with the same seed", e.Name())
		}
	}
}

// Every Parquet file reads back to exactly its CSV file.
func TestParquetEqualsCSV(t *testing.T) {
	dir, _ := runFolder(t, "--attribution")
	entries, _ := os.ReadDir(dir)
	n := 0
	for _, e := range entries {
		name, ok := strings.CutSuffix(e.Name(), ".parquet")
		if !ok {
			continue
		}
		n++
		f, err := os.Open(filepath.Join(dir, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		info, _ := f.Stat()
		pq, err := output.ReadParquet(f, info.Size(), name)
		f.Close()
		if err != nil {
			t.Fatalf("%s: %v", e.Name(), err)
		}
		c, err := os.Open(filepath.Join(dir, name+".csv"))
		if err != nil {
			t.Fatal(err)
		}
		csvTable, err := output.ReadCSV(c, pq)
		c.Close()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(csvTable.Columns, pq.Columns) || len(csvTable.Rows) != len(pq.Rows) {
			t.Errorf("%s: columns or row count differ from the CSV", e.Name())
			continue
		}
		for r := range pq.Rows {
			if !slices.Equal(pq.Rows[r], csvTable.Rows[r]) {
				t.Errorf("%s row %d: parquet %v, csv %v", e.Name(), r, pq.Rows[r], csvTable.Rows[r])
				break
			}
		}
	}
	if n != 10 {
		t.Errorf("%d Parquet files, want 10", n)
	}
}

// show prints a saved run's tables again, as the run printed them.
func TestShow(t *testing.T) {
	dir, printed := runFolder(t, "--attribution", "--check", "revenue > 0")
	code, stdout, stderr := runCLI(t, "show", dir)
	if code != 0 {
		t.Fatalf("show: exit %d: %s", code, stderr)
	}
	if !strings.HasSuffix(stdout, printed) {
		t.Errorf("show does not end with the tables the run printed:\n%s\n--- run printed\n%s", stdout, printed)
	}
	if !strings.Contains(stdout, "builtin") && !strings.Contains(stdout, "testdata/small.yaml") {
		t.Errorf("show does not say where the scenario came from:\n%s", stdout)
	}
	code, _, stderr = runCLI(t, "show", t.TempDir())
	if code != exitUsage || !strings.Contains(stderr, "not a result folder") {
		t.Errorf("show of an empty folder: exit %d, %q", code, stderr)
	}
	summary := filepath.Join(dir, "summary.json")
	data, _ := os.ReadFile(summary)
	os.WriteFile(summary, bytes.Replace(data, []byte(`"multi"`), []byte(`"mult1"`), 1), 0o644)
	code, _, stderr = runCLI(t, "show", dir)
	if code != exitUsage || !strings.Contains(stderr, "changed after the run") {
		t.Errorf("show of an edited folder: exit %d, %q", code, stderr)
	}
}

// A failed check exits 3 after printing every result, so a pipeline can
// stop on it.
func TestFailedCheckExitCode(t *testing.T) {
	code, stdout, stderr := runCLI(t, "run", "testdata/small.yaml", "--check", "profit_to_cost > 1000", "--check", "revenue > 0")
	if code != exitChecks {
		t.Errorf("exit %d, want %d", code, exitChecks)
	}
	for _, want := range []string{"✗ multi: profit_to_cost > 1000", "✓ omni: revenue > 0"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("stdout lacks %q", want)
		}
	}
	if !strings.Contains(stderr, "2 of 4 checks failed") {
		t.Errorf("stderr %q", stderr)
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

// Every example in the help names a scenario that exists: a built-in
// scenario, or a file.
func TestHelpExamplesNameRealScenarios(t *testing.T) {
	st := &globalState{getenv: func(string) string { return "" }}
	root := newRootCommand(st)
	takesScenario := map[string]bool{"run": true, "explain": true, "serve": true}
	for _, c := range root.Commands() {
		for _, line := range strings.Split(c.Example, "\n") {
			f := strings.Fields(line)
			if len(f) < 3 || f[0] != "journeysim" || !takesScenario[f[1]] {
				continue
			}
			for _, arg := range f[2:] {
				if strings.HasPrefix(arg, "-") {
					break
				}
				if strings.ContainsAny(arg, "/.") {
					continue // a file
				}
				if _, err := scenarios.BuiltinSource(arg); err != nil {
					t.Errorf("%s --help: %q names no built-in scenario", c.Name(), line)
				}
			}
		}
	}
}
