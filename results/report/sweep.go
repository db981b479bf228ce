package report

import (
	"fmt"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/charts"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/sim/text"
	"gopkg.in/yaml.v3"
)

// paramValues is a sweep's parameter and the values it takes, in words.
type paramValues struct {
	// Words names the parameter (sweep.ParamWords.Short); Long in full
	// (sweep.ParamWords.Long); Key is its path; Values says its values.
	Words, Long, Key, Values string
	// legend reports that the report shows the path beside the words:
	// its table of the parameters varied is its legend of paths.
	legend bool
}

// Path is how the report names the parameter: in words, and in the
// legend, the table of the parameters varied, in full with its path, so
// that the words can be mapped back to the experiment's keys.
func (p paramValues) Path() string {
	switch {
	case !p.legend:
		return p.Words
	case p.Long == p.Key:
		return p.Key
	}
	return p.Long + " (" + p.Key + ")"
}

// bestTable is a sweep's best design point for each outcome (a row) under
// each strategy (a column).
type bestTable struct {
	Header []string
	Rows   []bestRow
}

type bestRow struct {
	Outcome, Way string
	Cells        []bestCell
}

// bestCell is the best point's mean ± its interval, and where it is: the
// point's settings of the parameters the sweep varies.
type bestCell struct{ Text, Where string }

// readChecked reads the file name of the sweep folder dir and checks it
// against the SHA-256 its manifest recorded.
func readChecked(dir, name, sha string) ([]byte, error) {
	path := filepath.Join(dir, name)
	raw, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("read sweep folder: %w", err)
	}
	if sha != "" && output.Hash(raw) != sha {
		return nil, fmt.Errorf("%s was changed after the sweep: its SHA-256 differs from the one in %s", path, sweep.ManifestFile)
	}
	return raw, nil
}

