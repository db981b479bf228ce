package scenarios

import (
	"errors"
	"fmt"
	"os"
	"runtime"
	"slices"
	"strings"
	"testing"
)

func baseSource(t testing.TB) string {
	t.Helper()
	b, err := os.ReadFile("testdata/base.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// posOfText returns the 1-based line and column of the nth (0-based)
// occurrence of marker in src.
func posOfText(t testing.TB, src, marker string, nth int) Pos {
	t.Helper()
	off := 0
	for k := 0; ; k++ {
		i := strings.Index(src[off:], marker)
		if i < 0 {
			t.Fatalf("marker %q (occurrence %d) not in the source", marker, nth)
		}
		if k == nth {
			off += i
			break
		}
		off += i + len(marker)
	}
	line := 1 + strings.Count(src[:off], "\n")
	col := 1 + len([]rune(src[strings.LastIndex(src[:off], "\n")+1:off]))
	return Pos{Line: line, Column: col}
}

// edit is a change to the base scenario: old replaced by new, once.
type edit struct{ old, new string }

func apply(t testing.TB, src string, edits ...edit) string {
	t.Helper()
	for _, e := range edits {
		if !strings.Contains(src, e.old) {
			t.Fatalf("%q is not in the scenario", e.old)
		}
		src = strings.Replace(src, e.old, e.new, 1)
	}
	return src
}

func errorList(t testing.TB, err error) ErrorList {
	t.Helper()
	var list ErrorList
	if !errors.As(err, &list) {
		t.Fatalf("error %v (%T) is not an ErrorList", err, err)
	}
	return list
}

func TestBaseScenarioLoads(t *testing.T) {
	sc, err := Load("base.yaml", []byte(baseSource(t)))
	if err != nil {
		t.Fatal(err)
	}
	m := sc.Model
	if len(m.Strategies) != 2 || len(m.Channels) != 3 || len(m.Nodes) != 2 || m.Horizon != 20 {
		t.Fatalf("unexpected model: %d strategies, %d channels, %d nodes, horizon %d", len(m.Strategies), len(m.Channels), len(m.Nodes), m.Horizon)
	}
	// extends: more inherits base's trigger.
	if n := len(m.Strategies[1].Triggers); n != 1 {
		t.Errorf("strategy more has %d triggers, want base's 1", n)
	}
}

// Each bad scenario must be rejected with one error (at least) at the
// marker's position, saying what is wrong.
func TestBadScenarios(t *testing.T) {
	cases := []struct {
		name   string
		edits  []edit
		marker string // where the error must point
		nth    int    // which occurrence of marker
		want   []string
	}{
		{"strategy name with markup", []edit{{"  - name: more\n", "  - name: \"<script>more\"\n"}}, "\"<script>", 0,
			[]string{`strategy name "<script>more": use letters, digits, - and _ only`}},
		{"strategy name turning text right to left", []edit{{"  - name: more\n", "  - name: \"mo\u202Ere\"\n"}}, "\"mo", 0,
			[]string{`strategy name "mo\u202ere": use letters, digits, - and _ only`}},
		{"persona name with a space", []edit{{"    - name: b\n", "    - name: b b\n"}}, "b b", 0,
			[]string{`persona name "b b": use letters, digits, - and _ only`}},
		{"channel name too long", []edit{{"  push: {kind", "  " + strings.Repeat("p", 100) + ": {kind"}, {"channels: [email, push, web]", "channels: [email, web]"}}, strings.Repeat("p", 100), 0,
			[]string{`channel name "pppppppppppppppppppp"… is 100 characters long; at most 64 are allowed`}},
		{"tolerance that is always 0", []edit{{"      consent: {email: 1}\n", "      consent: {email: 1}\n      tolerance: {uniform: [0, 0]}\n"}}, "[0, 0]", 0,
			[]string{"tolerance: a uniform distribution that takes values from 0 to 0, none of them allowed; allowed: 1e-09 to +Inf"}},
		{"a second YAML document", []edit{{"    extends: base\n    channels: [email, push, web]\n", "    extends: base\n    channels: [email, push, web]\n---\nname: another\n"}}, "---", 0,
			[]string{"a second YAML document starts here, and a file holds one"}},
		{"unknown lever in an expression", []edit{{"strategies:\n", "levers: {reach: 0}\nstrategies:\n"}, {`p: "0.5"`, `p: "0.5 * lever.raech"`}}, "raech", 0,
			[]string{`unknown lever "raech"`, "levers: reach", `did you mean "reach"?`}},
		{"lever without levers", []edit{{`p: "0.5"`, `p: "0.5 * lever.reach"`}}, "reach", 0,
			[]string{`unknown lever "reach"`, "declares no levers"}},
		{"unknown lever in a strategy", []edit{{"strategies:\n", "levers: {reach: 0}\nstrategies:\n"}, {"    extends: base\n", "    extends: base\n    levers: {rech: 1}\n"}}, "rech", 0,
			[]string{"strategies.more: unknown lever \"rech\"", "levers: reach"}},
		{"lever value of the wrong type", []edit{{"strategies:\n", "levers: {reach: 0}\nstrategies:\n"}, {"    extends: base\n", "    extends: base\n    levers: {reach: high}\n"}}, "high", 0,
			[]string{"expected a number", `"high"`}},
		{"costed lever below 0", []edit{{"strategies:\n", "levers: {reach: {value: 0, cost_per_tick: 5}}\nstrategies:\n"}, {"    extends: base\n", "    extends: base\n    levers: {reach: -1}\n"}}, "-1", 0,
			[]string{"lever reach -1 is out of range", "allowed: 0 or more"}},
		{"lever value above its max", []edit{{"strategies:\n", "levers: {reach: {value: 0, min: 0, max: 1}}\nstrategies:\n"}, {"    extends: base\n", "    extends: base\n    levers: {reach: 1.5}\n"}}, "1.5", 0,
			[]string{"lever reach 1.5 is out of range", "allowed: 0 to 1"}},
		{"lever default outside its range", []edit{{"strategies:\n", "levers: {reach: {value: 3, max: 2}}\nstrategies:\n"}}, "3,", 0,
			[]string{"lever reach value 3 is out of range", "allowed: 2 or less"}},
		{"lever max below its min", []edit{{"strategies:\n", "levers: {reach: {value: 0, min: 0, max: -1}}\nstrategies:\n"}}, "-1}", 0,
			[]string{"lever reach max -1 is out of range", "allowed: 0 or more"}},
		{"negative lever cost", []edit{{"strategies:\n", "levers: {reach: {value: 0, cost_per_tick: -5}}\nstrategies:\n"}}, "-5", 0,
			[]string{"cost_per_tick -5 is out of range"}},
		{"unknown key in a lever", []edit{{"strategies:\n", "levers: {reach: {value: 0, cost: 5}}\nstrategies:\n"}}, "cost:", 0,
			[]string{`unknown key "cost"`, "cost_per_tick"}},
		{"lever name with a dash", []edit{{"strategies:\n", "levers: {re-ach: 0}\nstrategies:\n"}}, "re-ach", 0,
			[]string{`lever name "re-ach"`}},
		{"negative per-customer cost", []edit{{"  push: {kind", "  push: {cost_per_customer: -0.5, kind"}}, "-0.5", 0,
			[]string{"cost_per_customer -0.5 is out of range", "allowed: 0 or more"}},
		{"negative service level", []edit{{"  push: {kind", "  push: {service_level_seconds: -20, kind"}}, "-20", 0,
			[]string{"service_level_seconds -20 is out of range", "allowed: 0 to 86400"}},
		{"service level longer than a day", []edit{{"  push: {kind", "  push: {service_level_seconds: 1e6, kind"}}, "1e6", 0,
			[]string{"service_level_seconds 1e+06 is out of range", "allowed: 0 to 86400"}},
		{"service level in words", []edit{{"  push: {kind", "  push: {service_level_seconds: twenty, kind"}}, "twenty", 0,
			[]string{"expected a number", `"twenty"`}},
		{"noun with markup", []edit{{"  push: {kind", "  push: {noun: \"<b>call\", kind"}}, "\"<b>", 0,
			[]string{`noun "<b>call" is not allowed`, "allowed: a singular noun of letters, spaces and hyphens, at most 32 characters"}},
		{"empty noun", []edit{{"  push: {kind", "  push: {noun: \"\", kind"}}, "\"\"", 0,
			[]string{`noun "" is not allowed`}},
		{"cost on a node without a channel", []edit{{"aware: {stage: aware}", "aware: {stage: aware, cost: \"5\"}"}}, "\"5\"", 0,
			[]string{"nodes.aware.cost: a visit's cost is counted on the node's channel, and aware has none"}},
		{"negative cost", []edit{{"shop: {stage: buy,", "shop: {cost: \"-2\", stage: buy,"}}, "\"-2\"", 0,
			[]string{"nodes.shop.cost: -2 is out of range; allowed: 0 or more"}},
		{"review of a node without satisfaction", []edit{{"shop: {stage: buy,", "shop: {review: \"0.1\", stage: buy,"}}, "\"0.1\"", 0,
			[]string{"nodes.shop.review: a review posts a visit's satisfaction (CSAT) as stars, and shop has no satisfaction"}},
		{"review probability above 1", []edit{{"shop: {stage: buy,", "shop: {satisfaction: \"4\", review: \"1.5\", stage: buy,"}}, "\"1.5\"", 0,
			[]string{"nodes.shop.review: probability 1.5 is out of range; allowed: 0 to 1"}},
		{"earlier reviews without a rating", []edit{{"strategies:\n", "reviews: {count: 40}\nstrategies:\n"}}, "40", 0,
			[]string{"reviews.rating 0: the mean stars of 40 earlier reviews must be 1 to 5"}},
		{"review rating above 5", []edit{{"strategies:\n", "reviews: {rating: 6, count: 40}\nstrategies:\n"}}, "6,", 0,
			[]string{"reviews.rating 6 is out of range"}},
		{"survey sample above 1", []edit{{"strategies:\n", "survey: {sample: 2}\nstrategies:\n"}}, "2}", 0,
			[]string{"survey.sample 2 is out of range", "allowed: 0 to 1"}},
		{"survey response that is not a probability", []edit{{"strategies:\n", "survey: {sample: 0.1, response: \"2\"}\nstrategies:\n"}}, "\"2\"", 0,
			[]string{"survey.response: probability 2 is out of range; allowed: 0 to 1"}},
		{"recovery weight above 20", []edit{{"strategies:\n", "loyalty: {recovery_weight: 50}\nstrategies:\n"}}, "50", 0,
			[]string{"recovery_weight 50 is out of range", "allowed: 0 to 20"}},
		{"negative recovery window", []edit{{"strategies:\n", "loyalty: {recovery_window: -1}\nstrategies:\n"}}, "-1", 0,
			[]string{"recovery_window -1 is out of range"}},
		{"empty key list", []edit{{"strategies:\n", "key: []\nstrategies:\n"}}, "[]", 0,
			[]string{"key: 0 outcomes; allowed 1 to 8"}},
		{"key outcome listed twice", []edit{{"strategies:\n", "key: [profit, revenue, profit]\nstrategies:\n"}}, "profit]", 0,
			[]string{"key: profit is listed twice"}},
		{"key outcome not a name", []edit{{"strategies:\n", "key: [profit, {a: 1}]\nstrategies:\n"}}, "{a", 0,
			[]string{"expected"}},
		{"investment without a name", []edit{{"    extends: base\n", "    extends: base\n    investments: [{amount: 1000}]\n"}}, "{amount", 0,
			[]string{"strategies.more.investments: an investment needs a name"}},
		{"investment without an amount", []edit{{"    extends: base\n", "    extends: base\n    investments: [{name: crm, tick: 3}]\n"}}, "{name: crm", 0,
			[]string{"strategies.more.investments.crm: missing amount"}},
		{"negative investment", []edit{{"    extends: base\n", "    extends: base\n    investments: [{name: crm, amount: -5}]\n"}}, "-5", 0,
			[]string{"investments.crm amount -5 is out of range", "allowed: 0 to 1e+15"}},
		{"investment paid before the start", []edit{{"    extends: base\n", "    extends: base\n    investments: [{name: crm, amount: 5, tick: -1}]\n"}}, "-1", 0,
			[]string{"investments.crm tick -1 is out of range", "allowed: 0 to 99999"}},
		{"investment life in fractions", []edit{{"    extends: base\n", "    extends: base\n    investments: [{name: crm, amount: 5, life: 2.5}]\n"}}, "2.5", 0,
			[]string{"expected a whole number", `"2.5"`}},
		{"investment given twice", []edit{{"    extends: base\n", "    extends: base\n    investments: [{name: crm, amount: 5}, {name: crm, amount: 6}]\n"}}, "crm, amount: 6", 0,
			[]string{`investment "crm" is given twice`}},
		{"unknown key in an investment", []edit{{"    extends: base\n", "    extends: base\n    investments: [{name: crm, amount: 5, years: 3}]\n"}}, "years", 0,
			[]string{`unknown key "years"`, "allowed: name, amount, tick, life"}},
		{"investments not a list", []edit{{"    extends: base\n", "    extends: base\n    investments: {name: crm, amount: 5}\n"}}, "{name: crm, amount: 5}\n", 0,
			[]string{"expected a list"}},
		{"lever investment below 0", []edit{{"strategies:\n", "levers: {crm: {value: 0, investments: [{name: licence, amount: -3}]}}\nstrategies:\n"}}, "-3", 0,
			[]string{"levers.crm.investments.licence amount -3 is out of range"}},
		{"unknown key", []edit{{"  seed: 7", "  sead: 7"}}, "sead", 0,
			[]string{`unknown key "sead"`, "allowed: horizon, tick, seed, replications"}},
		{"unknown top-level key", []edit{{"run:\n", "rnu:\n"}}, "rnu", 0,
			[]string{`unknown key "rnu"`}},
		{"wrong type: text for a number", []edit{{"horizon: 20", "horizon: lots"}}, "lots", 0,
			[]string{"expected a whole number", `"lots"`}},
		{"wrong type: fraction for a whole number", []edit{{"size: 100", "size: 10.5"}}, "10.5", 0,
			[]string{"expected a whole number", `"10.5"`}},
		{"wrong type: list for a mapping", []edit{{"run:\n  horizon: 20\n  seed: 7", "run: [20, 7]"}}, "[20", 0,
			[]string{"expected a mapping", "a list"}},
		{"wrong type: text for true or false", []edit{{"purchase: true", "purchase: maybe"}}, "maybe", 0,
			[]string{"expected true or false", `"maybe"`}},
		{"horizon out of range", []edit{{"horizon: 20", "horizon: 0"}}, "0\n", 0,
			[]string{"horizon 0 is out of range", "allowed: 1 to"}},
		{"constant edge probability above 1", []edit{{`p: "0.5"`, `p: "1.5"`}}, `"1.5"`, 0,
			[]string{"probability 1.5 is out of range", "allowed: 0 to 1"}},
		{"edge after a computed edge and a certain one", []edit{{`    - {from: shop, to: aware, p: "0.5"}`,
			"    - {from: shop, to: aware, p: \"0.5 * income\"}\n    - {from: shop, to: aware, p: \"1\"}\n    - {from: shop, to: shop, p: \"0.2\"}"}}, `"0.2"`, 0,
			[]string{"journey.edges[3]: from node shop, this tick edge (its 3rd) can never be taken: the fixed probabilities of the edges before it already add up to 1"}},
		{"constant edge probability below 0", []edit{{`p: "0.5"`, `p: "0.5 - 1"`}}, `"0.5 - 1"`, 0,
			[]string{"probability -0.5 is out of range"}},
		{"consent outside 0 to 1", []edit{{"consent: {email: 1}", "consent: {email: 1.2}"}}, "1.2", 0,
			[]string{"consent.email 1.2 is out of range", "allowed: 0 to 1"}},
		{"unknown channel on a node", []edit{{"channel: web, purchase", "channel: wbe, purchase"}}, "wbe", 0,
			[]string{`unknown channel "wbe"`, "channels: email, push, web"}},
		{"unknown channel in consent", []edit{{"consent: {email: 1}", "consent: {emial: 1}"}}, "emial", 0,
			[]string{`unknown channel "emial"`}},
		{"unknown channel in a strategy", []edit{{"channels: [email, web]", "channels: [email, wbe]"}}, "wbe", 0,
			[]string{`unknown channel "wbe"`}},
		{"unknown node in an edge", []edit{{"to: shop", "to: shpo"}}, "shpo", 0,
			[]string{`unknown node "shpo"`, "nodes: aware, shop"}},
		{"unknown start node", []edit{{"start: aware", "start: awear"}}, "awear", 0,
			[]string{`unknown node "awear"`}},
		{"unknown stage in an expression", []edit{{`when: "tick % 7 == 0"`, `when: 'stage == "nosuch"'`}}, `"nosuch"`, 0,
			[]string{`stage is never "nosuch"`, `allowed: "aware", "buy"`}},
		{"unknown level of a categorical attribute", []edit{{`p: "0.5"`, `p: 'tier == "platinum" ? 0.5 : 0'`}}, `"platinum"`, 0,
			[]string{`tier is never "platinum"`}},
		{"unknown attribute", []edit{{`when: "tick % 7 == 0"`, `when: "incme > 0.5"`}}, "incme", 0,
			[]string{"unknown name incme"}},
		{"unknown channel in an expression", []edit{{`when: "tick % 7 == 0"`, `when: "fatigue.nosuch > 1"`}}, "nosuch", 0,
			[]string{`unknown channel "nosuch"`}},
		{"expression syntax", []edit{{`p: "0.01 + 0.02 * income"`, `p: "0.01 + * income"`}}, "* income", 0,
			[]string{"journey.edges[0].p", "unexpected token"}},
		{"number where a boolean is needed", []edit{{`when: "tick % 7 == 0"`, `when: "income * 2"`}}, "income * 2", 0,
			[]string{"strategies.base.triggers.hello.when", "must be a boolean"}},
		{"boolean where a number is needed", []edit{{`p: "0.5"`, `p: "income > 0.5"`}}, "income > 0.5", 0,
			[]string{"journey.edges[1].p", "must be a number"}},
		{"plain expression", []edit{{`p: "0.5"`, `p: income > 0.5`}}, "income > 0.5", 0,
			[]string{"must be a number"}},
		{"trigger on an inbound channel", []edit{{"channel: email}", "channel: web}"}}, "web}", 0,
			[]string{"channel web is inbound", "outbound"}},
		{"trigger channel not switched on", []edit{{"channel: email}", "channel: push}"}}, "push}", 0,
			[]string{"channel push is not switched on in strategy base", "its channels: email, web"}},
		{"extends cycle", []edit{{"  - name: base\n", "  - name: base\n    extends: more\n"}}, "more\n", 0,
			[]string{"strategy base extends itself"}},
		{"extends itself", []edit{{"extends: base", "extends: more"}}, "more\n", 1,
			[]string{"strategy more extends itself"}},
		{"unknown extends", []edit{{"extends: base", "extends: nosuch"}}, "nosuch", 0,
			[]string{`extends unknown strategy "nosuch"`, "strategies: base, more"}},
		{"bad distribution parameters", []edit{{"income: {uniform: [0, 1]}", "income: {beta: [0, 1]}"}}, "[0, 1]", 0,
			[]string{"attribute income", "beta", "above 0"}},
		{"unknown distribution key", []edit{{"income: {uniform: [0, 1]}", "income: {uniform: [0, 1], mean: 2}"}}, "mean", 0,
			[]string{`unknown key "mean"`}},
		{"duplicate key", []edit{{"  size: 100", "  size: 100\n  size: 200"}}, "size", 1,
			[]string{`"size" is given twice`}},
		{"duplicate channel", []edit{{"  web: {kind", "  email: {kind: owned}\n  web: {kind"}}, "email", 2,
			[]string{`"email" is given twice`}},
		{"unknown channel kind", []edit{{"  email: {kind: owned", "  email: {kind: earned2"}}, "earned2", 0,
			[]string{`unknown channel kind "earned2"`, "allowed: owned, paid, earned, shared"}},
		{"unknown behaviour parameter", []edit{{"push: {kind: owned, direction: outbound}", "push: {kind: owned, direction: outbound, behaviour: {params: {rte: 0.1}}}"}}, "rte", 0,
			[]string{`no parameter "rte"`}},
		{"behaviour parameter out of range", []edit{{"push: {kind: owned, direction: outbound}", "push: {kind: owned, direction: outbound, behaviour: {params: {rate: 2}}}"}}, "2}", 0,
			[]string{"rate = 2 is out of range", "allowed: 0 to 1"}},
		{"quiet reads more than tick", []edit{{"    channels: [email, web]\n", "    channels: [email, web]\n    quiet: \"loyalty > 0.5\"\n"}}, `"loyalty > 0.5"`, 0,
			[]string{"quiet may use only tick"}},
		{"cap window too long", []edit{{"    channels: [email, web]\n", "    channels: [email, web]\n    caps: [{max: 1, window: 65}]\n"}}, "65", 0,
			[]string{"cap window 65 is out of range", "allowed: 1 to 64"}},
		{"cap without window", []edit{{"    channels: [email, web]\n", "    channels: [email, web]\n    caps: [{max: 1}]\n"}}, "{max", 0,
			[]string{"a cap needs window"}},
		{"reserved attribute name", []edit{{"income: {uniform: [0, 1]}", "tick: {uniform: [0, 1]}"}}, "tick:", 0,
			[]string{`attribute name "tick" is taken`}},
		{"persona without a share", []edit{{"      share: 0.4\n", ""}}, "name: b", 0,
			[]string{"persona b: missing share"}},
		{"missing trigger channel", []edit{{", channel: email}", "}"}}, "{name: hello", 0,
			[]string{"missing channel"}},
		{"empty expression", []edit{{`p: "0.5"`, `p: " "`}}, `" "`, 0,
			[]string{"the expression is empty"}},
		{"journey without nodes", []edit{
			{"  nodes:\n    aware: {stage: aware}\n    shop: {stage: buy, channel: web, purchase: true}\n", ""},
			{"  edges:\n    - {from: aware, to: shop, p: \"0.01 + 0.02 * income\"}\n    - {from: shop, to: aware, p: \"0.5\"}\n", ""},
		}, "start: aware", 0, []string{"no journey nodes"}},
		{"YAML syntax: tab", []edit{{"  horizon: 20", "\thorizon: 20"}}, "\thorizon", 0,
			[]string{"YAML syntax"}},
	}
	base := baseSource(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := apply(t, base, tc.edits...)
			m, err := safeLoad(t, "bad.yaml", []byte(src))
			if err == nil {
				t.Fatalf("loaded; strategies %d", len(m.Model.Strategies))
			}
			if m != nil {
				t.Error("a model came back with the error")
			}
			list := errorList(t, err)
			at := posOfText(t, src, tc.marker, tc.nth)
			var atPos []*Error
			for _, e := range list {
				if e.Message == "" || e.File != "bad.yaml" {
					t.Errorf("bad entry %#v", e)
				}
				if e.Pos == at {
					atPos = append(atPos, e)
				}
			}
			if len(atPos) == 0 {
				t.Fatalf("no error at %d:%d (%q); got:\n%v", at.Line, at.Column, tc.marker, err)
			}
			says := func(e *Error) bool {
				for _, w := range tc.want {
					if !strings.Contains(e.Message, w) {
						return false
					}
				}
				return true
			}
			if !slices.ContainsFunc(atPos, says) {
				t.Errorf("no error at %d:%d says all of %q:\n%v", at.Line, at.Column, tc.want, err)
			}
			prefix := fmt.Sprintf("bad.yaml:%d:%d: ", at.Line, at.Column)
			if !strings.Contains(err.Error(), prefix) {
				t.Errorf("message lacks %q:\n%v", prefix, err)
			}
		})
	}
}

