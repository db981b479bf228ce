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

// Tables returns the analysis as data tables: points, best,
// sensitivity, main_effects and findings, and for a sobol or morris design
// its indices (sobol or morris).
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
		{Name: "share", Type: output.Float}, {Name: "rank", Type: output.Int}, {Name: "p_value", Type: output.Float},
		{Name: "src", Type: output.Float}, {Name: "r2_within", Type: output.Float}, {Name: "seed_share", Type: output.Float},
		{Name: "seed_blocks", Type: output.String}, {Name: "runs", Type: output.Int}}}
	for _, s := range a.Sensitivity {
		for _, p := range s.Predictors {
			rank := ""
			if p.Rank > 0 {
				rank = strconv.Itoa(p.Rank)
			}
			sens.Add(s.Outcome, s.Strategy, p.Name, dataCell(p.Share), rank, dataCell(p.P), dataCell(p.SRC),
				dataCell(s.R2), dataCell(s.SeedShare), strconv.FormatBool(s.Blocked), strconv.Itoa(s.Runs))
		}
	}

	effects := &output.Table{Name: "main_effects", Columns: []output.Column{{Name: "outcome", Type: output.String},
		{Name: "strategy", Type: output.String}, {Name: "parameter", Type: output.String}, {Name: "x", Type: output.Float},
		{Name: "mean", Type: output.Float}, {Name: "ci95_low", Type: output.Float}, {Name: "ci95_high", Type: output.Float},
		{Name: "points", Type: output.Int}, {Name: "fitted", Type: output.Float},
		{Name: "step_to_next", Type: output.Float}, {Name: "step_ci95_low", Type: output.Float}, {Name: "step_ci95_high", Type: output.Float}}}
	findings := &output.Table{Name: "findings", Columns: []output.Column{{Name: "outcome", Type: output.String},
		{Name: "strategy", Type: output.String}, {Name: "parameter", Type: output.String}, {Name: "shape", Type: output.String},
		{Name: "method", Type: output.String}, {Name: "best", Type: output.Float}, {Name: "value", Type: output.Float},
		{Name: "near_low", Type: output.Float}, {Name: "near_high", Type: output.Float}, {Name: "non_monotone", Type: output.String},
		{Name: "reason", Type: output.String}}}
	for _, me := range a.MainEffects {
		par := m.Params[me.Param].Path
		for i, x := range me.X {
			fitted, step, lo, hi := "", "", "", ""
			if me.Fitted != nil {
				fitted = dataCell(me.Fitted[i])
			}
			if i < len(me.Steps) {
				step, lo, hi = dataCell(me.Steps[i].Mean), dataCell(me.Steps[i].Low()), dataCell(me.Steps[i].High())
			}
			effects.Add(me.Outcome, me.Strategy, par, dataCell(x), dataCell(me.Level[i].Mean), dataCell(me.Level[i].Low()),
				dataCell(me.Level[i].High()), strconv.Itoa(me.Points[i]), fitted, step, lo, hi)
		}
		f := me.Finding
		findings.Add(me.Outcome, me.Strategy, par, f.Shape.String(), f.Method, dataCell(f.Best), dataCell(f.Value),
			dataCell(f.NearLow), dataCell(f.NearHigh), strconv.FormatBool(f.NonMonotone), f.Reason)
	}
	return append([]*output.Table{points, best, sens, effects, findings}, a.indexTables()...)
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
// parameter, and the thresholds along each numeric parameter. It names
// the parameters in words (ParamWords), their paths given once, in a
// legend at the top (LegendTitle). Its
// sentences are wrapped to 80 columns and its tables are as wide as their
// contents.
func (a *Analysis) WriteText(w io.Writer) error {
	return a.WriteTextWidth(w, 0)
}

// WriteTextWidth writes the analysis as WriteText does, every line at most
// cols display columns (0: no limit): its tables fitted to that width (as
// output.RenderTableWidth fits them) and its sentences wrapped to 80
// columns or that width when narrower.
func (a *Analysis) WriteTextWidth(w io.Writer, cols int) error {
	m := a.Manifest
	io.WriteString(w, output.WrapLine(fmt.Sprintf("%s · %s × %s × %s · seed %s", m.Experiment, text.Count(m.Points, "point"),
		text.Count(len(m.Strategies), "strategy"), text.Count(m.Replications, "replication"), m.Seed), cols, "", "  "))
	if m.Replications > 1 {
		io.WriteString(w, output.WrapLine("mean ± half-width of the 95% confidence interval over "+text.Count(m.Replications, "replication"), cols, "", "  "))
	} else {
		io.WriteString(w, output.WrapLine("one replication per point: no confidence intervals", cols, "", "  "))
	}
	a.writeLegend(w, cols)
	if err := a.writeBest(w, cols); err != nil {
		return err
	}
	if err := a.writeSensitivity(w, cols); err != nil {
		return err
	}
	if err := a.writeIndices(w, cols); err != nil {
		return err
	}
	return a.writeThresholds(w, cols)
}

