package results

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
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
	e := estimate([]float64{1, 2, 3, 4, 5})
	if e.Mean != 3 {
		t.Errorf("mean %v, want 3", e.Mean)
	}
	want := 2.7764451051977987 * math.Sqrt(2.5) / math.Sqrt(5)
	if math.Abs(e.CI95-want) > 1e-9 {
		t.Errorf("ci95 %v, want %v", e.CI95, want)
	}
	if one := estimate([]float64{7}); one.Mean != 7 || !math.IsNaN(one.CI95) {
		t.Errorf("one replication: %+v, want mean 7 and no interval", one)
	}
	if nan := estimate([]float64{math.NaN(), 4, math.NaN()}); nan.Mean != 4 {
		t.Errorf("NaN values are not skipped: %+v", nan)
	}
}

// fakeResult builds a two-strategy, two-replication result by hand.
func fakeResult() *sim.Result {
	m := &sim.Model{
		Name: "fake", Seed: 9, Horizon: 2, TickLabel: "day",
		Population: sim.Population{Size: 100},
		Channels:   []sim.Channel{{Name: "email"}, {Name: "web"}},
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
			Series: []sim.TickTotals{{Revenue: revenue / 2, Active: 100}, {Revenue: revenue / 2, Active: 99}},
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

func metricMean(t *testing.T, s *Summary, strategy, key string) float64 {
	t.Helper()
	for k, m := range Metrics {
		if m.Key == key {
			for _, st := range s.Strategies {
				if st.Name == strategy {
					return st.Metrics[k].Mean
				}
			}
		}
	}
	t.Fatalf("no metric %s for %s", key, strategy)
	return 0
}

func TestSummarizeDefinitions(t *testing.T) {
	s := Summarize(fakeResult())
	// profit = margin − discount − contact − channel: 0.3·1100 − 5 − 10 − 20 on average.
	if got, want := metricMean(t, s, "a", "profit"), 0.3*1100-35; math.Abs(got-want) > 1e-9 {
		t.Errorf("profit %v, want %v", got, want)
	}
	// ROI = profit / (contact + channel + discount).
	if got, want := metricMean(t, s, "a", "roi"), 100*(0.3*1100-35)/35; math.Abs(got-want) > 1e-9 {
		t.Errorf("roi %v, want %v", got, want)
	}
	// NPS = % promoters − % detractors: (10 + 20) / 2.
	if got := metricMean(t, s, "a", "nps"); got != 15 {
		t.Errorf("nps %v, want 15", got)
	}
	if got := metricMean(t, s, "b", "nps"); got != -35 {
		t.Errorf("nps %v, want -35", got)
	}
}

func TestRenderings(t *testing.T) {
	s := Summarize(fakeResult())
	var table bytes.Buffer
	if err := s.WriteTable(&table); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"revenue (money)", "1,100 ± ", "a · email", "a · web"} {
		if !strings.Contains(table.String(), want) {
			t.Errorf("table lacks %q:\n%s", want, table.String())
		}
	}
	if strings.Contains(table.String(), "b · web") {
		t.Errorf("table shows a channel strategy b does not switch on")
	}

	var buf bytes.Buffer
	if err := s.WriteCSV(&buf); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&buf).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	// Header, then per strategy its metrics and its switched-on channels' metrics.
	want := 1 + 2*len(Metrics) + 3*len(ChannelMetrics)
	if len(rows) != want {
		t.Errorf("%d CSV rows, want %d", len(rows), want)
	}
	for _, r := range rows[1:] {
		if len(r) != len(rows[0]) {
			t.Fatalf("ragged row %v", r)
		}
	}

	buf.Reset()
	if err := s.WriteReplicationsCSV(&buf); err != nil {
		t.Fatal(err)
	}
	reps, _ := csv.NewReader(&buf).ReadAll()
	if len(reps) != 1+2*(want-1) {
		t.Errorf("%d replication rows, want %d", len(reps), 1+2*(want-1))
	}

	buf.Reset()
	if err := s.WriteJSON(&buf); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Seeds      []string `json:"replication_seeds"`
		Strategies []struct {
			Name    string
			Metrics map[string]struct{ Mean, CI95 *float64 }
		}
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("invalid JSON: %v", err)
	}
	if len(doc.Seeds) != 2 || doc.Seeds[0] != "11" || len(doc.Strategies) != 2 || *doc.Strategies[0].Metrics["revenue"].Mean != 1100 {
		t.Errorf("JSON does not carry the summary: %s", buf.String())
	}
}
