package sweep

import (
	"fmt"
	"math"
	"slices"

	"github.com/journeysim/journeysim/sim/text"
)

// The thresholds of a sweep: along each numeric parameter it varies, where
// each strategy's outcome is best (its peak, or its trough for an outcome
// where lower is better), and the break-even points where one strategy's
// outcome crosses another's. Each is said only as far as the design
// supports it: on a grid, from paired differences between the
// parameter's values, setting by setting of the other parameters and
// replication by replication; on any other design, from the fitted main
// effect and its covariance. Where neither can tell, the sentence says so.

// crossing is a point where the difference between two strategies'
// outcomes changes sign along a parameter.
type crossing struct {
	// X is where the two are level: interpolated linearly between the
	// neighbouring values, or, when they are level at some values, the
	// largest of those.
	X float64
	// Y is the first strategy's outcome there (the second's is the same).
	Y float64
	// LevelFrom and LevelTo are the values at which the two are exactly
	// level, when they are (LevelFrom == LevelTo for one value); NaN
	// when the crossing falls between two values.
	LevelFrom, LevelTo float64
	// Up is true where the difference goes from negative to positive as
	// the parameter grows: the first strategy rises above the second.
	Up bool
	// Before and After index the values on either side of the crossing
	// (in the xs given to findCrossings): the last value before it and
	// the first after it where the two are not level.
	Before, After int
}

// findCrossings returns where a − b changes sign along xs, ascending. a and
// b are the two strategies' means at xs; values where either is undefined
// are skipped. Where the two are level at a value, the sign is taken from
// the values around it: level at a value between a positive and a negative
// difference is a crossing there; touching without changing sides is not.
func findCrossings(xs, a, b []float64) []crossing {
	var x, d, ya []float64
	var at []int // the index in xs of each value kept
	for i := range xs {
		if math.IsNaN(a[i]) || math.IsNaN(b[i]) {
			continue
		}
		diff := a[i] - b[i]
		if same(a[i], b[i]) {
			diff = 0
		}
		x, d, ya, at = append(x, xs[i]), append(d, diff), append(ya, a[i]), append(at, i)
	}
	var out []crossing
	last := -1 // the last value with a non-zero difference
	for i := range d {
		if d[i] == 0 {
			continue
		}
		if last >= 0 && (d[last] < 0) != (d[i] < 0) {
			c := crossing{Up: d[i] > 0, LevelFrom: math.NaN(), LevelTo: math.NaN(), Before: at[last], After: at[i]}
			if last == i-1 {
				t := d[last] / (d[last] - d[i])
				c.X = x[last] + t*(x[i]-x[last])
				c.Y = ya[last] + t*(ya[i]-ya[last])
			} else {
				c.X, c.Y = x[i-1], ya[i-1]
				c.LevelFrom, c.LevelTo = x[last+1], x[i-1]
			}
			out = append(out, c)
		}
		last = i
	}
	return out
}

// standing says how two strategies compare along a whole parameter when
// their outcomes do not cross: how many values have a above b, below b,
// and the values where the two are level.
func standing(xs, a, b []float64) (above, below int, level []float64) {
	for i := range xs {
		switch {
		case math.IsNaN(a[i]) || math.IsNaN(b[i]):
		case same(a[i], b[i]):
			level = append(level, xs[i])
		case a[i] > b[i]:
			above++
		default:
			below++
		}
	}
	return above, below, level
}

// ParamThresholds are the thresholds along one parameter.
type ParamThresholds struct {
	// Param is the parameter's path; Label names it in words
	// (ParamWords.Short), as the values, note and sentences do.
	Param string `json:"param"`
	Label string `json:"label"`
	// Values says the values tried: "4 values from 1 to 7".
	Values string `json:"values"`
	// Note says how the means were taken, when other parameters vary.
	Note string `json:"note,omitempty"`
	// Unmoved says which strategies have every outcome the same at every
	// value, as those the parameter does not touch have under common
	// random numbers; their peaks are not listed.
	Unmoved  string              `json:"unmoved,omitempty"`
	Outcomes []OutcomeThresholds `json:"outcomes"`
}

// OutcomeThresholds are the sentences about one outcome along a parameter.
type OutcomeThresholds struct {
	Label     string   `json:"label"`
	Sentences []string `json:"sentences"`
}

// same reports whether two means are equal but for rounding.
func same(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-9*max(math.Abs(a), math.Abs(b))
}

// gap is the difference between two strategies' outcomes along a
// parameter: at each X, the mean difference, the first strategy's
// outcome, and whether the difference is told apart from zero.
type gap struct {
	X, Diff, A []float64
	Apart      []bool
	// Tested reports whether any difference had an interval; Fitted
	// that X is a fine grid over the range, read off the fitted model.
	Tested, Fitted bool
}