// buildSweep reads a complete sweep folder.
func buildSweep(dir string, describe Describe) (*data, error) {
	a, err := sweep.Analyze(dir)
	if err != nil {
		return nil, err
	}
	m := a.Manifest
	scen, err := readChecked(dir, sweep.ScenarioFile, m.ScenarioSHA256)
	if err != nil {
		return nil, err
	}
	exp, err := readChecked(dir, sweep.ExperimentFile, m.ExperimentSHA256)
	if err != nil {
		return nil, err
	}
	var texts struct {
		Name        string `yaml:"name"`
		Description string `yaml:"description"`
	}
	if err := yaml.Unmarshal(exp, &texts); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, sweep.ExperimentFile), err)
	}
	d := &data{Sweep: true, Kind: "Sweep", Title: m.Experiment, Description: texts.Description,
		Facts: fmt.Sprintf("%s × %s × %s · seed %s", text.Count(m.Points, "design point"), text.Count(len(m.Strategies), "strategy"),
			text.Count(m.Replications, "replication"), m.Seed),
		Footer: fmt.Sprintf("journeysim %s · experiment %s (sha256 %.12s…) · scenario %s (sha256 %.12s…)",
			m.Version, m.Experiment, m.ExperimentSHA256, m.ScenarioOrigin, m.ScenarioSHA256),
	}
	if err := yaml.Unmarshal(scen, &texts); err != nil {
		return nil, fmt.Errorf("%s: %w", filepath.Join(dir, sweep.ScenarioFile), err)
	}
	d.ScenarioName, d.ScenarioDescription = texts.Name, texts.Description

	// The scenario is explained with the settings the sweep holds fixed.
	values := paramValueLists(a)
	words := a.ParamWords()
	run := &SweepRun{Replications: m.Replications, Seed: m.Seed, Strategies: m.Strategies}
	var fixedText, variedNumbers []string
	for k, p := range m.Params {
		vals := values[k]
		shown := make([]string, len(vals))
		for i, v := range vals {
			shown[i] = valueText(v, p.Numeric)
		}
		name := words[k].Short()
		if len(vals) == 1 {
			run.Fixed = append(run.Fixed, Setting{Path: p.Path, Value: vals[0]})
			fixedText = append(fixedText, name+" = "+shown[0])
			d.Fixed = append(d.Fixed, paramValues{Words: name, Long: words[k].Long(), Key: p.Path, Values: shown[0], legend: true})
			continue
		}
		d.Varied = append(d.Varied, paramValues{Words: name, Long: words[k].Long(), Key: p.Path, Values: triedText(p, shown), legend: true})
		if p.Numeric {
			variedNumbers = append(variedNumbers, p.Path)
		}
	}
	sc, err := describe(dir, filepath.Join(dir, sweep.ScenarioFile), scen, run)
	if err != nil {
		return nil, err
	}
	applied, left, all := sc.Applied, sc.Left, sc.Strategies
	info := sc.info()
	d.Lesson, d.Explanation = info.Lesson, info.Explanation
	ran := "The scenario as the sweep ran it, with the sweep's replications and seed"
	if applied {
		ran += " and the settings it holds fixed (" + text.List(fixedText, "and") + ")"
	}
	note := []string{ran + "."}
	if len(left) > 0 {
		note = append(note, "It ran only "+text.Count(all-len(left), "strategy")+" of the scenario's "+
			results.FormatNumber(float64(all), 0)+", so "+text.List(left, "and")+" "+text.Agree(len(left), "is", "are")+" left out.")
	}
	if len(d.Varied) > 0 {
		note = append(note, "The parameters it varies are described at the scenario's own values; “What the sweep varies” lists the values tried.")
	}
	d.ExplainNote = strings.Join(note, " ")

	d.Best = bestPoints(a, info.Currency)
	if sec, ok := a.Indices(); ok {
		d.Indices = &sec
	}
	d.Fit = map[string]string{"best": fitClass(d.Best.columns())}
	switch {
	case m.Replications > 1:
		d.IntervalNote = fmt.Sprintf("Each cell is the strategy's best design point for the outcome: the mean of its %d replications ± the half-width of its 95%% confidence interval, and under it the point's settings.", m.Replications)
	default:
		d.IntervalNote = "Each cell is the strategy's best design point for the outcome, from one replication (no confidence intervals), and under it the point's settings."
	}

	if len(variedNumbers) > 0 {
		cs, err := charts.FromSweep(a, info.Currency)
		if err != nil {
			return nil, err
		}
		if err := d.addCharts(dir, cs); err != nil {
			return nil, err
		}
	} else {
		d.ChartsNote = "The sweep varies no numeric parameter, so there is no number to chart its outcomes against."
	}

	var skipped []string
	d.Thresholds, skipped = a.Thresholds(info.Currency)
	for i := range d.Thresholds {
		// The page heads each parameter's thresholds with its Param:
		// in words, as their sentences name it.
		d.Thresholds[i].Param = d.Thresholds[i].Label
	}
	switch {
	case len(d.Thresholds) > 0:
		d.ThresholdsNote = text.Capitalize(sweep.ThresholdsIntro)
	default:
		d.ThresholdsNote = "The sweep varies no numeric parameter, so there are no thresholds along one."
	}
	if len(skipped) > 0 {
		d.ThresholdsNote += " " + text.List(skipped, "and") + " " + text.Agree(len(skipped), "takes", "take") + " words, not numbers: compare " + text.Agree(len(skipped), "its", "their") + " values in the best points above."
	}
	return d, nil
}

// listedValues is the most values "What the sweep varies" lists; a
// parameter that takes more is summed up by its range.
const listedValues = 12

// triedText says which values a parameter took: the values, or for one
// that took many, how many from which to which and how they were drawn.
func triedText(p sweep.ParamInfo, shown []string) string {
	if len(shown) <= listedValues || !p.Numeric {
		return strings.Join(shown, ", ")
	}
	s := results.FormatNumber(float64(len(shown)), 0) + " values from " + shown[0] + " to " + shown[len(shown)-1]
	if p.Min != nil && p.Max != nil {
		s = results.FormatNumber(float64(len(shown)), 0) + " values between " + valueText(strconv.FormatFloat(*p.Min, 'g', -1, 64), true) +
			" and " + valueText(strconv.FormatFloat(*p.Max, 'g', -1, 64), true)
	}
	if p.Distribution != "" {
		s += ", drawn from a " + p.Distribution + " distribution"
	}
	return s
}

