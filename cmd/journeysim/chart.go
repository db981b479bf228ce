package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/charts"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
	"github.com/spf13/cobra"
)

// chartsFolder is the default folder, inside a result or sweep folder,
// that journeysim chart writes.
const chartsFolder = "charts"

type chartOptions struct {
	out     string
	formats []string
}

func newChartCommand(st *globalState) *cobra.Command {
	opts := &chartOptions{}
	c := &cobra.Command{
		Use:   "chart DIR",
		Short: "Draw charts of a saved run or a complete sweep, as SVG and PNG",
		Long: `Draw the charts of a result folder (journeysim run --out DIR) or of a
complete sweep folder (journeysim sweep --out DIR) from the data it holds,
without running anything again. For a run:

  outcome-revenue, -profit, -loyalty, -nps   each strategy's mean and 95% interval
  business-payback                           cumulative extra cash against the
                                             baseline, and when it pays back
  timeseries-revenue, -loyalty, -active      revenue per tick, mean loyalty and
                                             active customers over time
  timeseries-adoption                        share of customers who have bought, every
                                             strategy on one chart (word of mouth)
  funnel-STRATEGY                            customers at each journey stage over time
  journeymap-STRATEGY                        the customer-journey map with what
                                             happened under the strategy (SVG only)
  channels-contacts, channels-revenue        contacts and revenue per channel
  attribution-STRATEGY                       attribution models against the true
                                             incremental revenue (run --attribution)

For a sweep: sweep-OUTCOME-vs-PARAMETER, each outcome against each numeric
parameter the sweep varies, per strategy, with 95% intervals.

The charts are made for a projector (large type, thick lines, colours that
colour-blind viewers tell apart) and are the same, byte for byte, every time.
They are written to DIR/charts (or --out), which is replaced as a whole.`,
		Example: `  journeysim run retail-omnichannel --out out/retail --attribution
  journeysim chart out/retail
  journeysim chart sweeps/freq --format png --out slides/freq`,
		Args: argsBetween(1, 1, "a result or sweep folder"),
		RunE: func(c *cobra.Command, args []string) error {
			return runChart(c.Context(), st, opts, args[0])
		},
	}
	f := c.Flags()
	f.StringVar(&opts.out, "out", "", "folder for the charts (default: DIR/"+chartsFolder+"); replaced if it holds earlier charts")
	f.StringSliceVar(&opts.formats, "format", slices.Clone(charts.Formats), "chart formats, comma-separated: "+strings.Join(charts.Formats, ", "))
	return c
}

func runChart(_ context.Context, st *globalState, opts *chartOptions, dir string) error {
	if err := checkChartFormats(opts.formats); err != nil {
		return err
	}
	out := opts.out
	if out == "" {
		out = filepath.Join(dir, chartsFolder)
	}
	cs, err := charts.Build(dir)
	if err != nil {
		return &inputError{err}
	}
	if err := charts.CheckOutDir(out); err != nil {
		if opts.out != "" {
			return usagef("--out %v", err)
		}
		return usagef("%v; give a folder for the charts with --out", err)
	}
	// A run's folder also gets its journey maps, one per strategy, drawn
	// as SVG alone; a sweep's has none.
	var maps []journeyMap
	var extra []output.File
	if !isSweepFolder(dir) && slices.Contains(opts.formats, "svg") {
		if maps, err = journeyMapsOfRun(dir); err != nil {
			return &inputError{fmt.Errorf("journey map: %w", err)}
		}
		for _, jm := range maps {
			extra = append(extra, output.File{Name: jm.Name + ".svg", Data: jm.SVG})
		}
	}
	release := st.holdInterrupts()
	_, err = charts.WriteWith(out, cs, opts.formats, extra...)
	release()
	if err != nil {
		return err
	}
	fmt.Fprintf(st.stdout, "%d charts (%s) written to %s:\n", len(cs)+len(maps), strings.Join(opts.formats, ", "), out)
	width := 0
	for _, c := range cs {
		width = max(width, len(c.Name))
	}
	for _, jm := range maps {
		width = max(width, len(jm.Name))
	}
	for _, c := range cs {
		fmt.Fprintf(st.stdout, "  %-*s  %s\n", width, c.Name, c.Title)
	}
	for _, jm := range maps {
		fmt.Fprintf(st.stdout, "  %-*s  %s\n", width, jm.Name, "The customer journey under "+jm.Strategy+" (SVG only)")
	}
	return nil
}

// isSweepFolder reports whether dir holds a sweep (journeysim sweep --out)
// rather than a run.
func isSweepFolder(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, sweep.ExperimentFile))
	return err == nil
}

// checkChartFormats checks --format of chart.
func checkChartFormats(formats []string) error {
	if len(formats) == 0 {
		return usagef("--format is empty; allowed: %s, or both", strings.Join(charts.Formats, ", "))
	}
	for _, f := range formats {
		if !slices.Contains(charts.Formats, f) {
			return usagef("--format %q: allowed: %s (comma-separated)", f, strings.Join(charts.Formats, ", "))
		}
	}
	return nil
}

// checkRunCharts makes sure run --charts can be written before the run
// starts.
func checkRunCharts(chartsDir, outDir string) error {
	if outDir != "" && filepath.Clean(chartsDir) == filepath.Clean(outDir) {
		return usagef("--charts %s: the same folder as --out; give another, such as %s", chartsDir, filepath.Join(outDir, chartsFolder))
	}
	if err := charts.CheckOutDir(chartsDir); err != nil {
		return usagef("--charts %v", err)
	}
	return nil
}

// writeRunCharts draws the charts of a finished run into chartsDir, from
// the same summary and timeseries table as its result folder holds.
func writeRunCharts(st *globalState, chartsDir string, sc *scenarios.Scenario, sum *results.Summary, res *sim.Result) error {
	ts := output.TimeseriesTable(sum, res)
	cs, err := charts.FromRun(sum, ts)
	if err != nil {
		return fmt.Errorf("charts: %w", err)
	}
	maps, err := journeyMapsOfScenario(sc, sum, ts)
	if err != nil {
		return fmt.Errorf("journey map: %w", err)
	}
	var extra []output.File
	for _, jm := range maps {
		extra = append(extra, output.File{Name: jm.Name + ".svg", Data: jm.SVG})
	}
	release := st.holdInterrupts()
	_, err = charts.WriteWith(chartsDir, cs, charts.Formats, extra...)
	release()
	return err
}
