package output

import (
	"math"
	"slices"
	"strconv"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim"
)

func formatFloat(v float64) string {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func fmtUint(v uint64) string { return strconv.FormatUint(v, 10) }

// estimateCells are an estimate's mean and interval bounds, empty where
// undefined.
func estimateCells(e results.Estimate) []string {
	lo, hi := math.NaN(), math.NaN()
	if !math.IsNaN(e.CI95) {
		lo, hi = e.Low(), e.High()
	}
	return []string{formatFloat(e.Mean), formatFloat(lo), formatFloat(hi)}
}

// Tables returns the run's data tables, in the order they are written:
// summary, replications, timeseries, channels, touchpoints, comparisons,
// business_case, attribution, holdouts and checks. res supplies the
// per-tick series.
func Tables(s *results.Summary, res *sim.Result) []*Table {
	return []*Table{summaryTable(s), replicationsTable(s), timeseriesTable(s, res), channelsTable(s), touchpointsTable(s),
		comparisonsTable(s), businessTable(s), attributionTable(s), holdoutsTable(s), checksTable(s)}
}

// TimeseriesTable is the run's time series as the result folder's
// timeseries table holds it, which the run charts are drawn from.
func TimeseriesTable(s *results.Summary, res *sim.Result) *Table { return timeseriesTable(s, res) }

// SummaryTable is the summary as one tidy table, as `run --format csv`
// prints it.
func SummaryTable(s *results.Summary) *Table { return summaryTable(s) }

func summaryTable(s *results.Summary) *Table {
	t := &Table{Name: "summary", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"metric", String}, {"unit", String},
		{"replications", Int}, {"mean", Float}, {"ci95_low", Float}, {"ci95_high", Float},
	}}
	for _, st := range s.Strategies {
		for k, met := range s.Metrics {
			e := st.Metrics[k]
			t.Add(append([]string{s.Scenario, fmtUint(s.Seed), st.Name, met.Key, results.UnitText(met.Unit, s.Currency), fmtInt(int64(e.N))}, estimateCells(e)...)...)
		}
	}
	return t
}

func replicationsTable(s *results.Summary) *Table {
	t := &Table{Name: "replications", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"replication", Int}, {"replication_seed", String},
	}}
	for _, met := range s.Metrics {
		t.Columns = append(t.Columns, Column{met.Column(s.Currency), Float})
	}
	for _, st := range s.Strategies {
		for r, rs := range s.Seeds {
			row := []string{s.Scenario, fmtUint(s.Seed), st.Name, fmtInt(int64(r)), fmtUint(rs)}
			for k := range s.Metrics {
				row = append(row, formatFloat(st.Metrics[k].Values[r]))
			}
			t.Add(row...)
		}
	}
	return t
}

func timeseriesTable(s *results.Summary, res *sim.Result) *Table {
	cur := s.Currency
	t := &Table{Name: "timeseries", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"replication", Int}, {"tick", Int},
	}}
	for k := range results.TickMetrics {
		tm := &results.TickMetrics[k]
		typ := Float
		if tm.Count {
			typ = Int
		}
		t.Columns = append(t.Columns, Column{tm.ColumnName(cur), typ})
	}
	for _, stage := range s.Stages {
		t.Columns = append(t.Columns, Column{results.StageColumn(stage), Int})
	}
	if res == nil {
		return t
	}
	m := res.Model
	nst := len(m.Stages)
	series := make([][]float64, len(results.TickMetrics))
	for _, k := range mainPositions(res, s) {
		st := &m.Strategies[res.Strategies[k]]
		for r := range s.Seeds {
			tot := &res.Totals[k][r]
			for j := range series {
				series[j] = slices.Grow(series[j][:0], len(tot.Series))[:len(tot.Series)]
				results.TickMetrics[j].Series(series[j], tot, m, st)
			}
			for tick := range tot.Series {
				row := []string{s.Scenario, fmtUint(s.Seed), st.Name, fmtInt(int64(r)), fmtInt(int64(tick))}
				for j := range series {
					v := series[j][tick]
					if results.TickMetrics[j].Count {
						row = append(row, fmtInt(int64(v)))
					} else {
						row = append(row, formatFloat(v))
					}
				}
				for _, v := range tot.Stages[tick*nst : (tick+1)*nst] {
					row = append(row, fmtInt(v))
				}
				t.Add(row...)
			}
		}
	}
	return t
}

// mainPositions returns the positions in res of the strategies s shows.
func mainPositions(res *sim.Result, s *results.Summary) []int {
	var out []int
	for _, st := range s.Strategies {
		for k, si := range res.Strategies {
			if res.Model.Strategies[si].Name == st.Name {
				out = append(out, k)
			}
		}
	}
	return out
}

