package sweep

import (
	"math"
	"slices"

	"gonum.org/v1/gonum/mat"
	"gonum.org/v1/gonum/stat/distuv"
)

// olsFit is an ordinary least-squares fit of y on columns.
type olsFit struct {
	// Beta holds each column's coefficient, NaN for a column left out
	// because it does not vary or is a combination of others; Intercept
	// is the intercept, 0 without one.
	Beta      []float64
	Intercept float64
	// Dropped lists the columns left out.
	Dropped []int
	// RSS is the residual sum of squares and DF its degrees of freedom.
	RSS float64
	DF  int
	// cov is the coefficients' covariance, σ²(XᵀX)⁻¹, over the kept
	// columns (the intercept first, when there is one); idx maps a column
	// to its row in cov, -1 if left out.
	cov *mat.Dense
	idx []int
	// ok is false when nothing could be fitted.
	ok bool
}

// fitOLS fits y on cols, with an intercept when intercept is set, by
// ordinary least squares. absorbed is the number of degrees of freedom
// taken before the fit, as by centring y and the columns within blocks.
// A column that does not vary (when there is an intercept) or is a
// combination of those before it is left out.
func fitOLS(cols [][]float64, y []float64, intercept bool, absorbed int) olsFit {
	n := len(y)
	f := olsFit{Beta: make([]float64, len(cols)), idx: make([]int, len(cols))}
	for j := range f.Beta {
		f.Beta[j], f.idx[j] = math.NaN(), -1
	}
	var active []int
	for j, c := range cols {
		if intercept && !varies(c) || !intercept && !slices.ContainsFunc(c, func(x float64) bool { return x != 0 }) {
			f.Dropped = append(f.Dropped, j)
			continue
		}
		active = append(active, j)
	}
	lead := 0
	if intercept {
		lead = 1
	}
	for {
		p := lead + len(active)
		if n-p-absorbed < 1 {
			return f
		}
		if p == 0 {
			f.RSS, f.DF, f.ok = sumSquares(y), n-absorbed, true
			return f
		}
		x := mat.NewDense(n, p, nil)
		for i := range n {
			if intercept {
				x.Set(i, 0, 1)
			}
			for k, j := range active {
				x.Set(i, lead+k, cols[j][i])
			}
		}
		var qr mat.QR
		qr.Factorize(x)
		var r mat.Dense
		qr.RTo(&r)
		scale := 0.0
		for k := range p {
			scale = max(scale, math.Abs(r.At(k, k)))
		}
		drop := -1
		for k := lead; k < p; k++ {
			if math.Abs(r.At(k, k)) <= 1e-9*scale {
				drop = k - lead
				break
			}
		}
		if drop < 0 {
			var beta mat.VecDense
			if err := qr.SolveVecTo(&beta, false, mat.NewVecDense(n, y)); err == nil {
				var fitted mat.VecDense
				fitted.MulVec(x, &beta)
				for i := range n {
					d := y[i] - fitted.AtVec(i)
					f.RSS += d * d
				}
				f.DF = n - p - absorbed
				if intercept {
					f.Intercept = beta.AtVec(0)
				}
				for k, j := range active {
					f.Beta[j] = beta.AtVec(lead + k)
					f.idx[j] = lead + k
				}
				// (XᵀX)⁻¹ = R⁻¹R⁻ᵀ, from the square part of R.
				var rInv mat.Dense
				if err := rInv.Inverse(r.Slice(0, p, 0, p)); err == nil {
					f.cov = mat.NewDense(p, p, nil)
					f.cov.Mul(&rInv, rInv.T())
					f.cov.Scale(f.RSS/float64(f.DF), f.cov)
				}
				f.ok = true
				return f
			}
			drop = len(active) - 1 // ill-conditioned: leave out the last and retry
		}
		f.Dropped = append(f.Dropped, active[drop])
		active = slices.Delete(active, drop, drop+1)
	}
}

// variance is the variance of Σ c[j]·β[j] over the columns j of c (a
// map from column to weight; -1 stands for the intercept); NaN when a
// column was left out or there is no covariance.
func (f olsFit) variance(c map[int]float64) float64 {
	if f.cov == nil {
		return math.NaN()
	}
	row := func(j int) int {
		if j < 0 {
			return 0
		}
		return f.idx[j]
	}
	v := 0.0
	for j, wj := range c {
		if wj == 0 {
			continue
		}
		rj := row(j)
		if rj < 0 {
			return math.NaN()
		}
		for k, wk := range c {
			if wk == 0 {
				continue
			}
			rk := row(k)
			if rk < 0 {
				return math.NaN()
			}
			v += wj * wk * f.cov.At(rj, rk)
		}
	}
	return v
}

// tCritical is the two-sided 95% critical value of Student's t with df
// degrees of freedom.
func tCritical(df int) float64 {
	if df < 1 {
		return math.NaN()
	}
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
}

// fPValue is the p-value of an F statistic with d1 and d2 degrees of
// freedom.
func fPValue(f float64, d1, d2 int) float64 {
	if d1 < 1 || d2 < 1 || math.IsNaN(f) {
		return math.NaN()
	}
	if f <= 0 {
		return 1
	}
	return 1 - distuv.F{D1: float64(d1), D2: float64(d2)}.CDF(f)
}
