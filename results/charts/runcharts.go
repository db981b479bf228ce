package charts

import (
	"fmt"
	"image/color"
	"math"
	"slices"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
)

// FromRun builds the charts of one run from its summary and its
// timeseries table (as the result folder's timeseries.csv holds it, or as
// Summary.Tables returns it):
//
//   - outcome-revenue, outcome-profit, outcome-loyalty, outcome-nps: each
//     strategy's mean with its 95% interval;
//   - business-payback, when more than one strategy ran: each strategy's
//     cumulative extra cash against the baseline over time, with its
//     95% band and the tick it pays back marked;
//   - timeseries-revenue, timeseries-loyalty, timeseries-active: revenue
//     per tick, mean loyalty and active customers over time, one line per
//     strategy;
//   - funnel-STRATEGY: customers at each journey stage over time, stacked;
//   - channels-contacts, channels-revenue: contacts sent (or calls, or
//     whatever a channel's noun calls them) and revenue made on each
//     channel, grouped bars per strategy;
//   - attribution-STRATEGY, when the run measured attribution: the revenue
//     each model credits to each channel next to the true incremental
//     revenue.
func FromRun(sum *results.Summary, timeseries *output.Table) ([]*Chart, error) {
	if timeseries == nil {
		return nil, fmt.Errorf("the run has no timeseries table")
	}
	if len(sum.Strategies) == 0 {
		return nil, fmt.Errorf("the run has no strategy to chart")
	}
	ts, err := readSeries(sum, timeseries)
	if err != nil {
		return nil, err
	}
	var charts []*Chart
	charts = append(charts, outcomeCharts(sum)...)
	charts = append(charts, businessCharts(sum)...)
	charts = append(charts, adoptionCharts(sum, ts)...)
	charts = append(charts, seriesCharts(sum, ts)...)
	charts = append(charts, funnelCharts(sum, ts)...)
	charts = append(charts, channelCharts(sum)...)
	charts = append(charts, attributionCharts(sum)...)
	uniqueNames(charts)
	return charts, nil
}

// replicationNote says what the bars and whiskers are.
func replicationNote(sum *results.Summary) string {
	n := len(sum.Seeds)
	s := fmt.Sprintf("Bars: mean of %d replications; whiskers: 95%% confidence interval.", n)
	if n == 1 {
		s = "One replication, so no interval: run with --reps 2 or more for one."
	}
	if sum.Interrupted {
		s += fmt.Sprintf(" The run was interrupted: %d of %d replications.", n, sum.Replications)
	}
	return s
}

// horizon is the run's length in words, such as "30 days".
func horizon(sum *results.Summary) string { return text.Count(sum.Horizon, tickAxis(sum)) }

// tickAxis is the label of a time axis.
func tickAxis(sum *results.Summary) string {
	if sum.TickLabel == "" {
		return "tick"
	}
	return sum.TickLabel
}

// strategyLegend is a legend entry per strategy, drawn by thumb.
func strategyLegend(sum *results.Summary, thumb func(k int) plot.Thumbnailer) []legendEntry {
	var out []legendEntry
	for k, st := range sum.Strategies {
		out = append(out, legendEntry{label: st.Name, thumb: thumb(k)})
	}
	return out
}

func swatchOf(k int) plot.Thumbnailer { return swatch{strategyColor(k), strategyHatch(k)} }

// headlines are the outcomes charted per strategy, with what they are.
// Whiskers stop at the bounds an outcome cannot pass (lo, hi; NaN for
// none): zero for revenue and loyalty, one for loyalty, ±100 for NPS.
var headlines = []struct {
	key, title, what string
	lo, hi           float64
}{
	{"revenue", "Revenue by strategy", "Total revenue over %s.", 0, math.NaN()},
	{"profit", "Profit by strategy", "Gross margin less discounts, contact and channel costs, over %s.", math.NaN(), math.NaN()},
	{"loyalty", "Customer loyalty by strategy", "Mean loyalty score (0 = none, 1 = full) of the customers at the end of %s.", 0, 1},
	{"nps", "Net Promoter Score by strategy", "Share of promoters minus share of detractors, in points, at the end of %s.", -100, 100},
}

