package sim_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// recoveryScenario walks every customer through one order: at tick 0 it
// fails (CSAT 1) or goes well (CSAT 4), as the strategy's lever fail
// says; a failed order is answered after lever.delay ticks by a recovery
// rated lever.rating that costs 10 on the care channel.
func recoveryScenario(weight float64, window int) string {
	return fmt.Sprintf(`name: recovery
run: {horizon: 12, seed: 3}
population:
  size: 200
  personas: [{name: all, share: 1, loyalty: 0.6}]
channels:
  web: {direction: inbound}
  care: {direction: inbound}
loyalty: {experience_weight: 0.2, purchase_gain: 0, recovery_weight: %g, recovery_window: %d}
levers:
  fail: {value: 0, min: 0, max: 1}
  delay: {value: 1, min: 1, max: 10}
  rating: {value: 5, min: 1, max: 5}
journey:
  start: order
  nodes:
    order: {}
    delivered: {stage: receive, channel: web, satisfaction: "4"}
    failed: {stage: receive, channel: web, satisfaction: "1"}
    wait: {stage: receive}
    recovered: {stage: recover, channel: care, satisfaction: "lever.rating", cost: "10"}
  edges:
    - {from: order, to: failed, p: "lever.fail"}
    - {from: order, to: delivered, p: "1"}
    - {from: failed, to: wait, p: "1"}
    - {from: wait, to: recovered, p: "tick >= lever.delay ? 1 : 0"}
strategies:
  - {name: fine}
  - {name: fast, levers: {fail: 1, delay: 2}}
  - {name: slow, levers: {fail: 1, delay: 9}}
  - {name: meagre, levers: {fail: 1, delay: 2, rating: 3}}
`, weight, window)
}

// The first rating after a complaint, within the window, weighs
// recovery_weight times as much; outside the window, or with weight 1, it
// is an ordinary rating. A recovery that beats an order that went well is
// the recovery paradox; a slow or a meagre one never does.
func TestRecoveryWeight(t *testing.T) {
	const l0, w = 0.6, 0.2
	step := func(l, x, k float64) float64 { return l + k*(x-l) }
	failed := step(l0, 0, w)
	want := map[string]map[string]float64{
		"weight 3": {
			"fine":   step(l0, 0.75, w),
			"fast":   step(failed, 1, 3*w),
			"slow":   step(failed, 1, w),
			"meagre": step(failed, 0.5, 3*w),
		},
		"weight 1": {
			"fine":   step(l0, 0.75, w),
			"fast":   step(failed, 1, w),
			"slow":   step(failed, 1, w),
			"meagre": step(failed, 0.5, w),
		},
	}
	for name, src := range map[string]string{"weight 3": recoveryScenario(3, 5), "weight 1": recoveryScenario(1, 5)} {
		m := load(t, src)
		res := run(t, m, sim.Options{})
		got := map[string]*sim.Totals{}
		for k, si := range res.Strategies {
			got[m.Strategies[si].Name] = &res.Totals[k][0]
		}
		for strategy, loyalty := range want[name] {
			tot := got[strategy]
			if mean := tot.Loyalty / float64(tot.Customers); math.Abs(mean-loyalty) > 1e-9 {
				t.Errorf("%s, %s: mean loyalty %.6f, want %.6f", name, strategy, mean, loyalty)
			}
		}
		if r := got["fast"].Recoveries; r != 200 {
			t.Errorf("%s: fast recovery counts %d recoveries, want all 200", name, r)
		}
		for _, s := range []string{"slow", "meagre", "fine"} {
			if r := got[s].Recoveries; r != 0 {
				t.Errorf("%s: %s counts %d recoveries, want 0 (too late, too poor, or no complaint)", name, s, r)
			}
		}
		care := m.ChannelIndex("care")
		if c := got["fast"].Channels[care].Cost; c != 2000 {
			t.Errorf("%s: 200 recoveries at 10 cost %g on care, want 2000", name, c)
		}
		if c := got["fine"].ChannelCost; c != 0 {
			t.Errorf("%s: no recovery cost %g", name, c)
		}
	}
	// The paradox with weight 3, fast and generous; none with weight 1.
	if !(want["weight 3"]["fast"] > want["weight 3"]["fine"] && want["weight 1"]["fast"] < want["weight 1"]["fine"]) {
		t.Fatalf("the scenario no longer shows the paradox's two sides")
	}
}

// A visit's cost that is not a number of at least 0 fails the run with
// the node's expression named, and never counts.
func TestNegativeVisitCost(t *testing.T) {
	src := recoveryScenario(3, 5)
	m := load(t, src)
	for n := range m.Nodes {
		if m.Nodes[n].Name == "recovered" {
			e, err := m.Compile("cost", "lever.rating - 4", sim.Number)
			if err != nil {
				t.Fatal(err)
			}
			m.Nodes[n].Cost = e
		}
	}
	_, err := sim.Run(t.Context(), m, sim.Options{Strategies: []int{3}})
	if err == nil {
		t.Fatal("a cost of -1 ran")
	}
	if msg := err.Error(); !strings.Contains(msg, "cost -1") || !strings.Contains(msg, "lever.rating - 4") {
		t.Errorf("error %q does not name the cost and its expression", msg)
	}
}
