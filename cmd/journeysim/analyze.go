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
    its 95% confidence interval;
  - the sensitivity of each outcome to each parameter: standardised
    regression coefficients (SRC) over every run, ranked by size, with the
    R² of the linear model. A text parameter gets one coefficient per level
    but its first, named PATH=LEVEL.

The analysis is also written to DIR/analysis (or --out): analysis.txt,
analysis.json, and the points (every point's mean and interval per
strategy), best and sensitivity (SRC and its rank version, SRRC) tables as
CSV and Parquet. --format csv prints the points table, --format json the
whole analysis.`,
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
	f.StringVar(&opts.out, "out", "", "folder for the analysis files (default: DIR/"+sweep.AnalysisFolder+"); replaced if it holds an earlier analysis")
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
		err = a.WriteText(st.stdout)
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
		fmt.Fprintf(st.stdout, "\nanalysis written to %s: %s (.csv, .parquet), analysis.txt, analysis.json\n", out, strings.Join(names, ", "))
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
