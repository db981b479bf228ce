package sim

import (
	"math"
	"testing"
)

func TestDistValidate(t *testing.T) {
	nan := math.NaN()
	d := func(k DistKind, p ...float64) Dist { return Dist{Kind: k, Params: p, Min: nan, Max: nan} }
	clip := func(x Dist, lo, hi float64) Dist { x.Min, x.Max = lo, hi; return x }
	cat := func(levels []string, w ...float64) Dist {
		return Dist{Kind: Categorical, Levels: levels, Weights: w, Min: nan, Max: nan}
	}
	good := map[string]Dist{
		"constant":           ConstantDist(3),
		"uniform":            d(Uniform, 0, 1),
		"uniform point":      d(Uniform, 2, 2),
		"normal":             d(Normal, 35, 10),
		"normal sd 0":        d(Normal, 1, 0),
		"beta":               d(Beta, 2, 5),
		"lognormal":          d(LogNormal, 3.5, 0.6),
		"lognormal sigma 0":  d(LogNormal, 1, 0),
		"clipped":            clip(d(Normal, 0, 1), -1, 1),
		"min only":           clip(d(Normal, 0, 1), 0, nan),
		"categorical":        cat([]string{"a", "b", "c"}, 0.2, 0.3, 0.5),
		"categorical single": cat([]string{"a"}, 1),
	}
	for name, x := range good {
		if err := x.Validate(); err != nil {
			t.Errorf("%s: %v", name, err)
		}
	}
	bad := map[string]Dist{
		"constant no params":        d(Constant),
		"uniform one param":         d(Uniform, 1),
		"uniform reversed":          d(Uniform, 2, 1),
		"normal negative sd":        d(Normal, 0, -1),
		"normal NaN":                d(Normal, nan, 1),
		"normal Inf":                d(Normal, 0, math.Inf(1)),
		"beta zero":                 d(Beta, 0, 1),
		"beta negative":             d(Beta, 2, -3),
		"lognormal negative":        d(LogNormal, 0, -0.1),
		"lognormal too large":       d(LogNormal, 800, 0.5),
		"lognormal tail too large":  d(LogNormal, 700, 2),
		"three params":              d(Normal, 0, 1, 2),
		"unknown kind":              d(DistKind(42), 1),
		"min above max":             clip(d(Uniform, 0, 1), 2, 1),
		"constant min above max":    clip(ConstantDist(1), 2, 1),
		"categorical no levels":     cat(nil),
		"categorical short weights": cat([]string{"a", "b"}, 1),
		"categorical sum 0.9":       cat([]string{"a", "b"}, 0.4, 0.5),
		"categorical negative":      cat([]string{"a", "b"}, -0.5, 1.5),
		"categorical NaN":           cat([]string{"a", "b"}, nan, 1),
	}
	for name, x := range bad {
		if err := x.Validate(); err == nil {
			t.Errorf("%s: accepted %+v", name, x)
		}
	}
}

// Quantile stays within the clip bounds and is monotone in u.
func TestDistQuantileWithinClip(t *testing.T) {
	nan := math.NaN()
	cases := []Dist{
		{Kind: Normal, Params: []float64{0, 1}, Min: -1, Max: 1},
		{Kind: Normal, Params: []float64{35, 10}, Min: 18, Max: nan},
		{Kind: LogNormal, Params: []float64{3.5, 0.6}, Min: nan, Max: 400},
		{Kind: Uniform, Params: []float64{0, 10}, Min: 2, Max: 8},
		{Kind: Beta, Params: []float64{0.5, 0.5}, Min: 0.1, Max: 0.9},
		{Kind: Beta, Params: []float64{2, 5}, Min: nan, Max: nan},
		{Kind: Normal, Params: []float64{5, 0}, Min: 0, Max: 1},
		{Kind: LogNormal, Params: []float64{2, 0}, Min: 0, Max: 1},
		{Kind: Constant, Params: []float64{5}, Min: 0, Max: 1},
	}
	us := []float64{math.SmallestNonzeroFloat64, 1e-300, 1e-12, 0.001, 0.1, 0.5, 0.9, 0.999, 1 - 1e-12, math.Nextafter(1, 0)}
	for _, d := range cases {
		if err := d.Validate(); err != nil {
			t.Fatalf("%+v: %v", d, err)
		}
		lo, hi := d.Min, d.Max
		if math.IsNaN(lo) {
			lo = math.Inf(-1)
		}
		if math.IsNaN(hi) {
			hi = math.Inf(1)
		}
		prev := math.Inf(-1)
		for _, u := range us {
			x := d.Quantile(u)
			if math.IsNaN(x) || !(x >= lo && x <= hi) {
				t.Errorf("%s %v [%g, %g]: Quantile(%g) = %g", d.Kind, d.Params, d.Min, d.Max, u, x)
			}
			if x < prev {
				t.Errorf("%s %v: Quantile not monotone at u = %g", d.Kind, d.Params, u)
			}
			prev = x
		}
	}
}

