package sweep

import (
	"math"
	"slices"
	"testing"

	"github.com/journeysim/journeysim/results"
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

func TestFindPeak(t *testing.T) {
	cases := []struct {
		name   string
		x, y   []float64
		ci     []float64 // nil: unknown
		better int
		kind   peakKind
		at     []int
		close  int
	}{
		{"inside", []float64{1, 2, 3, 4}, []float64{1, 5, 3, 2}, nil, 1, inside, []int{1}, -1},
		{"trough inside", []float64{1, 2, 3, 4}, []float64{5, 2, 3, 4}, nil, -1, inside, []int{1}, -1},
		{"at the largest value", []float64{1, 2, 3}, []float64{1, 2, 3}, nil, 1, atHigh, []int{2}, -1},
		{"lowest at the smallest value", []float64{1, 2, 3}, []float64{1, 2, 3}, nil, -1, atLow, []int{0}, -1},
		{"tie", []float64{1, 2, 3, 4}, []float64{1, 4, 4, 2}, nil, 1, tied, []int{1, 2}, -1},
		{"tie but for rounding", []float64{1, 2, 3}, []float64{0.3, 0.1 + 0.2, 0.1}, nil, 1, tied, []int{0, 1}, -1},
		{"flat", []float64{1, 2, 3}, []float64{3, 3, 3}, nil, 1, flat, nil, -1},
		{"single point", []float64{5}, []float64{7}, nil, 1, noPeak, nil, -1},
		{"no direction", []float64{1, 2, 3}, []float64{1, 5, 3}, nil, 0, noPeak, nil, -1},
		{"undefined values skipped", []float64{1, 2, 3}, []float64{nan, 2, 1}, nil, 1, atLow, []int{1}, -1},
		{"one defined value", []float64{1, 2, 3}, []float64{nan, 2, nan}, nil, 1, noPeak, nil, -1},
		// 5 ± 0.3 and 4.5 ± 0.3 overlap; 5 ± 0.2 and 4.5 ± 0.2 do not.
		{"runner-up within the intervals", []float64{1, 2, 3}, []float64{1, 5, 4.5}, []float64{0.3, 0.3, 0.3}, 1, inside, []int{1}, 2},
		{"runner-up clear", []float64{1, 2, 3}, []float64{1, 5, 4.5}, []float64{0.2, 0.2, 0.2}, 1, inside, []int{1}, -1},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ci := c.ci
			if ci == nil {
				ci = nans(len(c.x))
			}
			p := findPeak(curve{X: c.x, Mean: c.y, CI: ci}, c.better)
			if p.Kind != c.kind || !slices.Equal(p.At, c.at) || p.Close != c.close {
				t.Errorf("findPeak = %+v; want kind %d at %v, close %d", p, c.kind, c.at, c.close)
			}
		})
	}
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
	x := []float64{1, 3, 5, 7}
	cases := []struct {
		name   string
		f      OutcomeFormat
		y, ci  []float64
		better int
		want   string
	}{
		{"peak", rev, []float64{3000, 4210, 3900, 2000}, nil, 1,
			"omni: revenue peaks at caps.email.max = 3 (4,210 EUR)."},
		{"peak within the noise", rev, []float64{3000, 4210, 3900, 2000}, []float64{100, 200, 200, 100}, 1,
			"omni: revenue peaks at caps.email.max = 3 (4,210 EUR), though at 5 it is 3,900 EUR and the two 95% intervals overlap."},
		{"trough", churn, []float64{0.1, 0.05, 0.06, 0.09}, nil, -1,
			"omni: churn bottoms out at caps.email.max = 3 (5.0%)."},
		{"at the edge", rev, []float64{1000, 2000, 3000, 4000}, nil, 1,
			"omni: revenue is highest at the largest value tried, caps.email.max = 7 (4,000 EUR)."},
		{"lowest at the edge", churn, []float64{0.01, 0.02, 0.03, 0.04}, nil, -1,
			"omni: churn is lowest at the smallest value tried, caps.email.max = 1 (1.0%)."},
		{"tie", rev, []float64{1000, 4000, 4000, 3000}, nil, 1,
			"omni: revenue is highest at caps.email.max = 3 and 5 alike (4,000 EUR at each)."},
		{"flat", rev, []float64{4000, 4000, 4000, 4000}, nil, 1,
			"omni: revenue does not change with caps.email.max (4,000 EUR at every value)."},
		{"no direction", rev, []float64{1, 2, 3, 4}, nil, 0, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ci := c.ci
			if ci == nil {
				ci = nans(len(x))
			}
			got := peakSentence("omni", "caps.email.max", c.f, curve{X: x, Mean: c.y, CI: ci}, c.better)
			if got != c.want {
				t.Errorf("got  %q\nwant %q", got, c.want)
			}
		})
	}
}

