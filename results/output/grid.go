package output

import (
	"math"
	"slices"

	"github.com/journeysim/journeysim/results"
)

// Grid is a table of a summary as text cells, ready for another renderer
// (HTML, for one): a header and rows, each with one cell per header
// column. Cells are formatted as the text tables format them.
type Grid struct {
	Header []string
	Rows   [][]Cell
	// Across names what the columns after the first are ("strategy"): the
	// corner's heading when the grid is drawn transposed to fit a
	// terminal; empty leaves that corner blank.
	Across string
}

// Cell is one cell of a Grid: its text and, in a comparison with the
// baseline, the verdict of the difference (one of Better, Worse,
// NoDifference, Higher, Lower, NotTested or NotApplicable); "" otherwise.
type Cell struct {
	Text    string
	Verdict string
}

// MetricsGrid returns the strategies side by side, one row per metric the
// summary estimates and one column per strategy, each cell the mean and
// the half-width of its 95% interval. With headline set, only the
// headline metrics (those compared with the baseline) are shown. A metric
// undefined for every strategy is left out, as in the text table.
func MetricsGrid(s *results.Summary, headline bool) Grid {
	g := Grid{Header: []string{"metric"}, Across: "strategy"}
	for _, st := range s.Strategies {
		g.Header = append(g.Header, st.Name)
	}
	for k, met := range s.Metrics {
		if headline && !met.Headline {
			continue
		}
		if met.Detail && !slices.ContainsFunc(s.Key, func(kr results.KeyResult) bool { return kr.Name == met.Key }) {
			continue
		}
		row := []Cell{{Text: label(met.Label, unitText(s, met.Unit, met.Percent))}}
		defined := false
		for _, st := range s.Strategies {
			e := st.Metrics[k]
			defined = defined || !math.IsNaN(e.Mean)
			row = append(row, Cell{Text: results.FormatEstimate(scaled(e, met.Percent), met.Digits)})
		}
		if defined || met.Key == results.ROMI.Key {
			g.Rows = append(g.Rows, row)
		}
	}
	return g
}

// ComparisonGrid returns the paired differences from the baseline: one
// row per headline metric and one column per other strategy, each cell
// the signed difference with the half-width of its interval, with enough
// decimals that neither reads 0 when it is not, and its verdict; a
// difference of percentages is in percentage points ("churn (pp)").
// ComparisonNotes say how to read it. It has no rows when only one
// strategy was run.
func ComparisonGrid(s *results.Summary) Grid {
	var names, keys []string
	cells := map[string]map[string]Cell{}
	for _, c := range s.Comparisons {
		if !slices.Contains(names, c.Strategy) {
			names = append(names, c.Strategy)
		}
		if !slices.Contains(keys, c.Metric) {
			keys = append(keys, c.Metric)
		}
		met, _ := metric(s, c.Metric)
		if cells[c.Metric] == nil {
			cells[c.Metric] = map[string]Cell{}
		}
		cells[c.Metric][c.Strategy] = Cell{Text: differenceText(scaled(c.Difference, met.Percent), met.Digits), Verdict: c.Verdict}
	}
	g := Grid{Header: append([]string{"metric"}, names...), Across: "strategy"}
	for _, key := range keys {
		met, _ := metric(s, key)
		unit := differenceUnit(met.Unit, s.Currency, met.Percent)
		if met.Unit == results.UnitTicks {
			unit = unitText(s, met.Unit, false)
		}
		row := []Cell{{Text: label(met.Label, unit)}}
		for _, n := range names {
			row = append(row, cells[key][n])
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// ChannelGrid returns each strategy's channels: one row per channel a
// strategy uses, labelled "strategy · channel", in the order of the
// strategies and then of the channels (each named with what its contacts
// are called when they are not contacts: "phone (calls)"), and one column
// per channel metric, each cell the mean and the half-width of its 95%
// interval. A metric that is zero or undefined on every channel (staff
// time and the service outcomes, most often) is left out, as in the text
// table; the data files keep it.
func ChannelGrid(s *results.Summary) Grid {
	var shown []int
	for k := range results.ChannelMetrics {
		if k == 0 || !results.ChannelMetrics[k].Detail && channelMetricUsed(s, k) {
			shown = append(shown, k)
		}
	}
	g := Grid{Header: []string{"strategy · channel"}}
	for _, k := range shown {
		met := results.ChannelMetrics[k]
		switch met.Key {
		case "contacts":
			met.Label = s.ContactsLabel() // "calls" where every channel's contacts are calls
		case "service_level":
			met.Label = s.ServiceLevelLabel() // "answered within 20 s"
		}
		g.Header = append(g.Header, label(met.Label, displayUnit(met.Unit, s.Currency, met.Percent)))
	}
	for _, st := range s.Strategies {
		for c := range s.Channels {
			if !st.On[c] {
				continue
			}
			row := []Cell{{Text: st.Name + " · " + s.ChannelLabel(c)}}
			for _, k := range shown {
				met := results.ChannelMetrics[k]
				row = append(row, Cell{Text: results.FormatEstimate(scaled(st.Channels[c][k], met.Percent), met.Digits)})
			}
			g.Rows = append(g.Rows, row)
		}
	}
	return g
}

// CheckText says what a check read: each metric with its mean (and
// interval), with enough digits to tell a value just below a threshold
// from one just above.
func CheckText(s *results.Summary, c results.CheckResult) string {
	return observedText(s, c, true)
}
