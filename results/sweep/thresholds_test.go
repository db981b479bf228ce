package sweep

import (
	"math"
	"slices"
	"testing"
)

var nan = math.NaN()

// nans is n unknown interval half-widths.
func nans(n int) []float64 {
	v := make([]float64, n)
	for i := range v {
		v[i] = nan
	}
	return v
}

func TestFindCrossings(t *testing.T) {
	type cross struct {
		x, y     float64
		from, to float64 // NaN: between two values
		up       bool
	}
	cases := []struct {
		name    string
		x, a, b []float64
		want    []cross
	}{
		{"no crossing", []float64{1, 2, 3}, []float64{1, 2, 3}, []float64{0, 0, 0}, nil},
		// d = −1.5, −0.5, 0.5: level halfway between 1 and 2, at 1.5.
		{"one", []float64{0, 1, 2}, []float64{0, 1, 2}, []float64{1.5, 1.5, 1.5}, []cross{{1.5, 1.5, nan, nan, true}}},
		// d = −1, 3 over 0 to 10: a quarter of the way, at 2.5, where a is 1.
		{"uneven", []float64{0, 10}, []float64{0, 4}, []float64{1, 1}, []cross{{2.5, 1, nan, nan, true}}},
		// d = 2, −2: a falls below b halfway.
		{"down", []float64{1, 3}, []float64{4, 0}, []float64{2, 2}, []cross{{2, 2, nan, nan, false}}},
		// d = −1, 1, −1, 1: three crossings, each halfway.
		{"several", []float64{0, 1, 2, 3}, []float64{0, 2, 0, 2}, []float64{1, 1, 1, 1},
			[]cross{{0.5, 1, nan, nan, true}, {1.5, 1, nan, nan, false}, {2.5, 1, nan, nan, true}}},
		// d = −1, 0, 1: level at 2 exactly, and a is ahead after.
		{"level at a value", []float64{1, 2, 3}, []float64{0, 1, 2}, []float64{1, 1, 1}, []cross{{2, 1, 2, 2, true}}},
		// d = −1, 0, 0, 1: level from 2 to 3; the crossing is at 3.
		{"level over a stretch", []float64{1, 2, 3, 4}, []float64{0, 1, 1, 2}, []float64{1, 1, 1, 1}, []cross{{3, 1, 2, 3, true}}},
		{"touch without crossing", []float64{1, 2, 3}, []float64{2, 1, 2}, []float64{1, 1, 1}, nil},
		{"level at the start", []float64{1, 2, 3}, []float64{1, 1, 2}, []float64{1, 1, 1}, nil},
		{"level everywhere", []float64{1, 2, 3}, []float64{1, 1, 1}, []float64{1, 1, 1}, nil},
		{"single point", []float64{1}, []float64{1}, []float64{2}, nil},
		// The undefined value at 2 is skipped: d = −1 at 1, 1 at 3.
		{"undefined skipped", []float64{1, 2, 3}, []float64{0, nan, 2}, []float64{1, 1, 1}, []cross{{2, 1, nan, nan, true}}},
	}
	eq := func(x, y float64) bool { return math.IsNaN(x) && math.IsNaN(y) || math.Abs(x-y) < 1e-12 }
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := findCrossings(c.x, c.a, c.b)
			if len(got) != len(c.want) {
				t.Fatalf("findCrossings = %+v; want %+v", got, c.want)
			}
			for i, w := range c.want {
				g := got[i]
				if !eq(g.X, w.x) || !eq(g.Y, w.y) || !eq(g.LevelFrom, w.from) || !eq(g.LevelTo, w.to) || g.Up != w.up {
					t.Errorf("crossing %d = %+v; want %+v", i, g, w)
				}
			}
		})
	}
}

