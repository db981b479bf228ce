package explain_test

import (
	"bytes"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/scenarios/explain"
	"github.com/journeysim/journeysim/sim"
	"gonum.org/v1/gonum/graph/formats/dot"
)

// awkward has names and expressions that a drawing must escape: a node
// called end, two names that sanitize alike, quotes in a stage, || and
// backticks in probabilities, and a purchase at a competitor.
var awkward = `
name: awkward "names"
description: "Quotes \" and | pipes"
run: {horizon: 30, tick: hour}
population:
  size: 100
  personas:
    - {name: x-y, share: 0.5}
    - {name: z, share: 0.5}
channels:
  email: {kind: owned, direction: outbound}
  web-shop: {kind: owned, direction: inbound}
  store: {kind: owned, direction: inbound}
journey:
  nodes:
    start: {stage: 'say "hi"'}
    a-b: {stage: 'say "hi"', channel: web-shop}
    a_b: {stage: "two words", channel: store}
    end: {stage: "two words", channel: store, purchase: true}
    rival: {stage: "two words", channel: store, purchase: true, competitor: true}
  edges:
    - {from: start, to: a-b, p: 'persona == "x-y" || cart ? 0.1 : 0.05'}
    - {from: start, to: a_b, p: "node == ` + "`start`" + ` ? 0.2 : 0"}
    - {from: a-b, to: end, p: 'fatigue["web-shop"] > 1 && loyalty < 0.5 ? 0.3 : 0.1'}
    - {from: a-b, to: rival, p: "event.leak ? 0.3 : 0"}
    - {from: start, cart: clear, p: "0.1"}
    - {from: "*", to: start, p: "1"}
    - {from: start, to: a-b, on: response, cart: open, p: "1"}
strategies:
  - name: s1
    quiet: "tick % 24 < 8"
    triggers:
      - {name: t1, when: 'persona == "x-y" && contacts("email", 24) == 0', channel: email, delay: 2, cooldown: 1}
`

func loadAwkward(t *testing.T) *scenarios.Scenario {
	t.Helper()
	sc, err := scenarios.Load("awkward.yaml", []byte(awkward))
	if err != nil {
		t.Fatal(err)
	}
	return sc
}

// models returns the built-in scenarios and the awkward one, by name,
// leaving out those served by plugins, which this package does not build
// (cmd/journeysim explains them with the plugins built).
func models(t *testing.T) map[string]*scenarios.Scenario {
	t.Helper()
	infos, err := scenarios.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*scenarios.Scenario{"awkward": loadAwkward(t)}
	for _, in := range infos {
		if len(in.Plugins) > 0 {
			continue
		}
		sc, err := scenarios.Builtin(in.Name)
		if err != nil {
			t.Fatal(err)
		}
		out[in.Name] = sc
	}
	return out
}

func render(t *testing.T, sc *scenarios.Scenario, format string) string {
	t.Helper()
	m := sc.Model
	var b bytes.Buffer
	if err := explain.Write(&b, sc, format); err != nil {
		t.Fatalf("%s as %s: %v", m.Name, format, err)
	}
	if b.Len() == 0 {
		t.Fatalf("%s as %s: no output", m.Name, format)
	}
	return b.String()
}

func TestTextOfEveryScenario(t *testing.T) {
	for name, sc := range models(t) {
		m := sc.Model
		t.Run(name, func(t *testing.T) {
			text := render(t, sc, "text")
			for _, want := range []string{m.Name, "The customers", "The channels", "The journey", "Loyalty", "The strategies"} {
				if !strings.Contains(text, want) {
					t.Errorf("no %q", want)
				}
			}
			// Fatigue is explained exactly when some strategy sends messages.
			sends := slices.ContainsFunc(m.Strategies, func(s sim.Strategy) bool { return len(s.Triggers) > 0 })
			if got := strings.Contains(text, "\nFatigue\n"); got != sends {
				t.Errorf("fatigue explained: %v; strategies send messages: %v", got, sends)
			}
			for _, s := range m.Strategies {
				if !strings.Contains(text, "\n  "+s.Name+"\n") {
					t.Errorf("strategy %s is not explained", s.Name)
				}
				for _, tr := range s.Triggers {
					if !strings.Contains(text, "- "+tr.Name+": ") {
						t.Errorf("trigger %s of %s is not explained", tr.Name, s.Name)
					}
				}
			}
			for _, n := range m.Nodes {
				if !strings.Contains(text, "- "+n.Name+" (") {
					t.Errorf("node %s is not described", n.Name)
				}
			}
			// Every expression of the built-in scenarios is put into
			// words: nothing is left quoted.
			if name != "awkward" && strings.Contains(text, "`") {
				i := strings.Index(text, "`")
				t.Errorf("an expression is quoted rather than explained: …%s…", text[max(0, i-60):min(len(text), i+60)])
			}
			for i, line := range strings.Split(strings.TrimSuffix(text, "\n"), "\n") {
				if strings.HasSuffix(line, " ") {
					t.Errorf("line %d ends in a space: %q", i+1, line)
				}
			}
		})
	}
}

