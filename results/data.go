package results

import (
	"math"
	"strconv"

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
func estimateCells(e Estimate) []string {
	lo, hi := math.NaN(), math.NaN()
	if !math.IsNaN(e.CI95) {
		lo, hi = e.Low(), e.High()
	}
	return []string{formatFloat(e.Mean), formatFloat(lo), formatFloat(hi)}
}

// Tables returns the run's data tables, in the order they are written:
// summary, replications, timeseries, channels, comparisons, attribution,
// holdouts and checks. res supplies the per-tick series.
func (s *Summary) Tables(res *sim.Result) []*Table {
	return []*Table{s.summaryTable(), s.replicationsTable(), s.timeseriesTable(res), s.channelsTable(),
		s.comparisonsTable(), s.attributionTable(), s.holdoutsTable(), s.checksTable()}
}

// SummaryTable is the summary as one tidy table, as `run --format csv`
// prints it.
func (s *Summary) SummaryTable() *Table { return s.summaryTable() }

func (s *Summary) summaryTable() *Table {
	t := &Table{Name: "summary", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"metric", String}, {"unit", String},
		{"replications", Int}, {"mean", Float}, {"ci95_low", Float}, {"ci95_high", Float},
	}}
	for _, st := range s.Strategies {
		for k, met := range s.Metrics {
			e := st.Metrics[k]
			t.Add(append([]string{s.Scenario, fmtUint(s.Seed), st.Name, met.Key, unitText(met.Unit, s.Currency), fmtInt(int64(e.N))}, estimateCells(e)...)...)
		}
	}
	return t
}

func (s *Summary) replicationsTable() *Table {
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

func (s *Summary) timeseriesTable(res *sim.Result) *Table {
	cur := s.Currency
	t := &Table{Name: "timeseries", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"replication", Int}, {"tick", Int},
		{"active_customers", Int}, {"purchases", Int}, {columnName("revenue", UnitMoney, cur), Float},
		{columnName("contribution", UnitMoney, cur), Float}, {columnName("cumulative_profit", UnitMoney, cur), Float},
		{"mean_loyalty_0_1", Float}, {"contacts", Int}, {"responses", Int}, {"opt_outs", Int}, {"churned", Int},
	}}
	for _, stage := range s.Stages {
		t.Columns = append(t.Columns, Column{"stage_" + stage + "_customers", Int})
	}
	if res == nil {
		return t
	}
	m := res.Model
	nst := len(m.Stages)
	for _, k := range mainPositions(res, s) {
		st := &m.Strategies[res.Strategies[k]]
		fixed := st.FixedCostPerTick(m)
		for r := range s.Seeds {
			tot := &res.Totals[k][r]
			cum := 0.0
			for tick, x := range tot.Series {
				cum += x.Contribution - fixed
				row := []string{s.Scenario, fmtUint(s.Seed), st.Name, fmtInt(int64(r)), fmtInt(int64(tick)),
					fmtInt(x.Active), fmtInt(x.Purchases), formatFloat(x.Revenue), formatFloat(x.Contribution), formatFloat(cum),
					formatFloat(ratio(x.Loyalty, float64(tot.Customers))), fmtInt(x.Contacts), fmtInt(x.Responses),
					fmtInt(x.OptOuts), fmtInt(x.Churned)}
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
func mainPositions(res *sim.Result, s *Summary) []int {
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

func (s *Summary) channelsTable() *Table {
	t := &Table{Name: "channels", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"channel", String}, {"metric", String}, {"unit", String},
		{"replications", Int}, {"mean", Float}, {"ci95_low", Float}, {"ci95_high", Float},
	}}
	for _, st := range s.Strategies {
		for c, ch := range s.Channels {
			if !st.On[c] {
				continue
			}
			for k, met := range ChannelMetrics {
				e := st.Channels[c][k]
				t.Add(append([]string{s.Scenario, fmtUint(s.Seed), st.Name, ch, met.Key, unitText(met.Unit, s.Currency), fmtInt(int64(e.N))}, estimateCells(e)...)...)
			}
		}
	}
	return t
}

func (s *Summary) unitOf(key string) string {
	for _, m := range s.Metrics {
		if m.Key == key {
			return unitText(m.Unit, s.Currency)
		}
	}
	return ""
}

func (s *Summary) comparisonsTable() *Table {
	t := &Table{Name: "comparisons", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"baseline", String}, {"metric", String}, {"unit", String},
		{"replications", Int}, {"difference", Float}, {"ci95_low", Float}, {"ci95_high", Float}, {"verdict", String},
	}}
	for _, c := range s.Comparisons {
		t.Add(append(append([]string{s.Scenario, fmtUint(s.Seed), c.Strategy, c.Baseline, c.Metric, s.unitOf(c.Metric), fmtInt(int64(c.Difference.N))},
			estimateCells(c.Difference)...), c.Verdict)...)
	}
	return t
}

func (s *Summary) attributionTable() *Table {
	cur := s.Currency
	t := &Table{Name: "attribution", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"channel", String}, {"model", String},
		{"replications", Int}, {columnName("revenue", UnitMoney, cur), Float}, {columnName("ci95_low", UnitMoney, cur), Float},
		{columnName("ci95_high", UnitMoney, cur), Float}, {columnName("abs_error_vs_truth", UnitMoney, cur), Float},
	}}
	for _, a := range s.Attribution {
		for c, ch := range a.Channels {
			truth := a.Truth[c]
			t.Add(append(append([]string{s.Scenario, fmtUint(s.Seed), a.Strategy, ch, Truth, fmtInt(int64(truth.N))}, estimateCells(truth)...), "0")...)
			for j, model := range sim.AttributionModels {
				e := a.Credit[j][c]
				t.Add(append(append([]string{s.Scenario, fmtUint(s.Seed), a.Strategy, ch, model.Key, fmtInt(int64(e.N))}, estimateCells(e)...),
					formatFloat(math.Abs(e.Mean-truth.Mean)))...)
			}
		}
	}
	return t
}

func (s *Summary) holdoutsTable() *Table {
	t := &Table{Name: "holdouts", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"holdout_share", Float}, {"metric", String}, {"unit", String},
		{"replications", Int}, {"treated", Float}, {"holdout", Float}, {"uplift", Float}, {"uplift_ci95_low", Float}, {"uplift_ci95_high", Float},
	}}
	for _, h := range s.Holdouts {
		base := []string{s.Scenario, fmtUint(s.Seed), h.Strategy, formatFloat(h.Share)}
		for _, row := range h.Rows {
			up := estimateCells(row.Uplift)
			t.Add(append(append([]string{}, base...), row.Metric, unitText(row.Unit, s.Currency), fmtInt(int64(row.Uplift.N)),
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

func (s *Summary) checksTable() *Table {
	t := &Table{Name: "checks", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"check", String}, {"where", String}, {"pass", String}, {"observed", String},
	}}
	for _, c := range s.Checks {
		t.Add(s.Scenario, fmtUint(s.Seed), c.Strategy, c.Check, c.Where, strconv.FormatBool(c.Pass), s.observedText(c, false))
	}
	return t
}
