package main

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// slurmExperiment is scenarios/experiments/email-frequency.yaml made
// small: 3 caps × 2 discounts = 6 points × 2 strategies × 2 replications
// of 1,000 customers over 60 days, 24 runs in a few seconds.
const slurmExperiment = `name: email-frequency-slurm
description: "Weekly e-mail cap × discount, against one e-mail a week (Slurm test)"
scenario: email-pressure
seed: 7
replications: 2
strategies: [email_1pw, email_7pw]
outcomes: [revenue, profit, loyalty, churn_rate, opt_out_rate]
design: {kind: grid}
parameters:
  population.size: {values: [1000]}
  run.horizon: {values: [60]}
  strategies.email_7pw.caps.email.max: {min: 1, max: 7, steps: 3, integer: true}
  strategies.email_7pw.discount: {values: [0, 0.1]}
`

// slurmLogDir is where testdata/slurm/setup.sh has the daemons log.
const slurmLogDir = "/var/log/journeysim-slurm"

// The job array that --emit slurm prints runs every shard on a real Slurm
// cluster, and the shards, merged, equal an unsharded local sweep byte for
// byte. Needs a running cluster: make test-slurm brings up a one-node one
// with testdata/slurm/setup.sh and runs this test.
func TestSlurmSweep(t *testing.T) {
	if os.Getenv("JOURNEYSIM_SLURM") != "1" {
		t.Skip("set JOURNEYSIM_SLURM=1 to run against a real Slurm cluster (make test-slurm does, after testdata/slurm/setup.sh)")
	}
	for _, tool := range []string{"sbatch", "squeue", "scancel", "sinfo"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Fatalf("JOURNEYSIM_SLURM=1 but %s is not on PATH: run testdata/slurm/setup.sh (make test-slurm does)", tool)
		}
	}
	// A stuck queue fails the test rather than hanging it.
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()

	bin := journeysimBinary(t)
	dir := t.TempDir()
	exp := filepath.Join(dir, "experiment.yaml")
	if err := os.WriteFile(exp, []byte(slurmExperiment), 0o644); err != nil {
		t.Fatal(err)
	}
	local := filepath.Join(dir, "local")
	shards := filepath.Join(dir, "shards")
	merged := filepath.Join(dir, "merged")

	run := func(name string, args ...string) string {
		t.Helper()
		out, err := command(ctx, dir, name, args...)
		if err != nil {
			t.Fatalf("%s %s: %v\n%s", name, strings.Join(args, " "), err, out)
		}
		return out
	}

	run(bin, "sweep", exp, "--out", local, "--quiet")

	script := run(bin, "sweep", exp, "--shard", "auto/3", "--emit", "slurm", "--out", shards)
	if !strings.Contains(script, "#SBATCH --array=0-2") {
		t.Fatalf("the Slurm script is not a 3-task array:\n%s", script)
	}
	scriptPath := filepath.Join(dir, "sweep.sbatch")
	if err := os.WriteFile(scriptPath, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	out, err := command(ctx, dir, "sbatch", "--wait", scriptPath)
	t.Logf("sbatch --wait: %s in %s", strings.TrimSpace(out), time.Since(start).Round(time.Millisecond))
	if err != nil {
		if m := regexp.MustCompile(`Submitted batch job (\d+)`).FindStringSubmatch(out); m != nil {
			// Say why tasks are still queued, if any, and leave none behind
			// a failed or timed out test.
			cctx, ccancel := context.WithTimeout(context.Background(), 30*time.Second)
			queue, _ := command(cctx, dir, "squeue", "-j", m[1], "-o", "%i %T %r")
			nodes, _ := command(cctx, dir, "sinfo", "-N", "-o", "%N %T %E")
			t.Logf("squeue -j %s:\n%ssinfo:\n%s", m[1], queue, nodes)
			command(cctx, dir, "scancel", m[1])
			ccancel()
		}
		slurmLogs(t, shards)
		t.Fatalf("sbatch --wait %s: %v\n%s", scriptPath, err, out)
	}

	dirs, err := filepath.Glob(filepath.Join(shards, "shard-*"))
	if err != nil {
		t.Fatal(err)
	}
	if len(dirs) != 3 {
		slurmLogs(t, shards)
		t.Fatalf("the job array left %d shard folders, want 3: %v", len(dirs), dirs)
	}
	if out, err := command(ctx, dir, bin, append(append([]string{"merge"}, dirs...), "--out", merged)...); err != nil {
		slurmLogs(t, shards)
		t.Fatalf("merge: %v\n%s", err, out)
	}

	want, err := os.ReadFile(filepath.Join(local, "runs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(filepath.Join(merged, "runs.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if rows := bytes.Count(want, []byte("\n")); rows != 1+24 {
		t.Errorf("the local sweep's runs.csv has %d lines, want a header and 24 runs", rows)
	}
	if !bytes.Equal(got, want) {
		slurmLogs(t, shards)
		t.Errorf("runs.csv merged from the Slurm shards differs from the local sweep's\n--- merged\n%s--- local\n%s", got, want)
	}
	if fi, err := os.Stat(filepath.Join(merged, "runs.parquet")); err != nil || fi.Size() == 0 {
		t.Errorf("merged runs.parquet missing or empty: %v", err)
	}
}

// command runs name with args in dir and returns its output, stdout and
// stderr together; ctx ending kills it.
func command(ctx context.Context, dir, name string, args ...string) (string, error) {
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.WaitDelay = 5 * time.Second
	out, err := cmd.CombinedOutput()
	if ctx.Err() != nil {
		err = ctx.Err()
	}
	return string(out), err
}

// slurmLogs logs the job array's output files and the end of the Slurm
// daemons' logs.
func slurmLogs(t *testing.T, shards string) {
	t.Helper()
	logs, _ := filepath.Glob(filepath.Join(shards, "slurm-*.log"))
	if len(logs) == 0 {
		t.Logf("no task output in %s/slurm-*.log", shards)
	}
	for _, name := range append(logs, filepath.Join(slurmLogDir, "slurmctld.log"), filepath.Join(slurmLogDir, "slurmd.log")) {
		data, err := os.ReadFile(name)
		if err != nil {
			t.Logf("%s: %v", name, err)
			continue
		}
		lines := strings.SplitAfter(string(data), "\n")
		if len(lines) > 40 {
			lines = lines[len(lines)-40:]
		}
		t.Logf("===== %s (last %d lines)\n%s", name, len(lines), strings.Join(lines, ""))
	}
}
