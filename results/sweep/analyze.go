package sweep

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/sim/text"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// lowR2 is the R² below which the text says the parameters explain
// little of an outcome.
const lowR2 = 0.3

// TopPoints is the number of best points listed per outcome and strategy.
const TopPoints = 5

// Analysis is what a complete sweep folder says: each design point's
// outcomes under each strategy with their 95% intervals, the best points
// for each outcome, and how sensitive each outcome is to each parameter.
type Analysis struct {
	Dir      string
	Manifest *Manifest
	// Points holds one entry per design point and strategy, by point and
	// then in Manifest.Strategies order.
	Points []PointSummary
	// Best lists, for each outcome with a direction and each strategy,
	// the TopPoints best points, best first.
	Best []BestPoint
	// Sensitivity holds one regression per outcome and strategy, in
	// Manifest.Outcomes and then Manifest.Strategies order.
	Sensitivity []Sensitivity
	// Currency is the unit of money the text and JSON show amounts in, as
	// the sweep's scenario names it; "" leaves amounts bare. Analyze does
	// not know it: a caller that has read the scenario sets it.
	Currency string
	// varied[k] reports whether parameter k takes more than one value.
	varied []bool
}

// PointSummary is one design point under one strategy, over its
// replications.
type PointSummary struct {
	Point    int
	Strategy string
	// Params are the point's parameter values as the runs table holds
	// them, in Manifest.Params order.
	Params []string
	// Outcomes estimate each of Manifest.Outcomes over the replications.
	Outcomes     []results.Estimate
	Replications int
}

// BestPoint is one of the best points for an outcome under a strategy.
type BestPoint struct {
	Outcome  string
	Strategy string
	Rank     int // 1 is the best
	Point    int
	Params   []string
	Estimate results.Estimate
}

// Sensitivity is the linear regression of one outcome on the parameters,
// over every run of one strategy, with the outcome and each parameter
// standardised (z-scores), so that each coefficient (SRC) is the change in
// the outcome, in standard deviations, for a one standard deviation change
// in the parameter, the others held fixed. The rank version (SRRC) does the
// same on ranks, and catches monotone effects that are not linear.
type Sensitivity struct {
	Outcome  string
	Strategy string
	// Runs is the number of runs with the outcome defined.
	Runs       int
	Predictors []Predictor
	// R2 is the share of the outcome's variance the linear model
	// explains; RankR2 that of the model on ranks. NaN without a fit.
	R2, RankR2 float64
	// Note says why some or all coefficients are missing.
	Note string
}

// Predictor is one parameter's coefficient: a numeric parameter, or one
// level of a text parameter (an indicator, against the parameter's first
// level).
type Predictor struct {
	// Name is the parameter's path, or path=level for a text level.
	Name  string
	Param int // index into Manifest.Params
	// SRC and SRRC are NaN when the parameter does not vary, or varies
	// only with others.
	SRC, SRRC float64
	// Rank orders the predictors by |SRC|, 1 the largest; 0 without SRC.
	Rank int
}

// runRow is one row of the runs table, parsed.
type runRow struct {
	point, rep, strategy int
	params               []string
	outcomes             []float64
}

