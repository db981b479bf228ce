package sensitivity_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results/sensitivity"
	"github.com/journeysim/journeysim/sim/qmc"
)

// Ishigami's function, the standard test of sensitivity analysis, with
// a = 7 and b = 0.1:
//
//	f(x) = sin x1 + a sin² x2 + b x3⁴ sin x1,  x uniform on [−π, π]³.
const ishigamiA, ishigamiB = 7, 0.1

// ishigami evaluates Ishigami's function at u in the unit cube.
func ishigami(u []float64) float64 {
	x1, x2, x3 := math.Pi*(2*u[0]-1), math.Pi*(2*u[1]-1), math.Pi*(2*u[2]-1)
	s := math.Sin(x2)
	return math.Sin(x1) + ishigamiA*s*s + ishigamiB*math.Pow(x3, 4)*math.Sin(x1)
}

// ishigamiIndices returns the analytical Sobol' indices of Ishigami's
// function. Written f = sin x1 (1 + b x3⁴) + a sin² x2, with
// E sin² x = 1/2, E sin⁴ x = 3/8, E x⁴ = π⁴/5 and E x⁸ = π⁸/9 for x
// uniform on [−π, π]:
//
//	V1  = Var(sin x1 (1 + bπ⁴/5))           = (1 + bπ⁴/5)²/2
//	V2  = a² Var(sin² x2) = a² (3/8 − 1/4)  = a²/8
//	V3  = 0
//	V13 = Var(b sin x1 (x3⁴ − π⁴/5)) = b²/2 (π⁸/9 − π⁸/25) = b²π⁸ (1/18 − 1/50)
//	V   = V1 + V2 + V13                      = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2
//
// so S_i = V_i/V and the totals are ST1 = (V1 + V13)/V, ST2 = V2/V,
// ST3 = V13/V.
func ishigamiIndices() (s1, st [3]float64) {
	a, b, pi4 := float64(ishigamiA), ishigamiB, math.Pow(math.Pi, 4)
	v1 := (1 + b*pi4/5) * (1 + b*pi4/5) / 2
	v2 := a * a / 8
	v13 := b * b * pi4 * pi4 * (1.0/18 - 1.0/50)
	v := a*a/8 + b*pi4/5 + b*b*pi4*pi4/18 + 0.5
	return [3]float64{v1 / v, v2 / v, 0}, [3]float64{(v1 + v13) / v, v2 / v, v13 / v}
}

// outputs evaluates f at every row.
func outputs(rows [][]float64, f func([]float64) float64) []float64 {
	y := make([]float64, len(rows))
	for r, row := range rows {
		y[r] = f(row)
	}
	return y
}

// The analytical values, checked against the figures usually quoted.
func TestIshigamiIndices(t *testing.T) {
	s1, st := ishigamiIndices()
	want1, wantT := [3]float64{0.3139, 0.4424, 0}, [3]float64{0.5576, 0.4424, 0.2437}
	for i := range 3 {
		if math.Abs(s1[i]-want1[i]) > 1e-4 || math.Abs(st[i]-wantT[i]) > 1e-4 {
			t.Errorf("x%d: S1 %.4f, ST %.4f; want %.4f, %.4f", i+1, s1[i], st[i], want1[i], wantT[i])
		}
	}
}

// Every interval of Ishigami's indices, from 4096 base points, holds the
// analytical value and is narrow.
func TestSobolIshigami(t *testing.T) {
	const n, d = 4096, 3
	s1, st := ishigamiIndices()
	for _, seed := range []uint64{1, 2, 3} {
		rows, err := qmc.Saltelli(n, d, seed)
		if err != nil {
			t.Fatal(err)
		}
		got, err := sensitivity.Sobol(outputs(rows, ishigami), d, sensitivity.Options{Seed: seed})
		if err != nil {
			t.Fatal(err)
		}
		if got.N != n || got.Skipped != 0 {
			t.Errorf("seed %d: N %d, skipped %d; want %d, 0", seed, got.N, got.Skipped, n)
		}
		for i := range d {
			check(t, "seed", seed, "S1", i, got.S1[i], s1[i])
			check(t, "seed", seed, "ST", i, got.ST[i], st[i])
		}
	}
}

// check fails t unless e's interval holds want and has a half-width below
// 0.1.
func check(t *testing.T, what string, key uint64, name string, i int, e sensitivity.Estimate, want float64) {
	t.Helper()
	if !(e.Low <= want && want <= e.High) {
		t.Errorf("%s %d: %s of x%d = %v; want an interval holding %.4f", what, key, name, i+1, e, want)
	}
	if !(e.Low <= e.Value && e.Value <= e.High) {
		t.Errorf("%s %d: %s of x%d = %v; want the estimate inside its interval", what, key, name, i+1, e)
	}
	if hw := (e.High - e.Low) / 2; hw >= 0.1 {
		t.Errorf("%s %d: %s of x%d = %v; half-width %.3f, want below 0.1", what, key, name, i+1, e, hw)
	}
}