// interval returns e's 95% interval, its lower end no less than zero when
// nonNegative is set; NaN without one.
func interval(e results.Estimate, nonNegative bool) (low, high float64) {
	if nonNegative {
		return bounded(e, 0, math.NaN())
	}
	return bounded(e, math.NaN(), math.NaN())
}

// bounded returns e's 95% interval cut to [lo, hi] (NaN: no bound); NaN
// without one.
func bounded(e results.Estimate, lo, hi float64) (low, high float64) {
	low, high = e.Low(), e.High()
	if low < lo {
		low = lo
	}
	if high > hi {
		high = hi
	}
	return low, high
}

func outcomeCharts(sum *results.Summary) []*Chart {
	var out []*Chart
	var names []string
	for _, st := range sum.Strategies {
		names = append(names, st.Name)
	}
	for _, h := range headlines {
		k := slices.IndexFunc(sum.Metrics, func(m results.Metric) bool { return m.Key == h.key })
		if k < 0 {
			continue
		}
		met := sum.Metrics[k]
		if allZero(sum, k) {
			// Nothing to compare: a chart of empty bars says less than
			// the table's row of zeros.
			continue
		}
		scale := 1.0
		if met.Percent {
			scale = 100
		}
		var bs []bar
		for s, st := range sum.Strategies {
			e := st.Metrics[k]
			low, high := bounded(e, h.lo, h.hi)
			b := bar{x: float64(s), width: 0.6, value: e.Mean * scale, low: low * scale, high: high * scale, color: strategyColor(s), hatch: strategyHatch(s)}
			if math.IsNaN(e.Mean) {
				b.note = "n/a"
			} else {
				b.label, b.short = formatNumber(e.Mean*scale, met.Digits), compactNumber(e.Mean*scale)
			}
			bs = append(bs, b)
		}
		p := newPlot("", withUnit(met.Label, unitLabel(met.Unit, sum.Currency, met.Percent)))
		addGrid(p)
		p.Add(newBars(bs))
		nominalX(p, names, width-2*vg.Inch)
		roundY(p, true)
		roomBelow(p, bs)
		out = append(out, &Chart{
			Name: "outcome-" + h.key, Title: h.title,
			Subtitle: fmt.Sprintf(h.what, horizon(sum)) + " " + replicationNote(sum),
			plot:     p,
		})
	}
	return out
}

// allZero reports whether metric k is exactly zero, with no spread, for
// every strategy of sum.
func allZero(sum *results.Summary, k int) bool {
	for _, st := range sum.Strategies {
		e := st.Metrics[k]
		if e.Mean != 0 || e.Low() != 0 && !math.IsNaN(e.Low()) || e.High() != 0 && !math.IsNaN(e.High()) {
			return false
		}
	}
	return true
}

// roomBelow lowers the bottom of the vertical axis a little when a
// negative bar has a label under it, to keep the label clear of the
// names along the horizontal axis.
func roomBelow(p *plot.Plot, bs []bar) {
	if slices.ContainsFunc(bs, func(b bar) bool { return b.label != "" && b.value < 0 }) {
		p.Y.Min -= 0.1 * (p.Y.Max - p.Y.Min)
	}
}

// series is a run's time series, averaged over replications: [strategy]
// [tick], and stages [strategy][stage][tick]; NaN where no replication
// has the tick.
type series struct {
	ticks                    int
	revenue, loyalty, active [][]float64
	stages                   [][][]float64
	// adopted is the share of the customers who have bought by each
	// tick; nil when the table has no such column.
	adopted [][]float64
}

// adoptedColumn is the timeseries table's column of the share of the
// customers who have bought at least once, or "" if the run's tables
// have none.
func adoptedColumn(currency string) string {
	if k := results.TickMetricIndex("adopted"); k >= 0 {
		return results.TickMetrics[k].ColumnName(currency)
	}
	return ""
}