// Analyze reads the complete sweep folder dir and analyses it.
func Analyze(dir string) (*Analysis, error) {
	m, err := ReadManifest(dir)
	if err != nil {
		return nil, err
	}
	if !m.Complete {
		how := "journeysim sweep EXPERIMENT.yaml --out " + dir + " --resume"
		if m.Command != "" {
			how = m.Command
			if !strings.Contains(how, "--resume") {
				how += " --resume"
			}
		}
		if m.Shard.Count > 1 && !strings.Contains(how, "--shard") {
			how += " --shard " + m.Shard.String()
		}
		return nil, fmt.Errorf("%s holds %d of %d runs: the sweep is not complete; finish it with: %s", dir, m.Done, m.Units, how)
	}
	if m.Shard.Count > 1 {
		return nil, fmt.Errorf("%s is shard %s of its sweep: merge every shard first (journeysim merge SHARD-FOLDERS... --out DIR) and analyse the merged folder", dir, m.Shard)
	}
	if len(m.Strategies) == 0 || m.Points < 1 || m.Replications < 1 {
		return nil, fmt.Errorf("%s: %s lists %d points, %d strategies and %d replications: nothing to analyse", dir, ManifestFile, m.Points, len(m.Strategies), m.Replications)
	}
	t, err := ReadRuns(dir, m)
	if err != nil {
		return nil, err
	}
	runs, err := parseRuns(dir, m, t)
	if err != nil {
		return nil, err
	}
	a := &Analysis{Dir: dir, Manifest: m}
	a.summarizePoints(runs)
	a.rankPoints()
	a.sensitivity(runs)
	return a, nil
}

// parseRuns checks the runs table against the manifest and reads its rows.
func parseRuns(dir string, m *Manifest, t *output.Table) ([]runRow, error) {
	path := filepath.Join(dir, RunsFile)
	want := m.Columns()
	if len(t.Columns) != len(want) {
		return nil, fmt.Errorf("%s has %d columns; %s describes %d", path, len(t.Columns), ManifestFile, len(want))
	}
	for k, c := range want {
		if t.Columns[k].Name != c.Name {
			return nil, fmt.Errorf("%s: column %d is %q; %s says %q", path, k+1, t.Columns[k].Name, ManifestFile, c.Name)
		}
	}
	if n := m.Points * m.Replications * len(m.Strategies); len(t.Rows) != n {
		return nil, fmt.Errorf("%s has %d rows; %d points × %d replications × %d strategies make %d", path, len(t.Rows), m.Points, m.Replications, len(m.Strategies), n)
	}
	const first = 6 // experiment, run, point, replication, strategy, seed
	seen := make([]bool, len(t.Rows))
	runs := make([]runRow, len(t.Rows))
	for i, cells := range t.Rows {
		line := i + 2
		if len(cells) != len(want) {
			return nil, fmt.Errorf("%s:%d: %d cells for %d columns", path, line, len(cells), len(want))
		}
		r := runRow{params: cells[first : first+len(m.Params)]}
		var err1, err2 error
		r.point, err1 = strconv.Atoi(cells[2])
		r.rep, err2 = strconv.Atoi(cells[3])
		if err1 != nil || err2 != nil || r.point < 0 || r.point >= m.Points || r.rep < 0 || r.rep >= m.Replications {
			return nil, fmt.Errorf("%s:%d: point %q, replication %q: want points 0 to %d, replications 0 to %d", path, line, cells[2], cells[3], m.Points-1, m.Replications-1)
		}
		r.strategy = slices.Index(m.Strategies, cells[4])
		if r.strategy < 0 {
			return nil, fmt.Errorf("%s:%d: strategy %q is not one of the sweep's: %s", path, line, cells[4], strings.Join(m.Strategies, ", "))
		}
		key := (r.point*m.Replications+r.rep)*len(m.Strategies) + r.strategy
		if seen[key] {
			return nil, fmt.Errorf("%s:%d: point %d, replication %d, strategy %s appears twice", path, line, r.point, r.rep, cells[4])
		}
		seen[key] = true
		for k, p := range m.Params {
			if !p.Numeric {
				continue
			}
			if v, err := strconv.ParseFloat(r.params[k], 64); err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s:%d: parameter %s is %q, not a number", path, line, p.Path, r.params[k])
			}
		}
		for k, o := range m.Outcomes {
			text := cells[first+len(m.Params)+k]
			if text == "" {
				r.outcomes = append(r.outcomes, math.NaN()) // undefined in this run
				continue
			}
			v, err := strconv.ParseFloat(text, 64)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: %s is %q, not a number", path, line, o.Key, text)
			}
			r.outcomes = append(r.outcomes, v)
		}
		runs[key] = r
	}
	return runs, nil
}

