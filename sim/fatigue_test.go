package sim_test

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// Fatigue decays with the half-life: a customer contacted at t1 and again
// at t2 = t1 + k carries (f1)·0.5^(k/h) + per_contact at the second contact,
// where f1 is the fatigue the first contact left.
func TestFatigueDecay(t *testing.T) {
	cases := []struct {
		halfLife, perContact float64
		t1, t2, t3           int
	}{
		{3, 1, 2, 9, 10},
		{1, 2.5, 0, 1, 30},
		{7.5, 0.4, 5, 6, 40},
		{0.5, 1, 3, 13, 14},
		{20, 3, 0, 25, 26},
	}
	for _, tc := range cases {
		t.Run(fmt.Sprintf("h=%g", tc.halfLife), func(t *testing.T) {
			extra := fmt.Sprintf("fatigue: {half_life: %g, per_contact: %g, optout: 0}\n", tc.halfLife, tc.perContact)
			src := triggerScenario(20, 45, "", fmt.Sprintf(`name: s
triggers:
  - {name: a, when: "tick == %d || tick == %d || tick == %d", channel: email}`, tc.t1, tc.t2, tc.t3), "")
			src = replaceOnce(t, src, "fatigue: {half_life: 3, per_contact: 1, optout: 0}\n", extra)
			m := load(t, src)
			contacts := record(m)
			run(t, m, sim.Options{})
			decay := func(k int) float64 { return math.Pow(0.5, float64(k)/tc.halfLife) }
			f1 := tc.perContact
			f2 := f1*decay(tc.t2-tc.t1) + tc.perContact
			f3 := f2*decay(tc.t3-tc.t2) + tc.perContact
			want := []float64{f1, f2, f3}
			for cu, cs := range byCustomer(contacts()) {
				if len(cs) != 3 {
					t.Fatalf("customer %d: %d contacts, want 3", cu, len(cs))
				}
				for k, c := range cs {
					if !approxEqual(c.Fatigue, want[k], 1e-12) {
						t.Errorf("customer %d contact %d at tick %d: fatigue %.15g, want %.15g", cu, k, c.Tick, c.Fatigue, want[k])
					}
				}
			}
		})
	}
}

// Spill adds a share of per_contact to every other channel, which decays
// alike; half_life 0 means fatigue vanishes by the next tick.
func TestFatigueSpill(t *testing.T) {
	src := triggerScenario(10, 20, "", `name: s
triggers:
  - {name: p, when: "tick == 2", channel: push}
  - {name: e, when: "tick == 6", channel: email}`, "")
	src = replaceOnce(t, src, "fatigue: {half_life: 3, per_contact: 1, optout: 0}\n", "fatigue: {half_life: 2, per_contact: 1.5, spill: 0.4, optout: 0}\n")
	m := load(t, src)
	contacts := record(m)
	run(t, m, sim.Options{})
	want := map[string]float64{"push": 1.5, "email": 0.4*1.5*math.Pow(0.5, 4.0/2) + 1.5}
	n := 0
	for _, c := range contacts() {
		n++
		if !approxEqual(c.Fatigue, want[c.Channel], 1e-12) {
			t.Errorf("%s contact at tick %d: fatigue %.15g, want %.15g", c.Channel, c.Tick, c.Fatigue, want[c.Channel])
		}
	}
	if n != 20 {
		t.Fatalf("%d contacts, want 20", n)
	}

	src = replaceOnce(t, src, "half_life: 2", "half_life: 0")
	m = load(t, src)
	contacts = record(m)
	run(t, m, sim.Options{})
	for _, c := range contacts() {
		if c.Fatigue != 1.5 {
			t.Errorf("half_life 0: %s contact at tick %d has fatigue %g, want 1.5 (nothing carried over)", c.Channel, c.Tick, c.Fatigue)
		}
	}
}

