package qmc

import (
	"math"
	"slices"
	"strings"
	"testing"
)

// points returns the first n points of s.
func points(s *Sobol, n int) [][]float64 {
	out := make([][]float64, n)
	for i := range out {
		out[i] = make([]float64, s.Dim())
		s.Next(out[i])
	}
	return out
}

// The unscrambled sequence starts with the standard Sobol' points. The
// expected values are worked out by hand from the direction numbers:
//
//   - dimension 1 has v_i = 2^-i: v = 1/2, 1/4, 1/8, …;
//   - dimension 2 (Joe–Kuo's line "2 1 0 1": s = 1, a = 0, m_1 = 1) has
//     v_1 = 1/2 and v_i = v_{i−1} ⊕ v_{i−1}/2, so in binary
//     v = .1, .11, .101;
//   - dimension 3 (line "3 2 1 1 3": s = 2, a = 1, m = 1, 3) has
//     v_1 = .1, v_2 = .11 and v_3 = v_1 ⊕ v_1/4 ⊕ v_2 = .1 ⊕ .001 ⊕ .11 = .011.
//
// In Gray-code order point i is point i−1 ⊕ v_c, c the position (from 1)
// of the lowest zero bit of i−1: c = 1, 2, 1, 3, 1, 2, 1 for i = 1 … 7.
// Dimension 2: 0, .1, .1⊕.11 = .01, .11, .11⊕.101 = .011, .111, .111⊕.11 =
// .001, .101 — that is 0, 1/2, 1/4, 3/4, 3/8, 7/8, 1/8, 5/8.
func TestSobolFirstPoints(t *testing.T) {
	want := [][]float64{
		{0, 0, 0},
		{0.5, 0.5, 0.5},
		{0.75, 0.25, 0.25},
		{0.25, 0.75, 0.75},
		{0.375, 0.375, 0.625},
		{0.875, 0.875, 0.125},
		{0.625, 0.125, 0.875},
		{0.125, 0.625, 0.375},
	}
	s, err := NewSobol(3, 1, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range points(s, len(want)) {
		if !slices.Equal(p, want[i]) {
			t.Errorf("point %d = %v; want %v", i, p, want[i])
		}
	}
}

// Points far into the sequence and in high dimensions agree with Joe and
// Kuo's 32-bit algorithm (their sobol.cc), implemented separately and run
// on the original file new-joe-kuo-6.21201; the first 2^32 points do not
// depend on the number of binary digits.
func TestSobolReference(t *testing.T) {
	want := map[int][3]float64{ // point: dimensions 10, 50, 201
		100:  {0.6953125, 0.6640625, 0.8515625},
		1023: {0.8505859375, 0.8232421875, 0.6591796875},
	}
	s, err := NewSobol(MaxDim, 0, false)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range points(s, 1024) {
		w, ok := want[i]
		if !ok {
			continue
		}
		if got := [3]float64{p[9], p[49], p[200]}; got != w {
			t.Errorf("point %d, dimensions 10, 50, 201 = %v; want %v", i, got, w)
		}
	}
}

// The seed does not matter to the unscrambled sequence.
func TestSobolUnscrambledIgnoresSeed(t *testing.T) {
	a, _ := NewSobol(5, 1, false)
	b, _ := NewSobol(5, 2, false)
	pa, pb := points(a, 64), points(b, 64)
	for i := range pa {
		if !slices.Equal(pa[i], pb[i]) {
			t.Fatalf("point %d differs between seeds: %v, %v", i, pa[i], pb[i])
		}
	}
}

// Any 2^k first points, scrambled or not, have exactly one point in each
// interval [i/2^k, (i+1)/2^k) of every dimension.
func TestSobolStratified(t *testing.T) {
	for _, scramble := range []bool{false, true} {
		s, err := NewSobol(MaxDim, 42, scramble)
		if err != nil {
			t.Fatal(err)
		}
		pts := points(s, 1024)
		for _, n := range []int{2, 4, 16, 128, 1024} {
			for k := range MaxDim {
				seen := make([]bool, n)
				for _, p := range pts[:n] {
					cell := int(math.Floor(p[k] * float64(n)))
					if cell < 0 || cell >= n || seen[cell] {
						t.Fatalf("scramble %v, n = %d, dimension %d: cell %d of %v taken twice or out of range", scramble, n, k+1, cell, p[k])
					}
					seen[cell] = true
				}
			}
		}
	}
}

// Scrambled coordinates are never exactly 0 or 1.
func TestSobolScrambledInside(t *testing.T) {
	s, err := NewSobol(20, 7, true)
	if err != nil {
		t.Fatal(err)
	}
	for i, p := range points(s, 4096) {
		for k, x := range p {
			if x <= 0 || x >= 1 {
				t.Fatalf("point %d, dimension %d = %v; want strictly inside (0, 1)", i, k+1, x)
			}
		}
	}
}

// The same seed gives the same points; another seed other points; and the
// first dimensions do not depend on how many the sequence has.
func TestSobolSeeds(t *testing.T) {
	a, _ := NewSobol(6, 99, true)
	b, _ := NewSobol(6, 99, true)
	c, _ := NewSobol(6, 100, true)
	short, _ := NewSobol(2, 99, true)
	pa, pb, pc, ps := points(a, 256), points(b, 256), points(c, 256), points(short, 256)
	differ := 0
	for i := range pa {
		if !slices.Equal(pa[i], pb[i]) {
			t.Fatalf("point %d: same seed gave %v and %v", i, pa[i], pb[i])
		}
		if !slices.Equal(pa[i][:2], ps[i]) {
			t.Fatalf("point %d: first two dimensions %v; of a 2-dimensional sequence %v", i, pa[i][:2], ps[i])
		}
		for k := range pa[i] {
			if pa[i][k] != pc[i][k] {
				differ++
			}
		}
	}
	if differ < len(pa)*6*9/10 {
		t.Errorf("seeds 99 and 100 share %d of %d coordinates", len(pa)*6-differ, len(pa)*6)
	}
}

// A scrambled sequence of a fixed seed gives the same numbers on every
// machine and in every version: its first points are pinned here.
func TestSobolScrambledPinned(t *testing.T) {
	s, err := NewSobol(2, 1, true)
	if err != nil {
		t.Fatal(err)
	}
	want := [][]float64{
		{0.21934402142157816, 0.7002219509113464},
		{0.5698090646988322, 0.24562096168729208},
	}
	for i, p := range points(s, len(want)) {
		if !slices.Equal(p, want[i]) {
			t.Errorf("point %d = %v; want %v", i, p, want[i])
		}
	}
}

// The unit-cube average of a smooth function converges much faster than
// by chance: ∫ x1·x2·x3 over [0,1]^3 is 1/8.
func TestSobolIntegrates(t *testing.T) {
	s, err := NewSobol(3, 5, true)
	if err != nil {
		t.Fatal(err)
	}
	const n = 1 << 12
	sum := 0.0
	for _, p := range points(s, n) {
		sum += p[0] * p[1] * p[2]
	}
	if got := sum / n; math.Abs(got-0.125) > 1e-4 {
		t.Errorf("mean of x1·x2·x3 over %d points = %v; want 0.125 within 1e-4", n, got)
	}
}

func TestNewSobolErrors(t *testing.T) {
	for _, dim := range []int{-1, 0, MaxDim + 1} {
		if _, err := NewSobol(dim, 0, false); err == nil || !strings.Contains(err.Error(), "dimensions") {
			t.Errorf("NewSobol(%d) error = %v; want one about the dimensions", dim, err)
		}
	}
}

// The embedded table parses, has every dimension up to MaxDim and matches
// Joe and Kuo's lines at both ends.
func TestTable(t *testing.T) {
	polys, err := table()
	if err != nil {
		t.Fatal(err)
	}
	if len(polys) != MaxDim-1 {
		t.Fatalf("table has %d lines; want %d", len(polys), MaxDim-1)
	}
	first, last := polys[0], polys[len(polys)-1]
	if first.s != 1 || first.a != 0 || !slices.Equal(first.m, []uint64{1}) {
		t.Errorf("dimension 2 = %+v; want s 1, a 0, m [1]", first)
	}
	if last.s != 11 || last.a != 236 || !slices.Equal(last.m, []uint64{1, 1, 7, 5, 27, 11, 81, 101, 457, 675, 1687}) {
		t.Errorf("dimension %d = %+v; want Joe and Kuo's line 201 11 236 1 1 7 5 27 11 81 101 457 675 1687", MaxDim, last)
	}
}

func TestParseTableErrors(t *testing.T) {
	tests := []struct {
		name, text, want string
	}{
		{"empty", "", "no dimensions"},
		{"header only", "d s a m_i", "no dimensions"},
		{"short line", "h\n2 1 0", "3 fields"},
		{"not a number", "h\n2 1 0 x", "field 4"},
		{"skipped dimension", "h\n3 1 0 1", "dimension 3; want 2"},
		{"too few m", "h\n2 2 1 1", "1 direction numbers; want s = 2"},
		{"a too wide", "h\n2 2 3 1 3", "coefficients 3"},
		{"even m", "h\n2 1 0 2", "m_1 = 2"},
		{"m too large", "h\n2 2 1 1 5", "m_2 = 5"},
		{"zero degree", "h\n2 0 0 1", "degree 0"},
	}
	for _, tt := range tests {
		_, err := parseTable(tt.text)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v; want one containing %q", tt.name, err, tt.want)
		}
	}
}

// After 2^52 points the sequence starts over; the wrap is checked by
// setting the counter next to the end.
func TestSobolWraps(t *testing.T) {
	s, _ := NewSobol(2, 3, true)
	first := points(s, 1)[0]
	s, _ = NewSobol(2, 3, true)
	s.index = 1<<digits - 1
	p := make([]float64, 2)
	s.Next(p)
	s.Next(p)
	if !slices.Equal(p, first) {
		t.Errorf("point after the last = %v; want the first, %v", p, first)
	}
}

func BenchmarkSobolNext(b *testing.B) {
	s, _ := NewSobol(10, 1, true)
	p := make([]float64, 10)
	for b.Loop() {
		s.Next(p)
	}
}
