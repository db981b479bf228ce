package charts

import (
	"bytes"
	"image"
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"gonum.org/v1/plot/vg"
)

// businessRun is syntheticRun with two replications and the business
// cases of s1 and s2 against s0 over its four weeks: s1 invests 100 and
// earns 60 a week more, paying back after two weeks (its cumulative line
// −40, 20, 80, 140); s2 loses 10 a week and never pays back.
func businessRun(t *testing.T) *results.Summary {
	t.Helper()
	sum, _ := syntheticRun(t)
	sum.Strategies = sum.Strategies[:3]
	sum.Strategies[0].Name, sum.Strategies[1].Name = "s0", "s1"
	sum.Seeds, sum.Replications, sum.Baseline = results.SeedList{1, 2}, 2, "s0"
	line := func(vals ...float64) []results.Estimate {
		var out []results.Estimate
		for _, v := range vals {
			e := results.NewEstimate([]float64{v - 5, v + 5})
			e.Values = nil
			out = append(out, e)
		}
		return out
	}
	sum.BusinessCases = []results.BusinessCase{
		{Strategy: "s1", Baseline: "s0", Payback: results.NewEstimate([]float64{2, 2}), PaidBack: 2, Cumulative: line(-40, 20, 80, 140)},
		{Strategy: "s2", Baseline: "s0", Payback: results.NewEstimate([]float64{math.NaN(), math.NaN()}), Cumulative: line(-10, -20, -30, -40)},
	}
	return sum
}

// The business case's chart: a line and a band per strategy but the
// baseline, the payback marked, and a note for the one that does not pay
// back; drawn by FromRun after the outcomes.
func TestBusinessChart(t *testing.T) {
	sum := businessRun(t)
	b := drawBusiness(sum)
	if b == nil {
		t.Fatal("no business chart")
	}
	c := b.chart
	if c.Name != BusinessChart || !strings.Contains(c.Title, "against s0") {
		t.Errorf("chart %s, %q; want %s against s0", c.Name, c.Title, BusinessChart)
	}
	for _, want := range []string{"s2 does not pay back within the horizon (4 weeks)", "bands: 95% confidence intervals", "added up week by week"} {
		if !strings.Contains(c.Subtitle, want) {
			t.Errorf("subtitle %q lacks %q", c.Subtitle, want)
		}
	}
	if c.plot.X.Label.Text != "weeks" || c.plot.Y.Label.Text != "extra cash (USD)" {
		t.Errorf("axes %q, %q; want weeks and extra cash (USD)", c.plot.X.Label.Text, c.plot.Y.Label.Text)
	}
	var labels []string
	for _, e := range c.legend {
		labels = append(labels, e.label)
	}
	if want := []string{"s1", "s2", "s0 (baseline)", "pays back"}; !slices.Equal(labels, want) {
		t.Errorf("legend %v; want %v", labels, want)
	}
	marks := b.marks
	if b.bands != 2 {
		t.Errorf("%d bands; want 2", b.bands)
	}
	if len(marks.marks) != 1 || marks.marks[0].x != 2 || marks.marks[0].y != 20 || marks.marks[0].label != "s1 pays back: week 2" {
		t.Errorf("payback marks %+v; want s1's at week 2, 20", marks.marks)
	}
	if len(marks.ends) != 1 || marks.ends[0].label != "s2: no payback within 4 weeks" || marks.ends[0].y != -40 {
		t.Errorf("end notes %+v; want s2's at its end", marks.ends)
	}
	if c.plot.Y.Min > -45 || c.plot.Y.Max < 145 {
		t.Errorf("vertical axis %g to %g does not hold the bands", c.plot.Y.Min, c.plot.Y.Max)
	}
	svg, err := c.Render("svg")
	if err != nil {
		t.Fatal(err)
	}
	checkSVG(t, c.Name, svg)
	for _, want := range []string{"s1 pays back: week 2", "s2: no payback within 4 weeks", "s0 (baseline)"} {
		if !bytes.Contains(svg, []byte(want)) {
			t.Errorf("the SVG does not say %q", want)
		}
	}
	if again, _ := businessCharts(businessRun(t))[0].Render("svg"); !bytes.Equal(svg, again) {
		t.Error("two drawings of the same data differ")
	}
	png, err := c.Render("png")
	if err != nil {
		t.Fatal(err)
	}
	if img, _, err := image.Decode(bytes.NewReader(png)); err != nil || img.Bounds().Dx() != 1500 {
		t.Errorf("PNG: %v", err)
	}

	_, ts := syntheticRun(t)
	all, err := FromRun(sum, ts)
	if err != nil {
		t.Fatal(err)
	}
	if i := slices.IndexFunc(all, func(c *Chart) bool { return c.Name == BusinessChart }); i < 0 || all[i-1].Name != "outcome-nps" {
		t.Errorf("FromRun does not draw %s after the outcomes", BusinessChart)
	}
}

