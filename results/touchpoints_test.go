package results

import (
	"encoding/json"
	"math"
	"reflect"
	"testing"

	"github.com/journeysim/journeysim/results/internal/fixture"
	"github.com/journeysim/journeysim/sim"
)

// touchpointResult is the fixture's result with a journey: a start node
// on no channel, a rated web page and a store visit rated on effort only,
// over two stages.
func touchpointResult() *sim.Result {
	res := fixture.Result()
	m := res.Model
	m.Stages = []string{"aware", "consider"}
	m.Nodes = []sim.Node{
		{Name: "idle", Stage: 0, Channel: -1},
		{Name: "page", Stage: 1, Channel: 1},
		{Name: "mail", Stage: 1, Channel: 0},
	}
	m.Start = 0
	for k := range res.Totals {
		for r := range res.Totals[k] {
			t := &res.Totals[k][r]
			f := float64(r + 1) // the replications differ
			t.NodeVisits = []int64{40, int64(20 * f), 5}
			t.NodeCSAT = []float64{0, 3.5 * 10 * f, 0}
			t.NodeCSATCount = []int64{0, int64(10 * f), 0}
			t.NodeCES = []float64{0, 0, 2 * 5}
			t.NodeCESCount = []int64{0, 0, 5}
			t.StageEntries = []int64{40, int64(25 * f)}
			t.Stages = []int64{60, 40, 60, 39}
		}
	}
	return res
}

// The summary names every touchpoint and estimates its entries (the start
// node's counting the customers who start there), its mean ratings
// (undefined where none) and the customers entering each stage.
func TestTouchpointSummary(t *testing.T) {
	res := touchpointResult()
	s := summarize(t, res, Options{})
	want := []Touchpoint{{Name: "idle", Stage: "aware", Start: true}, {Name: "page", Stage: "consider", Channel: "web"}, {Name: "mail", Stage: "consider", Channel: "email"}}
	if !reflect.DeepEqual(s.Touchpoints, want) {
		t.Errorf("touchpoints %+v, want %+v", s.Touchpoints, want)
	}
	for _, st := range s.Strategies {
		if len(st.Touchpoints) != 3 || len(st.StageEntries) != 2 {
			t.Fatalf("%s: %d touchpoints and %d stages estimated", st.Name, len(st.Touchpoints), len(st.StageEntries))
		}
		for _, tc := range []struct {
			node, key string
			values    []float64
		}{
			{"idle", "entries", []float64{140, 140}}, // 40 returns and 100 customers
			{"page", "entries", []float64{20, 40}},
			{"page", "csat", []float64{3.5, 3.5}},
			{"page", "csat_ratings", []float64{10, 20}},
			{"page", "ces", []float64{math.NaN(), math.NaN()}},
			{"mail", "ces", []float64{2, 2}},
			{"mail", "ces_ratings", []float64{5, 5}},
			{"idle", "csat", []float64{math.NaN(), math.NaN()}},
		} {
			e, ok := s.TouchpointEstimate(&st, tc.node, tc.key)
			if !ok {
				t.Errorf("%s %s %s: none", st.Name, tc.node, tc.key)
				continue
			}
			if !sameValues(e.Values, tc.values) {
				t.Errorf("%s %s %s: values %v, want %v", st.Name, tc.node, tc.key, e.Values, tc.values)
			}
			if tc.key == "csat" && tc.node == "idle" && e.N != 0 {
				t.Errorf("%s: an unrated node has %d CSAT values", st.Name, e.N)
			}
		}
		if got := []float64{st.StageEntries[0].Mean, st.StageEntries[1].Mean}; !sameValues(got, []float64{140, 37.5}) {
			t.Errorf("%s: stage entries %v, want 140 (40 moves and 100 starts) and 37.5", st.Name, got)
		}
		if _, ok := s.TouchpointEstimate(&st, "nosuch", "entries"); ok {
			t.Errorf("%s: an unknown node has an estimate", st.Name)
		}
		if _, ok := s.TouchpointEstimate(&st, "page", "nosuch"); ok {
			t.Errorf("%s: an unknown metric has an estimate", st.Name)
		}
	}
}