// readSeries averages the timeseries table over replications.
func readSeries(sum *results.Summary, t *output.Table) (*series, error) {
	const file = "timeseries.csv"
	col := func(name string) (int, error) {
		k := t.Column(name)
		if k < 0 {
			return 0, fmt.Errorf("%s has no column %s", file, name)
		}
		return k, nil
	}
	names := []string{"strategy", "tick", "revenue_" + strings.ToLower(sum.Currency), "mean_loyalty_0_1", "active_customers"}
	for _, stage := range sum.Stages {
		names = append(names, "stage_"+stage+"_customers")
	}
	cols := make([]int, len(names))
	for i, n := range names {
		k, err := col(n)
		if err != nil {
			return nil, err
		}
		cols[i] = k
	}
	// The share who have bought: charted when the table has it.
	adopted := -1
	if name := adoptedColumn(sum.Currency); name != "" && t.Column(name) >= 0 {
		adopted = len(names)
		names, cols = append(names, name), append(cols, t.Column(name))
	}
	// Ticks run from 0 to the horizon; a bound also when the summary
	// gives none, so that a bad file cannot ask for a huge table.
	maxTicks := sum.Horizon
	if maxTicks <= 0 {
		maxTicks = 1_000_000
	}
	nst, nm := len(sum.Strategies), len(names)-2
	// sums[s][tick][measure], counts[s][tick][measure]
	sums := make([][][]float64, nst)
	counts := make([][][]int, nst)
	ticks := max(sum.Horizon, 0)
	for i, row := range t.Rows {
		line := i + 2
		if len(row) != len(t.Columns) {
			return nil, fmt.Errorf("%s:%d: %d cells for %d columns", file, line, len(row), len(t.Columns))
		}
		s := slices.IndexFunc(sum.Strategies, func(st results.StrategySummary) bool { return st.Name == row[cols[0]] })
		if s < 0 {
			continue // a strategy the summary does not show
		}
		tick, err := strconv.Atoi(row[cols[1]])
		if err != nil || tick < 0 || tick >= maxTicks {
			return nil, fmt.Errorf("%s:%d: tick %q is not a whole number from 0 to %d", file, line, row[cols[1]], maxTicks-1)
		}
		for len(sums[s]) <= tick {
			sums[s] = append(sums[s], make([]float64, nm))
			counts[s] = append(counts[s], make([]int, nm))
		}
		ticks = max(ticks, tick+1)
		for m := range nm {
			cell := row[cols[m+2]]
			if cell == "" {
				continue
			}
			v, err := strconv.ParseFloat(cell, 64)
			if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
				return nil, fmt.Errorf("%s:%d: %s is %q, not a number", file, line, names[m+2], cell)
			}
			sums[s][tick][m] += v
			counts[s][tick][m]++
		}
	}
	mean := func(s, tick, m int) float64 {
		if tick >= len(sums[s]) || counts[s][tick][m] == 0 {
			return math.NaN()
		}
		return sums[s][tick][m] / float64(counts[s][tick][m])
	}
	ts := &series{ticks: ticks}
	for s := range nst {
		rev, loy, act := make([]float64, ticks), make([]float64, ticks), make([]float64, ticks)
		stages := make([][]float64, len(sum.Stages))
		for j := range stages {
			stages[j] = make([]float64, ticks)
		}
		for tick := range ticks {
			rev[tick], loy[tick], act[tick] = mean(s, tick, 0), mean(s, tick, 1), mean(s, tick, 2)
			for j := range stages {
				stages[j][tick] = mean(s, tick, 3+j)
			}
		}
		ts.revenue = append(ts.revenue, rev)
		ts.loyalty = append(ts.loyalty, loy)
		ts.active = append(ts.active, act)
		ts.stages = append(ts.stages, stages)
		if adopted >= 0 {
			ad := make([]float64, ticks)
			for tick := range ticks {
				ad[tick] = mean(s, tick, adopted-2)
			}
			ts.adopted = append(ts.adopted, ad)
		}
	}
	return ts, nil
}

// xys are the defined points of ys against their index.
func xys(ys []float64) plotter.XYs {
	var out plotter.XYs
	for x, y := range ys {
		if !math.IsNaN(y) {
			out = append(out, plotter.XY{X: float64(x), Y: y})
		}
	}
	return out
}