// Persona shares that do not add up to 1 are reported at the first
// persona's share and say what they add up to.
func TestSharesMustAddUp(t *testing.T) {
	src := apply(t, baseSource(t), edit{"share: 0.4", "share: 0.3"})
	_, err := Load("bad.yaml", []byte(src))
	list := errorList(t, err)
	if len(list) != 1 {
		t.Fatalf("%d errors, want 1:\n%v", len(list), err)
	}
	e := list[0]
	share := posOfText(t, src, "share:", 0)
	share.Column += len("share: ")
	if e.Pos != share {
		t.Errorf("error at %d:%d, want the first share (%d:%d)", e.Line, e.Column, share.Line, share.Column)
	}
	if !strings.Contains(e.Message, "must add up to 1") {
		t.Errorf("message %q", e.Message)
	}
	if !strings.Contains(e.Message, "add up to 0.9;") {
		t.Errorf("shares 0.6 + 0.3 are reported with float noise: %q", e.Message)
	}
}

// Positions inside a multi-line (literal block) expression map to the
// file: line and column of the offending token.
func TestBlockExpressionPositions(t *testing.T) {
	src := apply(t, baseSource(t), edit{`      - {name: hello, when: "tick % 7 == 0", channel: email}`, `      - name: hello
        channel: email
        when: |
          tick > 1 &&
            fatigue.nosuch > 1`})
	_, err := Load("bad.yaml", []byte(src))
	list := errorList(t, err)
	at := posOfText(t, src, "nosuch", 0)
	for _, e := range list {
		if strings.Contains(e.Message, `unknown channel "nosuch"`) {
			if e.Pos != at {
				t.Errorf("error in a literal block expression at %d:%d, want %d:%d", e.Line, e.Column, at.Line, at.Column)
			}
			return
		}
	}
	t.Fatalf("no unknown channel error:\n%v", err)
}

