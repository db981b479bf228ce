// Package sweepfixture builds small, hand-made sweep analyses for the
// tests of the sweep analysis and of the report.
package sweepfixture

import (
	"strconv"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/sweep"
)

// GridAnalysis is a sweep's analysis made by hand: x numeric on 1, 2, 3 ×
// mode (text) on and off, k numeric but fixed at 3, with strategies a and
// b and the outcomes revenue and churn_rate; each point has two
// replications of the same value.
//
// Revenue of a is 10x + 3 with mode on and 2 more with it off, but for
// x = 2 (33 and 35), so its means over mode are 14, 34, 24; b's is 20
// everywhere. Churn of a is 0.10, 0.05, 0.05 either way; b's 0.08.
func GridAnalysis() *sweep.Analysis {
	m := &sweep.Manifest{Experiment: "grid", Points: 6, Replications: 2, Strategies: []string{"a", "b"},
		Params:   []sweep.ParamInfo{{Path: "x", Numeric: true}, {Path: "mode"}, {Path: "k", Numeric: true}},
		Outcomes: []sweep.Outcome{{Key: "revenue", Better: 1}, {Key: "churn_rate", Better: -1}}}
	revA := map[[2]int]float64{{1, 0}: 13, {1, 1}: 15, {2, 0}: 33, {2, 1}: 35, {3, 0}: 23, {3, 1}: 25}
	churnA := map[int]float64{1: 0.10, 2: 0.05, 3: 0.05}
	a := &sweep.Analysis{Manifest: m}
	for p := range m.Points {
		x, mode := p/2+1, p%2
		for s, name := range m.Strategies {
			rev, churn := 20.0, 0.08
			if s == 0 {
				rev, churn = revA[[2]int{x, mode}], churnA[x]
			}
			a.Points = append(a.Points, sweep.PointSummary{Point: p, Strategy: name, Replications: 2,
				Params:   []string{strconv.Itoa(x), []string{"on", "off"}[mode], "3"},
				Outcomes: []results.Estimate{results.NewEstimate([]float64{rev, rev}), results.NewEstimate([]float64{churn, churn})}})
		}
	}
	return a
}

// NoisyAnalysis is GridAnalysis with a's revenue at x = 1 still 13 (mode
// on) and 15 (off) on average, but −17 and 43, and −15 and 45, by
// replication: averaged over mode, −16 and 44, so a − b = −36 and 24, and
// the crossing between 1 and 2 is within the noise.
func NoisyAnalysis() *sweep.Analysis {
	a := GridAnalysis()
	for i, ps := range a.Points {
		if ps.Strategy == "a" && ps.Params[0] == "1" {
			m := ps.Outcomes[0].Mean
			a.Points[i].Outcomes[0] = results.NewEstimate([]float64{m - 30, m + 30})
		}
	}
	return a
}
