package sim_test

import (
	"math"
	"reflect"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// leverScenario is a one-node journey whose purchase probability is the
// strategy's lever; the strategies set it to 0, 0.2 (by default) and 0.5,
// and the lever costs 10 a tick per unit.
const leverScenario = `name: levers
run: {horizon: 40, seed: 3}
population:
  size: 3000
  personas: [{name: p, share: 1}]
channels:
  web: {direction: inbound}
levers:
  pull: {value: 0.2, cost_per_tick: 10}
  label: 7
journey:
  margin: 0.5
  basket: 10
  nodes:
    idle: {stage: idle}
    buy: {stage: buy, channel: web, purchase: true}
  edges:
    - {from: idle, to: buy, p: "lever.pull / 10"}
    - {from: buy, to: idle, p: "1"}
strategies:
  - {name: none, levers: {pull: 0}}
  - {name: default}
  - {name: strong, levers: {pull: 0.5}}
  - {name: vm, levers: {pull: 0.5}, triggers: []}
`

// A strategy's lever values drive the expressions that read them, and
// each lever costs its value times its cost per tick over the horizon.
func TestLeversDriveTheJourneyAndCost(t *testing.T) {
	m := load(t, leverScenario)
	if got := m.Strategies[1].Levers; !reflect.DeepEqual(got, []float64{0.2, 7}) {
		t.Fatalf("default strategy's levers = %v, want the defaults [0.2 7]", got)
	}
	res := run(t, m, sim.Options{Workers: 2})
	purchases := map[string]int64{}
	for k, si := range res.Strategies {
		st := &m.Strategies[si]
		tot := &res.Totals[k][0]
		purchases[st.Name] = tot.Purchases
		want := st.Levers[0] * 10 * float64(m.Horizon)
		if math.Abs(tot.LeverCost-want) > 1e-9 {
			t.Errorf("%s: lever cost %g, want %g", st.Name, tot.LeverCost, want)
		}
		if got := st.FixedCostPerTick(m); math.Abs(got-st.Levers[0]*10) > 1e-9 {
			t.Errorf("%s: fixed cost per tick %g does not include the lever's %g", st.Name, got, st.Levers[0]*10)
		}
	}
	if purchases["none"] != 0 {
		t.Errorf("lever 0 gives %d purchases, want none", purchases["none"])
	}
	// About 3000 × 40 ticks × p / (1 + p) purchases: p = 0.02 and 0.05.
	if !(purchases["default"] > 1500 && purchases["default"] < 3000 && purchases["strong"] > 2*purchases["default"]) {
		t.Errorf("purchases do not follow the lever: %v", purchases)
	}
	if purchases["vm"] != purchases["strong"] {
		t.Errorf("two strategies with the same levers differ: %d and %d", purchases["vm"], purchases["strong"])
	}
}

// The expr virtual machine, used for what the closure compiler does not
// lower, reads the same lever values as the compiled closures.
func TestLeverOnTheVirtualMachine(t *testing.T) {
	src := strings.Replace(leverScenario, `p: "lever.pull / 10"`, `p: 'lever["pull"] / 10 + len("") * 0'`, 1)
	a := run(t, load(t, leverScenario), sim.Options{})
	b := run(t, load(t, src), sim.Options{})
	if !reflect.DeepEqual(a.Totals, b.Totals) {
		t.Error("lever read on the virtual machine gives other results than compiled")
	}
}

func TestUnknownLeverIsAnError(t *testing.T) {
	m := load(t, leverScenario)
	_, err := m.Compile("p", "lever.pul / 10", sim.Number)
	if err == nil || !strings.Contains(err.Error(), `unknown lever "pul"`) || !strings.Contains(err.Error(), "pull, label") {
		t.Errorf("unknown lever: %v", err)
	}
	m.Strategies[0].Levers = m.Strategies[0].Levers[:1]
	if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "lever values") {
		t.Errorf("a strategy short of lever values validates: %v", err)
	}
}
