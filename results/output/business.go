package output

import (
	"fmt"
	"math"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim/text"
)

// BusinessGrid returns each strategy's business case against the
// baseline: one row per measure (incremental revenue, profit, investment,
// ROI, payback and NPV) and one column per strategy other than the
// baseline, each cell the paired difference with its interval. It has no
// rows when only one strategy was run.
func BusinessGrid(s *results.Summary) Grid {
	g := Grid{Header: []string{"against " + s.Baseline}, Across: "strategy"}
	if len(s.BusinessCases) == 0 {
		return g
	}
	for _, bc := range s.BusinessCases {
		g.Header = append(g.Header, bc.Strategy)
	}
	cur := s.Currency
	tested := len(s.Seeds) > 1
	npvLeast := 0.0
	if me, ok := results.FindMinEffect(s.MinEffects, results.NPVKey); ok {
		npvLeast = me.Value
	}
	// money is an amount with its verdict; the extra revenue and profit
	// are the comparison's differences, so they take its verdict (read
	// against --min-effect) when there is one.
	money := func(bc *results.BusinessCase, e results.Estimate, key string, least float64) Cell {
		c := Cell{Text: signed(e, moneyDigits(e))}
		if key == "" || !tested {
			return c
		}
		c.Verdict = results.VerdictWithin(e, results.HigherIsBetter, least)
		for _, cmp := range s.Comparisons {
			if cmp.Strategy == bc.Strategy && cmp.Metric == key {
				c.Verdict = cmp.Verdict
			}
		}
		return c
	}
	rows := []struct {
		label string
		cell  func(bc *results.BusinessCase) Cell
	}{
		{label("extra revenue", cur), func(bc *results.BusinessCase) Cell { return money(bc, bc.Revenue, "revenue", 0) }},
		{label("extra profit", cur), func(bc *results.BusinessCase) Cell { return money(bc, bc.Profit, "profit", 0) }},
		{label("extra investment", cur), func(bc *results.BusinessCase) Cell { return money(bc, bc.Investment, "", 0) }},
		{label("extra spend", cur), func(bc *results.BusinessCase) Cell { return money(bc, bc.Spend, "", 0) }},
		{label("incremental ROI", "×"), func(bc *results.BusinessCase) Cell { return Cell{Text: roiText(bc.ROI)} }},
		{"payback", func(bc *results.BusinessCase) Cell { return Cell{Text: PaybackText(bc, s.TickLabel)} }},
		{label("NPV at "+percentText(s.BusinessCases[0].DiscountRate)+" a year", cur), func(bc *results.BusinessCase) Cell { return money(bc, bc.NPV, results.NPVKey, npvLeast) }},
	}
	for _, r := range rows {
		row := []Cell{{Text: r.label}}
		for k := range s.BusinessCases {
			row = append(row, r.cell(&s.BusinessCases[k]))
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// moneyDigits shows an amount in whole units unless its interval would
// then read ± 0.
func moneyDigits(e results.Estimate) int {
	for d := 0; d < 4; d++ {
		if math.IsNaN(e.CI95) || e.CI95 == 0 || math.Abs(e.CI95) >= 0.5*math.Pow(10, -float64(d)) {
			return d
		}
	}
	return 4
}

func percentText(rate float64) string {
	return results.FormatNumber(100*rate, decimalsOf(100*rate)) + "%"
}

// decimalsOf is the fewest decimals (up to 2) that write v exactly.
func decimalsOf(v float64) int {
	for d := 0; d < 2; d++ {
		p := math.Pow(10, float64(d))
		if math.Abs(v*p-math.Round(v*p)) < 1e-9 {
			return d
		}
	}
	return 2
}

func roiText(e results.Estimate) string {
	if e.N == 0 {
		return "– (spends no more)"
	}
	return signed(e, 2)
}

// PaybackText says when a strategy's extra investment and costs are paid
// back, in ticks ("120 days ± 4"), or that they are not within the
// horizon, and in how many replications when only in some.
func PaybackText(bc *results.BusinessCase, tick string) string {
	reps := len(bc.Payback.Values)
	switch {
	case bc.PaidBack == 0:
		return "not within the horizon"
	case bc.Payback.Mean == 0 && (math.IsNaN(bc.Payback.CI95) || bc.Payback.CI95 == 0):
		return "at once"
	}
	e := bc.Payback
	e.Values = nil // the count below says over how many replications
	s := results.FormatEstimate(e, 0) + " " + text.Plural(tick)
	if bc.PaidBack < reps {
		s += fmt.Sprintf(" (in %d of %d replications)", bc.PaidBack, reps)
	}
	return s
}

func writeBusinessCases(s *results.Summary, p *page) error {
	if len(s.BusinessCases) == 0 {
		return nil
	}
	if len(s.Seeds) > 1 {
		p.linef("\nThe business case: what each strategy adds to %s, paired replication by replication:", s.Baseline)
	} else {
		p.linef("\nThe business case: what each strategy adds to %s (one replication: no intervals, nothing tested):", s.Baseline)
	}
	if err := p.grid(BusinessGrid(s), withVerdict); err != nil {
		return err
	}
	for _, line := range businessNotes(s) {
		p.note(line, proseWidth-2, "  ", "  ")
	}
	return nil
}

// businessNotes say in plain words how to read the business case.
func businessNotes(s *results.Summary) []string {
	tick := s.TickLabel
	notes := []string{
		"Incremental ROI is the extra profit per " + s.Currency + " of extra spend: costs, and investments as charged to profit (over their life). " +
			"Payback is how many " + text.Plural(tick) + " it takes until the extra cash earned covers the extra spent, " +
			"investments counted when paid; NPV discounts each " + tick + "'s extra cash to today.",
	}
	var least, compared []string
	for _, key := range []string{"revenue", "profit"} {
		if _, ok := results.FindMinEffect(s.MinEffects, key); ok {
			compared = append(compared, "extra "+key)
		}
	}
	if len(compared) > 0 {
		least = append(least, strings.Join(compared, " and ")+" as in the comparison above")
	}
	if me, ok := results.FindMinEffect(s.MinEffects, results.NPVKey); ok {
		least = append(least, "NPV ±"+results.FormatNumber(me.Value, decimalsOf(me.Value))+" "+s.Currency)
	}
	if len(least) > 0 {
		notes = append(notes, "Below what matters (--min-effect): the whole interval is inside the smallest difference that matters: "+strings.Join(least, "; ")+".")
	}
	return notes
}

// businessTable is the business case as a tidy table: one row per
// strategy and measure.
func businessTable(s *results.Summary) *Table {
	t := &Table{Name: "business_case", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"baseline", String}, {"measure", String}, {"unit", String},
		{"replications", Int}, {"mean", Float}, {"ci95_low", Float}, {"ci95_high", Float},
	}}
	for _, bc := range s.BusinessCases {
		for _, m := range []struct {
			key, unit string
			e         results.Estimate
		}{
			{"incremental_revenue", s.Currency, bc.Revenue},
			{"incremental_profit", s.Currency, bc.Profit},
			{"incremental_investment", s.Currency, bc.Investment},
			{"incremental_spend", s.Currency, bc.Spend},
			{"incremental_roi", results.UnitRatio, bc.ROI},
			{"payback", strings.ToLower(text.Plural(s.TickLabel)), bc.Payback},
			{"npv", s.Currency, bc.NPV},
		} {
			t.Add(append([]string{s.Scenario, fmtUint(s.Seed), bc.Strategy, bc.Baseline, m.key, m.unit, fmtInt(int64(m.e.N))}, estimateCells(m.e)...)...)
		}
	}
	return t
}