func seriesCharts(sum *results.Summary, ts *series) []*Chart {
	tick := tickAxis(sum)
	reps := fmt.Sprintf("Each point: mean of %d replications.", len(sum.Seeds))
	if len(sum.Seeds) == 1 {
		reps = "One replication."
	}
	specs := []struct {
		name, title, sub, y string
		data                [][]float64
		zero                bool
		// score01 shows a score's whole scale, 0 to 1.
		score01 bool
	}{
		{"timeseries-revenue", fmt.Sprintf("Revenue per %s by strategy", tick),
			fmt.Sprintf("Revenue of the purchases made in each %s. ", tick) + reps,
			withUnit("revenue per "+tick, sum.Currency), ts.revenue, true, false},
		{"timeseries-loyalty", "Mean customer loyalty over time by strategy",
			"Mean loyalty score of all customers (0 = none, 1 = full), churned ones included. " + reps,
			withUnit("mean loyalty", "0–1"), ts.loyalty, false, true},
		{"timeseries-active", "Active customers over time by strategy",
			fmt.Sprintf("Customers who have not churned, at the end of each %s. ", tick) + reps,
			"active customers", ts.active, false, false},
	}
	n := len(sum.Strategies)
	var out []*Chart
	for _, sp := range specs {
		p := newPlot(tick, sp.y)
		addGrid(p)
		for k := range sum.Strategies {
			pts := xys(sp.data[k])
			if len(pts) == 0 {
				continue
			}
			l, err := strategyLine(pts, k, n)
			if err != nil {
				continue // only finite values are given; cannot happen
			}
			p.Add(l)
		}
		p.X.Min, p.X.Max = 0, math.Max(float64(ts.ticks-1), 1)
		padY(p)
		roundY(p, sp.zero)
		if sp.score01 {
			p.Y.Min, p.Y.Max = 0, 1
		}
		sub := sp.sub
		if p.Y.Min > 0 {
			sub += " The axis does not start at zero."
		}
		out = append(out, &Chart{Name: sp.name, Title: sp.title, Subtitle: sub, plot: p,
			legendTitle: "strategy", legend: strategyLegend(sum, func(k int) plot.Thumbnailer {
				return stroke{strategyColor(k), strategyDashes(k), lineWidth(k, n)}
			})})
	}
	return out
}

// AdoptionChart is the name of the chart of adoption: for each strategy,
// the share of the customers who have bought by each tick, on one chart,
// so that the curves (the S-curve of word of mouth) compare.
const AdoptionChart = "timeseries-adoption"

// adoptionCharts draws the adoption curves of a run whose scenario
// models word of mouth (its summary measures adopters by word of mouth),
// when the timeseries table has the share who have bought: one line per
// strategy, in percent, with a dashed line at half the market. The
// subtitle gives each strategy's time to half the market when the
// summary has it.
func adoptionCharts(sum *results.Summary, ts *series) []*Chart {
	if ts.adopted == nil || !modelsWordOfMouth(sum) {
		return nil
	}
	tick := tickAxis(sum)
	n := len(sum.Strategies)
	p := newPlot(text.Plural(tick), withUnit("customers adopted", "%"))
	addGrid(p)
	drawn := false
	for k := range sum.Strategies {
		ys := make([]float64, len(ts.adopted[k]))
		for i, v := range ts.adopted[k] {
			ys[i] = 100 * v
		}
		// x is the number of ticks gone: the share after tick t is at
		// t+1, from none at 0.
		pts := plotter.XYs{{X: 0, Y: 0}}
		for _, q := range xys(ys) {
			pts = append(pts, plotter.XY{X: q.X + 1, Y: q.Y})
		}
		if len(pts) < 2 {
			continue
		}
		l, err := strategyLine(pts, k, n)
		if err != nil {
			continue // only finite values are given; cannot happen
		}
		p.Add(l)
		drawn = true
	}
	if !drawn {
		return nil
	}
	half := draw.LineStyle{Color: greyColor, Width: axisWidth, Dashes: []vg.Length{vg.Points(6), vg.Points(4)}}
	p.Add(hLine{y: 50, style: half})
	p.X.Min, p.X.Max = 0, math.Max(float64(ts.ticks), 1)
	p.Y.Min, p.Y.Max = 0, 100
	sub := fmt.Sprintf("Share of all customers who have adopted (bought at least once) by the end of each %s; dashed: half the market.", tick)
	var halves []string
	if m := slices.IndexFunc(sum.Metrics, func(m results.Metric) bool { return m.Key == "time_to_half_market" }); m >= 0 {
		for _, st := range sum.Strategies {
			e := st.Metrics[m]
			if e.N == 0 || math.IsNaN(e.Mean) {
				halves = append(halves, fmt.Sprintf("not within %s (%s)", text.Count(sum.Horizon, tick), st.Name))
				continue
			}
			halves = append(halves, fmt.Sprintf("after %s %s (%s)", results.FormatEstimate(e, 1), text.Plural(tick), st.Name))
		}
	}
	if len(halves) > 0 {
		sub += " Half the market reached " + text.List(halves, "and") + "."
	}
	if len(sum.Seeds) == 1 {
		sub += " One replication."
	} else {
		sub += fmt.Sprintf(" Lines: means of %d replications.", len(sum.Seeds))
	}
	return []*Chart{{
		Name: AdoptionChart, Title: "Adoption over time by strategy",
		Subtitle: sub, plot: p, legendTitle: "strategy",
		legend: append(strategyLegend(sum, func(k int) plot.Thumbnailer {
			return stroke{strategyColor(k), strategyDashes(k), lineWidth(k, n)}
		}), legendEntry{label: "half the market", thumb: stroke{half.Color, half.Dashes, half.Width}}),
	}}
}

