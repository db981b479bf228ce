package attribution

import (
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// Channel indices of the hand-computed examples.
const (
	chA = 0
	chB = 1
)

// twoPaths is "A→B→conv" and "A→null": start→A = 2, A→B = 1, A→null = 1,
// B→conv = 1.
//
//	x_B = 1, x_A = ½·x_B + ½·0 = ½, P(conv) = x_A = ½.
//	Without A: P = 0, effect 1 − 0/½ = 1.
//	Without B: x_A = ½·0 = 0, P = 0, effect 1.
var twoPaths = [][]float64{
	// A  B  conv null
	{0, 1, 0, 1}, // A
	{0, 0, 1, 0}, // B
	{2, 0, 0, 0}, // start
}

// fourPaths is "A→conv", "B→conv", "A→B→conv" and "B→null":
// start→A = 2, start→B = 2, A→conv = 1, A→B = 1, B→conv = 2, B→null = 1.
//
//	p(start→A) = p(start→B) = ½; p(A→B) = p(A→conv) = ½;
//	p(B→conv) = ⅔, p(B→null) = ⅓.
//	x_B = ⅔, x_A = ½ + ½·⅔ = ⅚, P(conv) = ½·⅚ + ½·⅔ = 5/12 + 4/12 = ¾.
//	Without A: P = ½·0 + ½·⅔ = ⅓, effect_A = 1 − (⅓)/(¾) = 1 − 4/9 = 5/9.
//	Without B: x_A = ½, P = ½·½ + ½·0 = ¼, effect_B = 1 − (¼)/(¾) = ⅔.
//	Σ effects = 5/9 + 6/9 = 11/9, so credit_A = R·5/11, credit_B = R·6/11;
//	for R = 330: 150 and 180.
var fourPaths = [][]float64{
	// A  B  conv null
	{0, 1, 1, 0}, // A
	{0, 0, 2, 1}, // B
	{2, 2, 0, 0}, // start
}

// withSelfLoops adds self-transitions (A→A, B→B) to a copy of t.
func withSelfLoops(t [][]float64, loops ...float64) [][]float64 {
	out := make([][]float64, len(t))
	for r := range t {
		out[r] = append([]float64(nil), t[r]...)
	}
	for i, l := range loops {
		out[i][i] += l
	}
	return out
}

func near(got, want, tol float64) bool {
	return math.Abs(got-want) <= tol*math.Max(1, math.Abs(want))
}

func TestRemovalEffects(t *testing.T) {
	for _, tc := range []struct {
		name    string
		trans   [][]float64
		revenue float64
		effects []float64
		credits []float64
	}{
		{"two paths", twoPaths, 100, []float64{1, 1}, []float64{50, 50}},
		{"four paths", fourPaths, 330, []float64{5.0 / 9, 2.0 / 3}, []float64{150, 180}},
		{"four paths with self-loops", withSelfLoops(fourPaths, 3, 5), 330, []float64{5.0 / 9, 2.0 / 3}, []float64{150, 180}},
		{
			// twoPaths plus one path that converts without any touch:
			// start→A = 2, start→conv = 1.
			// P = ⅔·½ + ⅓ = ⅔; without A or B: P = ⅓, effect 1 − ⅓/⅔ = ½.
			"direct conversion",
			[][]float64{
				{0, 1, 0, 1},
				{0, 0, 1, 0},
				{2, 0, 1, 0},
			},
			90, []float64{0.5, 0.5}, []float64{45, 45},
		},
		{
			// fourPaths plus a channel C that is only ever entered from
			// nowhere (C→conv but no transition into C): effect 0, and the
			// others are unchanged.
			"unreachable channel",
			[][]float64{
				{0, 1, 0, 1, 0},
				{0, 0, 0, 2, 1},
				{0, 0, 0, 7, 0},
				{2, 2, 0, 0, 0},
			},
			330, []float64{5.0 / 9, 2.0 / 3, 0}, []float64{150, 180, 0},
		},
		{
			// A→B→A→… forever with a little leak to conversion through C:
			// start→A = 1, A→B = 1, B→A = 1, B→C = 1, C→conv = 1.
			// x_C = 1, x_B = ½·x_A + ½, x_A = x_B ⇒ x_A = x_B = 1, P = 1.
			// Without A: P = 0 (effect 1). Without B: P = 0 (effect 1).
			// Without C: x_B = ½·x_A, x_A = x_B ⇒ 0, P = 0 (effect 1).
			"cycle",
			[][]float64{
				{0, 1, 0, 0, 0},
				{1, 0, 1, 0, 0},
				{0, 0, 0, 1, 0},
				{1, 0, 0, 0, 0},
			},
			30, []float64{1, 1, 1}, []float64{10, 10, 10},
		},
		{
			// No path converts: P(conv) = 0, all effects 0.
			"no conversion",
			[][]float64{
				{0, 1, 0, 1},
				{0, 0, 0, 1},
				{2, 1, 0, 0},
			},
			100, []float64{0, 0}, []float64{0, 0},
		},
		{
			// A channel that only loops on itself behaves like null.
			"trapped channel",
			[][]float64{
				{4, 0, 0, 0},
				{0, 0, 1, 0},
				{1, 1, 0, 0},
			},
			// P = ½ (via B only); without A: ½, effect 0; without B: 0, effect 1.
			100, []float64{0, 1}, []float64{0, 100},
		},
		{"no channels", [][]float64{{3, 1}}, 10, []float64{}, []float64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			effects, err := RemovalEffects(tc.trans)
			if err != nil {
				t.Fatalf("RemovalEffects: %v", err)
			}
			credits, err := MarkovCredit(tc.trans, tc.revenue)
			if err != nil {
				t.Fatalf("MarkovCredit: %v", err)
			}
			if len(effects) != len(tc.effects) || len(credits) != len(tc.credits) {
				t.Fatalf("got %d effects and %d credits, want %d", len(effects), len(credits), len(tc.effects))
			}
			for i := range tc.effects {
				if !near(effects[i], tc.effects[i], 1e-12) {
					t.Errorf("effect[%d] = %.17g, want %.17g", i, effects[i], tc.effects[i])
				}
				if !near(credits[i], tc.credits[i], 1e-12) {
					t.Errorf("credit[%d] = %.17g, want %.17g", i, credits[i], tc.credits[i])
				}
			}
		})
	}
}

