package scenarios

import (
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// A strategy that extends another inherits what it does not set; its
// triggers replace the parent's of the same name and add the others; the
// result is sorted by priority.
func TestExtendsMerges(t *testing.T) {
	src := apply(t, baseSource(t), edit{`  - name: more
    extends: base
    channels: [email, push, web]`, `  - name: more
    extends: base
    channels: [email, push, web]
    triggers:
      - {name: hello, when: "tick % 3 == 0", channel: push, cooldown: 2}
      - {name: extra, when: "cart", channel: email, priority: 5}
  - name: most
    extends: more
    per_tick: 2`}, edit{"    channels: [email, web]\n", "    channels: [email, web]\n    caps: [{max: 2, window: 7}]\n    discount: 0.1\n    quiet: \"tick % 7 == 6\"\n"})
	sc, err := Load("extends.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	if len(m.Strategies) != 3 {
		t.Fatalf("%d strategies", len(m.Strategies))
	}
	for _, st := range m.Strategies[1:] {
		if len(st.Triggers) != 2 {
			t.Fatalf("%s: %d triggers, want 2", st.Name, len(st.Triggers))
		}
		if tr := st.Triggers[0]; tr.Name != "extra" || tr.Priority != 5 {
			t.Errorf("%s: first trigger %s (priority %d), want extra (5)", st.Name, tr.Name, tr.Priority)
		}
		hello := st.Triggers[1]
		if hello.Name != "hello" || hello.When.Source != "tick % 3 == 0" || hello.Cooldown != 2 || hello.Channel != m.ChannelIndex("push") {
			t.Errorf("%s: trigger hello = %+v; want the child's", st.Name, hello)
		}
		if len(st.Caps) != 1 || st.Caps[0] != (sim.Cap{Channel: -1, Max: 2, Window: 7}) {
			t.Errorf("%s: caps %+v, want the parent's", st.Name, st.Caps)
		}
		if st.Discount != 0.1 || st.Quiet == nil || st.Quiet.Source != "tick % 7 == 6" {
			t.Errorf("%s: discount %g, quiet %v; want the parent's", st.Name, st.Discount, st.Quiet)
		}
	}
	if m.Strategies[2].PerTick != 2 || m.Strategies[1].PerTick != 1 {
		t.Errorf("per_tick %d and %d, want 1 and 2", m.Strategies[1].PerTick, m.Strategies[2].PerTick)
	}
	if on := m.Strategies[2].Channels; !on[0] || !on[1] || !on[2] {
		t.Errorf("most: channels %v, want all inherited from more", on)
	}
	if base := m.Strategies[0]; len(base.Triggers) != 1 || base.Triggers[0].Channel != m.ChannelIndex("email") {
		t.Errorf("base changed by its children: %+v", base.Triggers)
	}
}

// Levers merge by name through extends: a child's value wins, the others
// are inherited, and a lever no strategy sets keeps its default.
func TestExtendsMergesLevers(t *testing.T) {
	src := apply(t, baseSource(t),
		edit{"strategies:\n", "levers: {a: 1, b: 2, c: {value: 3, cost_per_tick: 1}}\nstrategies:\n"},
		edit{"    channels: [email, web]\n", "    channels: [email, web]\n    levers: {a: 10, b: 20}\n"},
		edit{"    extends: base\n", "    extends: base\n    levers: {b: 200, c: 300}\n"})
	sc, err := Load("levers.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	for _, tc := range []struct {
		strategy int
		want     []float64
	}{{0, []float64{10, 20, 3}}, {1, []float64{10, 200, 300}}} {
		if got := m.Strategies[tc.strategy].Levers; !slices.Equal(got, tc.want) {
			t.Errorf("%s: levers %v, want %v", m.Strategies[tc.strategy].Name, got, tc.want)
		}
	}
	// The effective scenario writes every strategy's levers out in full.
	eff, err := Effective(sc)
	if err != nil {
		t.Fatal(err)
	}
	backSc, err := Load("effective.yaml", eff)
	if err != nil {
		t.Fatalf("effective scenario does not load: %v\n%s", err, eff)
	}
	back := backSc.Model
	if !reflect.DeepEqual(back.Levers, m.Levers) || !slices.Equal(back.Strategies[1].Levers, m.Strategies[1].Levers) {
		t.Errorf("levers lost on the way through the effective scenario:\n%s", eff)
	}
	// --set strategies.NAME.levers.X works for a strategy that sets no lever.
	src = apply(t, baseSource(t), edit{"strategies:\n", "levers: {a: 1}\nstrategies:\n"})
	data, err := Apply([]byte(src), []Override{{Path: "strategies.base.levers.a", Value: NumberValue(5)}, {Path: "levers.a", Value: NumberValue(2)}})
	if err != nil {
		t.Fatal(err)
	}
	sc, err = Load("set.yaml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	m = sc.Model
	if m.Strategies[0].Levers[0] != 5 || m.Strategies[1].Levers[0] != 5 || m.Levers[0].Default != 2 {
		t.Errorf("after --set: base %v, more %v, default %g; want 5, 5 (inherited), 2", m.Strategies[0].Levers, m.Strategies[1].Levers, m.Levers[0].Default)
	}
	// A lever the scenario does not declare is a typo, not a new lever.
	if _, err := Apply([]byte(src), []Override{{Path: "levers.b", Value: NumberValue(1)}}); err == nil || !strings.Contains(err.Error(), `no lever "b"`) {
		t.Errorf("--set levers.b (undeclared): %v", err)
	}
}