// modelsWordOfMouth reports whether the run measured adoption by word of
// mouth: its summary has the metric, defined for some strategy.
func modelsWordOfMouth(sum *results.Summary) bool {
	m := slices.IndexFunc(sum.Metrics, func(m results.Metric) bool { return m.Key == "word_of_mouth_adopters" })
	return m >= 0 && slices.ContainsFunc(sum.Strategies, func(st results.StrategySummary) bool {
		return m < len(st.Metrics) && !math.IsNaN(st.Metrics[m].Mean)
	})
}

// hLine draws a horizontal line across the plot at y.
type hLine struct {
	y     float64
	style draw.LineStyle
}

// Plot implements plot.Plotter.
func (h hLine) Plot(c draw.Canvas, p *plot.Plot) {
	_, trY := p.Transforms(&c)
	y := trY(h.y)
	c.StrokeLines(h.style, c.ClipLinesY([]vg.Point{{X: c.Min.X, Y: y}, {X: c.Max.X, Y: y}})...)
}

// DataRange implements plot.DataRanger: y, whatever the x.
func (h hLine) DataRange() (xmin, xmax, ymin, ymax float64) {
	return math.Inf(1), math.Inf(-1), h.y, h.y
}

func funnelCharts(sum *results.Summary, ts *series) []*Chart {
	if len(sum.Stages) == 0 {
		return nil
	}
	// One vertical scale for every strategy, so that they compare.
	top := 0.0
	for k := range sum.Strategies {
		for tick := range ts.ticks {
			total := 0.0
			for j := range sum.Stages {
				if v := ts.stages[k][j][tick]; !math.IsNaN(v) {
					total += v
				}
			}
			top = math.Max(top, total)
		}
	}
	var out []*Chart
	for k, st := range sum.Strategies {
		p := newPlot(tickAxis(sum), "customers")
		var ticks []int
		for tick := range ts.ticks {
			if !slices.ContainsFunc(ts.stages[k], func(s []float64) bool { return math.IsNaN(s[tick]) }) {
				ticks = append(ticks, tick)
			}
		}
		lower := make([]float64, ts.ticks)
		var legend []legendEntry
		for j, stage := range sum.Stages {
			upper := make([]float64, ts.ticks)
			var ring plotter.XYs
			for _, tick := range ticks {
				upper[tick] = lower[tick] + ts.stages[k][j][tick]
				ring = append(ring, plotter.XY{X: float64(tick), Y: upper[tick]})
			}
			for i := len(ticks) - 1; i >= 0; i-- {
				ring = append(ring, plotter.XY{X: float64(ticks[i]), Y: lower[ticks[i]]})
			}
			col := stageColors[j%len(stageColors)]
			if len(ring) >= 2 {
				if poly, err := plotter.NewPolygon(ring); err == nil {
					poly.Color = col
					poly.LineStyle = draw.LineStyle{Color: whiteColor, Width: vg.Points(1)}
					p.Add(poly)
				}
			}
			// The legend lists the stages top down, as they are stacked.
			legend = append([]legendEntry{{label: strings.ReplaceAll(stage, "_", " "), thumb: swatch{color: col}}}, legend...)
			lower = upper
		}
		p.X.Min, p.X.Max = 0, math.Max(float64(ts.ticks-1), 1)
		p.Y.Min, p.Y.Max = 0, math.Max(top, 1)
		roundY(p, true)
		reps := fmt.Sprintf("mean of %d replications", len(sum.Seeds))
		if len(sum.Seeds) == 1 {
			reps = "one replication"
		}
		out = append(out, &Chart{
			Name:  "funnel-" + slug(st.Name),
			Title: "Where the customers are in the journey: " + st.Name,
			Subtitle: fmt.Sprintf("Customers at each journey stage at the end of each %s, stacked (%s); the top edge is all active customers. Same scale for every strategy.",
				tickAxis(sum), reps),
			plot: p, legendTitle: "journey stage", legend: legend,
		})
	}
	return out
}