// strategyGap is the gap between strategies s and t along parameter k for
// outcome o: on a grid, at each value, paired setting by setting and
// replication by replication; otherwise from the effects model fitted to
// the points' mean differences.
func (a *Analysis) strategyGap(k, o, s, t int, lay layout, md *model) gap {
	ys, yt := a.outcomeMatrix(o, s), a.outcomeMatrix(o, t)
	d := make([][]float64, len(ys))
	for p := range d {
		d[p] = make([]float64, len(ys[p]))
		for r := range d[p] {
			d[p][r] = ys[p][r] - yt[p][r]
		}
	}
	var g gap
	if lay.crossed {
		crn := a.blocked()
		g.X = lay.levels
		for i := range lay.levels {
			rows, arows := make([][]float64, len(lay.settings)), make([][]float64, len(lay.settings))
			for st := range lay.settings {
				rows[st], arows[st] = d[lay.at[i][st]], ys[lay.at[i][st]]
			}
			e := cellEstimate(rows, crn)
			g.Diff = append(g.Diff, e.Mean)
			g.A = append(g.A, cellEstimate(arows, crn).Mean)
			g.Apart = append(g.Apart, significant(e))
			g.Tested = g.Tested || !math.IsNaN(e.CI95)
		}
		return g
	}
	xs := a.paramValues(k)
	g.Fitted = true
	g.X = rangeGrid(slices.Min(xs), slices.Max(xs), a.Manifest.Params[k].Integer)
	diff, se, df := fittedLevel(md, k, d, g.X)
	lvl, _, _ := fittedLevel(md, k, ys, g.X)
	if diff == nil || lvl == nil {
		return gap{}
	}
	tc := tCritical(df)
	g.Diff, g.A = diff, lvl
	for i := range g.X {
		ok := !math.IsNaN(se[i])
		g.Tested = g.Tested || ok
		g.Apart = append(g.Apart, ok && math.Abs(diff[i]) > tc*se[i])
	}
	return g
}

// rangeGrid is the values a fitted curve is read at: the whole numbers
// from lo to hi for an integer parameter with at most 201 of them, else
// 201 evenly spaced values.
func rangeGrid(lo, hi float64, integer bool) []float64 {
	var out []float64
	if integer && hi-lo <= 200 {
		for x := lo; x <= hi; x++ {
			out = append(out, x)
		}
		return out
	}
	for i := range 201 {
		out = append(out, lo+(hi-lo)*float64(i)/200)
	}
	return out
}

// fittedLevel fits the effects model to the points' means of y and returns
// the fitted outcome at each of grid's values of parameter k, the other
// parameters at their average over the points, with its standard error
// and degrees of freedom; nil without a fit.
func fittedLevel(md *model, k int, y [][]float64, grid []float64) (level, se []float64, df int) {
	fit, cols, _, _, ok := md.fitMeans(y, k)
	if !ok {
		return nil, nil, 0
	}
	for _, x := range grid {
		c := map[int]float64{-1: 1}
		v := fit.Intercept
		for t, tm := range md.terms {
			if math.IsNaN(fit.Beta[t]) {
				continue
			}
			w := nanMean(cols[t]) // the others at their average
			switch {
			case tm.param == k && tm.kind == linear:
				w = md.u(k, x)
			case tm.param == k && tm.kind == quadratic:
				w = md.q(k, x)
			}
			c[t] = w
			v += w * fit.Beta[t]
		}
		level = append(level, v)
		se = append(se, math.Sqrt(fit.variance(c)))
	}
	return level, se, fit.DF
}

