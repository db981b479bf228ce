package results_test

import (
	"bytes"
	"context"
	"encoding/json"
	"math"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/attribution"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

func loadFile(t *testing.T, path string) *sim.Model {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load(path, data)
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	return m
}

func runPlan(t *testing.T, m *sim.Model) (*sim.Result, *results.Summary) {
	t.Helper()
	plan := attribution.NewPlan(m, nil)
	res, err := sim.Run(context.Background(), plan.Model, sim.Options{Strategies: plan.Run, Paths: true})
	if err != nil {
		t.Fatal(err)
	}
	s, err := results.Summarize(res, results.Options{Truth: plan, DecayHalfLife: sim.DefaultDecayHalfLife})
	if err != nil {
		t.Fatal(err)
	}
	return res, s
}

// The truth is what switching a channel off costs: nothing for a channel
// that changes no one's behaviour, whatever the attribution models credit
// it with for being on the path.
func TestAttributionAgainstTruth(t *testing.T) {
	m := loadFile(t, "testdata/truth.yaml")
	_, s := runPlan(t, m)
	if len(s.Strategies) != 2 {
		t.Fatalf("%d strategies shown; counterfactuals must stay hidden", len(s.Strategies))
	}
	var a *results.StrategyAttribution
	for k := range s.Attribution {
		if s.Attribution[k].Strategy == "campaign" {
			a = &s.Attribution[k]
		}
	}
	if a == nil {
		t.Fatal("no attribution for strategy campaign")
	}
	sms := slices.Index(a.Channels, "sms")
	email := slices.Index(a.Channels, "email")
	if a.Truth[sms].Mean != 0 || a.Truth[sms].CI95 != 0 {
		t.Errorf("sms changes nothing, yet its true incremental revenue is %+v", a.Truth[sms])
	}
	if a.Truth[email].Low() <= 0 {
		t.Errorf("email's true incremental revenue %+v is not clearly positive", a.Truth[email])
	}
	linear := sim.AttributionModelIndex("linear")
	if a.Credit[linear][sms].Mean <= 0 {
		t.Errorf("linear attribution gives sms %v; a path model credits every touch", a.Credit[linear][sms].Mean)
	}
	// Each model hands out all touched purchase revenue.
	rev, _ := s.Metric(&s.Strategies[1], "revenue")
	for j, model := range sim.AttributionModels {
		sum := 0.0
		for c := range a.Channels {
			sum += a.Credit[j][c].Mean
		}
		if math.Abs(sum-rev.Mean) > 1e-6*rev.Mean {
			t.Errorf("%s hands out %g of revenue %g", model.Key, sum, rev.Mean)
		}
		if math.IsNaN(a.Error[j]) || a.Error[j] < 0 {
			t.Errorf("%s: distance from truth %v", model.Key, a.Error[j])
		}
	}
	if sim.AttributionModelIndex(a.Closest) < 0 {
		t.Errorf("closest model %q", a.Closest)
	}
	romi, ok := s.Metric(&s.Strategies[1], "romi")
	if !ok || math.IsNaN(romi.Mean) {
		t.Errorf("campaign has outbound channels, but ROMI is %+v", romi)
	}
	if quiet, _ := s.Metric(&s.Strategies[0], "romi"); !math.IsNaN(quiet.Mean) {
		t.Errorf("quiet has no outbound channel, but ROMI is %v", quiet.Mean)
	}
}

// A holdout measures uplift as a marketer would; under common random
// numbers the simulator knows the true effect on the contacted customers,
// and the measurement must agree with it within sampling error.
func TestHoldoutUpliftMatchesTruth(t *testing.T) {
	m := loadFile(t, "testdata/truth.yaml")
	m.Population.Size = 20000
	_, s := runPlan(t, m)
	if len(s.Holdouts) != 1 || s.Holdouts[0].Strategy != "campaign" {
		t.Fatalf("holdouts %+v, want one for campaign", s.Holdouts)
	}
	h := s.Holdouts[0]
	measured, truth := h.Incremental, h.TrueIncremental
	if truth.Low() <= 0 {
		t.Fatalf("true incremental revenue %+v is not clearly positive", truth)
	}
	// The measurement's own sampling error dominates; allow three of its
	// half-widths.
	if math.Abs(measured.Mean-truth.Mean) > 3*measured.CI95+1e-9 {
		t.Errorf("measured incremental revenue %v ± %v, true %v ± %v", measured.Mean, measured.CI95, truth.Mean, truth.CI95)
	}
	t.Logf("measured %.0f ± %.0f, true %.0f ± %.0f", measured.Mean, measured.CI95, truth.Mean, truth.CI95)
}

// Common random numbers pair the strategies replication by replication:
// the paired interval of a difference is far narrower than the interval
// from independent runs of the same scenario.
func TestPairingNarrowsIntervals(t *testing.T) {
	sc, err := scenarios.Builtin("email-pressure")
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	m.Population.Size = 4000
	m.Horizon = 90
	m.Replications = 8
	a, b := m.StrategyIndex("email_1pw"), m.StrategyIndex("email_3pw")
	revenue := func(res *sim.Result, k int) []float64 {
		var out []float64
		for r := range res.Totals[k] {
			out = append(out, res.Totals[k][r].Revenue)
		}
		return out
	}
	run := func(seed uint64, strategies ...int) *sim.Result {
		mm := *m
		mm.Seed = seed
		res, err := sim.Run(context.Background(), &mm, sim.Options{Strategies: strategies})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	both := run(1, a, b)
	paired := results.Difference(revenue(both, 1), revenue(both, 0), true)
	independent := results.Difference(revenue(run(2, b), 0), revenue(run(3, a), 0), false)
	t.Logf("difference in revenue: paired ±%.0f, independent ±%.0f (%.1f× narrower)", paired.CI95, independent.CI95, independent.CI95/paired.CI95)
	if !(paired.CI95 < independent.CI95/2) {
		t.Errorf("paired half-width %v is not less than half the independent one, %v", paired.CI95, independent.CI95)
	}
}

// Every table that lists attribution models lists those of
// sim.AttributionModels, in their order: the summary, the text table and
// the attribution data table.
func TestAttributionTablesCoverEveryModel(t *testing.T) {
	m := loadFile(t, "testdata/truth.yaml")
	res, s := runPlan(t, m)
	if len(s.Attribution) == 0 {
		t.Fatal("no attribution")
	}
	n := len(sim.AttributionModels)
	for _, a := range s.Attribution {
		if len(a.Credit) != n || len(a.Error) != n {
			t.Errorf("%s: %d credits and %d errors for %d models", a.Strategy, len(a.Credit), len(a.Error), n)
		}
	}

	var out bytes.Buffer
	if err := output.WriteTable(&out, s); err != nil {
		t.Fatal(err)
	}
	var header string
	for _, line := range strings.Split(out.String(), "\n") {
		if strings.Contains(line, " channel ") && strings.Contains(line, results.TruthLabel) {
			header = line
			break
		}
	}
	if header == "" {
		t.Fatalf("no attribution table in:\n%s", out.String())
	}
	var cells []string
	for _, c := range strings.FieldsFunc(header, func(r rune) bool { return r == '│' || r == '|' }) {
		if c = strings.TrimSpace(c); c != "" {
			cells = append(cells, c)
		}
	}
	want := []string{"channel", results.TruthLabel}
	for _, model := range sim.AttributionModels {
		want = append(want, model.Label)
	}
	if !slices.Equal(cells, want) {
		t.Errorf("attribution table header %q, want %q", cells, want)
	}

	var table *output.Table
	for _, tb := range output.Tables(s, res) {
		if tb.Name == "attribution" {
			table = tb
		}
	}
	if table == nil {
		t.Fatal("no attribution data table")
	}
	col := slices.IndexFunc(table.Columns, func(c output.Column) bool { return c.Name == "model" })
	want = []string{results.Truth}
	for _, model := range sim.AttributionModels {
		want = append(want, model.Key)
	}
	rows := 0
	for _, a := range s.Attribution {
		rows += len(a.Channels) * len(want)
	}
	if len(table.Rows) != rows {
		t.Fatalf("attribution data table has %d rows, want %d", len(table.Rows), rows)
	}
	for i, row := range table.Rows {
		if got := row[col]; got != want[i%len(want)] {
			t.Errorf("row %d: model %q, want %q", i, got, want[i%len(want)])
		}
	}

	// A summary read back must hold every model.
	var js bytes.Buffer
	if err := output.WriteJSON(&js, s); err != nil {
		t.Fatal(err)
	}
	if _, err := output.ReadJSON(bytes.NewReader(js.Bytes())); err != nil {
		t.Fatalf("read back: %v", err)
	}
	var doc map[string]any
	if err := json.Unmarshal(js.Bytes(), &doc); err != nil {
		t.Fatal(err)
	}
	a := doc["attribution"].([]any)[0].(map[string]any)
	a["error"] = append(a["error"].([]any), 0.0)
	more, err := json.Marshal(doc)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := output.ReadJSON(bytes.NewReader(more)); err == nil || !strings.Contains(err.Error(), "models, want") {
		t.Errorf("a summary with one model too many read back: %v", err)
	}
}

// Run gives the summary that planning the counterfactuals, running them
// and summarizing by hand gives, and keeps the completed replications of
// a cancelled run.
func TestRunIsTheChain(t *testing.T) {
	m := loadFile(t, "testdata/truth.yaml")
	_, want := runPlan(t, m)
	got, res, err := results.Run(context.Background(), m, results.RunOptions{Attribution: true})
	if err != nil {
		t.Fatal(err)
	}
	var a, b bytes.Buffer
	if err := output.WriteJSON(&a, got); err != nil {
		t.Fatal(err)
	}
	if err := output.WriteJSON(&b, want); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a.Bytes(), b.Bytes()) {
		t.Error("results.Run summarizes differently from planning, running and summarizing by hand")
	}
	if len(res.Strategies) <= len(got.Strategies) {
		t.Errorf("%d strategies run for %d shown; want the counterfactuals run too", len(res.Strategies), len(got.Strategies))
	}

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	sum, _, err := results.Run(ctx, m, results.RunOptions{})
	if sum != nil || err == nil {
		t.Errorf("a run cancelled before it began: summary %v, error %v; want none and the cancel", sum, err)
	}
}
