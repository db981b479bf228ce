package report

import (
	"math"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/charts"
	"github.com/journeysim/journeysim/results/output"
)

// The best value in a row is the highest or the lowest as the outcome is
// better, ties marked alike; none for an outcome that is neither, for a
// row whose values all read the same, or with one value.
func TestBestOf(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		name   string
		values []float64
		texts  []string
		better results.Direction
		want   string
	}{
		{"higher", []float64{1, 3, 2}, []string{"1", "3", "2"}, results.HigherIsBetter, ".x."},
		{"lower", []float64{1, 3, 2}, []string{"1", "3", "2"}, results.LowerIsBetter, "x.."},
		{"neutral", []float64{1, 3, 2}, []string{"1", "3", "2"}, results.Neutral, "..."},
		{"tie", []float64{3, 1, 3}, []string{"3", "1", "3"}, results.HigherIsBetter, "x.x"},
		{"the same as shown", []float64{3.001, 1, 3.002}, []string{"3.00", "1.00", "3.00"}, results.HigherIsBetter, "x.x"},
		{"all the same", []float64{2, 2}, []string{"2", "2"}, results.HigherIsBetter, ".."},
		{"undefined left out", []float64{nan, 1, 2}, []string{"–", "1", "2"}, results.LowerIsBetter, ".x."},
		{"one value", []float64{nan, 1}, []string{"baseline", "1"}, results.HigherIsBetter, ".."},
	} {
		marks := bestOf(c.values, c.texts, c.better)
		var got strings.Builder
		for k := range c.values {
			if k < len(marks) && marks[k] {
				got.WriteString("x")
			} else {
				got.WriteString(".")
			}
		}
		if got.String() != c.want {
			t.Errorf("%s: marks %s; want %s", c.name, got.String(), c.want)
		}
	}
}

// Each row of the key results and of every outcome marks its best value,
// by the outcome's direction: on a run, the key table's revenue row (the
// higher the better) and opt-out row (the lower the better).
func TestBestMarked(t *testing.T) {
	dir := runDirWith(t, true, false, 2)
	sum, _, err := output.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	key, _ := keyResults(sum)
	if len(key.Rows) != len(sum.Key) || len(sum.Key) == 0 {
		t.Fatalf("%d key rows; want the %d key outcomes", len(key.Rows), len(sum.Key))
	}
	for i, kr := range sum.Key {
		best, at := math.NaN(), -1
		for k, e := range kr.Values {
			if math.IsNaN(best) || (kr.Better == results.HigherIsBetter && e.Mean > best) || (kr.Better == results.LowerIsBetter && e.Mean < best) {
				best, at = e.Mean, k
			}
		}
		marked := 0
		for k, c := range key.Rows[i].Cells {
			if c.Best {
				marked++
				if kr.Better == results.Neutral || c.Text != key.Rows[i].Cells[at].Text {
					t.Errorf("%s: %s marked best (%s); the best is %s", kr.Name, sum.Strategies[k].Name, c.Text, key.Rows[i].Cells[at].Text)
				}
			}
		}
		if kr.Better != results.Neutral && marked == 0 {
			t.Errorf("%s: no value marked best", kr.Name)
		}
	}
	all := markMetrics(sum, output.MetricsGrid(sum, false), false)
	marked := 0
	for _, r := range all.Rows {
		for _, c := range r.Cells {
			if c.Best {
				marked++
			}
		}
	}
	if marked < len(all.Rows)/2 {
		t.Errorf("%d best values marked in %d rows of every outcome", marked, len(all.Rows))
	}
	page, err := Build(dir, describe)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"key-table", "outcome-table"} {
		_, table, _ := strings.Cut(string(page), `<table id="`+id+`"`)
		table, _, _ = strings.Cut(table, "</table>")
		if !strings.Contains(table, `<td class="best">`) {
			t.Errorf("the table %s marks no best value", id)
		}
	}
}

