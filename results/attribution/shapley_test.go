package attribution

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestShapley(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sets     map[uint32]PathSet
		channels int
		want     []float64
	}{
		{
			// Channels A = bit 0, B = bit 1.
			//	v(∅)  = 0/10 = 0
			//	v(A)  = (0+100)/(10+10) = 5
			//	v(B)  = (0+100)/(10+20) = 10/3
			//	v(AB) = (0+100+100+200)/(10+10+20+10) = 400/50 = 8
			//	φ_A = ½·(v(A)−v(∅)) + ½·(v(AB)−v(B)) = ½·5 + ½·14/3 = 29/6
			//	φ_B = ½·(v(B)−v(∅)) + ½·(v(AB)−v(A)) = ½·10/3 + ½·3 = 19/6
			//	(φ_A + φ_B = 8 = v(AB) − v(∅).) Total paths 50:
			//	credit_A = 50·29/6 = 725/3, credit_B = 50·19/6 = 475/3;
			//	Σ = 400 = total revenue.
			"two channels",
			map[uint32]PathSet{
				0b00: {10, 0},
				0b01: {10, 100},
				0b10: {20, 100},
				0b11: {10, 200},
			},
			2,
			[]float64{725.0 / 3, 475.0 / 3},
		},
		{
			// Channels A = bit 0, B = bit 1, C = bit 2; C only occurs with
			// A and B. Subset sums (paths, revenue) and v:
			//	∅: (4, 0) → 0        A: (6, 20) → 10/3   B: (6, 0) → 0
			//	AB: (10, 60) → 6     C: (4, 0) → 0       AC: (6, 20) → 10/3
			//	BC: (6, 0) → 0       ABC: (12, 120) → 10
			// Weights for n = 3: |S| = 0 → ⅓, 1 → ⅙, 2 → ⅓.
			//	φ_A = ⅓·10/3 + ⅙·(6−0) + ⅙·(10/3−0) + ⅓·(10−0)
			//	    = 10/9 + 9/9 + 5/9 + 30/9 = 6
			//	φ_B = ⅓·0 + ⅙·(6−10/3) + ⅙·0 + ⅓·(10−10/3)
			//	    = 4/9 + 20/9 = 8/3
			//	φ_C = ⅓·0 + ⅙·(10/3−10/3) + ⅙·(0−0) + ⅓·(10−6) = 4/3
			// Σ φ = 10 = v(ABC) − v(∅). Total paths 12: credits 72, 32, 16
			// (Σ = 120 = total revenue).
			"three channels",
			map[uint32]PathSet{
				0b000: {4, 0},
				0b001: {2, 20},
				0b010: {2, 0},
				0b011: {2, 40},
				0b111: {2, 60},
			},
			3,
			[]float64{72, 32, 16},
		},
		{
			// Untouched paths that convert: v(∅) = 30/3 = 10,
			// v(A) = (30+30)/(3+1) = 15, φ_A = 5, total paths 4: credit 20
			// = 4·(15 − 10), not the total revenue 60.
			"converting untouched paths",
			map[uint32]PathSet{0: {3, 30}, 1: {1, 30}},
			1,
			[]float64{20},
		},
		{
			// A dummy channel (bit 2) on no path: 0, and the others as in
			// "two channels".
			"dummy channel",
			map[uint32]PathSet{
				0b000: {10, 0},
				0b001: {10, 100},
				0b010: {20, 100},
				0b011: {10, 200},
				0b100: {0, 0}, // present but empty
			},
			3,
			[]float64{725.0 / 3, 475.0 / 3, 0},
		},
		{"no paths", map[uint32]PathSet{}, 3, []float64{0, 0, 0}},
		{"nil map", nil, 2, []float64{0, 0}},
		{"no channels", map[uint32]PathSet{0: {5, 10}}, 0, []float64{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Shapley(tc.sets, tc.channels)
			if err != nil {
				t.Fatal(err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d credits, want %d", len(got), len(tc.want))
			}
			for i := range tc.want {
				if !near(got[i], tc.want[i], 1e-12) {
					t.Errorf("credit[%d] = %.17g, want %.17g", i, got[i], tc.want[i])
				}
			}
		})
	}
}

