package charts

import (
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim"
)

// The attribution chart shows the truth and every model of
// sim.AttributionModels, in their order, and names the closest model by
// its legend.
func TestAttributionChartCoversEveryModel(t *testing.T) {
	n := len(sim.AttributionModels)
	a := results.StrategyAttribution{Strategy: "omni", Channels: []string{"email", "store"},
		Truth: []results.Estimate{{Mean: 10, N: 1}, {Mean: 0, N: 1}}}
	for j := range n {
		a.Credit = append(a.Credit, []results.Estimate{{Mean: float64(j), N: 1}, {Mean: 1, N: 1}})
		a.Error = append(a.Error, 0.1*float64(j+1))
	}
	last := sim.AttributionModels[n-1]
	a.Closest = last.Key
	sum := &results.Summary{Scenario: "s", Currency: "EUR", TickLabel: "day", Horizon: 30, Replications: 1,
		Seeds: results.SeedList{1}, Attribution: []results.StrategyAttribution{a}}
	cs := attributionCharts(sum)
	if len(cs) != 1 {
		t.Fatalf("%d attribution charts, want 1", len(cs))
	}
	c := cs[0]
	var got []string
	for _, e := range c.legend {
		got = append(got, e.label)
	}
	want := []string{results.TruthLabel}
	for _, m := range sim.AttributionModels {
		want = append(want, m.Legend)
	}
	if !slices.Equal(got, want) {
		t.Errorf("legend %q, want %q", got, want)
	}
	if !strings.Contains(c.Subtitle, "Closest to the truth: "+last.Legend+" (off by") {
		t.Errorf("subtitle does not name the closest model, %s: %q", last.Legend, c.Subtitle)
	}
	svg, err := c.Render("svg")
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, c.Name, svg)
}