// summarizePoints estimates each outcome per point and strategy; runs are
// in (point, replication, strategy) order.
func (a *Analysis) summarizePoints(runs []runRow) {
	m := a.Manifest
	ns := len(m.Strategies)
	for p := range m.Points {
		for s := range ns {
			ps := PointSummary{Point: p, Strategy: m.Strategies[s], Replications: m.Replications}
			ps.Params = runs[(p*m.Replications)*ns+s].params
			for o := range m.Outcomes {
				vals := make([]float64, m.Replications)
				for r := range m.Replications {
					vals[r] = runs[(p*m.Replications+r)*ns+s].outcomes[o]
				}
				ps.Outcomes = append(ps.Outcomes, results.NewEstimate(vals))
			}
			a.Points = append(a.Points, ps)
		}
	}
	a.varied = make([]bool, len(m.Params))
	for k := range m.Params {
		for _, ps := range a.Points {
			if ps.Params[k] != a.Points[0].Params[k] {
				a.varied[k] = true
				break
			}
		}
	}
}

// rankPoints picks the best points of each outcome with a direction.
func (a *Analysis) rankPoints() {
	m := a.Manifest
	for o, out := range m.Outcomes {
		if out.Better != 1 && out.Better != -1 {
			continue
		}
		for _, name := range m.Strategies {
			var cand []PointSummary
			for _, ps := range a.Points {
				if ps.Strategy == name && !math.IsNaN(ps.Outcomes[o].Mean) {
					cand = append(cand, ps)
				}
			}
			slices.SortStableFunc(cand, func(x, y PointSummary) int {
				d := float64(out.Better) * (y.Outcomes[o].Mean - x.Outcomes[o].Mean)
				switch {
				case d < 0:
					return -1
				case d > 0:
					return 1
				}
				return x.Point - y.Point
			})
			for k, ps := range cand[:min(TopPoints, len(cand))] {
				a.Best = append(a.Best, BestPoint{Outcome: out.Key, Strategy: name, Rank: k + 1, Point: ps.Point,
					Params: ps.Params, Estimate: ps.Outcomes[o]})
			}
		}
	}
}

// predictor is a regressor column's definition: a numeric parameter, or
// the indicator of one level of a text parameter.
type predictor struct {
	name  string
	param int
	level string // "" for a numeric parameter
}

// predictors lists the regressors: each numeric parameter, and an
// indicator for every level but the first (in run order) of each text
// parameter; a text parameter with one level gets a column that never
// varies, so that it is listed without a coefficient.
func (a *Analysis) predictors(runs []runRow) []predictor {
	var out []predictor
	for k, p := range a.Manifest.Params {
		if p.Numeric {
			out = append(out, predictor{name: p.Path, param: k})
			continue
		}
		var levels []string
		for _, r := range runs {
			if !slices.Contains(levels, r.params[k]) {
				levels = append(levels, r.params[k])
			}
		}
		if len(levels) < 2 {
			out = append(out, predictor{name: p.Path, param: k, level: "\x00"})
			continue
		}
		for _, l := range levels[1:] {
			out = append(out, predictor{name: p.Path + "=" + l, param: k, level: l})
		}
	}
	return out
}

func (p predictor) value(r *runRow) float64 {
	text := r.params[p.param]
	if p.level == "" {
		v, _ := strconv.ParseFloat(text, 64) // checked by parseRuns
		return v
	}
	if text == p.level {
		return 1
	}
	return 0
}

