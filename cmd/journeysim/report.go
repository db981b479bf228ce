package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/report"
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

A run's page then shows the scenario in plain words, the strategies'
headline outcomes with their 95% intervals, the verdicts against the
baseline, every chart and the checks (its pass/fail thresholds).

A sweep's page then shows the scenario as the sweep ran it, the parameters it
varies, the best design points, its charts, and its thresholds: along each
numeric parameter, where each strategy's outcome peaks and the break-even
points where one strategy overtakes another, saying when the 95% intervals
or the paired differences between strategies leave them within the noise.

The page needs nothing else: styles and charts (SVG) are inside it, and it
loads no scripts, fonts or links, so it opens offline in any browser. The
same folder always gives the same bytes. It is written to DIR/report.html
unless -o says where ('-o -' prints it).

docs/report.md shows what it holds.`,
		Example: `  journeysim run fatigue --out out/fatigue
  journeysim report out/fatigue -o fatigue.html
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
	page, err := report.Build(dir)
	if err != nil {
		return &inputError{err}
	}
	if out == "-" {
		_, err := st.stdout.Write(page)
		return err
	}
	release := st.holdInterrupts()
	err = results.WriteFileAtomic(out, page)
	release()
	if err != nil {
		return err
	}
	fmt.Fprintf(st.stdout, "report of %s written to %s\n", dir, out)
	return nil
}
