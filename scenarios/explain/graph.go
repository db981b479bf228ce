package explain

import (
	"fmt"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/journeysim/journeysim/sim"
)

// labelLength is the longest an edge label gets before it is shortened.
const labelLength = 40

// graph is the journey graph prepared for drawing: sanitized, unique ids
// for nodes and stages, and a short label per edge.
type graph struct {
	m       *sim.Model
	nodeIDs []string
	stageID []string
}

func newGraph(m *sim.Model) *graph {
	g := &graph{m: m}
	used := map[string]bool{}
	for _, n := range m.Nodes {
		g.nodeIDs = append(g.nodeIDs, uniqueID("n_"+sanitize(n.Name), used))
	}
	for _, s := range m.Stages {
		g.stageID = append(g.stageID, uniqueID("s_"+sanitize(s), used))
	}
	return g
}

// sanitize keeps the letters, digits and underscores of name, so that it
// can be an identifier in Mermaid and DOT.
func sanitize(name string) string {
	var b strings.Builder
	for _, r := range name {
		if r < utf8.RuneSelf && (r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			b.WriteRune(r)
		} else {
			b.WriteByte('_')
		}
	}
	return b.String()
}

// uniqueID returns id, or id with a number after it if id is taken.
func uniqueID(id string, used map[string]bool) string {
	out := id
	for k := 2; used[out]; k++ {
		out = fmt.Sprintf("%s_%d", id, k)
	}
	used[out] = true
	return out
}

// edgeLabel is a move's probability, shortened: a constant as a
// percentage, a formula as written, cut at labelLength characters.
func edgeLabel(e sim.Edge, response bool) string {
	p := "?"
	if e.P != nil {
		if v, ok := e.P.Const(); ok {
			p = pct(v)
		} else {
			p = shorten(strings.Join(strings.Fields(e.P.Source), " "), labelLength)
		}
	}
	switch e.Cart {
	case sim.CartOpen:
		p += ", opens cart"
	case sim.CartClear:
		p += ", clears cart"
	}
	if response {
		p = "on response: " + p
	}
	return p
}

// shorten cuts s to at most n characters, ending with an ellipsis.
func shorten(s string, n int) string {
	if utf8.RuneCountInString(s) <= n {
		return s
	}
	r := []rune(s)
	return strings.TrimSpace(string(r[:n-1])) + "…"
}

// nodeLabel is the lines that describe a node in a drawing.
func (g *graph) nodeLabel(i int) []string {
	n := g.m.Nodes[i]
	lines := []string{n.Name}
	var facts []string
	if n.Channel >= 0 && n.Channel < len(g.m.Channels) {
		facts = append(facts, g.m.Channels[n.Channel].Name)
	}
	switch {
	case n.Purchase && n.Competitor:
		facts = append(facts, "competitor purchase")
	case n.Purchase:
		facts = append(facts, "purchase")
	}
	if i == g.m.Start {
		facts = append(facts, "start")
	}
	if len(facts) > 0 {
		lines = append(lines, strings.Join(facts, " · "))
	}
	return lines
}

// each calls f for every move of the journey, tick moves first, each from
// its node in node order.
func (g *graph) each(f func(from, to int, e sim.Edge, response bool)) {
	for i, n := range g.m.Nodes {
		for _, e := range n.Edges {
			f(i, g.target(i, e), e, false)
		}
	}
	for i, n := range g.m.Nodes {
		for _, e := range n.ResponseEdges {
			f(i, g.target(i, e), e, true)
		}
	}
}

// target is where a move leads: its node, or back to from for a move that
// only changes the cart.
func (g *graph) target(from int, e sim.Edge) int {
	if e.To < 0 || e.To >= len(g.m.Nodes) {
		return from
	}
	return e.To
}

// mermaidText escapes text for a quoted Mermaid label with entity codes.
func mermaidText(s string) string {
	return strings.NewReplacer(
		`#`, "#35;",
		`"`, "#quot;",
		`&`, "#amp;",
		`<`, "#lt;",
		`>`, "#gt;",
		`|`, "#124;",
		"`", "#96;",
		"\n", " ",
	).Replace(s)
}

