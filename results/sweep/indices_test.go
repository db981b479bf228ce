package sweep

import (
	"bytes"
	"math"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results/sensitivity"
	"github.com/journeysim/journeysim/sim/qmc"
)

// floatPtr returns a pointer to v, for ParamInfo's bounds.
func floatPtr(v float64) *float64 { return &v }

// ishigami is the Ishigami function with a = 7, b = 0.1 on [−π, π]³.
func ishigami(x []float64) float64 {
	return math.Sin(x[0]) + 7*math.Pow(math.Sin(x[1]), 2) + 0.1*math.Pow(x[2], 4)*math.Sin(x[0])
}

// A sobol sweep's folder is analysed into Sobol' indices: here of the
// Ishigami function, laid out as a sweep of 1,024 base points whose
// replications differ only by a small noise; a fourth parameter is held
// fixed and left out of the sample.
func TestAnalyzeSobolDesign(t *testing.T) {
	const n, d = 1024, 3
	unit, err := qmc.Saltelli(n, d, 5)
	if err != nil {
		t.Fatal(err)
	}
	span := func() []ParamInfo {
		var ps []ParamInfo
		for _, name := range []string{"x1", "x2", "x3"} {
			ps = append(ps, ParamInfo{Path: name, Numeric: true, Min: floatPtr(-math.Pi), Max: floatPtr(math.Pi)})
		}
		return append(ps[:1], append([]ParamInfo{{Path: "fixed", Numeric: true, Values: []string{"4"}}}, ps[1:]...)...)
	}
	m := &Manifest{Experiment: "ishigami", Seed: "5", Points: len(unit), Replications: 2, Strategies: []string{"only"},
		Params: span(), Outcomes: []Outcome{{Key: "revenue", Better: 1}}, Design: &DesignInfo{Kind: "sobol", Points: n}}
	dir := syntheticSeeded(t, m, m.Points*m.Replications, crnSeed, func(p, rep, _ int) ([]string, []float64) {
		x := make([]float64, d)
		for i := range x {
			x[i] = -math.Pi + 2*math.Pi*unit[p][i]
		}
		return []string{num(x[0]), "4", num(x[1]), num(x[2])}, []float64{ishigami(x) + 0.001*float64(2*rep-1)}
	})
	a, err := Analyze(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Sobol) != 1 || a.Morris != nil {
		t.Fatalf("%d Sobol results, Morris %v; want one Sobol result", len(a.Sobol), a.Morris)
	}
	r := a.Sobol[0]
	if r.Note != "" {
		t.Fatalf("note %q", r.Note)
	}
	if want := []int{0, 2, 3}; !equalInts(r.Params, want) {
		t.Fatalf("params %v; want %v (the fixed one left out)", r.Params, want)
	}
	// Closed form: V = a²/8 + bπ⁴/5 + b²π⁸/18 + 1/2.
	v := 49.0/8 + 0.1*math.Pow(math.Pi, 4)/5 + 0.01*math.Pow(math.Pi, 8)/18 + 0.5
	v1 := 0.5 * math.Pow(1+0.1*math.Pow(math.Pi, 4)/5, 2)
	v2 := 49.0 / 8
	v13 := 0.01 * math.Pow(math.Pi, 8) * (1.0/18 - 1.0/50)
	wantS1 := []float64{v1 / v, v2 / v, 0}
	wantST := []float64{(v1 + v13) / v, v2 / v, v13 / v}
	for i := range d {
		checkWithin(t, "S1", i, r.Indices.S1[i], wantS1[i])
		checkWithin(t, "ST", i, r.Indices.ST[i], wantST[i])
	}
	tables := a.Tables()
	last := tables[len(tables)-1]
	if last.Name != "sobol" || len(last.Rows) != d {
		t.Errorf("last table %s with %d rows; want sobol with %d", last.Name, len(last.Rows), d)
	}
	var text, js bytes.Buffer
	if err := a.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if err := a.WriteJSON(&js); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"How the variation splits (Sobol' indices, 1,024 base points)", "mean over 2 replications", "x2 "} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}
	if !strings.Contains(js.String(), `"sobol": [`) || strings.Contains(js.String(), `"morris"`) {
		t.Errorf("JSON should hold sobol, not morris")
	}
}

func checkWithin(t *testing.T, what string, i int, e sensitivity.Estimate, want float64) {
	t.Helper()
	if want < e.Low-0.01 || want > e.High+0.01 || math.Abs(e.Value-want) > 0.05 {
		t.Errorf("%s[%d] = %v; closed form %.4f", what, i, e, want)
	}
}