// channelMetric returns the index in results.ChannelMetrics of key.
func channelMetric(key string) int {
	return slices.IndexFunc(results.ChannelMetrics, func(m results.ChannelMetric) bool { return m.Key == key })
}

// groupedBar lays out one bar per group and series: groups at 0, 1, …,
// series side by side within a group.
func groupedBar(group, series, nseries int) (x, w float64) {
	w = 0.8 / float64(nseries)
	return float64(group) - 0.4 + (float64(series)+0.5)*w, w
}

func channelCharts(sum *results.Summary) []*Chart {
	specs := []struct{ key, name, title, what, y string }{
		{"contacts", "channels-contacts", "Contacts sent on each channel, by strategy",
			"Messages sent over %s.", "contacts"},
		{"revenue", "channels-revenue", "Revenue made on each channel, by strategy",
			"Revenue of the purchases made on each channel over %s.", withUnit("revenue", sum.Currency)},
	}
	var out []*Chart
	for _, sp := range specs {
		m := channelMetric(sp.key)
		if m < 0 {
			continue
		}
		var kept, left []string
		var keptIdx []int
		for c, ch := range sum.Channels {
			used := slices.ContainsFunc(sum.Strategies, func(st results.StrategySummary) bool {
				if !st.On[c] {
					return false
				}
				v := st.Channels[c][m].Mean
				return !math.IsNaN(v) && v != 0
			})
			if used {
				kept, keptIdx = append(kept, ch), append(keptIdx, c)
			} else {
				left = append(left, ch)
			}
		}
		if len(kept) == 0 {
			continue
		}
		title, what, y := sp.title, sp.what, sp.y
		if sp.key == "contacts" {
			title, what, y = contactsText(sum, keptIdx, title, what, y)
			for g, c := range keptIdx {
				kept[g] = sum.ChannelLabel(c)
			}
		}
		n := len(sum.Strategies)
		var bs []bar
		for g, c := range keptIdx {
			for k, st := range sum.Strategies {
				x, w := groupedBar(g, k, n)
				b := bar{x: x, width: w * 0.9, value: math.NaN(), low: math.NaN(), high: math.NaN(), color: strategyColor(k), hatch: strategyHatch(k)}
				if !st.On[c] {
					b.note = "off"
				} else {
					e := st.Channels[c][m]
					b.value = e.Mean
					b.low, b.high = interval(e, true) // contacts and revenue are never negative
					if !math.IsNaN(e.Mean) {
						b.label, b.short = formatNumber(e.Mean, 0), compactNumber(e.Mean)
					}
				}
				bs = append(bs, b)
			}
		}
		p := newPlot("", y)
		addGrid(p)
		p.Add(newBars(bs))
		nominalX(p, kept, width-4*vg.Inch)
		roundY(p, true)
		roomBelow(p, bs)
		sub := fmt.Sprintf(what, horizon(sum)) + " " + replicationNote(sum)
		if slices.ContainsFunc(bs, func(b bar) bool { return b.note != "" }) {
			sub += " “off”: the strategy does not use the channel."
		}
		if len(left) > 0 {
			sub += " Left out, with none: " + strings.Join(left, ", ") + "."
		}
		out = append(out, &Chart{Name: sp.name, Title: title, Subtitle: sub, plot: p,
			legendTitle: "strategy", legend: strategyLegend(sum, swatchOf)})
	}
	return out
}