// The lesson's one chart follows the rule keyChartName documents.
func TestKeyChartName(t *testing.T) {
	named := func(names ...string) []chart {
		var cs []chart
		for _, n := range names {
			cs = append(cs, chart{Name: n})
		}
		return cs
	}
	key := func(names ...string) *results.Summary {
		sum := &results.Summary{}
		for _, n := range names {
			_, business := results.FindBusinessMeasure(n)
			sum.Key = append(sum.Key, results.KeyResult{Name: n, Business: business})
		}
		return sum
	}
	all := named("outcome-revenue", "outcome-profit", "outcome-nps", charts.BusinessChart, "channels-contacts", "timeseries-revenue")
	for _, c := range []struct {
		sum  *results.Summary
		cs   []chart
		want string
	}{
		{key("nps"), append(named(charts.AdoptionChart), all...), charts.AdoptionChart},
		{key("share_of_wallet", "nps", "revenue"), all, "outcome-nps"},
		{key("payback", "npv"), all, charts.BusinessChart},
		{key("channel.phone.contacts", "complaints"), all, "channels-contacts"},
		{key("complaints"), all, "outcome-profit"},
		{key(), all, "outcome-profit"},
		{key(), named("timeseries-revenue"), ""},
	} {
		if got := keyChartName(c.sum, c.cs); got != c.want {
			t.Errorf("key %v: chart %q; want %q", c.sum.Key, got, c.want)
		}
	}
}

// The journey maps are in a section of their own: the first shown, the
// others folded, each with ids of its own.
func TestJourneyMaps(t *testing.T) {
	dir := runDirWith(t, false, false, 1)
	svg := func(title string) []byte {
		return []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10" viewBox="0 0 10 10"><defs><marker id="move"/></defs><path marker-end="url(#move)"/><text>` + title + `</text></svg>`)
	}
	page, err := Build(dir, describe, WithJourneyMaps([]JourneyMap{{"email_1pw", svg("map one")}, {"email_2pw", svg("map two")}}))
	if err != nil {
		t.Fatal(err)
	}
	text := string(page)
	_, section, ok := strings.Cut(text, `<section id="journey">`)
	section, _, _ = strings.Cut(section, "</section>")
	first, folded, _ := strings.Cut(section, `<details class="more-maps">`)
	if !ok || !strings.Contains(first, "map one") || !strings.Contains(folded, "map two") {
		t.Fatalf("the journey section does not show the first map and fold the second:\n%s", section)
	}
	if !strings.Contains(first, `id="move"`) || !strings.Contains(folded, `<marker id="map2-move"/>`) || !strings.Contains(folded, `url(#map2-move)`) {
		t.Error("the second map's ids are not its own")
	}
	if strings.Contains(section, "<?xml") || strings.Contains(section, "xmlns") {
		t.Error("the maps are not inlined")
	}
	if i, j := strings.Index(text, `<section id="charts">`), strings.Index(text, `<section id="outcomes">`); strings.Index(text, `<section id="journey">`) < i || strings.Index(text, `<section id="journey">`) > j {
		t.Error("the journey map is not between the charts and the tables")
	}
	without, err := Build(dir, describe)
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(string(without), `id="journey"`) {
		t.Error("a page without maps has a journey section")
	}
}

// The map shown first is of the strategy with the most channels on, the
// later of two with as many; the others keep their order.
func TestFullestFirst(t *testing.T) {
	sum := &results.Summary{Strategies: []results.StrategySummary{
		{Name: "store_only", On: []bool{true, false, false}},
		{Name: "multi", On: []bool{true, true, false}},
		{Name: "omni", On: []bool{true, true, true}},
		{Name: "cross", On: []bool{true, true, false}},
	}}
	maps := []JourneyMap{{Strategy: "store_only"}, {Strategy: "multi"}, {Strategy: "omni"}, {Strategy: "cross"}}
	var got []string
	for _, m := range fullestFirst(maps, sum) {
		got = append(got, m.Strategy)
	}
	if strings.Join(got, ",") != "omni,store_only,multi,cross" {
		t.Errorf("order %v", got)
	}
}
