package output

import (
	"io"
	"math"
	"slices"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim/text"
)

// unitText is how a table header shows a unit: as displayUnit does, and a
// number of ticks as the run's tick ("weeks").
func unitText(s *results.Summary, unit string, percent bool) string {
	if unit == results.UnitTicks {
		return text.Plural(s.TickLabel)
	}
	return displayUnit(unit, s.Currency, percent)
}

// KeyGrid returns the scenario's key outcomes (Summary.Key), the numbers
// that answer its question: one row per outcome, one column per strategy.
// A measure of the business case reads "baseline" in the baseline's
// column, and a payback that does not happen says so. Without key
// outcomes it holds the headline metrics.
func KeyGrid(s *results.Summary) Grid {
	if len(s.Key) == 0 {
		g := MetricsGrid(s, true)
		g.Header[0] = "outcome"
		return g
	}
	g := Grid{Header: []string{"outcome"}, Across: "strategy"}
	for _, st := range s.Strategies {
		g.Header = append(g.Header, st.Name)
	}
	for _, kr := range s.Key {
		row := []Cell{{Text: label(kr.Label, unitText(s, kr.Unit, kr.Percent))}}
		if kr.Name == "payback" {
			row[0].Text = kr.Label // each cell names its unit: "498 ± 23 days"
		}
		for k, st := range s.Strategies {
			var c Cell
			switch {
			case kr.Business && st.Name == s.Baseline:
				c.Text = "baseline"
			case kr.Name == "payback":
				i := slices.IndexFunc(s.BusinessCases, func(bc results.BusinessCase) bool { return bc.Strategy == st.Name })
				c.Text = "–"
				if i >= 0 {
					c.Text = PaybackText(&s.BusinessCases[i], s.TickLabel)
				}
			case kr.Business:
				c.Text = signed(kr.Values[k], businessDigits(kr))
			default:
				c.Text = results.FormatEstimate(scaled(kr.Values[k], kr.Percent), kr.Digits)
			}
			row = append(row, c)
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// businessDigits is how many decimals a business measure's key result
// shows: money in whole units unless its interval would read ± 0.
func businessDigits(kr results.KeyResult) int {
	e := kr.Values[len(kr.Values)-1]
	if kr.Unit == results.UnitMoney && !math.IsNaN(e.Mean) {
		return moneyDigits(e)
	}
	return kr.Digits
}

// writeKey writes the key results block, or nothing when the scenario
// names no key outcomes.
func writeKey(s *results.Summary, p *page) error {
	if len(s.Key) == 0 {
		return nil
	}
	p.linef("Key results (every metric follows below):")
	if err := p.grid(KeyGrid(s), nil); err != nil {
		return err
	}
	p.linef("")
	return nil
}

// WriteBrief writes the run's line of facts and its key results alone
// (the headline metrics when the scenario names no key outcomes), every
// line at most width display columns (0: no limit).
func WriteBrief(w io.Writer, s *results.Summary, width int) error {
	p := &page{w: w, width: width}
	writeFacts(s, p)
	return p.grid(KeyGrid(s), nil)
}
