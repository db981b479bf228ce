package report

import (
	"fmt"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/charts"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/sim/text"
)

// business is a run's business case as the page shows it: a line per
// strategy in the page's headline, and a section with the table and the
// chart of the cumulative extra cash.
type business struct {
	// Baseline is the strategy the others are measured against;
	// Currency the unit of money.
	Baseline, Currency string
	// Intro says what the headline's figures are; Terms what its words
	// mean.
	Intro, Terms string
	Lines        []businessLine
	// Grid is output.BusinessGrid; Note says how it was worked out.
	Grid output.Grid
	Note string
	// Chart is the chart of the cumulative extra cash; nil without it.
	Chart *chart
}

// businessLine is one strategy's business case in words: when it pays
// back and what it is worth, each figure with its interval.
type businessLine struct {
	Strategy string
	// Payback says when it pays back ("pays back in 100 days"), and
	// PaysBack whether it does within the horizon, in every replication.
	Payback  string
	PaysBack bool
	// NPV, Profit and ROI are cells of the business grid: the net present
	// value, the extra profit and the incremental ROI, with their
	// verdicts. NoROI says why there is no ROI, instead of ROI.
	NPV, Profit, ROI output.Cell
	NoROI            string
}

// newBusiness returns the business case of sum, nil when only one
// strategy ran (or the folder was written before business cases).
func newBusiness(sum *results.Summary) *business {
	if len(sum.BusinessCases) == 0 {
		return nil
	}
	g := output.BusinessGrid(sum)
	row := func(prefix string) []output.Cell {
		for _, r := range g.Rows {
			if len(r) > 0 && strings.HasPrefix(r[0].Text, prefix) {
				return r
			}
		}
		return nil
	}
	cell := func(r []output.Cell, k int) output.Cell {
		if k+1 < len(r) {
			return r[k+1]
		}
		return output.Cell{Text: "–"}
	}
	profit, roi, npv := row("extra profit"), row("incremental ROI"), row("NPV")
	tick := sum.TickLabel
	if tick == "" {
		tick = "tick"
	}
	b := &business{Baseline: sum.Baseline, Currency: sum.Currency, Grid: g}
	for k := range sum.BusinessCases {
		bc := &sum.BusinessCases[k]
		l := businessLine{Strategy: bc.Strategy, Payback: paybackWords(sum, bc), NPV: cell(npv, k), Profit: cell(profit, k), ROI: cell(roi, k)}
		l.PaysBack = bc.PaidBack > 0 && bc.PaidBack == len(bc.Payback.Values)
		if bc.ROI.N == 0 {
			l.NoROI = "none: it spends no more than " + sum.Baseline
		}
		b.Lines = append(b.Lines, l)
	}
	rate := results.FormatNumber(100*sum.BusinessCases[0].DiscountRate, 2)
	rate = strings.TrimSuffix(strings.TrimRight(rate, "0"), ".")
	reps := "one replication, so no interval"
	if n := len(sum.Seeds); n > 1 {
		reps = fmt.Sprintf("the mean of %d replications ± the half-width of its 95%% interval", n)
	}
	b.Intro = fmt.Sprintf("The business case: what each strategy adds to %s over %s (%s).", sum.Baseline, text.Count(sum.Horizon, tick), reps)
	b.Terms = fmt.Sprintf("Payback: how long until the extra cash earned covers the extra spent, investments counted when paid. "+
		"Net present value (NPV): that extra cash, each %s's discounted to today at %s%% a year. "+
		"Incremental ROI: the extra profit for each %s of extra spending.", tick, rate, sum.Currency)
	b.Note = fmt.Sprintf("Each strategy minus %s, paired replication by replication: the same customers and random draws in both. "+
		"Extra investment is what the strategy pays for its investments within the horizon; "+
		"extra profit charges them over their life, as the outcomes do, while payback and NPV count them when paid.", sum.Baseline)
	return b
}

// paybackWords says when a strategy pays back, in words a manager reads
// at a glance: "pays back in 100 days", "pays back from the first day"
// (it is never behind) or "does not pay back within the 365-day horizon".
func paybackWords(sum *results.Summary, bc *results.BusinessCase) string {
	tick := sum.TickLabel
	if tick == "" {
		tick = "tick"
	}
	when := output.PaybackText(bc, tick)
	switch {
	case bc.PaidBack == 0:
		return fmt.Sprintf("does not pay back within the %d-%s horizon", sum.Horizon, tick)
	case when == "at once":
		return "pays back from the first " + tick
	}
	return "pays back in " + when
}

// takeBusinessChart moves the business chart from the page's charts to
// its business section.
func (d *data) takeBusinessChart() {
	if d.Business == nil {
		return
	}
	for i, c := range d.Charts {
		if c.Name == charts.BusinessChart {
			d.Business.Chart = &c
			d.Charts = append(d.Charts[:i:i], d.Charts[i+1:]...)
			return
		}
	}
}
