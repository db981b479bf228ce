package scenarios_test

import (
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/scenarios"
	"gopkg.in/yaml.v3"
)

// pathsScenario has a chain of extends (child → parent → grand, the child
// written before the others), a sibling that shares the grand's caps
// through an alias, levers, and names with a dot or an = in them.
const pathsScenario = `name: paths
run: {horizon: 20, seed: 7}
population:
  size: 200
  personas:
    - name: a
      share: 1
      attributes:
        plan: {categorical: {"v1.2": 0.5, "v2.0": 0.5}}
channels:
  email: {kind: owned, direction: outbound}
  push: {kind: owned, direction: outbound}
  web: {kind: owned, direction: inbound}
journey:
  start: aware
  nodes:
    aware: {stage: aware}
    shop: {stage: buy, channel: web, purchase: true}
  edges:
    - {from: aware, to: shop, p: "0.02 + 0.01 * lever.boost"}
    - {from: shop, to: aware, p: "0.5"}
levers: {boost: 0}
strategies:
  - name: child
    extends: parent
    channels: [email, push, web]
    triggers: [{name: own, when: "tick % 5 == 0", channel: push}]
  - name: grand
    channels: [email, web]
    caps: &caps [{channel: email, max: 2, window: 7}]
    levers: {boost: 1}
    triggers:
      - {name: "v1.2", when: "tick % 7 == 0", channel: email, cooldown: 2}
      - {name: "a=b", when: "tick % 3 == 0", channel: email}
  - name: parent
    extends: grand
    description: "the middle one"
  - name: sibling
    extends: grand
    caps: *caps
`

func builtin(t *testing.T, name string) []byte {
	t.Helper()
	src, err := scenarios.BuiltinSource(name)
	if err != nil {
		t.Fatal(err)
	}
	return src
}

// effectiveOf loads data and returns its effective scenario: every
// strategy written out in full, extends resolved.
func effectiveOf(t *testing.T, data []byte) string {
	t.Helper()
	sc, err := scenarios.Load("paths.yaml", data)
	if err != nil {
		t.Fatalf("does not load: %v\n%s", err, data)
	}
	eff, err := scenarios.Effective(sc)
	if err != nil {
		t.Fatal(err)
	}
	return string(eff)
}

func parseYAML(t *testing.T, data []byte) *yaml.Node {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	return doc.Content[0]
}

func overrides(t *testing.T, sets []string) []scenarios.Override {
	t.Helper()
	var out []scenarios.Override
	for _, s := range sets {
		o, err := scenarios.ParseOverride(s)
		if err != nil {
			t.Fatalf("%s: %v", s, err)
		}
		out = append(out, o)
	}
	return out
}