func TestShapleyDummyExact(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	for range 50 {
		n := 2 + rng.IntN(8)
		dummy := rng.IntN(n)
		sets := randomSets(rng, n, 40)
		for m := range sets {
			if m&(1<<dummy) != 0 {
				delete(sets, m)
			}
		}
		got, err := Shapley(sets, n)
		if err != nil {
			t.Fatal(err)
		}
		if got[dummy] != 0 {
			t.Fatalf("dummy channel %d of %d got credit %v", dummy, n, got[dummy])
		}
	}
}

// swapBits exchanges bits i and j of m.
func swapBits(m uint32, i, j int) uint32 {
	bi, bj := m>>i&1, m>>j&1
	m &^= 1<<i | 1<<j
	return m | bi<<j | bj<<i
}

// Two channels whose statistics are mirror images (the data are invariant
// under exchanging them) get the same credit.
func TestShapleySymmetry(t *testing.T) {
	rng := rand.New(rand.NewPCG(9, 10))
	for range 50 {
		n := 2 + rng.IntN(7)
		i, j := rng.IntN(n), rng.IntN(n-1)
		if j >= i {
			j++
		}
		sets := map[uint32]PathSet{}
		for m, s := range randomSets(rng, n, 30) {
			// Symmetrise: put s on both m and its mirror image.
			for _, k := range []uint32{m, swapBits(m, i, j)} {
				old := sets[k]
				sets[k] = PathSet{old.Paths + s.Paths, old.Revenue + s.Revenue}
			}
		}
		got, err := Shapley(sets, n)
		if err != nil {
			t.Fatal(err)
		}
		if !near(got[i], got[j], 1e-12) {
			t.Fatalf("channels %d and %d have identical statistics but credits %.17g and %.17g", i, j, got[i], got[j])
		}
	}
}

func TestShapleyErrors(t *testing.T) {
	for _, tc := range []struct {
		name     string
		sets     map[uint32]PathSet
		channels int
		want     string
	}{
		{"too many channels", nil, 21, "Shapley over 21 channels needs 2^21 coalitions; at most 20 channels are supported"},
		{"negative channels", nil, -1, "non-negative number of channels"},
		{"mask out of range", map[uint32]PathSet{0b001: {1, 0}, 0b100: {1, 0}}, 2, "bit at or above channel 2"},
		{"high mask", map[uint32]PathSet{1 << 31: {1, 0}}, 20, "bit at or above channel 31"},
		{"mask with no channels", map[uint32]PathSet{1: {1, 0}}, 0, "bit at or above channel 0"},
		{"negative paths", map[uint32]PathSet{1: {-1, 0}}, 2, "number of paths must be finite and non-negative"},
		{"NaN paths", map[uint32]PathSet{1: {math.NaN(), 0}}, 2, "number of paths must be finite"},
		{"Inf paths", map[uint32]PathSet{1: {math.Inf(1), 0}}, 2, "number of paths must be finite"},
		{"negative revenue", map[uint32]PathSet{1: {1, -5}}, 2, "revenue must be finite and non-negative"},
		{"NaN revenue", map[uint32]PathSet{1: {1, math.NaN()}}, 2, "revenue must be finite"},
		{"revenue without paths", map[uint32]PathSet{2: {0, 5}}, 2, "has revenue 5 but no paths"},
		{"overflow", map[uint32]PathSet{1: {math.MaxFloat64, 0}, 2: {math.MaxFloat64, 0}}, 2, "overflows"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got, err := Shapley(tc.sets, tc.channels)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("Shapley error = %v, want one containing %q", err, tc.want)
			}
			if got != nil {
				t.Errorf("Shapley returned %v with the error", got)
			}
		})
	}
	// The largest supported size works.
	if got, err := Shapley(map[uint32]PathSet{1<<20 - 1: {2, 10}, 0: {2, 0}}, 20); err != nil || len(got) != 20 {
		t.Errorf("Shapley over 20 channels = %d credits, %v", len(got), err)
	}
}

