package scenarios_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/scenarios"
)

// Overrides reach the field their path names, through mappings and lists
// (by name, by channel, by index), and the scenario compiles with them.
func TestApplyOverrides(t *testing.T) {
	src, err := scenarios.BuiltinSource("email-pressure")
	if err != nil {
		t.Fatal(err)
	}
	data, err := scenarios.Apply(src, []scenarios.Override{
		{Path: "population.size", Value: scenarios.NumberValue(1234)},
		{Path: "strategies.email_7pw.caps.email.max", Value: scenarios.NumberValue(3)},
		{Path: "strategies.email_2pw.caps.0.window", Value: scenarios.NumberValue(14)},
		{Path: "strategies.email_7pw.discount", Value: scenarios.NumberValue(0.15)}, // inherited: added
		{Path: "population.personas.fan.share", Value: scenarios.NumberValue(0.5)},
		{Path: "strategies.email_3pw.description", Value: scenarios.TextValue("three, with a comma")},
	})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load("set.yaml", data)
	if err != nil {
		t.Fatalf("the scenario does not load: %v\n%s", err, data)
	}
	m := sc.Model
	if m.Population.Size != 1234 {
		t.Errorf("population %d; want 1234", m.Population.Size)
	}
	st := m.Strategies[m.StrategyIndex("email_7pw")]
	if st.Caps[0].Max != 3 || st.Discount != 0.15 {
		t.Errorf("email_7pw cap %d, discount %g; want 3 and 0.15", st.Caps[0].Max, st.Discount)
	}
	if w := m.Strategies[m.StrategyIndex("email_2pw")].Caps[0].Window; w != 14 {
		t.Errorf("email_2pw window %d; want 14", w)
	}
	// The other personas keep their proportions (0.45 : 0.30) in what is left.
	shares := map[string]float64{}
	for _, p := range m.Population.Personas {
		shares[p.Name] = p.Share
	}
	if shares["fan"] != 0.5 || !near(shares["regular"], 0.3) || !near(shares["occasional"], 0.2) {
		t.Errorf("shares %v; want fan 0.5, regular 0.3, occasional 0.2", shares)
	}
}

func near(a, b float64) bool { return a-b < 1e-12 && b-a < 1e-12 }

// Paths that lead nowhere say where they stopped and what is there.
func TestApplyOverrideErrors(t *testing.T) {
	src, err := scenarios.BuiltinSource("email-pressure")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		path string
		want string
	}{
		{"strategies.email_9pw.discount", `strategies.email_9pw.discount: no "email_9pw" in strategies; its elements: email_1pw, email_2pw`},
		{"populaton.size", `populaton.size: no "populaton" in the scenario; there: name, description, lesson, key, run, population`},
		{"strategies", "strategies: holds a list, not a single value"},
		{"population.size.max", `population.size.max: population.size holds a single value, so it has no "max"`},
		{"strategies.email_1pw.caps.7.max", `no "7" in strategies.email_1pw.caps`},
	} {
		_, err := scenarios.Apply(src, []scenarios.Override{{Path: tc.path, Value: scenarios.NumberValue(1)}})
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v; want one containing %q", tc.path, err, tc.want)
		}
	}
	// A new last key is allowed (a field inherited through extends); a
	// misspelt one is then caught by the compiler, with a suggestion.
	data, err := scenarios.Apply(src, []scenarios.Override{{Path: "population.sise", Value: scenarios.NumberValue(5)}})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := scenarios.Load("set.yaml", data); err == nil || !strings.Contains(err.Error(), `did you mean "size"?`) {
		t.Errorf("population.sise: load error %v; want a suggestion of size", err)
	}
	_, err = scenarios.Apply(src, []scenarios.Override{
		{Path: "population.personas.fan.share", Value: scenarios.NumberValue(0.7)},
		{Path: "population.personas.regular.share", Value: scenarios.NumberValue(0.6)},
	})
	if err == nil || !strings.Contains(err.Error(), "add up to 1.3") {
		t.Errorf("shares over 1: error %v", err)
	}
}

func TestParseOverride(t *testing.T) {
	for _, tc := range []struct {
		in   string
		path string
		want scenarios.Value
		bad  bool
	}{
		{in: "a.b=3", path: "a.b", want: scenarios.NumberValue(3)},
		{in: "strategies.omni.integration=omni", path: "strategies.omni.integration", want: scenarios.TextValue("omni")},
		{in: "x= 0.25", path: "x", want: scenarios.NumberValue(0.25)},
		{in: "x=a=b", path: "x", want: scenarios.TextValue("a=b")},
		{in: "x=NaN", path: "x", want: scenarios.TextValue("NaN")},
		{in: "novalue", bad: true},
		{in: "=3", bad: true},
		{in: "a..b=3", bad: true},
		{in: ".a=3", bad: true},
	} {
		o, err := scenarios.ParseOverride(tc.in)
		if tc.bad {
			if err == nil {
				t.Errorf("%q: accepted as %+v", tc.in, o)
			}
			continue
		}
		if err != nil || o.Path != tc.path || o.Value != tc.want {
			t.Errorf("%q: %+v, %v; want %s = %+v", tc.in, o, err, tc.path, tc.want)
		}
	}
}