// paramValueLists returns each parameter's values as the runs table holds
// them: numbers ascending, words in the order of the design points.
func paramValueLists(a *sweep.Analysis) [][]string {
	m := a.Manifest
	out := make([][]string, len(m.Params))
	for k, p := range m.Params {
		for _, ps := range a.Points {
			if !slices.Contains(out[k], ps.Params[k]) {
				out[k] = append(out[k], ps.Params[k])
			}
		}
		if p.Numeric {
			slices.SortStableFunc(out[k], func(x, y string) int {
				fx, _ := strconv.ParseFloat(x, 64)
				fy, _ := strconv.ParseFloat(y, 64)
				switch {
				case fx < fy:
					return -1
				case fx > fy:
					return 1
				}
				return 0
			})
		}
	}
	return out
}

// valueText writes a parameter's value as the runs table holds it: a
// number with thousands separators, or words as they are.
func valueText(v string, numeric bool) string {
	if !numeric {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return v
	}
	return sweep.ParamText(f)
}

// bestPoints returns the best design point of each outcome that has a
// direction, under each strategy.
func bestPoints(a *sweep.Analysis, currency string) bestTable {
	m := a.Manifest
	t := bestTable{Header: append([]string{"outcome"}, m.Strategies...)}
	words := a.ParamWords()
	var varied []int
	for k, vals := range paramValueLists(a) {
		if len(vals) > 1 {
			varied = append(varied, k)
		}
	}
	for o, out := range m.Outcomes {
		var vals []float64
		for _, b := range a.Best {
			if b.Outcome == out.Key && b.Rank == 1 {
				vals = append(vals, b.Estimate.Mean)
			}
		}
		if len(vals) == 0 {
			continue
		}
		f := sweep.FormatOutcome(out.Key, currency, vals...)
		row := bestRow{Outcome: f.Heading(), Way: "higher is better"}
		if out.Better < 0 {
			row.Way = "lower is better"
		}
		for _, name := range m.Strategies {
			i := slices.IndexFunc(a.Best, func(b sweep.BestPoint) bool {
				return b.Outcome == out.Key && b.Strategy == name && b.Rank == 1
			})
			if i < 0 {
				row.Cells = append(row.Cells, bestCell{Text: "–"})
				continue
			}
			b := a.Best[i]
			c := bestCell{Text: f.Estimate(b.Estimate)}
			switch {
			case len(varied) == 0:
			case a.SameEverywhere(o, name):
				c.Where = "the same at every point"
			default:
				var at []string
				for _, k := range varied {
					at = append(at, words[k].Short()+" = "+valueText(b.Params[k], m.Params[k].Numeric))
				}
				c.Where = "at " + strings.Join(at, ", ")
				switch n, tested := a.Rivals(o, name); {
				case !tested:
					c.Where += "; with one replication, not told apart from the other points"
				case n > 0:
					c.Where += fmt.Sprintf("; %s %s within the noise of it", text.Count(n, "other point"), text.Agree(n, "is", "are"))
				}
			}
			row.Cells = append(row.Cells, c)
		}
		t.Rows = append(t.Rows, row)
	}
	return t
}

// columns returns the table's columns, to fit it to the page: a cell's
// settings, under its value, wrap.
func (t bestTable) columns() []column {
	cols := make([]column, len(t.Header))
	for k, h := range t.Header {
		cols[k] = column{header: h, label: k == 0}
	}
	for _, r := range t.Rows {
		cols[0].cells = append(cols[0].cells, r.Outcome)
		for k, c := range r.Cells {
			if k+1 < len(cols) {
				cols[k+1].cells = append(cols[k+1].cells, c.Text)
				cols[k+1].notes = append(cols[k+1].notes, c.Where)
			}
		}
	}
	return cols
}
