package main

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results/sweep"
)

// writeSweep makes a sweep folder in a new temporary folder: a grid over
// x1 ∈ {0..3} and x2 ∈ {0,1,2}, three replications, two strategies, with
// revenue = 3·x1 − x2 plus noise, holding the first units runs (all when
// units < 0).
func writeSweep(t *testing.T, units int) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "sweep")
	m := &sweep.Manifest{Experiment: "linear", Seed: "11", Points: 12, Replications: 3, Strategies: []string{"base", "omni"},
		Params:   []sweep.ParamInfo{{Path: "x1", Numeric: true}, {Path: "x2", Numeric: true}},
		Outcomes: []sweep.Outcome{{Key: "revenue", Better: 1}, {Key: "churn_rate", Better: -1}},
		Shard:    sweep.Shard{Index: 0, Count: 1}, Units: 36,
		Command: "journeysim sweep linear.yaml --out " + dir}
	if units < 0 {
		units = m.Units
	}
	j, err := sweep.Create(dir, m, []byte("name: linear\n"), []byte("name: synthetic\n"))
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewPCG(5, 6))
	for u := range units {
		p, rep := u/m.Replications, u%m.Replications
		x1, x2 := float64(p/3), float64(p%3)
		params := []string{strconv.FormatFloat(x1, 'g', -1, 64), strconv.FormatFloat(x2, 'g', -1, 64)}
		var rows []sweep.Row
		for s := range m.Strategies {
			rows = append(rows, sweep.Row{Point: p, Replication: rep, Strategy: s, Seed: uint64(u), Params: params,
				Outcomes: []float64{3*x1 - x2 + float64(s) + 0.1*rng.NormFloat64(), 0.1 + 0.01*x2 + 0.001*rng.NormFloat64()}})
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

func TestAnalyzeCommand(t *testing.T) {
	dir := writeSweep(t, -1)
	code, stdout, stderr := runCLI(t, "analyze", dir)
	if code != exitOK {
		t.Fatalf("exit %d\n%s%s", code, stdout, stderr)
	}
	for _, want := range []string{"linear · 12 points × 2 strategies × 3 replications · seed 11",
		"Best points for revenue (higher is better)", "Best points for churn_rate (lower is better)",
		"What moves each outcome", "explained", "analysis written to " + filepath.Join(dir, "analysis")} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	// revenue = 3·x1 − x2: x1 is the largest effect, upwards; x2 second,
	// downwards.
	rev := stdout[strings.Index(stdout, "\nrevenue:"):]
	rev = rev[:strings.Index(rev, "\nchurn_rate:")]
	i1, i2 := strings.Index(rev, "│ x1 "), strings.Index(rev, "│ x2 ")
	if i1 < 0 || i2 < i1 {
		t.Errorf("revenue sensitivity: x1 should be ranked before x2:\n%s", rev)
	}
	line1 := rev[i1 : i1+strings.Index(rev[i1:], "\n")]
	line2 := rev[i2 : i2+strings.Index(rev[i2:], "\n")]
	if !strings.Contains(line1, "95% * rises") || !strings.Contains(line2, "5% * falls") {
		t.Errorf("revenue sensitivity rows:\n%s\n%s", line1, line2)
	}
	for _, name := range []string{"points", "best", "sensitivity", "main_effects", "findings"} {
		for _, ext := range []string{".csv", ".parquet"} {
			path := filepath.Join(dir, "analysis", name+ext)
			if info, err := os.Stat(path); err != nil || info.Size() == 0 {
				t.Errorf("%s: %v", path, err)
			}
		}
	}
	data, err := os.ReadFile(filepath.Join(dir, "analysis", "sensitivity.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(string(data), "outcome,strategy,parameter,share,rank,p_value,") || !strings.Contains(string(data), "\nrevenue,base,x1,0.9") {
		t.Errorf("sensitivity.csv:\n%s", data)
	}
	// Analysing again replaces the earlier analysis; the result does not
	// change.
	before, _ := os.ReadFile(filepath.Join(dir, "analysis", "points.parquet"))
	if code, _, stderr := runCLI(t, "analyze", dir, "--format", "csv"); code != exitOK {
		t.Fatalf("second analysis: exit %d: %s", code, stderr)
	}
	after, _ := os.ReadFile(filepath.Join(dir, "analysis", "points.parquet"))
	if string(before) != string(after) {
		t.Error("points.parquet differs between two analyses of one folder")
	}
	entries, _ := os.ReadDir(filepath.Dir(dir))
	if len(entries) != 1 {
		t.Errorf("files left beside the sweep folder: %v", entries)
	}
	// The thresholds the report shows are printed too: revenue rises with
	// x1 and falls with x2, so it is best at their ends; every line fits
	// 80 columns.
	for _, want := range []string{"\nAlong x1: 4 values from 0 to 3\n", "    - base: revenue is highest at the largest value tried, x1 = 3",
		"\nAlong x2: 3 values from 0 to 2\n", "    - omni: revenue is highest at the smallest value tried, x2 = 0"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("output lacks %q:\n%s", want, stdout)
		}
	}
	thresholds := stdout[strings.Index(stdout, "\nThresholds:"):strings.Index(stdout, "\nanalysis written to")]
	for _, line := range strings.Split(thresholds, "\n") {
		if n := len([]rune(line)); n > 80 {
			t.Errorf("a thresholds line is %d columns wide: %q", n, line)
		}
	}
}

func TestAnalyzeFormatsAndOut(t *testing.T) {
	dir := writeSweep(t, -1)
	out := filepath.Join(t.TempDir(), "elsewhere")
	code, stdout, stderr := runCLI(t, "analyze", dir, "--format", "csv", "--out", out)
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.HasPrefix(stdout, "point,strategy,x1,x2,revenue_mean,revenue_ci95_low,revenue_ci95_high,") || strings.Count(stdout, "\n") != 1+24 {
		t.Errorf("csv output:\n%s", stdout)
	}
	if _, err := os.Stat(filepath.Join(out, "best.parquet")); err != nil {
		t.Error(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "analysis")); err == nil {
		t.Error("--out given, yet DIR/analysis was written")
	}
	code, stdout, stderr = runCLI(t, "analyze", dir, "--format", "json", "--out", out)
	if code != exitOK {
		t.Fatalf("json: exit %d: %s", code, stderr)
	}
	var doc struct {
		Sensitivity []struct {
			Outcome, Strategy string
			Parameters        []struct {
				Parameter string
				Rank      int
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil || len(doc.Sensitivity) != 4 {
		t.Fatalf("json output (%v):\n%s", err, stdout)
	}
	if c := doc.Sensitivity[0].Parameters; len(c) == 0 || c[0].Parameter != "x1" || c[0].Rank != 1 {
		t.Errorf("json: revenue coefficients %+v", c)
	}
}

func TestAnalyzeErrors(t *testing.T) {
	incomplete := writeSweep(t, 10)
	code, _, stderr := runCLI(t, "analyze", incomplete)
	if code != exitUsage {
		t.Errorf("incomplete sweep: exit %d, want %d", code, exitUsage)
	}
	for _, want := range []string{incomplete, "10 of 36 runs", "--resume"} {
		if !strings.Contains(stderr, want) {
			t.Errorf("incomplete sweep: stderr lacks %q:\n%s", want, stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(incomplete, "analysis")); err == nil {
		t.Error("an incomplete sweep was analysed")
	}

	dir := writeSweep(t, -1)
	notSweep := t.TempDir()
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no folder", []string{"analyze", filepath.Join(notSweep, "nosuch")}, "nosuch does not exist"},
		{"not a sweep", []string{"analyze", notSweep}, "is not a result folder"},
		{"a file", []string{"analyze", filepath.Join(dir, sweep.ManifestFile)}, "is a file"},
		{"bad format", []string{"analyze", dir, "--format", "xml"}, `--format "xml": allowed: table, csv, json`},
		{"no argument", []string{"analyze"}, "takes 1 argument"},
		{"out over the sweep", []string{"analyze", dir, "--out", dir}, "holds files that are not an analysis"},
	}
	for _, tc := range cases {
		code, stdout, stderr := runCLI(t, tc.args...)
		if code != exitUsage || !strings.Contains(stderr, tc.want) || stdout != "" {
			t.Errorf("%s: exit %d, stdout %q, stderr %q; want exit %d and %q", tc.name, code, stdout, stderr, exitUsage, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, sweep.RunsFile)); err != nil {
		t.Errorf("the sweep folder was harmed: %v", err)
	}
}

// On the built-in email-pressure scenario, revenue rises with the first
// extra e-mails a week and falls as customers tire of them: the weekly cap
// ranks first for revenue, and the analysis finds its peak inside the
// range, from paired differences on the grid.
func TestAnalyzeEmailCapPeak(t *testing.T) {
	out := sweepExperiment(t, "email-cap")
	code, stdout, stderr := runCLI(t, "analyze", out, "--format", "json")
	if code != exitOK {
		t.Fatalf("analyze: exit %d\n%s", code, stderr)
	}
	var doc struct {
		Sensitivity []struct {
			Outcome    string
			Parameters []struct {
				Parameter string
				Rank      int
				Share     float64
			}
		}
		MainEffects []struct {
			Outcome, Parameter string
			Finding            struct {
				Shape       string
				Best        float64
				NonMonotone bool `json:"non_monotone"`
			}
		} `json:"main_effects"`
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	const capPath = "strategies.email_7pw.caps.email.max"
	ranked, shaped := false, false
	for _, s := range doc.Sensitivity {
		if s.Outcome == "revenue" {
			ranked = true
			if p := s.Parameters[0]; p.Parameter != capPath || p.Rank != 1 || p.Share < 0.5 {
				t.Errorf("revenue: %+v; want the cap first, with most of the within-seed variance", s.Parameters)
			}
		}
	}
	for _, me := range doc.MainEffects {
		if me.Outcome == "revenue" && me.Parameter == capPath {
			shaped = true
			if f := me.Finding; f.Shape != "best_inside" || !f.NonMonotone || f.Best <= 1 || f.Best >= 7 {
				t.Errorf("revenue along the cap: %+v; want a peak inside 1 to 7", f)
			}
		}
	}
	if !ranked || !shaped {
		t.Fatalf("no revenue analysis:\n%s", stdout)
	}
	checkDocExample(t, out, "Along most email contacts in 7 days", 5)
}

// sweepExperiment runs the built-in experiment name
// (scenarios/experiments/NAME.yaml) into a new folder, which it returns.
func sweepExperiment(t *testing.T, name string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), name)
	if code, stdout, stderr := runCLI(t, "sweep", filepath.Join("..", "..", "scenarios", "experiments", name+".yaml"), "--out", out, "--quiet"); code != exitOK {
		t.Fatalf("sweep %s: exit %d\n%s%s", name, code, stdout, stderr)
	}
	return out
}

// checkDocExample checks that docs/experiments.md's worked example shows
// what analysing the sweep folder dir prints: the lines lines from the
// one that starts with first.
func checkDocExample(t *testing.T, dir, first string, lines int) {
	t.Helper()
	checkShown(t, filepath.Join("..", "..", "docs", "experiments.md"), dir, first, lines)
}

// checkShown checks that the document doc shows what analysing the sweep
// folder dir prints: the lines lines from the one that starts with first.
func checkShown(t *testing.T, doc, dir, first string, lines int) {
	t.Helper()
	code, stdout, stderr := runCLI(t, "analyze", dir)
	if code != exitOK {
		t.Fatalf("analyze: exit %d\n%s", code, stderr)
	}
	all := strings.Split(stdout, "\n")
	i := slices.IndexFunc(all, func(l string) bool { return strings.HasPrefix(l, first) })
	if i < 0 || i+lines > len(all) {
		t.Fatalf("analyze prints no %q:\n%s", first, stdout)
	}
	block := strings.Join(all[i:i+lines], "\n") + "\n"
	text, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(text), block) {
		t.Errorf("%s should show what analyze prints:\n%s", doc, block)
	}
}

// The README's sweep example shows what its commands print.
func TestReadmeSweepExample(t *testing.T) {
	checkShown(t, filepath.Join("..", "..", "README.md"), sweepExperiment(t, "email-frequency"), "revenue (the seeds", 8)
}

// The worked example's Sobol' design (1,792 runs) gives the indices the
// docs show.
func TestSobolExperimentDoc(t *testing.T) {
	out := sweepExperiment(t, "email-sobol")
	checkDocExample(t, out, "revenue, email_7pw", 13)
}

// The built-in Morris screening runs and is analysed into elementary
// effects from the folder alone: the sample the analysis lays out again
// from the sweep's seed matches the runs, and the cap moves the opt-out
// share more than the discount, which cannot move it at all.
func TestAnalyzeMorrisExperiment(t *testing.T) {
	out := sweepExperiment(t, "email-morris")
	code, stdout, stderr := runCLI(t, "analyze", out, "--format", "json")
	if code != exitOK {
		t.Fatalf("analyze: exit %d\n%s", code, stderr)
	}
	var doc struct {
		Morris []struct {
			Outcome    string
			Note       string
			Parameters []struct {
				Parameter string
				MuStar    struct{ Value, Low, High float64 } `json:"mu_star"`
			}
		}
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Morris) != 4 {
		t.Fatalf("%d Morris results; want one per outcome (4)", len(doc.Morris))
	}
	for _, r := range doc.Morris {
		if r.Note != "" || len(r.Parameters) != 5 {
			t.Fatalf("%s: note %q, %d parameters; want effects of 5", r.Outcome, r.Note, len(r.Parameters))
		}
		if r.Outcome != "opt_out_rate" {
			continue
		}
		effect := map[string]float64{}
		for _, p := range r.Parameters {
			effect[p.Parameter] = p.MuStar.Value
		}
		if cap, discount := effect["strategies.email_7pw.caps.email.max"], effect["strategies.email_7pw.discount"]; !(cap > 0.1 && discount == 0) {
			t.Errorf("opt-out share: cap's effect %g, discount's %g; want a large one and none", cap, discount)
		}
	}
	checkDocExample(t, out, "revenue, email_7pw (effects in EUR)", 10)
	// The report shows the same effects, and sums up the values tried.
	if code, _, stderr := runCLI(t, "report", out); code != exitOK {
		t.Fatalf("report: exit %d\n%s", code, stderr)
	}
	page, err := os.ReadFile(filepath.Join(out, "report.html"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<section id="indices">`, "Screening (Morris elementary effects, 20 trajectories, 4 levels)",
		"opt_out_rate, email_7pw (effects in percentage points)"} {
		if !strings.Contains(string(page), want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// With other parameters varied beside it (the discount, the click rate),
// the weekly cap still ranks first for revenue in email-pressure, whose
// revenue rises and falls along it, and its peak is found inside the
// range: a linear coefficient alone would rank it last.
func TestAnalyzeCapRanksFirstAmongOthers(t *testing.T) {
	exp := writeExperiment(t, `name: cap-and-others
scenario: email-pressure
seed: 7
replications: 3
strategies: [email_7pw]
outcomes: [revenue]
design: {kind: grid}
parameters:
  population.size: {values: [2000]}
  run.horizon: {values: [90]}
  strategies.email_7pw.caps.email.max: {min: 1, max: 7, steps: 7, integer: true}
  strategies.email_7pw.discount: {values: [0, 0.03]}
  channels.email.behaviour.params.rate: {values: [0.07, 0.09]}
`)
	out := filepath.Join(t.TempDir(), "out")
	if code, stdout, stderr := runCLI(t, "sweep", exp, "--out", out, "--quiet"); code != exitOK {
		t.Fatalf("sweep: exit %d\n%s%s", code, stdout, stderr)
	}
	a, err := sweep.Analyze(out)
	if err != nil {
		t.Fatal(err)
	}
	const capPath = "strategies.email_7pw.caps.email.max"
	for _, s := range a.Sensitivity {
		for _, p := range s.Predictors {
			if p.Rank == 1 && (p.Name != capPath || p.P >= 0.05) {
				t.Errorf("ranked first: %s (share %g, p %g); want the cap, told apart from noise", p.Name, p.Share, p.P)
			}
		}
	}
	for _, me := range a.MainEffects {
		if a.Manifest.Params[me.Param].Path != capPath {
			continue
		}
		if f := me.Finding; f.Shape != sweep.BestInside || !f.NonMonotone || f.Best <= 1 || f.Best >= 7 {
			t.Errorf("revenue along the cap: %+v; want a peak inside 1 to 7", f)
		}
	}
}

// The analysis says each parameter in words: a lever by its description
// (the cx-investment service level), a cap by what it limits (the
// email-pressure weekly cap). Its paths appear only in its legend of
// parameters, on screen and in analysis.txt; analysis.json keeps them as
// keys, with the words as labels.
func TestAnalyzeParametersInWords(t *testing.T) {
	for _, tc := range []struct {
		name, experiment, path, words string
	}{
		{"lever", `name: service-words
scenario: cx-investment
seed: 3
replications: 2
strategies: [fixed, thin_service]
outcomes: [profit, nps]
design: {kind: grid}
parameters:
  population.size: {values: [300]}
  run.horizon: {values: [60]}
  strategies.fixed.levers.service: {min: 0, max: 2, steps: 3}
`, "strategies.fixed.levers.service", "the service level (fixed)"},
		{"cap", `name: cap-words
scenario: email-pressure
seed: 3
replications: 2
strategies: [email_1pw, email_7pw]
outcomes: [revenue, opt_out_rate]
design: {kind: grid}
parameters:
  population.size: {values: [300]}
  run.horizon: {values: [60]}
  strategies.email_7pw.caps.email.max: {values: [1, 4, 7]}
  strategies.email_7pw.discount: {values: [0, 0.1]}
`, "strategies.email_7pw.caps.email.max", "most email contacts in 7 days (email_7pw)"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			out := filepath.Join(t.TempDir(), "out")
			if code, stdout, stderr := runCLI(t, "sweep", writeExperiment(t, tc.experiment), "--out", out, "--quiet"); code != exitOK {
				t.Fatalf("sweep: exit %d\n%s%s", code, stdout, stderr)
			}
			code, stdout, stderr := runCLI(t, "analyze", out, "--width", "80")
			if code != exitOK {
				t.Fatalf("analyze: exit %d\n%s", code, stderr)
			}
			saved, err := os.ReadFile(filepath.Join(out, "analysis", "analysis.txt"))
			if err != nil {
				t.Fatal(err)
			}
			for what, text := range map[string]string{"the screen": stdout, "analysis.txt": string(saved)} {
				if !strings.Contains(text, "\n  "+tc.path+": ") {
					t.Errorf("%s: the legend does not give %s:\n%s", what, tc.path, text)
				}
				if !strings.Contains(text, "\nAlong "+tc.words+": ") || !strings.Contains(text, "│ "+tc.words) {
					t.Errorf("%s: the thresholds or the tables do not say %q:\n%s", what, tc.words, text)
				}
				legend := false
				for i, line := range strings.Split(text, "\n") {
					switch {
					case line == sweep.LegendTitle:
						legend = true
						continue
					case legend && strings.HasPrefix(line, "  "):
						continue
					}
					legend = false
					for _, path := range []string{tc.path, "population.size", "run.horizon", "strategies.", "levers."} {
						if strings.Contains(line, path) && !strings.HasPrefix(line, "analysis written to") {
							t.Errorf("%s, line %d, outside the legend: %s in %q", what, i+1, path, line)
						}
					}
				}
			}
			_, js, _ := runCLI(t, "analyze", out, "--format", "json")
			var doc struct {
				Params []struct{ Path, Label string }
			}
			if err := json.Unmarshal([]byte(js), &doc); err != nil {
				t.Fatal(err)
			}
			i := slices.IndexFunc(doc.Params, func(p struct{ Path, Label string }) bool { return p.Path == tc.path })
			if i < 0 || doc.Params[i].Label != tc.words {
				t.Errorf("analysis.json params %+v; want %s labelled %q", doc.Params, tc.path, tc.words)
			}
		})
	}
}
