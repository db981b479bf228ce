package main

import (
	"context"
	"errors"
	"fmt"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/journeysim/journeysim/plugins"
	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/scenarios/experiment"
	"github.com/journeysim/journeysim/sim/text"
	"github.com/spf13/cobra"
)

type sweepOptions struct {
	out     string
	resume  bool
	workers int
	shard   string
	emit    string
	explain int
	quiet   bool
	plugins pluginFlags
}

func newSweepCommand(st *globalState) *cobra.Command {
	opts := &sweepOptions{}
	c := &cobra.Command{
		Use:   "sweep EXPERIMENT.yaml --out DIR",
		Short: "Run a batch experiment: design points × strategies × replications",
		Long: `Run every point of an experiment's design, under each of its strategies,
for each replication, on all cores, and write one row per point, strategy
and replication to DIR/runs.csv as each run finishes. The design is a
grid, random or Latin-hypercube points, or a Sobol' or Morris sample for
sensitivity analysis; 'journeysim analyze DIR' reads the folder back.
docs/experiments.md describes experiment files, and scenarios/experiments
holds examples.

A sweep cut short (Ctrl-C, a crash, a job's time limit, a full disk) keeps
every finished run; --resume finishes the rest. Each run's seed comes from
the experiment's seed, the point and the replication alone, so any run can
be repeated on its own: 'journeysim sweep EXPERIMENT.yaml --explain RUN'
prints the journeysim run command for the runs table's row RUN.

--shard I/N runs the I-th of N slices of the runs (I from 0); with
--shard auto/N, I comes from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX.
'journeysim merge' combines the shards' folders into one, equal row for
row to an unsharded sweep. --emit slurm|k8s prints a Slurm job-array script
or a Kubernetes indexed Job for the shards instead of running.`,
		Example: `  journeysim sweep experiment.yaml --out sweeps/freq
  journeysim sweep scenarios/experiments/email-morris.yaml --out sweeps/morris
  journeysim sweep experiment.yaml --out sweeps/freq --resume
  journeysim sweep experiment.yaml --out sweeps/freq/shard-3 --shard 3/8
  journeysim sweep experiment.yaml --out sweeps/freq --shard auto/8 --emit slurm > sweep.sbatch
  journeysim merge sweeps/freq/shard-* --out sweeps/freq-all`,
		Args: argsBetween(1, 1, "an experiment file"),
		RunE: func(c *cobra.Command, args []string) error {
			return runSweep(c.Context(), st, opts, args[0])
		},
	}
	f := c.Flags()
	f.StringVar(&opts.out, "out", "", "folder for the sweep's results (required)")
	f.BoolVar(&opts.resume, "resume", false, "finish the sweep in --out, keeping its finished runs (starts it if the folder is new)")
	f.IntVar(&opts.workers, "workers", 0, "runs at once (default: one per CPU); results do not depend on it")
	f.StringVar(&opts.shard, "shard", "", "run only slice I of N (I from 0), as I/N, or auto/N to read I from SLURM_ARRAY_TASK_ID or JOB_COMPLETION_INDEX")
	f.StringVar(&opts.emit, "emit", "", "print a cluster job for the shards instead of running: slurm or k8s (needs --shard auto/N)")
	f.IntVar(&opts.explain, "explain", -1, "print the journeysim run command that repeats row RUN of the runs table alone, and stop")
	f.BoolVarP(&opts.quiet, "quiet", "q", false, "no progress display")
	opts.plugins.register(f)
	return c
}

// parseShard reads --shard: I/N or auto/N.
func parseShard(st *globalState, s string) (sweep.Shard, bool, error) {
	if s == "" {
		return sweep.Shard{Index: 0, Count: 1}, false, nil
	}
	i, n, ok := strings.Cut(s, "/")
	count, err := strconv.Atoi(n)
	if !ok || err != nil || count < 1 || count > 100_000 {
		return sweep.Shard{}, false, usagef("--shard %q: want I/N or auto/N, N from 1 to 100,000, such as 0/4", s)
	}
	if i == "auto" {
		for _, name := range []string{"SLURM_ARRAY_TASK_ID", "JOB_COMPLETION_INDEX"} {
			if v := st.env(name); v != "" {
				k, err := strconv.Atoi(v)
				if err != nil || k < 0 || k >= count {
					return sweep.Shard{}, true, usagef("--shard auto/%d: %s is %q; allowed 0 to %d", count, name, v, count-1)
				}
				return sweep.Shard{Index: k, Count: count}, true, nil
			}
		}
		return sweep.Shard{Index: -1, Count: count}, true, nil
	}
	k, err := strconv.Atoi(i)
	if err != nil || k < 0 || k >= count {
		return sweep.Shard{}, false, usagef("--shard %q: I must be from 0 to %d", s, count-1)
	}
	return sweep.Shard{Index: k, Count: count}, false, nil
}