// sensitivity regresses each outcome on the parameters, per strategy.
func (a *Analysis) sensitivity(runs []runRow) {
	m := a.Manifest
	preds := a.predictors(runs)
	for o, out := range m.Outcomes {
		for s, name := range m.Strategies {
			var sub []*runRow
			for i := range runs {
				if runs[i].strategy == s && !math.IsNaN(runs[i].outcomes[o]) {
					sub = append(sub, &runs[i])
				}
			}
			y := make([]float64, len(sub))
			cols := make([][]float64, len(preds))
			for j := range preds {
				cols[j] = make([]float64, len(sub))
			}
			for i, r := range sub {
				y[i] = r.outcomes[o]
				for j, p := range preds {
					cols[j][i] = p.value(r)
				}
			}
			names := make([]string, len(preds))
			for j, p := range preds {
				names[j] = p.name
			}
			src, r2, note := regress(cols, y, names)
			rankCols := make([][]float64, len(cols))
			for j, p := range preds {
				rankCols[j] = cols[j]
				if p.level == "" {
					rankCols[j] = rankValues(cols[j])
				}
			}
			srrc, rr2, _ := regress(rankCols, rankValues(y), names)
			sens := Sensitivity{Outcome: out.Key, Strategy: name, Runs: len(sub), R2: r2, RankR2: rr2, Note: note}
			for j, p := range preds {
				sens.Predictors = append(sens.Predictors, Predictor{Name: p.name, Param: p.param, SRC: src[j], SRRC: srrc[j]})
			}
			rankBySize(sens.Predictors)
			a.Sensitivity = append(a.Sensitivity, sens)
		}
	}
}

// rankBySize sets each predictor's Rank by |SRC|, largest first; ties keep
// the predictors' order.
func rankBySize(ps []Predictor) {
	var idx []int
	for j, p := range ps {
		if !math.IsNaN(p.SRC) {
			idx = append(idx, j)
		}
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		ax, ay := math.Abs(ps[x].SRC), math.Abs(ps[y].SRC)
		switch {
		case ax > ay:
			return -1
		case ax < ay:
			return 1
		}
		return 0
	})
	for r, j := range idx {
		ps[j].Rank = r + 1
	}
}

// regress fits y on the columns by ordinary least squares, both
// standardised, and returns each column's coefficient (NaN for a column
// that does not vary or is a combination of others), R² and a note saying
// why coefficients are missing.
func regress(cols [][]float64, y []float64, names []string) ([]float64, float64, string) {
	n := len(y)
	coef := make([]float64, len(cols))
	for j := range coef {
		coef[j] = math.NaN()
	}
	var active []int
	for j, c := range cols {
		if varies(c) {
			active = append(active, j)
		}
	}
	switch {
	case n == 0:
		return coef, math.NaN(), "no run has this outcome defined"
	case len(active) == 0:
		return coef, math.NaN(), "no parameter varies"
	case n <= len(active)+1:
		return coef, math.NaN(), fmt.Sprintf("too few runs (%d) to fit %d parameters: a regression needs at least %d", n, len(active), len(active)+2)
	case !varies(y):
		return coef, math.NaN(), "the outcome is the same in every run"
	}
	zy := standardise(y)
	var notes []string
	for {
		x := mat.NewDense(n, len(active), nil)
		for k, j := range active {
			x.SetCol(k, standardise(cols[j]))
		}
		var qr mat.QR
		qr.Factorize(x)
		var r mat.Dense
		qr.RTo(&r)
		// A column that is a combination of those before it leaves a
		// (near) zero on R's diagonal: drop it and fit again.
		tol := 1e-9 * math.Sqrt(float64(n))
		drop := -1
		for k := range active {
			if math.Abs(r.At(k, k)) < tol {
				drop = k
				break
			}
		}
		if drop < 0 {
			var beta mat.VecDense
			err := qr.SolveVecTo(&beta, false, mat.NewVecDense(n, zy))
			if err == nil {
				var fit mat.VecDense
				fit.MulVec(x, &beta)
				rss, tss := 0.0, 0.0
				for i := range n {
					d := zy[i] - fit.AtVec(i)
					rss += d * d
					tss += zy[i] * zy[i]
				}
				for k, j := range active {
					coef[j] = beta.AtVec(k)
				}
				if len(notes) > 0 {
					return coef, 1 - rss/tss, strings.Join(notes, "; ")
				}
				return coef, 1 - rss/tss, ""
			}
			drop = len(active) - 1 // ill-conditioned: drop the last and retry
		}
		notes = append(notes, names[active[drop]]+" varies only together with other parameters: no coefficient")
		active = slices.Delete(active, drop, drop+1)
		if len(active) == 0 {
			return coef, math.NaN(), strings.Join(notes, "; ")
		}
	}
}

