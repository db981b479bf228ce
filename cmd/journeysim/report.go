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
		Short: "Write a saved run as one HTML page for a projector",
		Long: `Write the result folder of a run (journeysim run --out DIR) as one
self-contained HTML page, made to be shown in class: the scenario in plain
words, the strategies' headline outcomes with their 95% intervals, the
verdicts against the baseline, every chart and the checks.

The page needs nothing else: styles and charts (SVG) are inside it, and it
loads no scripts, fonts or links, so it opens offline in any browser. The
same folder always gives the same bytes. It is written to DIR/report.html
unless -o says where ('-o -' prints it).

docs/report.md shows what it holds.`,
		Example: `  journeysim run fatigue --out out/fatigue
  journeysim report out/fatigue -o fatigue.html`,
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
