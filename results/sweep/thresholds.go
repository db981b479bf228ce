package sweep

import (
	"fmt"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/sim/text"
)

// The thresholds of a sweep: along each numeric parameter it varies, where
// each strategy's outcome is best (its peak, or its trough for an outcome
// where lower is better), and the break-even points where one strategy's
// outcome crosses another's. They are read off the means at each value of
// the parameter, averaged over the other parameters when several vary (the
// parameter's main effect, as the sweep's charts draw it).

// curve is one strategy's outcome along one parameter: at each of the
// parameter's values, ascending, the mean and the half-width of its 95%
// interval (NaN when unknown). A mean is NaN where the outcome is undefined.
type curve struct {
	X, Mean, CI []float64
	// Reps holds, at each value, each replication's outcome: replication
	// r's, averaged over the design points with that value (NaN where it
	// is undefined at every one). Replication r of two strategies at a
	// point is one run, so the two pair replication by replication; nil
	// when the replications are not known.
	Reps [][]float64
}

// peakKind says where a curve is best.
type peakKind int

const (
	// noPeak: fewer than two values with a mean, or an outcome that is
	// neither better higher nor lower.
	noPeak peakKind = iota
	// flat: the same mean at every value.
	flat
	// inside: best at one value between the smallest and the largest.
	inside
	// atLow, atHigh: best at the smallest, or the largest value tried.
	atLow
	atHigh
	// tied: best at several values with the same mean.
	tied
)

// peak is where a curve is best.
type peak struct {
	Kind peakKind
	// At are the indices of the best values, ascending.
	At []int
	// Close is the index of the runner-up when its 95% interval overlaps
	// the best one's, so that the peak may be noise; -1 otherwise.
	Close int
}

// same reports whether two means are equal but for rounding.
func same(a, b float64) bool {
	return a == b || math.Abs(a-b) <= 1e-9*max(math.Abs(a), math.Abs(b))
}

// findPeak finds where c is best: its largest mean with better = 1, its
// smallest with better = -1. Values without a mean are skipped.
func findPeak(c curve, better int) peak {
	p := peak{Close: -1}
	var def []int
	for i, y := range c.Mean {
		if !math.IsNaN(y) {
			def = append(def, i)
		}
	}
	if len(def) < 2 || (better != 1 && better != -1) {
		return p
	}
	b := float64(better)
	best := def[0]
	for _, i := range def[1:] {
		if b*c.Mean[i] > b*c.Mean[best] {
			best = i
		}
	}
	runnerUp := -1
	for _, i := range def {
		switch {
		case same(c.Mean[i], c.Mean[best]):
			p.At = append(p.At, i)
		case runnerUp < 0 || b*c.Mean[i] > b*c.Mean[runnerUp]:
			runnerUp = i
		}
	}
	switch {
	case len(p.At) == len(def):
		p.Kind, p.At = flat, nil
		return p
	case len(p.At) > 1:
		p.Kind = tied
	case best == def[0]:
		p.Kind = atLow
	case best == def[len(def)-1]:
		p.Kind = atHigh
	default:
		p.Kind = inside
	}
	if ci, cr := c.CI[best], c.CI[runnerUp]; !math.IsNaN(ci) && !math.IsNaN(cr) && math.Abs(c.Mean[best]-c.Mean[runnerUp]) <= ci+cr {
		p.Close = runnerUp
	}
	return p
}

// isFlat reports whether c has the same mean at every value that has one.
func isFlat(c curve) bool {
	first := math.NaN()
	for _, y := range c.Mean {
		switch {
		case math.IsNaN(y):
		case math.IsNaN(first):
			first = y
		case !same(y, first):
			return false
		}
	}
	return true
}

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
	Param string `json:"param"`
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

