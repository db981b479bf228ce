package sim_test

import (
	"math"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// costScenario has every kind of cost: a channel's fixed and per-customer
// costs, a lever's fixed and per-customer costs and its investment, and a
// strategy's own investment with a life.
const costScenario = `name: costs
run: {horizon: 50, seed: 5}
population:
  size: 1000
  personas: [{name: p, share: 1}]
channels:
  web: {direction: inbound, fixed_cost: 2, cost_per_customer: 0.01}
levers:
  crm: {value: 0, min: 0, max: 1, cost_per_tick: 3, cost_per_customer: 0.002, investments: [{name: licence, amount: 400, tick: 10}]}
loyalty:
  churn: "0.01"
journey:
  basket: 10
  nodes:
    idle: {stage: idle}
    buy: {stage: buy, channel: web, purchase: true}
  edges:
    - {from: idle, to: buy, p: "0.05"}
    - {from: buy, to: idle, p: "1"}
strategies:
  - {name: plain}
  - name: crm
    levers: {crm: 0.5}
    investments: [{name: setup, amount: 1000, tick: 40, life: 20}]
`

// Fixed costs accrue every tick, per-customer costs with the customers
// still active at each tick, and investments are paid once and charged to
// profit over their life within the horizon.
func TestCostBehaviour(t *testing.T) {
	m := load(t, costScenario)
	res := run(t, m, sim.Options{Workers: 3})
	for k, si := range res.Strategies {
		st := &m.Strategies[si]
		tot := &res.Totals[k][0]
		var active float64
		for _, x := range tot.Series {
			active += float64(x.Active)
		}
		if active >= float64(m.Population.Size*m.Horizon) {
			t.Fatalf("%s: no churn (%g customer-ticks): per-customer costs are not told from per-tick ones", st.Name, active)
		}
		if want := 2*50 + 0.01*active; math.Abs(tot.ChannelCost-want) > 1e-6 {
			t.Errorf("%s: channel cost %g, want %g", st.Name, tot.ChannelCost, want)
		}
		lever := st.Levers[0]
		if want := lever * (3*50 + 0.002*active); math.Abs(tot.LeverCost-want) > 1e-6 {
			t.Errorf("%s: lever cost %g, want %g", st.Name, tot.LeverCost, want)
		}
		wantPaid, wantCharged := 0.0, 0.0
		if st.Name == "crm" {
			// 0.5 × 400 at tick 10; 1,000 at tick 40, charged 50 a tick
			// for the 10 ticks left of the horizon.
			wantPaid, wantCharged = 200+1000, 200+10*50
		}
		if tot.Invested != wantPaid || math.Abs(tot.InvestmentCost-wantCharged) > 1e-9 {
			t.Errorf("%s: invested %g and charged %g, want %g and %g", st.Name, tot.Invested, tot.InvestmentCost, wantPaid, wantCharged)
		}
	}
}

func TestInvestmentCharge(t *testing.T) {
	once := sim.Investment{Amount: 600, Tick: 2}
	spread := sim.Investment{Amount: 600, Tick: 2, Life: 3}
	for tick, want := range [][4]float64{
		// once charged, once paid, spread charged, spread paid
		{0, 0, 0, 0}, {0, 0, 0, 0}, {600, 600, 200, 600}, {0, 0, 200, 0}, {0, 0, 200, 0}, {0, 0, 0, 0},
	} {
		got := [4]float64{once.Charge(tick), once.Paid(tick), spread.Charge(tick), spread.Paid(tick)}
		if got != want {
			t.Errorf("tick %d: %v, want %v", tick, got, want)
		}
	}
}

// Scaling fixed costs scales the channels' fixed costs, levers' costs per
// tick and every investment, and nothing that grows with the population.
func TestScaleFixedCosts(t *testing.T) {
	m := load(t, costScenario)
	if !m.HasFixedCosts() {
		t.Fatal("HasFixedCosts is false")
	}
	m.ScaleFixedCosts(0.5)
	if c, l := m.Channels[0], m.Levers[0]; c.FixedCost != 1 || c.CostPerCustomer != 0.01 || l.CostPerTick != 1.5 || l.CostPerCustomer != 0.002 || l.Investments[0].Amount != 200 {
		t.Errorf("after scaling by 0.5: channel %+v, lever %+v", c, l)
	}
	if got := m.Strategies[1].Investments[0].Amount; got != 500 {
		t.Errorf("strategy investment %g, want 500", got)
	}
}