// A categorical distribution returns level indices in the proportions of
// its weights.
func TestCategoricalWeights(t *testing.T) {
	d := Dist{Kind: Categorical, Levels: []string{"a", "b", "c", "d"}, Weights: []float64{0.1, 0.0, 0.6, 0.3}, Min: math.NaN(), Max: math.NaN()}
	const n = 100000
	var counts [4]int
	for k := range n {
		i := d.Quantile((float64(k) + 0.5) / n)
		if i != math.Trunc(i) || i < 0 || i > 3 {
			t.Fatalf("Quantile returned %g, not a level index", i)
		}
		counts[int(i)]++
	}
	for i, w := range d.Weights {
		if got := float64(counts[i]) / n; math.Abs(got-w) > 1e-4 {
			t.Errorf("level %s: share %g, weight %g", d.Levels[i], got, w)
		}
	}
	if got := d.Quantile(math.Nextafter(1, 0)); got != 3 {
		t.Errorf("Quantile(1-ε) = %g, want the last level", got)
	}
	// Weights that fall short of 1 by rounding still give the last level.
	d.Weights = []float64{0.1, 0.2, 0.3, 0.4 - 1e-12}
	if got := d.Quantile(1 - 1e-13); got != 3 {
		t.Errorf("Quantile(1-1e-13) with weights short by rounding = %g, want 3", got)
	}
}

// Sampled customers follow the persona's distributions: keyed draws, the
// same for the same key.
func TestSampleUsesDistributions(t *testing.T) {
	m := testModel(t)
	s := newState(m, 2000)
	s.sample(m, 77, 0, 2000)
	var young int
	for i := range 2000 {
		if s.persona[i] == 0 {
			young++
		}
		if x := s.attr[0][i]; s.persona[i] == 1 && !(x >= 0 && x <= 2) {
			t.Fatalf("customer %d of persona old: income %g outside uniform [0, 2]", i, x)
		}
		if lvl := s.attr[1][i]; lvl != math.Trunc(lvl) || lvl < 0 || lvl > 2 {
			t.Fatalf("customer %d: tier %g is not a level index", i, lvl)
		}
		if tol := s.tolerance[i]; !(tol >= 1 && tol <= 4) {
			t.Fatalf("customer %d: tolerance %g outside uniform [1, 4]", i, tol)
		}
		if a := s.affinity[2][i]; a != 0.4 {
			t.Fatalf("customer %d: affinity %g, want the constant 0.4", i, a)
		}
		if s.consent[i]&(1<<2) == 0 {
			t.Fatalf("customer %d: no consent to web, whose consent is 1", i)
		}
	}
	if young < 900 || young > 1100 {
		t.Errorf("%d of 2000 young, share 0.5", young)
	}
	// The same customer in another chunk layout is the same customer.
	s2 := newState(m, 10)
	s2.sample(m, 77, 1500, 10)
	for i := range 10 {
		if s2.attr[0][i] != s.attr[0][1500+i] || s2.persona[i] != s.persona[1500+i] || s2.consent[i] != s.consent[1500+i] {
			t.Fatalf("customer %d differs when sampled in another chunk", 1500+i)
		}
	}
}

func TestDistRange(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		d      Dist
		lo, hi float64
	}{
		{ConstantDist(2), 2, 2},
		{Dist{Kind: Uniform, Params: []float64{0, 0}, Min: nan, Max: nan}, 0, 0},
		{Dist{Kind: Uniform, Params: []float64{1, 3}, Min: 2, Max: nan}, 2, 3},
		{Dist{Kind: Beta, Params: []float64{2, 2}, Min: nan, Max: 0.5}, 0, 0.5},
		{Dist{Kind: LogNormal, Params: []float64{0, 1}, Min: nan, Max: nan}, 0, math.Inf(1)},
		{Dist{Kind: Normal, Params: []float64{0, 1}, Min: -1, Max: 1}, -1, 1},
		{Dist{Kind: Normal, Params: []float64{0, 1}, Min: 5, Max: nan}, 5, math.Inf(1)},
		{Dist{Kind: Uniform, Params: []float64{0, 1}, Min: nan, Max: -1}, -1, -1},
	}
	for _, tt := range tests {
		if lo, hi := tt.d.Range(); lo != tt.lo || hi != tt.hi {
			t.Errorf("%v %v clipped to [%g, %g]: Range = [%g, %g], want [%g, %g]", tt.d.Kind, tt.d.Params, tt.d.Min, tt.d.Max, lo, hi, tt.lo, tt.hi)
		}
	}
}
