package sweep

import (
	"math"
	"slices"

	"github.com/journeysim/journeysim/results"
)

// MainEffect is one outcome of one strategy along one numeric parameter:
// its mean at each value, averaged over the other parameters, with a 95%
// band that accounts for both the replications and the spread of the
// design (see cellEstimate), and what the design can say of its shape.
type MainEffect struct {
	Outcome, Strategy string
	// Param indexes Manifest.Params.
	Param int
	// X are the values the curve is read at, ascending: the parameter's
	// values, or, when it takes more than MaxLevels of them, the mean
	// value of each of MaxLevels groups of points with nearby values
	// (Binned).
	X      []float64
	Binned bool
	// Level is the outcome's mean at each X, with its band.
	Level []results.Estimate
	// Points is the number of design points behind each X.
	Points []int
	// Steps are the paired differences between neighbouring values
	// (Level[i+1] − Level[i], setting by setting and replication by
	// replication), on a parameter crossed with the others as in a grid;
	// nil otherwise.
	Steps []results.Estimate
	// Fitted is the fitted main effect at each X (the model of
	// Sensitivity on the points' means, the other parameters at their
	// average), on a design that is not a grid; nil on a grid.
	Fitted []float64
	// Finding is what the design supports about where the outcome is best.
	Finding Finding
}

// MaxLevels is the most values a main-effect curve is read at.
const MaxLevels = 10

// Shape is what the design supports about a main-effect curve.
type Shape int

// The shapes.
const (
	// Unknown: the design cannot tell (too few runs or points, no
	// interval).
	Unknown Shape = iota
	// Unclear: no value is told apart from the best one.
	Unclear
	// Flat: the same at every value.
	Flat
	// BestAtLow, BestAtHigh: best at the smallest or largest value tried,
	// with some value told apart from it.
	BestAtLow
	BestAtHigh
	// BestInside: best inside the range, and both ends told apart from
	// the best: the response rises and falls (or the other way round, for
	// an outcome where lower is better).
	BestInside
	// BestBetween: best inside the range, but one end is not told apart
	// from it.
	BestBetween
)

// Finding is what a sweep's design supports about one main-effect curve.
type Finding struct {
	Shape Shape
	// Best is the value where the outcome is best, and Value the
	// outcome's mean (or fitted value) there.
	Best, Value float64
	// NearLow and NearHigh bound the values whose outcome is not told
	// apart from the best's.
	NearLow, NearHigh float64
	// NonMonotone reports that the response clearly turns: some value
	// inside the range is told apart from both ends in the same
	// direction (a peak or a trough).
	NonMonotone bool
	// Method is how the finding was tested: "paired" (differences between
	// the values of a grid, setting by setting and replication by
	// replication) or "fitted" (the fitted main effect and its
	// covariance).
	Method string
	// Reason says why the design cannot tell, for Unknown.
	Reason string
}

// mainEffects computes every main-effect curve of the sweep.
func (a *Analysis) mainEffects() {
	m := a.Manifest
	md := a.effectsModel()
	for k, par := range m.Params {
		if !a.varied[k] || !par.Numeric {
			continue
		}
		lay := a.layoutOf(k)
		for o, out := range m.Outcomes {
			for s, name := range m.Strategies {
				y := a.outcomeMatrix(o, s)
				me := MainEffect{Outcome: out.Key, Strategy: name, Param: k}
				a.levels(&me, lay, y)
				better := out.Better
				if better == 0 {
					better = 1
				}
				if lay.crossed {
					me.Finding = a.pairedFinding(&me, lay, y, better)
				} else {
					me.Finding = fittedFinding(&me, md, k, y, better, a.paramValues(k), par.Integer)
				}
				a.MainEffects = append(a.MainEffects, me)
			}
		}
	}
}

