package report

import (
	"fmt"
	"math"
	"regexp"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/charts"
	"github.com/journeysim/journeysim/results/output"
)

// A run's page tells a story: the question, the key results, the
// lesson's one chart, the comparison with its verdicts, the business
// case, the other charts, the journey map, then the full tables. This
// file picks what goes where.

// markedGrid is a table of outcomes by strategy with the best value in
// each row marked.
type markedGrid struct {
	Header []string
	Rows   []markedRow
}

type markedRow struct {
	Label string
	Cells []markedCell
}

// markedCell is a cell's text and whether it holds its row's best value.
type markedCell struct {
	Text string
	Best bool
}

// columns returns the table's columns, to fit it to the page. A best
// value is set in bold, which widens it.
func (g markedGrid) columns() []column {
	cols := make([]column, len(g.Header))
	for k, h := range g.Header {
		cols[k] = column{header: h, label: k == 0}
	}
	for _, r := range g.Rows {
		if len(cols) > 0 {
			cols[0].cells = append(cols[0].cells, r.Label)
		}
		for k, c := range r.Cells {
			if k+1 < len(cols) {
				text := c.Text
				if c.Best {
					text += "  " // bold is about 8% wider
				}
				cols[k+1].cells = append(cols[k+1].cells, text)
			}
		}
	}
	return cols
}

// mark makes g a markedGrid: values[i][k] is the number behind the cell
// of row i and strategy k (NaN for none), better[i] the direction of row
// i's outcome. A row whose direction or values are missing is marked
// nowhere.
func mark(g output.Grid, values [][]float64, better []results.Direction) markedGrid {
	m := markedGrid{Header: g.Header}
	for i, row := range g.Rows {
		if len(row) == 0 {
			continue
		}
		r := markedRow{Label: row[0].Text}
		var best []bool
		if i < len(values) && i < len(better) && len(values[i]) == len(row)-1 {
			texts := make([]string, len(row)-1)
			for k, c := range row[1:] {
				texts[k] = mean(c.Text)
			}
			best = bestOf(values[i], texts, better[i])
		}
		for k, c := range row[1:] {
			r.Cells = append(r.Cells, markedCell{Text: c.Text, Best: k < len(best) && best[k]})
		}
		m.Rows = append(m.Rows, r)
	}
	return m
}

// bestOf marks the best of values, by better: the highest, or the lowest,
// and every value shown (texts) the same as it. Nothing is marked for a
// Neutral outcome, fewer than two values, or values that all read the
// same.
func bestOf(values []float64, texts []string, better results.Direction) []bool {
	if better == results.Neutral {
		return nil
	}
	best, defined := -1, 0
	for k, v := range values {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			continue
		}
		defined++
		if best < 0 || (better == results.HigherIsBetter && v > values[best]) || (better == results.LowerIsBetter && v < values[best]) {
			best = k
		}
	}
	if defined < 2 {
		return nil
	}
	marks := make([]bool, len(values))
	n := 0
	for k, v := range values {
		if !math.IsNaN(v) && !math.IsInf(v, 0) && texts[k] == texts[best] {
			marks[k] = true
			n++
		}
	}
	if n == defined {
		return nil // all the same
	}
	return marks
}

// gridMetrics returns the metrics of the rows of output.MetricsGrid(sum,
// headline), in order: the metrics it shows, those defined for some
// strategy.
func gridMetrics(sum *results.Summary, headline bool) []int {
	var out []int
	for k, met := range sum.Metrics {
		if headline && !met.Headline {
			continue
		}
		if met.Detail && !slices.ContainsFunc(sum.Key, func(kr results.KeyResult) bool { return kr.Name == met.Key }) {
			continue
		}
		defined := met.Key == results.ROMI.Key
		for _, st := range sum.Strategies {
			defined = defined || (k < len(st.Metrics) && !math.IsNaN(st.Metrics[k].Mean))
		}
		if defined {
			out = append(out, k)
		}
	}
	return out
}

// markMetrics marks the best value in each row of g, the grid
// output.MetricsGrid(sum, headline) returns. If its rows are not the
// metrics gridMetrics finds, nothing is marked.
func markMetrics(sum *results.Summary, g output.Grid, headline bool) markedGrid {
	idx := gridMetrics(sum, headline)
	if len(idx) != len(g.Rows) {
		return mark(g, nil, nil)
	}
	values := make([][]float64, len(idx))
	better := make([]results.Direction, len(idx))
	for i, k := range idx {
		met := sum.Metrics[k]
		if !strings.HasPrefix(g.Rows[i][0].Text, met.Label) {
			return mark(g, nil, nil)
		}
		better[i] = met.Better
		for _, st := range sum.Strategies {
			v := math.NaN()
			if k < len(st.Metrics) {
				v = st.Metrics[k].Mean
			}
			values[i] = append(values[i], v)
		}
	}
	return mark(g, values, better)
}

