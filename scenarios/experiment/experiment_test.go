package experiment_test

import (
	"math"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/scenarios/experiment"
	"github.com/journeysim/journeysim/sim"
)

// options read experiments as a sweep does: outcomes are the metrics a
// sweep can record.
var options = experiment.Options{Outcomes: sweep.Recordable}

func load(t *testing.T, src string) *experiment.Experiment {
	t.Helper()
	e, err := experiment.Load("exp.yaml", []byte(src), options)
	if err != nil {
		t.Fatalf("experiment does not load: %v\n%s", err, src)
	}
	return e
}

const head = `name: test
scenario: email-pressure
seed: 3
replications: 2
strategies: [email_1pw, email_7pw]
`

// A grid holds every combination of its parameters' values exactly once,
// the first parameter varying slowest.
func TestGridCoversEveryCombination(t *testing.T) {
	e := load(t, head+`design: {kind: grid}
parameters:
  strategies.email_7pw.caps.email.max: {min: 1, max: 7, steps: 4, integer: true}
  strategies.email_7pw.discount: {values: [0, 0.05, 0.1]}
  strategies.email_7pw.integration: {values: [multi, omni]}
`)
	caps := []float64{1, 3, 5, 7}
	if len(e.Points) != 4*3*2 {
		t.Fatalf("%d points; want 24", len(e.Points))
	}
	seen := map[string]bool{}
	for i, p := range e.Points {
		key := p[0].String() + "|" + p[1].String() + "|" + p[2].String()
		if seen[key] {
			t.Errorf("point %d (%s) repeats", i, key)
		}
		seen[key] = true
		if !slices.Contains(caps, p[0].Number) {
			t.Errorf("point %d: cap %v not on the grid %v", i, p[0], caps)
		}
	}
	if e.Points[0][0].Number != 1 || e.Points[len(e.Points)-1][0].Number != 7 || e.Points[1][2].Text != "omni" {
		t.Errorf("grid order: first %v, last %v, second %v", e.Points[0], e.Points[len(e.Points)-1], e.Points[1])
	}
}