// contactsText returns the contacts chart's title, subtitle (a format
// for the horizon) and axis label for the channels at keptIdx: as given
// when all their contacts are contacts sent, and otherwise naming what
// each channel's contacts are, so that a contact centre's calls are not
// called contacts sent.
func contactsText(sum *results.Summary, keptIdx []int, title, what, y string) (string, string, string) {
	var plurals, named []string
	others := false
	for _, c := range keptIdx {
		noun := sum.ChannelNoun(c)
		if !slices.Contains(plurals, text.Plural(noun)) {
			plurals = append(plurals, text.Plural(noun))
		}
		if noun == results.DefaultNoun {
			others = true
		} else {
			named = append(named, text.Plural(noun)+" on "+text.Spoken(sum.Channels[c]))
		}
	}
	if len(named) == 0 {
		return title, what, y
	}
	title = text.Capitalize(text.List(plurals, "and")) + " on each channel, by strategy"
	what = "What each channel carried over %s: " + text.List(named, "and")
	if others {
		what += ", messages sent on the others"
	}
	what += "."
	if len(plurals) == 1 {
		y = plurals[0]
	}
	return title, what, y
}

func attributionCharts(sum *results.Summary) []*Chart {
	var out []*Chart
	for _, a := range sum.Attribution {
		if len(a.Channels) == 0 {
			continue
		}
		nb := 1 + len(sim.AttributionModels)
		var bs []bar
		for c := range a.Channels {
			add := func(series int, e results.Estimate, col color.Color) {
				x, w := groupedBar(c, series, nb)
				bs = append(bs, bar{x: x, width: w * 0.9, value: e.Mean, low: e.Low(), high: e.High(), color: col})
			}
			add(0, a.Truth[c], okBlack)
			for j := range sim.AttributionModels {
				add(1+j, a.Credit[j][c], modelColors[j%len(modelColors)])
			}
		}
		p := newPlot("", withUnit("revenue credited", sum.Currency))
		addGrid(p)
		p.Add(newBars(bs))
		names := make([]string, len(a.Channels))
		for c, ch := range a.Channels {
			names[c] = text.Spoken(ch)
		}
		nominalX(p, names, width-4*vg.Inch)
		roundY(p, true)
		legend := []legendEntry{{label: results.TruthLabel, thumb: swatch{color: okBlack}}}
		for j, m := range sim.AttributionModels {
			legend = append(legend, legendEntry{label: m.Legend, thumb: swatch{color: modelColors[j%len(modelColors)]}})
		}
		sub := "Revenue each attribution model credits to each channel, next to the truth (black): the revenue lost when the channel is switched off."
		if j := sim.AttributionModelIndex(a.Closest); j >= 0 && j < len(a.Error) {
			sub += fmt.Sprintf(" Closest to the truth: %s (off by %s%%).", sim.AttributionModels[j].Legend, results.FormatNumber(100*a.Error[j], 0))
		}
		sub += " " + replicationNote(sum)
		out = append(out, &Chart{
			Name: "attribution-" + slug(a.Strategy), Title: "Attribution models against the true effect of each channel: " + a.Strategy,
			Subtitle: sub, plot: p, legendTitle: "revenue credited by", legend: legend,
		})
	}
	return out
}

// strategyLine is the line of strategy k of n through pts, in its colour,
// width and dashes.
func strategyLine(pts plotter.XYs, k, n int) (*plotter.Line, error) {
	l, err := plotter.NewLine(pts)
	if err != nil {
		return nil, err
	}
	l.LineStyle = draw.LineStyle{Color: strategyColor(k), Width: lineWidth(k, n), Dashes: strategyDashes(k)}
	return l, nil
}