// The same seed gives the same intervals; a higher confidence wider ones.
func TestSobolDeterministic(t *testing.T) {
	rows, _ := qmc.Saltelli(256, 3, 5)
	y := outputs(rows, ishigami)
	a, _ := sensitivity.Sobol(y, 3, sensitivity.Options{Seed: 9})
	b, _ := sensitivity.Sobol(y, 3, sensitivity.Options{Seed: 9})
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different indices:\n%+v\n%+v", a, b)
	}
	c, _ := sensitivity.Sobol(y, 3, sensitivity.Options{Seed: 10})
	if reflect.DeepEqual(a.S1, c.S1) {
		t.Error("seeds 9 and 10 gave the same intervals")
	}
	if a.S1[0].Value != c.S1[0].Value {
		t.Error("the bootstrap seed changed the point estimate")
	}
	wide, _ := sensitivity.Sobol(y, 3, sensitivity.Options{Seed: 9, Confidence: 0.99})
	if wide.ST[0].High-wide.ST[0].Low <= a.ST[0].High-a.ST[0].Low {
		t.Errorf("99%% interval %v no wider than 95%% %v", wide.ST[0], a.ST[0])
	}
}

// A shift of the outputs changes nothing: they are centred first.
func TestSobolShift(t *testing.T) {
	rows, _ := qmc.Saltelli(512, 3, 5)
	y := outputs(rows, ishigami)
	a, _ := sensitivity.Sobol(y, 3, sensitivity.Options{Resamples: 10})
	for k := range y {
		y[k] += 1e6
	}
	b, _ := sensitivity.Sobol(y, 3, sensitivity.Options{Resamples: 10})
	for i := range 3 {
		if math.Abs(a.S1[i].Value-b.S1[i].Value) > 1e-6 || math.Abs(a.ST[i].Value-b.ST[i].Value) > 1e-6 {
			t.Errorf("x%d: S1 %v, ST %v; shifted by 10⁶: %v, %v", i+1, a.S1[i].Value, a.ST[i].Value, b.S1[i].Value, b.ST[i].Value)
		}
	}
	if math.Abs(a.Variance-b.Variance) > 1e-6*a.Variance {
		t.Errorf("variance %v; shifted %v", a.Variance, b.Variance)
	}
}

// Base points with an undefined output are left out and counted.
func TestSobolSkipsUndefined(t *testing.T) {
	const n, d = 64, 2
	rows, _ := qmc.Saltelli(n, d, 1)
	y := outputs(rows, func(u []float64) float64 { return u[0] + 2*u[1] })
	y[3*(d+2)+1] = math.NaN()
	y[7*(d+2)+d+1] = math.Inf(1)
	got, err := sensitivity.Sobol(y, d, sensitivity.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.N != n-2 || got.Skipped != 2 {
		t.Errorf("N %d, skipped %d; want %d, 2", got.N, got.Skipped, n-2)
	}
	for i := range d {
		if math.IsNaN(got.S1[i].Value) || math.IsNaN(got.ST[i].Low) {
			t.Errorf("x%d: S1 %v, ST %v; want numbers", i+1, got.S1[i], got.ST[i])
		}
	}
	// Linear and additive: S1 = ST = 1/5 and 4/5.
	for i, want := range []float64{0.2, 0.8} {
		if math.Abs(got.S1[i].Value-want) > 0.05 || math.Abs(got.ST[i].Value-want) > 0.05 {
			t.Errorf("x%d: S1 %v, ST %v; want about %v", i+1, got.S1[i], got.ST[i], want)
		}
	}
}

// Outputs that do not vary give indices of 0.
func TestSobolConstant(t *testing.T) {
	y := make([]float64, 8*4)
	for k := range y {
		y[k] = 0.1
	}
	got, err := sensitivity.Sobol(y, 2, sensitivity.Options{})
	if err != nil {
		t.Fatal(err)
	}
	for i := range 2 {
		if got.S1[i] != (sensitivity.Estimate{}) || got.ST[i] != (sensitivity.Estimate{}) {
			t.Errorf("x%d: S1 %v, ST %v; want 0", i+1, got.S1[i], got.ST[i])
		}
	}
}

func TestSobolErrors(t *testing.T) {
	nan := math.NaN()
	tests := []struct {
		name string
		y    []float64
		d    int
		opt  sensitivity.Options
		want string
	}{
		{"no parameters", make([]float64, 8), 0, sensitivity.Options{}, "0 parameters"},
		{"ragged", make([]float64, 9), 2, sensitivity.Options{}, "9 outputs is not a multiple of d+2 = 4"},
		{"one base point", make([]float64, 4), 2, sensitivity.Options{}, "fewer than two"},
		{"empty", nil, 2, sensitivity.Options{}, "fewer than two"},
		{"too many undefined", []float64{nan, 1, 2, 3, 1, nan, 2, 3, 4}, 1, sensitivity.Options{}, "3 base points, 2 of them with undefined outputs"},
		{"negative resamples", make([]float64, 8), 2, sensitivity.Options{Resamples: -1}, "-1 bootstrap resamples"},
		{"confidence 1", make([]float64, 8), 2, sensitivity.Options{Confidence: 1}, "confidence 1"},
		{"confidence NaN", make([]float64, 8), 2, sensitivity.Options{Confidence: nan}, "confidence NaN"},
	}
	for _, tt := range tests {
		_, err := sensitivity.Sobol(tt.y, tt.d, tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v; want one containing %q", tt.name, err, tt.want)
		}
	}
}

// 1,792 runs, 256 base points of 5 parameters, analysed with 1000
// resamples.
func BenchmarkSobol(b *testing.B) {
	const n, d = 256, 5
	rows, _ := qmc.Saltelli(n, d, 1)
	y := outputs(rows, func(u []float64) float64 { return ishigami(u) + u[3]*u[4] })
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sensitivity.Sobol(y, d, sensitivity.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
