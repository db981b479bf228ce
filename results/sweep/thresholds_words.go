package sweep

import (
	"fmt"
	"math"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim/text"
)

// peakSentence says where strategy's outcome is best along param.
func peakSentence(strategy, param string, f OutcomeFormat, c curve, better int) string {
	p := findPeak(c, better)
	at := func(i int) string { return param + " = " + ParamText(c.X[i]) }
	best, extreme := "highest", "peaks"
	if better < 0 {
		best, extreme = "lowest", "bottoms out"
	}
	var s string
	switch p.Kind {
	case noPeak:
		return ""
	case flat:
		for i, y := range c.Mean {
			if !math.IsNaN(y) {
				return fmt.Sprintf("%s: %s does not change with %s (%s at every value).", strategy, f.label, param, f.Value(c.Mean[i]))
			}
		}
		return ""
	case inside:
		s = fmt.Sprintf("%s: %s %s at %s (%s)", strategy, f.label, extreme, at(p.At[0]), f.Value(c.Mean[p.At[0]]))
	case atLow:
		s = fmt.Sprintf("%s: %s is %s at the smallest value tried, %s (%s)", strategy, f.label, best, at(p.At[0]), f.Value(c.Mean[p.At[0]]))
	case atHigh:
		s = fmt.Sprintf("%s: %s is %s at the largest value tried, %s (%s)", strategy, f.label, best, at(p.At[0]), f.Value(c.Mean[p.At[0]]))
	case tied:
		var vals []string
		for _, i := range p.At {
			vals = append(vals, ParamText(c.X[i]))
		}
		s = fmt.Sprintf("%s: %s is %s at %s = %s alike (%s at each)", strategy, f.label, best, param, text.List(vals, "and"), f.Value(c.Mean[p.At[0]]))
	}
	if p.Close >= 0 {
		s += fmt.Sprintf(", though at %s it is %s and the two 95%% intervals overlap", ParamText(c.X[p.Close]), f.Value(c.Mean[p.Close]))
	}
	return s + "."
}

// crossingSentences says, for each pair of strategies, where one's outcome
// overtakes the other's along param. With two strategies, a pair that does
// not cross is said too: which one stays ahead.
func crossingSentences(names []string, param string, f OutcomeFormat, better int, curves []curve) []string {
	var out []string
	for s := range names {
		for t := s + 1; t < len(names); t++ {
			xs, a, b := curves[s].X, curves[s].Mean, curves[t].Mean
			cs := findCrossings(xs, a, b)
			if len(cs) == 0 {
				if len(names) == 2 {
					if sen := standingSentence(names[s], names[t], param, f, better, xs, a, b); sen != "" {
						out = append(out, sen)
					}
				}
				continue
			}
			gap := math.Inf(1)
			for i := 1; i < len(xs); i++ {
				gap = min(gap, xs[i]-xs[i-1])
			}
			var parts []string
			for i, c := range cs {
				// lead is ahead above the crossing: higher, or lower
				// where lower is better.
				lead, behind := names[s], names[t]
				if c.Up != (better >= 0) {
					lead, behind = names[t], names[s]
				}
				verb := "overtakes"
				if better == 0 {
					verb = "rises above"
				}
				x := crossingText(c.X, gap)
				level := "both about " + f.Value(c.Y) + " there"
				switch {
				case math.IsNaN(c.LevelFrom):
				case c.LevelFrom == c.LevelTo:
					x = ParamText(c.X)
					level = "level there at " + f.Value(c.Y)
				default:
					x = ParamText(c.X)
					level = "level from " + ParamText(c.LevelFrom) + " to " + ParamText(c.LevelTo)
				}
				var part string
				if i == 0 {
					on := " on " + f.label
					if better == -1 {
						on += " (lower is better)"
					}
					part = fmt.Sprintf("%s %s %s%s once %s exceeds %s (%s)", lead, verb, behind, on, param, x, level)
				} else {
					part = fmt.Sprintf("%s %s %s again once %s exceeds %s (%s)", lead, verb, behind, param, x, level)
				}
				if noisy := noisySides(curves[s], curves[t], c); len(noisy) > 0 {
					part += ", within the noise: the difference is not significant at " + text.List(noisy, "and")
				}
				parts = append(parts, part)
			}
			out = append(out, strings.Join(parts, ", and then ")+".")
		}
	}
	if len(names) > 2 && len(out) == 0 {
		out = append(out, fmt.Sprintf("No strategy overtakes another on %s along %s.", f.label, param))
	}
	return out
}

// pairedDifference estimates a − b at value i of their curves, paired
// replication by replication (the two strategies of a replication at a
// design point are one run, on the same seed); NaN without replications.
func pairedDifference(a, b curve, i int) results.Estimate {
	if i >= len(a.Reps) || i >= len(b.Reps) {
		return results.Estimate{Mean: math.NaN(), CI95: math.NaN()}
	}
	return results.Difference(a.Reps[i], b.Reps[i], true)
}

// noisySides returns the values on either side of the crossing c of a and
// b where the paired difference a − b does not support it: its 95%
// interval includes 0 (or, where the difference is undefined in some
// replications, lies on the other side of 0 than the means). Where there
// is no interval (one replication), nothing is tested and none is
// returned.
func noisySides(a, b curve, c crossing) []string {
	var out []string
	for _, i := range []int{c.Before, c.After} {
		e := pairedDifference(a, b, i)
		if math.IsNaN(e.Mean) || math.IsNaN(e.CI95) {
			continue
		}
		up := a.Mean[i] > b.Mean[i]
		if (up && e.Low() <= 0) || (!up && e.High() >= 0) {
			out = append(out, ParamText(a.X[i]))
		}
	}
	return out
}

// standingSentence says how two strategies whose outcomes do not cross
// compare along the whole of param.
func standingSentence(a, b, param string, f OutcomeFormat, better int, xs, ya, yb []float64) string {
	above, below, level := standing(xs, ya, yb)
	switch {
	case above+below+len(level) == 0:
		return ""
	case above == 0 && below == 0:
		return fmt.Sprintf("%s and %s are level on %s at every value of %s.", a, b, f.label, param)
	}
	high, low := a, b // without a crossing, one side only
	if below > 0 {
		high, low = b, a
	}
	var s string
	switch better {
	case 1:
		s = fmt.Sprintf("%s stays ahead of %s on %s", high, low, f.label)
	case -1:
		s = fmt.Sprintf("%s stays ahead of %s on %s (lower is better)", low, high, f.label)
	default:
		s = fmt.Sprintf("%s stays above %s on %s", high, low, f.label)
	}
	s += " over the whole range of " + param
	if len(level) > 0 {
		var at []string
		for _, x := range level {
			at = append(at, ParamText(x))
		}
		s += ", except at " + text.List(at, "and") + ", where they are level"
	}
	return s + "."
}