// One strategy, or a summary written before business cases, has no
// business chart; one replication has no band and says so.
func TestBusinessChartEdges(t *testing.T) {
	sum, ts := syntheticRun(t)
	cs, err := FromRun(sum, ts)
	if err != nil {
		t.Fatal(err)
	}
	if slices.ContainsFunc(cs, func(c *Chart) bool { return c.Name == BusinessChart }) {
		t.Error("a business chart without business cases")
	}

	sum = businessRun(t)
	sum.Seeds = sum.Seeds[:1]
	b := drawBusiness(sum)
	c := b.chart
	if b.bands != 0 {
		t.Error("one replication, yet a band")
	}
	if !strings.Contains(c.Subtitle, "One replication, so no interval") {
		t.Errorf("subtitle %q does not say there is no interval", c.Subtitle)
	}

	// Two strategies that pay back at once share a dot and a label; the
	// only one in a chart is not named.
	sum = businessRun(t)
	for k := range sum.BusinessCases {
		sum.BusinessCases[k].Payback, sum.BusinessCases[k].PaidBack = results.NewEstimate([]float64{0, 0}), 2
		sum.BusinessCases[k].Cumulative = sum.BusinessCases[0].Cumulative
	}
	// At the origin, where every line starts, a label would cover them:
	// the subtitle says it.
	if b := drawBusiness(sum); len(b.marks.marks) != 0 || !strings.Contains(b.chart.Subtitle, "All pay back from the first week: never behind the baseline.") {
		t.Errorf("marks %+v, subtitle %q; want no dot and the subtitle to say all pay back from the first week", b.marks.marks, b.chart.Subtitle)
	}
	sum.BusinessCases = sum.BusinessCases[:1]
	sum.BusinessCases[0].Payback = results.NewEstimate([]float64{100, math.NaN(), 110})
	sum.BusinessCases[0].PaidBack = 2
	if m := drawBusiness(sum).marks; len(m.marks) != 1 || m.marks[0].label != "pays back: week 105 ± 64 (2 of 3 replications)" {
		t.Errorf("marks %+v; want the mean over the replications that pay back, and how many", m.marks)
	}
}

func TestCrosses(t *testing.T) {
	path := []vg.Point{{X: 0, Y: 0}, {X: 10, Y: 10}}
	box := func(x0, y0, x1, y1 vg.Length) vg.Rectangle {
		return vg.Rectangle{Min: vg.Point{X: x0, Y: y0}, Max: vg.Point{X: x1, Y: y1}}
	}
	for _, tc := range []struct {
		r    vg.Rectangle
		want bool
	}{
		{box(4, 4, 6, 6), true},
		{box(0, 6, 3, 9), false},
		{box(11, 0, 12, 20), false},
		{box(6, 0, 9, 3), false},
		{box(-5, 8, 20, 9), true},
	} {
		if got := crosses(path, tc.r); got != tc.want {
			t.Errorf("crosses(%v) = %v; want %v", tc.r, got, tc.want)
		}
	}
}