// Self-loops are dropped by the normalisation, so adding them must leave the
// results bit-for-bit unchanged.
func TestRemovalEffectsSelfLoopsExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for range 50 {
		trans := randomTransitions(rng, 1+rng.IntN(6))
		loops := make([]float64, len(trans)-1)
		for i := range loops {
			loops[i] = float64(rng.IntN(20))
		}
		want, err := MarkovCredit(trans, 1000)
		if err != nil {
			t.Fatal(err)
		}
		got, err := MarkovCredit(withSelfLoops(trans, loops...), 1000)
		if err != nil {
			t.Fatal(err)
		}
		for i := range want {
			if got[i] != want[i] {
				t.Fatalf("with self-loops %v credit[%d] = %v, without %v (trans %v)", loops, i, got[i], want[i], trans)
			}
		}
	}
}

func TestRemovalEffectsErrors(t *testing.T) {
	for _, tc := range []struct {
		name  string
		trans [][]float64
		want  string
	}{
		{"nil", nil, "needs C+1 rows"},
		{"short row", [][]float64{{0, 1, 0}, {0, 0, 1}, {2, 0, 0, 0}}, "row 0 needs 4 columns"},
		{"long row", [][]float64{{0, 1, 0, 1}, {0, 0, 1, 0}, {2, 0, 0, 0, 0}}, "row 2 needs 4 columns"},
		{"missing start row", [][]float64{{0, 1, 0, 1}, {0, 0, 1, 0}}, "row 0 needs 3 columns"},
		{"negative", [][]float64{{0, 1, 0, 1}, {0, 0, 1, -1}, {2, 0, 0, 0}}, "[1][3] must be finite and non-negative"},
		{"NaN", [][]float64{{0, 1, math.NaN(), 1}, {0, 0, 1, 0}, {2, 0, 0, 0}}, "[0][2] must be finite"},
		{"Inf", [][]float64{{0, 1, 0, 1}, {0, 0, 1, 0}, {math.Inf(1), 0, 0, 0}}, "[2][0] must be finite"},
		{"overflow", [][]float64{{0, 1, 0, 1}, {0, 0, 1, 0}, {math.MaxFloat64, math.MaxFloat64, 0, 0}}, "row 2 overflow"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if _, err := RemovalEffects(tc.trans); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("RemovalEffects error = %v, want one containing %q", err, tc.want)
			}
			if _, err := MarkovCredit(tc.trans, 1); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("MarkovCredit error = %v, want one containing %q", err, tc.want)
			}
		})
	}
	for _, r := range []float64{-1, math.NaN(), math.Inf(1)} {
		if _, err := MarkovCredit(fourPaths, r); err == nil || !strings.Contains(err.Error(), "revenue") {
			t.Errorf("MarkovCredit(revenue %v) error = %v, want a revenue error", r, err)
		}
	}
}