// Positions inside a double-quoted expression with escapes.
func TestQuotedEscapePositions(t *testing.T) {
	src := apply(t, baseSource(t), edit{`when: "tick % 7 == 0"`, `when: "stage == \"nosuch\""`})
	_, err := Load("bad.yaml", []byte(src))
	list := errorList(t, err)
	at := posOfText(t, src, `\"nosuch`, 0)
	for _, e := range list {
		if strings.Contains(e.Message, `stage is never "nosuch"`) {
			if e.Pos != at {
				t.Errorf("error in a double-quoted expression with escapes at %d:%d, want %d:%d", e.Line, e.Column, at.Line, at.Column)
			}
			return
		}
	}
	t.Fatalf("no error about stage:\n%v", err)
}

// A YAML syntax error is reported on the line where it is.
func TestYAMLSyntaxLine(t *testing.T) {
	cases := []struct {
		src  string
		line []int // acceptable lines
	}{
		{"name: x\nrun:\n\thorizon: 3\n", []int{3}},
		{"name: x\n  bad: 1\n", []int{2}},
		{"name: x\nrun: [\nfoo: 1\n", []int{2, 3}},
		{"name: x\nrun: {horizon: 3\nfoo: 1\n", []int{2, 3}},
	}
	for _, tc := range cases {
		_, err := Load("bad.yaml", []byte(tc.src))
		list := errorList(t, err)
		if len(list) != 1 || !strings.Contains(list[0].Message, "YAML syntax") {
			t.Fatalf("%q: %v", tc.src, err)
		}
		ok := false
		for _, l := range tc.line {
			ok = ok || list[0].Line == l
		}
		if !ok {
			t.Errorf("%q: reported at line %d, want one of %v", tc.src, list[0].Line, tc.line)
		}
	}
}