func runSweep(ctx context.Context, st *globalState, opts *sweepOptions, file string) error {
	shard, auto, err := parseShard(st, opts.shard)
	if err != nil {
		return err
	}
	if opts.emit != "" {
		return emitJob(st, opts, file, shard, auto)
	}
	if shard.Index < 0 {
		return usagef("--shard %s: neither SLURM_ARRAY_TASK_ID nor JOB_COMPLETION_INDEX is set; give the shard as I/N", opts.shard)
	}
	if opts.workers < 0 {
		return usagef("--workers %d: allowed 0 (one per CPU) or more", opts.workers)
	}
	exp, host, err := openExperiment(st, opts, file)
	if err != nil {
		return err
	}
	defer host.Close()
	if opts.explain >= 0 {
		units := exp.Units() * len(exp.Strategies)
		if opts.explain >= units {
			return usagef("--explain %d: this experiment has runs 0 to %d", opts.explain, units-1)
		}
		unit, k := opts.explain/len(exp.Strategies), opts.explain%len(exp.Strategies)
		p, rep := unit/exp.Replications, unit%exp.Replications
		fmt.Fprintf(st.stdout, "# run %d: point %d (%s), replication %d, strategy %s\n%s\n",
			opts.explain, p, exp.Describe(p), rep, exp.Strategies[k], exp.Command(p, rep, exp.Strategies[k]))
		return nil
	}
	if opts.out == "" {
		return usagef("--out is required: the folder for the sweep's results")
	}
	expText, err := scenarios.ReadFile(file)
	if err != nil {
		return &inputError{fmt.Errorf("read %s: %w", file, err)}
	}
	man := experimentManifest(exp, shard, sweep.Session{Provenance: st.provenance(st.clock())}, "journeysim "+strings.Join(st.args, " "))
	lock, err := lockOut(st, opts.out)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	var j *sweep.Journal
	if opts.resume {
		j, err = sweep.Resume(opts.out, man, expText, exp.Scenario.Data)
	} else {
		j, err = sweep.Create(opts.out, man, expText, exp.Scenario.Data)
	}
	if err != nil {
		var we *sweep.WriteError
		if errors.As(err, &we) {
			kept := 0 // a new folder's
			if opts.resume {
				kept = -1 // unknown: the folder's journal was not read
			}
			return writeFailed(we, opts, file, kept, man.Units)
		}
		return &inputError{err}
	}
	workers := opts.workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	prog := newSweepProgress(st, opts.quiet)
	progress := prog.Update
	if hook := testHookSweepProgress; hook != nil {
		progress = func(done, total int) {
			prog.Update(done, total)
			hook(done, total)
		}
	}
	runErr := sweep.Run(ctx, j, shard.Select(exp.Order()), sweep.RunOptions{Workers: workers, Progress: progress},
		unitRunner(exp, man, opts.plugins.options(host)))
	prog.Finish()
	release := st.holdInterrupts()
	j.EndSession(st.clock())
	closeErr := j.Close()
	release()
	var we *sweep.WriteError
	cancelled := errors.Is(runErr, context.Canceled) || errors.Is(runErr, context.DeadlineExceeded)
	switch {
	case errors.As(runErr, &we):
		// Closing after a failed write fails too, as a rule, for the
		// same reason: the first failure is the one to tell.
		return writeFailed(we, opts, file, j.Count(), man.Units)
	case errors.As(closeErr, &we) && (runErr == nil || cancelled):
		return writeFailed(we, opts, file, j.Count(), man.Units)
	case runErr != nil && closeErr != nil:
		return fmt.Errorf("%w; and then: %v", runErr, closeErr)
	case closeErr != nil:
		return closeErr
	case cancelled:
		return fmt.Errorf("interrupted: %s holds %d of %d runs; finish with: journeysim sweep %s --out %s --resume%s",
			opts.out, man.Done, man.Units, file, opts.out, shardFlag(opts.shard))
	case runErr != nil:
		return runErr
	}
	fmt.Fprintf(st.stdout, "%s: %s × %s × %s", exp.Name, text.Count(len(exp.Points), "point"), text.Count(len(exp.Strategies), "strategy"), text.Count(exp.Replications, "replication"))
	if shard.Count > 1 {
		fmt.Fprintf(st.stdout, ", shard %s: %d of %d runs", shard, man.Units*len(exp.Strategies), exp.Units()*len(exp.Strategies))
	}
	fmt.Fprintf(st.stdout, "; results in %s\n", opts.out)
	if shard.Count <= 1 {
		fmt.Fprintf(st.stdout, "next: journeysim analyze %s\n", opts.out)
	}
	fmt.Fprintf(st.stdout, "repeat a run alone: journeysim sweep %s --explain RUN (RUN from the runs table)\n", file)
	return nil
}

