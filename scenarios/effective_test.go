package scenarios_test

import (
	"bytes"
	"context"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// effectiveRoundTrip checks that Effective(m) loads back, that writing the
// reloaded model gives the same bytes (a fixed point), that every node
// keeps its edges, and that both models simulate alike. It returns the
// effective scenario.
func effectiveRoundTrip(t *testing.T, name string, sc *scenarios.Scenario) []byte {
	t.Helper()
	m := sc.Model
	first, err := scenarios.Effective(sc)
	if err != nil {
		t.Fatalf("Effective: %v", err)
	}
	againSc, err := scenarios.Load(name+".effective.yaml", first)
	if err != nil {
		t.Fatalf("the effective scenario does not load: %v\n%s", err, first)
	}
	again := againSc.Model
	second, err := scenarios.Effective(againSc)
	if err != nil {
		t.Fatalf("Effective of the reloaded model: %v", err)
	}
	if !bytes.Equal(first, second) {
		t.Fatalf("Effective is not a fixed point:\n--- first\n%s\n--- second\n%s", first, second)
	}
	sameEdges(t, m, again)

	for _, x := range []*sim.Model{m, again} {
		x.Population.Size = 3000
		x.Horizon = 30
		x.Replications = 1
	}
	r1, err1 := sim.Run(context.Background(), m, sim.Options{})
	r2, err2 := sim.Run(context.Background(), again, sim.Options{})
	switch {
	case (err1 == nil) != (err2 == nil):
		t.Fatalf("runs differ: original %v, effective %v", err1, err2)
	case err1 != nil:
		return first // both fail, as runtime_error.yaml is meant to
	}
	if !reflect.DeepEqual(r1.Seeds, r2.Seeds) {
		t.Errorf("seeds differ: %v and %v", r1.Seeds, r2.Seeds)
	}
	if !reflect.DeepEqual(r1.Totals, r2.Totals) {
		for k := range r1.Totals {
			if !reflect.DeepEqual(r1.Totals[k], r2.Totals[k]) {
				t.Errorf("strategy %s: totals differ:\n%+v\n%+v", m.Strategies[r1.Strategies[k]].Name, r1.Totals[k], r2.Totals[k])
			}
		}
		t.Fatalf("totals differ")
	}
	return first
}

// sameEdges checks that every node has the same edges, in the same order,
// in both models.
func sameEdges(t *testing.T, a, b *sim.Model) {
	t.Helper()
	type edge struct {
		To   int
		Cart sim.CartEffect
		P    string
	}
	list := func(es []sim.Edge) []edge {
		var out []edge
		for _, e := range es {
			out = append(out, edge{e.To, e.Cart, e.P.Source})
		}
		return out
	}
	if len(a.Nodes) != len(b.Nodes) {
		t.Fatalf("%d nodes, reloaded %d", len(a.Nodes), len(b.Nodes))
	}
	for k := range a.Nodes {
		if !reflect.DeepEqual(list(a.Nodes[k].Edges), list(b.Nodes[k].Edges)) {
			t.Errorf("node %s: tick edges %v, reloaded %v", a.Nodes[k].Name, list(a.Nodes[k].Edges), list(b.Nodes[k].Edges))
		}
		if !reflect.DeepEqual(list(a.Nodes[k].ResponseEdges), list(b.Nodes[k].ResponseEdges)) {
			t.Errorf("node %s: response edges %v, reloaded %v", a.Nodes[k].Name, list(a.Nodes[k].ResponseEdges), list(b.Nodes[k].ResponseEdges))
		}
	}
}

func TestEffectiveBuiltins(t *testing.T) {
	infos, err := scenarios.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	if len(infos) == 0 {
		t.Fatal("no built-in scenarios")
	}
	for _, info := range infos {
		t.Run(info.Name, func(t *testing.T) {
			if len(info.Plugins) > 0 {
				t.Skipf("served by the plugins %v, which this package does not build", info.Plugins)
			}
			sc, err := scenarios.Builtin(info.Name)
			if err != nil {
				t.Fatal(err)
			}
			effectiveRoundTrip(t, info.Name, sc)
		})
	}
}

func TestEffectiveTestdata(t *testing.T) {
	loaded := 0
	for _, dir := range []string{"testdata", filepath.Join("..", "cmd", "journeysim", "testdata")} {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".yaml") {
				return err
			}
			sc, err := scenarios.LoadFile(p)
			if err != nil {
				return nil // a file that is meant not to load
			}
			loaded++
			t.Run(filepath.ToSlash(p), func(t *testing.T) {
				effectiveRoundTrip(t, p, sc)
			})
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if loaded == 0 {
		t.Fatal("no test scenario loaded")
	}
}

// TestEffectiveDefaults checks that a small scenario's effective form spells
// out the defaults it left unsaid.
func TestEffectiveDefaults(t *testing.T) {
	sc, err := scenarios.LoadFile(filepath.Join("testdata", "base.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	out := string(effectiveRoundTrip(t, "base", sc))
	for _, want := range []string{
		"\nrun:\n  horizon: 20\n  tick: day\n  seed: 7\n  replications: 1\n  ticks_per_year: 365\n  discount_rate: 0.08\n  currency: EUR\n",
		"\n  mono: {dropoff: 1, effort: 3, keep_cart: false}\n",
		"\n  multi: {dropoff: 0.3, effort: 2, keep_cart: false}\n",
		"\n  cross: {dropoff: 0.15, effort: 1, keep_cart: true}\n",
		"\n  omni: {dropoff: 0.05, effort: 0.3, keep_cart: true}\n",
		"\nfatigue:\n  half_life: 3\n  per_contact: 1\n  spill: 0\n  optout: 0.01\n",
		"\n  response_gain: 0.02\n  purchase_gain: 0.05\n  ignored_loss: 0.01\n  experience_weight: 0\n",
		"\n  basket: {lognormal: [3.5, 0.6]}\n  margin: 0.3\n",
		"affinity: {email: 0.5, push: 0.5, web: 0.5}",
		"consent: {email: 1, push: 1, web: 1}",
		"tolerance: 3\n",
		"loyalty: 0.3\n",
		"behaviour: {name: response, params: {effort: 2, offer_lift: 0, rate: 0.05, satisfaction: 4, satisfaction_sd: 0.7}}",
		"shop: {stage: buy, channel: web, purchase: true, competitor: false, basket: {lognormal: [3.5, 0.6]}}",
		`{from: aware, to: shop, on: tick, p: "0.01 + 0.02 * income", cart: keep}`,
		// The child strategy is written resolved: it inherits the trigger.
		"  - name: more\n    description: \"\"\n    channels: [email, push, web]\n    integration: multi\n",
		`{name: hello, when: "tick % 7 == 0", channel: email, priority: 0, cooldown: 0, delay: 0, discount: 0}`,
	} {
		if !strings.Contains(out, want) {
			t.Errorf("effective scenario lacks %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "extends") {
		t.Errorf("effective scenario still uses extends:\n%s", out)
	}
}

// TestEffectiveCorners round-trips a scenario that uses the format's rarer
// forms: aliases, multi-line and quoted expressions, an unknown tick label,
// caps on all channels, checks, clipped distributions, edges from "*" and
// from lists, edges without to, and a strategy with no channels.
func TestEffectiveCorners(t *testing.T) {
	src := `
name: corners
run: {horizon: 15, tick: sprint, ticks_per_year: 26, seed: 18446744073709551615, discount_rate: 0.07, currency: USD}
population:
  size: 50
  personas:
    - name: p-1
      share: 0.25
      attributes:
        age: {normal: [35, 12], min: 18, max: 90}
        region: {categorical: {north: 0.125, south: 0.875}}
        flat: {constant: 2, min: 3}
      affinity: {email: {beta: [2, 5]}, web-shop: 1}
      consent: {email: 0.3}
      tolerance: {lognormal: [1, 0.25], max: 10}
      loyalty: {uniform: [0.1, 0.9]}
    - name: p2
      share: 0.75
      attributes:
        age: 40.5
        region: {categorical: {north: 0.5, south: 0.5}}
        flat: 1e-7
channels:
  email: {kind: paid, cost_per_contact: 0.0001, optout: 'fatigue.email > 2 ? 0.01 : 0', description: "lost"}
  sms: {kind: shared, behaviour: {name: silent}}
  web-shop: {direction: inbound, commission: 0.15, fixed_cost: 1000000}
journey:
  basket: {lognormal: [4, 0.5]}
  margin: 0.25
  nodes:
    idle: {}
    look:
      stage: browse
      channel: web-shop
      tags: [zmot, fmot]
      satisfaction: |-
        3 +
        loyalty
      effort: "2"
    buy: {stage: buy, channel: web-shop, purchase: true, tags: fmot}
    rival: {stage: buy, purchase: true, competitor: true, basket: 30}
  edges:
    - &e {from: idle, to: look, p: "0.1 * (region == \"north\" ? 2 : 1)"}
    - *e
    - {from: "*", cart: clear, p: "cart ? 0.01 : 0"}
    - {from: [look, buy], to: buy, p: '0.05', cart: open}
    - {from: [rival, buy], to: idle, p: "1"}
    - {from: look, to: rival, p: "event.leak ? 0.3 : 0"}
    - {from: [idle, look], on: response, to: look, p: "1"}
loyalty:
  churn: "0.001"
  referral: 'node == "buy" ? 0.01 : 0'
integration:
  omni: {dropoff: 0.01}
  mono: {keep_cart: true}
strategies:
  - name: none
    channels: []
  - name: base
    description: "with 'quotes' and \"more\""
    integration: cross
    caps: [{max: 3, window: 7}, {channel: email, max: 1, window: 2}]
    per_tick: 2
    suppress_above: 1.5
    quiet: "tick % 7 == 6"
    holdout: 0.1
    discount: 0.05
    triggers:
      - {name: low, when: "true", channel: email, cooldown: 3}
      - {name: high, when: 'stage == "browse"', channel: sms, priority: 5, delay: 1, discount: 0.2}
  - name: child
    extends: base
    caps: []
    triggers:
      - {name: low, when: "false", channel: email}
      - {name: mid, when: "cart", channel: email, priority: 5}
checks:
  - "revenue > 0"
  - {check: 'profit_to_cost > 1.5', strategies: [base, child]}
`
	sc, err := scenarios.Load("corners.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	out := string(effectiveRoundTrip(t, "corners", sc))
	for _, want := range []string{
		"tick: sprint\n", "ticks_per_year: 26\n", "seed: 18446744073709551615\n", "currency: USD\n",
		"age: {normal: [35, 12], min: 18, max: 90}",
		"flat: {constant: 2, min: 3}",
		"flat: 1e-07",
		"fixed_cost: 1000000\n",
		"behaviour: {name: silent}",
		"mono: {dropoff: 1, effort: 3, keep_cart: true}",
		"omni: {dropoff: 0.01, effort: 0.3, keep_cart: true}",
		`{from: '*', on: tick, p: "cart ? 0.01 : 0", cart: clear}`,
		"tags: [zmot, fmot]",
		"caps: [{max: 3, window: 7}, {channel: email, max: 1, window: 2}]",
		"    channels: []\n",
		`- "revenue > 0"`,
		"strategies: [base, child]",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("effective scenario lacks %q:\n%s", want, out)
		}
	}
	// The aliased edge is taken twice from idle, in order.
	idle := m.Nodes[0]
	if len(idle.Edges) < 2 || idle.Edges[0].To != 1 || idle.Edges[1].To != 1 {
		t.Errorf("idle's edges: %+v", idle.Edges)
	}
}

func TestEffectiveNil(t *testing.T) {
	if _, err := scenarios.Effective(nil); err == nil {
		t.Error("Effective(nil) gave no error")
	}
}
