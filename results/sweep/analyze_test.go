package sweep

import (
	"bytes"
	"encoding/json"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// synthetic writes a sweep folder for m into a new folder, appending the
// first units (point, replication) with the rows gen gives, and closes it.
func synthetic(t *testing.T, m *Manifest, units int, gen func(point, rep, strategy int) ([]string, []float64)) string {
	t.Helper()
	return syntheticSeeded(t, m, units, func(p, rep int) uint64 { return uint64(1000 + p*m.Replications + rep) }, gen)
}

// syntheticSeeded is synthetic with the seed of each point and
// replication from seed: replication r of every point shares one under
// common random numbers.
func syntheticSeeded(t *testing.T, m *Manifest, units int, seed func(point, rep int) uint64, gen func(point, rep, strategy int) ([]string, []float64)) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "sweep")
	m.Units = m.Points * m.Replications
	m.Shard = Shard{Index: 0, Count: 1}
	j, err := Create(dir, m, []byte("name: "+m.Experiment+"\n"), []byte("name: synthetic\n"))
	if err != nil {
		t.Fatal(err)
	}
	for u := range units {
		p, rep := u/m.Replications, u%m.Replications
		var rows []Row
		for s := range m.Strategies {
			params, outcomes := gen(p, rep, s)
			rows = append(rows, Row{Point: p, Replication: rep, Strategy: s, Seed: seed(p, rep), Params: params, Outcomes: outcomes})
		}
		if err := j.Append(rows); err != nil {
			t.Fatal(err)
		}
	}
	if err := j.Close(); err != nil {
		t.Fatal(err)
	}
	return dir
}

func num(v float64) string { return strconv.FormatFloat(v, 'g', -1, 64) }