// Whatever path and value, Apply either fails with an error or gives data
// that parses as YAML again; it never panics.
// The retail scenario has a chain of extends, so that paths through
// inherited triggers and caps are fuzzed too.
func FuzzApply(f *testing.F) {
	var srcs [][]byte
	for _, name := range []string{"email-pressure", "retail-omnichannel"} {
		src, err := scenarios.BuiltinSource(name)
		if err != nil {
			f.Fatal(err)
		}
		srcs = append(srcs, src)
	}
	f.Add(false, "strategies.email_7pw.caps.email.max=3")
	f.Add(false, "population.personas.fan.share=0.9")
	f.Add(false, "journey.edges.0.p=0.5")
	f.Add(false, "run=1")
	f.Add(false, `strategies."email_2pw".caps[0].max=2`)
	f.Add(true, "strategies.omnichannel.triggers.newsletter.cooldown=3")
	f.Add(true, "strategies.crosschannel.caps.email.max=5")
	f.Add(true, "strategies[crosschannel].triggers[1].delay=2")
	f.Add(true, "strategies.omnichannel.levers.x=1")
	f.Fuzz(func(t *testing.T, retail bool, set string) {
		src := srcs[0]
		if retail {
			src = srcs[1]
		}
		o, err := scenarios.ParseOverride(set)
		if err != nil {
			return
		}
		data, err := scenarios.Apply(src, []scenarios.Override{o})
		if err != nil {
			return
		}
		_, _ = scenarios.Load("fuzz.yaml", data) // may be refused, must not panic
	})
}

// A field reached through an alias is set there alone; an anchored field
// keeps its anchor; true and false set flags; two list elements of one
// name make the path ambiguous.
func TestApplyAliasesFlagsAmbiguity(t *testing.T) {
	src := []byte(`a: {x: &rate 0.05, y: *rate, z: *rate}
flag: false
caps: [{channel: email, max: 1}, {channel: email, max: 5}]
`)
	data, err := scenarios.Apply(src, []scenarios.Override{
		{Path: "a.y", Value: scenarios.NumberValue(0.1)},
		{Path: "a.x", Value: scenarios.NumberValue(0.2)},
		{Path: "flag", Value: scenarios.ParseValue("true")},
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"x: &rate 0.2", "y: 0.1", "z: *rate", "flag: true"} {
		if !strings.Contains(string(data), want) {
			t.Errorf("result lacks %q:\n%s", want, data)
		}
	}
	_, err = scenarios.Apply(src, []scenarios.Override{{Path: "caps.email.max", Value: scenarios.NumberValue(2)}})
	if err == nil || !strings.Contains(err.Error(), `"email" is the channel of elements 0 and 1; pick one by its index`) {
		t.Errorf("ambiguous path: %v", err)
	}
}

func TestScenarioWith(t *testing.T) {
	sc, err := scenarios.Open("email-pressure")
	if err != nil {
		t.Fatal(err)
	}
	changed, err := sc.With([]scenarios.Override{{Path: "population.size", Value: scenarios.NumberValue(123)}}, scenarios.Options{})
	if err != nil {
		t.Fatal(err)
	}
	if changed.Model.Population.Size != 123 || sc.Model.Population.Size == 123 {
		t.Errorf("sizes %d (changed) and %d (original); want 123 and the original's own", changed.Model.Population.Size, sc.Model.Population.Size)
	}
	if changed.Source.Origin != "builtin:email-pressure" || changed.Lesson == nil || changed.Currency != sc.Currency {
		t.Errorf("changed scenario: origin %q, lesson %v, currency %q; want the original's", changed.Source.Origin, changed.Lesson, changed.Currency)
	}
	if !strings.Contains(string(changed.Source.Data), "123") {
		t.Error("the changed scenario's text does not hold the new value")
	}

	// A value the scenario refuses: the loader's problems, named as such.
	_, err = sc.With([]scenarios.Override{{Path: "population.size", Value: scenarios.NumberValue(-5)}}, scenarios.Options{})
	var oe *scenarios.OverrideError
	var list scenarios.ErrorList
	if !errors.As(err, &oe) || !errors.As(err, &list) || !strings.HasPrefix(err.Error(), "the scenario does not load with it: ") {
		t.Errorf("err = %v (%T); want an OverrideError wrapping an ErrorList", err, err)
	}
	// A path to a whole mapping is refused before loading.
	_, err = sc.With([]scenarios.Override{{Path: "population", Value: scenarios.NumberValue(5)}}, scenarios.Options{})
	if err == nil || errors.As(err, &oe) {
		t.Errorf("err = %v; want the override's own error", err)
	}
}

// An investment is addressed by name, also when inherited through extends:
// setting it on the child copies it into the child alone.
func TestOverrideInvestment(t *testing.T) {
	src := []byte(`name: inv
run: {horizon: 10}
population: {size: 10, personas: [{name: p, share: 1}]}
channels: {web: {direction: inbound}}
journey:
  nodes: {idle: {stage: idle}, buy: {stage: buy, channel: web, purchase: true}}
  edges: [{from: idle, to: buy, p: "0.1"}, {from: buy, to: idle, p: "1"}]
strategies:
  - name: base
    investments: [{name: crm, amount: 5}]
  - name: child
    extends: base
`)
	data, err := scenarios.Apply(src, []scenarios.Override{
		{Path: "strategies.child.investments.crm.amount", Value: scenarios.NumberValue(9)},
	})
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load("set.yaml", data)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	base, child := sc.Model.Strategies[0].Investments[0], sc.Model.Strategies[1].Investments[0]
	if base.Amount != 5 || child.Amount != 9 {
		t.Errorf("base %+v, child %+v; want base 5, child 9", base, child)
	}
	_, err = scenarios.Apply(src, []scenarios.Override{{Path: "strategies.child.investments.cmr.amount", Value: scenarios.NumberValue(1)}})
	if err == nil || !strings.Contains(err.Error(), `"cmr"`) || !strings.Contains(err.Error(), "crm") {
		t.Errorf("a misspelt investment: %v; want an error naming it and the investments there", err)
	}
}