// A Latin hypercube of n points puts exactly one point in each of the n
// equal strata of every parameter's range; a random design stays in range;
// both come from the seed alone.
func TestLatinHypercubeStrata(t *testing.T) {
	for _, n := range []int{1, 7, 50} {
		src := head + `design: {kind: lhs, points: ` + itoa(n) + `}
parameters:
  strategies.email_7pw.discount: {min: 0, max: 0.5}
  population.personas.fan.share: {min: 0.1, max: 0.6}
  strategies.email_7pw.caps.email.max: {min: 1, max: 7, integer: true}
`
		e := load(t, src)
		if len(e.Points) != n {
			t.Fatalf("%d points; want %d", len(e.Points), n)
		}
		for k, r := range [][2]float64{{0, 0.5}, {0.1, 0.6}} {
			hit := make([]int, n)
			for _, p := range e.Points {
				u := (p[k].Number - r[0]) / (r[1] - r[0])
				hit[min(n-1, int(u*float64(n)))]++
			}
			for s, c := range hit {
				if c != 1 {
					t.Errorf("n=%d, parameter %d: stratum %d holds %d points; want 1", n, k, s, c)
				}
			}
		}
		for _, p := range e.Points {
			if c := p[2].Number; c != math.Trunc(c) || c < 1 || c > 7 {
				t.Errorf("integer parameter took %v", c)
			}
		}
		again := load(t, src)
		if !slices.EqualFunc(e.Points, again.Points, func(a, b []scenarios.Value) bool { return slices.Equal(a, b) }) {
			t.Error("the same seed gives other points")
		}
	}
	e := load(t, head+`design: {kind: random, points: 200}
parameters:
  strategies.email_7pw.discount: {min: 0.1, max: 0.2}
  strategies.email_7pw.integration: {values: [mono, omni]}
`)
	levels := map[string]int{}
	for _, p := range e.Points {
		if d := p[0].Number; d < 0.1 || d >= 0.2 {
			t.Errorf("random discount %g outside [0.1, 0.2)", d)
		}
		levels[p[1].Text]++
	}
	if levels["mono"] < 60 || levels["omni"] < 60 {
		t.Errorf("choices drawn %v times of 200; want both often", levels)
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

// Seeds differ from run to run and depend on nothing but the experiment's
// seed, the point and the replication.
func TestRunSeeds(t *testing.T) {
	seen := map[uint64]bool{}
	for p := range 100 {
		for r := range 10 {
			s := experiment.RunSeed(42, p, r)
			if seen[s] {
				t.Fatalf("seed of point %d replication %d repeats", p, r)
			}
			seen[s] = true
			if s != experiment.RunSeed(42, p, r) {
				t.Fatal("RunSeed is not a function of its arguments")
			}
		}
	}
	if experiment.RunSeed(1, 0, 0) == experiment.RunSeed(2, 0, 0) {
		t.Error("the experiment's seed does not change run seeds")
	}
}

// RunSeed mixes the experiment's seed, the point and the replication as it
// always has: a sweep's seeds, written on every row, must not change.
func TestRunSeedsKept(t *testing.T) {
	for _, tc := range []struct {
		seed       uint64
		point, rep int
		want       uint64
	}{
		{1, 0, 0, 9497355737732994936},
		{7, 3, 2, 10498549431428434828},
		{42, 99, 9, 925812344139356020},
	} {
		if got := experiment.RunSeed(tc.seed, tc.point, tc.rep); got != tc.want {
			t.Errorf("RunSeed(%d, %d, %d) = %d; want %d", tc.seed, tc.point, tc.rep, got, tc.want)
		}
	}
}

// An experiment checks its outcomes against the catalogue its caller
// gives, and records the catalogue's headline outcomes when its file names
// none; without a catalogue it can record none.
func TestOutcomeCatalogue(t *testing.T) {
	catalogue := func(m *sim.Model) (keys, headline []string) {
		if m.Name != "email-pressure" {
			t.Errorf("catalogue asked about scenario %q", m.Name)
		}
		return []string{"alpha", "beta", "gamma"}, []string{"gamma", "alpha"}
	}
	const src = "name: t\nscenario: email-pressure\nparameters: {run.horizon: {values: [30]}}\n"
	e, err := experiment.Load("exp.yaml", []byte(src), experiment.Options{Outcomes: catalogue})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"gamma", "alpha"}; !slices.Equal(e.Outcomes, want) {
		t.Errorf("outcomes %v; want the headline ones, %v", e.Outcomes, want)
	}
	e, err = experiment.Load("exp.yaml", []byte(src+"outcomes: [beta, alpha]\n"), experiment.Options{Outcomes: catalogue})
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"beta", "alpha"}; !slices.Equal(e.Outcomes, want) {
		t.Errorf("outcomes %v; want those named, in their order, %v", e.Outcomes, want)
	}
	_, err = experiment.Load("exp.yaml", []byte(src+"outcomes: [revenue, gama]\n"), experiment.Options{Outcomes: catalogue})
	want := `exp.yaml:4:12: outcome "revenue": not a metric of this scenario; allowed: alpha, beta, gamma
exp.yaml:4:21: outcome "gama": not a metric of this scenario; allowed: alpha, beta, gamma; did you mean "gamma"?`
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}
	e, err = experiment.Load("exp.yaml", []byte(src), experiment.Options{})
	if err != nil || len(e.Outcomes) != 0 {
		t.Errorf("without a catalogue: outcomes %v, error %v; want none and no error", e.Outcomes, err)
	}
	if _, err := experiment.Load("exp.yaml", []byte(src+"outcomes: [revenue]\n"), experiment.Options{}); err == nil {
		t.Error("without a catalogue, an outcome is accepted")
	}
}

// Order runs every unit once, replication by replication; Unit, Labels
// and StrategyIndices say what a unit runs.
func TestUnits(t *testing.T) {
	e := load(t, head+`design: {kind: grid}
parameters:
  strategies.email_7pw.discount: {values: [0, 0.05, 0.1]}
  strategies.email_7pw.integration: {values: [multi, omni]}
`)
	order := e.Order()
	if len(order) != e.Units() || e.Units() != 6*2 {
		t.Fatalf("%d units in order, Units %d; want 12", len(order), e.Units())
	}
	if !slices.Equal(slices.Sorted(slices.Values(order)), []int{0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11}) {
		t.Errorf("order %v is not every unit once", order)
	}
	for i, u := range order {
		p, rep := e.Unit(u)
		if p*e.Replications+rep != u || rep != i/len(e.Points) {
			t.Errorf("unit %d, %d-th in order: point %d, replication %d", u, i, p, rep)
		}
	}
	if got, want := e.Labels(3), []string{"0.05", "omni"}; !slices.Equal(got, want) {
		t.Errorf("labels of point 3: %v; want %v", got, want)
	}
	m, err := e.Model(3, scenarios.Options{})
	if err != nil {
		t.Fatal(err)
	}
	idx := e.StrategyIndices(m)
	for k, i := range idx {
		if m.Strategies[i].Name != e.Strategies[k] {
			t.Errorf("strategy index %d names %s; want %s", i, m.Strategies[i].Name, e.Strategies[k])
		}
	}
}

