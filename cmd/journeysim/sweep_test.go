package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"
)

// lhsExperiment is an experiment file: a Latin hypercube of points over
// the e-mail cap and discount of email_7pw in a shrunken email-pressure
// (customers over horizon days), against email_1pw, with 3 replications.
func lhsExperiment(name string, seed, points, customers, horizon int) string {
	return fmt.Sprintf(`name: %s
scenario: email-pressure
seed: %d
replications: 3
strategies: [email_1pw, email_7pw]
outcomes: [revenue, profit, loyalty, opt_out_rate]
design: {kind: lhs, points: %d}
parameters:
  population.size: {values: [%d]}
  run.horizon: {values: [%d]}
  strategies.email_7pw.caps.email.max: {min: 1, max: 7, integer: true}
  strategies.email_7pw.discount: {min: 0, max: 0.2}
`, name, seed, points, customers, horizon)
}

// testExperiment is a small sweep: 8 points × 2 strategies × 3
// replications.
var testExperiment = lhsExperiment("test-sweep", 5, 8, 400, 40)

func writeExperiment(t *testing.T, src string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "experiment.yaml")
	if err := os.WriteFile(path, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func readRuns(t *testing.T, dir string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(dir, "runs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

// A sweep's runs do not depend on the number of workers; its shards,
// merged, equal it row for row; merge refuses an incomplete set of shards
// or shards of another experiment; --explain gives a run command that
// repeats a row on its own.
func TestSweepShardsMerge(t *testing.T) {
	exp := writeExperiment(t, testExperiment)
	base := t.TempDir()
	whole := filepath.Join(base, "whole")
	if code, _, stderr := runCLI(t, "sweep", exp, "--out", whole, "--workers", "1"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	want := readRuns(t, whole)
	if n := strings.Count(want, "\n"); n != 1+8*2*3 {
		t.Fatalf("%d lines in runs.csv; want a header and 48 rows", n)
	}
	if _, err := os.Stat(filepath.Join(whole, "runs.parquet")); err != nil {
		t.Error(err)
	}
	two := filepath.Join(base, "two")
	if code, _, stderr := runCLI(t, "sweep", exp, "--out", two, "--workers", "3"); code != 0 {
		t.Fatalf("sweep, 3 workers: exit %d: %s", code, stderr)
	}
	if got := readRuns(t, two); got != want {
		t.Errorf("3 workers give other runs than 1")
	}
	var shards []string
	for i := range 3 {
		dir := filepath.Join(base, "shard-"+string(rune('0'+i)))
		shards = append(shards, dir)
		env := map[string]string{"SLURM_ARRAY_TASK_ID": string(rune('0' + i))}
		if code, _, stderr := runWith(t, env, "sweep", exp, "--out", dir, "--shard", "auto/3"); code != 0 {
			t.Fatalf("shard %d: exit %d: %s", i, code, stderr)
		}
	}
	code, _, stderr := runCLI(t, "merge", shards[0], shards[2], "--out", filepath.Join(base, "partial"))
	if code != exitUsage || !strings.Contains(stderr, "shards missing: 1/3") {
		t.Errorf("merge of two of three shards: exit %d, %s", code, stderr)
	}
	merged := filepath.Join(base, "merged")
	if code, _, stderr := runCLI(t, "merge", shards[2], shards[0], shards[1], "--out", merged); code != 0 {
		t.Fatalf("merge: exit %d: %s", code, stderr)
	}
	if got := readRuns(t, merged); got != want {
		t.Errorf("merged shards differ from the whole sweep:\n%s\n--- want\n%s", got, want)
	}
	other := writeExperiment(t, strings.Replace(testExperiment, "seed: 5", "seed: 6", 1))
	odd := filepath.Join(base, "odd")
	if code, _, stderr := runCLI(t, "sweep", other, "--out", odd, "--shard", "1/3"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	code, _, stderr = runCLI(t, "merge", shards[0], odd, shards[2], "--out", filepath.Join(base, "mixed"))
	if code != exitUsage || !strings.Contains(stderr, "shards of different experiments cannot be merged") {
		t.Errorf("merge across experiments: exit %d, %s", code, stderr)
	}
	// Row 13 repeated alone with the command --explain gives.
	code, out, stderr := runCLI(t, "sweep", exp, "--explain", "13")
	if code != 0 {
		t.Fatalf("--explain: exit %d: %s", code, stderr)
	}
	line := strings.Split(strings.TrimSpace(out), "\n")[1]
	args := strings.Fields(strings.TrimPrefix(line, "journeysim "))
	args = append(args, "--format", "csv")
	code, runOut, stderr := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("%s: exit %d: %s", line, code, stderr)
	}
	row := strings.Split(strings.Split(want, "\n")[1+13], ",")
	revenue := row[len(row)-4]
	if !strings.Contains(runOut, ",revenue,EUR,1,"+revenue+",") {
		t.Errorf("run 13 alone does not give the sweep's revenue %s:\n%s", revenue, runOut)
	}
}

// journeysim builds the command once, for tests that must run it as a
// process of its own.
var (
	binOnce sync.Once
	binPath string
	binErr  error
)

func journeysimBinary(t *testing.T) string {
	t.Helper()
	binOnce.Do(func() {
		dir, err := os.MkdirTemp("", "journeysim-bin-")
		if err != nil {
			binErr = err
			return
		}
		binPath = filepath.Join(dir, "journeysim")
		if out, err := exec.Command("go", "build", "-o", binPath, ".").CombinedOutput(); err != nil {
			binErr = err
			t.Logf("%s", out)
		}
	})
	if binErr != nil {
		t.Fatalf("build journeysim: %v", binErr)
	}
	return binPath
}

// interruptAfter is the number of a test sweep's 24 units (points ×
// replications) that are in when it is interrupted.
const interruptAfter = 5

// A sweep cut short, by Ctrl-C or by a crash, keeps the runs it finished,
// and --resume finishes it with the same runs as a sweep never
// interrupted. Ctrl-C comes as a real SIGINT to this process and the crash
// as SIGKILL to a sweep in a process of its own, each sent by the sweep
// itself once interruptAfter units are in, one worker running them, so
// that what is kept does not depend on timing.
func TestSweepInterruptedResumes(t *testing.T) {
	exp := writeExperiment(t, testExperiment)
	base := t.TempDir()
	whole := filepath.Join(base, "whole")
	if code, _, stderr := runCLI(t, "sweep", exp, "--out", whole, "--quiet"); code != 0 {
		t.Fatalf("sweep: exit %d: %s", code, stderr)
	}
	want := readRuns(t, whole)
	// kept checks that dir holds the rows of interruptAfter units, each
	// as the whole sweep has it, and maybe part of a row after them; then
	// it resumes the sweep and compares.
	kept := func(t *testing.T, dir string) {
		t.Helper()
		data := readRuns(t, dir)
		lines := strings.SplitAfter(data[:strings.LastIndex(data, "\n")+1], "\n")
		if n := len(lines) - 2; n != 2*interruptAfter {
			t.Errorf("%d rows kept; want %d, those of the %d units finished", n, 2*interruptAfter, interruptAfter)
		}
		for _, line := range lines[1 : len(lines)-1] {
			if !strings.Contains(want, line) {
				t.Errorf("kept row %q is not a row of the whole sweep", line)
			}
		}
		if code, _, stderr := runCLI(t, "sweep", exp, "--out", dir, "--resume", "--quiet"); code != 0 {
			t.Fatalf("resume: exit %d: %s", code, stderr)
		}
		if got := readRuns(t, dir); got != want {
			t.Errorf("the resumed sweep differs from one never interrupted:\n%s\n--- want\n%s", got, want)
		}
	}

	t.Run("SIGINT", func(t *testing.T) {
		dir := filepath.Join(base, "interrupted")
		st, stop := newOSState()
		defer stop()
		var stdout, stderr bytes.Buffer
		st.stdout, st.stderr, st.stderrIsTerminal, st.args = &stdout, &stderr, false, nil
		self, err := os.FindProcess(os.Getpid())
		if err != nil {
			t.Fatal(err)
		}
		testHookSweepProgress = func(done, _ int) {
			if done != interruptAfter {
				return
			}
			if err := self.Signal(os.Interrupt); err != nil {
				t.Errorf("send SIGINT: %v", err)
				return
			}
			// Hold the sweep until the signal has cancelled it, so
			// that no run starts after this one.
			select {
			case <-st.ctx.Done():
			case <-time.After(time.Minute):
				t.Error("SIGINT did not reach the sweep")
			}
		}
		defer func() { testHookSweepProgress = nil }()
		code := execute(st, []string{"sweep", exp, "--out", dir, "--workers", "1", "--quiet"})
		testHookSweepProgress = nil
		if code != exitFailure {
			t.Errorf("exit %d after Ctrl-C; want %d", code, exitFailure)
		}
		resume := fmt.Sprintf("interrupted: %s holds %d of 24 runs; finish with: journeysim sweep %s --out %s --resume\n", dir, interruptAfter, exp, dir)
		if !strings.HasSuffix(stderr.String(), resume) {
			t.Errorf("after Ctrl-C: %q; want it to end %q", stderr.String(), resume)
		}
		kept(t, dir)
	})

	t.Run("SIGKILL", func(t *testing.T) {
		dir := filepath.Join(base, "crashed")
		sweepKilled(t, exp, dir)
		// A crash can cut the last row short: the resume drops it.
		path := filepath.Join(dir, "runs.csv")
		if data := readRuns(t, dir); !strings.HasSuffix(data, "\n") {
			t.Fatalf("runs.csv of the crashed sweep ends in part of a row: %q", data)
		}
		rows := strings.Split(want, "\n")
		torn := rows[len(rows)-2]
		f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := f.WriteString(torn[:len(torn)/2]); err != nil {
			t.Fatal(err)
		}
		if err := f.Close(); err != nil {
			t.Fatal(err)
		}
		kept(t, dir)
	})
}

// crashSweepEnv names the environment variable that makes
// TestSweepCrashHelper run: it holds the sweep's command line, one
// argument a line.
const crashSweepEnv = "JOURNEYSIM_TEST_CRASH_SWEEP"

// TestSweepCrashHelper is a part of TestSweepInterruptedResumes, which
// runs it in a process of its own: it runs a sweep, which kills its
// process (SIGKILL) once interruptAfter units are in. Run otherwise, it
// does nothing.
func TestSweepCrashHelper(t *testing.T) {
	args := os.Getenv(crashSweepEnv)
	if args == "" {
		return
	}
	self, err := os.FindProcess(os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	testHookSweepProgress = func(done, _ int) {
		if done == interruptAfter {
			self.Kill()
			select {} // SIGKILL is on its way
		}
	}
	code := execute(&globalState{ctx: context.Background(), stdout: os.Stdout, stderr: os.Stderr}, strings.Split(args, "\n"))
	t.Fatalf("the sweep ended (exit %d) with fewer than %d units in", code, interruptAfter)
}

// Mistakes in how sweep and merge are called say what is wrong.
func TestSweepUsage(t *testing.T) {
	exp := writeExperiment(t, testExperiment)
	out := t.TempDir()
	os.WriteFile(filepath.Join(out, "x"), nil, 0o644)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"sweep", exp}, "--out is required"},
		{[]string{"sweep", exp, "--out", out}, "is not empty and holds no sweep: give a new or empty folder"},
		{[]string{"sweep", exp, "--out", out, "--resume"}, "is not a sweep folder: it has no manifest.json, and holds x; give a new or empty folder"},
		{[]string{"sweep", exp, "--out", out + "/new", "--shard", "3/3"}, `--shard "3/3": I must be from 0 to 2`},
		{[]string{"sweep", exp, "--out", out + "/new", "--shard", "auto/3"}, "neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set"},
		{[]string{"sweep", exp, "--out", out + "/new", "--shard", "x"}, "want I/N or auto/N"},
		{[]string{"sweep", exp, "--out", out + "/new", "--emit", "pbs", "--shard", "auto/2"}, `--emit "pbs": allowed slurm, k8s`},
		{[]string{"sweep", exp, "--out", out + "/new", "--emit", "slurm"}, "--emit slurm needs --shard auto/N"},
		{[]string{"sweep", exp, "--explain", "99"}, "--explain 99: this experiment has runs 0 to 47"},
		{[]string{"sweep", filepath.Join(out, "none.yaml"), "--out", out + "/new"}, "cannot read the file"},
		{[]string{"merge", "--out", out + "/m"}, "takes the shards' folders"},
		{[]string{"merge", out, "--out", out + "/m"}, "is not a sweep folder"},
	} {
		code, _, stderr := runCLI(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, %q; want exit %d and %q", tc.args, code, stderr, exitUsage, tc.want)
		}
	}
}

// --emit prints jobs that run every shard and say how to merge them.
func TestSweepEmit(t *testing.T) {
	exp := writeExperiment(t, testExperiment)
	for _, tc := range []struct{ kind, want string }{
		{"slurm", "#SBATCH --array=0-3"},
		{"k8s", "completionMode: Indexed"},
	} {
		code, out, stderr := runCLI(t, "sweep", exp, "--out", filepath.Join(t.TempDir(), "res"), "--shard", "auto/4", "--emit", tc.kind)
		if code != 0 {
			t.Fatalf("%s: exit %d: %s", tc.kind, code, stderr)
		}
		for _, w := range []string{tc.want, "--shard auto/4", "merge"} {
			if !strings.Contains(strings.ReplaceAll(out, `", "`, " "), w) {
				t.Errorf("%s job lacks %q:\n%s", tc.kind, w, out)
			}
		}
	}
}

// sweepKilled runs the sweep of exp into dir in a process that
// TestSweepCrashHelper kills partway, and checks that it was killed.
func sweepKilled(t *testing.T, exp, dir string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, os.Args[0], "-test.run=^TestSweepCrashHelper$")
	cmd.Env = append(os.Environ(), crashSweepEnv+"="+strings.Join([]string{"sweep", exp, "--out", dir, "--workers", "1", "--quiet"}, "\n"))
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	if !errors.As(err, &exit) {
		t.Fatalf("the crashing sweep ended with %v; want it killed\n%s", err, out)
	}
	if ws, ok := exit.Sys().(syscall.WaitStatus); !ok || !ws.Signaled() || ws.Signal() != syscall.SIGKILL {
		t.Fatalf("the crashing sweep ended with %v; want it killed\n%s", err, out)
	}
}
