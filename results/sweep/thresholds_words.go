package sweep

import (
	"fmt"
	"math"
	"strings"

	"github.com/journeysim/journeysim/sim/text"
)

// peakSentence says what the design supports about where strategy's
// outcome is best along param.
func peakSentence(strategy, param string, f OutcomeFormat, fd Finding, better int) string {
	best, extreme, worse := "highest", "peaks", "lower"
	if better < 0 {
		best, extreme, worse = "lowest", "bottoms out", "higher"
	}
	value := f.Value(fd.Value)
	if fd.Method == "fitted" {
		value += ", fitted"
	}
	at := param + " = " + ParamText(fd.Best)
	near := ""
	if fd.NearLow != fd.NearHigh {
		near = fmt.Sprintf("; from %s to %s it is within the noise of that", ParamText(fd.NearLow), ParamText(fd.NearHigh))
	}
	var s string
	switch fd.Shape {
	case Unknown:
		if fd.Reason == "" {
			return ""
		}
		return fmt.Sprintf("%s: the design cannot tell where %s is %s along %s: %s.", strategy, f.label, best, param, fd.Reason)
	case Flat:
		return fmt.Sprintf("%s: %s does not change with %s (%s at every value).", strategy, f.label, param, value)
	case Unclear:
		return fmt.Sprintf("%s: the design cannot tell where %s is %s along %s: no value is told apart from the best (%s, %s).", strategy, f.label, best, param, at, value)
	case BestInside:
		s = fmt.Sprintf("%s: %s %s at %s (%s)%s; both ends of the range are clearly %s", strategy, f.label, extreme, at, value, near, worse)
	case BestBetween:
		s = fmt.Sprintf("%s: %s is %s at %s (%s)%s", strategy, f.label, best, at, value, near)
	case BestAtLow, BestAtHigh:
		end := "smallest"
		if fd.Shape == BestAtHigh {
			end = "largest"
		}
		s = fmt.Sprintf("%s: %s is %s at the %s value tried, %s (%s)%s; it may be better still beyond the range", strategy, f.label, best, end, at, value, near)
	}
	if fd.NonMonotone && fd.Shape != BestInside {
		s += "; it turns along the range: a value inside is clearly worse than both ends"
	}
	return s + "."
}

// crossingSentences says, for each pair of strategies, where one's outcome
// overtakes the other's along param, as far as the design tells. With two
// strategies, a pair that does not cross is said too: which one stays
// ahead.
func crossingSentences(names []string, param string, f OutcomeFormat, better int, pairs []pairGap) []string {
	var out []string
	for _, pg := range pairs {
		g := pg.gap
		if len(g.X) == 0 {
			continue
		}
		b := make([]float64, len(g.X))
		for i := range b {
			b[i] = g.A[i] - g.Diff[i]
		}
		cs := findCrossings(g.X, g.A, b)
		sn, tn := names[pg.s], names[pg.t]
		if len(cs) == 0 {
			if len(names) == 2 {
				if sen := standingSentence(sn, tn, param, f, better, g); sen != "" {
					out = append(out, sen)
				}
			}
			continue
		}
		gapX := math.Inf(1)
		for i := 1; i < len(g.X); i++ {
			gapX = min(gapX, g.X[i]-g.X[i-1])
		}
		var parts []string
		for i, c := range cs {
			lead, behind := sn, tn
			if c.Up != (better >= 0) {
				lead, behind = tn, sn
			}
			verb := "overtakes"
			if better == 0 {
				verb = "rises above"
			}
			x := crossingText(c.X, gapX)
			level := "both about " + f.Value(c.Y) + " there"
			switch {
			case math.IsNaN(c.LevelFrom) || g.Fitted:
			case c.LevelFrom == c.LevelTo:
				x = ParamText(c.X)
				level = "level there at " + f.Value(c.Y)
			default:
				x = ParamText(c.X)
				level = "level from " + ParamText(c.LevelFrom) + " to " + ParamText(c.LevelTo)
			}
			on := ""
			if i == 0 {
				on = " on " + f.label
				if better == -1 {
					on += " (lower is better)"
				}
			}
			again := ""
			if i > 0 {
				again = " again"
			}
			var part string
			switch why := crossingDoubt(g, cs, i); {
			case why == "":
				part = fmt.Sprintf("%s %s %s%s%s once %s exceeds %s (%s)", lead, verb, behind, on, again, param, x, level)
			default:
				part = fmt.Sprintf("%s may %s %s%s%s near %s = %s (%s), but the design cannot tell: %s",
					lead, strings.TrimSuffix(verb, "s"), behind, on, again, param, x, level, why)
				part = strings.Replace(part, "may rises above", "may rise above", 1)
			}
			parts = append(parts, part)
		}
		out = append(out, strings.Join(parts, ", and then ")+".")
	}
	if len(names) > 2 && len(out) == 0 {
		out = append(out, fmt.Sprintf("No strategy overtakes another on %s along %s.", f.label, param))
	}
	return out
}

// crossingDoubt says why the design does not support crossing i of cs
// along g, or "" if it does. On a grid, the paired differences at the
// values either side of it must both be told apart from zero; on a fitted
// curve, somewhere on each side of it before the next crossing.
func crossingDoubt(g gap, cs []crossing, i int) string {
	if !g.Tested {
		return "with one replication and nothing else varying there is no interval to test the difference with"
	}
	c := cs[i]
	if !g.Fitted {
		var noisy []string
		for _, j := range []int{c.Before, c.After} {
			if !g.Apart[j] {
				noisy = append(noisy, ParamText(g.X[j]))
			}
		}
		if len(noisy) == 0 {
			return ""
		}
		return "the difference is not significant at " + text.List(noisy, "and")
	}
	lo, hi := 0, len(g.X)-1
	if i > 0 {
		lo = cs[i-1].After
	}
	if i+1 < len(cs) {
		hi = cs[i+1].Before
	}
	before, after := false, false
	for j := lo; j <= c.Before; j++ {
		before = before || g.Apart[j]
	}
	for j := c.After; j <= hi; j++ {
		after = after || g.Apart[j]
	}
	if before && after {
		return ""
	}
	return "the fitted difference is not significant on both sides of it"
}

// standingSentence says how two strategies whose outcomes do not cross
// compare along the whole of param, and where the difference is not told
// apart from zero.
func standingSentence(a, b, param string, f OutcomeFormat, better int, g gap) string {
	ya := g.A
	yb := make([]float64, len(g.X))
	for i := range yb {
		yb[i] = g.A[i] - g.Diff[i]
	}
	above, below, level := standing(g.X, ya, yb)
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
	switch {
	case !g.Tested:
		s += "; with one replication and nothing else varying, the difference is not tested"
	case g.Fitted:
		n := 0
		for i := range g.X {
			if g.Apart[i] {
				n++
			}
		}
		if n < len(g.X) {
			s += "; the fitted difference is not significant over all of it"
		}
	default:
		var noisy []string
		apart := 0
		for i := range g.X {
			if g.Apart[i] {
				apart++
			} else if !same(ya[i], yb[i]) {
				noisy = append(noisy, ParamText(g.X[i]))
			}
		}
		switch {
		case apart == 0:
			s = strings.Replace(s, "stays ahead of", "is ahead of", 1)
			s = strings.Replace(s, "stays above", "is above", 1)
			s += ", but the design cannot tell the two apart at any value"
		case len(noisy) > 0:
			s += "; the difference is not significant at " + text.List(noisy, "and")
		}
	}
	return s + "."
}