// Mistakes in an experiment file are reported with their line and column,
// the bad value and what is allowed.
func TestExperimentErrors(t *testing.T) {
	for _, tc := range []struct {
		name, src, want string
	}{
		{"unknown key", head + "desing: {kind: grid}\nparameters: {strategies.email_7pw.discount: {values: [0]}}\n",
			`exp.yaml:6:1: unknown key "desing"; allowed: name, description, scenario, seed, common_random_numbers, replications, strategies, outcomes, attribution, scale_fixed_costs, series, design, parameters; did you mean "design"?`},
		{"unknown strategy", "name: t\nscenario: email-pressure\nstrategies: [email_9pw]\nparameters: {run.horizon: {values: [30]}}\n",
			`exp.yaml:3:14: no strategy "email_9pw" in scenario email-pressure; it has: email_1pw`},
		{"unknown outcome", "name: t\nscenario: email-pressure\noutcomes: [revenu]\nparameters: {run.horizon: {values: [30]}}\n",
			`exp.yaml:3:12: outcome "revenu": not a metric of this scenario; allowed: customers`},
		{"bad path", "name: t\nscenario: email-pressure\nparameters:\n  strategies.email_9pw.discount: {values: [0]}\n",
			`exp.yaml:4:3: strategies.email_9pw.discount: no "email_9pw" in strategies`},
		{"value out of range", "name: t\nscenario: email-pressure\nparameters:\n  strategies.email_7pw.discount: {values: [0, 2]}\n",
			`strategies.email_7pw.discount = 2: the scenario does not load with this value: discount 2 is out of range; allowed: 0 to 0.99`},
		{"range without steps in a grid", "name: t\nscenario: email-pressure\nparameters:\n  strategies.email_7pw.discount: {min: 0, max: 0.3}\n",
			`strategies.email_7pw.discount: a grid needs values, or steps with min and max`},
		{"lhs without points", "name: t\nscenario: email-pressure\ndesign: {kind: lhs}\nparameters:\n  strategies.email_7pw.discount: {min: 0, max: 0.3}\n",
			`exp.yaml:3:9: a lhs design needs points: allowed 1 to 1000000`},
		{"unknown design", "name: t\nscenario: email-pressure\ndesign: {kind: sobel}\nparameters:\n  run.horizon: {values: [30]}\n",
			`exp.yaml:3:16: design kind "sobel": allowed grid, random, lhs, sobol, morris; did you mean "sobol"?`},
		{"sobol base points not a power of two", "name: t\nscenario: email-pressure\ndesign: {kind: sobol, points: 100}\nparameters:\n  strategies.email_7pw.discount: {min: 0, max: 0.3}\n",
			`exp.yaml:3:31: a sobol design takes a power of two base points, 2 to 1,048,576, such as 128; not 100`},
		{"sobol without points", "name: t\nscenario: email-pressure\ndesign: {kind: sobol}\nparameters:\n  strategies.email_7pw.discount: {min: 0, max: 0.3}\n",
			`a sobol design needs points, its number of base points`},
		{"morris with odd levels", "name: t\nscenario: email-pressure\ndesign: {kind: morris, trajectories: 10, levels: 5}\nparameters:\n  strategies.email_7pw.discount: {min: 0, max: 0.3}\n",
			`levels 5: allowed an even number from 2 to 100, such as 4`},
		{"morris takes no points", "name: t\nscenario: email-pressure\ndesign: {kind: morris, trajectories: 10, points: 5}\nparameters:\n  strategies.email_7pw.discount: {min: 0, max: 0.3}\n",
			`a morris design does not take points; points is for random, lhs and sobol designs`},
		{"morris over words", "name: t\nscenario: email-pressure\ndesign: {kind: morris, trajectories: 4}\nparameters:\n  strategies.email_7pw.integration: {values: [multi, omni]}\n",
			`strategies.email_7pw.integration: a morris design measures the effect of a step in a number; this parameter takes words`},
		{"distribution on a grid", "name: t\nscenario: email-pressure\nparameters:\n  strategies.email_7pw.discount: {distribution: normal, mean: 0.1, sd: 0.02}\n",
			`strategies.email_7pw.discount: a grid takes values, or min, max and steps; a distribution is for random, lhs, sobol and morris designs`},
		{"unknown distribution", "name: t\nscenario: email-pressure\ndesign: {kind: random, points: 3}\nparameters:\n  strategies.email_7pw.discount: {distribution: normel, mean: 0.1, sd: 0.02}\n",
			`strategies.email_7pw.discount: distribution "normel": allowed beta, lognormal, normal, triangular, uniform; did you mean "normal"?`},
		{"distribution without its parameters", "name: t\nscenario: email-pressure\ndesign: {kind: random, points: 3}\nparameters:\n  strategies.email_7pw.discount: {distribution: normal, mean: 0.1}\n",
			`strategies.email_7pw.discount: a normal distribution needs mean and sd`},
		{"a parameter of another distribution", "name: t\nscenario: email-pressure\ndesign: {kind: random, points: 3}\nparameters:\n  strategies.email_7pw.discount: {distribution: normal, mean: 0.1, sd: 0.02, alpha: 2}\n",
			`strategies.email_7pw.discount: alpha is not a parameter of a normal distribution; it takes mean and sd`},
		{"triangular mode outside", "name: t\nscenario: email-pressure\ndesign: {kind: random, points: 3}\nparameters:\n  strategies.email_7pw.discount: {distribution: triangular, min: 0, max: 0.2, mode: 0.5}\n",
			`strategies.email_7pw.discount: mode 0.5: allowed from min 0 to max 0.2`},
		{"beta without bounds", "name: t\nscenario: email-pressure\ndesign: {kind: random, points: 3}\nparameters:\n  strategies.email_7pw.discount: {distribution: beta, alpha: 2, beta: 5}\n",
			`strategies.email_7pw.discount: a beta distribution needs min and max`},
		{"a distribution key without a distribution", "name: t\nscenario: email-pressure\ndesign: {kind: random, points: 3}\nparameters:\n  strategies.email_7pw.discount: {min: 0, max: 0.2, sd: 0.1}\n",
			`strategies.email_7pw.discount: this key belongs to a distribution; add distribution: normal, lognormal, triangular or beta`},
		{"weights not one per value", "name: t\nscenario: email-pressure\ndesign: {kind: random, points: 3}\nparameters:\n  strategies.email_7pw.discount: {values: [0, 0.1], weights: [1, 2, 3]}\n",
			`strategies.email_7pw.discount: 3 weights for 2 values; give one weight per value`},
		{"weights on a grid", "name: t\nscenario: email-pressure\nparameters:\n  strategies.email_7pw.discount: {values: [0, 0.1], weights: [1, 2]}\n",
			`strategies.email_7pw.discount: a grid takes every value once; weights are for random, lhs, sobol and morris designs`},
		{"min above max", "name: t\nscenario: email-pressure\ndesign: {kind: random, points: 3}\nparameters:\n  strategies.email_7pw.discount: {min: 0.3, max: 0.1}\n",
			`exp.yaml:5:50: strategies.email_7pw.discount: max 0.1 must be above min 0.3`},
		{"no scenario", "name: t\nparameters:\n  run.horizon: {values: [30]}\n",
			`exp.yaml:1:1: missing scenario`},
		{"missing scenario file", "name: t\nscenario: nowhere.yaml\nparameters:\n  run.horizon: {values: [30]}\n",
			`exp.yaml:2:11: scenario nowhere.yaml:`},
		{"group, not field", "name: t\nscenario: email-pressure\nparameters:\n  population: {values: [1]}\n",
			`exp.yaml:4:3: population: names a group of fields, not one`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := experiment.Load("exp.yaml", []byte(tc.src), options)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("error:\n%v\nwant it to contain:\n%s", err, tc.want)
			}
		})
	}
}