func channelsTable(s *results.Summary) *Table {
	t := &Table{Name: "channels", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"channel", String}, {"metric", String}, {"unit", String},
		{"replications", Int}, {"mean", Float}, {"ci95_low", Float}, {"ci95_high", Float},
	}}
	for _, st := range s.Strategies {
		for c, ch := range s.Channels {
			if !st.On[c] {
				continue
			}
			for k, met := range results.ChannelMetrics {
				e := st.Channels[c][k]
				t.Add(append([]string{s.Scenario, fmtUint(s.Seed), st.Name, ch, met.Key, results.UnitText(met.Unit, s.Currency), fmtInt(int64(e.N))}, estimateCells(e)...)...)
			}
		}
	}
	return t
}

func unitOf(s *results.Summary, key string) string {
	for _, m := range s.Metrics {
		if m.Key == key {
			return results.UnitText(m.Unit, s.Currency)
		}
	}
	return ""
}

func comparisonsTable(s *results.Summary) *Table {
	t := &Table{Name: "comparisons", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"baseline", String}, {"metric", String}, {"unit", String},
		{"replications", Int}, {"difference", Float}, {"ci95_low", Float}, {"ci95_high", Float}, {"verdict", String}, {"min_effect", Float},
	}}
	for _, c := range s.Comparisons {
		least := "" // none given
		if c.MinEffect > 0 {
			least = formatFloat(c.MinEffect)
		}
		t.Add(append(append([]string{s.Scenario, fmtUint(s.Seed), c.Strategy, c.Baseline, c.Metric, unitOf(s, c.Metric), fmtInt(int64(c.Difference.N))},
			estimateCells(c.Difference)...), c.Verdict, least)...)
	}
	return t
}

func attributionTable(s *results.Summary) *Table {
	cur := s.Currency
	t := &Table{Name: "attribution", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"channel", String}, {"model", String},
		{"replications", Int}, {results.ColumnName("revenue", results.UnitMoney, cur), Float}, {results.ColumnName("ci95_low", results.UnitMoney, cur), Float},
		{results.ColumnName("ci95_high", results.UnitMoney, cur), Float}, {results.ColumnName("abs_error_vs_truth", results.UnitMoney, cur), Float},
	}}
	for _, a := range s.Attribution {
		for c, ch := range a.Channels {
			truth := a.Truth[c]
			t.Add(append(append([]string{s.Scenario, fmtUint(s.Seed), a.Strategy, ch, results.Truth, fmtInt(int64(truth.N))}, estimateCells(truth)...), "0")...)
			for j, model := range sim.AttributionModels {
				e := a.Credit[j][c]
				t.Add(append(append([]string{s.Scenario, fmtUint(s.Seed), a.Strategy, ch, model.Key, fmtInt(int64(e.N))}, estimateCells(e)...),
					formatFloat(math.Abs(e.Mean-truth.Mean)))...)
			}
		}
	}
	return t
}

func holdoutsTable(s *results.Summary) *Table {
	t := &Table{Name: "holdouts", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"holdout_share", Float}, {"metric", String}, {"unit", String},
		{"replications", Int}, {"treated", Float}, {"holdout", Float}, {"uplift", Float}, {"uplift_ci95_low", Float}, {"uplift_ci95_high", Float},
	}}
	for _, h := range s.Holdouts {
		base := []string{s.Scenario, fmtUint(s.Seed), h.Strategy, formatFloat(h.Share)}
		for _, row := range h.Rows {
			up := estimateCells(row.Uplift)
			t.Add(append(append([]string{}, base...), row.Metric, results.UnitText(row.Unit, s.Currency), fmtInt(int64(row.Uplift.N)),
				formatFloat(row.Treated.Mean), formatFloat(row.Holdout.Mean), up[0], up[1], up[2])...)
		}
		inc := estimateCells(h.Incremental)
		t.Add(append(append([]string{}, base...), "incremental_revenue_measured", s.Currency, fmtInt(int64(h.Incremental.N)), "", "", inc[0], inc[1], inc[2])...)
		if !math.IsNaN(h.TrueIncremental.Mean) {
			tr := estimateCells(h.TrueIncremental)
			t.Add(append(append([]string{}, base...), "incremental_revenue_true", s.Currency, fmtInt(int64(h.TrueIncremental.N)), "", "", tr[0], tr[1], tr[2])...)
		}
	}
	return t
}

func checksTable(s *results.Summary) *Table {
	t := &Table{Name: "checks", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"check", String}, {"where", String}, {"pass", String}, {"observed", String},
	}}
	for _, c := range s.Checks {
		t.Add(s.Scenario, fmtUint(s.Seed), c.Strategy, c.Check, c.Where, strconv.FormatBool(c.Pass), observedText(s, c, false))
	}
	return t
}
