package sim_test

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// touchpointModels are models whose nodes are visited and rated: the
// totals test's scenario and shipped scenarios, shrunk.
func touchpointModels(t *testing.T) map[string]*sim.Model {
	t.Helper()
	models := map[string]*sim.Model{"totals": load(t, totalsScenario)}
	for _, name := range []string{"retail-omnichannel", "cx-investment", "hotel-stay", "showrooming", "word-of-mouth"} {
		sc, err := scenarios.Builtin(name)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		m := sc.Model
		m.Population.Size = 1500
		m.Horizon = min(m.Horizon, 90)
		m.Replications = 2
		models[name] = m
	}
	return models
}

// The per-touchpoint counts add up: a channel's nodes' visits to the
// channel's visits; a node's ratings to at most its visits (exactly its
// visits where the node rates satisfaction), within the scales, and to the
// run's ratings less those of contacts; every customer in a stage other
// than the start's at some tick entered it.
func TestNodeTotalsAddUp(t *testing.T) {
	models := touchpointModels(t)
	names := slices.Sorted(func(yield func(string) bool) {
		for k := range models {
			if !yield(k) {
				return
			}
		}
	})
	for _, name := range names {
		m := models[name]
		res := run(t, m, sim.Options{})
		for k, si := range res.Strategies {
			for r := range res.Totals[k] {
				where := fmt.Sprintf("%s strategy %s rep %d", name, m.Strategies[si].Name, r)
				checkNodeTotals(t, where, m, &res.Totals[k][r])
			}
		}
	}
}

func checkNodeTotals(t *testing.T, where string, m *sim.Model, tot *sim.Totals) {
	t.Helper()
	nn, nst := len(m.Nodes), len(m.Stages)
	if len(tot.NodeVisits) != nn || len(tot.NodeCSAT) != nn || len(tot.NodeCSATCount) != nn ||
		len(tot.NodeCES) != nn || len(tot.NodeCESCount) != nn || len(tot.StageEntries) != nst {
		t.Fatalf("%s: per-node slices of lengths %d %d %d %d %d and %d stage entries for %d nodes and %d stages", where,
			len(tot.NodeVisits), len(tot.NodeCSAT), len(tot.NodeCSATCount), len(tot.NodeCES), len(tot.NodeCESCount), len(tot.StageEntries), nn, nst)
	}
	chVisits := make([]int64, len(m.Channels))
	var visits, csatN, cesN, entries int64
	var csat, ces float64
	for n := range m.Nodes {
		node := &m.Nodes[n]
		v := tot.NodeVisits[n]
		visits += v
		if node.Channel >= 0 {
			chVisits[node.Channel] += v
		}
		cn, en := tot.NodeCSATCount[n], tot.NodeCESCount[n]
		csatN += cn
		cesN += en
		csat += tot.NodeCSAT[n]
		ces += tot.NodeCES[n]
		if v < 0 || cn > v || en > v {
			t.Errorf("%s node %s: %d visits, %d CSAT and %d CES ratings", where, node.Name, v, cn, en)
		}
		if node.Satisfaction != nil && cn != v {
			t.Errorf("%s node %s rates every visit: %d CSAT ratings of %d visits", where, node.Name, cn, v)
		}
		if node.Effort != nil && en != v {
			t.Errorf("%s node %s rates every visit's effort: %d CES ratings of %d visits", where, node.Name, en, v)
		}
		if s := tot.NodeCSAT[n]; s < float64(cn)-1e-9 || s > 5*float64(cn)+1e-9 {
			t.Errorf("%s node %s: CSAT sum %g of %d ratings is outside 1 to 5", where, node.Name, s, cn)
		}
		if s := tot.NodeCES[n]; s < float64(en)-1e-9 || s > 7*float64(en)+1e-9 {
			t.Errorf("%s node %s: CES sum %g of %d ratings is outside 1 to 7", where, node.Name, s, en)
		}
	}
	for c := range m.Channels {
		if chVisits[c] != tot.Channels[c].Visits {
			t.Errorf("%s channel %s: its nodes' visits add up to %d, the channel's visits are %d", where, m.Channels[c].Name, chVisits[c], tot.Channels[c].Visits)
		}
	}
	// Ratings are of touchpoints or of contacts: with the built-in
	// response behaviour, which rates every response on both scales, the
	// contacts' ratings are the responses.
	if csatN > tot.CSATCount || cesN > tot.CESCount || csat > tot.CSAT*(1+1e-12) || ces > tot.CES*(1+1e-12) {
		t.Errorf("%s: the nodes' ratings (%d CSAT summing %g, %d CES summing %g) exceed the run's (%d summing %g, %d summing %g)",
			where, csatN, csat, cesN, ces, tot.CSATCount, tot.CSAT, tot.CESCount, tot.CES)
	}
	builtin := true
	for c := range m.Channels {
		if tot.Channels[c].Contacts > 0 && m.Channels[c].BehaviourName != "response" {
			builtin = false
		}
	}
	if builtin && (csatN+tot.Responses != tot.CSATCount || cesN+tot.Responses != tot.CESCount) {
		t.Errorf("%s: %d CSAT and %d CES ratings of nodes and %d responses; the run has %d and %d ratings",
			where, csatN, cesN, tot.Responses, tot.CSATCount, tot.CESCount)
	}
	for k := range m.Stages {
		entries += tot.StageEntries[k]
		if k == m.Nodes[m.Start].Stage {
			continue
		}
		for x := 0; x < m.Horizon; x++ {
			if here := tot.Stages[x*nst+k]; here > tot.StageEntries[k] {
				t.Errorf("%s stage %s: %d customers there at tick %d, but only %d entered it", where, m.Stages[k], here, x, tot.StageEntries[k])
				break
			}
		}
	}
	if entries > visits {
		t.Errorf("%s: %d stage entries of %d moves", where, entries, visits)
	}
}