// Mermaid writes the journey graph of m as a Mermaid flowchart: a box per
// stage holding its touchpoints, purchase touchpoints in rounded, green
// boxes (red for a competitor's), the start node framed thick, tick moves
// as arrows and moves on a response as dotted arrows, each labelled with
// its probability.
func Mermaid(w io.Writer, m *sim.Model) error {
	g := newGraph(m)
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	fmt.Fprintf(&b, "  %%%% %s: the journey graph. Rounded green boxes are purchases, red ones purchases at a competitor; dotted arrows are moves on a response to a message.\n",
		mermaidComment(m.Name))
	for s, stage := range m.Stages {
		fmt.Fprintf(&b, "  subgraph %s [\"%s\"]\n", g.stageID[s], mermaidText(stage))
		for i, n := range m.Nodes {
			if n.Stage != s {
				continue
			}
			lines := g.nodeLabel(i)
			for k := range lines {
				lines[k] = mermaidText(lines[k])
			}
			open, close := "[", "]"
			if n.Purchase {
				open, close = "([", "])"
			}
			fmt.Fprintf(&b, "    %s%s\"%s\"%s\n", g.nodeIDs[i], open, strings.Join(lines, "<br/>"), close)
		}
		b.WriteString("  end\n")
	}
	g.each(func(from, to int, e sim.Edge, response bool) {
		arrow := "-->"
		if response {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", g.nodeIDs[from], arrow, mermaidText(edgeLabel(e, response)), g.nodeIDs[to])
	})
	b.WriteString("  classDef purchase fill:#e6f4ea,stroke:#1e7b34,stroke-width:2px\n")
	b.WriteString("  classDef competitor fill:#fdecea,stroke:#b3261e,stroke-width:2px\n")
	b.WriteString("  classDef start stroke-width:4px\n")
	var purchase, competitor []string
	for i, n := range m.Nodes {
		switch {
		case n.Purchase && n.Competitor:
			competitor = append(competitor, g.nodeIDs[i])
		case n.Purchase:
			purchase = append(purchase, g.nodeIDs[i])
		}
	}
	if len(purchase) > 0 {
		fmt.Fprintf(&b, "  class %s purchase\n", strings.Join(purchase, ","))
	}
	if len(competitor) > 0 {
		fmt.Fprintf(&b, "  class %s competitor\n", strings.Join(competitor, ","))
	}
	if m.Start >= 0 && m.Start < len(m.Nodes) {
		fmt.Fprintf(&b, "  class %s start\n", g.nodeIDs[m.Start])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mermaidComment keeps a comment on one line.
func mermaidComment(s string) string {
	return strings.NewReplacer("\n", " ", "\r", " ").Replace(s)
}

// dotString quotes s as a DOT string.
func dotString(s string) string {
	return `"` + strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`, "\r", "").Replace(s) + `"`
}

// DOT writes the journey graph of m in the Graphviz DOT language: a cluster
// per stage holding its touchpoints, purchase touchpoints filled green
// (red for a competitor's), the start node in bold, tick moves as arrows
// and moves on a response as dashed arrows, each labelled with its
// probability.
func DOT(w io.Writer, m *sim.Model) error {
	g := newGraph(m)
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotString(m.Name))
	fmt.Fprintf(&b, "  graph [rankdir=LR, labelloc=t, fontname=\"Helvetica\", label=%s];\n",
		dotString(m.Name+": the journey graph (filled: purchases; dashed: moves on a response)"))
	b.WriteString("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=10];\n")
	for s, stage := range m.Stages {
		fmt.Fprintf(&b, "  subgraph %s {\n", dotString("cluster_"+g.stageID[s]))
		fmt.Fprintf(&b, "    label=%s;\n", dotString(stage))
		for i, n := range m.Nodes {
			if n.Stage != s {
				continue
			}
			attrs := []string{"label=" + dotString(strings.Join(g.nodeLabel(i), "\n"))}
			switch {
			case n.Purchase && n.Competitor:
				attrs = append(attrs, `style="rounded,filled"`, `fillcolor="#fdecea"`, `color="#b3261e"`)
			case n.Purchase:
				attrs = append(attrs, `style="rounded,filled"`, `fillcolor="#e6f4ea"`, `color="#1e7b34"`)
			}
			if i == m.Start {
				attrs = append(attrs, "penwidth=3")
			}
			fmt.Fprintf(&b, "    %s [%s];\n", dotString(g.nodeIDs[i]), strings.Join(attrs, ", "))
		}
		b.WriteString("  }\n")
	}
	g.each(func(from, to int, e sim.Edge, response bool) {
		attrs := "label=" + dotString(edgeLabel(e, response))
		if response {
			attrs += ", style=dashed"
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", dotString(g.nodeIDs[from]), dotString(g.nodeIDs[to]), attrs)
	})
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
