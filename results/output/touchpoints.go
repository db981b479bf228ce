package output

import (
	"slices"

	"github.com/journeysim/journeysim/results"
)

// touchpointsTable is the outcomes at each touchpoint (journey node) of
// each strategy, one row per metric (results.TouchpointMetrics). A
// touchpoint on a channel the strategy switches off has no rows, as that
// channel has none in the channels table; a summary saved before
// touchpoints were counted gives an empty table.
func touchpointsTable(s *results.Summary) *Table {
	t := &Table{Name: "touchpoints", Columns: []Column{
		{"scenario", String}, {"seed", String}, {"strategy", String}, {"node", String}, {"stage", String}, {"channel", String},
		{"metric", String}, {"unit", String}, {"replications", Int}, {"mean", Float}, {"ci95_low", Float}, {"ci95_high", Float},
	}}
	for _, st := range s.Strategies {
		for n, tp := range s.Touchpoints {
			if n >= len(st.Touchpoints) {
				break
			}
			if c := slices.Index(s.Channels, tp.Channel); tp.Channel != "" && c >= 0 && c < len(st.On) && !st.On[c] {
				continue
			}
			row := st.Touchpoints[n]
			for k, met := range results.TouchpointMetrics {
				if k >= len(row) {
					break
				}
				e := row[k]
				t.Add(append([]string{s.Scenario, fmtUint(s.Seed), st.Name, tp.Name, tp.Stage, tp.Channel, met.Key,
					results.UnitText(met.Unit, s.Currency), fmtInt(int64(e.N))}, estimateCells(e)...)...)
			}
		}
	}
	return t
}