// Parameters drawn from distributions stay within their truncation: min
// and max where given, else the range the scenario allows the field (a
// discount: 0 to 0.99); a weighted list is drawn as often as its weights
// say.
func TestDistributions(t *testing.T) {
	e := load(t, head+`design: {kind: random, points: 4000}
parameters:
  strategies.email_7pw.discount: {distribution: normal, mean: 0.02, sd: 0.05}
  strategies.email_1pw.discount: {distribution: triangular, min: 0, max: 0.3, mode: 0.05}
  population.personas.fan.share: {distribution: beta, alpha: 2, beta: 5, min: 0.1, max: 0.5}
  strategies.email_7pw.caps.email.max: {distribution: lognormal, mu: 1, sigma: 0.5, max: 12, integer: true}
  strategies.email_7pw.integration: {values: [multi, omni], weights: [3, 1]}
`)
	var normal, tri, beta []float64
	omni := 0
	for _, p := range e.Points {
		normal, tri, beta = append(normal, p[0].Number), append(tri, p[1].Number), append(beta, p[2].Number)
		if p[3].Number != math.Trunc(p[3].Number) || p[3].Number < 0 || p[3].Number > 12 {
			t.Fatalf("cap %v: want a whole number from 0 to 12", p[3])
		}
		if p[4].Text == "omni" {
			omni++
		}
	}
	if lo, hi := slices.Min(normal), slices.Max(normal); lo < 0 || hi > 0.99 || lo > 0.001 {
		t.Errorf("normal discount from %g to %g: want truncated at 0, the field's least, and reaching it", lo, hi)
	}
	// A normal(0.02, 0.05) truncated at 0 has mean 0.02 + 0.05·φ(0.4)/(1 − Φ(−0.4)) ≈ 0.0496.
	if m := mean(normal); math.Abs(m-0.0496) > 0.003 {
		t.Errorf("truncated normal mean %g; want about 0.0496", m)
	}
	if lo, hi := slices.Min(tri), slices.Max(tri); lo < 0 || hi > 0.3 || math.Abs(mean(tri)-0.35/3) > 0.005 {
		t.Errorf("triangular from %g to %g, mean %g; want 0 to 0.3, mean %g", lo, hi, mean(tri), 0.35/3)
	}
	// Beta(2, 5) has mean 2/7, scaled to 0.1–0.5: 0.1 + 0.4·2/7.
	if lo, hi := slices.Min(beta), slices.Max(beta); lo < 0.1 || hi > 0.5 || math.Abs(mean(beta)-(0.1+0.4*2/7.0)) > 0.005 {
		t.Errorf("beta from %g to %g, mean %g", lo, hi, mean(beta))
	}
	if share := float64(omni) / float64(len(e.Points)); math.Abs(share-0.25) > 0.03 {
		t.Errorf("omni drawn %g of the time; want a quarter", share)
	}
}