// The touchpoints go through summary.json and back, undefined means
// included; a summary without them (saved before they were counted, or
// of a model without nodes) has none, and asking for one says so.
func TestTouchpointSummaryJSON(t *testing.T) {
	s := summarize(t, touchpointResult(), Options{})
	data, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	var back Summary
	if err := json.Unmarshal(data, &back); err != nil {
		t.Fatal(err)
	}
	if err := back.Validate(); err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back.Touchpoints, s.Touchpoints) {
		t.Errorf("touchpoints read back %+v, want %+v", back.Touchpoints, s.Touchpoints)
	}
	for k := range s.Strategies {
		a, b := &s.Strategies[k], &back.Strategies[k]
		for n := range a.Touchpoints {
			for j := range a.Touchpoints[n] {
				if !sameEstimate(a.Touchpoints[n][j], b.Touchpoints[n][j]) {
					t.Errorf("%s touchpoint %d metric %s: read back %+v, want %+v", a.Name, n, TouchpointMetrics[j].Key, b.Touchpoints[n][j], a.Touchpoints[n][j])
				}
			}
		}
		for j := range a.StageEntries {
			if !sameEstimate(a.StageEntries[j], b.StageEntries[j]) {
				t.Errorf("%s stage %d: read back %+v, want %+v", a.Name, j, b.StageEntries[j], a.StageEntries[j])
			}
		}
	}

	plain := summarize(t, fixture.Result(), Options{})
	if plain.Touchpoints != nil || plain.Strategies[0].Touchpoints != nil || plain.Strategies[0].StageEntries != nil {
		t.Errorf("a model without nodes has touchpoints: %+v", plain.Touchpoints)
	}
	if _, ok := plain.TouchpointEstimate(&plain.Strategies[0], "page", "entries"); ok {
		t.Error("a summary without touchpoints has an estimate")
	}
	data, err = json.Marshal(plain)
	if err != nil {
		t.Fatal(err)
	}
	var old map[string]any
	if err := json.Unmarshal(data, &old); err != nil {
		t.Fatal(err)
	}
	if _, ok := old["touchpoints"]; ok {
		t.Error("summary.json of a model without nodes has touchpoints")
	}
}

// Totals without per-node counts (made by hand, or by an older engine)
// give zero entries and undefined ratings, not a panic.
func TestTouchpointMetricsWithoutCounts(t *testing.T) {
	var tot sim.Totals
	tot.Customers = 10
	for _, met := range TouchpointMetrics {
		v := met.Value(&tot, 3, true)
		switch met.Key {
		case "entries":
			if v != 10 {
				t.Errorf("entries at the start %v, want the 10 customers", v)
			}
		case "csat", "ces":
			if !math.IsNaN(v) {
				t.Errorf("%s of no ratings: %v", met.Key, v)
			}
		default:
			if v != 0 {
				t.Errorf("%s: %v", met.Key, v)
			}
		}
	}
	if v := StageEntries(&tot, 5, false); v != 0 {
		t.Errorf("stage entries %v", v)
	}
	if TouchpointMetricIndex("csat") < 0 || TouchpointMetricIndex("nosuch") != -1 {
		t.Error("TouchpointMetricIndex")
	}
}

func sameValues(a, b []float64) bool {
	if len(a) != len(b) {
		return false
	}
	for k := range a {
		if !(a[k] == b[k] || math.IsNaN(a[k]) && math.IsNaN(b[k]) || math.Abs(a[k]-b[k]) < 1e-12) {
			return false
		}
	}
	return true
}

func sameEstimate(a, b Estimate) bool {
	return a.N == b.N && sameValues([]float64{a.Mean, a.CI95}, []float64{b.Mean, b.CI95}) && sameValues(a.Values, b.Values)
}
