package results

import (
	"maps"
	"math"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results/internal/fixture"
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
		if got := Verdict(tc.d, tc.better); got != tc.want {
			t.Errorf("Verdict(%+v, %d) = %q, want %q", tc.d, tc.better, got, tc.want)
		}
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
	s := summarize(t, fixture.Result(), Options{})
	// profit = margin − discount − contact − channel: 0.3·1100 − 5 − 10 − 20 on average.
	if got, want := metricMean(t, s, "a", "profit"), 0.3*1100-35; math.Abs(got-want) > 1e-9 {
		t.Errorf("profit %v, want %v", got, want)
	}
	// ROI = profit / (contact + channel + discount), as a ratio.
	if got, want := metricMean(t, s, "a", "profit_to_cost"), (0.3*1100-35)/35; math.Abs(got-want) > 1e-9 {
		t.Errorf("profit_to_cost %v, want %v", got, want)
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
	if _, err := Summarize(fixture.Result(), Options{Baseline: "zzz"}); err == nil || !strings.Contains(err.Error(), "allowed: a, b") {
		t.Errorf("unknown baseline: %v", err)
	}
}

func TestChecks(t *testing.T) {
	pass, err := CompileCheck("profit_to_cost > 1.5 && nps >= 15", "test:1:1", []string{"a"})
	if err != nil {
		t.Fatal(err)
	}
	fail, err := CompileCheck("churn_rate < 0.1 and revenue > 1000", "--check", nil)
	if err != nil {
		t.Fatal(err)
	}
	s := summarize(t, fixture.Result(), Options{Checks: []*Check{pass, fail}})
	got := map[string]bool{}
	for _, c := range s.Checks {
		got[c.Strategy+" "+c.Check] = c.Pass
	}
	want := map[string]bool{
		"a profit_to_cost > 1.5 && nps >= 15":   true,
		"a churn_rate < 0.1 and revenue > 1000": true,
		"b churn_rate < 0.1 and revenue > 1000": false,
	}
	if !maps.Equal(got, want) {
		t.Errorf("checks %v, want %v", got, want)
	}
	if n := len(s.Failed()); n != 1 {
		t.Errorf("%d failed, want 1", n)
	}
	for _, bad := range []struct{ src, want string }{
		{"profit_to_cost >", "unexpected token"},
		{"profit_to_cots > 1", `unknown name profit_to_cots; did you mean "profit_to_cost"?`},
		// A check's name may be two edits off even when it is short.
		{"nsp > 20", `unknown name nsp; did you mean "nps"?`},
		{"xyz > 1", "unknown name xyz (column"},
		{"profit_to_cost + 1", "bool"},
	} {
		_, err := CompileCheck(bad.src, "f.yaml:3:5", nil)
		if err == nil || !strings.Contains(err.Error(), bad.want) || !strings.HasPrefix(err.Error(), "f.yaml:3:5: check") {
			t.Errorf("CompileCheck(%q) = %v, want an error at f.yaml:3:5 containing %q", bad.src, err, bad.want)
		}
	}
}