// openExperiment starts the plugin host and reads the experiment file;
// the caller closes the host.
func openExperiment(st *globalState, opts *sweepOptions, file string) (*experiment.Experiment, *plugins.Host, error) {
	host, err := opts.plugins.host(st)
	if err != nil {
		return nil, nil, err
	}
	exp, err := experiment.Open(file, experimentOptions(opts.plugins.options(host)))
	if err != nil {
		host.Close()
		return nil, nil, err
	}
	if note := exp.FixedCostsNote(); note != "" {
		st.notef("%s: %s", file, note)
	}
	return exp, host, nil
}

// testHookSweepProgress, if set, is called after the progress display
// with each of a sweep's progress updates, so that a test can interrupt a
// sweep after a given number of runs.
var testHookSweepProgress func(done, total int)

// writeFailed is the error of a sweep stopped because a file of its
// folder could not be written: the file and the system's reason, then, if
// the folder holds a manifest, how many runs it keeps (kept of units;
// kept < 0 if unknown) and how to finish it. It is a run failure (exit
// code 1), not a usage error: the command and its input were right.
func writeFailed(we *sweep.WriteError, opts *sweepOptions, file string, kept, units int) error {
	if _, err := sweep.ReadManifest(opts.out); err != nil {
		return fmt.Errorf("%w\nno runs were kept; %s, start again with: journeysim sweep %s --out %s%s",
			we, whenWritable(we), file, opts.out, shardFlag(opts.shard))
	}
	holds := fmt.Sprintf("%d of %d runs", kept, units)
	if kept < 0 {
		holds = "its finished runs"
	}
	return fmt.Errorf("%w\n%s keeps %s; %s, finish with: journeysim sweep %s --out %s --resume%s",
		we, opts.out, holds, whenWritable(we), file, opts.out, shardFlag(opts.shard))
}

// whenWritable says, in a few words, what must change before a sweep
// stopped by we can go on.
func whenWritable(we *sweep.WriteError) string {
	switch {
	case errors.Is(we, syscall.ENOSPC), errors.Is(we, syscall.EDQUOT):
		return "once there is space"
	case errors.Is(we, syscall.EFBIG):
		return "once the limit on file size (ulimit -f) allows more"
	}
	return "once the folder can be written again"
}

func shardFlag(s string) string {
	if s == "" {
		return ""
	}
	return " --shard " + s
}

// sweepProgress shows runs done, the rate and the time left: the run's
// progress line on a terminal, a line a minute otherwise, nothing with
// --quiet.
type sweepProgress struct {
	st       *globalState
	quiet    bool
	bar      *progress
	start    time.Time
	last     time.Time
	baseline int
}

func newSweepProgress(st *globalState, quiet bool) *sweepProgress {
	p := &sweepProgress{st: st, quiet: quiet, start: time.Now(), baseline: -1}
	if st.stderrIsTerminal && !quiet {
		p.bar = newProgressLine(st, quiet, "sweeping", "runs")
	}
	p.last = p.start
	return p
}

// Update is called with the units done and the total.
func (p *sweepProgress) Update(done, total int) {
	if p.quiet {
		return
	}
	if p.baseline < 0 {
		p.baseline = done // finished before a resume: not part of the rate
	}
	if p.bar != nil {
		p.bar.base = int64(p.baseline)
		p.bar.Update(int64(done), int64(total))
		return
	}
	now := time.Now()
	if now.Sub(p.last) < time.Minute {
		return // a line a minute; a shorter sweep prints none
	}
	p.last = now
	f := progressFrame{label: "sweep:", unit: "runs", done: int64(done), total: int64(total), base: int64(p.baseline), elapsed: now.Sub(p.start)}
	fmt.Fprintln(p.st.stderr, f.plain())
}

// Finish removes the bar.
func (p *sweepProgress) Finish() {
	if p.bar != nil {
		p.bar.Finish()
	}
}
