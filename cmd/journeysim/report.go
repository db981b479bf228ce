package main

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/results/report"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/scenarios/experiment"
	"github.com/journeysim/journeysim/scenarios/explain"
	"github.com/spf13/cobra"
)

type reportOptions struct {
	out string
}

func newReportCommand(st *globalState) *cobra.Command {
	opts := &reportOptions{}
	c := &cobra.Command{
		Use:   "report DIR",
		Short: "Write a saved run or a sweep as one HTML page for a projector",
		Long: `Write a result folder as one self-contained HTML page, made to be shown in
class. DIR is the folder of a run (journeysim run --out DIR) or of a
complete sweep (journeysim sweep --out DIR; a sharded one merged first).

When the scenario has a lesson, the page opens with it: its title, its
question to the class, what to vary and, closed until clicked so that the
class can guess first, what to expect.

A run's page then tells the story: the key results (the scenario's key
outcomes, the best value in each row marked), the lesson's one chart, the
strategies compared with the baseline and their verdicts, the business case
(payback, NPV, extra profit, incremental ROI) with the chart of the
cumulative extra cash, the other charts (the journey funnels of all
strategies as one figure), the customer-journey map, then the full tables:
every outcome, each strategy's channels and the checks (its pass/fail
thresholds).

A sweep's page then shows the parameters it varies, the best design points,
for a sobol or morris design its indices, its charts, and its thresholds:
along each numeric parameter, where each strategy's outcome peaks and the
break-even points where one strategy overtakes another, claimed only where
the design can tell them from the noise.

Both end with the scenario in plain words (for a sweep, as the sweep ran it,
with only the strategies it ran), for reference. Tables too wide for a
projector 1,280 (or 1,024) pixels wide are set in smaller type.

The page needs nothing else: styles, charts (SVG) and its font (Liberation
Sans, which its layout is measured in) are inside it, and it loads no
scripts or links, so it opens offline in any browser and looks the same on
a machine without that font. The same folder always gives the same bytes.
It is written to DIR/report.html unless -o says where ('-o -' prints it).

docs/report.md shows what it holds.`,
		Example: `  journeysim run email-pressure --out out/pressure
  journeysim report out/pressure -o pressure.html
  journeysim sweep scenarios/experiments/email-frequency.yaml --out sweeps/freq
  journeysim report sweeps/freq -o freq.html`,
		Args: argsBetween(1, 1, "a result folder"),
		RunE: func(c *cobra.Command, args []string) error {
			return runReport(c.Context(), st, opts, args[0])
		},
	}
	c.Flags().StringVarP(&opts.out, "output", "o", "", "file for the page (default: DIR/report.html); - prints it")
	return c
}

func runReport(_ context.Context, st *globalState, opts *reportOptions, dir string) error {
	// The folder first: a file or a wrong folder given as DIR is the
	// mistake to report, not the -o it makes.
	kind, err := checkResultFolder("report", dir, kindRun|kindSweep)
	if err != nil {
		return err
	}
	out := opts.out
	if out == "" {
		out = filepath.Join(dir, "report.html")
	}
	if out != "-" {
		if info, err := os.Stat(out); err == nil && info.IsDir() {
			return usagef("-o %s is a folder; give a file name, such as %s", out, filepath.Join(out, "report.html"))
		}
		if info, err := os.Stat(filepath.Dir(out)); err != nil || !info.IsDir() {
			return usagef("-o %s: the folder %s does not exist", out, filepath.Dir(out))
		}
	}
	build := reportOf
	if kind != kindRun {
		build = func(dir string) ([]byte, error) { return report.Build(dir, describeForReport) }
	}
	page, err := build(dir)
	if err != nil {
		return &inputError{err}
	}
	if out == "-" {
		_, err := st.stdout.Write(page)
		return err
	}
	release := st.holdInterrupts()
	err = output.WriteFileAtomic(out, page)
	release()
	if err != nil {
		return err
	}
	fmt.Fprintf(st.stdout, "report of %s written to %s\n", dir, out)
	return nil
}

// reportMaps hands a run's journey maps to the report.
func reportMaps(maps []journeyMap) []report.JourneyMap {
	out := make([]report.JourneyMap, 0, len(maps))
	for _, m := range maps {
		out = append(out, report.JourneyMap{Strategy: m.Strategy, SVG: m.SVG})
	}
	return out
}