func TestPeakSentence(t *testing.T) {
	rev := FormatOutcome("revenue", "EUR", 4210)
	churn := FormatOutcome("churn_rate", "EUR", 0.1)
	cases := []struct {
		name   string
		f      OutcomeFormat
		fd     Finding
		better int
		want   string
	}{
		{"peak", rev, Finding{Shape: BestInside, Best: 3, Value: 4210, NearLow: 3, NearHigh: 3, NonMonotone: true, Method: "paired"}, 1,
			"omni: revenue peaks at caps.email.max = 3 (4,210 EUR); both ends of the range are clearly lower."},
		{"peak with neighbours within the noise", rev, Finding{Shape: BestInside, Best: 3, Value: 4210, NearLow: 3, NearHigh: 5, NonMonotone: true, Method: "paired"}, 1,
			"omni: revenue peaks at caps.email.max = 3 (4,210 EUR); from 3 to 5 it is within the noise of that; both ends of the range are clearly lower."},
		{"fitted trough", churn, Finding{Shape: BestInside, Best: 3, Value: 0.05, NearLow: 3, NearHigh: 3, NonMonotone: true, Method: "fitted"}, -1,
			"omni: churn bottoms out at caps.email.max = 3 (5.0%, fitted); both ends of the range are clearly higher."},
		{"at the edge", rev, Finding{Shape: BestAtHigh, Best: 7, Value: 4000, NearLow: 7, NearHigh: 7, Method: "paired"}, 1,
			"omni: revenue is highest at the largest value tried, caps.email.max = 7 (4,000 EUR); it may be better still beyond the range."},
		{"lowest at the edge", churn, Finding{Shape: BestAtLow, Best: 1, Value: 0.01, NearLow: 1, NearHigh: 3, Method: "paired"}, -1,
			"omni: churn is lowest at the smallest value tried, caps.email.max = 1 (1.0%); from 1 to 3 it is within the noise of that; it may be better still beyond the range."},
		{"one end within the noise", rev, Finding{Shape: BestBetween, Best: 5, Value: 4000, NearLow: 5, NearHigh: 7, Method: "paired"}, 1,
			"omni: revenue is highest at caps.email.max = 5 (4,000 EUR); from 5 to 7 it is within the noise of that."},
		{"unclear", rev, Finding{Shape: Unclear, Best: 5, Value: 4000, NearLow: 1, NearHigh: 7, Method: "paired"}, 1,
			"omni: the design cannot tell where revenue is highest along caps.email.max: no value is told apart from the best (caps.email.max = 5, 4,000 EUR)."},
		{"untestable", rev, Finding{Reason: "one replication and no other parameter varying: there is no interval to test with", Method: "paired"}, 1,
			"omni: the design cannot tell where revenue is highest along caps.email.max: one replication and no other parameter varying: there is no interval to test with."},
		{"flat", rev, Finding{Shape: Flat, Best: 1, Value: 4000, Method: "paired"}, 1,
			"omni: revenue does not change with caps.email.max (4,000 EUR at every value)."},
		{"a trough in a rising curve", rev, Finding{Shape: BestAtHigh, Best: 7, Value: 4000, NearLow: 7, NearHigh: 7, NonMonotone: true, Method: "paired"}, 1,
			"omni: revenue is highest at the largest value tried, caps.email.max = 7 (4,000 EUR); it may be better still beyond the range; it turns along the range: a value inside is clearly worse than both ends."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := peakSentence("omni", "caps.email.max", c.f, c.fd, c.better)
			if got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

// clearGaps are the gaps between each pair of curves along x, every
// difference told apart from zero.
func clearGaps(x []float64, curves ...[]float64) []pairGap {
	var out []pairGap
	for s := range curves {
		for t := s + 1; t < len(curves); t++ {
			g := gap{X: x, A: curves[s], Tested: true}
			for i := range x {
				g.Diff = append(g.Diff, curves[s][i]-curves[t][i])
				g.Apart = append(g.Apart, true)
			}
			out = append(out, pairGap{s: s, t: t, gap: g})
		}
	}
	return out
}

func TestCrossingSentences(t *testing.T) {
	x := []float64{0, 0.25, 0.5, 0.75}
	cv := func(y ...float64) []float64 { return y }
	rev := FormatOutcome("revenue", "EUR", 5000)
	churn := FormatOutcome("churn_rate", "EUR", 0.1)
	cases := []struct {
		name   string
		names  []string
		f      OutcomeFormat
		better int
		curves [][]float64
		want   []string
	}{
		// d = −400, 100 between 0.25 and 0.5: 0.8 of the way, 0.45,
		// where omni is 4,000 + 0.8 × 500.
		{"overtakes", []string{"omni", "multi"}, rev, 1, [][]float64{cv(3000, 4000, 4500, 5000), cv(4400, 4400, 4400, 4400)},
			[]string{"omni overtakes multi on revenue once price_match exceeds 0.45 (both about 4,400 EUR there)."}},
		// d = −1000, 1500: 0.4 of the way from 0 to 0.25; then d = 1500,
		// −1000: 0.6 of the way from 0.5 to 0.75.
		{"overtakes and back", []string{"omni", "multi"}, rev, 1, [][]float64{cv(3000, 5500, 5500, 3000), cv(4000, 4000, 4000, 4000)},
			[]string{"omni overtakes multi on revenue once price_match exceeds 0.10 (both about 4,000 EUR there), " +
				"and then multi overtakes omni again once price_match exceeds 0.65 (both about 4,000 EUR there)."}},
		// Churn of omni rises above multi's: multi overtakes it.
		{"lower is better", []string{"omni", "multi"}, churn, -1, [][]float64{cv(0.02, 0.04, 0.06, 0.08), cv(0.05, 0.05, 0.05, 0.05)},
			[]string{"multi overtakes omni on churn (lower is better) once price_match exceeds 0.38 (both about 5.0% there)."}},
		{"level at a value", []string{"omni", "multi"}, rev, 1, [][]float64{cv(3000, 4000, 5000, 6000), cv(4000, 4000, 4000, 4000)},
			[]string{"omni overtakes multi on revenue once price_match exceeds 0.25 (level there at 4,000 EUR)."}},
		{"no direction", []string{"omni", "multi"}, FormatOutcome("contacts_per_customer", "", 5), 0, [][]float64{cv(1, 2, 3, 4), cv(2.5, 2.5, 2.5, 2.5)},
			[]string{"omni rises above multi on contacts per customer once price_match exceeds 0.38 (both about 2.50 there)."}},
		{"stays ahead", []string{"omni", "multi"}, rev, 1, [][]float64{cv(5000, 5000, 5000, 5000), cv(1000, 2000, 3000, 4000)},
			[]string{"omni stays ahead of multi on revenue over the whole range of price_match."}},
		{"stays ahead, lower is better", []string{"omni", "multi"}, churn, -1, [][]float64{cv(0.1, 0.1, 0.1, 0.1), cv(0.01, 0.1, 0.05, 0.05)},
			[]string{"multi stays ahead of omni on churn (lower is better) over the whole range of price_match, except at 0.25, where they are level."}},
		{"level everywhere", []string{"omni", "multi"}, rev, 1, [][]float64{cv(1, 1, 1, 1), cv(1, 1, 1, 1)},
			[]string{"omni and multi are level on revenue at every value of price_match."}},
		{"three strategies, none cross", []string{"a", "b", "c"}, rev, 1, [][]float64{cv(3, 3, 3, 3), cv(2, 2, 2, 2), cv(1, 1, 1, 1)},
			[]string{"No strategy overtakes another on revenue along price_match."}},
		// b − a = −3, 1: 0.75 of the way from 0 to 0.25.
		{"three strategies, one pair crosses", []string{"a", "b", "c"}, rev, 1, [][]float64{cv(0, 0, 0, 0), cv(-3, 1, 1, 1), cv(-5, -5, -5, -5)},
			[]string{"b overtakes a on revenue once price_match exceeds 0.19 (both about 0 EUR there)."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := crossingSentences(c.names, "price_match", c.f, c.better, clearGaps(x, c.curves...))
			if !slices.Equal(got, c.want) {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestParamAndCrossingText(t *testing.T) {
	for _, c := range []struct {
		x    float64
		want string
	}{{3, "3"}, {0.1, "0.1"}, {0.1 + 0.2, "0.3"}, {20000, "20,000"}, {-1.5, "-1.5"}, {0, "0"}} {
		if got := ParamText(c.x); got != c.want {
			t.Errorf("ParamText(%v) = %q; want %q", c.x, got, c.want)
		}
	}
	for _, c := range []struct {
		x, gap float64
		want   string
	}{{2.43, 2, "2.4"}, {0.0423, 0.1, "0.042"}, {0.00052, 0.1, "0.00052"}, {1234.6, 500, "1,235"}} {
		if got := crossingText(c.x, c.gap); got != c.want {
			t.Errorf("crossingText(%v, %v) = %q; want %q", c.x, c.gap, got, c.want)
		}
	}
}

// A break-even point is claimed only when the differences on either side
// of it are told apart from zero; otherwise the sentence says the design
// cannot tell. apart[i] says whether the difference at x[i] is.
func TestCrossingNoise(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	rev := FormatOutcome("revenue", "EUR", 5000)
	a := []float64{10, 20, 30, 40}
	b := []float64{25, 25, 25, 25}
	gapOf := func(tested, fitted bool, apart ...bool) []pairGap {
		g := gap{X: x, A: a, Apart: apart, Tested: tested, Fitted: fitted}
		for i := range x {
			g.Diff = append(g.Diff, a[i]-b[i])
		}
		return []pairGap{{s: 0, t: 1, gap: g}}
	}
	cases := []struct {
		name string
		gaps []pairGap
		want string
	}{
		{"clear", gapOf(true, false, true, true, true, true),
			"a overtakes b on revenue once x exceeds 2.5 (both about 25 EUR there)."},
		{"noisy before", gapOf(true, false, true, false, true, true),
			"a may overtake b on revenue near x = 2.5 (both about 25 EUR there), but the design cannot tell: the difference is not significant at 2."},
		{"noisy on both sides", gapOf(true, false, true, false, false, true),
			"a may overtake b on revenue near x = 2.5 (both about 25 EUR there), but the design cannot tell: the difference is not significant at 2 and 3."},
		{"one replication", gapOf(false, false, false, false, false, false),
			"a may overtake b on revenue near x = 2.5 (both about 25 EUR there), but the design cannot tell: with one replication and nothing else varying there is no interval to test the difference with."},
		// Fitted: apart somewhere on each side is enough.
		{"fitted, apart at the ends", gapOf(true, true, true, false, false, true),
			"a overtakes b on revenue once x exceeds 2.5 (both about 25 EUR there)."},
		{"fitted, one side not apart", gapOf(true, true, false, false, false, true),
			"a may overtake b on revenue near x = 2.5 (both about 25 EUR there), but the design cannot tell: the fitted difference is not significant on both sides of it."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := crossingSentences([]string{"a", "b"}, "x", rev, 1, c.gaps)
			if len(got) != 1 || got[0] != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

// A crossing knows the values on either side of it where the two are not
// level, as indices into the values given, undefined ones included.
func TestCrossingSides(t *testing.T) {
	for _, c := range []struct {
		name          string
		x, a, b       []float64
		before, after int
	}{
		{"between two values", []float64{0, 1, 2}, []float64{0, 1, 2}, []float64{1.5, 1.5, 1.5}, 1, 2},
		{"level over a stretch", []float64{1, 2, 3, 4}, []float64{0, 1, 1, 2}, []float64{1, 1, 1, 1}, 0, 3},
		{"undefined skipped", []float64{1, 2, 3}, []float64{0, nan, 2}, []float64{1, 1, 1}, 0, 2},
	} {
		got := findCrossings(c.x, c.a, c.b)
		if len(got) != 1 || got[0].Before != c.before || got[0].After != c.after {
			t.Errorf("%s: %+v; want one crossing between indices %d and %d", c.name, got, c.before, c.after)
		}
	}
}
