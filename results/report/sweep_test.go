package report

import (
	"bytes"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/internal/sweepfixture"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/scenarios"
	"golang.org/x/net/html"
)

const (
	capPath  = "strategies.email_7pw.caps.email.max"
	modePath = "strategies.email_7pw.integration"
	// capWords and modeWords are how the page names them, but in its
	// legend of parameters.
	capWords  = "most email contacts in 7 days (email_7pw)"
	modeWords = "integration (email_7pw)"
)

// sweepDir writes a complete sweep folder of the built-in email-pressure
// scenario by hand: the e-mail cap of email_7pw on 1, 2, 3 × its
// integration (text) multi and omni × 2 replications, population.size
// fixed at 300, with the outcomes of sweepfixture.GridAnalysis (revenue of email_7pw
// peaks at a cap of 2 and overtakes email_1pw's once the cap exceeds 1.3).
// The experiment's description is evil, to be escaped.
func sweepDir(t *testing.T) string {
	t.Helper()
	return sweepDirOf(t, sweepfixture.GridAnalysis())
}

// sweepDirOf writes the sweep folder of sweepDir with the outcomes of a,
// an analysis shaped as sweepfixture.GridAnalysis's, and as many replications as a's
// points have values.
func sweepDirOf(t *testing.T, a *sweep.Analysis) string {
	t.Helper()
	src, err := scenarios.BuiltinSource("email-pressure")
	if err != nil {
		t.Fatal(err)
	}
	exp := []byte("name: grid\ndescription: \"" + strings.ReplaceAll(evilName, `"`, `\"`) + " against once a week\"\nscenario: email-pressure\n")
	m := &sweep.Manifest{Version: "test", Experiment: "grid", ExperimentSHA256: output.Hash(exp),
		ScenarioOrigin: "builtin:email-pressure", ScenarioSHA256: output.Hash(src), Seed: "7",
		Points: 6, Replications: len(a.Points[0].Outcomes[0].Values), Strategies: []string{"email_7pw", "email_1pw"},
		Params:   []sweep.ParamInfo{{Path: capPath, Numeric: true}, {Path: modePath}, {Path: "population.size", Numeric: true}},
		Outcomes: []sweep.Outcome{{Key: "revenue", Better: 1}, {Key: "churn_rate", Better: -1}},
		Shard:    sweep.Shard{Count: 1}}
	m.Units = m.Points * m.Replications
	dir := filepath.Join(t.TempDir(), "sweep")
	j, err := sweep.Create(dir, m, exp, src)
	if err != nil {
		t.Fatal(err)
	}
	for u := range m.Units {
		p, r := u/m.Replications, u%m.Replications
		var rows []sweep.Row
		for s := range m.Strategies {
			ps := a.Points[p*2+s]
			rows = append(rows, sweep.Row{Point: p, Replication: r, Strategy: s, Seed: uint64(r),
				Params:   []string{ps.Params[0], []string{"multi", "omni"}[p%2], "300"},
				Outcomes: []float64{ps.Outcomes[0].Values[r], ps.Outcomes[1].Values[r]}})
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

func TestSweepReport(t *testing.T) {
	dir := sweepDir(t)
	page, err := Build(dir, describe)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := html.Parse(bytes.NewReader(page))
	if err != nil {
		t.Fatalf("not HTML: %v", err)
	}
	checkExpect(t, doc, "An inverted U: revenue rises")
	text := string(page)
	for _, want := range []string{
		"<h1>Contact pressure and fatigue</h1>",
		// The run in plain words is the sweep's: its replications and
		// seed, not the scenario's one replication and seed 20240415.
		"A run lasts 180 days, 2 replications (seed 7).",
		"The scenario as the sweep ran it, with the sweep&#39;s replications and seed and the settings it holds fixed (the number of customers = 300).",
		"<strong>Sweep grid</strong>: &lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; against once a week",
		"Scenario <strong>email-pressure</strong>", "6 design points × 2 strategies × 2 replications · seed 7",
		// Explained with population.size set to the sweep's 300; the
		// parameters in words, their paths in the legend: the table of
		// the parameters varied and the note of those held fixed.
		"Held fixed: the number of customers (population.size) = 300.", "300 customers",
		`<tr><th scope="row">most email contacts in 7 days, for email_7pw (` + capPath + `)</th><td class="text">1, 2, 3</td></tr>`,
		`<tr><th scope="row">integration, for email_7pw (` + modePath + `)</th><td class="text">multi, omni</td></tr>`,
		`id="best"`, "<td>35.0<span class=\"where\">at " + capWords + " = 2, " + modeWords + " = omni", "the same at every point",
		"<h2>Thresholds</h2>", "<h3>Along " + capWords + ": 3 values from 1 to 3</h3>",
		"Every outcome of email_1pw is the same at every value of " + capWords + ".",
		"<li>email_7pw: revenue peaks at " + capWords + " = 2 (34.0 EUR); both ends of the range are clearly lower.</li>",
		"<li>email_7pw overtakes email_1pw on churn (lower is better) once " + capWords + " exceeds 1.4 (both about 8.0% there).</li>",
		"said only as far as the design supports it",
		modeWords + " takes words, not numbers",
		// Only the strategies the sweep ran are described.
		"It ran only 2 strategies of the scenario&#39;s 7, so email_2pw, email_3pw, email_4pw, email_5pw and email_6pw are left out.",
		`<h4 class="l1">email_1pw</h4>`, `<h4 class="l1">email_7pw</h4>`,
	} {
		if !strings.Contains(text, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if n := strings.Count(text, "<svg"); n != 2 {
		t.Errorf("%d charts; want 2, revenue and churn against the cap", n)
	}
	for _, bad := range []string{"<script", "The lesson:", `id="check-table"`, "<h2>Thresholds: the checks</h2>", "1 replication", "20240415", "within the noise: ",
		`<h4 class="l1">email_3pw</h4>`} {
		if strings.Contains(text, bad) {
			t.Errorf("the page holds %q", bad)
		}
	}
	// The paths are in the legend only (and in the charts' ids, which
	// no one reads): every other mention is in words.
	for _, path := range []string{capPath, modePath, "population.size"} {
		legend := strings.Count(text, "("+path+")")
		ids := strings.Count(text, "-vs-"+path+`"`)
		if n := strings.Count(text, path); n != legend+ids || legend != 1 {
			t.Errorf("%s appears %d times, %d in the legend; want once, in the legend", path, n, legend)
		}
	}
	again, err := Build(dir, describe)
	if err != nil || !bytes.Equal(page, again) {
		t.Errorf("two reports of the same sweep differ (%v)", err)
	}

	// A scenario changed after the sweep is refused.
	if err := os.WriteFile(filepath.Join(dir, sweep.ScenarioFile), []byte("name: other\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(dir, describe); err == nil || !strings.Contains(err.Error(), "changed after the sweep") {
		t.Errorf("a changed scenario: %v", err)
	}
}

// An incomplete sweep is refused, with the command that finishes it.
func TestSweepReportIncomplete(t *testing.T) {
	dir := sweepDir(t)
	m, err := sweep.ReadManifest(dir)
	if err != nil {
		t.Fatal(err)
	}
	m.Complete, m.Done = false, m.Units-1
	if err := sweep.WriteManifest(dir, m); err != nil {
		t.Fatal(err)
	}
	if _, err := Build(dir, describe); err == nil || !strings.Contains(err.Error(), "not complete") {
		t.Errorf("an incomplete sweep: %v", err)
	}
}

// A sweep of text parameters only has neither charts nor thresholds, and
// says why.
func TestSweepReportTextOnly(t *testing.T) {
	dir := sweepDir(t)
	runs, err := os.ReadFile(filepath.Join(dir, sweep.RunsFile))
	if err != nil {
		t.Fatal(err)
	}
	// Every point at a cap of 1: only the integration varies.
	lines := strings.Split(string(runs), "\n")
	for i := 1; i < len(lines); i++ {
		cells := strings.Split(lines[i], ",")
		if len(cells) > 6 {
			if _, err := strconv.Atoi(cells[6]); err == nil {
				cells[6] = "1"
			}
			lines[i] = strings.Join(cells, ",")
		}
	}
	if err := os.WriteFile(filepath.Join(dir, sweep.RunsFile), []byte(strings.Join(lines, "\n")), 0o644); err != nil {
		t.Fatal(err)
	}
	page, err := Build(dir, describe)
	if err != nil {
		t.Fatal(err)
	}
	text := string(page)
	for _, want := range []string{"no number to chart", "no thresholds along one", modeWords + " takes words"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	if strings.Contains(text, "<svg") || strings.Contains(text, "<h3>Along") {
		t.Error("a text-only sweep has charts or thresholds")
	}
}

// A break-even point the replications do not support says so on the page:
// the paired differences are read from the runs table, replication by
// replication.
func TestSweepReportNoise(t *testing.T) {
	page, err := Build(sweepDirOf(t, sweepfixture.NoisyAnalysis()), describe)
	if err != nil {
		t.Fatal(err)
	}
	want := "<li>email_7pw may overtake email_1pw on revenue near " + capWords + " = 1.3 (both about 20.0 EUR there), but the design cannot tell: the difference is not significant at 1.</li>"
	if !strings.Contains(string(page), want) {
		t.Errorf("the page lacks %q", want)
	}
}

// With one replication, the run in plain words says so, with the sweep's
// seed; the thresholds are tested on the spread over the other
// parameter's settings (the integration), as in an analysis of variance
// without replication.
func TestSweepReportOneReplication(t *testing.T) {
	a := sweepfixture.GridAnalysis()
	for i := range a.Points {
		for o, e := range a.Points[i].Outcomes {
			a.Points[i].Outcomes[o] = results.NewEstimate(e.Values[:1])
		}
	}
	page, err := Build(sweepDirOf(t, a), describe)
	if err != nil {
		t.Fatal(err)
	}
	text := string(page)
	for _, want := range []string{"A run lasts 180 days, 1 replication (seed 7).",
		"<li>email_7pw: revenue peaks at " + capWords + " = 2 (34.0 EUR); both ends of the range are clearly lower.</li>",
		"<li>email_7pw overtakes email_1pw on churn (lower is better) once " + capWords + " exceeds 1.4 (both about 8.0% there).</li>"} {
		if !strings.Contains(text, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
}