// The per-touchpoint totals, like the others, do not depend on the number
// of workers, in a model whose customers are independent and in one
// coupled by word of mouth (run as a pool).
func TestNodeTotalsAcrossWorkers(t *testing.T) {
	models := touchpointModels(t)
	for _, name := range []string{"totals", "word-of-mouth"} {
		m := models[name]
		base := run(t, m, sim.Options{Workers: 1})
		var visits, rated int64
		for _, reps := range base.Totals {
			for r := range reps {
				for n := range m.Nodes {
					visits += reps[r].NodeVisits[n]
					rated += reps[r].NodeCSATCount[n] + reps[r].NodeCESCount[n]
				}
			}
		}
		if visits == 0 || (name == "totals" && rated == 0) {
			t.Fatalf("%s: %d visits and %d ratings of nodes; the test would prove nothing", name, visits, rated)
		}
		for _, workers := range []int{3, 8} {
			res := run(t, m, sim.Options{Workers: workers})
			for k := range res.Totals {
				for r := range res.Totals[k] {
					a, b := &res.Totals[k][r], &base.Totals[k][r]
					for _, f := range []struct {
						name string
						a, b any
					}{
						{"NodeVisits", a.NodeVisits, b.NodeVisits},
						{"NodeCSAT", a.NodeCSAT, b.NodeCSAT},
						{"NodeCSATCount", a.NodeCSATCount, b.NodeCSATCount},
						{"NodeCES", a.NodeCES, b.NodeCES},
						{"NodeCESCount", a.NodeCESCount, b.NodeCESCount},
						{"StageEntries", a.StageEntries, b.StageEntries},
					} {
						if !reflect.DeepEqual(f.a, f.b) {
							t.Errorf("%s strategy %d rep %d: %s with %d workers %v, with 1 %v", name, k, r, f.name, workers, f.a, f.b)
						}
					}
				}
			}
			if !reflect.DeepEqual(res.Totals, base.Totals) {
				t.Errorf("%s: totals with %d workers differ from 1 worker", name, workers)
			}
		}
	}
}

// Adding totals adds the per-touchpoint counts, element by element, and
// allocates them when the sum starts empty.
func TestTotalsAddNodes(t *testing.T) {
	a := sim.Totals{NodeVisits: []int64{1, 2}, NodeCSAT: []float64{4, 0}, NodeCSATCount: []int64{1, 0},
		NodeCES: []float64{2, 3}, NodeCESCount: []int64{1, 1}, StageEntries: []int64{0, 5}}
	var sum sim.Totals
	sum.Add(&a)
	sum.Add(&a)
	want := sim.Totals{NodeVisits: []int64{2, 4}, NodeCSAT: []float64{8, 0}, NodeCSATCount: []int64{2, 0},
		NodeCES: []float64{4, 6}, NodeCESCount: []int64{2, 2}, StageEntries: []int64{0, 10}}
	if !reflect.DeepEqual(sum.NodeVisits, want.NodeVisits) || !reflect.DeepEqual(sum.NodeCSAT, want.NodeCSAT) ||
		!reflect.DeepEqual(sum.NodeCSATCount, want.NodeCSATCount) || !reflect.DeepEqual(sum.NodeCES, want.NodeCES) ||
		!reflect.DeepEqual(sum.NodeCESCount, want.NodeCESCount) || !reflect.DeepEqual(sum.StageEntries, want.StageEntries) {
		t.Errorf("sum %+v, want %+v", sum, want)
	}
}