// randomTransitions returns a sparse random count matrix for c channels.
func randomTransitions(rng *rand.Rand, c int) [][]float64 {
	trans := make([][]float64, c+1)
	for r := range trans {
		trans[r] = make([]float64, c+2)
		for j := range trans[r] {
			if rng.IntN(3) == 0 {
				trans[r][j] = float64(rng.IntN(10))
			}
		}
	}
	return trans
}

// valueIteration computes P(conv) with channel removed redirected to null
// by iterating x ← Q·x + b, independently of the linear solve.
func valueIteration(trans [][]float64, removed int) float64 {
	c := len(trans) - 1
	p := make([][]float64, c+1)
	for r := range trans {
		p[r] = make([]float64, c+2)
		var tot float64
		for _, v := range trans[r] {
			tot += v
		}
		if tot == 0 || r == removed {
			continue
		}
		for j, v := range trans[r] {
			p[r][j] = v / tot // keeps self-loops: they must not matter
		}
	}
	x := make([]float64, c)
	next := make([]float64, c)
	for range 20000 {
		for r := range c {
			s := p[r][c]
			for j := range c {
				s += p[r][j] * x[j]
			}
			next[r] = s
		}
		x, next = next, x
	}
	prob := p[c][c]
	for j := range c {
		prob += p[c][j] * x[j]
	}
	return prob
}

// Removal effects agree with an independent value iteration, and the
// Markov credits always add up to the revenue when some effect is positive.
func TestMarkovProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	positive := 0
	for n := range 300 {
		c := 1 + rng.IntN(7)
		trans := randomTransitions(rng, c)
		revenue := math.Round(rng.Float64()*1e5) / 100
		effects, err := RemovalEffects(trans)
		if err != nil {
			t.Fatalf("case %d: %v (trans %v)", n, err, trans)
		}
		base := valueIteration(trans, -1)
		var sum float64
		for i, e := range effects {
			if e < 0 || e > 1 {
				t.Fatalf("case %d: effect[%d] = %v outside [0,1]", n, i, e)
			}
			want := 0.0
			if base > 0 {
				want = 1 - valueIteration(trans, i)/base
			}
			if math.Abs(e-want) > 1e-9 {
				t.Fatalf("case %d: effect[%d] = %.15g, value iteration %.15g (trans %v)", n, i, e, want, trans)
			}
			sum += e
		}
		credits, err := MarkovCredit(trans, revenue)
		if err != nil {
			t.Fatal(err)
		}
		var total float64
		for _, cr := range credits {
			total += cr
		}
		if sum > 0 {
			positive++
			if !near(total, revenue, 1e-12) {
				t.Fatalf("case %d: Σ credit = %.17g, revenue %.17g", n, total, revenue)
			}
		} else if total != 0 {
			t.Fatalf("case %d: all effects zero but Σ credit = %v", n, total)
		}
	}
	if positive < 100 {
		t.Errorf("only %d of 300 random cases had a positive effect; the generator is too weak", positive)
	}
}

func BenchmarkMarkov8(b *testing.B) {
	rng := rand.New(rand.NewPCG(3, 4))
	trans := make([][]float64, 9)
	for r := range trans {
		trans[r] = make([]float64, 10)
		for j := range trans[r] {
			trans[r][j] = float64(1 + rng.IntN(1000))
		}
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := MarkovCredit(trans, 1e6); err != nil {
			b.Fatal(err)
		}
	}
}
