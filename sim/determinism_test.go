package sim_test

import (
	"reflect"
	"slices"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// The same model and seed give deeply equal totals whatever the number of
// workers, including a population that is not a multiple of ChunkSize.
func TestDeterministicAcrossWorkers(t *testing.T) {
	for _, size := range []int{sim.ChunkSize*2 + 517, 300} {
		m := reference(t, size, 40)
		m.Replications = 2
		base := run(t, m, sim.Options{Workers: 1})
		if base.Totals[0][0].Contacts == 0 || base.Totals[0][0].Purchases == 0 {
			t.Fatalf("size %d: the run made no contacts or purchases; the test would prove nothing", size)
		}
		for _, workers := range []int{3, 8} {
			res := run(t, m, sim.Options{Workers: workers})
			if !reflect.DeepEqual(res.Totals, base.Totals) {
				t.Errorf("size %d: totals with %d workers differ from 1 worker", size, workers)
			}
			if !reflect.DeepEqual(res.Seeds, base.Seeds) {
				t.Errorf("size %d: seeds with %d workers %v, with 1 worker %v", size, workers, res.Seeds, base.Seeds)
			}
			if res.CustomerTicks != base.CustomerTicks {
				t.Errorf("size %d: %d customer-ticks with %d workers, %d with 1", size, res.CustomerTicks, workers, base.CustomerTicks)
			}
		}
		// Running again on the same model gives the same again.
		if again := run(t, m, sim.Options{Workers: 2}); !reflect.DeepEqual(again.Totals, base.Totals) {
			t.Errorf("size %d: a second run differs", size)
		}
		var customers int64
		for _, tot := range base.Totals {
			customers = tot[0].Customers
		}
		if customers != int64(size) {
			t.Errorf("size %d: %d customers simulated", size, customers)
		}
	}
}

// A different seed gives a different run.
func TestSeedChangesResults(t *testing.T) {
	m := reference(t, 500, 60)
	a := run(t, m, sim.Options{})
	m.Seed++
	b := run(t, m, sim.Options{})
	if reflect.DeepEqual(a.Totals, b.Totals) {
		t.Fatal("seeds differ but totals are equal")
	}
}

// Common random numbers: the totals of a strategy do not depend on which
// other strategies run alongside it.
func TestStrategySubsetsGiveSameTotals(t *testing.T) {
	m := reference(t, sim.ChunkSize+100, 50)
	m.Replications = 2
	all := run(t, m, sim.Options{Workers: 2})
	if !slices.Equal(all.Strategies, []int{0, 1, 2}) {
		t.Fatalf("strategies run: %v, want [0 1 2]", all.Strategies)
	}
	for _, subset := range [][]int{{2}, {1}, {0}, {0, 2}, {1, 2}} {
		res := run(t, m, sim.Options{Workers: 3, Strategies: subset})
		if len(res.Totals) != len(subset) {
			t.Fatalf("subset %v: %d totals", subset, len(res.Totals))
		}
		for k, si := range res.Strategies {
			if !reflect.DeepEqual(res.Totals[k], all.Totals[si]) {
				t.Errorf("subset %v: strategy %d totals differ from the run of all strategies", subset, si)
			}
		}
	}
	// The strategies must actually differ, or the test proves nothing.
	if reflect.DeepEqual(all.Totals[0], all.Totals[2]) {
		t.Fatal("strategies 0 and 2 gave equal totals")
	}
}

// Result.Strategies is documented as "in model order".
func TestResultStrategiesInModelOrder(t *testing.T) {
	m := reference(t, 100, 10)
	res := run(t, m, sim.Options{Strategies: []int{2, 0}})
	all := run(t, m, sim.Options{})
	for k, si := range res.Strategies {
		if !reflect.DeepEqual(res.Totals[k], all.Totals[si]) {
			t.Errorf("Totals[%d] is not strategy %d's", k, si)
		}
	}
	if !slices.IsSorted(res.Strategies) {
		t.Errorf("Options.Strategies [2 0] gives Result.Strategies %v, not in model order", res.Strategies)
	}
}

func TestRunRejectsBadStrategyIndex(t *testing.T) {
	m := reference(t, 100, 10)
	for _, idx := range [][]int{{3}, {-1}, {0, 7}} {
		if _, err := sim.Run(t.Context(), m, sim.Options{Strategies: idx}); err == nil {
			t.Errorf("strategies %v: no error", idx)
		}
	}
}

// Every replication has its own seed, derived from the master seed alone.
func TestReplicationSeeds(t *testing.T) {
	seen := map[uint64]int{}
	for r := 0; r < 1000; r++ {
		s := sim.ReplicationSeed(42, r)
		if prev, ok := seen[s]; ok {
			t.Fatalf("replications %d and %d share seed %d", prev, r, s)
		}
		seen[s] = r
		if s != sim.ReplicationSeed(42, r) {
			t.Fatalf("replication %d: seed not reproducible", r)
		}
		if s == sim.ReplicationSeed(43, r) {
			t.Errorf("replication %d: master seeds 42 and 43 give the same seed", r)
		}
	}

	m := reference(t, 400, 60)
	m.Replications = 3
	res := run(t, m, sim.Options{})
	if len(res.Seeds) != 3 {
		t.Fatalf("%d seeds for 3 replications", len(res.Seeds))
	}
	for r, s := range res.Seeds {
		if want := sim.ReplicationSeed(m.Seed, r); s != want {
			t.Errorf("replication %d: seed %d, want ReplicationSeed(%d, %d) = %d", r, s, m.Seed, r, want)
		}
	}
	for k := range res.Totals {
		if len(res.Totals[k]) != 3 {
			t.Fatalf("strategy %d: %d replications", k, len(res.Totals[k]))
		}
		for r := 1; r < 3; r++ {
			if reflect.DeepEqual(res.Totals[k][r], res.Totals[k][0]) {
				t.Errorf("strategy %d: replications 0 and %d have equal totals", k, r)
			}
		}
	}
	// The same master seed gives the same seeds and results; replication r
	// does not depend on how many replications run.
	m.Replications = 2
	two := run(t, m, sim.Options{})
	for k := range two.Totals {
		for r := range 2 {
			if !reflect.DeepEqual(two.Totals[k][r], res.Totals[k][r]) {
				t.Errorf("strategy %d replication %d differs between a run of 2 and a run of 3 replications", k, r)
			}
		}
	}
}