// Several errors in one file are all reported at once, in file order.
func TestSeveralErrorsAtOnce(t *testing.T) {
	base := baseSource(t)
	t.Run("decoding", func(t *testing.T) {
		src := apply(t, base,
			edit{"  seed: 7", "  sead: 7"},
			edit{"size: 100", "size: many"},
			edit{"purchase: true", "purchase: maybe"},
			edit{"  - name: more", "  - name: more\n    colour: red"},
		)
		_, err := Load("bad.yaml", []byte(src))
		list := errorList(t, err)
		for _, m := range []string{"sead", "many", "maybe", "colour"} {
			at := posOfText(t, src, m, 0)
			if !hasErrorAt(list, at) {
				t.Errorf("no error at %d:%d (%s):\n%v", at.Line, at.Column, m, err)
			}
		}
		checkOrder(t, list)
	})
	t.Run("compiling", func(t *testing.T) {
		src := apply(t, base,
			edit{"channel: web, purchase", "channel: wbe, purchase"},
			edit{"consent: {email: 1}", "consent: {email: 1.5}"},
			edit{"horizon: 20", "horizon: -3"},
			edit{"start: aware", "start: nowhere"},
		)
		_, err := Load("bad.yaml", []byte(src))
		list := errorList(t, err)
		for _, m := range []string{"wbe", "1.5", "-3", "nowhere"} {
			at := posOfText(t, src, m, 0)
			if !hasErrorAt(list, at) {
				t.Errorf("no error at %d:%d (%s):\n%v", at.Line, at.Column, m, err)
			}
		}
		checkOrder(t, list)
	})
	t.Run("expressions and strategies", func(t *testing.T) {
		src := apply(t, base,
			edit{`p: "0.01 + 0.02 * income"`, `p: "0.01 + * income"`},
			edit{`p: "0.5"`, `p: "2"`},
			edit{"channel: email}", "channel: web}"},
			edit{"extends: base", "extends: nosuch"},
		)
		_, err := Load("bad.yaml", []byte(src))
		list := errorList(t, err)
		for _, m := range []string{"* income", `"2"`, "web}", "nosuch"} {
			at := posOfText(t, src, m, 0)
			if !hasErrorAt(list, at) {
				t.Errorf("no error at %d:%d (%s):\n%v", at.Line, at.Column, m, err)
			}
		}
		checkOrder(t, list)
	})
}