// Setting a field a strategy inherits through extends changes it for that
// strategy (and for the strategies that in turn inherit it from that one),
// never for its parent or siblings. The oracle is the effective scenario,
// where every strategy is written out in full: setting the field there
// (in the strategies listed in same) must give the same model as setting
// it through extends, and something must change.
func TestApplyInherited(t *testing.T) {
	retail := builtin(t, "retail-omnichannel")
	paths := []byte(pathsScenario)
	for _, tc := range []struct {
		name string
		src  []byte
		set  []string
		same []string // the same change, in the effective scenario
	}{
		{"trigger through a chain of two", retail,
			[]string{"strategies.omnichannel.triggers.newsletter.cooldown=3"},
			[]string{"strategies.omnichannel.triggers.newsletter.cooldown=3"}},
		{"trigger of the middle strategy: its child follows, its parent does not", retail,
			[]string{"strategies.crosschannel.triggers.newsletter.cooldown=3"},
			[]string{"strategies.crosschannel.triggers.newsletter.cooldown=3", "strategies.omnichannel.triggers.newsletter.cooldown=3"}},
		{"trigger one level up", retail,
			[]string{"strategies.omnichannel.triggers.cart_recovery.delay=2"},
			[]string{"strategies.omnichannel.triggers.cart_recovery.delay=2"}},
		{"trigger by its index among those the strategy has (inherited first)", retail,
			[]string{"strategies.crosschannel.triggers.1.cooldown=10"},
			[]string{"strategies.crosschannel.triggers.cart_recovery.cooldown=10", "strategies.omnichannel.triggers.cart_recovery.cooldown=10"}},
		{"trigger, bracketed and quoted", retail,
			[]string{`strategies[omnichannel].triggers["newsletter"].cooldown=3`},
			[]string{"strategies.omnichannel.triggers.newsletter.cooldown=3"}},
		{"cap by its channel", retail,
			[]string{"strategies.crosschannel.caps.email.max=5"},
			[]string{"strategies.crosschannel.caps.email.max=5"}},
		{"cap by its index", retail,
			[]string{"strategies.crosschannel.caps.0.window=14"},
			[]string{"strategies.crosschannel.caps.0.window=14"}},
		{"a field inherited through a chain of two", retail,
			[]string{"strategies.omnichannel.quiet=tick % 7 == 5"},
			[]string{"strategies.omnichannel.quiet=tick % 7 == 5"}},
		{"parents first, whatever the order given", retail,
			[]string{"strategies.omnichannel.triggers.newsletter.cooldown=3", "strategies.multichannel.triggers.newsletter.priority=5"},
			[]string{"strategies.omnichannel.triggers.newsletter.cooldown=3", "strategies.multichannel.triggers.newsletter.priority=5",
				"strategies.crosschannel.triggers.newsletter.priority=5", "strategies.omnichannel.triggers.newsletter.priority=5"}},
		{"cap through a chain of two, the child written before its parents", paths,
			[]string{"strategies.child.caps.0.max=4"},
			[]string{"strategies.child.caps.0.max=4"}},
		{"cap shared through an alias", paths,
			[]string{"strategies.sibling.caps.email.max=5"},
			[]string{"strategies.sibling.caps.email.max=5"}},
		{"lever through a chain of two", paths,
			[]string{"strategies.child.levers.boost=3"},
			[]string{"strategies.child.levers.boost=3"}},
		{"lever of the middle strategy", paths,
			[]string{"strategies.parent.levers.boost=2"},
			[]string{"strategies.parent.levers.boost=2", "strategies.child.levers.boost=2"}},
		{"trigger with a dot in its name, quoted", paths,
			[]string{`strategies.child.triggers."v1.2".cooldown=4`},
			[]string{`strategies.child.triggers."v1.2".cooldown=4`}},
		{"trigger with a dot in its name, bracketed", paths,
			[]string{"strategies.child.triggers[v1.2].cooldown=4"},
			[]string{`strategies.child.triggers."v1.2".cooldown=4`}},
		{"trigger with an = in its name", paths,
			[]string{`strategies.child.triggers."a=b".delay=1`},
			[]string{`strategies.child.triggers."a=b".delay=1`}},
		{"map keys with a dot", paths,
			[]string{`population.personas.a.attributes.plan.categorical."v1.2"=0.3`, "population.personas.a.attributes.plan.categorical[v2.0]=0.7"},
			[]string{`population.personas.a.attributes.plan.categorical."v1.2"=0.3`, `population.personas.a.attributes.plan.categorical."v2.0"=0.7`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			before := effectiveOf(t, tc.src)
			data, err := scenarios.Apply(tc.src, overrides(t, tc.set))
			if err != nil {
				t.Fatal(err)
			}
			got := effectiveOf(t, data)
			want, err := scenarios.Apply([]byte(before), overrides(t, tc.same))
			if err != nil {
				t.Fatal(err)
			}
			if w := effectiveOf(t, want); got != w {
				t.Errorf("set through extends:\n%s\nset in the effective scenario:\n%s", got, w)
			}
			if got == before {
				t.Error("nothing changed")
			}
			// The order of the overrides does not matter.
			rev := slices.Clone(tc.set)
			slices.Reverse(rev)
			data, err = scenarios.Apply(tc.src, overrides(t, rev))
			if err != nil {
				t.Fatal(err)
			}
			if effectiveOf(t, data) != got {
				t.Errorf("%v in reverse order gives another scenario", tc.set)
			}
		})
	}
}

