package sweep

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/sim/text"
	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat"
)

// rankBySize sets each predictor's Rank by its share of the variance,
// largest first; ties keep the predictors' order.
func rankBySize(ps []Predictor) {
	var idx []int
	for j, p := range ps {
		if !math.IsNaN(p.Share) {
			idx = append(idx, j)
		}
	}
	slices.SortStableFunc(idx, func(x, y int) int {
		ax, ay := ps[x].Share, ps[y].Share
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
		return coef, math.NaN(), fmt.Sprintf("too few runs (%s) to fit %s: a regression needs at least %s", whole(n), text.Count(len(active), "parameter"), whole(len(active)+2))
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
