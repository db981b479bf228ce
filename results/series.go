package results

import (
	"math"

	"github.com/journeysim/journeysim/sim"
)

// TickMetric is one per-tick series of a run: a column of the run's
// timeseries table, and a series a sweep can record (an experiment's
// series: names it by Key).
type TickMetric struct {
	// Key names the series in experiments and in a sweep's series table.
	Key string `json:"key"`
	// Column is the timeseries table's column name without its unit;
	// "" when it is Key.
	Column string `json:"-"`
	Label  string `json:"label"`
	// Unit is one of the Unit constants.
	Unit string `json:"unit"`
	// Count reports a series of whole numbers.
	Count bool `json:"count"`
	// value is the series' value at a tick, given the tick's totals, the
	// replication's totals, the value at the tick before (0 before the
	// first) and what the strategy's fixed and per-customer costs and its
	// investments charge to profit at that tick (fixed).
	value func(x *sim.TickTotals, tot *sim.Totals, prev, fixed float64) float64
}

// TickMetrics are the per-tick series of a run, in the order of the
// timeseries table's columns. The timeseries table adds, after them, the
// customers at each journey stage (StageSeries).
var TickMetrics = []TickMetric{
	{Key: "active", Column: "active_customers", Label: "active customers", Count: true,
		value: func(x *sim.TickTotals, _ *sim.Totals, _, _ float64) float64 { return float64(x.Active) }},
	{Key: "purchases", Label: "purchases", Count: true,
		value: func(x *sim.TickTotals, _ *sim.Totals, _, _ float64) float64 { return float64(x.Purchases) }},
	{Key: "revenue", Label: "revenue", Unit: UnitMoney,
		value: func(x *sim.TickTotals, _ *sim.Totals, _, _ float64) float64 { return x.Revenue }},
	{Key: "contribution", Label: "contribution", Unit: UnitMoney,
		value: func(x *sim.TickTotals, _ *sim.Totals, _, _ float64) float64 { return x.Contribution }},
	{Key: "cumulative_profit", Label: "cumulative profit", Unit: UnitMoney,
		value: func(x *sim.TickTotals, _ *sim.Totals, prev, fixed float64) float64 {
			return prev + (x.Contribution - fixed)
		}},
	{Key: "loyalty", Column: "mean_loyalty", Label: "mean loyalty", Unit: UnitScore01,
		value: func(x *sim.TickTotals, tot *sim.Totals, _, _ float64) float64 {
			if tot.Customers == 0 {
				return math.NaN()
			}
			return x.Loyalty / float64(tot.Customers)
		}},
	{Key: "contacts", Label: "contacts", Count: true,
		value: func(x *sim.TickTotals, _ *sim.Totals, _, _ float64) float64 { return float64(x.Contacts) }},
	{Key: "responses", Label: "responses", Count: true,
		value: func(x *sim.TickTotals, _ *sim.Totals, _, _ float64) float64 { return float64(x.Responses) }},
	{Key: "opt_outs", Label: "opt-outs", Count: true,
		value: func(x *sim.TickTotals, _ *sim.Totals, _, _ float64) float64 { return float64(x.OptOuts) }},
	{Key: "churned", Label: "churned", Count: true,
		value: func(x *sim.TickTotals, _ *sim.Totals, _, _ float64) float64 { return float64(x.Churned) }},
	{Key: "new_buyers", Label: "first-time buyers", Count: true,
		value: func(x *sim.TickTotals, _ *sim.Totals, _, _ float64) float64 { return float64(x.NewBuyers) }},
	{Key: "adopted", Column: "adopted", Label: "share who have bought", Unit: UnitShare,
		value: func(x *sim.TickTotals, tot *sim.Totals, prev, _ float64) float64 {
			if tot.Customers == 0 {
				return math.NaN()
			}
			return prev + float64(x.NewBuyers)/float64(tot.Customers)
		}},
}

// TickMetricIndex returns the index in TickMetrics of the series called
// key, or -1.
func TickMetricIndex(key string) int {
	for k := range TickMetrics {
		if TickMetrics[k].Key == key {
			return k
		}
	}
	return -1
}

// ColumnName is the series' column name in the timeseries table, with its
// unit: revenue_eur, mean_loyalty_0_1.
func (tm *TickMetric) ColumnName(currency string) string {
	name := tm.Column
	if name == "" {
		name = tm.Key
	}
	return ColumnName(name, tm.Unit, currency)
}

// Series writes the series' value at each tick of tot, the totals of one
// replication of strategy st of m, into out, which has a value for each
// tick (len(tot.Series)). It allocates nothing.
func (tm *TickMetric) Series(out []float64, tot *sim.Totals, m *sim.Model, st *sim.Strategy) {
	fixed, perCustomer := st.FixedCostPerTick(m), st.CostPerCustomerPerTick(m)
	prev := 0.0
	for t := range tot.Series {
		x := &tot.Series[t]
		charged, _ := st.InvestmentAt(m, t)
		prev = tm.value(x, tot, prev, fixed+perCustomer*float64(x.Active)+charged)
		out[t] = prev
	}
}

// StageSeries writes the number of customers at a node of stage k of m
// (churned customers excluded) at the end of each tick of tot into out,
// which has a value for each tick. It allocates nothing.
func StageSeries(out []float64, tot *sim.Totals, m *sim.Model, k int) {
	n := len(m.Stages)
	for t := range out {
		out[t] = float64(tot.Stages[t*n+k])
	}
}

// StageColumn is the timeseries table's column of the customers at stage.
func StageColumn(stage string) string { return "stage_" + stage + "_customers" }