// levels fills the curve's values and bands: one per level of the
// parameter, or per group of points with nearby values.
func (a *Analysis) levels(me *MainEffect, lay layout, y [][]float64) {
	crn := a.blocked()
	xs := a.paramValues(me.Param)
	groups := make([][]int, len(lay.levels))
	for p, x := range xs {
		i, _ := slices.BinarySearch(lay.levels, x)
		groups[i] = append(groups[i], p)
	}
	if len(lay.levels) > MaxLevels && !lay.crossed {
		// Bins of about equal numbers of points, by value.
		order := make([]int, len(xs))
		for p := range order {
			order[p] = p
		}
		slices.SortStableFunc(order, func(i, j int) int { return cmpFloat(xs[i], xs[j]) })
		groups = groups[:0]
		for b := range MaxLevels {
			lo, hi := b*len(order)/MaxLevels, (b+1)*len(order)/MaxLevels
			if hi > lo {
				groups = append(groups, order[lo:hi])
			}
		}
		me.Binned = true
	}
	adjusted := settingsRemoved(lay, y)
	for _, g := range groups {
		rows := make([][]float64, len(g))
		sum := 0.0
		for i, p := range g {
			rows[i] = adjusted[p]
			sum += xs[p]
		}
		me.X = append(me.X, sum/float64(len(g)))
		me.Level = append(me.Level, cellEstimate(rows, crn))
		me.Points = append(me.Points, len(g))
	}
	if lay.crossed {
		for i := 0; i+1 < len(lay.levels); i++ {
			me.Steps = append(me.Steps, pairedLevels(lay, y, i+1, i, crn))
		}
	}
}

// settingsRemoved returns y with, on a crossed parameter, what each
// setting of the other parameters does on average taken out, replication
// by replication: y[p][r] less its setting's mean over the levels, plus
// that replication's mean over all points. A level's mean is unchanged
// (every setting appears at every level), and the spread of its points
// is then how the parameter's effect varies with the others, not how far
// apart the others' settings are. On any other design y is returned as
// it is.
func settingsRemoved(lay layout, y [][]float64) [][]float64 {
	if !lay.crossed || len(lay.settings) < 2 {
		return y
	}
	out := make([][]float64, len(y))
	for st := range lay.settings {
		reps := len(y[lay.at[0][st]])
		for r := range reps {
			var sum float64
			n := 0
			for i := range lay.levels {
				if v := y[lay.at[i][st]][r]; !math.IsNaN(v) {
					sum += v
					n++
				}
			}
			for i := range lay.levels {
				p := lay.at[i][st]
				if out[p] == nil {
					out[p] = make([]float64, reps)
				}
				out[p][r] = y[p][r] - sum/float64(max(n, 1))
			}
		}
	}
	for r := range len(out[0]) {
		col := make([]float64, len(y))
		for p := range y {
			col[p] = y[p][r]
		}
		grand := nanMean(col)
		for p := range out {
			out[p][r] += grand
		}
	}
	return out
}

// pairedLevels estimates the outcome at level i less that at level j of a
// crossed parameter: setting by setting of the other parameters, and
// replication by replication, so that what a seed does cancels.
func pairedLevels(lay layout, y [][]float64, i, j int, crn bool) results.Estimate {
	rows := make([][]float64, len(lay.settings))
	for st := range lay.settings {
		a, b := y[lay.at[i][st]], y[lay.at[j][st]]
		rows[st] = make([]float64, len(a))
		for r := range a {
			rows[st][r] = a[r] - b[r]
		}
	}
	return cellEstimate(rows, crn)
}

// pairedFinding reads a grid's curve: the best level, and which levels are
// told apart from it by their paired differences.
func (a *Analysis) pairedFinding(me *MainEffect, lay layout, y [][]float64, better int) Finding {
	crn := a.blocked()
	f := Finding{Method: "paired"}
	n := len(me.X)
	best, worst := -1, -1
	for i, e := range me.Level {
		if math.IsNaN(e.Mean) {
			return Finding{Method: "paired", Reason: "the outcome is undefined at some value"}
		}
		b := float64(better)
		if best < 0 || b*e.Mean > b*me.Level[best].Mean {
			best = i
		}
		if worst < 0 || b*e.Mean < b*me.Level[worst].Mean {
			worst = i
		}
	}
	f.Best, f.Value = me.X[best], me.Level[best].Mean
	if same(me.Level[best].Mean, me.Level[worst].Mean) {
		f.Shape = Flat
		return f
	}
	// apart[i]: level i is told apart from the best.
	apart := make([]bool, n)
	tested := false
	for i := range n {
		if i == best {
			continue
		}
		d := pairedLevels(lay, y, best, i, crn)
		if !math.IsNaN(d.CI95) {
			tested = true
		}
		apart[i] = significant(d)
	}
	if !tested {
		f.Reason = "one replication and no other parameter varying: there is no interval to test with"
		return f
	}
	lo, hi := best, best
	for lo > 0 && !apart[lo-1] {
		lo--
	}
	for hi < n-1 && !apart[hi+1] {
		hi++
	}
	f.NearLow, f.NearHigh = me.X[lo], me.X[hi]
	f.Shape = shapeOf(best, n, apart[0], apart[n-1], slices.Contains(apart, true))
	// A trough: the worst level, inside, told apart from both ends.
	trough := false
	if worst > 0 && worst < n-1 {
		d0, d1 := pairedLevels(lay, y, 0, worst, crn), pairedLevels(lay, y, n-1, worst, crn)
		trough = significant(d0) && significant(d1) && float64(better)*d0.Mean > 0 && float64(better)*d1.Mean > 0
	}
	f.NonMonotone = f.Shape == BestInside || trough
	return f
}