// safeLoad loads a scenario and turns a panic into a test failure.
func safeLoad(t testing.TB, file string, src []byte) (sc *Scenario, err error) {
	t.Helper()
	defer func() {
		if p := recover(); p != nil {
			t.Fatalf("Load panics on %q: %v", truncate(string(src), 200), p)
		}
	}()
	return Load(file, src)
}

func truncate(s string, n int) string {
	if len(s) > n {
		return s[:n] + "…"
	}
	return s
}

func hasErrorAt(list ErrorList, p Pos) bool {
	for _, e := range list {
		if e.Pos == p {
			return true
		}
	}
	return false
}

func checkOrder(t *testing.T, list ErrorList) {
	t.Helper()
	for k := 1; k < len(list); k++ {
		a, b := list[k-1], list[k]
		if a.Line > b.Line || a.Line == b.Line && a.Column > b.Column {
			t.Errorf("errors out of order: %v before %v", a, b)
		}
	}
}

func TestEmptyAndOversizedFiles(t *testing.T) {
	for _, src := range []string{"", "   \n", "# only a comment\n", "---\n"} {
		_, err := safeLoad(t, "empty.yaml", []byte(src))
		list := errorList(t, err)
		if len(list) == 0 || list[0].Message == "" {
			t.Errorf("%q: %v", src, err)
		}
	}
	_, err := Load("big.yaml", make([]byte, MaxFileSize+1))
	list := errorList(t, err)
	if !strings.Contains(list[0].Message, "bytes") {
		t.Errorf("oversized file: %v", err)
	}
	for _, src := range []string{"42", "[1, 2]", "null", "name: x\nchannels: {email: {}}\n", "name: x"} {
		if _, err := safeLoad(t, "odd.yaml", []byte(src)); err == nil {
			t.Errorf("%q loaded", src)
		} else {
			errorList(t, err)
		}
	}
}