// folderKind is what a result folder holds: a run's results or a sweep's.
type folderKind int

const (
	kindRun folderKind = 1 << iota
	kindSweep
)

// checkResultFolder checks dir, the folder that command reads, before
// anything is read from it: it must exist, be a folder, hold a
// manifest.json and be of a kind the command reads (want). It returns the
// kind; its errors are usage errors that say what to give instead.
func checkResultFolder(command, dir string, want folderKind) (folderKind, error) {
	give := "give the folder of a run (journeysim run --out DIR) or of a sweep (journeysim sweep --out DIR)"
	switch want {
	case kindRun:
		give = "give the folder of a run (journeysim run --out DIR)"
	case kindSweep:
		give = "give the folder of a sweep (journeysim sweep --out DIR)"
	}
	info, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return 0, usagef("%s does not exist; %s", dir, give)
	case err != nil:
		return 0, usagef("%s: %v", dir, err)
	case !info.IsDir():
		if parent := filepath.Dir(dir); output.HasManifest(parent) {
			return 0, usagef("%s is a file, not a result folder; give the folder that holds it, %s", dir, parent)
		}
		return 0, usagef("%s is a file, not a result folder; %s", dir, give)
	}
	kind, err := output.FolderKind(dir)
	switch {
	case errors.Is(err, output.ErrUnknownManifest):
		return 0, usagef("%s is not a result folder: %v; %s", dir, err, give)
	case err != nil:
		return 0, usagef("%v", err)
	case kind == output.NotResults:
		if inside := output.ResultFoldersIn(dir, 2); len(inside) > 0 {
			return 0, usagef("%s is not a result folder: it has no manifest.json; give one of the result folders it holds, such as %s", dir, strings.Join(inside, " or "))
		}
		return 0, usagef("%s is not a result folder: it has no manifest.json; %s", dir, give)
	}
	got := kindRun
	if kind == output.SweepFolder {
		got = kindSweep
	}
	if got&want != 0 {
		return got, nil
	}
	q := experiment.ShellQuote(dir)
	if got == kindRun {
		return 0, usagef("%s is a run's result folder (journeysim run --out), not a sweep's: journeysim %s reads the folder of a sweep (journeysim sweep --out DIR). "+
			"For a run, use journeysim show %s, journeysim report %s or journeysim chart %s", dir, command, q, q, q)
	}
	return 0, usagef("%s is a sweep's folder (journeysim sweep --out), not a run's: journeysim %s reads the folder of a run (journeysim run --out DIR). "+
		"For a sweep, use journeysim analyze %s, journeysim report %s or journeysim chart %s", dir, command, q, q, q)
}

// describeForReport puts the scenario of the result folder dir into words
// for its report: as the sweep ran it, for a sweep's folder.
func describeForReport(dir, name string, src []byte, run *report.SweepRun) (report.Scenario, error) {
	var as *explain.AsRun
	if run != nil {
		as = &explain.AsRun{Replications: run.Replications, Strategies: run.Strategies}
		for _, f := range run.Fixed {
			as.Fixed = append(as.Fixed, scenarios.Override{Path: f.Path, Value: scenarios.ParseValue(f.Value)})
		}
		if seed, err := strconv.ParseUint(run.Seed, 10, 64); err == nil {
			as.Seed, as.SeedSet = seed, true
		}
	}
	d, err := explain.Describe(name, src, as)
	if err != nil {
		return report.Scenario{}, fmt.Errorf("%s: its scenario does not load: %w", dir, err)
	}
	sc := report.Scenario{Name: d.Scenario.Model.Name, Currency: d.Scenario.Currency, Explanation: d.Text,
		Strategies: d.Strategies, Left: d.Left, Applied: d.Applied}
	if l := d.Scenario.Lesson; l != nil {
		sc.Lesson = &report.Lesson{Title: l.Title, Question: l.Question, Vary: l.Vary, Expect: l.Expect}
	}
	return sc, nil
}

// reportOf is the HTML report of the run saved in dir, with its journey
// maps, as journeysim report makes it.
func reportOf(dir string) ([]byte, error) {
	maps, err := journeyMapsOfRun(dir)
	if err != nil {
		return nil, fmt.Errorf("%s: the journey map: %w", dir, err)
	}
	return report.Build(dir, describeForReport, report.WithJourneyMaps(reportMaps(maps)))
}
