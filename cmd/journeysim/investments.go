package main

import (
	"slices"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim"
)

// noteLateInvestments says on stderr, once per investment, which
// investments of the strategies run (picked, nil for all) fall due after
// the horizon and so are not paid in this run: a run that leaves one out
// looks cheaper than the plan it stands for.
func noteLateInvestments(st *globalState, m *sim.Model, picked []int) {
	late := func(who string, inv *sim.Investment) {
		st.notef("investment %s of %s falls due on %s %d, after the %s-%s horizon: this run does not pay it; lengthen the run with --horizon to count it",
			inv.Name, who, m.TickLabel, inv.Tick, results.FormatNumber(float64(m.Horizon), 0), m.TickLabel)
	}
	seen := map[*sim.Investment]bool{}
	for si := range m.Strategies {
		if picked != nil && !slices.Contains(picked, si) {
			continue
		}
		s := &m.Strategies[si]
		for k := range s.Investments {
			if inv := &s.Investments[k]; inv.Tick >= m.Horizon {
				late("strategy "+s.Name, inv)
			}
		}
		for k, v := range s.Levers {
			if k >= len(m.Levers) || v == 0 {
				continue
			}
			for j := range m.Levers[k].Investments {
				if inv := &m.Levers[k].Investments[j]; inv.Tick >= m.Horizon && !seen[inv] {
					seen[inv] = true
					late("lever "+m.Levers[k].Name, inv)
				}
			}
		}
	}
}
