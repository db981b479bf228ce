// Package results turns the engine's raw totals into what people read:
// metrics with their textbook definitions, aggregated over replications with
// confidence intervals, and rendered as tables, CSV and JSON.
package results

import (
	"math"

	"github.com/journeysim/journeysim/sim"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Metric is one outcome, defined on a strategy's totals.
type Metric struct {
	Key   string // column name in CSV and JSON
	Label string // row label in tables
	Unit  string // shown in table headers
	// Digits is the number of decimals a table shows.
	Digits int
	Value  func(t *sim.Totals, m *sim.Model) float64
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// Profit is gross margin on list price less discounts, contact and channel
// costs.
func Profit(t *sim.Totals) float64 {
	return t.GrossMargin - t.Discount - t.ContactCost - t.ChannelCost
}

// Metrics are the per-strategy outcomes, in the order tables show them.
var Metrics = []Metric{
	{"customers", "customers", "", 0, func(t *sim.Totals, _ *sim.Model) float64 { return float64(t.Customers) }},
	{"buyers", "buyers", "", 0, func(t *sim.Totals, _ *sim.Model) float64 { return float64(t.Buyers) }},
	{"purchases", "purchases", "", 0, func(t *sim.Totals, _ *sim.Model) float64 { return float64(t.Purchases) }},
	{"revenue", "revenue", "money", 0, func(t *sim.Totals, _ *sim.Model) float64 { return t.Revenue }},
	{"discount_cost", "discount cost", "money", 0, func(t *sim.Totals, _ *sim.Model) float64 { return t.Discount }},
	{"contact_cost", "contact cost", "money", 0, func(t *sim.Totals, _ *sim.Model) float64 { return t.ContactCost }},
	{"channel_cost", "channel cost", "money", 0, func(t *sim.Totals, _ *sim.Model) float64 { return t.ChannelCost }},
	{"profit", "profit", "money", 0, func(t *sim.Totals, _ *sim.Model) float64 { return Profit(t) }},
	{"roi", "ROI", "%", 1, func(t *sim.Totals, _ *sim.Model) float64 {
		return 100 * ratio(Profit(t), t.ContactCost+t.ChannelCost+t.Discount)
	}},
	{"retention", "retention", "%", 1, func(t *sim.Totals, _ *sim.Model) float64 {
		return 100 * (1 - ratio(float64(t.Churned), float64(t.Customers)))
	}},
	{"churn", "churn", "%", 1, func(t *sim.Totals, _ *sim.Model) float64 {
		return 100 * ratio(float64(t.Churned), float64(t.Customers))
	}},
	{"loyalty", "mean loyalty", "0-1", 3, func(t *sim.Totals, _ *sim.Model) float64 {
		return ratio(t.Loyalty, float64(t.Customers))
	}},
	{"nps", "NPS", "-100..100", 1, func(t *sim.Totals, _ *sim.Model) float64 {
		return 100 * ratio(float64(t.Promoters-t.Detractors), float64(t.Customers))
	}},
	{"csat", "mean CSAT", "1-5", 2, func(t *sim.Totals, _ *sim.Model) float64 { return ratio(t.CSAT, float64(t.CSATCount)) }},
	{"ces", "mean CES", "1-7", 2, func(t *sim.Totals, _ *sim.Model) float64 { return ratio(t.CES, float64(t.CESCount)) }},
	{"contacts_per_customer", "contacts per customer", "", 2, func(t *sim.Totals, _ *sim.Model) float64 {
		return ratio(float64(t.Contacts), float64(t.Customers))
	}},
	{"optout_rate", "opt-out rate", "%", 1, func(t *sim.Totals, _ *sim.Model) float64 {
		return 100 * ratio(float64(t.OptedOut), float64(t.Customers))
	}},
	{"referrals", "referrals", "", 0, func(t *sim.Totals, _ *sim.Model) float64 { return float64(t.Referrals) }},
	{"leaks", "moves lost at switches", "", 0, func(t *sim.Totals, _ *sim.Model) float64 { return float64(t.Leaks) }},
}

// ChannelMetric is one outcome on one channel.
type ChannelMetric struct {
	Key    string
	Label  string
	Unit   string
	Digits int
	Value  func(c *sim.ChannelTotals) float64
}

// ChannelMetrics are the per-channel outcomes.
var ChannelMetrics = []ChannelMetric{
	{"contacts", "contacts", "", 0, func(c *sim.ChannelTotals) float64 { return float64(c.Contacts) }},
	{"responses", "responses", "", 0, func(c *sim.ChannelTotals) float64 { return float64(c.Responses) }},
	{"response_rate", "response rate", "%", 2, func(c *sim.ChannelTotals) float64 {
		return 100 * ratio(float64(c.Responses), float64(c.Contacts))
	}},
	{"visits", "visits", "", 0, func(c *sim.ChannelTotals) float64 { return float64(c.Visits) }},
	{"purchases", "purchases", "", 0, func(c *sim.ChannelTotals) float64 { return float64(c.Purchases) }},
	{"revenue", "revenue at its nodes", "money", 0, func(c *sim.ChannelTotals) float64 { return c.Revenue }},
	{"cost", "cost", "money", 0, func(c *sim.ChannelTotals) float64 { return c.Cost }},
	{"optouts", "opt-outs", "", 0, func(c *sim.ChannelTotals) float64 { return float64(c.OptOuts) }},
}

// Estimate is a metric over replications: its mean, the half-width of its
// 95% confidence interval (NaN with one replication) and each value.
type Estimate struct {
	Mean   float64
	CI95   float64
	Values []float64
}

func estimate(values []float64) Estimate {
	e := Estimate{Values: values, CI95: math.NaN()}
	finite := make([]float64, 0, len(values))
	for _, v := range values {
		if !math.IsNaN(v) {
			finite = append(finite, v)
		}
	}
	n := len(finite)
	if n == 0 {
		e.Mean = math.NaN()
		return e
	}
	e.Mean = stat.Mean(finite, nil)
	if n > 1 {
		sd := stat.StdDev(finite, nil)
		t := distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(n - 1)}.Quantile(0.975)
		e.CI95 = t * sd / math.Sqrt(float64(n))
	}
	return e
}

// StrategySummary is one strategy's outcomes over the replications.
type StrategySummary struct {
	Name        string
	Description string
	// Metrics[k] estimates Metrics[k].
	Metrics []Estimate
	// Channels[c][k] estimates ChannelMetrics[k] on channel c.
	Channels [][]Estimate
	// On[c] says whether the strategy switches channel c on.
	On []bool
}

// Summary is a run's outcomes, ready to render.
type Summary struct {
	Scenario    string
	Version     string
	Seed        uint64
	Seeds       []uint64
	Horizon     int
	TickLabel   string
	Customers   int
	Channels    []string
	Interrupted bool
	Strategies  []StrategySummary
	result      *sim.Result
}

// Summarize aggregates a run's replications.
func Summarize(res *sim.Result) *Summary {
	m := res.Model
	s := &Summary{
		Scenario: m.Name, Version: sim.Version, Seed: m.Seed, Seeds: res.Seeds,
		Horizon: m.Horizon, TickLabel: m.TickLabel, Customers: m.Population.Size,
		Interrupted: res.Interrupted, result: res,
	}
	for _, ch := range m.Channels {
		s.Channels = append(s.Channels, ch.Name)
	}
	for k, si := range res.Strategies {
		st := &m.Strategies[si]
		ss := StrategySummary{Name: st.Name, Description: st.Description, On: st.Channels}
		reps := res.Totals[k]
		for _, met := range Metrics {
			vals := make([]float64, len(reps))
			for r := range reps {
				vals[r] = met.Value(&reps[r], m)
			}
			ss.Metrics = append(ss.Metrics, estimate(vals))
		}
		for c := range m.Channels {
			var row []Estimate
			for _, met := range ChannelMetrics {
				vals := make([]float64, len(reps))
				for r := range reps {
					vals[r] = met.Value(&reps[r].Channels[c])
				}
				row = append(row, estimate(vals))
			}
			ss.Channels = append(ss.Channels, row)
		}
		s.Strategies = append(s.Strategies, ss)
	}
	return s
}
