package results

import (
	"math"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

func TestCheckKeyOutcome(t *testing.T) {
	m := &sim.Model{Name: "shop", Channels: []sim.Channel{{Name: "email"}, {Name: "phone"}}, Nodes: []sim.Node{{Name: "buy", Purchase: true}}}
	tests := []struct {
		name string
		want string // part of the error; "" for none
	}{
		{"profit", ""},
		{"payback", ""},
		{"npv", ""},
		{"channel.phone.abandoned_share", ""},
		{"channel.email.contacts_per_customer", ""},
		{"share_of_wallet", "cannot be measured by every run: but scenario shop has no competitor purchase node"},
		{"word_of_mouth_share", "has no word-of-mouth edge"},
		{"romi", "measured only with --attribution"},
		{"channel.email.incremental_truth", "measured only with --attribution"},
		{"channel.fax.contacts", `no channel "fax"`},
		{"profits", `did you mean "profit"?`},
		{"pay_back", `did you mean "payback"?`},
		{"roi", "roi is now called profit_to_cost"},
	}
	for _, tt := range tests {
		err := CheckKeyOutcome(tt.name, m)
		switch {
		case tt.want == "" && err != nil:
			t.Errorf("%s: refused: %v", tt.name, err)
		case tt.want != "" && (err == nil || !strings.Contains(err.Error(), tt.want)):
			t.Errorf("%s: error %v, want one with %q", tt.name, err, tt.want)
		}
	}
}

// The key results hold each strategy's estimate of a metric, a channel's
// outcome and a business measure, in the key list's order; the baseline
// has no business case.
func TestKeyResults(t *testing.T) {
	s := &Summary{
		Metrics:       []Metric{Metrics[MetricIndex("revenue")], Metrics[MetricIndex("profit")]},
		Channels:      []string{"email", "phone"},
		ChannelNouns:  []string{"", "call"},
		Strategies:    []StrategySummary{{Name: "base"}, {Name: "new"}},
		Baseline:      "base",
		BusinessCases: []BusinessCase{{Strategy: "new", Baseline: "base", NPV: NewEstimate([]float64{10, 20})}},
	}
	contacts := ChannelMetricIndex("contacts")
	for k := range s.Strategies {
		st := &s.Strategies[k]
		st.Metrics = []Estimate{NewEstimate([]float64{float64(100 * (k + 1))}), NewEstimate([]float64{float64(10 * (k + 1))})}
		st.On = []bool{true, k == 1}
		for range s.Channels {
			row := make([]Estimate, len(ChannelMetrics))
			row[contacts] = NewEstimate([]float64{float64(7 * (k + 1))})
			st.Channels = append(st.Channels, row)
		}
	}
	got := s.keyResults([]string{"npv", "profit", "channel.phone.contacts"})
	if len(got) != 3 {
		t.Fatalf("%d key results, want 3: %+v", len(got), got)
	}
	npv, profit, calls := got[0], got[1], got[2]
	if !npv.Business || npv.Label != "NPV" || !math.IsNaN(npv.Values[0].Mean) || npv.Values[1].Mean != 15 {
		t.Errorf("npv: %+v; want no value for the baseline and 15 for new", npv)
	}
	if profit.Label != "profit" || profit.Values[0].Mean != 10 || profit.Values[1].Mean != 20 {
		t.Errorf("profit: %+v", profit)
	}
	if calls.Label != "phone: calls" || !math.IsNaN(calls.Values[0].Mean) || calls.Values[1].Mean != 14 {
		t.Errorf("phone calls: %+v; want none where the phone is off, 14 where it is on", calls)
	}
}

// A check on the business case applies to every strategy but the
// baseline; payback is undefined unless every replication pays back, and
// with one strategy there is nothing to measure against.
func TestBusinessChecks(t *testing.T) {
	s := &Summary{
		Strategies: []StrategySummary{{Name: "base"}, {Name: "quick"}, {Name: "slow"}},
		Baseline:   "base",
		BusinessCases: []BusinessCase{
			{Strategy: "quick", NPV: NewEstimate([]float64{10, 20}), Payback: NewEstimate([]float64{50, 70}), PaidBack: 2},
			{Strategy: "slow", NPV: NewEstimate([]float64{-5, 5}), Payback: NewEstimate([]float64{300, math.NaN()}), PaidBack: 1},
		},
	}
	c, err := CompileCheck("npv > 0 && payback < 365", "--check", nil)
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]bool{}
	for _, r := range c.evaluate(s) {
		got[r.Strategy] = r.Pass
	}
	if len(got) != 2 || !got["quick"] || got["slow"] {
		t.Errorf("results %v; want quick passing, slow failing and no result for the baseline", got)
	}
	one := &Summary{Strategies: []StrategySummary{{Name: "base"}}, Baseline: "base"}
	res := c.evaluate(one)
	if len(res) != 1 || res[0].Pass || !strings.Contains(res[0].Observed[0].Why, "no other strategy") {
		t.Errorf("one strategy: %+v; want a failure that says there is nothing to measure against", res)
	}
}

// A metric named a key outcome is compared with the baseline even when
// it is not a headline metric.
func TestKeyOutcomesCompared(t *testing.T) {
	share := Metrics[MetricIndex("word_of_mouth_share")]
	s := &Summary{Metrics: []Metric{share}, Strategies: []StrategySummary{
		{Name: "light", Metrics: []Estimate{NewEstimate([]float64{0.9, 0.92, 0.91})}},
		{Name: "heavy", Metrics: []Estimate{NewEstimate([]float64{0.8, 0.81, 0.8})}},
	}}
	if err := s.compare("", nil, nil); err != nil || len(s.Comparisons) != 0 {
		t.Fatalf("without key: %v, %d comparisons; want none of a detail metric", err, len(s.Comparisons))
	}
	if err := s.compare("", nil, []string{"word_of_mouth_share"}); err != nil {
		t.Fatal(err)
	}
	if len(s.Comparisons) != 1 || s.Comparisons[0].Metric != "word_of_mouth_share" || s.Comparisons[0].Verdict != Lower {
		t.Errorf("comparisons %+v; want heavy's share compared, lower", s.Comparisons)
	}
}