// linearSweep: a grid over x1 ∈ {0..3}, x2 ∈ {0,1,2}, x3 ∈ {0,1}, three
// replications, two strategies; revenue = 3·x1 − x2 (+5 under b) plus
// noise of sd 0.1, except at point 0 under a, whose noise is −0.1, 0, 0.1;
// churn_rate = 0.1 + 0.01·x2 plus small noise; customers is constant.
func linearSweep(t *testing.T) (string, func(p int) (x1, x2, x3 float64)) {
	m := &Manifest{Experiment: "linear", Seed: "42", Points: 24, Replications: 3, Strategies: []string{"a", "b"},
		Params:   []ParamInfo{{Path: "x1", Numeric: true}, {Path: "x2", Numeric: true}, {Path: "x3", Numeric: true}},
		Outcomes: []Outcome{{Key: "revenue", Better: 1}, {Key: "churn_rate", Better: -1}, {Key: "customers", Better: 0}},
		Command:  "journeysim sweep linear.yaml --out somewhere"}
	coords := func(p int) (float64, float64, float64) {
		return float64(p / 6), float64(p / 2 % 3), float64(p % 2)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	dir := synthetic(t, m, m.Points*m.Replications, func(p, rep, s int) ([]string, []float64) {
		x1, x2, x3 := coords(p)
		noise := 0.1 * rng.NormFloat64()
		if p == 0 && s == 0 {
			noise = []float64{-0.1, 0, 0.1}[rep]
		}
		revenue := 3*x1 - x2 + noise + 5*float64(s)
		churn := 0.1 + 0.01*x2 + 0.001*rng.NormFloat64()
		return []string{num(x1), num(x2), num(x3)}, []float64{revenue, churn, 1000}
	})
	return dir, coords
}

func sensitivityOf(t *testing.T, a *Analysis, outcome, strategy string) Sensitivity {
	t.Helper()
	for _, s := range a.Sensitivity {
		if s.Outcome == outcome && s.Strategy == strategy {
			return s
		}
	}
	t.Fatalf("no sensitivity for %s under %s", outcome, strategy)
	return Sensitivity{}
}

func predictorOf(t *testing.T, s Sensitivity, name string) Predictor {
	t.Helper()
	for _, p := range s.Predictors {
		if p.Name == name {
			return p
		}
	}
	t.Fatalf("%s/%s: no predictor %s", s.Outcome, s.Strategy, name)
	return Predictor{}
}

func TestAnalyzeSensitivity(t *testing.T) {
	dir, _ := linearSweep(t)
	a, err := Analyze(dir)
	if err != nil {
		t.Fatal(err)
	}
	for _, st := range []string{"a", "b"} {
		s := sensitivityOf(t, a, "revenue", st)
		if s.Runs != 72 || s.Note != "" {
			t.Errorf("%s: runs %d, note %q", st, s.Runs, s.Note)
		}
		x1, x2, x3 := predictorOf(t, s, "x1"), predictorOf(t, s, "x2"), predictorOf(t, s, "x3")
		if x1.Rank != 1 || x2.Rank != 2 || x3.Rank != 3 {
			t.Errorf("%s: ranks x1 %d, x2 %d, x3 %d; want 1, 2, 3", st, x1.Rank, x2.Rank, x3.Rank)
		}
		if !(x1.SRC > 0 && x2.SRC < 0) {
			t.Errorf("%s: SRC x1 %g, x2 %g: want positive, negative", st, x1.SRC, x2.SRC)
		}
		// On the grid x1 and x2 are uncorrelated, so SRC = b·sd(x)/sd(y):
		// 3·sd(x1) and −1·sd(x2) over sd(y) = √(9·var(x1) + var(x2)),
		// noise aside.
		v1, v2 := 1.25, 2.0/3
		sy := math.Sqrt(9*v1 + v2)
		if want := 3 * math.Sqrt(v1) / sy; math.Abs(x1.SRC-want) > 0.005 {
			t.Errorf("%s: SRC x1 %g, want %g", st, x1.SRC, want)
		}
		if want := -math.Sqrt(v2) / sy; math.Abs(x2.SRC-want) > 0.005 {
			t.Errorf("%s: SRC x2 %g, want %g", st, x2.SRC, want)
		}
		if math.Abs(x3.SRC) > 0.02 {
			t.Errorf("%s: SRC x3 %g: x3 has no effect", st, x3.SRC)
		}
		if s.R2 < 0.99 || s.R2 > 1 {
			t.Errorf("%s: R² %g, want near 1", st, s.R2)
		}
		// Shares of the variance: 9·var(x1) and var(x2) of their sum.
		if w := 9 * v1 / (9*v1 + v2); math.Abs(x1.Share-w) > 0.01 {
			t.Errorf("%s: share x1 %g, want %g", st, x1.Share, w)
		}
		if w := v2 / (9*v1 + v2); math.Abs(x2.Share-w) > 0.01 {
			t.Errorf("%s: share x2 %g, want %g", st, x2.Share, w)
		}
		if x3.Share > 0.001 || !(x1.P < 1e-6 && x2.P < 1e-6) {
			t.Errorf("%s: share x3 %g; p-values x1 %g, x2 %g", st, x3.Share, x1.P, x2.P)
		}
		if s.Blocked || !math.IsNaN(s.SeedShare) {
			t.Errorf("%s: every run has a seed of its own, yet blocked %v, seed share %g", st, s.Blocked, s.SeedShare)
		}
	}
	churn := sensitivityOf(t, a, "churn_rate", "a")
	if p := predictorOf(t, churn, "x2"); p.Rank != 1 || p.SRC <= 0.9 {
		t.Errorf("churn_rate: x2 rank %d SRC %g; want rank 1, SRC near 1", p.Rank, p.SRC)
	}
	cust := sensitivityOf(t, a, "customers", "a")
	if !math.IsNaN(cust.R2) || !strings.Contains(cust.Note, "same in every run") {
		t.Errorf("constant outcome: R² %g, note %q", cust.R2, cust.Note)
	}
}

func TestAnalyzePoints(t *testing.T) {
	dir, coords := linearSweep(t)
	a, err := Analyze(dir)
	if err != nil {
		t.Fatal(err)
	}
	if len(a.Points) != 48 {
		t.Fatalf("%d point summaries, want 24 points × 2 strategies", len(a.Points))
	}
	// Point 0 under a: revenue −0.1, 0, 0.1: mean 0, sd 0.1, half-width
	// t(0.975, 2)·0.1/√3.
	p0 := a.Points[0]
	if p0.Point != 0 || p0.Strategy != "a" || p0.Replications != 3 || !slices.Equal(p0.Params, []string{"0", "0", "0"}) {
		t.Fatalf("first point summary: %+v", p0)
	}
	const t975df2 = 4.302652729911275
	if e := p0.Outcomes[0]; math.Abs(e.Mean) > 1e-12 || math.Abs(e.CI95-t975df2*0.1/math.Sqrt(3)) > 1e-9 {
		t.Errorf("point 0, a: revenue %g ± %g, want 0 ± %g", e.Mean, e.CI95, t975df2*0.1/math.Sqrt(3))
	}
	if e := p0.Outcomes[2]; e.Mean != 1000 || e.CI95 != 0 {
		t.Errorf("customers: %g ± %g", e.Mean, e.CI95)
	}
	// Every point's mean is near its noiseless value.
	for _, ps := range a.Points {
		x1, x2, _ := coords(ps.Point)
		want := 3*x1 - x2
		if ps.Strategy == "b" {
			want += 5
		}
		if math.Abs(ps.Outcomes[0].Mean-want) > 0.3 {
			t.Errorf("point %d %s: revenue %g, want about %g", ps.Point, ps.Strategy, ps.Outcomes[0].Mean, want)
		}
	}

	tables := a.Tables()
	var names []string
	for _, tb := range tables {
		names = append(names, tb.Name)
	}
	if !slices.Equal(names, []string{"points", "best", "sensitivity", "main_effects", "findings"}) {
		t.Fatalf("tables %v", names)
	}
	points := tables[0]
	var cols []string
	for _, c := range points.Columns {
		cols = append(cols, c.Name)
	}
	wantCols := []string{"point", "strategy", "x1", "x2", "x3",
		"revenue_mean", "revenue_ci95_low", "revenue_ci95_high",
		"churn_rate_mean", "churn_rate_ci95_low", "churn_rate_ci95_high",
		"customers_mean", "customers_ci95_low", "customers_ci95_high", "replications"}
	if !slices.Equal(cols, wantCols) {
		t.Errorf("points columns\n%v\nwant\n%v", cols, wantCols)
	}
	row := points.Rows[0]
	low, _ := strconv.ParseFloat(row[points.Column("revenue_ci95_low")], 64)
	high, _ := strconv.ParseFloat(row[points.Column("revenue_ci95_high")], 64)
	if hw := t975df2 * 0.1 / math.Sqrt(3); math.Abs(low+hw) > 1e-9 || math.Abs(high-hw) > 1e-9 || row[len(row)-1] != "3" {
		t.Errorf("points row 0: %v", row)
	}
	// Every table is written as CSV and Parquet.
	files, err := a.Files()
	if err != nil {
		t.Fatal(err)
	}
	var fileNames []string
	for _, f := range files {
		fileNames = append(fileNames, f.Name)
	}
	for _, want := range []string{"analysis.txt", "analysis.json", "points.csv", "points.parquet", "best.csv", "best.parquet", "sensitivity.csv", "sensitivity.parquet"} {
		if !slices.Contains(fileNames, want) {
			t.Errorf("files %v lack %s", fileNames, want)
		}
	}
	var doc map[string]any
	for _, f := range files {
		if f.Name == "analysis.json" {
			if err := json.Unmarshal(f.Data, &doc); err != nil {
				t.Errorf("analysis.json: %v", err)
			}
		}
	}
	if doc["experiment"] != "linear" {
		t.Errorf("analysis.json experiment %v", doc["experiment"])
	}
}

func TestAnalyzeBest(t *testing.T) {
	dir, coords := linearSweep(t)
	a, err := Analyze(dir)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string][]BestPoint{}
	for _, b := range a.Best {
		by[b.Outcome+"/"+b.Strategy] = append(by[b.Outcome+"/"+b.Strategy], b)
	}
	if len(by) != 4 {
		t.Fatalf("best lists %v: want revenue and churn_rate (customers has no direction) × 2 strategies", slices.Collect(func(yield func(string) bool) {
			for k := range by {
				if !yield(k) {
					return
				}
			}
		}))
	}
	for key, list := range by {
		if len(list) != TopPoints {
			t.Errorf("%s: %d points, want %d", key, len(list), TopPoints)
		}
		for k, b := range list {
			if b.Rank != k+1 {
				t.Errorf("%s: rank %d at position %d", key, b.Rank, k)
			}
			if k == 0 {
				continue
			}
			prev := list[k-1].Estimate.Mean
			if strings.HasPrefix(key, "revenue") && b.Estimate.Mean > prev {
				t.Errorf("%s: higher is better, but rank %d (%g) beats rank %d (%g)", key, b.Rank, b.Estimate.Mean, b.Rank-1, prev)
			}
			if strings.HasPrefix(key, "churn_rate") && b.Estimate.Mean < prev {
				t.Errorf("%s: lower is better, but rank %d (%g) beats rank %d (%g)", key, b.Rank, b.Estimate.Mean, b.Rank-1, prev)
			}
		}
	}
	// The best revenue is at x1 = 3, x2 = 0; the best churn at x2 = 0.
	if x1, x2, _ := coords(by["revenue/a"][0].Point); x1 != 3 || x2 != 0 {
		t.Errorf("best revenue at x1 = %g, x2 = %g", x1, x2)
	}
	for _, b := range by["churn_rate/b"][:2] {
		if _, x2, _ := coords(b.Point); x2 != 0 {
			t.Errorf("churn_rate: rank %d at x2 = %g", b.Rank, x2)
		}
	}
	var text bytes.Buffer
	if err := a.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	out := text.String()
	for _, want := range []string{"linear · 24 points × 2 strategies × 3 replications · seed 42",
		"Best points for revenue (higher is better)", "Best points for churn_rate (lower is better)", "% * rises", "explained"} {
		if !strings.Contains(out, want) {
			t.Errorf("text lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "Best points for customers") {
		t.Errorf("customers has no direction, but is ranked:\n%s", out)
	}
	// In the revenue sensitivity table x1 comes first, then x2, then x3.
	rev := out[strings.Index(out, "\nrevenue:"):]
	i1, i2, i3 := strings.Index(rev, "│ x1"), strings.Index(rev, "│ x2"), strings.Index(rev, "│ x3")
	if !(i1 >= 0 && i1 < i2 && i2 < i3) {
		t.Errorf("revenue sensitivity rows not by |SRC|:\n%s", rev)
	}
}

func TestAnalyzeTextParameter(t *testing.T) {
	m := &Manifest{Experiment: "levels", Seed: "3", Points: 12, Replications: 2, Strategies: []string{"only"},
		Params:   []ParamInfo{{Path: "x", Numeric: true}, {Path: "channel", Numeric: false}, {Path: "size", Numeric: true}},
		Outcomes: []Outcome{{Key: "revenue", Better: 1}}}
	levels := []string{"email", "sms", "web"}
	effect := map[string]float64{"email": 0, "sms": 5, "web": -3}
	rng := rand.New(rand.NewPCG(7, 7))
	dir := synthetic(t, m, m.Points*m.Replications, func(p, rep, s int) ([]string, []float64) {
		x, ch := float64(p/3), levels[p%3]
		return []string{num(x), ch, "100"}, []float64{x + effect[ch] + 0.05*rng.NormFloat64()}
	})
	a, err := Analyze(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := sensitivityOf(t, a, "revenue", "only")
	var names []string
	for _, p := range s.Predictors {
		names = append(names, p.Name)
	}
	if !slices.Equal(names, []string{"x", "channel"}) {
		t.Fatalf("predictors %v: want x and channel, the parameters that vary", names)
	}
	// The channel's levels move revenue by 8 (sms to web), x by 3 over
	// its range: the channel has the larger share.
	x, ch := predictorOf(t, s, "x"), predictorOf(t, s, "channel")
	if ch.Rank != 1 || x.Rank != 2 || ch.Share < 0.5 || !math.IsNaN(ch.SRC) || s.R2 < 0.99 {
		t.Errorf("channel %+v, x %+v, R² %g", ch, x, s.R2)
	}
	var text bytes.Buffer
	if err := a.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "held fixed: size = 100") {
		t.Errorf("text does not say size is fixed:\n%s", text.String())
	}
}

func TestAnalyzeTooFewRuns(t *testing.T) {
	m := &Manifest{Experiment: "tiny", Seed: "1", Points: 2, Replications: 1, Strategies: []string{"a"},
		Params:   []ParamInfo{{Path: "x1", Numeric: true}, {Path: "x2", Numeric: true}},
		Outcomes: []Outcome{{Key: "revenue", Better: 1}}}
	dir := synthetic(t, m, 2, func(p, rep, s int) ([]string, []float64) {
		return []string{num(float64(p)), num(float64(2 * p))}, []float64{float64(p)}
	})
	a, err := Analyze(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := sensitivityOf(t, a, "revenue", "a")
	if !strings.Contains(s.Note, "too few runs (2) to fit 2 parameters") || !math.IsNaN(s.R2) {
		t.Errorf("note %q, R² %g", s.Note, s.R2)
	}
	var text bytes.Buffer
	if err := a.WriteText(&text); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text.String(), "revenue: too few runs (2) to fit 2 parameters") {
		t.Errorf("text lacks the note:\n%s", text.String())
	}
}

func TestAnalyzeCollinear(t *testing.T) {
	m := &Manifest{Experiment: "twins", Seed: "1", Points: 10, Replications: 1, Strategies: []string{"a"},
		Params:   []ParamInfo{{Path: "x1", Numeric: true}, {Path: "twice_x1", Numeric: true}},
		Outcomes: []Outcome{{Key: "revenue", Better: 1}}}
	dir := synthetic(t, m, 10, func(p, rep, s int) ([]string, []float64) {
		return []string{num(float64(p)), num(float64(2 * p))}, []float64{float64(p) + 0.01*float64(p%3)}
	})
	a, err := Analyze(dir)
	if err != nil {
		t.Fatal(err)
	}
	s := sensitivityOf(t, a, "revenue", "a")
	x1, twin := predictorOf(t, s, "x1"), predictorOf(t, s, "twice_x1")
	if x1.Rank != 1 || !math.IsNaN(twin.SRC) || !math.IsNaN(twin.Share) || !strings.Contains(s.Note, "twice x1 varies only together with other parameters") {
		t.Errorf("x1 %+v, twice_x1 %+v, note %q", x1, twin, s.Note)
	}
}

func TestAnalyzeRefusesIncomplete(t *testing.T) {
	m := &Manifest{Experiment: "cut", Seed: "1", Points: 4, Replications: 2, Strategies: []string{"a", "b"},
		Params:   []ParamInfo{{Path: "x", Numeric: true}},
		Outcomes: []Outcome{{Key: "revenue", Better: 1}},
		Command:  "journeysim sweep cut.yaml --out cut"}
	dir := synthetic(t, m, 3, func(p, rep, s int) ([]string, []float64) {
		return []string{num(float64(p))}, []float64{1}
	})
	_, err := Analyze(dir)
	if err == nil {
		t.Fatal("an incomplete sweep was analysed")
	}
	for _, want := range []string{dir, "3 of 8 runs", "not complete", "journeysim sweep cut.yaml --out cut --resume"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error %q lacks %q", err, want)
		}
	}
	if _, err := Analyze(t.TempDir()); err == nil || !strings.Contains(err.Error(), "not a sweep folder") {
		t.Errorf("empty folder: %v", err)
	}
}

func TestRanks(t *testing.T) {
	got := rankValues([]float64{3, 1, 3, 2})
	if want := []float64{3.5, 1, 3.5, 2}; !slices.Equal(got, want) {
		t.Errorf("ranks %v, want %v", got, want)
	}
}
