package sim_test

import (
	"math"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// A scenario in which every purchase node has a channel, with costs,
// discounts, referrals, churn, switches and a strategy that switches a
// channel off.
const totalsScenario = `name: totals
run: {horizon: 60, seed: 5, replications: 2}
population:
  size: 3000
  personas:
    - name: a
      share: 0.7
      attributes: {price: {beta: [2, 3]}}
      consent: {email: 0.8, sms: 0.5}
      loyalty: {uniform: [0.1, 0.8]}
    - name: b
      share: 0.3
      attributes: {price: 0.9}
      tolerance: {uniform: [1, 2]}
channels:
  email: {direction: outbound, cost_per_contact: 0.01, fixed_cost: 3, behaviour: {params: {rate: 0.3, offer_lift: 2}}, optout: "0.01"}
  sms: {direction: outbound, cost_per_contact: 0.05, fixed_cost: 1.5, behaviour: {params: {rate: 0.2}}}
  web: {direction: inbound, fixed_cost: 10}
  store: {direction: inbound, fixed_cost: 20}
fatigue: {half_life: 4, per_contact: 1, spill: 0.2}
loyalty:
  experience_weight: 0.1
  churn: "0.002 * (1 - loyalty)"
  referral: "0.001 * loyalty"
  referral_value: 25
journey:
  start: aware
  basket: {lognormal: [3.5, 0.6], max: 400}
  nodes:
    aware: {}
    browse: {stage: consider, channel: web, satisfaction: "4", effort: "2"}
    buy_web: {stage: buy, channel: web, purchase: true}
    shop: {stage: consider, channel: store, satisfaction: "3.5 + loyalty"}
    buy_store: {stage: buy, channel: store, purchase: true, basket: {normal: [60, 20], min: 5}}
  edges:
    - {from: aware, to: browse, p: "0.02 + 0.05 * loyalty"}
    - {from: aware, to: shop, p: "0.01"}
    - {from: browse, to: buy_web, p: "0.1 * (1 - price * (1 - discount))", cart: clear}
    - {from: browse, to: shop, p: "0.05"}
    - {from: shop, to: buy_store, p: "0.15"}
    - {from: shop, to: browse, p: "0.05"}
    - {from: [buy_web, buy_store], to: aware, p: "0.3"}
    - {from: "*", to: browse, on: response, p: "0.6", cart: open}
strategies:
  - name: all
    integration: omni
    discount: 0.05
    caps: [{max: 3, window: 7}]
    triggers:
      - {name: mail, when: "tick % 3 == 0", channel: email, discount: 0.1}
      - {name: text, when: "cart", channel: sms, priority: 2}
  - name: online
    channels: [email, web]
    integration: mono
    triggers:
      - {name: mail, when: "since_purchase > 10", channel: email}
`

// Totals add up: channels to the whole, ticks to the whole.
func TestTotalsAddUp(t *testing.T) {
	m := load(t, totalsScenario)
	res := run(t, m, sim.Options{})
	for k, si := range res.Strategies {
		for r, tot := range res.Totals[k] {
			name := m.Strategies[si].Name
			if tot.Purchases == 0 || tot.Contacts == 0 || tot.Referrals == 0 || tot.Responses == 0 {
				t.Fatalf("%s rep %d: purchases %d contacts %d referrals %d responses %d; the test needs all of them", name, r, tot.Purchases, tot.Contacts, tot.Referrals, tot.Responses)
			}
			var chRev, chCost float64
			var chContacts, chResponses, chPurchases, chOptOuts int64
			for k, c := range tot.Channels {
				if c.Handled+c.Abandoned > c.Contacts || c.AnsweredWithin > c.Handled || c.WaitMinutes < 0 {
					t.Errorf("%s rep %d channel %s: %d handled + %d abandoned of %d contacts, %d within the service level, %g minutes waited",
						name, r, m.Channels[k].Name, c.Handled, c.Abandoned, c.Contacts, c.AnsweredWithin, c.WaitMinutes)
				}
				chRev += c.Revenue
				chCost += c.Cost
				chContacts += c.Contacts
				chResponses += c.Responses
				chPurchases += c.Purchases
				chOptOuts += c.OptOuts
			}
			check := func(what string, got, want float64) {
				t.Helper()
				if !approxEqual(got, want, 1e-9) {
					t.Errorf("%s rep %d: %s = %.12g, want %.12g", name, r, what, got, want)
				}
			}
			check("sum of channel revenue", chRev, tot.Revenue-tot.ReferralRevenue)
			check("sum of channel cost", chCost, tot.ContactCost+tot.ChannelCost)
			check("referral revenue", tot.ReferralRevenue, 25*float64(tot.Referrals))
			if chContacts != tot.Contacts {
				t.Errorf("%s rep %d: channel contacts add up to %d, Contacts %d", name, r, chContacts, tot.Contacts)
			}
			if chResponses != tot.Responses {
				t.Errorf("%s rep %d: channel responses add up to %d, Responses %d", name, r, chResponses, tot.Responses)
			}
			if chPurchases != tot.Purchases {
				t.Errorf("%s rep %d: channel purchases add up to %d, Purchases %d (every purchase node has a channel)", name, r, chPurchases, tot.Purchases)
			}
			if tot.OptedOut > chOptOuts {
				t.Errorf("%s rep %d: %d customers opted out but only %d opt-outs", name, r, tot.OptedOut, chOptOuts)
			}
			var fixed float64
			for ch, on := range m.Strategies[si].Channels {
				if on {
					fixed += m.Channels[ch].FixedCost * float64(m.Horizon)
				}
				if !on && (tot.Channels[ch].Contacts != 0 || tot.Channels[ch].Visits != 0 || tot.Channels[ch].Revenue != 0) {
					t.Errorf("%s rep %d: channel %s is off but has %+v", name, r, m.Channels[ch].Name, tot.Channels[ch])
				}
			}
			check("channel cost", tot.ChannelCost, fixed)
			var sRev, sContribution float64
			var sPurch, sContacts, sResponses, sOptOuts, sChurned int64
			nst := len(m.Stages)
			for k, s := range tot.Series {
				sRev += s.Revenue
				sContribution += s.Contribution
				sPurch += s.Purchases
				sContacts += s.Contacts
				sResponses += s.Responses
				sOptOuts += s.OptOuts
				sChurned += s.Churned
				if s.Active > tot.Customers {
					t.Errorf("%s rep %d: %d active of %d customers", name, r, s.Active, tot.Customers)
				}
				var atStages int64
				for _, v := range tot.Stages[k*nst : (k+1)*nst] {
					atStages += v
				}
				if atStages != s.Active {
					t.Errorf("%s rep %d tick %d: %d customers at stages, %d active", name, r, k, atStages, s.Active)
				}
			}
			check("sum of tick revenue", sRev, tot.Revenue)
			check("sum of tick contribution less fixed costs", sContribution-fixed, tot.GrossMargin-tot.Discount-tot.ContactCost-tot.ChannelCost)
			if sOptOuts != chOptOuts || sChurned != tot.Churned {
				t.Errorf("%s rep %d: ticks add up to %d opt-outs and %d churned; totals %d and %d", name, r, sOptOuts, sChurned, chOptOuts, tot.Churned)
			}
			if sPurch != tot.Purchases || sContacts != tot.Contacts || sResponses != tot.Responses {
				t.Errorf("%s rep %d: ticks add up to %d purchases, %d contacts, %d responses; totals %d, %d, %d",
					name, r, sPurch, sContacts, sResponses, tot.Purchases, tot.Contacts, tot.Responses)
			}
			if last := tot.Series[len(tot.Series)-1].Active; last != tot.Customers-tot.Churned {
				t.Errorf("%s rep %d: %d active at the end, %d customers minus %d churned", name, r, last, tot.Customers, tot.Churned)
			}
			if tot.Buyers > tot.Purchases || tot.Buyers > tot.Customers || tot.Promoters+tot.Detractors > tot.Customers {
				t.Errorf("%s rep %d: buyers %d purchases %d promoters %d detractors %d customers %d", name, r, tot.Buyers, tot.Purchases, tot.Promoters, tot.Detractors, tot.Customers)
			}
			if tot.Customers != int64(m.Population.Size) {
				t.Errorf("%s rep %d: %d customers, want %d", name, r, tot.Customers, m.Population.Size)
			}
			if math.IsNaN(tot.Loyalty) || tot.Loyalty < 0 || tot.Loyalty > float64(tot.Customers) {
				t.Errorf("%s rep %d: loyalty sum %g of %d customers", name, r, tot.Loyalty, tot.Customers)
			}
			if tot.CSATCount > 0 && (tot.CSAT < float64(tot.CSATCount) || tot.CSAT > 5*float64(tot.CSATCount)) {
				t.Errorf("%s rep %d: CSAT sum %g of %d ratings is outside 1 to 5", name, r, tot.CSAT, tot.CSATCount)
			}
			if tot.CESCount > 0 && (tot.CES < float64(tot.CESCount) || tot.CES > 7*float64(tot.CESCount)) {
				t.Errorf("%s rep %d: CES sum %g of %d ratings is outside 1 to 7", name, r, tot.CES, tot.CESCount)
			}
		}
	}
	// The strategy with the store switched off loses moves to it.
	if res.Totals[1][0].Leaks == 0 {
		t.Error("strategy online: no leaks though the store is switched off")
	}
}

// Revenue is the basket less the discount, and gross margin is the margin
// on the list price: with a constant basket every number is known.
func TestPurchaseArithmetic(t *testing.T) {
	src := `name: arith
run: {horizon: 10, seed: 1}
population:
  size: 50
  personas: [{name: p, share: 1}]
channels:
  web: {direction: inbound, fixed_cost: 2}
journey:
  margin: 0.25
  nodes:
    a: {}
    buy: {channel: web, purchase: true, basket: 80}
  edges:
    - {from: a, to: buy, p: "1"}
    - {from: buy, to: a, p: "1"}
strategies:
  - {name: s, discount: 0.1}
`
	m := load(t, src)
	tot := run(t, m, sim.Options{}).Totals[0][0]
	// Customers alternate a → buy → a ...: purchases at ticks 0, 2, 4, 6, 8.
	if tot.Purchases != 50*5 {
		t.Fatalf("%d purchases, want %d", tot.Purchases, 50*5)
	}
	want := map[string][2]float64{
		"Revenue":     {tot.Revenue, 250 * 80 * 0.9},
		"Discount":    {tot.Discount, 250 * 80 * 0.1},
		"GrossMargin": {tot.GrossMargin, 250 * 80 * 0.25},
		"ChannelCost": {tot.ChannelCost, 2 * 10},
		"web Revenue": {tot.Channels[0].Revenue, 250 * 80 * 0.9},
	}
	for what, gw := range want {
		if !approxEqual(gw[0], gw[1], 1e-12) {
			t.Errorf("%s = %g, want %g", what, gw[0], gw[1])
		}
	}
	if tot.Buyers != 50 || tot.Channels[0].Visits != 250 {
		t.Errorf("buyers %d visits %d, want 50 and 250", tot.Buyers, tot.Channels[0].Visits)
	}
	for tick, s := range tot.Series {
		want := int64(0)
		if tick%2 == 0 {
			want = 50
		}
		if s.Purchases != want {
			t.Errorf("tick %d: %d purchases, want %d", tick, s.Purchases, want)
		}
	}
}