// varies reports whether v holds two different values.
func varies(v []float64) bool {
	return slices.ContainsFunc(v, func(x float64) bool { return x != v[0] })
}

// standardise returns v's z-scores.
func standardise(v []float64) []float64 {
	mean, sd := stat.MeanStdDev(v, nil)
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = (x - mean) / sd
	}
	return out
}

// rankValues returns the ranks of v, 1 for the smallest, ties sharing the mean
// of their ranks.
func rankValues(v []float64) []float64 {
	idx := make([]int, len(v))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		switch {
		case v[x] < v[y]:
			return -1
		case v[x] > v[y]:
			return 1
		}
		return 0
	})
	out := make([]float64, len(v))
	for i := 0; i < len(idx); {
		j := i
		for j+1 < len(idx) && v[idx[j+1]] == v[idx[i]] {
			j++
		}
		r := float64(i+j)/2 + 1
		for k := i; k <= j; k++ {
			out[idx[k]] = r
		}
		i = j + 1
	}
	return out
}

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

// jsonNumber is a float that is null in JSON when NaN or infinite.
type jsonNumber float64

func (v jsonNumber) MarshalJSON() ([]byte, error) {
	f := float64(v)
	if math.IsNaN(f) || math.IsInf(f, 0) {
		return []byte("null"), nil
	}
	return []byte(strconv.FormatFloat(f, 'g', -1, 64)), nil
}

type jsonEstimate struct {
	Mean jsonNumber `json:"mean"`
	Low  jsonNumber `json:"ci95_low"`
	High jsonNumber `json:"ci95_high"`
	N    int        `json:"n"`
}

func toJSONEstimate(e results.Estimate) jsonEstimate {
	return jsonEstimate{Mean: jsonNumber(e.Mean), Low: jsonNumber(e.Low()), High: jsonNumber(e.High()), N: e.N}
}

// jsonParams maps each parameter's path to its value: a number for a
// numeric parameter, text otherwise.
func (a *Analysis) jsonParams(values []string) map[string]any {
	out := make(map[string]any, len(values))
	for k, p := range a.Manifest.Params {
		out[p.Path] = values[k]
		if p.Numeric {
			v, _ := strconv.ParseFloat(values[k], 64)
			out[p.Path] = jsonNumber(v)
		}
	}
	return out
}

type jsonPoint struct {
	Point    int                     `json:"point"`
	Strategy string                  `json:"strategy"`
	Params   map[string]any          `json:"params"`
	Outcomes map[string]jsonEstimate `json:"outcomes"`
}

type jsonBest struct {
	Outcome  string         `json:"outcome"`
	Strategy string         `json:"strategy"`
	Rank     int            `json:"rank"`
	Point    int            `json:"point"`
	Params   map[string]any `json:"params"`
	Estimate jsonEstimate   `json:"estimate"`
}

type jsonCoefficient struct {
	Parameter string     `json:"parameter"`
	SRC       jsonNumber `json:"src"`
	Rank      int        `json:"rank,omitempty"`
	SRRC      jsonNumber `json:"srrc"`
}

type jsonSensitivity struct {
	Outcome      string            `json:"outcome"`
	Strategy     string            `json:"strategy"`
	Runs         int               `json:"runs"`
	R2           jsonNumber        `json:"r2"`
	RankR2       jsonNumber        `json:"rank_r2"`
	Note         string            `json:"note,omitempty"`
	Coefficients []jsonCoefficient `json:"coefficients"`
}

