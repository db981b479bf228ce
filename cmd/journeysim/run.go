package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
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
	charts     string
	quiet      bool
	// brief prints the key results alone.
	brief    bool
	baseline string
	checks   []string
	// minEffects are --min-effect's values: KEY=VALUE[%|pp].
	minEffects []string
	attribute  bool
	halfLife   float64
	overwrite  bool
	sets       []string
	plugins    pluginFlags
	// discountRate is the yearly rate NPV and CLV discount at;
	// scaleFixed scales fixed costs with an overridden population.
	discountRate float64
	scaleFixed   bool
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
its 95% confidence interval, and every strategy is compared with the baseline
(--baseline, default the first) replication by replication, with a verdict:
better, worse, or no significant difference. --min-effect says how small a
difference is too small to matter, such as revenue=1% (of the baseline's),
profit=5000 or churn_rate=0.5pp (percentage points); a difference whose
whole interval is inside it is "better, but below what matters".

--check states a pass/fail condition on every strategy's outcomes, such as
'profit > 0' or 'churn_rate < 0.1' (shares and ratios as fractions), or on a
channel's, as channel.NAME.METRIC: 'channel.sms.opt_outs < 50'; the
scenario's own checks: are evaluated too. Any failed check makes the exit
code 3.

--attribution also reruns each strategy with each of its channels switched
off (common random numbers), and credits revenue to channels by seven
attribution models next to that true incremental revenue; it adds ROMI.

The same scenario and seed give the same output, byte for byte, whatever
--workers is.`,
		Example: `  journeysim run
  journeysim run email-pressure --reps 5 --baseline email_1pw
  journeysim run retail-omnichannel --strategies multichannel,omnichannel --format csv
  journeysim run retail-omnichannel --attribution
  journeysim run hotel-stay --check 'profit > 0' --check 'churn_rate < 0.1'
  journeysim run retail-omnichannel --reps 5 --min-effect revenue=1%,churn_rate=0.5pp
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
	f.StringVar(&opts.format, "format", "table", "output format: "+strings.Join(output.Formats, ", "))
	f.StringVar(&opts.out, "out", "", "also write a result folder here: manifest.json, summary.txt/.json, scenario.yaml and the summary, replications, timeseries, channels, comparisons, business_case, attribution, holdouts and checks tables as CSV and Parquet")
	f.StringVar(&opts.charts, "charts", "", "also draw the results' charts (SVG and PNG) into this folder, as 'journeysim chart' does")
	f.BoolVarP(&opts.quiet, "quiet", "q", false, "no progress display")
	f.BoolVar(&opts.brief, "brief", false, "print only the key results (the scenario's key outcomes, else the headline metrics); --out still writes every table")
	f.StringVar(&opts.baseline, "baseline", "", "strategy the others are compared with (default: the first run)")
	f.StringArrayVar(&opts.minEffects, "min-effect", nil, "smallest difference from the baseline that matters, as METRIC=VALUE in the metric's units (profit=5000), in % of the baseline's mean (revenue=1%) or in percentage points (churn_rate=0.5pp); a difference whose whole 95% interval is inside it is \"below what matters\"; repeatable or comma-separated")
	allowed("min-effect", "METRIC=VALUE, METRIC=VALUE% or, for a metric shown in %, METRIC=VALUEpp; METRIC one of "+strings.Join(results.ComparedKeys(), ", "))
	f.StringArrayVar(&opts.checks, "check", nil, "pass/fail condition on every strategy's outcomes, such as 'profit > 0'; repeatable; a failure exits with code 3")
	f.BoolVar(&opts.attribute, "attribution", false, "attribute revenue to channels and measure each channel's true incremental revenue (reruns each strategy once per channel)")
	f.Float64Var(&opts.halfLife, "half-life", sim.DefaultDecayHalfLife, "half-life in ticks of the time-decay attribution model (with --attribution)")
	f.BoolVar(&opts.overwrite, "overwrite", false, "let --out replace an earlier result folder")
	f.Float64Var(&opts.discountRate, "discount-rate", 0, "yearly rate NPV and CLV discount future money at, such as 0.08 for 8% (default: the scenario's run.discount_rate, "+strconv.FormatFloat(scenarios.DefaultDiscountRate, 'g', -1, 64)+" unless it sets one)")
	allowed("discount-rate", "0 to 10 (0.08 is 8% a year)")
	f.BoolVar(&opts.scaleFixed, "scale-fixed-costs", false, "with --customers or --set population.size, scale fixed costs (channels' fixed_cost, levers' cost_per_tick, investments) with the population")
	f.StringArrayVar(&opts.sets, "set", nil, "set a scenario field before the run, as PATH=VALUE, such as strategies.omni.discount=0.1 or population.personas.fan.share=0.4 (other shares follow); a strategy's field, cap, trigger or lever inherited through extends is changed for that strategy alone; a name with a dot goes in quotes or brackets: 'strategies.omni.triggers.\"v1.2\".cooldown=3' or 'strategies.omni.triggers[v1.2].cooldown=3'; repeatable (docs/scenarios.md)")
	opts.plugins.register(f)
	return c
}