// A distribution over a whole-number field is cut to the range the field
// allows, found from the scenario itself: a cap is never below 0.
func TestIntegerDistributionTruncated(t *testing.T) {
	e := load(t, head+`design: {kind: lhs, points: 200}
parameters:
  strategies.email_7pw.caps.email.max: {distribution: normal, mean: 1, sd: 3, integer: true}
`)
	if p := e.Params[0]; p.Min != 0 {
		t.Errorf("cap's least %g; want 0, the least the scenario allows", p.Min)
	}
	zeros := 0
	for _, p := range e.Points {
		if v := p[0].Number; v < 0 || v != math.Trunc(v) {
			t.Fatalf("cap %g: want a whole number of at least 0", v)
		} else if v == 0 {
			zeros++
		}
	}
	if zeros == 0 {
		t.Error("no point drew a cap of 0; the truncated normal has much of its mass there")
	}
}

func mean(v []float64) float64 {
	s := 0.0
	for _, x := range v {
		s += x
	}
	return s / float64(len(v))
}

// A sobol design lays out Saltelli's scheme over the parameters that vary:
// for each base point, A, then A with each parameter taken from B, then
// B; a parameter with one value keeps it.
func TestSobolDesign(t *testing.T) {
	e := load(t, head+`design: {kind: sobol, points: 8}
parameters:
  population.size: {values: [500]}
  strategies.email_7pw.discount: {min: 0, max: 0.3}
  strategies.email_7pw.caps.email.max: {min: 1, max: 7, integer: true}
`)
	const d = 2
	if len(e.Points) != 8*(d+2) {
		t.Fatalf("%d points; want 8 × (2 + 2)", len(e.Points))
	}
	for j := range 8 {
		a, b := e.Points[j*(d+2)], e.Points[j*(d+2)+d+1]
		for i := range d {
			ab := e.Points[j*(d+2)+1+i]
			for k := 1; k <= d; k++ {
				want := a[k]
				if k == i+1 {
					want = b[k]
				}
				if ab[k] != want {
					t.Errorf("base %d, AB%d: parameter %d is %v; want %v", j, i+1, k, ab[k], want)
				}
			}
			if ab[0].Number != 500 {
				t.Errorf("population.size %v; want it held at 500", ab[0])
			}
		}
	}
	again := load(t, head+`design: {kind: sobol, points: 8}
parameters:
  population.size: {values: [500]}
  strategies.email_7pw.discount: {min: 0, max: 0.3}
  strategies.email_7pw.caps.email.max: {min: 1, max: 7, integer: true}
`)
	if !slices.EqualFunc(e.Points, again.Points, func(x, y []scenarios.Value) bool { return slices.Equal(x, y) }) {
		t.Error("the same file gave other points")
	}
}