// randomSets returns up to k random channel sets over n channels, some of
// them without revenue.
func randomSets(rng *rand.Rand, n, k int) map[uint32]PathSet {
	sets := map[uint32]PathSet{}
	for range k {
		m := uint32(rng.IntN(1 << n))
		paths := float64(1 + rng.IntN(100))
		var revenue float64
		if rng.IntN(4) != 0 {
			revenue = paths * rng.Float64() * 50
		}
		sets[m] = PathSet{paths, revenue}
	}
	return sets
}

// bruteShapley evaluates the textbook definition directly: v(S) by scanning
// all sets, weights by factorials.
func bruteShapley(sets map[uint32]PathSet, n int) []float64 {
	v := func(s uint32) float64 {
		var p, r float64
		for m, ps := range sets {
			if m&^s == 0 {
				p += ps.Paths
				r += ps.Revenue
			}
		}
		if p == 0 {
			return 0
		}
		return r / p
	}
	fact := func(k int) float64 {
		f := 1.0
		for i := 2; i <= k; i++ {
			f *= float64(i)
		}
		return f
	}
	var total float64
	for _, ps := range sets {
		total += ps.Paths
	}
	credits := make([]float64, n)
	for i := range n {
		for s := uint32(0); s < 1<<n; s++ {
			if s&(1<<i) != 0 {
				continue
			}
			k := bits.OnesCount32(s)
			credits[i] += fact(k) * fact(n-k-1) / fact(n) * (v(s|1<<i) - v(s))
		}
		credits[i] *= total
	}
	return credits
}

// Over random inputs, Shapley agrees with the brute-force definition, is
// efficient (Σ credit = total paths · (v(N) − v(∅))), and, when untouched
// paths never convert, hands out exactly the total revenue.
func TestShapleyProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(12, 34))
	for n := range 300 {
		channels := 1 + rng.IntN(10)
		sets := randomSets(rng, channels, 1+rng.IntN(60))
		got, err := Shapley(sets, channels)
		if err != nil {
			t.Fatal(err)
		}
		var paths, revenue, sum float64
		for _, s := range sets {
			paths += s.Paths
			revenue += s.Revenue
		}
		for _, c := range got {
			sum += c
		}
		vEmpty := 0.0
		if s := sets[0]; s.Paths > 0 {
			vEmpty = s.Revenue / s.Paths
		}
		want := paths * (revenue/paths - vEmpty)
		if !near(sum, want, 1e-11) {
			t.Fatalf("case %d: Σ credit = %.17g, want %.17g", n, sum, want)
		}
		if sets[0].Revenue == 0 && !near(sum, revenue, 1e-11) {
			t.Fatalf("case %d: Σ credit = %.17g, total revenue %.17g", n, sum, revenue)
		}
		if channels <= 7 {
			brute := bruteShapley(sets, channels)
			for i := range got {
				if !near(got[i], brute[i], 1e-11) {
					t.Fatalf("case %d: credit[%d] = %.17g, brute force %.17g", n, i, got[i], brute[i])
				}
			}
		}
	}
}

// The result does not depend on the map's iteration order.
func TestShapleyDeterministic(t *testing.T) {
	sets := randomSets(rand.New(rand.NewPCG(1, 1)), 12, 300)
	first, err := Shapley(sets, 12)
	if err != nil {
		t.Fatal(err)
	}
	for range 20 {
		copied := make(map[uint32]PathSet, len(sets))
		for m, s := range sets {
			copied[m] = s
		}
		got, err := Shapley(copied, 12)
		if err != nil {
			t.Fatal(err)
		}
		for i := range got {
			if got[i] != first[i] {
				t.Fatalf("credit[%d] = %v, first run %v", i, got[i], first[i])
			}
		}
	}
}

func BenchmarkShapley12(b *testing.B) {
	sets := randomSets(rand.New(rand.NewPCG(2, 3)), 12, 300)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Shapley(sets, 12); err != nil {
			b.Fatal(err)
		}
	}
}