// keyResults returns the key results of sum, output.KeyGrid with the
// best value in each row marked, and a note that says what they are.
func keyResults(sum *results.Summary) (markedGrid, string) {
	g := output.KeyGrid(sum)
	if len(sum.Key) == 0 {
		return markMetrics(sum, g, true), "The scenario names no key outcomes: these are its headline outcomes. Every outcome is in the tables below."
	}
	values := make([][]float64, len(sum.Key))
	better := make([]results.Direction, len(sum.Key))
	for i, kr := range sum.Key {
		better[i] = kr.Better
		for k, st := range sum.Strategies {
			v := math.NaN()
			if k < len(kr.Values) {
				v = kr.Values[k].Mean
			}
			if kr.Business && st.Name == sum.Baseline {
				v = math.NaN()
			}
			if kr.Name == "payback" {
				// Only a payback that happens in every replication
				// competes.
				v = math.NaN()
				for j := range sum.BusinessCases {
					bc := &sum.BusinessCases[j]
					if bc.Strategy == st.Name && bc.PaidBack > 0 && bc.PaidBack == len(bc.Payback.Values) {
						v = bc.Payback.Mean
					}
				}
			}
			values[i] = append(values[i], v)
		}
	}
	return mark(g, values, better), "The outcomes that answer the scenario's question. Every outcome is in the tables below."
}

// keyChartName is the name of the lesson's one chart of the charts cs,
// shown under the key results: charts.KeyChartName.
func keyChartName(sum *results.Summary, cs []chart) string {
	names := make([]string, len(cs))
	for i, c := range cs {
		names[i] = c.Name
	}
	return charts.KeyChartName(sum, names)
}

// takeChart removes the chart called name from the page's charts and
// returns it; nil if there is none.
func (d *data) takeChart(name string) *chart {
	i := slices.IndexFunc(d.Charts, func(c chart) bool { return c.Name == name })
	if name == "" || i < 0 {
		return nil
	}
	c := d.Charts[i]
	d.Charts = slices.Delete(d.Charts, i, i+1)
	return &c
}

// funnelPrefix starts the names of the journey funnel charts, one per
// strategy, and funnelTitle their titles, followed by the strategy.
const (
	funnelPrefix = "funnel-"
	funnelTitle  = "Where the customers are in the journey: "
)

// foldFunnels folds the journey funnels, one chart per strategy, into one
// figure of small multiples, where the first of them was: one caption
// over all, each panel labelled with its strategy.
func (d *data) foldFunnels() {
	var panels []chart
	at := -1
	var rest []chart
	for _, c := range d.Charts {
		if strings.HasPrefix(c.Name, funnelPrefix) {
			if at < 0 {
				at = len(rest)
				rest = append(rest, chart{})
			}
			c.Label = strings.TrimPrefix(c.Title, funnelTitle)
			panels = append(panels, c)
			continue
		}
		rest = append(rest, c)
	}
	if len(panels) < 2 {
		return
	}
	rest[at] = chart{Name: "funnels", Title: "Where the customers are in the journey, strategy by strategy",
		Subtitle: panels[0].Subtitle, Panels: panels}
	d.Charts = rest
}

// svgIDs finds the ids an SVG document defines.
var svgIDs = regexp.MustCompile(`\sid="([^"]+)"`)

// fullestFirst orders maps so that the strategy that switches on the
// most channels comes first (the later of two with as many): its map
// shows the most of the journey. The others keep their order.
func fullestFirst(maps []JourneyMap, sum *results.Summary) []JourneyMap {
	on := func(name string) int {
		for _, st := range sum.Strategies {
			if st.Name == name {
				n := 0
				for _, o := range st.On {
					if o {
						n++
					}
				}
				return n
			}
		}
		return 0
	}
	best := -1
	for i, m := range maps {
		if best < 0 || on(m.Strategy) >= on(maps[best].Strategy) {
			best = i
		}
	}
	if best <= 0 {
		return maps
	}
	out := append([]JourneyMap{maps[best]}, maps[:best]...)
	return append(out, maps[best+1:]...)
}

// addMaps puts the journey maps on the page. The maps define the same
// ids (their arrowheads and patterns); each map after the first gets its
// own, so that every one refers to its own definitions.
func (d *data) addMaps(maps []JourneyMap) {
	for k, m := range maps {
		svg := string(m.SVG)
		if k > 0 {
			prefix := fmt.Sprintf("map%d-", k+1)
			for _, id := range svgIDs.FindAllStringSubmatch(svg, -1) {
				svg = strings.ReplaceAll(svg, `id="`+id[1]+`"`, `id="`+prefix+id[1]+`"`)
				svg = strings.ReplaceAll(svg, `url(#`+id[1]+`)`, `url(#`+prefix+id[1]+`)`)
				svg = strings.ReplaceAll(svg, `href="#`+id[1]+`"`, `href="#`+prefix+id[1]+`"`)
			}
		}
		d.Maps = append(d.Maps, journeyFigure{Strategy: m.Strategy, SVG: inlineSVG([]byte(svg))})
	}
}
