package sim_test

import (
	"math"
	"reflect"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// Gathering paths changes no outcome, and what it gathers adds up: every
// purchase ends one converting path, each heuristic model hands out the
// revenue of the touched conversions, and the transitions agree with the
// paths.
func TestPathsAddUp(t *testing.T) {
	m := load(t, totalsScenario)
	plain := run(t, m, sim.Options{Workers: 2})
	res := run(t, m, sim.Options{Workers: 3, Paths: true})
	C := len(m.Channels)
	for k := range res.Totals {
		for r := range res.Totals[k] {
			tot := res.Totals[k][r]
			p := tot.Paths
			if p == nil {
				t.Fatal("Paths is nil with Options.Paths set")
			}
			tot.Paths = nil
			if !reflect.DeepEqual(tot, plain.Totals[k][r]) {
				t.Fatalf("strategy %d rep %d: gathering paths changed the outcomes", k, r)
			}
			if p.Conversions != tot.Purchases {
				t.Errorf("strategy %d rep %d: %d conversions, %d purchases", k, r, p.Conversions, tot.Purchases)
			}
			if !approxEqual(p.Revenue, tot.Revenue-tot.ReferralRevenue, 1e-9) {
				t.Errorf("strategy %d rep %d: path revenue %g, purchase revenue %g", k, r, p.Revenue, tot.Revenue-tot.ReferralRevenue)
			}
			touched := p.Revenue - p.Untouched
			for _, model := range sim.AttributionModels {
				if model.Credit == nil {
					continue
				}
				name, credit := model.Key, model.Credit(p)
				if len(credit) != C {
					t.Fatalf("%s credits %d channels, want %d", name, len(credit), C)
				}
				sum := 0.0
				for c, v := range credit {
					if v < 0 || math.IsNaN(v) {
						t.Errorf("%s credits channel %d with %g", name, c, v)
					}
					sum += v
				}
				if !approxEqual(sum, touched, 1e-9) {
					t.Errorf("strategy %d rep %d: %s hands out %g of %g", k, r, name, sum, touched)
				}
			}
			// Conversions and nulls out of the transition matrix equal the
			// converting and non-converting paths in the sets.
			var conv, null, paths, setConv int64
			for _, s := range p.Sets {
				paths += s.Paths
				setConv += s.Conversions
			}
			for from := 0; from <= C; from++ {
				conv += int64(p.Transitions[from*(C+2)+C])
				null += int64(p.Transitions[from*(C+2)+C+1])
			}
			if conv != p.Conversions || setConv != p.Conversions || conv+null != paths {
				t.Errorf("strategy %d rep %d: transitions end %d conversions and %d nulls; sets hold %d paths, %d conversions; %d conversions",
					k, r, conv, null, paths, setConv, p.Conversions)
			}
			// Every touch enters a channel once: the transitions into each
			// channel count its contacts and visits.
			for c := 0; c < C; c++ {
				in := 0.0
				for from := 0; from <= C; from++ {
					in += p.Transitions[from*(C+2)+c]
				}
				want := tot.Channels[c].Contacts + tot.Channels[c].Visits
				if int64(in) != want {
					t.Errorf("strategy %d rep %d channel %s: %g touches in the transitions, %d contacts and visits", k, r, m.Channels[c].Name, in, want)
				}
			}
		}
	}
	again := run(t, m, sim.Options{Workers: 1, Paths: true})
	if !reflect.DeepEqual(again.Totals, res.Totals) {
		t.Error("paths differ between 1 and 3 workers")
	}
}

// A holdout group gets no outbound contact, and its outcomes are a part of
// the whole.
func TestHoldoutGetsNoContact(t *testing.T) {
	src := triggerScenario(4000, 40, "email: 1", `name: s
holdout: 0.25
triggers:
  - {name: daily, when: "true", channel: email}`, "")
	m := load(t, src)
	log := record(m)
	res := run(t, m, sim.Options{})
	tot := res.Totals[0][0]
	h := tot.Holdout
	if h.Customers < 850 || h.Customers > 1150 {
		t.Fatalf("holdout of 25%% of 4000 holds %d customers", h.Customers)
	}
	contacted := map[int]bool{}
	for _, c := range log() {
		contacted[c.Customer] = true
	}
	if got, want := int64(len(contacted)), tot.Customers-h.Customers; got != want {
		t.Errorf("%d customers contacted; %d are outside the holdout and all should be", got, want)
	}
	if h.Purchases > tot.Purchases || h.Revenue > tot.Revenue || h.Buyers > tot.Buyers || h.Churned > tot.Churned {
		t.Errorf("holdout %+v exceeds the whole", h)
	}
	// The same customers are held out whatever else the strategy does.
	m2 := load(t, src)
	m2.Strategies[0].Triggers = nil
	res2 := run(t, m2, sim.Options{})
	if res2.Totals[0][0].Holdout.Customers != h.Customers {
		t.Errorf("holdout size changed with the triggers: %d, then %d", h.Customers, res2.Totals[0][0].Holdout.Customers)
	}
}