func TestAwkwardText(t *testing.T) {
	text := render(t, loadAwkward(t), "text")
	text = strings.Join(strings.Fields(text), " ") // undo the wrapping
	for _, want := range []string{
		"rival (on store; a purchase at a competitor",
		"to rival (a purchase at a competitor",
		"the customer belongs to the x-y persona and has had no e-mails in the last 24 hours, send an e-mail 2 hours later, at most once an hour",
		"no message goes out when it is one of the first 8 hours of each day",
		"One tick is an hour.",
		"on a response, to a-b (opening the cart): always",
		"stays, emptying the cart: 10%",
	} {
		if !strings.Contains(text, want) {
			t.Errorf("no %q in\n%s", want, text)
		}
	}
}

var (
	mermaidID    = `[A-Za-z0-9_]+`
	mermaidLabel = `"[^"]*"`
	mermaidLines = []*regexp.Regexp{
		regexp.MustCompile(`^flowchart LR$`),
		regexp.MustCompile(`^  %% [^\n]*$`),
		regexp.MustCompile(`^  subgraph (` + mermaidID + `) \[` + mermaidLabel + `\]$`),
		regexp.MustCompile(`^    (` + mermaidID + `)(\[` + mermaidLabel + `\]|\(\[` + mermaidLabel + `\]\))$`),
		regexp.MustCompile(`^  end$`),
		regexp.MustCompile(`^  (` + mermaidID + `) (-->|-\.->)\|` + mermaidLabel + `\| (` + mermaidID + `)$`),
		regexp.MustCompile(`^  classDef [a-z]+ [a-z:#0-9,-]+$`),
		regexp.MustCompile(`^  class ` + mermaidID + `(,` + mermaidID + `)* (purchase|competitor|start)$`),
		regexp.MustCompile(`^  (` + mermaidID + `) ~~~ (` + mermaidID + `)$`),
		regexp.MustCompile(`^  linkStyle [0-9]+(,[0-9]+)* [a-z:#0-9,-]+$`),
	}
)

// checkMermaid checks that every line of a flowchart is one of the
// statements Mermaid writes, that labels are quoted with no quote inside,
// that ids are sanitized, declared once and not Mermaid's keyword end,
// and that subgraphs are closed.
func checkMermaid(t *testing.T, m *sim.Model, out string) {
	t.Helper()
	declared := map[string]bool{}
	depth := 0
	for i, line := range strings.Split(strings.TrimSuffix(out, "\n"), "\n") {
		k := -1
		var sub []string
		for j, re := range mermaidLines {
			if sub = re.FindStringSubmatch(line); sub != nil {
				k = j
				break
			}
		}
		switch k {
		case -1:
			t.Errorf("line %d is not a Mermaid statement this package writes: %q", i+1, line)
		case 2, 3:
			if declared[sub[1]] || sub[1] == "end" {
				t.Errorf("line %d: id %q declared twice or reserved", i+1, sub[1])
			}
			declared[sub[1]] = true
			if k == 2 {
				depth++
			}
		case 4:
			depth--
		case 5, 8:
			if k == 8 {
				sub = []string{sub[0], sub[1], "", sub[2]}
			}
			for _, id := range []string{sub[1], sub[3]} {
				if !declared[id] {
					t.Errorf("line %d: edge to undeclared node %q", i+1, id)
				}
			}
		}
	}
	if depth != 0 {
		t.Errorf("%d subgraphs left open", depth)
	}
	nodes := 0
	for id := range declared {
		if strings.HasPrefix(id, "n_") {
			nodes++
		}
	}
	if nodes != len(m.Nodes) {
		t.Errorf("%d nodes drawn, want %d", nodes, len(m.Nodes))
	}
}