// The model, read directly: the child's inherited trigger and cap change,
// its parent's and grandparent's do not.
func TestApplyInheritedModel(t *testing.T) {
	retail := builtin(t, "retail-omnichannel")
	data, err := scenarios.Apply(retail, overrides(t, []string{
		"strategies.omnichannel.triggers.newsletter.cooldown=3",
		"strategies.crosschannel.caps.email.max=5",
	}))
	if err != nil {
		t.Fatal(err)
	}
	sc, err := scenarios.Load("set.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	cooldown := func(strategy string) int {
		for _, tr := range m.Strategies[m.StrategyIndex(strategy)].Triggers {
			if tr.Name == "newsletter" {
				return tr.Cooldown
			}
		}
		t.Fatalf("%s has no newsletter", strategy)
		return 0
	}
	for strategy, want := range map[string]int{"multichannel": 7, "crosschannel": 7, "omnichannel": 3} {
		if got := cooldown(strategy); got != want {
			t.Errorf("%s: newsletter cooldown %d; want %d", strategy, got, want)
		}
	}
	for strategy, want := range map[string]int{"multichannel": 2, "crosschannel": 5, "omnichannel": 2} {
		if got := m.Strategies[m.StrategyIndex(strategy)].Caps[0].Max; got != want {
			t.Errorf("%s: email cap %d; want %d", strategy, got, want)
		}
	}
}

// Without create, Resolve reads an inherited field where the strategy
// inherits it from, and changes nothing.
func TestResolveInherited(t *testing.T) {
	doc := parseYAML(t, builtin(t, "retail-omnichannel"))
	for path, want := range map[string]string{
		"strategies.omnichannel.triggers.newsletter.cooldown": "7",
		"strategies.crosschannel.caps.email.max":              "2",
		"strategies.omnichannel.quiet":                        "tick % 7 == 6",
	} {
		n, err := scenarios.Resolve(doc, path, false)
		if err != nil || n.Value != want {
			t.Errorf("%s: %v, %v; want %s", path, n, err, want)
		}
	}
	cross, err := scenarios.Resolve(doc, "strategies.crosschannel", false)
	if err != nil {
		t.Fatal(err)
	}
	for _, n := range cross.Content {
		if n.Value == "caps" || n.Value == "quiet" {
			t.Errorf("Resolve without create added %s to crosschannel", n.Value)
		}
	}
}

