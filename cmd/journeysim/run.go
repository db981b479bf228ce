package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
	"github.com/spf13/cobra"
)

type runOptions struct {
	seed       uint64
	workers    int
	reps       int
	horizon    int
	customers  int
	strategies []string
	format     string
	out        string
	quiet      bool
	// changed reports whether a flag was given, so that a value the flag
	// may take as its default (0) still overrides the scenario.
	changed func(name string) bool
}

func newRunCommand(st *globalState) *cobra.Command {
	opts := &runOptions{}
	c := &cobra.Command{
		Use:   "run [FILE|NAME]",
		Short: "Run a scenario and print its strategies side by side",
		Long: `Run a scenario file, or a built-in scenario by name (default: ` + scenarios.Default + `),
and print each strategy's outcomes: revenue, costs, profit, ROI, retention,
loyalty, NPS, CSAT, CES, contact pressure and opt-outs, then per channel.

With more than one replication each cell shows the mean and the half-width of
its 95% confidence interval. The same scenario and seed give the same output,
byte for byte, whatever --workers is.`,
		Example: `  journeysim run
  journeysim run email-pressure --reps 5
  journeysim run retail-omnichannel --strategies multichannel,omnichannel --format csv
  journeysim run hotel-stay --out out/hotel`,
		Args: argsBetween(0, 1, "a scenario file or a built-in scenario's name"),
		RunE: func(c *cobra.Command, args []string) error {
			opts.changed = c.Flags().Changed
			return runRun(c.Context(), st, opts, args)
		},
	}
	f := c.Flags()
	f.Uint64Var(&opts.seed, "seed", 0, "master seed (default: the scenario's run.seed)")
	f.IntVar(&opts.workers, "workers", 0, "parallel workers (default: one per CPU); results do not depend on it")
	allowed := func(name, text string) { f.SetAnnotation(name, "allowed", []string{text}) }
	allowed("workers", "0 (one per CPU) or more")
	f.IntVar(&opts.reps, "reps", 0, "replications (default: the scenario's run.replications)")
	allowed("reps", fmt.Sprintf("1 to %d", scenarios.MaxReplications))
	f.IntVar(&opts.horizon, "horizon", 0, "ticks to simulate (default: the scenario's run.horizon)")
	allowed("horizon", fmt.Sprintf("1 to %d", scenarios.MaxHorizon))
	f.IntVar(&opts.customers, "customers", 0, "population size (default: the scenario's population.size)")
	allowed("customers", fmt.Sprintf("1 to %d", scenarios.MaxPopulation))
	f.StringSliceVar(&opts.strategies, "strategies", nil, "strategies to run, by name, comma-separated (default: all)")
	f.StringVar(&opts.format, "format", "table", "output format: "+strings.Join(results.Formats, ", "))
	f.StringVar(&opts.out, "out", "", "also write every output file (summary.txt/.csv/.json, replications.csv, series.csv) into this folder")
	f.BoolVarP(&opts.quiet, "quiet", "q", false, "no progress display")
	return c
}

// applyOverrides checks the flags and applies them to the model.
func (o *runOptions) applyOverrides(m *sim.Model) ([]int, error) {
	if !slices.Contains(results.Formats, o.format) {
		return nil, usagef("--format %q: allowed: %s", o.format, strings.Join(results.Formats, ", "))
	}
	if o.workers < 0 {
		return nil, usagef("--workers %d: allowed 0 (one per CPU) or more", o.workers)
	}
	if o.changed("seed") {
		m.Seed = o.seed
	}
	if o.changed("reps") {
		if o.reps < 1 || o.reps > scenarios.MaxReplications {
			return nil, usagef("--reps %d: allowed 1 to %d", o.reps, scenarios.MaxReplications)
		}
		m.Replications = o.reps
	}
	if o.changed("horizon") {
		if o.horizon < 1 || o.horizon > scenarios.MaxHorizon {
			return nil, usagef("--horizon %d: allowed 1 to %d", o.horizon, scenarios.MaxHorizon)
		}
		m.Horizon = o.horizon
	}
	if o.changed("customers") {
		if o.customers < 1 || o.customers > scenarios.MaxPopulation {
			return nil, usagef("--customers %d: allowed 1 to %d", o.customers, scenarios.MaxPopulation)
		}
		m.Population.Size = o.customers
	}
	if !o.changed("strategies") {
		return nil, nil
	}
	var picked []int
	for _, name := range o.strategies {
		k := m.StrategyIndex(strings.TrimSpace(name))
		if k < 0 {
			var names []string
			for _, s := range m.Strategies {
				names = append(names, s.Name)
			}
			return nil, usagef("--strategies: scenario %s has no strategy %q; its strategies: %s", m.Name, name, strings.Join(names, ", "))
		}
		if !slices.Contains(picked, k) {
			picked = append(picked, k)
		}
	}
	if len(picked) == 0 {
		return nil, usagef("--strategies is empty; name at least one strategy")
	}
	slices.Sort(picked)
	return picked, nil
}

func runRun(ctx context.Context, st *globalState, opts *runOptions, args []string) error {
	name := scenarios.Default
	if len(args) == 1 {
		name = args[0]
	}
	m, err := scenarios.Open(name)
	if err != nil {
		return err
	}
	picked, err := opts.applyOverrides(m)
	if err != nil {
		return err
	}
	if opts.out != "" {
		if err := checkOutDir(opts.out); err != nil {
			return err
		}
	}
	prog := newProgress(st, opts.quiet)
	res, err := sim.Run(ctx, m, sim.Options{Workers: opts.workers, Strategies: picked, Progress: prog.Update})
	prog.Finish()
	if res == nil || len(res.Seeds) == 0 {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted before the first replication was complete; nothing was written")
		}
		return fmt.Errorf("run %s: %w", m.Name, err)
	}
	sum := results.Summarize(res)
	if werr := sum.WriteFormat(st.stdout, opts.format); werr != nil {
		return fmt.Errorf("write results: %w", werr)
	}
	if opts.out != "" {
		if werr := sum.WriteDir(opts.out); werr != nil {
			return werr
		}
	}
	if res.Interrupted {
		return fmt.Errorf("interrupted: the results above cover the %d of %d replications completed", len(res.Seeds), m.Replications)
	}
	return err
}

// checkOutDir makes sure --out can be written before a run starts, without
// creating anything: the folder, or its nearest existing parent, must be a
// folder that accepts a new file.
func checkOutDir(dir string) error {
	probe := dir
	for {
		info, err := os.Stat(probe)
		if err == nil {
			if !info.IsDir() {
				if probe == dir {
					return usagef("--out %s: it is a file; give a folder (it is created if missing)", dir)
				}
				return usagef("--out %s: %s is a file, so the folder cannot be created there", dir, probe)
			}
			break
		}
		if !errors.Is(err, fs.ErrNotExist) && !errors.Is(err, syscall.ENOTDIR) {
			return usagef("--out %s: %v", dir, err)
		}
		parent := filepath.Dir(probe)
		if parent == probe {
			break
		}
		probe = parent
	}
	f, err := os.CreateTemp(probe, ".journeysim-probe-*")
	if err != nil {
		return usagef("--out %s: cannot write in %s: %v", dir, probe, errors.Unwrap(err))
	}
	f.Close()
	return os.Remove(f.Name())
}
