package scenarios_test

import (
	"strings"
	"testing"

	"github.com/journeysim/journeysim/scenarios"
)

// Variants are strategies of their own: they inherit everything from the
// strategy they extend but what they set, and the scenario they are in
// loads again from its text.
func TestWithVariants(t *testing.T) {
	sc, err := scenarios.Builtin("cx-investment")
	if err != nil {
		t.Fatal(err)
	}
	lever := sc.Lesson.Controls[0]
	v, err := sc.WithVariants([]scenarios.Variant{
		{Name: "p1_fixed", Extends: "fixed", Overrides: []scenarios.Override{lever.Override("p1_fixed", 1.5)}},
		{Name: "p2_fixed", Extends: "fixed", Description: "as it is"},
	}, scenarios.Options{})
	if err != nil {
		t.Fatal(err)
	}
	m := v.Model
	if len(m.Strategies) != len(sc.Model.Strategies)+2 {
		t.Fatalf("%d strategies", len(m.Strategies))
	}
	k := m.LeverIndex("service")
	p1, p2, fixed := m.Strategies[m.StrategyIndex("p1_fixed")], m.Strategies[m.StrategyIndex("p2_fixed")], m.Strategies[m.StrategyIndex("fixed")]
	if p1.Levers[k] != 1.5 || p2.Levers[k] != 1 || fixed.Levers[k] != 1 {
		t.Errorf("service: p1 %g, p2 %g, fixed %g; want 1.5, 1, 1", p1.Levers[k], p2.Levers[k], fixed.Levers[k])
	}
	if p2.Description != "as it is" || p1.Description != fixed.Description {
		t.Errorf("descriptions %q, %q", p1.Description, p2.Description)
	}
	again, err := scenarios.Load("again.yaml", v.Source.Data)
	if err != nil || again.Model.StrategyIndex("p1_fixed") < 0 {
		t.Errorf("the scenario's text does not load again: %v", err)
	}
	if _, err := sc.WithVariants([]scenarios.Variant{{Name: "x", Extends: "platinum"}}, scenarios.Options{}); err == nil || !strings.Contains(err.Error(), `no strategy "platinum"`) {
		t.Errorf("extending a strategy that is not there: %v", err)
	}
	if _, err := sc.WithVariants([]scenarios.Variant{{Name: "fixed", Extends: "fixed"}}, scenarios.Options{}); err == nil {
		t.Errorf("a variant named as a strategy was taken")
	}
}
