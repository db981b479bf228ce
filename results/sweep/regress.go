package sweep

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

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