// Thresholds says the thresholds of the sweep along each numeric parameter
// it varies, for each of its outcomes, with amounts of money in currency
// ("" leaves them bare); skipped names, in words (ParamWords.Short), the
// varied parameters that are not numbers, which have none.
func (a *Analysis) Thresholds(currency string) (out []ParamThresholds, skipped []string) {
	m := a.Manifest
	a.prepare()
	md := a.effectsModel()
	for k, par := range m.Params {
		if !a.varied[k] {
			continue
		}
		if !par.Numeric {
			skipped = append(skipped, a.label(k))
			continue
		}
		var others []string
		for j := range m.Params {
			if j != k && a.varied[j] {
				others = append(others, a.label(j))
			}
		}
		lay := a.layoutOf(k)
		label := a.label(k)
		pt := ParamThresholds{Param: par.Path, Label: label}
		xs := lay.levels
		pt.Values = fmt.Sprintf("%s from %s to %s", text.Count(len(xs), "value"), ParamText(xs[0]), ParamText(xs[len(xs)-1]))
		if len(xs) == 2 {
			pt.Values = ParamText(xs[0]) + " and " + ParamText(xs[1])
		}
		switch {
		case len(others) > 0 && lay.crossed:
			pt.Note = "Each value's mean is averaged over the settings of the other " + text.Agree(len(others), "parameter", "parameters") + ", " +
				text.List(others, "and") + "; values and strategies are compared setting by setting."
		case !lay.crossed:
			who := "the other parameters vary"
			if len(others) > 0 {
				who = "the other " + text.Agree(len(others), "parameter, ", "parameters, ") + text.List(others, "and") + ", " + text.Agree(len(others), "varies", "vary")
			}
			pt.Note = "The design is not a grid, so " + who + " with this one: what is said here comes from the fitted main effect (linear and quadratic in each parameter), the others at their average."
		}
		unmoved := make([]bool, len(m.Strategies))
		var names []string
		for s := range m.Strategies {
			unmoved[s] = true
			for o := range m.Outcomes {
				unmoved[s] = unmoved[s] && a.flatAlong(k, o, s)
			}
			if unmoved[s] {
				names = append(names, m.Strategies[s])
			}
		}
		if len(names) > 0 {
			pt.Unmoved = fmt.Sprintf("Every outcome of %s is the same at every value of %s.", text.List(names, "and"), label)
		}
		for o, out := range m.Outcomes {
			var all []float64
			for _, me := range a.MainEffects {
				if me.Param == k && me.Outcome == out.Key {
					for _, e := range me.Level {
						all = append(all, e.Mean)
					}
				}
			}
			f := FormatOutcome(out.Key, currency, all...)
			ot := OutcomeThresholds{Label: text.Capitalize(f.label)}
			for s := range m.Strategies {
				if unmoved[s] {
					continue
				}
				if me := a.mainEffect(o, s, k); me != nil {
					if sen := peakSentence(m.Strategies[s], label, f, me.Finding, out.Better); sen != "" {
						ot.Sentences = append(ot.Sentences, sen)
					}
				}
			}
			var pairs []pairGap
			for s := range m.Strategies {
				for t := s + 1; t < len(m.Strategies); t++ {
					pairs = append(pairs, pairGap{s: s, t: t, gap: a.strategyGap(k, o, s, t, lay, md)})
				}
			}
			ot.Sentences = append(ot.Sentences, crossingSentences(m.Strategies, label, f, out.Better, pairs)...)
			if len(ot.Sentences) > 0 {
				pt.Outcomes = append(pt.Outcomes, ot)
			}
		}
		out = append(out, pt)
	}
	return out, skipped
}

// pairGap is the gap between strategies s and t.
type pairGap struct {
	s, t int
	gap  gap
}

// mainEffect returns the main effect of outcome o, strategy s, along
// parameter k; nil if there is none.
func (a *Analysis) mainEffect(o, s, k int) *MainEffect {
	out, name := a.Manifest.Outcomes[o].Key, a.Manifest.Strategies[s]
	for i := range a.MainEffects {
		if me := &a.MainEffects[i]; me.Param == k && me.Outcome == out && me.Strategy == name {
			return me
		}
	}
	return nil
}

// flatAlong reports whether strategy s has outcome o the same at every
// point that has it, as a strategy the parameters do not touch has under
// common random numbers.
func (a *Analysis) flatAlong(k, o, s int) bool {
	me := a.mainEffect(o, s, k)
	if me == nil {
		return true
	}
	first := math.NaN()
	for _, e := range me.Level {
		switch {
		case math.IsNaN(e.Mean):
		case math.IsNaN(first):
			first = e.Mean
		case !same(e.Mean, first):
			return false
		}
	}
	return true
}

// Effects returns the analysis's main effects (MainEffects), computing
// them first for an analysis built by hand.
func (a *Analysis) Effects() []MainEffect {
	a.prepare()
	return a.MainEffects
}

// prepare computes what an analysis built by hand lacks: which
// parameters vary, and the main effects.
func (a *Analysis) prepare() {
	if a.varied == nil {
		a.findVaried()
	}
	if a.MainEffects == nil {
		a.mainEffects()
	}
}

// SameEverywhere reports whether outcome o of strategy has the same mean
// at every design point, as a strategy the sweep's parameters do not touch
// has under common random numbers.
func (a *Analysis) SameEverywhere(o int, strategy string) bool {
	first := math.NaN()
	for _, ps := range a.Points {
		if ps.Strategy != strategy {
			continue
		}
		v := ps.Outcomes[o].Mean
		switch {
		case math.IsNaN(first):
			first = v
		case !same(v, first):
			return false
		}
	}
	return true
}

// Unmeasured reports whether strategy has no value of outcome o at any
// design point: the experiment's first strategy in a business-case
// outcome, measured against it, or a channel it switches off.
func (a *Analysis) Unmeasured(o int, strategy string) bool {
	for _, ps := range a.Points {
		if ps.Strategy == strategy && !math.IsNaN(ps.Outcomes[o].Mean) {
			return false
		}
	}
	return true
}

// TiedPoints counts the design points where strategy's outcome o has the
// mean best.
func (a *Analysis) TiedPoints(o int, strategy string, best float64) int {
	n := 0
	for _, ps := range a.Points {
		if ps.Strategy == strategy && same(ps.Outcomes[o].Mean, best) {
			n++
		}
	}
	return n
}
