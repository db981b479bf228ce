package scenarios_test

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// TestBuiltinScenariosRunEndToEnd loads and runs every built-in scenario
// and checks that its outcomes are whole: customers all accounted for,
// purchases made, and channel figures adding up to the strategy's. A
// scenario served by plugins needs them built, which this package does
// not do: cmd/journeysim runs those end to end with the plugins built
// (TestContactCentreLesson, say).
func TestBuiltinScenariosRunEndToEnd(t *testing.T) {
	list, err := scenarios.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	if len(list) < 4 {
		t.Fatalf("%d built-in scenarios, want at least 4", len(list))
	}
	for _, info := range list {
		t.Run(info.Name, func(t *testing.T) {
			if info.Description == "" {
				t.Error("no description")
			}
			if len(info.Plugins) > 0 {
				t.Skipf("served by the plugins %v: run end to end in cmd/journeysim", info.Plugins)
			}
			sc, err := scenarios.Builtin(info.Name)
			if err != nil {
				t.Fatal(err)
			}
			m := sc.Model
			if info.Name == "reference" { // the speed benchmark's full size is for make bench
				m.Population.Size = 5_000
			}
			res, err := sim.Run(context.Background(), m, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Seeds) != m.Replications {
				t.Fatalf("%d replications completed, want %d", len(res.Seeds), m.Replications)
			}
			for k, reps := range res.Totals {
				name := m.Strategies[res.Strategies[k]].Name
				for r := range reps {
					tot := &reps[r]
					if tot.Customers != int64(m.Population.Size) {
						t.Errorf("%s: %d customers, want %d", name, tot.Customers, m.Population.Size)
					}
					if tot.Purchases == 0 || tot.Revenue <= 0 {
						t.Errorf("%s: no purchases", name)
					}
					var contacts int64
					var cost float64
					for _, ch := range tot.Channels {
						contacts += ch.Contacts
						cost += ch.Cost
					}
					if contacts != tot.Contacts {
						t.Errorf("%s: channel contacts add up to %d, total is %d", name, contacts, tot.Contacts)
					}
					if want := tot.ContactCost + tot.ChannelCost; math.Abs(cost-want) > 1e-6*math.Max(1, want) {
						t.Errorf("%s: channel costs add up to %g, total is %g", name, cost, want)
					}
				}
			}
		})
	}
}

// TestEmailPressureTeachesItsLesson: revenue rises with the first emails a
// week, and at seven a week opt-outs and loyalty turn against it.
func TestEmailPressureTeachesItsLesson(t *testing.T) {
	sc, err := scenarios.Builtin("email-pressure")
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	res, err := sim.Run(context.Background(), m, sim.Options{})
	if err != nil {
		t.Fatal(err)
	}
	sum, err := results.Summarize(res, results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	metric := func(strategy, key string) float64 {
		for k, met := range results.Metrics {
			if met.Key != key {
				continue
			}
			for _, st := range sum.Strategies {
				if st.Name == strategy {
					return st.Metrics[k].Mean
				}
			}
		}
		t.Fatalf("no %s for %s", key, strategy)
		return 0
	}
	if r1, r2 := metric("email_1pw", "revenue"), metric("email_2pw", "revenue"); r2 <= r1 {
		t.Errorf("revenue does not rise from 1 to 2 emails a week: %.0f → %.0f", r1, r2)
	}
	best := math.Inf(-1)
	for _, st := range sum.Strategies {
		best = math.Max(best, metric(st.Name, "profit"))
	}
	if p7 := metric("email_7pw", "profit"); p7 >= best {
		t.Errorf("seven emails a week is the most profitable (%.0f); pressure should cost", p7)
	}
	if o1, o7 := metric("email_1pw", "opt_out_rate"), metric("email_7pw", "opt_out_rate"); o7 <= o1 {
		t.Errorf("opt-outs do not rise with pressure: %.4f → %.4f", o1, o7)
	}
	if l1, l7 := metric("email_1pw", "loyalty"), metric("email_7pw", "loyalty"); l7 >= l1 {
		t.Errorf("loyalty does not fall with pressure: %.3f → %.3f", l1, l7)
	}
}

// A scenario served by plugins loads to be described without them: its
// plugin channels keep the parameters the file gives, and a run fails with
// a message naming the plugin rather than answering.
func TestDescribeWithoutPlugins(t *testing.T) {
	src, err := scenarios.BuiltinSource("contact-centre")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scenarios.Load("contact-centre.yaml", src); err == nil || !strings.Contains(err.Error(), "plugins are not available") {
		t.Fatalf("loaded to run without plugins: %v", err)
	}
	sc, err := scenarios.LoadWith("contact-centre.yaml", src, scenarios.Options{Describe: true})
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	ch := m.Channels[m.ChannelIndex("phone")]
	if ch.BehaviourName != scenarios.PluginPrefix+"contactcentre" || ch.BehaviourParams["operators"] == 0 {
		t.Errorf("phone: behaviour %q with %v; want the contactcentre plugin with the file's operators", ch.BehaviourName, ch.BehaviourParams)
	}
	m.Population.Size, m.Horizon = 100, 5
	if _, err := sim.Run(context.Background(), m, sim.Options{}); err == nil || !strings.Contains(err.Error(), "contactcentre is not loaded") {
		t.Errorf("a described scenario ran: %v", err)
	}
	infos, err := scenarios.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range infos {
		if want := in.Name == "contact-centre"; (len(in.Plugins) > 0) != want {
			t.Errorf("%s: plugins %v", in.Name, in.Plugins)
		}
	}
}