// Paths that cannot be read, or lead nowhere, say which path, where in it
// and what is allowed there, inherited names included.
func TestApplyPathErrors(t *testing.T) {
	retail := builtin(t, "retail-omnichannel")
	for _, tc := range []struct {
		path string
		want string
	}{
		{"strategies.omnichannel.triggers.newsleter.cooldown",
			`strategies.omnichannel.triggers.newsleter.cooldown: no "newsleter" in strategies.omnichannel.triggers; its elements, those inherited through extends included: newsletter, cart_recovery, cart_recovery_push, browse_abandonment, winback, email, push, ads (or an index from 0 to 4); did you mean "newsletter"?`},
		{"strategies.crosschannel.capz.email.max",
			`strategies.crosschannel.capz.email.max: no "capz" in strategies.crosschannel; there: name, description, extends, integration, triggers; inherited through extends: channels, caps, quiet; did you mean "caps"?`},
		{"strategies.crosschannel.caps.push.max",
			`strategies.crosschannel.caps.push.max: no "push" in strategies.crosschannel.caps; its elements: email (or an index from 0 to 0)`},
		{"strategies.crosschannel.triggers.email.cooldown",
			`strategies.crosschannel.triggers.email.cooldown: "email" is the channel of elements 0 and 1; pick one by its index in strategies.crosschannel.triggers`},
		{"strategies.crosschannel.triggers.2.cooldown",
			`strategies.crosschannel.triggers.2.cooldown: no "2" in strategies.crosschannel.triggers; its elements, those inherited through extends included: newsletter, cart_recovery, email (or an index from 0 to 1)`},
		{"strategies.store_only.triggers.newsletter.cooldown",
			`strategies.store_only.triggers.newsletter.cooldown: no "triggers" in strategies.store_only; there: name, description, channels, integration`},
		{"strategies.omnichannel.levers.boost.max",
			`strategies.omnichannel.levers.boost.max: no "boost" in strategies.omnichannel.levers: the strategy sets no lever, nor do those it extends`},
		{"strategies.omnichannel.triggers.newsletter",
			`strategies.omnichannel.triggers.newsletter: holds a mapping, not a single value; name a field inside it`},
		{`strategies."omnichannel.discount`,
			`strategies."omnichannel.discount: the quote at column 12 is not closed; end the name with " (and write \" for a quote inside it)`},
		{"strategies..discount",
			`strategies..discount: empty name at column 12; a path is names joined by single dots, such as strategies.omni.discount`},
		{"strategies.omnichannel.",
			`strategies.omnichannel.: empty name at column 24; a path is names joined by single dots, such as strategies.omni.discount`},
		{"strategies[omnichannel.discount",
			`strategies[omnichannel.discount: the [ at column 11 is not closed; write [NAME], such as [v1.2]`},
		{"strategies[].discount",
			`strategies[].discount: empty [] at column 11; put a name or an index inside`},
		{`strategies."omnichannel"discount`,
			`strategies."omnichannel"discount: at column 25: want . or [ or the end of the path after a quoted or bracketed name, not "d"`},
		{`strategies.omni"channel".discount`,
			`strategies.omni"channel".discount: a quote at column 16 inside a name; quote the whole name instead, such as "v1.2"`},
		{"strategies.omnichannel].discount",
			`strategies.omnichannel].discount: ] at column 23 closes no [`},
		{`strategies."omni\channel".discount`,
			`strategies."omni\channel".discount: the quoted name at column 12 has a bad escape or control character; inside quotes write \" for a quote, \\ for a backslash and \n, \t or \uXXXX for other characters`},
		{`strategies."".discount`,
			`strategies."".discount: empty name at column 12; a name in quotes must not be empty`},
		{`strategies[omni"channel].discount`,
			`strategies[omni"channel].discount: a quote at column 16 inside [...]; write a name holding it in quotes, such as ["a[b"] or "a[b"`},
		{"strategies.child.triggers.v1.cooldown",
			`strategies.child.triggers.v1.cooldown: no "v1" in strategies.child.triggers; its elements, those inherited through extends included: "v1.2", "a=b", own, email, push (or an index from 0 to 2)`},
		{"strategies.child.levers.bost.x",
			`strategies.child.levers.bost.x: no "bost" in strategies.child.levers; the levers it sets, those inherited through extends included: boost; did you mean "boost"?`},
	} {
		src := retail
		if strings.HasPrefix(tc.path, "strategies.child.") {
			src = []byte(pathsScenario)
		}
		_, err := scenarios.Apply(src, []scenarios.Override{{Path: tc.path, Value: scenarios.NumberValue(1)}})
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s:\n got %v\nwant %s", tc.path, err, tc.want)
		}
	}
}

func TestParsePath(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
		col  int // of the error, if any
	}{
		{in: "strategies.omni.discount", want: []string{"strategies", "omni", "discount"}},
		{in: `strategies."v1.2".discount`, want: []string{"strategies", "v1.2", "discount"}},
		{in: "strategies[v1.2].discount", want: []string{"strategies", "v1.2", "discount"}},
		{in: "strategies.[v1.2].discount", want: []string{"strategies", "v1.2", "discount"}},
		{in: `a["x]y"][0]`, want: []string{"a", "x]y", "0"}},
		{in: `"a\"b\\c"`, want: []string{`a"b\c`}},
		{in: `"é.ü\u00e9"`, want: []string{"é.üé"}},
		{in: "caps[0].max", want: []string{"caps", "0", "max"}},
		{in: "a b.c", want: []string{"a b", "c"}},
		{in: "a.[b=c]", want: []string{"a", "b=c"}},
		{in: "a.b=c", col: 4},
		{in: "a. b", col: 3},
		{in: "a .b", col: 2},
		{in: "a.b\u00a0", col: 4},
		{in: "", col: 1},
		{in: ".a", col: 1},
		{in: "a..b", col: 3},
		{in: "é.", col: 3},
		{in: `a."b`, col: 3},
		{in: `a["b"`, col: 2},
		{in: `a["b"x]`, col: 2},
	} {
		got, err := scenarios.ParsePath(tc.in)
		if tc.col > 0 {
			pe, ok := err.(*scenarios.PathError)
			if !ok || pe.Column != tc.col || pe.Path != tc.in {
				t.Errorf("%q: %v, %v; want an error at column %d", tc.in, got, err, tc.col)
			}
			continue
		}
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%q: %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
}