// A morris design is trajectories of one-at-a-time steps: consecutive
// points of a trajectory differ in exactly one parameter.
func TestMorrisDesign(t *testing.T) {
	e := load(t, head+`design: {kind: morris, trajectories: 6, levels: 4}
parameters:
  strategies.email_7pw.discount: {min: 0, max: 0.3}
  strategies.email_7pw.caps.email.max: {min: 1, max: 7}
  run.horizon: {values: [60]}
`)
	const d = 2
	if len(e.Points) != 6*(d+1) {
		t.Fatalf("%d points; want 6 × 3", len(e.Points))
	}
	levels := []float64{0, 0.1, 0.2, 0.3}
	for tr := range 6 {
		for s := range d {
			x, y := e.Points[tr*(d+1)+s], e.Points[tr*(d+1)+s+1]
			diff := 0
			for k := range x {
				if x[k] != y[k] {
					diff++
				}
			}
			if diff != 1 {
				t.Errorf("trajectory %d, step %d: %d parameters change; want 1", tr, s, diff)
			}
		}
		for s := range d + 1 {
			if v := e.Points[tr*(d+1)+s][0].Number; !slices.ContainsFunc(levels, func(l float64) bool { return math.Abs(l-v) < 1e-12 }) {
				t.Errorf("discount %g is not one of the 4 levels %v", v, levels)
			}
		}
	}
}

// Any file is either loaded or refused with an error; nothing panics, and
// what loads has points within its parameters' ranges.
func FuzzLoad(f *testing.F) {
	f.Add([]byte(head + "design: {kind: lhs, points: 4}\nparameters:\n  strategies.email_7pw.discount: {min: 0, max: 0.3}\n"))
	f.Add([]byte(head + "parameters:\n  strategies.email_7pw.caps.email.max: {min: 1, max: 7, steps: 3, integer: true}\n"))
	f.Add([]byte("name: x\nscenario: email-pressure\nparameters: {run.horizon: {values: [10, 20]}}\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		e, err := experiment.Load("fuzz.yaml", data, options)
		if err != nil {
			return
		}
		for _, p := range e.Points {
			for k, prm := range e.Params {
				if prm.IsRange() && (p[k].Number < prm.Min || p[k].Number > prm.Max) {
					t.Fatalf("point value %v outside %g to %g", p[k], prm.Min, prm.Max)
				}
			}
		}
	})
}

// Every example experiment shipped with the project loads, and each of its
// design points compiles.
func TestShippedExperiments(t *testing.T) {
	files, err := filepath.Glob(filepath.Join("..", "experiments", "*.yaml"))
	if err != nil || len(files) < 2 {
		t.Fatalf("example experiments: %v, %v", files, err)
	}
	for _, f := range files {
		e, err := experiment.Open(f, options)
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		for p := range e.Points {
			if _, err := e.Model(p, scenarios.Options{}); err != nil {
				t.Errorf("%s point %d: %v", f, p, err)
			}
		}
	}
}
