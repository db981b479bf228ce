package sweep

import (
	"bytes"
	"math"
	"math/rand/v2"
	"strings"
	"testing"
)

// crnSeed gives replication r of every point the same seed.
func crnSeed(_, rep int) uint64 { return uint64(500 + rep) }

// Under common random numbers the seed can dominate the raw variance; the
// analysis takes runs within their seed and finds the parameter's effect.
// loyalty = seed effect (sd about 20) + 0.2·x + noise (sd 0.3); z does nothing.
// Pooled, x explains about 1% of the variance; within seeds, about 90%.
func TestAnalyzeSeedBlocks(t *testing.T) {
	m := &Manifest{Experiment: "seeded", Seed: "9", Points: 20, Replications: 6, Strategies: []string{"a"},
		Params:   []ParamInfo{{Path: "x", Numeric: true}, {Path: "z", Numeric: true}},
		Outcomes: []Outcome{{Key: "loyalty", Better: 1}}}
	rng := rand.New(rand.NewPCG(3, 4))
	seedEffect := []float64{-25, 10, 30, -5, 15, -20}
	zs := make([]float64, m.Points)
	for p := range zs {
		zs[p] = float64(rng.IntN(5))
	}
	dir := syntheticSeeded(t, m, m.Points*m.Replications, crnSeed, func(p, rep, s int) ([]string, []float64) {
		x := float64(p)
		return []string{num(x), num(zs[p])}, []float64{seedEffect[rep] + 0.2*x + 0.3*rng.NormFloat64()}
	})
	a, err := Analyze(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := sensitivityOf(t, a, "loyalty", "a")
	x, z := predictorOf(t, s, "x"), predictorOf(t, s, "z")
	if !s.Blocked || s.SeedShare < 0.9 {
		t.Errorf("blocked %v, seed share %g: the seed explains most of the raw variance", s.Blocked, s.SeedShare)
	}
	if x.Share < 0.8 || x.Rank != 1 || x.P > 1e-6 {
		t.Errorf("x: share %g, rank %d, p %g; want most of the within-seed variance, ranked first", x.Share, x.Rank, x.P)
	}
	if z.Share > 0.05 || z.P < 0.01 {
		t.Errorf("z: share %g, p %g; z does nothing", z.Share, z.P)
	}
	// Without blocks (the old, pooled analysis) x would explain little:
	// the test's premise.
	ys, xs := []float64{}, [][]float64{{}}
	for p := range m.Points {
		for r := range m.Replications {
			ys = append(ys, a.Points[p].Outcomes[0].Values[r])
			xs[0] = append(xs[0], float64(p))
		}
	}
	if _, r2, _ := regress(xs, ys, []string{"x"}); r2 > 0.1 {
		t.Errorf("pooled R² %g: the seed should swamp x in a pooled fit", r2)
	}
	var text bytes.Buffer
	if err := a.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"compared within their seed", "the seeds account for >99%", "rises"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
}

// A response that rises and falls: the cap's linear coefficient is near
// zero, but its quadratic term gives it the largest share, and the grid's
// paired differences find the peak inside.
func TestAnalyzeNonMonotone(t *testing.T) {
	m := &Manifest{Experiment: "hump", Seed: "1", Points: 14, Replications: 3, Strategies: []string{"a"},
		Params:   []ParamInfo{{Path: "cap", Numeric: true, Integer: true}, {Path: "discount", Numeric: true}},
		Outcomes: []Outcome{{Key: "revenue", Better: 1}}}
	rng := rand.New(rand.NewPCG(5, 6))
	seedEffect := []float64{-2000, 500, 1500}
	dir := syntheticSeeded(t, m, m.Points*m.Replications, crnSeed, func(p, rep, s int) ([]string, []float64) {
		cap, discount := float64(1+p/2), 0.05*float64(p%2)
		rev := 52000 + 6500*(1-math.Abs(cap-4)/3) - 20000*discount + seedEffect[rep] + 200*rng.NormFloat64()
		return []string{num(cap), num(discount)}, []float64{rev}
	})
	a, err := Analyze(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := sensitivityOf(t, a, "revenue", "a")
	c := predictorOf(t, s, "cap")
	if c.Rank != 1 || math.Abs(c.SRC) > 0.2 {
		t.Errorf("cap: rank %d, SRC %g; want first by share though its linear coefficient is near 0", c.Rank, c.SRC)
	}
	var me *MainEffect
	for i := range a.MainEffects {
		if a.MainEffects[i].Param == 0 {
			me = &a.MainEffects[i]
		}
	}
	if me == nil || me.Finding.Shape != BestInside || me.Finding.Best != 4 || !me.Finding.NonMonotone || me.Finding.Method != "paired" {
		t.Fatalf("cap's main effect: %+v", me)
	}
	if len(me.Steps) != 6 || !significant(me.Steps[0]) || me.Steps[0].Mean <= 0 || !significant(me.Steps[5]) || me.Steps[5].Mean >= 0 {
		t.Errorf("steps %+v: want a significant rise first and fall last", me.Steps)
	}
	ths, _ := a.Thresholds("EUR")
	if !strings.Contains(strings.Join(ths[0].Outcomes[0].Sentences, " "), "a: revenue peaks at cap = 4 (") {
		t.Errorf("thresholds: %q", ths[0].Outcomes[0].Sentences)
	}
}

// The false optimum: a Latin-hypercube-like design where the cap does
// nothing, but the points at a cap of 8 happen to have the lowest
// discounts, which is all that moves profit. Their means peak at 8; the
// analysis must not say so.
func TestAnalyzeNoFalseOptimum(t *testing.T) {
	const points = 48
	m := &Manifest{Experiment: "confounded", Seed: "2", Points: points, Replications: 3, Strategies: []string{"omni", "base"},
		Design:   &DesignInfo{Kind: "lhs", Points: points},
		Params:   []ParamInfo{{Path: "cap", Numeric: true, Integer: true}, {Path: "discount", Numeric: true}},
		Outcomes: []Outcome{{Key: "profit", Better: 1}}}
	rng := rand.New(rand.NewPCG(8, 9))
	caps, discounts := make([]float64, points), make([]float64, points)
	for p := range points {
		caps[p] = float64(1 + p%10)
		discounts[p] = 0.05 + 0.25*rng.Float64()
		if caps[p] == 8 {
			discounts[p] = 0.02 * rng.Float64()
		}
	}
	seedEffect := []float64{-3000, 0, 2500}
	dir := syntheticSeeded(t, m, m.Points*m.Replications, crnSeed, func(p, rep, s int) ([]string, []float64) {
		profit := 30000 + seedEffect[rep] + 300*rng.NormFloat64()
		if s == 0 {
			profit += 10000 - 40000*discounts[p]
		}
		return []string{num(caps[p]), num(discounts[p])}, []float64{profit}
	})
	a, err := Analyze(dir)
	if err != nil {
		t.Fatal(err)
	}
	// The means along the cap do peak at 8: the trap is set.
	var capEffect *MainEffect
	for i := range a.MainEffects {
		if me := &a.MainEffects[i]; me.Param == 0 && me.Strategy == "omni" {
			capEffect = me
		}
	}
	best := 0
	for i, e := range capEffect.Level {
		if e.Mean > capEffect.Level[best].Mean {
			best = i
		}
	}
	if capEffect.X[best] != 8 {
		t.Fatalf("the design does not set the trap: means peak at %g", capEffect.X[best])
	}
	if f := capEffect.Finding; f.Method != "fitted" || f.Shape == BestInside || f.NonMonotone {
		t.Errorf("cap's finding %+v: a peak the design does not support", f)
	}
	ths, _ := a.Thresholds("EUR")
	for _, pt := range ths {
		for _, o := range pt.Outcomes {
			for _, s := range o.Sentences {
				if pt.Param == "cap" && (strings.Contains(s, "peaks") || strings.Contains(s, "is highest at")) {
					t.Errorf("a claim along the cap: %q", s)
				}
			}
		}
	}
	s := sensitivityOf(t, a, "profit", "omni")
	if c, d := predictorOf(t, s, "cap"), predictorOf(t, s, "discount"); d.Rank != 1 || c.Share > 0.05 {
		t.Errorf("cap share %g, discount rank %d: the discount is what moves profit", c.Share, d.Rank)
	}
}
