package sweep

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/sim/text"
)

// dataCell formats a number for a data table; NaN and infinities are empty.
func dataCell(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'g', -1, 64)
}

func paramColumns(m *Manifest) []output.Column {
	var cols []output.Column
	for _, p := range m.Params {
		t := output.String
		if p.Numeric {
			t = output.Float
		}
		cols = append(cols, output.Column{Name: p.Path, Type: t})
	}
	return cols
}

// Tables returns the analysis as data tables: points, best and
// sensitivity.
func (a *Analysis) Tables() []*output.Table {
	m := a.Manifest
	points := &output.Table{Name: "points", Columns: []output.Column{{Name: "point", Type: output.Int}, {Name: "strategy", Type: output.String}}}
	points.Columns = append(points.Columns, paramColumns(m)...)
	for _, o := range m.Outcomes {
		for _, suffix := range []string{"_mean", "_ci95_low", "_ci95_high"} {
			points.Columns = append(points.Columns, output.Column{Name: o.Key + suffix, Type: output.Float})
		}
	}
	points.Columns = append(points.Columns, output.Column{Name: "replications", Type: output.Int})
	for _, ps := range a.Points {
		row := append([]string{strconv.Itoa(ps.Point), ps.Strategy}, ps.Params...)
		for _, e := range ps.Outcomes {
			row = append(row, dataCell(e.Mean), dataCell(e.Low()), dataCell(e.High()))
		}
		points.Add(append(row, strconv.Itoa(ps.Replications))...)
	}

	best := &output.Table{Name: "best", Columns: []output.Column{{Name: "outcome", Type: output.String},
		{Name: "strategy", Type: output.String}, {Name: "rank", Type: output.Int}, {Name: "point", Type: output.Int}}}
	best.Columns = append(best.Columns, paramColumns(m)...)
	best.Columns = append(best.Columns, output.Column{Name: "mean", Type: output.Float},
		output.Column{Name: "ci95_low", Type: output.Float}, output.Column{Name: "ci95_high", Type: output.Float})
	for _, b := range a.Best {
		row := append([]string{b.Outcome, b.Strategy, strconv.Itoa(b.Rank), strconv.Itoa(b.Point)}, b.Params...)
		best.Add(append(row, dataCell(b.Estimate.Mean), dataCell(b.Estimate.Low()), dataCell(b.Estimate.High()))...)
	}

	sens := &output.Table{Name: "sensitivity", Columns: []output.Column{{Name: "outcome", Type: output.String},
		{Name: "strategy", Type: output.String}, {Name: "parameter", Type: output.String},
		{Name: "src", Type: output.Float}, {Name: "rank", Type: output.Int}, {Name: "r2", Type: output.Float},
		{Name: "srrc", Type: output.Float}, {Name: "rank_r2", Type: output.Float}, {Name: "runs", Type: output.Int}}}
	for _, s := range a.Sensitivity {
		for _, p := range s.Predictors {
			rank := ""
			if p.Rank > 0 {
				rank = strconv.Itoa(p.Rank)
			}
			sens.Add(s.Outcome, s.Strategy, p.Name, dataCell(p.SRC), rank, dataCell(s.R2), dataCell(p.SRRC), dataCell(s.RankR2), strconv.Itoa(s.Runs))
		}
	}
	return []*output.Table{points, best, sens}
}

// outcomeFormat says how the analysis's tables show an outcome: its key
// as the label ("churn_rate (%)" for a percentage), the factor to display
// it in and the decimals, as FormatOutcome sets them.
func outcomeFormat(key string, values []float64) (label string, scale float64, digits int) {
	f := FormatOutcome(key, "", values...)
	label = key
	if f.scale == 100 {
		label += " (%)"
	}
	return label, f.scale, f.digits
}

// estimateText is mean ± half-width of the 95% interval, in units scale
// times the estimate's.
func estimateText(e results.Estimate, scale float64, digits int) string {
	e.Mean *= scale
	e.CI95 *= scale
	return results.FormatEstimate(e, digits)
}

// WriteText writes the analysis for people: what the sweep was, the best
// points for each outcome, the sensitivity of each outcome to each
// parameter, and the thresholds along each numeric parameter.
func (a *Analysis) WriteText(w io.Writer) error {
	m := a.Manifest
	fmt.Fprintf(w, "%s · %s × %s × %s · seed %s\n", m.Experiment, text.Count(m.Points, "point"),
		text.Count(len(m.Strategies), "strategy"), text.Count(m.Replications, "replication"), m.Seed)
	if m.Replications > 1 {
		fmt.Fprintf(w, "mean ± half-width of the 95%% confidence interval over %d replications\n", m.Replications)
	} else {
		fmt.Fprintln(w, "one replication per point: no confidence intervals")
	}
	if err := a.writeBest(w); err != nil {
		return err
	}
	if err := a.writeSensitivity(w); err != nil {
		return err
	}
	return a.writeThresholds(w)
}