func TestMermaidOfEveryScenario(t *testing.T) {
	for name, sc := range models(t) {
		m := sc.Model
		t.Run(name, func(t *testing.T) {
			checkMermaid(t, m, render(t, sc, "mermaid"))
		})
	}
}

// CheckDOT checks that out is DOT that parses, with balanced braces
// outside quotes and every label a quoted string.
func checkDOT(t *testing.T, out string) {
	t.Helper()
	if _, err := dot.ParseString(out); err != nil {
		t.Errorf("DOT does not parse: %v\n%s", err, out)
	}
	depth, inQuote := 0, false
	for i := 0; i < len(out); i++ {
		switch c := out[i]; {
		case inQuote && c == '\\':
			i++
		case c == '"':
			inQuote = !inQuote
		case !inQuote && c == '{':
			depth++
		case !inQuote && c == '}':
			depth--
			if depth < 0 {
				t.Fatalf("unbalanced } at byte %d", i)
			}
		case !inQuote && strings.HasPrefix(out[i:], "label=") && !strings.HasPrefix(out[i:], `label="`):
			t.Errorf("an unquoted label at byte %d: %.40q", i, out[i:])
		}
	}
	if depth != 0 || inQuote {
		t.Errorf("braces left open: %d, inside a quote: %v", depth, inQuote)
	}
}

func TestDOTOfEveryScenario(t *testing.T) {
	for name, sc := range models(t) {
		t.Run(name, func(t *testing.T) {
			out := render(t, sc, "dot")
			checkDOT(t, out)
			f, err := dot.ParseString(out)
			if err != nil {
				return
			}
			if len(f.Graphs) != 1 || !f.Graphs[0].Directed {
				t.Fatalf("want one digraph, got %d graphs", len(f.Graphs))
			}
		})
	}
}

func TestAwkwardLabelsAreEscaped(t *testing.T) {
	sc := loadAwkward(t)
	mer := render(t, sc, "mermaid")
	for _, want := range []string{
		`n_end(["end<br/>store · purchase"])`,
		`n_a_b["a-b<br/>web-shop"]`, // names are sanitized in ids only
		`n_a_b_2["a_b<br/>store"]`,
		`subgraph s_say__hi_ ["1 say #quot;hi#quot;"]`,
		`s_say__hi_ ~~~ s_two_words`, // the stages in journey order
		`n_a_b -->|"30% if web shop fatigue is above 1 and loyalty…"| n_end`,
		`n_a_b -->|"otherwise"| n_start`,
		`class n_rival competitor`,
	} {
		if !strings.Contains(mer, want) {
			t.Errorf("Mermaid: no %q in\n%s", want, mer)
		}
	}
	d := render(t, sc, "dot")
	for _, want := range []string{
		`digraph "awkward \"names\"" {`,
		`subgraph "cluster_s_say__hi_" {`,
		`label="1 say \"hi\"";`,
		`"n_end" [label="end\nstore · purchase"`,
		`tooltip="10% if the customer belongs to the x-y persona or has an open cart, otherwise 5%"`,
		`"n_a_b" -> "n_start" [xlabel="otherwise", constraint=false];`,
		`"n_rival" -> "n_start" [label="always", constraint=false`,
	} {
		if !strings.Contains(d, want) {
			t.Errorf("DOT: no %q in\n%s", want, d)
		}
	}
}

func TestWriteRefusesAnUnknownFormat(t *testing.T) {
	err := explain.Write(&bytes.Buffer{}, loadAwkward(t), "png")
	if err == nil || !strings.Contains(err.Error(), `"png"`) || !strings.Contains(err.Error(), "text, mermaid, dot, svg") {
		t.Errorf("got %v", err)
	}
}
