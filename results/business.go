package results

import (
	"math"

	"github.com/journeysim/journeysim/sim"
)

// BusinessCase is what a strategy adds to the baseline in money, paired
// replication by replication (the same customers and random draws in
// both), each figure with its 95% interval over the replications.
// docs/metrics.md defines each.
type BusinessCase struct {
	Strategy string `json:"strategy"`
	Baseline string `json:"baseline"`
	// Revenue and Profit are the strategy's revenue and profit less the
	// baseline's over the horizon.
	Revenue Estimate `json:"incremental_revenue"`
	Profit  Estimate `json:"incremental_profit"`
	// Investment is the extra paid for investments within the horizon.
	Investment Estimate `json:"incremental_investment"`
	// Spend is the extra cost (discounts, contacts, channels, levers and
	// investments as charged to profit) the strategy spends.
	Spend Estimate `json:"incremental_spend"`
	// ROI is the incremental return: Profit ÷ Spend, per replication;
	// undefined (NaN) in a replication where the strategy spends no more.
	ROI Estimate `json:"incremental_roi"`
	// Payback is the number of ticks after which the cumulative
	// incremental cash flow is at or above zero for good, over the
	// replications where that happens within the horizon (PaidBack of
	// them).
	Payback  Estimate `json:"payback_ticks"`
	PaidBack int      `json:"paid_back_replications"`
	// NPV is the net present value of the incremental cash flows at
	// DiscountRate a year.
	NPV          Estimate `json:"npv"`
	DiscountRate float64  `json:"discount_rate"`
	// Cumulative[t] is the cumulative incremental cash flow at the end of
	// tick t, over the replications: the line the payback is read from.
	Cumulative []Estimate `json:"cumulative_cash_flow"`
}

// CashFlows writes the cash the strategy st earns at each tick of tot,
// the totals of one replication of it, into out (a value for each tick):
// the tick's contribution less fixed and per-customer costs and the
// investments paid at that tick. Its sum is the profit over the horizon
// when every investment is charged to profit when paid.
func CashFlows(out []float64, tot *sim.Totals, m *sim.Model, st *sim.Strategy) {
	fixed, perCustomer := st.FixedCostPerTick(m), st.CostPerCustomerPerTick(m)
	for t := range tot.Series {
		x := &tot.Series[t]
		_, paid := st.InvestmentAt(m, t)
		out[t] = x.Contribution - fixed - perCustomer*float64(x.Active) - paid
	}
}

// Costs is everything a strategy spends in one replication: discounts,
// contact, channel and lever costs, and investments as charged to profit.
// Profit is gross margin less Costs.
func Costs(t *sim.Totals) float64 {
	return t.Discount + t.ContactCost + t.ChannelCost + t.LeverCost + t.InvestmentCost
}

// Payback returns the number of ticks after which the cumulative sum of
// flows is at or above zero and stays there to the end, or NaN when it
// ends below zero. A flow that is never below zero pays back at 0.
func Payback(flows []float64) float64 {
	cum, last := 0.0, 0
	for t, f := range flows {
		cum += f
		if cum < 0 {
			last = t + 2
		}
	}
	if cum < 0 {
		return math.NaN()
	}
	return float64(last)
}

// NPV returns the net present value of flows, one a tick, at a yearly
// rate with ticksPerYear ticks a year: the flow of tick t counts
// (1 + rate)^(−t / ticksPerYear), so the first counts in full.
func NPV(flows []float64, rate, ticksPerYear float64) float64 {
	d := math.Pow(1+rate, -1/ticksPerYear)
	f, sum := 1.0, 0.0
	for _, v := range flows {
		sum += f * v
		f *= d
	}
	return sum
}

// BusinessCaseOf works out the business case of the strategy at position
// k of res against the one at position b, over res's replications.
func BusinessCaseOf(res *sim.Result, k, b int) BusinessCase { return businessCase(res, k, b) }

// businessCase works out strategy k's case against the baseline b, both
// positions in res.
func businessCase(res *sim.Result, k, b int) BusinessCase {
	m := res.Model
	st, base := &m.Strategies[res.Strategies[k]], &m.Strategies[res.Strategies[b]]
	reps := min(len(res.Totals[k]), len(res.Totals[b]))
	n := m.Horizon
	revenue, profit, invest, spend, roi, payback, npv := make([]float64, reps), make([]float64, reps),
		make([]float64, reps), make([]float64, reps), make([]float64, reps), make([]float64, reps), make([]float64, reps)
	cum := make([][]float64, n)
	for t := range cum {
		cum[t] = make([]float64, reps)
	}
	own, other := make([]float64, n), make([]float64, n)
	bc := BusinessCase{Strategy: st.Name, Baseline: base.Name, DiscountRate: m.DiscountRate}
	for r := range reps {
		a, z := &res.Totals[k][r], &res.Totals[b][r]
		revenue[r] = a.Revenue - z.Revenue
		profit[r] = Profit(a) - Profit(z)
		invest[r] = a.Invested - z.Invested
		spend[r] = Costs(a) - Costs(z)
		roi[r] = math.NaN()
		if spend[r] > 0 {
			roi[r] = profit[r] / spend[r]
		}
		CashFlows(own, a, m, st)
		CashFlows(other, z, m, base)
		c := 0.0
		for t := range own {
			own[t] -= other[t]
			c += own[t]
			cum[t][r] = c
		}
		payback[r] = Payback(own)
		if !math.IsNaN(payback[r]) {
			bc.PaidBack++
		}
		npv[r] = NPV(own, m.DiscountRate, m.TicksPerYear)
	}
	bc.Revenue, bc.Profit, bc.Investment = NewEstimate(revenue), NewEstimate(profit), NewEstimate(invest)
	bc.Spend, bc.ROI, bc.Payback, bc.NPV = NewEstimate(spend), NewEstimate(roi), NewEstimate(payback), NewEstimate(npv)
	for t := range cum {
		e := NewEstimate(cum[t])
		e.Values = nil // the per-replication values of every tick would swamp summary.json
		bc.Cumulative = append(bc.Cumulative, e)
	}
	return bc
}