func TestFormatPath(t *testing.T) {
	for _, tc := range []struct {
		segs []string
		want string
	}{
		{[]string{"strategies", "omni", "discount"}, "strategies.omni.discount"},
		{[]string{"strategies", "v1.2", "discount"}, `strategies."v1.2".discount`},
		{[]string{"a=b", `q"[x]`, " pad", "tab\t"}, `"a=b"."q\"[x]"." pad"."tab\t"`},
	} {
		if got := scenarios.FormatPath(tc.segs); got != tc.want {
			t.Errorf("%q: %s; want %s", tc.segs, got, tc.want)
		}
	}
}

// ParseOverride splits PATH=VALUE at the first = outside quotes and
// brackets, and reports a bad path as such.
func TestParseOverridePaths(t *testing.T) {
	for _, tc := range []struct {
		in, path, value, err string
	}{
		{in: `strategies."a=b".x=1`, path: `strategies."a=b".x`, value: "1"},
		{in: `strategies[a=b].x=c=d`, path: `strategies[a=b].x`, value: "c=d"},
		{in: ` strategies."v1.2".discount = 0.1`, path: `strategies."v1.2".discount`, value: "0.1"},
		{in: `strategies."v1.2.discount=0.1`, err: `strategies."v1.2.discount: the quote at column 12 is not closed; end the name with " (and write \" for a quote inside it)`},
		{in: `strategies..discount=0.1`, err: `strategies..discount: empty name at column 12; a path is names joined by single dots, such as strategies.omni.discount`},
		{in: `strategies.omni.discount`, err: `"strategies.omni.discount": want PATH=VALUE, such as strategies.omni.discount=0.1`},
	} {
		o, err := scenarios.ParseOverride(tc.in)
		if tc.err != "" {
			if err == nil || err.Error() != tc.err {
				t.Errorf("%q:\n got %v\nwant %s", tc.in, err, tc.err)
			}
			continue
		}
		if err != nil || o.Path != tc.path || o.Value.String() != tc.value {
			t.Errorf("%q: %+v, %v; want %s = %s", tc.in, o, err, tc.path, tc.value)
		}
	}
}

// ParsePath never panics; a path it reads, formatted again, reads back as
// the same segments, also as the PATH of --set PATH=VALUE.
func FuzzParsePath(f *testing.F) {
	for _, s := range []string{
		"strategies.omni.discount", `strategies."v1.2".discount`, "strategies[v1.2].discount",
		`a["x]y"][0]`, `"a\"b\\c"`, `"\xff\u00e9"`, "a..b", `a."b`, "[", `"`, ".", "a]", " a . b ", "a=b",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, path string) {
		segs, err := scenarios.ParsePath(path)
		if err != nil {
			pe, ok := err.(*scenarios.PathError)
			if !ok || pe.Path != path || pe.Column < 1 || pe.Column > len([]rune(path))+1 || !strings.HasPrefix(err.Error(), path+": ") {
				t.Fatalf("%q: error %v (%T) does not name the path and a column in it", path, err, err)
			}
			return
		}
		if len(segs) == 0 || slices.Contains(segs, "") {
			t.Fatalf("%q: segments %q", path, segs)
		}
		formatted := scenarios.FormatPath(segs)
		again, err := scenarios.ParsePath(formatted)
		if err != nil || !slices.Equal(again, segs) {
			t.Fatalf("%q → %q → %s → %q, %v", path, segs, formatted, again, err)
		}
		// A path as written (an experiment's key) and as formatted both go
		// through --set PATH=VALUE whole.
		for _, p := range []string{path, formatted} {
			o, err := scenarios.ParseOverride(p + "=1")
			if err != nil || o.Path != p || o.Value != scenarios.NumberValue(1) {
				t.Fatalf("--set %s=1: %+v, %v; want the path %q and the value 1", p, o, err, p)
			}
		}
	})
}
