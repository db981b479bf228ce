package report

import (
	"math"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/charts"
	"github.com/journeysim/journeysim/scenarios"
)

// oneStrategyDir writes the result folder of a small run of
// email-pressure's first strategy alone.
func oneStrategyDir(t *testing.T) string {
	t.Helper()
	sc, err := scenarios.Open("email-pressure")
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	m.Population.Size, m.Horizon, m.Replications = 200, 20, 2
	m.Strategies = m.Strategies[:1]
	dir, _ := writeRunDir(t, sc, sc.Source.Data, results.Options{})
	return dir
}

// A run of one strategy has no business case: no headline, no section
// and no chart of it.
func TestReportOneStrategyNoBusinessCase(t *testing.T) {
	page, err := Build(oneStrategyDir(t), describe)
	if err != nil {
		t.Fatal(err)
	}
	text := string(page)
	for _, bad := range []string{`id="headline"`, `id="business"`, `href="#business"`, charts.BusinessChart, "net present value"} {
		if strings.Contains(text, bad) {
			t.Errorf("one strategy, yet the page holds %q", bad)
		}
	}
	if !strings.Contains(text, "Only one strategy was run") {
		t.Error("the page does not say only one strategy was run")
	}
}

// The headline's words for each kind of payback, and an ROI that is not
// defined.
func TestBusinessLines(t *testing.T) {
	est := results.NewEstimate
	nan := math.NaN()
	sum := &results.Summary{
		Baseline: "keep", Currency: "EUR", TickLabel: "day", Horizon: 365, Seeds: results.SeedList{1, 2, 3},
		BusinessCases: []results.BusinessCase{
			{Strategy: "replace", Payback: est([]float64{100, 100, 100}), PaidBack: 3, ROI: est([]float64{nan, nan, nan}),
				NPV: est([]float64{25135, 25135, 25135}), Profit: est([]float64{26500, 26500, 26500}), DiscountRate: 0.08},
			{Strategy: "gold_plate", Payback: est([]float64{nan, nan, nan}), ROI: est([]float64{-1, -1, -1}),
				NPV: est([]float64{-5000, -5000, -5000}), Profit: est([]float64{-2500, -2500, -2500})},
			{Strategy: "web", Payback: est([]float64{0, 0, 0}), PaidBack: 3, ROI: est([]float64{2, 3, 4})},
			{Strategy: "some", Payback: est([]float64{100, nan, 110}), PaidBack: 2, ROI: est([]float64{1, 1, 1})},
		},
	}
	b := newBusiness(sum)
	if b == nil || len(b.Lines) != 4 {
		t.Fatalf("business %+v; want four lines", b)
	}
	for k, want := range []struct {
		payback  string
		paysBack bool
		npv      string
		roi      string
	}{
		{"pays back in 100 days", true, "+25,135", ""},
		{"does not pay back within the 365-day horizon", false, "-5,000", "-1.00"},
		{"pays back from the first day", true, "0", "+3.00 ± 2.48"},
		{"pays back in 105 ± 64 days (in 2 of 3 replications)", false, "0", "+1.00"},
	} {
		l := b.Lines[k]
		if l.Payback != want.payback || l.PaysBack != want.paysBack || l.NPV.Text != want.npv {
			t.Errorf("%s: %q (%v), NPV %q; want %q (%v), %q", l.Strategy, l.Payback, l.PaysBack, l.NPV.Text, want.payback, want.paysBack, want.npv)
		}
		if want.roi == "" {
			if l.NoROI != "none: it spends no more than keep" {
				t.Errorf("%s: ROI %q, %q; want none", l.Strategy, l.ROI.Text, l.NoROI)
			}
		} else if l.ROI.Text != want.roi || l.NoROI != "" {
			t.Errorf("%s: ROI %q, %q; want %q", l.Strategy, l.ROI.Text, l.NoROI, want.roi)
		}
	}
	if !strings.Contains(b.Intro, "adds to keep over 365 days (the mean of 3 replications") || !strings.Contains(b.Terms, "at 8% a year") {
		t.Errorf("intro %q, terms %q", b.Intro, b.Terms)
	}
	if newBusiness(&results.Summary{Baseline: "keep"}) != nil {
		t.Error("a business case without business cases")
	}
}