// wrap wraps a sentence of the analysis on a page cols wide (0: no
// limit): to a terminal's width, or to cols when narrower, a word too
// long for a line broken.
func wrap(s string, cols int, first, rest string) string {
	if cols > 0 {
		return output.WrapText(s, min(width, cols), first, rest)
	}
	return text.Wrap(s, width, first, rest)
}

// LegendTitle heads the analysis's legend of parameters, the one place
// its text gives the parameters' paths.
const LegendTitle = "Parameters, by path:"

// writeLegend writes the legend of parameters: each path with the words
// the rest of the text names it by. Nothing when every parameter is named
// by its path.
func (a *Analysis) writeLegend(w io.Writer, cols int) {
	a.prepare()
	lines := a.legend()
	if len(lines) == 0 {
		return
	}
	io.WriteString(w, LegendTitle+"\n")
	for _, l := range lines {
		io.WriteString(w, wrap(l, cols, "  ", "    "))
	}
}

// valueText writes parameter k's value v, as the runs table holds it,
// for people: a number with thousands separators, words as they are.
func (a *Analysis) valueText(k int, v string) string {
	if !a.Manifest.Params[k].Numeric {
		return v
	}
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsNaN(f) || math.IsInf(f, 0) {
		return v
	}
	return ParamText(f)
}

// whole writes a count with thousands separators.
func whole(n int) string { return results.FormatNumber(float64(n), 0) }

func (a *Analysis) writeBest(w io.Writer, cols int) error {
	m := a.Manifest
	var shown []int // the parameters that vary
	for k := range m.Params {
		if a.varied[k] {
			shown = append(shown, k)
		}
	}
	var fixed []string
	for k := range m.Params {
		if !a.varied[k] && len(a.Points) > 0 {
			fixed = append(fixed, a.label(k)+" = "+a.valueText(k, a.Points[0].Params[k]))
		}
	}
	if len(fixed) > 0 {
		io.WriteString(w, output.WrapLine("held fixed: "+strings.Join(fixed, ", "), cols, "", "  "))
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
		io.WriteString(w, "\n"+output.WrapLine(fmt.Sprintf("Best points for %s (%s), top %s of %s per strategy:", out.Key, way, whole(min(TopPoints, m.Points)), whole(m.Points)), cols, "", "  "))
		header := []string{"strategy", "rank", "point"}
		for _, k := range shown {
			header = append(header, a.label(k))
		}
		header = append(header, label)
		var rows [][]string
		for _, b := range entries {
			row := []string{b.Strategy, strconv.Itoa(b.Rank), whole(b.Point)}
			for _, k := range shown {
				row = append(row, a.valueText(k, b.Params[k]))
			}
			rows = append(rows, append(row, estimateText(b.Estimate, scale, digits)))
		}
		// Split, each group of columns repeats the strategy, the rank
		// and the point.
		if err := output.RenderTableLabelled(w, header, rows, cols, 3); err != nil {
			return err
		}
		o := slices.IndexFunc(m.Outcomes, func(x Outcome) bool { return x.Key == out.Key })
		for _, name := range m.Strategies {
			var line string
			switch n, tested := a.Rivals(o, name); {
			case a.Unmeasured(o, name) && o >= 0 && o < len(m.Outcomes) && isBusinessOutcome(m.Outcomes[o].Key):
				line = "the baseline this outcome is measured against: no value of its own"
			case a.Unmeasured(o, name):
				line = "not measured"
			case a.SameEverywhere(o, name):
				line = "the same at every point"
			case !tested:
				line = "with one replication, #1 is not told apart from the other points"
			case n > 0:
				line = fmt.Sprintf("%s %s within the noise of #1: the sweep cannot single out one best point", text.Count(n, "other point"), text.Agree(n, "is", "are"))
			default:
				line = "#1 is told apart from every other point"
			}
			io.WriteString(w, output.WrapLine(name+": "+line, cols, "  ", "    "))
		}
	}
	return nil
}