// sweepCurves returns, for parameter k of the sweep and outcome o, each
// strategy's curve along the parameter, in Manifest.Strategies order. The
// mean at a value is the mean of the means of the design points with that
// value; its interval's half-width is the root of the sum of the points'
// squared half-widths, over their number; each replication's value is the
// mean of that replication's values at those points. shared reports
// whether some value is shared by several points.
func sweepCurves(a *Analysis, k, o int) (curves []curve, shared bool) {
	m := a.Manifest
	var xs []float64
	count := map[float64]int{}
	for _, ps := range a.Points {
		if ps.Strategy != m.Strategies[0] {
			continue
		}
		x, _ := strconv.ParseFloat(ps.Params[k], 64) // numbers: checked by Analyze
		if count[x] == 0 {
			xs = append(xs, x)
		}
		count[x]++
		shared = shared || count[x] > 1
	}
	slices.Sort(xs)
	for _, name := range m.Strategies {
		c := curve{X: xs, Mean: make([]float64, len(xs)), CI: make([]float64, len(xs)), Reps: make([][]float64, len(xs))}
		for i, x := range xs {
			var sum, sq float64
			n, nci := 0, 0
			repSum, repN := make([]float64, m.Replications), make([]int, m.Replications)
			for _, ps := range a.Points {
				if ps.Strategy != name {
					continue
				}
				if v, _ := strconv.ParseFloat(ps.Params[k], 64); v != x {
					continue
				}
				e := ps.Outcomes[o]
				if math.IsNaN(e.Mean) {
					continue
				}
				for r, v := range e.Values[:min(len(e.Values), m.Replications)] {
					if !math.IsNaN(v) {
						repSum[r] += v
						repN[r]++
					}
				}
				sum += e.Mean
				n++
				if !math.IsNaN(e.CI95) {
					sq += e.CI95 * e.CI95
					nci++
				}
			}
			c.Mean[i], c.CI[i] = math.NaN(), math.NaN()
			if n > 0 {
				c.Mean[i] = sum / float64(n)
			}
			if n > 0 && nci == n {
				c.CI[i] = math.Sqrt(sq) / float64(n)
			}
			c.Reps[i] = make([]float64, m.Replications)
			for r := range repSum {
				c.Reps[i][r] = math.NaN()
				if repN[r] > 0 {
					c.Reps[i][r] = repSum[r] / float64(repN[r])
				}
			}
		}
		curves = append(curves, c)
	}
	return curves, shared
}

// Thresholds says the thresholds of the sweep along each numeric parameter
// it varies, for each of its outcomes, with amounts of money in currency
// ("" leaves them bare); skipped names the varied parameters that are not
// numbers, which have none.
func (a *Analysis) Thresholds(currency string) (out []ParamThresholds, skipped []string) {
	m := a.Manifest
	varied := make([]bool, len(m.Params))
	for k := range m.Params {
		for _, ps := range a.Points {
			if ps.Params[k] != a.Points[0].Params[k] {
				varied[k] = true
				break
			}
		}
	}
	for k, par := range m.Params {
		if !varied[k] {
			continue
		}
		if !par.Numeric {
			skipped = append(skipped, par.Path)
			continue
		}
		var others []string
		for j, p := range m.Params {
			if j != k && varied[j] {
				others = append(others, p.Path)
			}
		}
		pt := ParamThresholds{Param: par.Path}
		curves := make([][]curve, len(m.Outcomes))
		shared := false
		for o := range m.Outcomes {
			curves[o], shared = sweepCurves(a, k, o)
		}
		xs := curves[0][0].X
		pt.Values = fmt.Sprintf("%d values from %s to %s", len(xs), ParamText(xs[0]), ParamText(xs[len(xs)-1]))
		if len(xs) == 2 {
			pt.Values = ParamText(xs[0]) + " and " + ParamText(xs[1])
		}
		switch {
		case len(others) > 0 && shared:
			pt.Note = "Each value's mean is averaged over the design points with that value, across the other parameters (" + strings.Join(others, ", ") + ")."
		case len(others) > 0:
			pt.Note = "Every design point has its own value, and the other parameters (" + strings.Join(others, ", ") + ") vary from point to point too: read these thresholds as rough."
		}
		unmoved := make([]bool, len(m.Strategies))
		var names []string
		for s := range m.Strategies {
			unmoved[s] = true
			for o := range m.Outcomes {
				unmoved[s] = unmoved[s] && isFlat(curves[o][s])
			}
			if unmoved[s] {
				names = append(names, m.Strategies[s])
			}
		}
		switch {
		case len(names) == 1:
			pt.Unmoved = fmt.Sprintf("Every outcome of %s is the same at every value of %s.", names[0], par.Path)
		case len(names) > 1:
			pt.Unmoved = fmt.Sprintf("Every outcome of %s is the same at every value of %s.", text.List(names, "and"), par.Path)
		}
		for o, out := range m.Outcomes {
			var all []float64
			for _, c := range curves[o] {
				all = append(all, c.Mean...)
			}
			f := FormatOutcome(out.Key, currency, all...)
			ot := OutcomeThresholds{Label: text.Capitalize(f.label)}
			for s, c := range curves[o] {
				if unmoved[s] {
					continue
				}
				if sen := peakSentence(m.Strategies[s], par.Path, f, c, out.Better); sen != "" {
					ot.Sentences = append(ot.Sentences, sen)
				}
			}
			ot.Sentences = append(ot.Sentences, crossingSentences(m.Strategies, par.Path, f, out.Better, curves[o])...)
			if len(ot.Sentences) > 0 {
				pt.Outcomes = append(pt.Outcomes, ot)
			}
		}
		out = append(out, pt)
	}
	return out, skipped
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