// YAML aliases are expanded by the decoder: a small file that multiplies
// a big mapping must not cost memory in proportion to the product.
func TestAliasExpansionBounded(t *testing.T) {
	const n = 300
	var b strings.Builder
	b.WriteString("name: x\nx: &p\n  name: a\n  share: 1\n  attributes:\n")
	for i := range n {
		fmt.Fprintf(&b, "    a%d: 1\n", i)
	}
	b.WriteString("population:\n  personas: [")
	for i := range n {
		if i > 0 {
			b.WriteString(",")
		}
		b.WriteString("*p")
	}
	b.WriteString("]\n")
	src := []byte(b.String())
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	Load("alias.yaml", src)
	runtime.ReadMemStats(&after)
	if perByte := float64(after.TotalAlloc-before.TotalAlloc) / float64(len(src)); perByte > 1000 {
		t.Errorf("a %d-byte file with %d aliases to a %d-key persona allocates %.0f bytes per input byte", len(src), n, n, perByte)
	}
}

// An investment given twice under a lever is reported once.
func TestLeverInvestmentGivenTwiceOnce(t *testing.T) {
	src := apply(t, baseSource(t), edit{"strategies:\n", "levers: {crm: {value: 0, investments: [{name: x, amount: 1}, {name: x, amount: 2}]}}\nstrategies:\n"})
	_, err := Load("bad.yaml", []byte(src))
	if got := strings.Count(fmt.Sprint(err), "is given twice"); got != 1 {
		t.Errorf("reported %d times, want once: %v", got, err)
	}
}