func (a *Analysis) writeBest(w io.Writer) error {
	m := a.Manifest
	var shown []int // the parameters that vary
	for k := range m.Params {
		if a.varied[k] {
			shown = append(shown, k)
		}
	}
	var fixed []string
	for k, p := range m.Params {
		if !a.varied[k] && len(a.Points) > 0 {
			fixed = append(fixed, p.Path+" = "+a.Points[0].Params[k])
		}
	}
	if len(fixed) > 0 {
		fmt.Fprintf(w, "held fixed: %s\n", strings.Join(fixed, ", "))
	}
	for _, out := range m.Outcomes {
		var entries []BestPoint
		var values []float64
		for _, b := range a.Best {
			if b.Outcome == out.Key {
				entries = append(entries, b)
				values = append(values, b.Estimate.Mean)
			}
		}
		if len(entries) == 0 {
			continue
		}
		label, scale, digits := outcomeFormat(out.Key, values)
		way := "higher is better"
		if out.Better < 0 {
			way = "lower is better"
		}
		fmt.Fprintf(w, "\nBest points for %s (%s), top %d of %d per strategy:\n", out.Key, way, min(TopPoints, m.Points), m.Points)
		header := []string{"strategy", "rank", "point"}
		for _, k := range shown {
			header = append(header, m.Params[k].Path)
		}
		header = append(header, label)
		var rows [][]string
		for _, b := range entries {
			row := []string{b.Strategy, strconv.Itoa(b.Rank), strconv.Itoa(b.Point)}
			for _, k := range shown {
				row = append(row, b.Params[k])
			}
			rows = append(rows, append(row, estimateText(b.Estimate, scale, digits)))
		}
		if err := output.RenderTable(w, header, rows); err != nil {
			return err
		}
	}
	return nil
}

func (a *Analysis) writeSensitivity(w io.Writer) error {
	m := a.Manifest
	fmt.Fprintln(w, "\nSensitivity: standardised regression coefficients (SRC) of each outcome on the parameters, over every run.")
	fmt.Fprintln(w, "An SRC is the change in the outcome, in standard deviations, for one standard deviation more of the")
	fmt.Fprintln(w, "parameter, the others held fixed; (#1) is the largest effect. R² near 1: the linear model explains the")
	fmt.Fprintln(w, "outcome; R² on ranks well above R²: the effects are monotone but not linear (see srrc in sensitivity.csv).")
	for _, out := range m.Outcomes {
		var per []Sensitivity
		for _, s := range a.Sensitivity {
			if s.Outcome == out.Key {
				per = append(per, s)
			}
		}
		if len(per) == 0 {
			continue
		}
		if note, ok := sameNote(per); ok {
			fmt.Fprintf(w, "\n%s: %s\n", out.Key, note)
			continue
		}
		fmt.Fprintf(w, "\n%s:\n", out.Key)
		// Rows: the predictors with a coefficient somewhere, by their
		// largest |SRC| over the strategies.
		size := make([]float64, len(per[0].Predictors))
		var rowsIdx []int
		var unvaried []string
		for j := range per[0].Predictors {
			size[j] = math.NaN()
			for _, s := range per {
				if v := math.Abs(s.Predictors[j].SRC); !math.IsNaN(v) && (math.IsNaN(size[j]) || v > size[j]) {
					size[j] = v
				}
			}
			p := per[0].Predictors[j]
			if !a.varied[p.Param] {
				if !slices.Contains(unvaried, m.Params[p.Param].Path) {
					unvaried = append(unvaried, m.Params[p.Param].Path)
				}
				continue
			}
			rowsIdx = append(rowsIdx, j)
		}
		slices.SortStableFunc(rowsIdx, func(x, y int) int {
			sx, sy := size[x], size[y]
			switch {
			case math.IsNaN(sx) && math.IsNaN(sy):
				return 0
			case math.IsNaN(sx):
				return 1
			case math.IsNaN(sy):
				return -1
			case sx > sy:
				return -1
			case sx < sy:
				return 1
			}
			return 0
		})
		header := []string{"parameter"}
		for _, s := range per {
			header = append(header, s.Strategy)
		}
		var rows [][]string
		for _, j := range rowsIdx {
			row := []string{per[0].Predictors[j].Name}
			for _, s := range per {
				p := s.Predictors[j]
				if math.IsNaN(p.SRC) {
					row = append(row, "–")
					continue
				}
				row = append(row, fmt.Sprintf("%s (#%d)", signedNumber(p.SRC, 3), p.Rank))
			}
			rows = append(rows, row)
		}
		r2 := []string{"R²"}
		rr2 := []string{"R² on ranks"}
		for _, s := range per {
			r2 = append(r2, results.FormatNumber(s.R2, 3))
			rr2 = append(rr2, results.FormatNumber(s.RankR2, 3))
		}
		rows = append(rows, r2, rr2)
		if err := output.RenderTable(w, header, rows); err != nil {
			return err
		}
		if len(unvaried) > 0 {
			fmt.Fprintf(w, "  not varied, so no coefficient: %s\n", strings.Join(unvaried, ", "))
		}
		for _, s := range per {
			if s.Note != "" {
				fmt.Fprintf(w, "  %s: %s\n", s.Strategy, s.Note)
			}
			if s.R2 < lowR2 && s.RankR2 < lowR2 {
				fmt.Fprintf(w, "  %s: R² %s: the parameters explain little of %s here (its variation is mostly noise between replications, or an effect neither model captures)\n",
					s.Strategy, results.FormatNumber(s.R2, 3), out.Key)
			}
		}
	}
	return nil
}

// sameNote returns the note of regressions that all failed for the same
// reason.
func sameNote(per []Sensitivity) (string, bool) {
	for _, s := range per {
		if !math.IsNaN(s.R2) || s.Note != per[0].Note || s.Note == "" {
			return "", false
		}
	}
	return per[0].Note, true
}

// signedNumber formats v with its sign.
func signedNumber(v float64, digits int) string {
	s := results.FormatNumber(v, digits)
	if v > 0 && strings.Trim(s, "0.,") != "" {
		return "+" + s
	}
	return s
}