// setFields applies --set to the scenario's text and compiles it again.
func setFields(sc *scenarios.Scenario, sets []string, opt scenarios.Options) (*scenarios.Scenario, error) {
	var over []scenarios.Override
	for _, s := range sets {
		o, err := scenarios.ParseOverride(s)
		if err != nil {
			return nil, usagef("--set %v", err)
		}
		over = append(over, o)
	}
	changed, err := sc.With(over, opt)
	if err == nil {
		return changed, nil
	}
	var oe *scenarios.OverrideError
	if !errors.As(err, &oe) {
		return nil, usagef("--set %v", err)
	}
	var list scenarios.ErrorList
	if !errors.As(oe.Err, &list) {
		return nil, oe.Err
	}
	return nil, usagef("--set %s: %v", strings.Join(sets, " --set "), oe)
}

// applyOverrides checks the flags and applies them to the model.
func (o *runOptions) applyOverrides(m *sim.Model) ([]int, error) {
	if !slices.Contains(output.Formats, o.format) {
		return nil, usagef("--format %q: allowed: %s", o.format, strings.Join(output.Formats, ", "))
	}
	if o.brief && o.format != "table" {
		return nil, usagef("--brief prints the key results as a table; with --format %s every outcome is written, for a program to pick from: leave out --brief or --format", o.format)
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
	if o.changed("discount-rate") {
		if !(o.discountRate >= 0 && o.discountRate <= 10) {
			return nil, usagef("--discount-rate %g: allowed 0 to 10 (0.08 is 8%% a year)", o.discountRate)
		}
		m.DiscountRate = o.discountRate
	}
	if o.changed("half-life") {
		if !o.attribute {
			return nil, usagef("--half-life is for the time-decay attribution model: add --attribution")
		}
		if !(o.halfLife > 0) || math.IsInf(o.halfLife, 0) {
			return nil, usagef("--half-life %g: allowed a positive number of ticks", o.halfLife)
		}
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
	host, err := opts.plugins.host(st)
	if err != nil {
		return err
	}
	defer host.Close()
	r, err := prepareRun(st, opts, args, host)
	if err != nil {
		return err
	}
	defer r.lock.Unlock()
	started := st.clock()
	prog := newProgress(st, opts.quiet, r.sc.Model.TickLabel)
	sum, res, err := results.Run(ctx, r.sc.Model, results.RunOptions{
		Sim:         sim.Options{Workers: opts.workers, Strategies: r.picked, Progress: prog.Update, DecayHalfLife: opts.halfLife},
		Attribution: opts.attribute,
		Summary:     results.Options{Baseline: opts.baseline, Checks: r.checks, MinEffects: r.minEffects, Currency: r.sc.Currency, Key: keyNames(r.sc)},
	})
	prog.Finish()
	if sum == nil {
		if errors.Is(err, context.Canceled) {
			return fmt.Errorf("interrupted before the first replication was complete; nothing was written")
		}
		if res == nil || len(res.Seeds) == 0 {
			return fmt.Errorf("run %s: %w", r.sc.Model.Name, err)
		}
		return err
	}
	if werr := writeRunOutputs(st, opts, r, sum, res, started); werr != nil {
		return werr
	}
	if res.Interrupted {
		written := ""
		if opts.out != "" {
			written = " and written to " + opts.out
		}
		return fmt.Errorf("interrupted: the results above%s cover the %d of %d replications completed", written, len(res.Seeds), r.sc.Model.Replications)
	}
	if err != nil {
		return err
	}
	if failed := sum.Failed(); len(failed) > 0 {
		return &checkFailedError{failed: failed, total: len(sum.Checks), sum: sum}
	}
	return nil
}

// preparedRun is a run checked and ready to start: its scenario with every
// flag applied, the strategies picked, the compiled checks, and the
// effective scenario a result folder records.
type preparedRun struct {
	sc        *scenarios.Scenario
	picked    []int
	checks    []*results.Check
	effective []byte
	// minEffects are the smallest differences that matter (--min-effect).
	minEffects []results.MinEffect
	// lock is held on --out from before it is checked until it is
	// written; nil without --out.
	lock *output.DirLock
}

// prepareRun loads the scenario, applies the flags and checks every input
// before anything runs or is written.
func prepareRun(st *globalState, opts *runOptions, args []string, host scenarios.Plugins) (*preparedRun, error) {
	name := scenarios.Default
	if len(args) == 1 {
		name = args[0]
	}
	sc, err := scenarios.OpenWith(name, opts.plugins.options(host))
	if err != nil {
		return nil, err
	}
	written := sc.Model.Population.Size
	if len(opts.sets) > 0 {
		if sc, err = setFields(sc, opts.sets, opts.plugins.options(host)); err != nil {
			return nil, err
		}
	}
	r := &preparedRun{sc: sc}
	m := sc.Model
	if r.picked, err = opts.applyOverrides(m); err != nil {
		return nil, err
	}
	scaleFixedCosts(st, m, written, opts.scaleFixed)
	noteLateInvestments(st, m, r.picked)
	if err := checkBaseline(m, r.picked, opts.baseline); err != nil {
		return nil, err
	}
	if err := checkKeyOutcomes(sc); err != nil {
		if len(opts.sets) > 0 {
			// The file's key outcomes were fine; the fields set made them
			// unmeasurable.
			return nil, &inputError{fmt.Errorf("--set %s: the scenario's key outcomes cannot all be measured with it:\n%w", strings.Join(opts.sets, " --set "), err)}
		}
		return nil, err
	}
	if r.checks, err = compileChecks(sc, opts.checks); err != nil {
		return nil, err
	}
	if err := checksCanPass(m, r.checks, opts.attribute); err != nil {
		return nil, err
	}
	if r.minEffects, err = parseMinEffects(m, opts.minEffects, opts.attribute); err != nil {
		return nil, err
	}
	noteSkippedChecks(st, m, r.picked, r.checks)
	if opts.out != "" {
		if r.effective, err = scenarios.Effective(sc); err != nil {
			return nil, fmt.Errorf("record the effective scenario: %w", err)
		}
		if err := checkOutDir(opts.out, opts.overwrite); err != nil {
			return nil, err
		}
	}
	if opts.charts != "" {
		if err := checkRunCharts(opts.charts, opts.out); err != nil {
			return nil, err
		}
	}
	if opts.out != "" {
		// Locked once every check passed, and checked again: a writer
		// that died may have left the folder to put back, which the
		// lock's tidying does.
		if r.lock, err = lockOut(st, opts.out); err != nil {
			return nil, err
		}
		if err := checkOutDir(opts.out, opts.overwrite); err != nil {
			r.lock.Unlock()
			return nil, err
		}
	}
	return r, nil
}

// scaleFixedCosts scales m's fixed costs when its population is not the
// size its scenario was written for and scale is set, or says once on
// stderr that they were not scaled.
func scaleFixedCosts(st *globalState, m *sim.Model, written int, scale bool) {
	size := m.Population.Size
	if size == written || !m.HasFixedCosts() {
		return
	}
	f := float64(size) / float64(written)
	if scale {
		m.ScaleFixedCosts(f)
		return
	}
	st.notef("%s instead of the scenario's %s: revenue and per-customer costs follow the population, but fixed costs (channels' fixed_cost, levers' cost_per_tick, investments) were not scaled; add --scale-fixed-costs to scale them by %s too",
		text.Count(size, "customer"), results.FormatNumber(float64(written), 0), strconv.FormatFloat(f, 'g', 4, 64))
}

// noteSkippedChecks says on stderr which checks are about strategies the
// run leaves out.
func noteSkippedChecks(st *globalState, m *sim.Model, picked []int, checks []*results.Check) {
	for _, c := range checks {
		if len(c.Strategies) > 0 && !slices.ContainsFunc(c.Strategies, func(name string) bool {
			k := m.StrategyIndex(name)
			return picked == nil || slices.Contains(picked, k)
		}) {
			st.notef("%s: check %q is for %s, which this run leaves out; skipped", c.Where, c.Source, strings.Join(c.Strategies, ", "))
		}
	}
}

// writeRunOutputs prints the summary and writes the result folder and the
// charts that were asked for.
func writeRunOutputs(st *globalState, opts *runOptions, r *preparedRun, sum *results.Summary, res *sim.Result, started time.Time) error {
	write := output.WriteWidth
	if opts.brief && opts.format == "table" {
		write = func(w io.Writer, s *results.Summary, _ string, width int) error {
			return output.WriteBrief(w, s, width)
		}
	}
	if err := write(st.stdout, sum, opts.format, st.tableWidth(st.widthFlag())); err != nil {
		return fmt.Errorf("write results: %w", err)
	}
	if opts.out != "" {
		files, err := st.resultFiles(r.sc, r.effective, sum, res, started, output.RunInfo{
			Workers: workersUsed(opts.workers), Attribution: opts.attribute, DecayHalfLife: opts.halfLife,
		})
		if err != nil {
			return err
		}
		release := st.holdInterrupts()
		err = output.WriteDir(opts.out, files)
		release()
		if err != nil {
			return err
		}
	}
	if opts.charts != "" {
		return writeRunCharts(st, opts.charts, r.sc, sum, res)
	}
	return nil
}

// resultFiles are the files of a run's result folder, as run --out
// writes them: info (the workers, attribution and half-life) completed
// with the build, the host, the scenario as loaded and as run
// (effective), the command line, and when the run started and ended.
func (st *globalState) resultFiles(sc *scenarios.Scenario, effective []byte, sum *results.Summary, res *sim.Result, started time.Time, info output.RunInfo) ([]output.File, error) {
	prov := st.provenance(started)
	info.Build, info.Host = prov.Build, prov.Host
	info.ScenarioSource, info.ScenarioBytes, info.Effective = sc.Source.Origin, sc.Source.Data, effective
	info.CommandLine = append([]string{"journeysim"}, st.args...)
	info.Started, info.Ended = started, st.clock()
	return output.Files(sum, res, info)
}

// checkFailedError reports failed outcome checks: exit code 3.
type checkFailedError struct {
	failed []results.CheckResult
	total  int
	// sum is the run's summary, whose formats the values are shown in.
	sum *results.Summary
}

func (e *checkFailedError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%d of %d checks failed:", len(e.failed), e.total)
	for _, c := range e.failed {
		fmt.Fprintf(&b, "\n✗ %s: %s (%s)", c.Strategy, c.Check, output.CheckText(e.sum, c))
	}
	return b.String()
}

// parseMinEffects reads --min-effect and makes sure each names a metric
// that runs of m compare with the baseline.
func parseMinEffects(m *sim.Model, flags []string, attribution bool) ([]results.MinEffect, error) {
	effects, err := results.ParseMinEffects(flags)
	if err == nil {
		err = results.CheckMinEffects(effects, m, attribution)
	}
	if err != nil {
		return nil, usagef("--min-effect %v", err)
	}
	return effects, nil
}

// checksCanPass refuses checks that read a metric the run cannot measure.
func checksCanPass(m *sim.Model, checks []*results.Check, attribution bool) error {
	for _, c := range checks {
		if err := c.Measurable(m, attribution); err != nil {
			return &usageError{err}
		}
	}
	return nil
}

// checkBaseline makes sure --baseline names a strategy that will run.
func checkBaseline(m *sim.Model, picked []int, baseline string) error {
	if baseline == "" {
		return nil
	}
	var names []string
	for k, s := range m.Strategies {
		if picked == nil || slices.Contains(picked, k) {
			names = append(names, s.Name)
		}
	}
	if !slices.Contains(names, baseline) {
		return usagef("--baseline %q: not a strategy of this run; allowed: %s", baseline, strings.Join(names, ", "))
	}
	return nil
}

// compileChecks compiles the scenario's checks and those given by --check.
func compileChecks(sc *scenarios.Scenario, flags []string) ([]*results.Check, error) {
	var out []*results.Check
	var channels []string
	for _, ch := range sc.Model.Channels {
		channels = append(channels, ch.Name)
	}
	for _, c := range sc.Checks {
		chk, err := results.CompileCheckIn(c.Source, c.Where, c.At, c.Strategies, channels)
		if err != nil {
			return nil, &inputError{err}
		}
		out = append(out, chk)
	}
	for _, src := range flags {
		chk, err := results.CompileCheckIn(src, "--check", nil, nil, channels)
		if err != nil {
			return nil, &usageError{err}
		}
		out = append(out, chk)
	}
	return out, nil
}

// lockOut takes the lock of the result folder dir, so that no other run
// or sweep writes it meanwhile, and says on stderr what it tidied that an
// interrupted writer had left.
func lockOut(st *globalState, dir string) (*output.DirLock, error) {
	lock, tidied, err := output.Lock(dir)
	var le *output.LockError
	if errors.As(err, &le) {
		return nil, usagef("--out %v", err)
	}
	if err != nil {
		return nil, err
	}
	for _, t := range tidied {
		st.notef("%s", t)
	}
	return lock, nil
}

// checkOutDir makes sure --out can be written before a run starts, without
// creating anything (output.CheckWritable), and says what to do if not.
func checkOutDir(dir string, overwrite bool) error {
	err := output.CheckWritable(dir, overwrite)
	switch {
	case err == nil:
		return nil
	case errors.Is(err, output.ErrNotEmpty):
		return usagef("--out %s: %v; give a new folder, or add --overwrite to replace an earlier result folder", dir, err)
	case errors.Is(err, output.ErrNotResultFolder):
		return usagef("--out %s: %v; --overwrite only replaces a result folder", dir, err)
	}
	return usagef("--out %s: %v", dir, err)
}

// workersUsed is the number of workers a run with --workers n uses.
func workersUsed(n int) int {
	if n > 0 {
		return n
	}
	return runtime.GOMAXPROCS(0)
}