func equalInts(a, b []int) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// A morris sweep's folder is analysed into elementary effects, in the
// outcome's units per whole range: y = 30·u1 + 0·u2 + 10·u3² over unit
// coordinates, so x1's effect is 30 whichever the step, x2 has none, and
// x3's is 20/3 or 40/3 by where the step is taken.
func TestAnalyzeMorrisDesign(t *testing.T) {
	const traj, d, levels = 40, 3, 4
	unit, err := qmc.Morris(traj, d, levels, 8)
	if err != nil {
		t.Fatal(err)
	}
	m := &Manifest{Experiment: "morris", Seed: "8", Points: len(unit), Replications: 1, Strategies: []string{"only"},
		Params: []ParamInfo{{Path: "x1", Numeric: true, Min: floatPtr(0), Max: floatPtr(3)}, {Path: "x2", Numeric: true, Min: floatPtr(0), Max: floatPtr(1)},
			{Path: "x3", Numeric: true, Min: floatPtr(0), Max: floatPtr(1)}},
		Outcomes: []Outcome{{Key: "revenue", Better: 1}}, Design: &DesignInfo{Kind: "morris", Trajectories: traj, Levels: levels}}
	gen := func(p, _, _ int) ([]string, []float64) {
		u := unit[p]
		return []string{num(3 * u[0]), num(u[1]), num(u[2])}, []float64{30*u[0] + 10*u[2]*u[2]}
	}
	a, err := Analyze(syntheticSeeded(t, m, m.Points, crnSeed, gen))
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Morris) != 1 || a.Morris[0].Note != "" {
		t.Fatalf("Morris %+v; want one result without a note", a.Morris)
	}
	e := a.Morris[0].Effects
	if math.Abs(e.MuStar[0].Value-30) > 1e-9 || e.Sigma[0].Value > 1e-9 || direction(e.MuStar[0], e.Mu[0]) != "raises" {
		t.Errorf("x1: μ* %v, σ %v, μ %v; want 30, 0, raising", e.MuStar[0], e.Sigma[0], e.Mu[0])
	}
	if e.MuStar[1].Value != 0 || direction(e.MuStar[1], e.Mu[1]) != "none" {
		t.Errorf("x2: μ* %v; want 0", e.MuStar[1])
	}
	if mu := e.MuStar[2].Value; mu <= 20.0/3 || mu >= 40.0/3 || e.Sigma[2].Value < 1 {
		t.Errorf("x3: μ* %v, σ %v; want between 20/3 and 40/3, and spread", e.MuStar[2], e.Sigma[2])
	}
	var text bytes.Buffer
	if err := a.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Screening (Morris elementary effects, 40 trajectories, 4 levels)", "revenue, only", "none"} {
		if !strings.Contains(text.String(), want) {
			t.Errorf("text lacks %q:\n%s", want, text.String())
		}
	}

	// A folder whose points do not follow the design the seed lays out
	// gets a note, not numbers.
	m.Seed = "9"
	m.Points = len(unit)
	a, err = Analyze(syntheticSeeded(t, m, m.Points, crnSeed, gen))
	if err != nil {
		t.Fatal(err)
	}
	if note := a.Morris[0].Note; !strings.Contains(note, "not made by this design") {
		t.Errorf("note %q; want one saying the folder does not follow the design", note)
	}
}

func TestDirection(t *testing.T) {
	est := func(v, lo, hi float64) sensitivity.Estimate { return sensitivity.Estimate{Value: v, Low: lo, High: hi} }
	for _, tc := range []struct {
		muStar, mu sensitivity.Estimate
		want       string
	}{
		{est(0, 0, 0), est(0, 0, 0), "none"},
		{est(5, 4, 6), est(5, 4, 6), "raises"},
		{est(5, 4, 6), est(-5, -6, -4), "lowers"},
		{est(5, 4, 6), est(0.5, -1, 2), "both ways"},
		{est(0.5, 0, 1), est(0.1, -0.5, 0.6), "unclear"},
	} {
		if got := direction(tc.muStar, tc.mu); got != tc.want {
			t.Errorf("direction(%v, %v) = %q; want %q", tc.muStar, tc.mu, got, tc.want)
		}
	}
}

// A folder whose points do not follow a Saltelli layout (here, every
// point drawn on its own) gets a note, not indices.
func TestAnalyzeSobolRefusesOtherLayouts(t *testing.T) {
	const n, d = 8, 2
	m := &Manifest{Experiment: "not-sobol", Seed: "5", Points: n * (d + 2), Replications: 1, Strategies: []string{"only"},
		Params:   []ParamInfo{{Path: "x1", Numeric: true, Min: floatPtr(0), Max: floatPtr(1)}, {Path: "x2", Numeric: true, Min: floatPtr(0), Max: floatPtr(1)}},
		Outcomes: []Outcome{{Key: "revenue", Better: 1}}, Design: &DesignInfo{Kind: "sobol", Points: n}}
	a, err := Analyze(syntheticSeeded(t, m, m.Points, crnSeed, func(p, _, _ int) ([]string, []float64) {
		return []string{num(float64(p) / 40), num(float64(p*7%32) / 32)}, []float64{float64(p)}
	}))
	if err != nil {
		t.Fatal(err)
	}
	if note := a.Sobol[0].Note; !strings.Contains(note, "not made by this design") {
		t.Errorf("note %q; want one saying the folder does not follow the design", note)
	}
}