// shapeOf says the shape of a curve with n values, best at index best,
// given whether its two ends and any value at all are told apart from it.
func shapeOf(best, n int, lowApart, highApart, anyApart bool) Shape {
	switch {
	case !anyApart:
		return Unclear
	case best > 0 && best < n-1 && lowApart && highApart:
		return BestInside
	case best > 0 && best < n-1:
		return BestBetween
	case best == 0:
		return BestAtLow
	}
	return BestAtHigh
}

// fittedFinding reads the main effect of parameter k off the effects
// model fitted to the points' means: the best value over the range, and
// which values are told apart from it, from the fitted differences and
// their covariance. The other parameters sit at their average.
func fittedFinding(me *MainEffect, md *model, k int, y [][]float64, better int, xs []float64, integer bool) Finding {
	f := Finding{Method: "fitted"}
	fit, _, z, zp, ok := md.fitMeans(y, -1)
	if !ok {
		f.Reason = "too few design points to fit the effects of every parameter"
		return f
	}
	lin, quad := md.column(k, linear), md.column(k, quadratic)
	if math.IsNaN(fit.Beta[lin]) {
		f.Reason = "the parameter varies only together with others"
		return f
	}
	b1, b2 := fit.Beta[lin], 0.0
	if quad >= 0 && !math.IsNaN(fit.Beta[quad]) {
		b2 = fit.Beta[quad]
	}
	effect := func(x float64) float64 { return b1*md.u(k, x) + b2*md.q(k, x) }
	// diff is effect(x1) − effect(x2) with its standard error.
	diff := func(x1, x2 float64) (float64, float64) {
		c := map[int]float64{lin: md.u(k, x1) - md.u(k, x2)}
		if quad >= 0 && !math.IsNaN(fit.Beta[quad]) {
			c[quad] = md.q(k, x1) - md.q(k, x2)
		}
		return effect(x1) - effect(x2), math.Sqrt(fit.variance(c))
	}
	grid := rangeGrid(slices.Min(xs), slices.Max(xs), integer)
	b := float64(better)
	best, worst := 0, 0
	for i, x := range grid {
		if b*effect(x) > b*effect(grid[best]) {
			best = i
		}
		if b*effect(x) < b*effect(grid[worst]) {
			worst = i
		}
	}
	mean := nanMean(z)
	avg := 0.0
	for _, p := range zp {
		avg += effect(xs[p])
	}
	avg /= float64(len(zp))
	level := func(x float64) float64 { return mean + effect(x) - avg }
	for _, x := range me.X {
		me.Fitted = append(me.Fitted, level(x))
	}
	f.Best, f.Value = grid[best], level(grid[best])
	t := tCritical(fit.DF)
	apart := func(i, j int) bool {
		d, se := diff(grid[i], grid[j])
		return !math.IsNaN(se) && math.Abs(d) > t*se
	}
	n := len(grid)
	if b1 == 0 && b2 == 0 {
		f.Shape = Flat
		return f
	}
	anyApart := false
	near := make([]bool, n)
	for i := range grid {
		near[i] = i == best || !apart(best, i)
		anyApart = anyApart || !near[i]
	}
	l, h := best, best
	for l > 0 && near[l-1] {
		l--
	}
	for h < n-1 && near[h+1] {
		h++
	}
	f.NearLow, f.NearHigh = grid[l], grid[h]
	f.Shape = shapeOf(best, n, !near[0], !near[n-1], anyApart)
	trough := worst > 0 && worst < n-1 && apart(0, worst) && apart(n-1, worst)
	f.NonMonotone = f.Shape == BestInside || trough
	return f
}

func cmpFloat(x, y float64) int {
	switch {
	case x < y:
		return -1
	case x > y:
		return 1
	}
	return 0
}

// String names the shape as the analysis files do: unknown, unclear,
// flat, best_at_low, best_at_high, best_inside, best_between.
func (s Shape) String() string {
	switch s {
	case Unclear:
		return "unclear"
	case Flat:
		return "flat"
	case BestAtLow:
		return "best_at_low"
	case BestAtHigh:
		return "best_at_high"
	case BestInside:
		return "best_inside"
	case BestBetween:
		return "best_between"
	}
	return "unknown"
}
