package sim_test

import (
	"fmt"
	"slices"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

func ticksWhere(horizon int, f func(t int) bool) []int {
	var out []int
	for t := range horizon {
		if f(t) {
			out = append(out, t)
		}
	}
	return out
}

// Each case's strategy runs on triggerScenario; every customer who consents
// must be contacted on exactly the ticks want gives, on the channels it
// gives.
func TestTriggerTiming(t *testing.T) {
	const size, horizon = 40, 50
	type want struct {
		channel string
		ticks   []int
	}
	cases := []struct {
		name     string
		strategy string
		want     []want
	}{
		{"every fifth tick", `name: s
triggers:
  - {name: a, when: "tick % 5 == 0", channel: email}`,
			[]want{{"email", ticksWhere(horizon, func(t int) bool { return t%5 == 0 })}}},
		{"window of ticks", `name: s
triggers:
  - {name: a, when: "tick >= 10 && tick < 13 || tick == 40", channel: push}`,
			[]want{{"push", []int{10, 11, 12, 40}}}},
		{"cooldown", `name: s
triggers:
  - {name: a, when: "true", channel: email, cooldown: 4}`,
			[]want{{"email", ticksWhere(horizon, func(t int) bool { return t%4 == 0 })}}},
		{"cooldown longer than the condition's period", `name: s
triggers:
  - {name: a, when: "tick % 3 == 0", channel: email, cooldown: 5}`,
			// fires at 0, then the first multiple of 3 at least 5 later: 6, 12, 18, ...
			[]want{{"email", ticksWhere(horizon, func(t int) bool { return t%6 == 0 })}}},
		{"delay", `name: s
triggers:
  - {name: a, when: "tick == 3 || tick == 20", channel: email, delay: 4}`,
			[]want{{"email", []int{7, 24}}}},
		{"delay past the horizon", `name: s
triggers:
  - {name: a, when: "tick == 48", channel: email, delay: 5}`,
			nil},
		{"quiet", `name: s
quiet: "tick % 7 == 6"
triggers:
  - {name: a, when: "true", channel: email}`,
			[]want{{"email", ticksWhere(horizon, func(t int) bool { return t%7 != 6 })}}},
		{"quiet holds back a delayed contact to the next tick", `name: s
quiet: "tick % 7 == 6"
triggers:
  - {name: a, when: "tick == 4", channel: email, delay: 2}`,
			[]want{{"email", []int{7}}}},
		{"per_tick 1 and priority", `name: s
triggers:
  - {name: low, when: "true", channel: email, priority: 1}
  - {name: high, when: "tick % 2 == 0", channel: push, priority: 5}`,
			[]want{
				{"email", ticksWhere(horizon, func(t int) bool { return t%2 == 1 })},
				{"push", ticksWhere(horizon, func(t int) bool { return t%2 == 0 })},
			}},
		{"per_tick 2", `name: s
per_tick: 2
triggers:
  - {name: a, when: "true", channel: email, priority: 1}
  - {name: b, when: "tick % 2 == 0", channel: push, priority: 3}
  - {name: c, when: "true", channel: sms, priority: 2}`,
			[]want{
				{"email", ticksWhere(horizon, func(t int) bool { return t%2 == 1 })},
				{"push", ticksWhere(horizon, func(t int) bool { return t%2 == 0 })},
				{"sms", ticksWhere(horizon, func(t int) bool { return true })},
			}},
		{"channel switched off by consent", `name: s
triggers:
  - {name: a, when: "true", channel: sms}`,
			nil},
		{"cap of 2 a week", `name: s
caps: [{max: 2, window: 7}]
triggers:
  - {name: a, when: "true", channel: email}`,
			// contacts at 0, 1, then the window of 7 holds them until 7, 8, ...
			[]want{{"email", ticksWhere(horizon, func(t int) bool { return t%7 < 2 })}}},
		{"contacts() in a condition", `name: s
triggers:
  - {name: a, when: 'contacts("email", 3) == 0 && tick >= 0', channel: email}`,
			[]want{{"email", ticksWhere(horizon, func(t int) bool { return t%3 == 0 })}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			consent := map[string]string{"per_tick 2": "email: 1, push: 1, sms: 1"}[tc.name]
			if consent == "" {
				consent = "email: 1, push: 1, sms: 0"
			}
			m := load(t, triggerScenario(size, horizon, consent, tc.strategy, ""))
			contacts := record(m)
			res := run(t, m, sim.Options{Workers: 2})
			got := map[string]map[int][]int{} // channel → customer → ticks
			for _, c := range contacts() {
				if got[c.Channel] == nil {
					got[c.Channel] = map[int][]int{}
				}
				got[c.Channel][c.Customer] = append(got[c.Channel][c.Customer], c.Tick)
			}
			var total int64
			for _, w := range tc.want {
				for cu := range size {
					if g := got[w.channel][cu]; !slices.Equal(g, w.ticks) {
						t.Fatalf("customer %d on %s: contacted at %v, want %v", cu, w.channel, g, w.ticks)
					}
				}
				total += int64(size * len(w.ticks))
				delete(got, w.channel)
			}
			for ch, cs := range got {
				t.Errorf("unexpected contacts on %s: %v", ch, cs)
			}
			if res.Totals[0][0].Contacts != total {
				t.Errorf("Totals.Contacts = %d, want %d", res.Totals[0][0].Contacts, total)
			}
		})
	}
}

// A customer who does not consent to a channel is never contacted on it;
// one who does is contacted on every tick the trigger holds.
func TestTriggerConsent(t *testing.T) {
	const size, horizon = 1000, 20
	m := load(t, triggerScenario(size, horizon, "email: 0.5, push: 0", `name: s
per_tick: 2
triggers:
  - {name: a, when: "tick % 5 == 0", channel: email}
  - {name: b, when: "true", channel: push}`, ""))
	contacts := record(m)
	run(t, m, sim.Options{})
	want := ticksWhere(horizon, func(t int) bool { return t%5 == 0 })
	reached := 0
	for cu, cs := range byCustomer(contacts()) {
		for _, c := range cs {
			if c.Channel != "email" {
				t.Fatalf("customer %d contacted on %s, to which nobody consents", cu, c.Channel)
			}
		}
		if got := ticksOf(cs); !slices.Equal(got, want) {
			t.Fatalf("customer %d contacted at %v, want %v", cu, got, want)
		}
		reached++
	}
	if reached < size*4/10 || reached > size*6/10 {
		t.Errorf("%d of %d customers reached with consent 0.5", reached, size)
	}
}

// A cooldown is never broken, whatever the condition.
func TestTriggerCooldownNeverBroken(t *testing.T) {
	for _, cd := range []int{1, 2, 5, 9} {
		m := load(t, triggerScenario(200, 60, "", fmt.Sprintf(`name: s
triggers:
  - {name: a, when: "loyalty * 7 + tick %% 3 > 1.5", channel: email, cooldown: %d}`, cd), ""))
		contacts := record(m)
		run(t, m, sim.Options{})
		n := 0
		for cu, cs := range byCustomer(contacts()) {
			ticks := ticksOf(cs)
			for k := 1; k < len(ticks); k++ {
				n++
				if ticks[k]-ticks[k-1] < cd {
					t.Fatalf("cooldown %d: customer %d contacted at %d and %d", cd, cu, ticks[k-1], ticks[k])
				}
			}
		}
		if n == 0 {
			t.Fatalf("cooldown %d: no customer was contacted twice", cd)
		}
	}
}

// A trigger on an attribute fires only for the customers it holds for.
func TestTriggerOnAttribute(t *testing.T) {
	src := `name: attr
run: {horizon: 5, seed: 3}
population:
  size: 500
  personas:
    - name: young
      share: 0.5
      attributes: {age: 20, tier: {categorical: {gold: 1, silver: 0}}}
    - name: old
      share: 0.5
      attributes: {age: {uniform: [50, 70]}, tier: {categorical: {gold: 0, silver: 1}}}
channels:
  email: {behaviour: {name: silent}}
  push: {behaviour: {name: silent}}
journey:
  nodes: {start: {}}
strategies:
  - name: s
    per_tick: 2
    triggers:
      - {name: a, when: "age < 30 && tick == 1", channel: email}
      - {name: b, when: 'tier == "silver" && persona == "old" && tick == 2', channel: push}
`
	m := load(t, src)
	contacts := record(m)
	res := run(t, m, sim.Options{})
	email, push := map[int]bool{}, map[int]bool{}
	for _, c := range contacts() {
		switch {
		case c.Channel == "email" && c.Tick == 1:
			email[c.Customer] = true
		case c.Channel == "push" && c.Tick == 2:
			push[c.Customer] = true
		default:
			t.Fatalf("unexpected contact %+v", c)
		}
	}
	if len(email)+len(push) != 500 {
		t.Errorf("%d young and %d old customers contacted; want 500 together", len(email), len(push))
	}
	for cu := range email {
		if push[cu] {
			t.Errorf("customer %d contacted as both young and old", cu)
		}
	}
	if len(email) < 200 || len(push) < 200 {
		t.Errorf("%d young and %d old customers of 500, each a share of 0.5", len(email), len(push))
	}
	if got := res.Totals[0][0].Contacts; got != 500 {
		t.Errorf("Totals.Contacts = %d, want 500", got)
	}
}

// Triggers of equal priority are arbitrated in file order; a contact
// carries the better of the trigger's and the strategy's discount.
func TestTriggerTiesAndDiscount(t *testing.T) {
	m := load(t, triggerScenario(20, 6, "", `name: s
discount: 0.05
triggers:
  - {name: first, when: "tick % 2 == 0", channel: push, priority: 1, discount: 0.2}
  - {name: second, when: "true", channel: email, priority: 1, discount: 0.01}`, ""))
	contacts := record(m)
	run(t, m, sim.Options{})
	for _, c := range contacts() {
		wantCh, wantDisc := "email", 0.05
		if c.Tick%2 == 0 {
			wantCh, wantDisc = "push", 0.2
		}
		if c.Channel != wantCh || c.Discount != wantDisc {
			t.Fatalf("customer %d at tick %d: %s with discount %g; want %s with %g", c.Customer, c.Tick, c.Channel, c.Discount, wantCh, wantDisc)
		}
	}
}

// A churned customer is never contacted again and no longer counts as
// active.
func TestChurnedNeverContacted(t *testing.T) {
	src := triggerScenario(100, 8, "", `name: s
triggers:
  - {name: a, when: "true", channel: email}`, "")
	src = replaceOnce(t, src, "loyalty: {response_gain: 0, purchase_gain: 0, ignored_loss: 0}", `loyalty: {response_gain: 0, purchase_gain: 0, ignored_loss: 0, churn: "tick >= 2 ? 1 : 0"}`)
	m := load(t, src)
	contacts := record(m)
	tot := run(t, m, sim.Options{}).Totals[0][0]
	for _, c := range contacts() {
		if c.Tick > 2 {
			t.Fatalf("customer %d contacted at tick %d after churning at tick 2", c.Customer, c.Tick)
		}
	}
	if tot.Contacts != 300 || tot.Churned != 100 {
		t.Errorf("%d contacts and %d churned; want 300 and 100", tot.Contacts, tot.Churned)
	}
	for tick, s := range tot.Series {
		want := int64(100)
		if tick >= 2 {
			want = 0
		}
		if s.Active != want {
			t.Errorf("tick %d: %d active, want %d", tick, s.Active, want)
		}
	}
}

// Switching channels along the journey costs what the integration level
// says: under mono every switch is lost, under a level with no drop-off
// none is.
func TestIntegrationDropOff(t *testing.T) {
	src := `name: switch
run: {horizon: 10, seed: 2}
population: {size: 200, personas: [{name: p, share: 1}]}
channels:
  web: {direction: inbound}
  store: {direction: inbound}
integration:
  omni: {dropoff: 0, effort: 0.5}
journey:
  nodes:
    online: {channel: web}
    shop: {channel: store, purchase: true, basket: 10}
  edges:
    - {from: online, to: shop, p: "1"}
    - {from: shop, to: online, p: "1"}
strategies:
  - {name: mono, integration: mono}
  - {name: omni, integration: omni}
`
	m := load(t, src)
	res := run(t, m, sim.Options{})
	mono, omni := res.Totals[0][0], res.Totals[1][0]
	if mono.Switches != 2000 || mono.Leaks != 2000 || mono.Purchases != 0 {
		t.Errorf("mono: %d switches, %d leaks, %d purchases; want 2000, 2000, 0", mono.Switches, mono.Leaks, mono.Purchases)
	}
	if omni.Switches != 2000 || omni.Leaks != 0 || omni.Purchases != 1000 {
		t.Errorf("omni: %d switches, %d leaks, %d purchases; want 2000, 0, 1000", omni.Switches, omni.Leaks, omni.Purchases)
	}
	if omni.CESCount != 2000 || !approxEqual(omni.CES, 2000*1.5, 1e-12) {
		t.Errorf("omni: %d CES ratings summing to %g; want 2000 summing to 3000 (1 + effort 0.5 each)", omni.CESCount, omni.CES)
	}
}