func TestCrossingSentences(t *testing.T) {
	x := []float64{0, 0.25, 0.5, 0.75}
	cv := func(y ...float64) curve { return curve{X: x, Mean: y, CI: nans(len(y))} }
	rev := FormatOutcome("revenue", "EUR", 5000)
	churn := FormatOutcome("churn_rate", "EUR", 0.1)
	cases := []struct {
		name   string
		names  []string
		f      OutcomeFormat
		better int
		curves []curve
		want   []string
	}{
		// d = −400, 100 between 0.25 and 0.5: 0.8 of the way, 0.45,
		// where omni is 4,000 + 0.8 × 500.
		{"overtakes", []string{"omni", "multi"}, rev, 1, []curve{cv(3000, 4000, 4500, 5000), cv(4400, 4400, 4400, 4400)},
			[]string{"omni overtakes multi on revenue once price_match exceeds 0.45 (both about 4,400 EUR there)."}},
		// d = −1000, 1500: 0.4 of the way from 0 to 0.25; then d = 1500,
		// −1000: 0.6 of the way from 0.5 to 0.75.
		{"overtakes and back", []string{"omni", "multi"}, rev, 1, []curve{cv(3000, 5500, 5500, 3000), cv(4000, 4000, 4000, 4000)},
			[]string{"omni overtakes multi on revenue once price_match exceeds 0.10 (both about 4,000 EUR there), " +
				"and then multi overtakes omni again once price_match exceeds 0.65 (both about 4,000 EUR there)."}},
		// Churn of omni rises above multi's: multi overtakes it.
		{"lower is better", []string{"omni", "multi"}, churn, -1, []curve{cv(0.02, 0.04, 0.06, 0.08), cv(0.05, 0.05, 0.05, 0.05)},
			[]string{"multi overtakes omni on churn (lower is better) once price_match exceeds 0.38 (both about 5.0% there)."}},
		{"level at a value", []string{"omni", "multi"}, rev, 1, []curve{cv(3000, 4000, 5000, 6000), cv(4000, 4000, 4000, 4000)},
			[]string{"omni overtakes multi on revenue once price_match exceeds 0.25 (level there at 4,000 EUR)."}},
		{"no direction", []string{"omni", "multi"}, FormatOutcome("contacts_per_customer", "", 5), 0, []curve{cv(1, 2, 3, 4), cv(2.5, 2.5, 2.5, 2.5)},
			[]string{"omni rises above multi on contacts per customer once price_match exceeds 0.38 (both about 2.50 there)."}},
		{"stays ahead", []string{"omni", "multi"}, rev, 1, []curve{cv(5000, 5000, 5000, 5000), cv(1000, 2000, 3000, 4000)},
			[]string{"omni stays ahead of multi on revenue over the whole range of price_match."}},
		{"stays ahead, lower is better", []string{"omni", "multi"}, churn, -1, []curve{cv(0.1, 0.1, 0.1, 0.1), cv(0.01, 0.1, 0.05, 0.05)},
			[]string{"multi stays ahead of omni on churn (lower is better) over the whole range of price_match, except at 0.25, where they are level."}},
		{"level everywhere", []string{"omni", "multi"}, rev, 1, []curve{cv(1, 1, 1, 1), cv(1, 1, 1, 1)},
			[]string{"omni and multi are level on revenue at every value of price_match."}},
		{"three strategies, none cross", []string{"a", "b", "c"}, rev, 1, []curve{cv(3, 3, 3, 3), cv(2, 2, 2, 2), cv(1, 1, 1, 1)},
			[]string{"No strategy overtakes another on revenue along price_match."}},
		// b − a = −3, 1: 0.75 of the way from 0 to 0.25.
		{"three strategies, one pair crosses", []string{"a", "b", "c"}, rev, 1, []curve{cv(0, 0, 0, 0), cv(-3, 1, 1, 1), cv(-5, -5, -5, -5)},
			[]string{"b overtakes a on revenue once price_match exceeds 0.19 (both about 0 EUR there)."}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := crossingSentences(c.names, "price_match", c.f, c.better, c.curves)
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

// repCurve is a curve along x made from each value's replications: its
// means, their 95% intervals and the replications themselves.
func repCurve(x []float64, reps ...[]float64) curve {
	c := curve{X: x, Reps: reps}
	for _, r := range reps {
		e := results.NewEstimate(r)
		c.Mean, c.CI = append(c.Mean, e.Mean), append(c.CI, e.CI95)
	}
	return c
}

// A break-even point is within the noise when the paired difference at a
// value on either side of it is not significant.
func TestCrossingNoise(t *testing.T) {
	x := []float64{1, 2, 3, 4}
	rev := FormatOutcome("revenue", "EUR", 5000)
	// Three replications, each with noise that both strategies share
	// (common random numbers): 0, +100 and −100.
	shared := func(v float64) []float64 { return []float64{v, v + 100, v - 100} }
	flatB := repCurve(x, shared(25), shared(25), shared(25), shared(25))
	cases := []struct {
		name string
		a, b curve
		want string
	}{
		// d = −15, −5, 5, 15 in every replication: each strategy's
		// interval is ±250 or so, but the paired difference has none.
		{"clear", repCurve(x, shared(10), shared(20), shared(30), shared(40)), flatB,
			"a overtakes b on revenue once x exceeds 2.5 (both about 25 EUR there)."},
		// At 2, d = 15, −25, −5 by replication: its mean is −5 but its
		// interval, −5 ± 50, holds 0; at 3, d = 5 in each.
		{"noisy before", repCurve(x, shared(10), []float64{40, 100, -80}, shared(30), shared(40)), flatB,
			"a overtakes b on revenue once x exceeds 2.5 (both about 25 EUR there), within the noise: the difference is not significant at 2."},
		// And at 3, d = 45, −35, 5: 5 ± 99.
		{"noisy on both sides", repCurve(x, shared(10), []float64{40, 100, -80}, []float64{70, 90, -70}, shared(40)), flatB,
			"a overtakes b on revenue once x exceeds 2.5 (both about 25 EUR there), within the noise: the difference is not significant at 2 and 3."},
		// Level at 2: the values on either side are 1 and 3, and at 1,
		// d = −25, 15, −5 by replication.
		{"level at a value", repCurve(x, []float64{0, 140, -80}, shared(25), shared(30), shared(40)), flatB,
			"a overtakes b on revenue once x exceeds 2 (level there at 25 EUR), within the noise: the difference is not significant at 1."},
		// Two crossings: the first clear, the second noisy at 4, where
		// d = −35, 25, −5 by replication.
		{"two crossings", repCurve(x, shared(10), shared(30), shared(30), []float64{-10, 150, -80}), flatB,
			"a overtakes b on revenue once x exceeds 1.8 (both about 25 EUR there), " +
				"and then b overtakes a again once x exceeds 3.5 (both about 25 EUR there), within the noise: the difference is not significant at 4."},
		// One replication: no intervals, nothing tested.
		{"one replication", repCurve(x, []float64{10}, []float64{20}, []float64{30}, []float64{40}),
			repCurve(x, []float64{25}, []float64{25}, []float64{25}, []float64{25}),
			"a overtakes b on revenue once x exceeds 2.5 (both about 25 EUR there)."},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got := crossingSentences([]string{"a", "b"}, "x", rev, 1, []curve{c.a, c.b})
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
