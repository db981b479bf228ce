package scenarios

import (
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
	m, err := Load("extends.yaml", []byte(src))
	if err != nil {
		t.Fatal(err)
	}
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