func (a *Analysis) writeSensitivity(w io.Writer, cols int) error {
	m := a.Manifest
	var b []byte
	put := func(s string) { b = append(b, wrap(s, cols, "", "")...) }
	b = append(b, "\nWhat moves each outcome\n"...)
	if a.blocked() {
		put("Runs are compared within their seed: under common random numbers, replication r of every point has the same seed, so what the seed alone does is shared by every point and set aside.")
	}
	put("Share: of the variation between runs" + map[bool]string{true: " of the same seed", false: ""}[a.blocked()] +
		", how much each parameter accounts for (its linear and quadratic terms; each level of a word). * marks a share told apart from noise (p < 0.05, tested on the design points' means). The word after it says how the outcome moves along the parameter, as far as the design can tell (see Thresholds).")
	if _, err := w.Write(b); err != nil {
		return err
	}
	for o, out := range m.Outcomes {
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
			io.WriteString(w, "\n"+output.WrapLine(out.Key+": "+note, cols, "", "  "))
			continue
		}
		head := out.Key + ":"
		var seeds []string
		for _, s := range per {
			if !math.IsNaN(s.SeedShare) {
				seeds = append(seeds, percentCell(s.SeedShare))
			}
		}
		if len(seeds) > 0 && a.blocked() {
			head = fmt.Sprintf("%s (the seeds account for %s of its variation)", out.Key, text.List(slices.Compact(seeds), "and"))
			if len(slices.Compact(seeds)) > 1 {
				head = fmt.Sprintf("%s (the seeds account for %s of its variation, by strategy)", out.Key, strings.Join(seeds, ", "))
			}
		}
		io.WriteString(w, "\n"+output.WrapLine(head, cols, "", "  "))
		// Rows: the varied parameters, by their largest share over the
		// strategies.
		size := make([]float64, len(per[0].Predictors))
		rowsIdx := make([]int, len(per[0].Predictors))
		for j := range per[0].Predictors {
			rowsIdx[j] = j
			size[j] = math.Inf(-1)
			for _, s := range per {
				if v := s.Predictors[j].Share; !math.IsNaN(v) && v > size[j] {
					size[j] = v
				}
			}
		}
		slices.SortStableFunc(rowsIdx, func(x, y int) int { return cmpFloat(size[y], size[x]) })
		header := []string{"parameter"}
		for _, s := range per {
			header = append(header, s.Strategy)
		}
		var rows [][]string
		for _, j := range rowsIdx {
			row := []string{a.label(per[0].Predictors[j].Param)}
			for si, s := range per {
				p := s.Predictors[j]
				if math.IsNaN(p.Share) {
					row = append(row, "–")
					continue
				}
				cell := percentCell(p.Share)
				if p.P < 0.05 {
					cell += " *"
				}
				if me := a.mainEffect(o, slices.Index(m.Strategies, per[si].Strategy), p.Param); me != nil {
					if wd := shapeWord(me.Finding, out.Better); wd != "" {
						cell += " " + wd
					}
				}
				row = append(row, cell)
			}
			rows = append(rows, row)
		}
		r2 := []string{"explained"}
		for _, s := range per {
			r2 = append(r2, percentCell(s.R2))
		}
		rows = append(rows, r2)
		if err := output.RenderTableWidth(w, header, rows, cols); err != nil {
			return err
		}
		for _, s := range per {
			if s.Note != "" {
				io.WriteString(w, output.WrapLine(s.Strategy+": "+s.Note, cols, "  ", "    "))
			}
			if s.R2 < lowR2 && s.Note == "" {
				io.WriteString(w, output.WrapLine(fmt.Sprintf("%s: the parameters explain %s of %s%s here: the rest is noise between runs, or an effect the model does not capture",
					s.Strategy, results.FormatNumber(100*s.R2, 0)+"%", out.Key, map[bool]string{true: " within a seed", false: ""}[s.Blocked]), cols, "  ", "    "))
			}
		}
	}
	return nil
}

// percentCell writes a share as a whole percentage, ">99%" and "<1%"
// rather than rounding to all or nothing; "–" for NaN.
func percentCell(v float64) string {
	switch {
	case math.IsNaN(v):
		return "–"
	case v < 1 && math.Round(100*v) >= 100:
		return ">99%"
	case v > 0 && math.Round(100*v) <= 0:
		return "<1%"
	}
	return results.FormatNumber(100*v, 0) + "%"
}

// shapeWord says in a word how an outcome moves along a parameter, as
// far as the finding tells: peaks, dips, rises, falls, levels off or
// flat; "" when the design cannot tell.
func shapeWord(f Finding, better int) string {
	up := better >= 0
	switch f.Shape {
	case Flat:
		return "flat"
	case BestInside:
		if up {
			return "peaks"
		}
		return "dips"
	case BestBetween:
		return "levels off"
	case BestAtHigh:
		if up {
			return "rises"
		}
		return "falls"
	case BestAtLow:
		if up {
			return "falls"
		}
		return "rises"
	}
	return ""
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
