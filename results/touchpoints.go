package results

import (
	"slices"

	"github.com/journeysim/journeysim/sim"
)

// Touchpoint names a node of the journey in a summary: a touchpoint, a
// channel at a stage (docs/metrics.md#touchpoint-metrics).
type Touchpoint struct {
	Name  string `json:"name"`
	Stage string `json:"stage"`
	// Channel is the node's channel; "" for a node on no channel.
	Channel string `json:"channel,omitempty"`
	// Start marks the node every customer starts at.
	Start bool `json:"start,omitempty"`
}

// TouchpointMetric is one outcome at one touchpoint.
type TouchpointMetric struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Unit    string `json:"unit"`
	Percent bool   `json:"percent"`
	Digits  int    `json:"digits"`
	// Value is the metric at node n of a replication's totals t; start
	// says whether n is the node every customer starts at.
	Value func(t *sim.Totals, n int, start bool) float64 `json:"-"`
}

// TouchpointMetrics are the per-touchpoint outcomes, in the order of
// StrategySummary.Touchpoints' rows.
var TouchpointMetrics = []TouchpointMetric{
	// The customers who entered the touchpoint: the moves that landed on
	// it, as a channel's visits count them, and at the start node the
	// customers who start there.
	{"entries", "entries", UnitCount, false, 0, func(t *sim.Totals, n int, start bool) float64 {
		v := float64(at(t.NodeVisits, n))
		if start {
			v += float64(t.Customers)
		}
		return v
	}},
	// The mean ratings of the visits to the touchpoint: undefined (NaN)
	// where none was rated.
	{"csat", "mean CSAT", UnitCSAT, false, 2, func(t *sim.Totals, n int, _ bool) float64 {
		return ratio(at(t.NodeCSAT, n), float64(at(t.NodeCSATCount, n)))
	}},
	{"ces", "mean CES", UnitCES, false, 2, func(t *sim.Totals, n int, _ bool) float64 {
		return ratio(at(t.NodeCES, n), float64(at(t.NodeCESCount, n)))
	}},
	// How many visits were rated, for the weight of the means above.
	{"csat_ratings", "CSAT ratings", UnitCount, false, 0, func(t *sim.Totals, n int, _ bool) float64 {
		return float64(at(t.NodeCSATCount, n))
	}},
	{"ces_ratings", "CES ratings", UnitCount, false, 0, func(t *sim.Totals, n int, _ bool) float64 {
		return float64(at(t.NodeCESCount, n))
	}},
}

// TouchpointMetricIndex returns the index in TouchpointMetrics of the
// metric called key, or -1.
func TouchpointMetricIndex(key string) int {
	return slices.IndexFunc(TouchpointMetrics, func(m TouchpointMetric) bool { return m.Key == key })
}

// at returns xs[k], or zero when xs has no element k (totals made before
// the engine counted per node).
func at[T int64 | float64](xs []T, k int) T {
	if k < 0 || k >= len(xs) {
		return 0
	}
	return xs[k]
}

// touchpoints names m's nodes, in model order; nil without nodes.
func touchpoints(m *sim.Model) []Touchpoint {
	if len(m.Nodes) == 0 {
		return nil
	}
	out := make([]Touchpoint, len(m.Nodes))
	for n := range m.Nodes {
		node := &m.Nodes[n]
		tp := Touchpoint{Name: node.Name, Start: n == m.Start}
		if node.Stage >= 0 && node.Stage < len(m.Stages) {
			tp.Stage = m.Stages[node.Stage]
		}
		if node.Channel >= 0 && node.Channel < len(m.Channels) {
			tp.Channel = m.Channels[node.Channel].Name
		}
		out[n] = tp
	}
	return out
}

// touchpointEstimates estimates, over a strategy's replications reps of
// model m, TouchpointMetrics at each node (nodes[n][k]) and the customers
// entering each stage (stages[s]): the moves into it from another stage,
// and in the start node's stage the customers who start there.
// A model without nodes (one made by hand) has neither.
func touchpointEstimates(m *sim.Model, reps []sim.Totals) (nodes [][]Estimate, stages []Estimate) {
	if len(m.Nodes) == 0 {
		return nil, nil
	}
	nodes = make([][]Estimate, len(m.Nodes))
	for n := range m.Nodes {
		row := make([]Estimate, len(TouchpointMetrics))
		for k := range TouchpointMetrics {
			vals := make([]float64, len(reps))
			for r := range reps {
				vals[r] = TouchpointMetrics[k].Value(&reps[r], n, n == m.Start)
			}
			row[k] = NewEstimate(vals)
		}
		nodes[n] = row
	}
	startStage := -1
	if m.Start >= 0 && m.Start < len(m.Nodes) {
		startStage = m.Nodes[m.Start].Stage
	}
	stages = make([]Estimate, len(m.Stages))
	for s := range m.Stages {
		vals := make([]float64, len(reps))
		for r := range reps {
			vals[r] = StageEntries(&reps[r], s, s == startStage)
		}
		stages[s] = NewEstimate(vals)
	}
	return nodes, stages
}

// StageEntries is the number of customers who entered stage s in a
// replication's totals t: the moves into a node of s from a node of
// another stage, plus, when s is the start node's stage (first), the
// customers who start there. The drop-off from one stage to the next is
// 1 − the next one's entries ÷ this one's.
func StageEntries(t *sim.Totals, s int, first bool) float64 {
	v := float64(at(t.StageEntries, s))
	if first {
		v += float64(t.Customers)
	}
	return v
}

// TouchpointEstimate returns the strategy's estimate of the touchpoint metric
// called key at the node called node, and whether the summary has it (a
// summary saved before touchpoints were counted has none).
func (s *Summary) TouchpointEstimate(st *StrategySummary, node, key string) (Estimate, bool) {
	n := slices.IndexFunc(s.Touchpoints, func(tp Touchpoint) bool { return tp.Name == node })
	k := TouchpointMetricIndex(key)
	if n < 0 || k < 0 || n >= len(st.Touchpoints) || k >= len(st.Touchpoints[n]) {
		return Estimate{}, false
	}
	return st.Touchpoints[n][k], true
}
