package sweep

import (
	"math"
	"slices"

	"github.com/journeysim/journeysim/sim/text"
)

// term is a column of the effects model: the linear or quadratic term of
// a numeric parameter, or the indicator of one level of a text parameter.
type term struct {
	param int
	kind  termKind
	level string
}

type termKind int

const (
	linear termKind = iota
	quadratic
	indicator
)

// model lays out the effects model of a sweep: its terms, and how a point
// scores on each. A numeric parameter's value is taken as u, its z-score
// over the design points, and u² centred over them, so that the linear
// term is the slope at the middle of the design and the two are
// uncorrelated on a symmetric design.
type model struct {
	terms []term
	// cols[t][p] is point p's value of term t.
	cols [][]float64
	// mean and sd standardise each numeric parameter; q0 centres its
	// square.
	mean, sd, q0 []float64
}

// effectsModel builds the model over the varied parameters.
func (a *Analysis) effectsModel() *model {
	m := a.Manifest
	ns := len(m.Strategies)
	md := &model{mean: make([]float64, len(m.Params)), sd: make([]float64, len(m.Params)), q0: make([]float64, len(m.Params))}
	for k, par := range m.Params {
		if !a.varied[k] {
			continue
		}
		if par.Numeric {
			xs := a.paramValues(k)
			md.mean[k], md.sd[k] = meanSD(xs)
			u := make([]float64, len(xs))
			q := make([]float64, len(xs))
			for p, x := range xs {
				u[p] = (x - md.mean[k]) / md.sd[k]
				q[p] = u[p] * u[p]
			}
			md.q0[k] = nanMean(q)
			for p := range q {
				q[p] -= md.q0[k]
			}
			md.terms = append(md.terms, term{param: k, kind: linear}, term{param: k, kind: quadratic})
			md.cols = append(md.cols, u, q)
			continue
		}
		var levels []string
		for p := range m.Points {
			if v := a.Points[p*ns].Params[k]; !slices.Contains(levels, v) {
				levels = append(levels, v)
			}
		}
		for _, l := range levels[1:] {
			col := make([]float64, m.Points)
			for p := range col {
				if a.Points[p*ns].Params[k] == l {
					col[p] = 1
				}
			}
			md.terms = append(md.terms, term{param: k, kind: indicator, level: l})
			md.cols = append(md.cols, col)
		}
	}
	return md
}

// u and q are parameter k's terms at the value x.
func (md *model) u(k int, x float64) float64 { return (x - md.mean[k]) / md.sd[k] }
func (md *model) q(k int, x float64) float64 { u := md.u(k, x); return u*u - md.q0[k] }

// column returns the index of parameter k's term of kind, or -1.
func (md *model) column(k int, kind termKind) int {
	return slices.IndexFunc(md.terms, func(t term) bool { return t.param == k && t.kind == kind })
}

// without returns the indices of the terms that are not parameter k's.
func (md *model) without(k int) []int {
	var out []int
	for t, tm := range md.terms {
		if tm.param != k {
			out = append(out, t)
		}
	}
	return out
}

// meanSD is the mean and the standard deviation of xs; an sd of 0 is
// taken as 1, so that a constant standardises to 0.
func meanSD(xs []float64) (mean, sd float64) {
	mean = nanMean(xs)
	ss, n := 0.0, 0
	for _, x := range xs {
		if !math.IsNaN(x) {
			ss += (x - mean) * (x - mean)
			n++
		}
	}
	sd = 1
	if n > 1 && ss > 0 {
		sd = math.Sqrt(ss / float64(n-1))
	}
	return mean, sd
}

// pointMeans returns, for each design point, the mean of y over its
// replications, and the points where it is defined.
func pointMeans(y [][]float64) (z []float64, points []int) {
	for p, row := range y {
		if mu := nanMean(row); !math.IsNaN(mu) {
			z = append(z, mu)
			points = append(points, p)
		}
	}
	return z, points
}

// fitMeans fits md, every term in, to the design points' means of y
// (those defined): the fit, its columns and the means with their points.
// ok is false when there are too few points to fit every term, or when
// parameter k varies only together with others (k < 0 checks none).
func (md *model) fitMeans(y [][]float64, k int) (fit olsFit, cols [][]float64, z []float64, zp []int, ok bool) {
	z, zp = pointMeans(y)
	all := make([]int, len(md.terms))
	for t := range all {
		all[t] = t
	}
	cols = md.pick(all, zp)
	fit = fitOLS(cols, z, true, 0)
	ok = fit.ok && fit.DF >= 1 && (k < 0 || !math.IsNaN(fit.Beta[md.column(k, linear)]))
	return fit, cols, z, zp, ok
}

// pick returns the terms ts of md at the rows of points.
func (md *model) pick(ts []int, points []int) [][]float64 {
	out := make([][]float64, len(ts))
	for i, t := range ts {
		out[i] = make([]float64, len(points))
		for r, p := range points {
			out[i][r] = md.cols[t][p]
		}
	}
	return out
}

