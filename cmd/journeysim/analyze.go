package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/results/sweep"
	"github.com/spf13/cobra"
)

type analyzeOptions struct {
	format string
	out    string
}

func newAnalyzeCommand(st *globalState) *cobra.Command {
	opts := &analyzeOptions{}
	c := &cobra.Command{
		Use:   "analyze DIR",
		Short: "Analyse a complete sweep: best points and each parameter's effect",
		Long: `Analyse the folder of a complete sweep (journeysim sweep, or journeysim merge
of its shards) and print:

  - the best design points for each outcome that has a direction, under
    each strategy, with the mean over replications and the half-width of
    its 95% confidence interval, and how many other points are within
    the noise of the first;
  - what moves each outcome: the share of the variation between runs each
    parameter accounts for (linear and quadratic terms; under common
    random numbers, within each replication's seed), with a p-value;
  - for a sobol design, each parameter's first-order and total Sobol'
    indices; for a morris design, its elementary effects (mu*, mu,
    sigma); both with 95% bootstrap intervals;
  - thresholds: along each numeric parameter, where an outcome peaks or
    one strategy overtakes another, claimed only where the design can
    tell (paired differences on a grid, the fitted main effect and its
    band otherwise).

Parameters are named in words, as the charts name them (a lever by its
description, a cap by what it limits); a legend at the top maps each
path to its words, and analysis.json and the tables keep the paths.

The analysis is also written to DIR/analysis (or --out): analysis.txt,
analysis.json, the points, best, sensitivity, main_effects and findings
tables (and sobol or morris) as CSV and Parquet, and the design and
outcomes in the form SALib reads (salib_problem.json, salib_X.txt,
salib_Y_*.txt), replacing an earlier analysis there. --format csv prints
the points table, --format json the whole analysis. docs/experiments.md
says how to read each part.`,
		Example: `  journeysim sweep experiment.yaml --out sweeps/freq
  journeysim analyze sweeps/freq
  journeysim analyze sweeps/freq --format csv > points.csv`,
		Args: argsBetween(1, 1, "a sweep folder"),
		RunE: func(c *cobra.Command, args []string) error {
			return runAnalyze(c.Context(), st, opts, args)
		},
	}
	f := c.Flags()
	f.StringVar(&opts.format, "format", "table", "output format: "+strings.Join(output.Formats, ", "))
	f.StringVar(&opts.out, "out", "", "folder for the analysis (default DIR/"+sweep.AnalysisFolder+")")
	return c
}

func runAnalyze(_ context.Context, st *globalState, opts *analyzeOptions, args []string) error {
	dir := args[0]
	if !slices.Contains(output.Formats, opts.format) {
		return usagef("--format %q: allowed: %s", opts.format, strings.Join(output.Formats, ", "))
	}
	if _, err := checkResultFolder("analyze", dir, kindSweep); err != nil {
		return err
	}
	out := opts.out
	if out == "" {
		out = filepath.Join(dir, sweep.AnalysisFolder)
	}
	a, err := sweep.Analyze(dir)
	if err != nil {
		return &inputError{err}
	}
	files, err := a.Files()
	if err != nil {
		return err
	}
	if err := checkAnalysisOut(out, opts.out != "", files); err != nil {
		return err
	}
	switch opts.format {
	case "table":
		err = a.WriteTextWidth(st.stdout, st.tableWidth(st.widthFlag()))
	case "csv":
		err = a.Tables()[0].WriteCSV(st.stdout)
	case "json":
		err = a.WriteJSON(st.stdout)
	}
	if err != nil {
		return fmt.Errorf("write the analysis: %w", err)
	}
	release := st.holdInterrupts()
	err = output.WriteDir(out, files)
	release()
	if err != nil {
		return err
	}
	if opts.format == "table" {
		var names []string
		for _, t := range a.Tables() {
			names = append(names, t.Name)
		}
		fmt.Fprint(st.stdout, "\n"+output.WrapLine(fmt.Sprintf("analysis written to %s: %s (.csv, .parquet), analysis.txt, analysis.json", out, strings.Join(names, ", ")), st.tableWidth(st.widthFlag()), "", "  "))
	}
	return nil
}

// checkAnalysisOut makes sure the analysis folder out may be (re)written:
// it is new, empty, or holds only files of an earlier analysis, since
// writing it replaces the whole folder.
func checkAnalysisOut(out string, flag bool, files []output.File) error {
	what := out
	if flag {
		what = "--out " + out
	}
	info, err := os.Stat(out)
	if err != nil {
		return nil // new: created by the write
	}
	if !info.IsDir() {
		return usagef("%s: it is a file; give a folder for the analysis", what)
	}
	entries, err := os.ReadDir(out)
	if err != nil {
		return usagef("%s: %v", what, err)
	}
	var other []string
	for _, e := range entries {
		if !slices.ContainsFunc(files, func(f output.File) bool { return f.Name == e.Name() }) {
			other = append(other, e.Name())
		}
	}
	if len(other) > 0 {
		if len(other) > 3 {
			other = append(other[:3], "…")
		}
		return usagef("%s holds files that are not an analysis (%s), and writing the analysis replaces the folder: give a new or empty folder with --out", what, strings.Join(other, ", "))
	}
	return nil
}