type jsonAnalysis struct {
	Experiment   string            `json:"experiment"`
	Seed         string            `json:"seed"`
	Points       int               `json:"points"`
	Strategies   []string          `json:"strategies"`
	Replications int               `json:"replications"`
	Params       []ParamInfo       `json:"params"`
	Outcomes     []Outcome         `json:"outcomes"`
	PointStats   []jsonPoint       `json:"point_outcomes"`
	Best         []jsonBest        `json:"best"`
	Sensitivity  []jsonSensitivity `json:"sensitivity"`
}

// WriteJSON writes the analysis as one JSON document; numbers that are not
// defined are null.
func (a *Analysis) WriteJSON(w io.Writer) error {
	m := a.Manifest
	doc := jsonAnalysis{Experiment: m.Experiment, Seed: m.Seed, Points: m.Points, Strategies: m.Strategies,
		Replications: m.Replications, Params: m.Params, Outcomes: m.Outcomes,
		PointStats: []jsonPoint{}, Best: []jsonBest{}, Sensitivity: []jsonSensitivity{}}
	for _, ps := range a.Points {
		d := jsonPoint{Point: ps.Point, Strategy: ps.Strategy, Params: a.jsonParams(ps.Params), Outcomes: map[string]jsonEstimate{}}
		for o, out := range m.Outcomes {
			d.Outcomes[out.Key] = toJSONEstimate(ps.Outcomes[o])
		}
		doc.PointStats = append(doc.PointStats, d)
	}
	for _, b := range a.Best {
		doc.Best = append(doc.Best, jsonBest{Outcome: b.Outcome, Strategy: b.Strategy, Rank: b.Rank, Point: b.Point,
			Params: a.jsonParams(b.Params), Estimate: toJSONEstimate(b.Estimate)})
	}
	for _, s := range a.Sensitivity {
		js := jsonSensitivity{Outcome: s.Outcome, Strategy: s.Strategy, Runs: s.Runs, R2: jsonNumber(s.R2),
			RankR2: jsonNumber(s.RankR2), Note: s.Note, Coefficients: []jsonCoefficient{}}
		for _, p := range s.Predictors {
			js.Coefficients = append(js.Coefficients, jsonCoefficient{Parameter: p.Name, SRC: jsonNumber(p.SRC), Rank: p.Rank, SRRC: jsonNumber(p.SRRC)})
		}
		doc.Sensitivity = append(doc.Sensitivity, js)
	}
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	return enc.Encode(doc)
}

// AnalysisFolder is the default folder, inside a sweep folder, that the
// analysis is written to.
const AnalysisFolder = "analysis"

// Files renders the analysis as the files of an analysis folder:
// analysis.txt, analysis.json and each table as CSV and Parquet.
func (a *Analysis) Files() ([]output.File, error) {
	var files []output.File
	var buf bytes.Buffer
	if err := a.WriteText(&buf); err != nil {
		return nil, fmt.Errorf("render analysis.txt: %w", err)
	}
	files = append(files, output.File{Name: "analysis.txt", Data: bytes.Clone(buf.Bytes())})
	buf.Reset()
	if err := a.WriteJSON(&buf); err != nil {
		return nil, fmt.Errorf("render analysis.json: %w", err)
	}
	files = append(files, output.File{Name: "analysis.json", Data: bytes.Clone(buf.Bytes())})
	for _, t := range a.Tables() {
		buf.Reset()
		if err := t.WriteCSV(&buf); err != nil {
			return nil, fmt.Errorf("render %s.csv: %w", t.Name, err)
		}
		files = append(files, output.File{Name: t.Name + ".csv", Data: bytes.Clone(buf.Bytes()), Rows: len(t.Rows)})
		buf.Reset()
		if err := t.WriteParquet(&buf); err != nil {
			return nil, fmt.Errorf("render %s.parquet: %w", t.Name, err)
		}
		files = append(files, output.File{Name: t.Name + ".parquet", Data: bytes.Clone(buf.Bytes()), Rows: len(t.Rows)})
	}
	return files, nil
}