// sensitivity estimates, for each outcome and strategy, each parameter's
// share of the outcome's within-seed variance (see Sensitivity).
func (a *Analysis) sensitivity() {
	m := a.Manifest
	md := a.effectsModel()
	blocked := a.blocked()
	all := make([]int, len(md.terms))
	for t := range all {
		all[t] = t
	}
	for o, out := range m.Outcomes {
		for s, name := range m.Strategies {
			y := a.outcomeMatrix(o, s)
			sens := Sensitivity{Outcome: out.Key, Strategy: name, Blocked: blocked, SeedShare: math.NaN(), R2: math.NaN()}
			// The runs, and the block of each: its replication when
			// blocked, one block otherwise.
			var ys []float64
			var pts, blocks []int
			for p, row := range y {
				for r, v := range row {
					if !math.IsNaN(v) {
						ys, pts = append(ys, v), append(pts, p)
						blocks = append(blocks, r*boolInt(blocked))
					}
				}
			}
			sens.Runs = len(ys)
			nBlocks := len(slices.Compact(slices.Sorted(slices.Values(blocks))))
			yw := withinBlocks(ys, blocks)
			tssAll, tssWithin := sumSquares(withinBlocks(ys, make([]int, len(ys)))), sumSquares(yw)
			if tssWithin <= 1e-20*tssAll {
				tssWithin = 0 // rounding: the same at every point within a seed
			}
			if blocked && tssAll > 0 {
				sens.SeedShare = 1 - tssWithin/tssAll
			}
			for k, par := range m.Params {
				if a.varied[k] && !slices.ContainsFunc(sens.Predictors, func(p Predictor) bool { return p.Param == k }) {
					sens.Predictors = append(sens.Predictors, Predictor{Name: par.Path, Param: k, Share: math.NaN(), P: math.NaN(), SRC: math.NaN()})
				}
			}
			switch {
			case len(ys) == 0:
				sens.Note = "no run has this outcome defined"
			case len(md.terms) == 0:
				sens.Note = "no parameter varies"
			case tssWithin == 0 && !varies(ys):
				sens.Note = "the outcome is the same in every run"
			case tssWithin == 0:
				sens.Note = "the outcome differs only from seed to seed: no parameter moves it"
			}
			if sens.Note != "" {
				a.Sensitivity = append(a.Sensitivity, sens)
				continue
			}
			cols := withinCols(md.pick(all, pts), blocks)
			full := fitOLS(cols, yw, false, nBlocks)
			if !full.ok {
				sens.Note = tooFew(len(ys), len(sens.Predictors))
				a.Sensitivity = append(a.Sensitivity, sens)
				continue
			}
			sens.R2 = 1 - full.RSS/tssWithin
			// The same model on the points' means, whose errors are
			// independent, tests each parameter.
			z, zp := pointMeans(y)
			pointFull := fitOLS(md.pick(all, zp), z, true, 0)
			var notes []string
			for i := range sens.Predictors {
				pr := &sens.Predictors[i]
				rest := md.without(pr.Param)
				if keptTerms(full, md, pr.Param, true) == 0 {
					notes = append(notes, a.label(pr.Param)+" varies only together with other parameters: no share")
					continue
				}
				reduced := fitOLS(withinCols(md.pick(rest, pts), blocks), yw, false, nBlocks)
				if reduced.ok {
					pr.Share = max(0, (reduced.RSS-full.RSS)/tssWithin)
				}
				if pointFull.ok && pointFull.DF > 0 {
					if pr2 := fitOLS(md.pick(rest, zp), z, true, 0); pr2.ok {
						d1 := keptTerms(pointFull, md, pr.Param, false)
						if d1 > 0 && pointFull.RSS > 0 {
							f := ((pr2.RSS - pointFull.RSS) / float64(d1)) / (pointFull.RSS / float64(pointFull.DF))
							pr.P = fPValue(f, d1, pointFull.DF)
						} else if d1 > 0 && pr2.RSS > 0 {
							pr.P = 0 // an exact fit on the points
						}
					}
				}
			}
			// Standardised coefficients of the linear model, within seeds.
			var lin []int
			var names []string
			for t, tm := range md.terms {
				if tm.kind == linear {
					lin = append(lin, t)
					names = append(names, m.Params[tm.param].Path)
				}
			}
			if len(lin) > 0 {
				src, _, _ := regress(withinCols(md.pick(lin, pts), blocks), yw, names)
				for i, t := range lin {
					for j := range sens.Predictors {
						if sens.Predictors[j].Param == md.terms[t].param {
							sens.Predictors[j].SRC = src[i]
						}
					}
				}
			}
			if len(notes) > 0 {
				sens.Note = text.List(notes, "and")
			}
			rankBySize(sens.Predictors)
			a.Sensitivity = append(a.Sensitivity, sens)
		}
	}
}

// keptTerms counts parameter k's terms that the fit kept: all its terms,
// or its linear and indicator terms only when primary is set.
func keptTerms(f olsFit, md *model, k int, primary bool) int {
	n := 0
	for t, tm := range md.terms {
		if tm.param == k && (!primary || tm.kind != quadratic) && !math.IsNaN(f.Beta[t]) {
			n++
		}
	}
	return n
}

func tooFew(runs, params int) string {
	return "too few runs (" + whole(runs) + ") to fit " + text.Count(params, "parameter")
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// withinBlocks returns v less the mean of its block.
func withinBlocks(v []float64, blocks []int) []float64 {
	sum, n := map[int]float64{}, map[int]int{}
	for i, x := range v {
		sum[blocks[i]] += x
		n[blocks[i]]++
	}
	out := make([]float64, len(v))
	for i, x := range v {
		out[i] = x - sum[blocks[i]]/float64(n[blocks[i]])
	}
	return out
}

// withinCols applies withinBlocks to each column.
func withinCols(cols [][]float64, blocks []int) [][]float64 {
	out := make([][]float64, len(cols))
	for i, c := range cols {
		out[i] = withinBlocks(c, blocks)
	}
	return out
}

// sumSquares is Σ v².
func sumSquares(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x * x
	}
	return s
}
