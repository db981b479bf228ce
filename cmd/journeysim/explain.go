package main

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/scenarios/explain"
	"github.com/journeysim/journeysim/scenarios/explain/journeymap"
	"github.com/journeysim/journeysim/sim"
	"github.com/spf13/cobra"
)

type explainOptions struct {
	format  string
	plugins pluginFlags
}

func newExplainCommand(st *globalState) *cobra.Command {
	opts := &explainOptions{}
	c := &cobra.Command{
		Use:   "explain FILE|NAME",
		Short: "Say in plain words what a scenario does, or draw its customer-journey map",
		Long: `Explain a scenario file, or a built-in scenario by name, as a teacher would:
who the customers are (personas, affinities, consent, tolerance, loyalty), the
channels and what they cost, the journey's stages, touchpoints and moves with
their chances, the fatigue and loyalty rules, and each strategy: its channels,
integration level, discount, caps, quiet times, holdout, and every trigger put
into a sentence.

--format svg draws the scenario as a customer-journey map, a standalone SVG
file: the stages left to right in journey order, a lane per channel, each
touchpoint a box in its stage and lane, purchases marked, and each move an
arrow labelled with its chance in the words above ('journeysim explain
retail-omnichannel --format svg > retail.svg', then open it in a browser).
--format mermaid prints the journey as a Mermaid flowchart (paste it into a
Markdown file or mermaid.live); --format dot prints it for Graphviz
('journeysim explain hotel-stay --format dot | dot -Tsvg > hotel.svg'). Both
run left to right, a box per stage in journey order.

docs/explain.md shows an example.`,
		Example: `  journeysim explain hotel-stay
  journeysim explain my-scenario.yaml
  journeysim explain retail-omnichannel --format svg > retail-map.svg
  journeysim explain retail-omnichannel --format mermaid
  journeysim explain email-pressure --format dot | dot -Tpng > journey.png`,
		Args: argsBetween(1, 1, "a scenario file or a built-in scenario's name"),
		RunE: func(c *cobra.Command, args []string) error {
			return runExplain(c.Context(), st, opts, args[0])
		},
	}
	c.Flags().StringVar(&opts.format, "format", explain.Formats[0], "output format: "+strings.Join(explain.Formats, ", "))
	opts.plugins.register(c.Flags())
	return c
}

func runExplain(_ context.Context, st *globalState, opts *explainOptions, name string) error {
	if !slices.Contains(explain.Formats, opts.format) {
		return usagef("--format %q: allowed: %s", opts.format, strings.Join(explain.Formats, ", "))
	}
	host, err := opts.plugins.host(st)
	if err != nil {
		return err
	}
	defer host.Close()
	// Described, not run: a plugin that is not built is described as the
	// file configures it.
	sc, err := scenarios.OpenWith(name, opts.plugins.describeOptions(host))
	if err != nil {
		return err
	}
	// Write all or nothing: an explanation cut short would mislead.
	var buf bytes.Buffer
	write := explain.Write
	if opts.format == "text" {
		// Prose fits the terminal, or 80 columns when piped.
		write = func(w io.Writer, sc *scenarios.Scenario, _ string) error {
			return explain.TextWidth(w, sc, st.tableWidth(st.widthFlag()))
		}
	}
	if err := write(&buf, sc, opts.format); err != nil {
		return fmt.Errorf("explain %s: %w", name, err)
	}
	_, err = st.stdout.Write(buf.Bytes())
	return err
}

// journeyMap is the journey map of one strategy of a saved run.
type journeyMap struct {
	// Name is the chart's file name without extension
	// ("journeymap-omnichannel"); Strategy the strategy it shows.
	Name     string
	Strategy string
	// SVG is the map, a standalone SVG file.
	SVG []byte
}

// journeyMapsOfRun draws the customer-journey map of the run saved in dir
// (journeysim run --out DIR), one per strategy, each annotated with what
// happened under it: the customers at each stage on an average tick (from
// timeseries.csv), the visits and purchases on each channel, the channels
// the strategy switches off, and the run's mean CSAT and CES (from
// summary.json). The scenario is the folder's scenario.yaml, described,
// so one served by plugins needs none of them. For journeysim chart DIR
// and the report, which call it and write or embed the SVG files.
//
// From summary.json come also each touchpoint's entries and mean ratings
// and the customers entering each stage (for the drop-off between
// stages); a run saved before they were counted has none, and its maps
// leave them out.
func journeyMapsOfRun(dir string) ([]journeyMap, error) {
	sum, man, err := output.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	read := func(name string) ([]byte, error) { return man.ReadFile(dir, name) }
	src, err := read("scenario.yaml")
	if err != nil {
		return nil, err
	}
	sc, err := scenarios.LoadWith(filepath.Join(dir, "scenario.yaml"), src, scenarios.Options{Describe: true})
	if err != nil {
		return nil, fmt.Errorf("the run's scenario: %w", err)
	}
	data, err := read("timeseries.csv")
	if err != nil {
		return nil, err
	}
	ts, err := output.ReadCSV(bytes.NewReader(data), &output.Table{Name: "timeseries"})
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "timeseries.csv"), err)
	}
	maps, err := journeyMaps(sc, sum, ts)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, "timeseries.csv"), err)
	}
	return maps, nil
}

// journeyMapsOfScenario draws the journey maps of a run just finished, as
// journeyMapsOfRun draws them from its folder: from the effective
// scenario, described, the summary and the timeseries table.
func journeyMapsOfScenario(sc *scenarios.Scenario, sum *results.Summary, ts *output.Table) ([]journeyMap, error) {
	eff, err := scenarios.Effective(sc)
	if err != nil {
		return nil, fmt.Errorf("the effective scenario: %w", err)
	}
	described, err := scenarios.LoadWith("scenario.yaml", eff, scenarios.Options{Describe: true})
	if err != nil {
		return nil, fmt.Errorf("the effective scenario: %w", err)
	}
	return journeyMaps(described, sum, ts)
}