// suppress_above holds back a contact while the channel's fatigue is at or
// above that multiple of the customer's tolerance.
func TestSuppressAbove(t *testing.T) {
	// tolerance 3, suppress at 1 × tolerance: per_contact 1, half_life 3.
	m := load(t, triggerScenario(5, 60, "", `name: s
suppress_above: 1
triggers:
  - {name: a, when: "true", channel: email}`, ""))
	contacts := record(m)
	run(t, m, sim.Options{})
	for cu, cs := range byCustomer(contacts()) {
		// Reconstruct fatigue before each tick's decision; it must be below
		// 3 whenever a contact is made, and at or above 3 when one is not.
		f, next := 0.0, 0
		decay := math.Pow(0.5, 1.0/3)
		for tick := range 60 {
			f *= decay
			contacted := next < len(cs) && cs[next].Tick == tick
			if contacted {
				if f >= 3 {
					t.Fatalf("customer %d contacted at tick %d with fatigue %g ≥ 3", cu, tick, f)
				}
				f++
				next++
			} else if f < 3 {
				t.Fatalf("customer %d not contacted at tick %d though fatigue %g < 3", cu, tick, f)
			}
		}
	}
}

func approxEqual(a, b, rel float64) bool {
	return math.Abs(a-b) <= rel*math.Max(math.Abs(a), math.Abs(b))
}

func replaceOnce(t testing.TB, s, old, new string) string {
	t.Helper()
	i := strings.Index(s, old)
	if i < 0 {
		t.Fatalf("%q not in the scenario", old)
	}
	return s[:i] + new + s[i+len(old):]
}

// fatigue.optout: a contact that leaves fatigue above tolerance opts the
// customer out with probability optout × (fatigue / tolerance − 1); an
// opted-out customer is never contacted on that channel again. A channel's
// own optout expression wins.
func TestFatigueOptOut(t *testing.T) {
	base := triggerScenario(200, 20, "", `name: s
per_tick: 2
triggers:
  - {name: a, when: "true", channel: email}
  - {name: b, when: "true", channel: push}`, "")
	// tolerance 3; per_contact 10 puts fatigue at 10/3 − 1 > 1 of tolerance
	// on the first contact, so optout 0.5 gives p ≥ 1.
	src := replaceOnce(t, base, "fatigue: {half_life: 3, per_contact: 1, optout: 0}", "fatigue: {half_life: 3, per_contact: 10, optout: 0.5}")
	src = replaceOnce(t, src, "push: {direction: outbound, behaviour: {name: silent}}", `push: {direction: outbound, behaviour: {name: silent}, optout: "0"}`)
	m := load(t, src)
	contacts := record(m)
	tot := run(t, m, sim.Options{}).Totals[0][0]
	for cu, cs := range byCustomer(contacts()) {
		var email, push []int
		for _, c := range cs {
			if c.Channel == "email" {
				email = append(email, c.Tick)
			} else {
				push = append(push, c.Tick)
			}
		}
		if len(email) != 1 || email[0] != 0 {
			t.Fatalf("customer %d: email at %v; the first contact must opt them out", cu, email)
		}
		if len(push) != 20 {
			t.Fatalf("customer %d: push at %v; push's own optout of 0 must win", cu, push)
		}
	}
	if tot.Channels[0].OptOuts != 200 || tot.Channels[1].OptOuts != 0 || tot.OptedOut != 200 {
		t.Errorf("opt-outs: email %d, push %d, customers %d; want 200, 0, 200", tot.Channels[0].OptOuts, tot.Channels[1].OptOuts, tot.OptedOut)
	}

	// optout 0: nobody opts out.
	m = load(t, replaceOnce(t, src, "optout: 0.5", "optout: 0"))
	if tot := run(t, m, sim.Options{}).Totals[0][0]; tot.OptedOut != 0 || tot.Contacts != 200*40 {
		t.Errorf("fatigue.optout 0: %d opted out, %d contacts; want 0 and %d", tot.OptedOut, tot.Contacts, 200*40)
	}
}
