package sensitivity_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results/sensitivity"
	"github.com/journeysim/journeysim/sim/qmc"
)

// A linear function's elementary effects are its coefficients, the same
// everywhere: f = 3x1 − 2x2 + 0·x3 has μ* = 3, 2, 0, μ = 3, −2, 0 and
// σ = 0 (up to rounding), and so do their intervals.
func TestMorrisLinear(t *testing.T) {
	const trajectories, d = 20, 3
	x, err := qmc.Morris(trajectories, d, 4, 1)
	if err != nil {
		t.Fatal(err)
	}
	y := outputs(x, func(u []float64) float64 { return 3*u[0] - 2*u[1] + 0*u[2] })
	got, err := sensitivity.Morris(x, y, d, sensitivity.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Trajectories != trajectories || got.Skipped != 0 {
		t.Errorf("trajectories %d, skipped %d; want %d, 0", got.Trajectories, got.Skipped, trajectories)
	}
	const tol = 1e-9
	for i, want := range []struct{ muStar, mu float64 }{{3, 3}, {2, -2}, {0, 0}} {
		for _, c := range []struct {
			name string
			e    sensitivity.Estimate
			want float64
		}{{"μ*", got.MuStar[i], want.muStar}, {"μ", got.Mu[i], want.mu}, {"σ", got.Sigma[i], 0}} {
			if math.Abs(c.e.Value-c.want) > tol || math.Abs(c.e.Low-c.want) > tol || math.Abs(c.e.High-c.want) > tol {
				t.Errorf("x%d: %s = %v; want %v exactly", i+1, c.name, c.e, c.want)
			}
		}
	}
}

// A parameter whose effect depends on where it is measured has σ > 0: in
// f = x1² + x2, x1's effect varies and x2's does not.
func TestMorrisNonLinear(t *testing.T) {
	const trajectories, d = 40, 2
	x, _ := qmc.Morris(trajectories, d, 6, 2)
	y := outputs(x, func(u []float64) float64 { return u[0]*u[0] + u[1] })
	got, err := sensitivity.Morris(x, y, d, sensitivity.Options{Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	// With levels 6, Δ = 0.6 and x1 steps between a and a + 0.6 for a in
	// {0, 0.2, 0.4}: the effect is 2a + 0.6, so 0.6, 1 or 1.4.
	if s := got.Sigma[0]; !(s.Value > 0.1 && s.Low > 0) {
		t.Errorf("σ of x1 = %v; want clearly above 0", s)
	}
	if s := got.Sigma[1]; s.Value > 1e-9 {
		t.Errorf("σ of x2 = %v; want 0", s)
	}
	if m := got.MuStar[0]; !(m.Low <= 1 && 1 <= m.High) {
		t.Errorf("μ* of x1 = %v; want an interval holding the mean effect, 1", m)
	}
	for k := range got.MuStar {
		for _, e := range []sensitivity.Estimate{got.MuStar[k], got.Mu[k], got.Sigma[k]} {
			if !(e.Low <= e.Value+1e-12 && e.Value <= e.High+1e-12) {
				t.Errorf("x%d: %v has its estimate outside its interval", k+1, e)
			}
		}
	}
}

// Steps of any size are found, and effects follow the sign of the step.
func TestMorrisAnySteps(t *testing.T) {
	x := [][]float64{
		{0.1, 0.9}, {0.4, 0.9}, {0.4, 0.2}, // x1 +0.3, x2 −0.7
		{0.5, 0.5}, {0.5, 0.6}, {0.3, 0.6}, // x2 +0.1, x1 −0.2
	}
	y := outputs(x, func(u []float64) float64 { return 2*u[0] + 5*u[1] })
	got, err := sensitivity.Morris(x, y, 2, sensitivity.Options{Resamples: 50})
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(got.Mu[0].Value-2) > 1e-9 || math.Abs(got.Mu[1].Value-5) > 1e-9 {
		t.Errorf("μ = %v, %v; want 2, 5", got.Mu[0], got.Mu[1])
	}
}

// The same seed gives the same intervals.
func TestMorrisDeterministic(t *testing.T) {
	x, _ := qmc.Morris(30, 3, 4, 3)
	y := outputs(x, ishigami)
	a, _ := sensitivity.Morris(x, y, 3, sensitivity.Options{Seed: 4})
	b, _ := sensitivity.Morris(x, y, 3, sensitivity.Options{Seed: 4})
	if !reflect.DeepEqual(a, b) {
		t.Errorf("same seed, different effects:\n%+v\n%+v", a, b)
	}
	c, _ := sensitivity.Morris(x, y, 3, sensitivity.Options{Seed: 5})
	if reflect.DeepEqual(a.MuStar, c.MuStar) {
		t.Error("seeds 4 and 5 gave the same intervals")
	}
}

// Trajectories with an undefined output are left out and counted.
func TestMorrisSkipsUndefined(t *testing.T) {
	x, _ := qmc.Morris(10, 2, 4, 3)
	y := outputs(x, func(u []float64) float64 { return u[0] - u[1] })
	y[4] = math.NaN() // trajectory 1
	got, err := sensitivity.Morris(x, y, 2, sensitivity.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if got.Trajectories != 9 || got.Skipped != 1 {
		t.Errorf("trajectories %d, skipped %d; want 9, 1", got.Trajectories, got.Skipped)
	}
	if math.Abs(got.Mu[1].Value+1) > 1e-9 {
		t.Errorf("μ of x2 = %v; want −1", got.Mu[1])
	}
}

func TestMorrisErrors(t *testing.T) {
	good := [][]float64{{0, 0}, {1, 0}, {1, 1}, {0, 0}, {0, 1}, {1, 1}}
	y6 := make([]float64, 6)
	nan := math.NaN()
	tests := []struct {
		name string
		x    [][]float64
		y    []float64
		d    int
		opt  sensitivity.Options
		want string
	}{
		{"no parameters", good, y6, 0, sensitivity.Options{}, "0 parameters"},
		{"lengths differ", good, y6[:5], 2, sensitivity.Options{}, "6 rows but 5 outputs"},
		{"ragged", good[:5], y6[:5], 2, sensitivity.Options{}, "5 rows is not a multiple of d+1 = 3"},
		{"one trajectory", good[:3], y6[:3], 2, sensitivity.Options{}, "fewer than two"},
		{"short row", [][]float64{{0, 0}, {1}, {1, 1}, {0, 0}, {0, 1}, {1, 1}}, y6, 2, sensitivity.Options{}, "trajectory 0 (rows 0 to 2): row 1 has 1 coordinates"},
		{"two changes", [][]float64{{0, 0}, {1, 0}, {1, 1}, {0, 0}, {1, 1}, {1, 1}}, y6, 2, sensitivity.Options{}, "trajectory 1 (rows 3 to 5): row 1 changes coordinates 0 and 1"},
		{"no change", [][]float64{{0, 0}, {0, 0}, {1, 1}, {0, 0}, {0, 1}, {1, 1}}, y6, 2, sensitivity.Options{}, "row 1 changes no coordinate"},
		{"same twice", [][]float64{{0, 0}, {1, 0}, {0, 0}, {0, 0}, {0, 1}, {1, 1}}, y6, 2, sensitivity.Options{}, "changes coordinate 0 a second time"},
		{"NaN coordinate", [][]float64{{0, 0}, {nan, 0}, {nan, 1}, {0, 0}, {0, 1}, {1, 1}}, y6, 2, sensitivity.Options{}, "coordinate 0 changes from 0 to NaN"},
		{"all undefined", good, []float64{nan, 0, 0, 0, 0, 0}, 2, sensitivity.Options{}, "2 trajectories, 1 of them with undefined outputs"},
		{"confidence", good, y6, 2, sensitivity.Options{Confidence: -0.5}, "confidence -0.5"},
	}
	for _, tt := range tests {
		_, err := sensitivity.Morris(tt.x, tt.y, tt.d, tt.opt)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: error = %v; want one containing %q", tt.name, err, tt.want)
		}
	}
}

func BenchmarkMorris(b *testing.B) {
	const trajectories, d = 100, 10
	x, _ := qmc.Morris(trajectories, d, 4, 1)
	y := outputs(x, func(u []float64) float64 { return ishigami(u) + u[3]*u[9] })
	b.ReportAllocs()
	for b.Loop() {
		if _, err := sensitivity.Morris(x, y, d, sensitivity.Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