// journeyMaps draws one journey map per strategy of sum, annotated with
// the figures of the run's summary and timeseries table ts.
func journeyMaps(sc *scenarios.Scenario, sum *results.Summary, ts *output.Table) ([]journeyMap, error) {
	figs, err := journeyMapFigures(sc.Model, sum, ts)
	if err != nil {
		return nil, err
	}
	layout := explain.JourneyMap(sc)
	out := make([]journeyMap, 0, len(figs))
	for _, f := range figs {
		out = append(out, journeyMap{Name: "journeymap-" + f.Strategy, Strategy: f.Strategy, SVG: journeymap.Annotated(layout, f)})
	}
	return out, nil
}

// journeyMapFigures gathers, for each strategy of a run's summary, the
// figures its journey map shows, in the model's node, stage and channel
// order: the mean of each stage's customers over the ticks and
// replications of the timeseries table, the customers entering each
// stage, each touchpoint's entries and mean CSAT and CES, the channels'
// visits and purchases, which channels are off, and the mean CSAT and
// CES.
func journeyMapFigures(m *sim.Model, sum *results.Summary, ts *output.Table) ([]journeymap.Figures, error) {
	col := func(name string) int { return ts.Column(name) }
	strategy := col("strategy")
	if strategy < 0 {
		return nil, fmt.Errorf("no column strategy")
	}
	stageCols := make([]int, len(m.Stages))
	for k, s := range m.Stages {
		stageCols[k] = col(results.StageColumn(s))
	}
	visits, purchases := results.ChannelMetricIndex("visits"), results.ChannelMetricIndex("purchases")
	var out []journeymap.Figures
	for _, st := range sum.Strategies {
		f := journeymap.Figures{Strategy: st.Name, Replications: len(sum.Seeds), Horizon: sum.Horizon}
		// Stages: the mean over the rows of the strategy.
		f.StageCustomers = make([]float64, len(m.Stages))
		for k, c := range stageCols {
			total, n := 0.0, 0
			for line, row := range ts.Rows {
				if c < 0 || strategy >= len(row) || c >= len(row) || row[strategy] != st.Name || row[c] == "" {
					continue
				}
				v, err := strconv.ParseFloat(row[c], 64)
				if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
					return nil, fmt.Errorf("line %d: %s is %q, not a number", line+2, ts.Columns[c].Name, row[c])
				}
				total += v
				n++
			}
			f.StageCustomers[k] = math.NaN()
			if n > 0 {
				f.StageCustomers[k] = total / float64(n)
			}
		}
		// Channels, matched by name.
		f.ChannelVisits = make([]float64, len(m.Channels))
		f.ChannelPurchases = make([]float64, len(m.Channels))
		f.ChannelOff = make([]bool, len(m.Channels))
		for c, ch := range m.Channels {
			f.ChannelVisits[c], f.ChannelPurchases[c] = math.NaN(), math.NaN()
			k := slices.Index(sum.Channels, ch.Name)
			if k < 0 {
				continue
			}
			if k < len(st.On) {
				f.ChannelOff[c] = !st.On[k]
			}
			if k < len(st.Channels) {
				if visits >= 0 && visits < len(st.Channels[k]) {
					f.ChannelVisits[c] = st.Channels[k][visits].Mean
				}
				if purchases >= 0 && purchases < len(st.Channels[k]) {
					f.ChannelPurchases[c] = st.Channels[k][purchases].Mean
				}
			}
		}
		f.Passing, f.CSAT, f.CES, f.StageEntries = touchpointFigures(m, sum, &st)
		f.MeanCSAT, f.MeanCES = math.NaN(), math.NaN()
		if e, ok := sum.Metric(&st, "csat"); ok {
			f.MeanCSAT = e.Mean
		}
		if e, ok := sum.Metric(&st, "ces"); ok {
			f.MeanCES = e.Mean
		}
		out = append(out, f)
	}
	return out, nil
}

// touchpointFigures are strategy st's figures per touchpoint and stage in
// sum, in m's node and stage order, matched by name: the customers who
// entered each touchpoint, its mean CSAT and CES, and the customers who
// entered each stage. All are nil when sum has no touchpoints (a run saved
// before they were counted), and a value sum lacks is NaN.
func touchpointFigures(m *sim.Model, sum *results.Summary, st *results.StrategySummary) (passing, csat, ces, stages []float64) {
	if len(sum.Touchpoints) == 0 || len(st.Touchpoints) == 0 {
		return nil, nil, nil, nil
	}
	mean := func(node, key string) float64 {
		if e, ok := sum.TouchpointEstimate(st, node, key); ok {
			return e.Mean
		}
		return math.NaN()
	}
	passing, csat, ces = make([]float64, len(m.Nodes)), make([]float64, len(m.Nodes)), make([]float64, len(m.Nodes))
	for n := range m.Nodes {
		name := m.Nodes[n].Name
		passing[n], csat[n], ces[n] = mean(name, "entries"), mean(name, "csat"), mean(name, "ces")
	}
	if len(st.StageEntries) == 0 {
		return passing, csat, ces, nil
	}
	stages = make([]float64, len(m.Stages))
	for k, name := range m.Stages {
		stages[k] = math.NaN()
		if j := slices.Index(sum.Stages, name); j >= 0 && j < len(st.StageEntries) {
			stages[k] = st.StageEntries[j].Mean
		}
	}
	return passing, csat, ces, stages
}
