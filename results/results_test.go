package results

import (
	"bytes"
	"encoding/json"
	"maps"
	"math"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

func TestFormatNumber(t *testing.T) {
	for _, tc := range []struct {
		v      float64
		digits int
		want   string
	}{
		{0, 0, "0"},
		{999, 0, "999"},
		{1000, 0, "1,000"},
		{1234567.891, 2, "1,234,567.89"},
		{-1234.5, 1, "-1,234.5"},
		{-0.0001, 1, "0.0"},
		{math.NaN(), 2, "–"},
		{math.Inf(1), 0, "∞"},
	} {
		if got := FormatNumber(tc.v, tc.digits); got != tc.want {
			t.Errorf("FormatNumber(%v, %d) = %q, want %q", tc.v, tc.digits, got, tc.want)
		}
	}
}

func TestEstimate(t *testing.T) {
	// Values 1..5: mean 3, sd √2.5, t(0.975, 4) = 2.776445.
	e := NewEstimate([]float64{1, 2, 3, 4, 5})
	if e.Mean != 3 || e.N != 5 {
		t.Errorf("mean %v n %d, want 3 and 5", e.Mean, e.N)
	}
	want := 2.7764451051977987 * math.Sqrt(2.5) / math.Sqrt(5)
	if math.Abs(e.CI95-want) > 1e-9 {
		t.Errorf("ci95 %v, want %v", e.CI95, want)
	}
	if one := NewEstimate([]float64{7}); one.Mean != 7 || !math.IsNaN(one.CI95) {
		t.Errorf("one replication: %+v, want mean 7 and no interval", one)
	}
	if nan := NewEstimate([]float64{math.NaN(), 4, math.NaN()}); nan.Mean != 4 || nan.N != 1 {
		t.Errorf("NaN values are not skipped: %+v", nan)
	}
}

func TestDifference(t *testing.T) {
	a := []float64{10, 12, 14, 16}
	b := []float64{9, 11, 13, 15.5}
	// Paired: differences 1, 1, 1, 0.5: mean 0.875, sd 0.25.
	p := Difference(a, b, true)
	if math.Abs(p.Mean-0.875) > 1e-12 {
		t.Errorf("paired mean %v, want 0.875", p.Mean)
	}
	if want := 3.182446305284263 * 0.25 / 2; math.Abs(p.CI95-want) > 1e-9 {
		t.Errorf("paired ci95 %v, want %v", p.CI95, want)
	}
	// Unpaired (Welch): the spread of each sample swamps the difference.
	u := Difference(a, b, false)
	if math.Abs(u.Mean-0.875) > 1e-12 || u.CI95 < 4*p.CI95 {
		t.Errorf("welch %+v: want the same mean and a far wider interval than %v", u, p.CI95)
	}
	for _, tc := range []struct {
		d      Estimate
		better Direction
		want   string
	}{
		{Estimate{Mean: 2, CI95: 1}, HigherIsBetter, Better},
		{Estimate{Mean: 2, CI95: 1}, LowerIsBetter, Worse},
		{Estimate{Mean: -2, CI95: 1}, LowerIsBetter, Better},
		{Estimate{Mean: 2, CI95: 3}, HigherIsBetter, NoDifference},
		{Estimate{Mean: 2, CI95: math.NaN()}, HigherIsBetter, NotTested},
		{Estimate{Mean: math.NaN(), CI95: math.NaN()}, HigherIsBetter, NotApplicable},
		{Estimate{Mean: -2, CI95: 1}, Neutral, Lower},
	} {
		if got := verdict(tc.d, tc.better); got != tc.want {
			t.Errorf("verdict(%+v, %d) = %q, want %q", tc.d, tc.better, got, tc.want)
		}
	}
}

// fakeResult builds a two-strategy, two-replication result by hand.
func fakeResult() *sim.Result {
	m := &sim.Model{
		Name: "fake", Seed: 9, Horizon: 2, TickLabel: "day", TicksPerYear: 365, DiscountRate: 0.1,
		Population: sim.Population{Size: 100}, Stages: []string{"aware"},
		Channels: []sim.Channel{{Name: "email"}, {Name: "web"}},
		Strategies: []sim.Strategy{
			{Name: "a", Channels: []bool{true, true}},
			{Name: "b", Channels: []bool{true, false}},
		},
	}
	tot := func(revenue float64, promoters, detractors int64) sim.Totals {
		return sim.Totals{
			Customers: 100, Purchases: 10, Revenue: revenue, GrossMargin: revenue * 0.3,
			ContactCost: 10, ChannelCost: 20, Discount: 5, Promoters: promoters, Detractors: detractors,
			Contacts: 50, Channels: []sim.ChannelTotals{{Contacts: 50, Responses: 5, Cost: 10}, {Cost: 20}},
			Series: []sim.TickTotals{{Revenue: revenue / 2, Active: 100, Contribution: 100}, {Revenue: revenue / 2, Active: 99, Contribution: 50}},
			Stages: []int64{100, 99},
		}
	}
	return &sim.Result{
		Model: m, Strategies: []int{0, 1}, Seeds: []uint64{11, 12},
		Totals: [][]sim.Totals{
			{tot(1000, 30, 20), tot(1200, 40, 20)},
			{tot(800, 10, 50), tot(900, 10, 40)},
		},
	}
}

func summarize(t *testing.T, res *sim.Result, opt Options) *Summary {
	t.Helper()
	s, err := Summarize(res, opt)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func metricMean(t *testing.T, s *Summary, strategy, key string) float64 {
	t.Helper()
	for _, st := range s.Strategies {
		if st.Name == strategy {
			if e, ok := s.Metric(&st, key); ok {
				return e.Mean
			}
		}
	}
	t.Fatalf("no metric %s for %s", key, strategy)
	return 0
}

func TestSummarizeDefinitions(t *testing.T) {
	s := summarize(t, fakeResult(), Options{})
	// profit = margin − discount − contact − channel: 0.3·1100 − 5 − 10 − 20 on average.
	if got, want := metricMean(t, s, "a", "profit"), 0.3*1100-35; math.Abs(got-want) > 1e-9 {
		t.Errorf("profit %v, want %v", got, want)
	}
	// ROI = profit / (contact + channel + discount), as a ratio.
	if got, want := metricMean(t, s, "a", "roi"), (0.3*1100-35)/35; math.Abs(got-want) > 1e-9 {
		t.Errorf("roi %v, want %v", got, want)
	}
	// NPS = % promoters − % detractors: (10 + 20) / 2.
	if got := metricMean(t, s, "a", "nps"); got != 15 {
		t.Errorf("nps %v, want 15", got)
	}
	if got := metricMean(t, s, "b", "nps"); got != -35 {
		t.Errorf("nps %v, want -35", got)
	}
	// CLV: (100 + 50 / 1.1^(1/365)) / 100 customers.
	if got, want := metricMean(t, s, "a", "clv"), (100+50*math.Pow(1.1, -1.0/365))/100; math.Abs(got-want) > 1e-12 {
		t.Errorf("clv %v, want %v", got, want)
	}
	// No competitor node: share of wallet is undefined.
	if got := metricMean(t, s, "a", "share_of_wallet"); !math.IsNaN(got) {
		t.Errorf("share of wallet %v without a competitor, want NaN", got)
	}
	// b against the baseline a: revenue −200 and −300, so −250 ± t·50.
	var found bool
	for _, c := range s.Comparisons {
		if c.Strategy == "b" && c.Metric == "revenue" {
			found = true
			if c.Baseline != "a" || c.Difference.Mean != -250 || c.Verdict != NoDifference {
				t.Errorf("comparison %+v: want baseline a, −250, no significant difference (t with 1 df is 12.7)", c)
			}
		}
	}
	if !found {
		t.Error("no comparison of b's revenue with a")
	}
	if _, err := Summarize(fakeResult(), Options{Baseline: "zzz"}); err == nil || !strings.Contains(err.Error(), "allowed: a, b") {
		t.Errorf("unknown baseline: %v", err)
	}
}

func TestChecks(t *testing.T) {
	pass, err := CompileCheck("roi > 1.5 && nps >= 15", "test:1:1", []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	fail, err := CompileCheck("churn_rate < 0.1 and revenue > 1000", "--check", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := summarize(t, fakeResult(), Options{Checks: []*Check{pass, fail}})
	got := map[string]bool{}
	for _, c := range s.Checks {
		got[c.Strategy+" "+c.Check] = c.Pass
	}
	want := map[string]bool{
		"a roi > 1.5 && nps >= 15":              true,
		"a churn_rate < 0.1 and revenue > 1000": true,
		"b churn_rate < 0.1 and revenue > 1000": false,
	}
	if !maps.Equal(got, want) {
		t.Errorf("checks %v, want %v", got, want)
	}
	if n := len(s.Failed()); n != 1 {
		t.Errorf("%d failed, want 1", n)
	}
	var out bytes.Buffer
	if err := s.WriteTable(&out); err != nil {
		t.Fatal(err)
	}
	for _, line := range []string{"✓ a: roi > 1.5 && nps >= 15", "✗ b: churn_rate < 0.1 and revenue > 1000   (revenue = 850 ± 635, churn_rate = 0.0)"} {
		if !strings.Contains(out.String(), line) {
			t.Errorf("table lacks %q:\n%s", line, out.String())
		}
	}
	for _, bad := range []struct{ src, want string }{
		{"roi >", "unexpected token"},
		{"roii > 1", `unknown name roii; did you mean "roi"?`},
		// A check's name may be two edits off even when it is short.
		{"nsp > 20", `unknown name nsp; did you mean "nps"?`},
		{"xyz > 1", "unknown name xyz (column"},
		{"roi + 1", "bool"},
	} {
		_, err := CompileCheck(bad.src, "f.yaml:3:5", nil)
		if err == nil || !strings.Contains(err.Error(), bad.want) || !strings.HasPrefix(err.Error(), "f.yaml:3:5: check") {
			t.Errorf("CompileCheck(%q) = %v, want an error at f.yaml:3:5 containing %q", bad.src, err, bad.want)
		}
	}
}

func TestRenderings(t *testing.T) {
	s := summarize(t, fakeResult(), Options{})
	var table bytes.Buffer
	if err := s.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"revenue (EUR)", "1,100 ± ", "a · email", "a · web", "Compared with a", "ROI (×)"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	if strings.Contains(table.String(), "b · web") {
		t.Errorf("table shows a channel strategy b does not switch on")
	}
	tables := s.Tables(fakeResult())
	names := []string{}
	for _, tb := range tables {
		names = append(names, tb.Name)
		for _, r := range tb.Rows {
			if len(r) != len(tb.Columns) {
				t.Fatalf("%s: ragged row %v", tb.Name, r)
			}
		}
	}
	if got := strings.Join(names, ","); got != "summary,replications,timeseries,channels,comparisons,attribution,holdouts,checks" {
		t.Errorf("tables %s", got)
	}
	if n := len(tables[0].Rows); n != 2*len(s.Metrics) {
		t.Errorf("%d summary rows, want %d", n, 2*len(s.Metrics))
	}
	if n := len(tables[1].Rows); n != 4 {
		t.Errorf("%d replication rows, want 2 strategies × 2 replications", n)
	}
	if c := tables[1].Column("revenue_eur"); c < 0 || tables[1].Rows[1][c] != "1200" {
		t.Errorf("replications.csv lacks revenue_eur = 1200 in row 2: %v", tables[1].Columns)
	}
	ts := tables[2]
	if n := len(ts.Rows); n != 2*2*2 {
		t.Errorf("%d timeseries rows, want 2 strategies × 2 replications × 2 ticks", n)
	}
	if c := ts.Column("cumulative_profit_eur"); c < 0 || ts.Rows[1][c] != "150" {
		t.Errorf("cumulative profit column %d: %v", c, ts.Rows[1])
	}
	if c := ts.Column("stage_aware_customers"); c < 0 || ts.Rows[1][c] != "99" {
		t.Errorf("stage column %d: %v", c, ts.Rows[1])
	}

	var buf bytes.Buffer
	if err := s.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	js := bytes.Clone(buf.Bytes())
	back, err := ReadJSON(&buf)
	if err != nil {
		t.Fatalf("read back JSON: %v", err)
	}
	var again bytes.Buffer
	if err := back.WriteTable(&again); err != nil {
		t.Fatal(err)
	}
	if again.String() != table.String() {
		t.Errorf("the table of the summary read back from JSON differs:\n%s\nwant:\n%s", again.String(), table.String())
	}
	var doc struct {
		Seed  string   `json:"seed"`
		Seeds []string `json:"replication_seeds"`
	}
	if err := json.Unmarshal(js, &doc); err != nil || doc.Seed != "9" || len(doc.Seeds) != 2 || doc.Seeds[0] != "11" {
		t.Errorf("seeds are not strings in JSON: %+v %v", doc, err)
	}
}
