package explain

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/journeysim/journeysim/scenarios/explain/journeymap"
	"github.com/journeysim/journeysim/sim"
)

// labelLength is the longest an edge label gets before it is shortened.
const labelLength = 48

// graph is the journey graph prepared for drawing: sanitized, unique ids
// for nodes and stages, the stages in journey order, each node's column
// in that order, and each move's chance in words.
type graph struct {
	m       *sim.Model
	t       *Translator
	nodeIDs []string
	stageID []string
	// order lists the stages in journey order (journeymap.StageOrder);
	// col is each node's column in it.
	order []int
	col   []int
}

func newGraph(m *sim.Model, t *Translator) *graph {
	g := &graph{m: m, t: t}
	used := map[string]bool{}
	for _, n := range m.Nodes {
		g.nodeIDs = append(g.nodeIDs, uniqueID("n_"+sanitize(n.Name), used))
	}
	for _, s := range m.Stages {
		g.stageID = append(g.stageID, uniqueID("s_"+sanitize(s), used))
	}
	g.order = journeymap.StageOrder(m)
	g.col, _ = journeymap.NodeColumns(m)
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

// move is one move of the journey, ready to draw.
type move struct {
	from, to int
	edge     sim.Edge
	response bool
	// full is the move's chance in words; label is it shortened.
	full, label string
}

// edgeLabel is a move's chance in the words of the explanation (a
// constant as a percentage, a formula in words, "otherwise" for what the
// moves before it leave), with what it does to the cart, "on a response"
// for a move on a response, cut at labelLength characters.
func (g *graph) edgeLabel(from, k int, response bool) (label, full string) {
	full = g.t.moveChance(g.m, from, k, response)
	e := g.m.Nodes[from].Edges
	if response {
		e = g.m.Nodes[from].ResponseEdges
	}
	if to := e[k].To; to < 0 || to >= len(g.m.Nodes) || to == from {
		switch e[k].Cart {
		case sim.CartOpen:
			full = "stays, opens the cart: " + full
		case sim.CartClear:
			full = "stays, empties the cart: " + full
		}
	}
	if response {
		full = "on a response: " + full
	}
	return shorten(full, labelLength), full
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

// moves lists the moves of the journey in the order they are drawn:
// first those that go forward in the journey (to a later stage), by the
// column they leave, then those within a stage, then those back to an
// earlier stage; tick moves before moves on a response, each from its
// node in node order. Layout engines that rank nodes by the order of
// their edges so see the journey's direction first.
func (g *graph) moves() []move {
	var fwd, same, back []move
	for _, response := range []bool{false, true} {
		for i, n := range g.m.Nodes {
			edges := n.Edges
			if response {
				edges = n.ResponseEdges
			}
			for k, e := range edges {
				to := g.target(i, e)
				label, full := g.edgeLabel(i, k, response)
				mv := move{from: i, to: to, edge: e, response: response, label: label, full: full}
				switch {
				case g.col[to] > g.col[i]:
					fwd = append(fwd, mv)
				case g.col[to] == g.col[i]:
					same = append(same, mv)
				default:
					back = append(back, mv)
				}
			}
		}
	}
	slices.SortStableFunc(fwd, func(a, b move) int { return g.col[a.from] - g.col[b.from] })
	return append(append(fwd, same...), back...)
}

// back says whether a move goes back to an earlier stage.
func (g *graph) back(mv move) bool { return g.col[mv.to] < g.col[mv.from] }

// stageNodes lists the nodes of stage s, the start node first.
func (g *graph) stageNodes(s int) []int {
	var out []int
	for i, n := range g.m.Nodes {
		if n.Stage == s {
			out = append(out, i)
		}
	}
	slices.SortStableFunc(out, func(a, b int) int {
		switch {
		case a == g.m.Start:
			return -1
		case b == g.m.Start:
			return 1
		}
		return 0
	})
	return out
}

// stageTitle is a stage's heading: its place in the journey and its name.
func stageTitle(k int, name string) string { return fmt.Sprintf("%d %s", k+1, name) }

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

// Mermaid writes the journey graph of m as a Mermaid flowchart that runs
// left to right: a box per stage, in journey order (journeymap.StageOrder)
// and chained by invisible links so that Mermaid keeps that order, each
// holding its touchpoints; purchase touchpoints in rounded, green boxes
// (red for a competitor's), the start node framed thick; tick moves as
// arrows and moves on a response as dotted arrows, each labelled with its
// chance in words, and moves back to an earlier stage in grey.
func Mermaid(w io.Writer, m *sim.Model) error {
	return writeMermaid(w, m, &Translator{Tick: m.TickLabel})
}

func writeMermaid(w io.Writer, m *sim.Model, t *Translator) error {
	g := newGraph(m, t)
	var b strings.Builder
	b.WriteString("flowchart LR\n")
	fmt.Fprintf(&b, "  %%%% %s: the journey, stage by stage from left to right. Rounded green boxes are purchases, red ones purchases at a competitor; dotted arrows are moves on a response to a message; grey arrows go back to an earlier stage.\n",
		mermaidComment(m.Name))
	for k, s := range g.order {
		fmt.Fprintf(&b, "  subgraph %s [\"%s\"]\n", g.stageID[s], mermaidText(stageTitle(k, m.Stages[s])))
		for _, i := range g.stageNodes(s) {
			lines := g.nodeLabel(i)
			for k := range lines {
				lines[k] = mermaidText(lines[k])
			}
			open, close := "[", "]"
			if m.Nodes[i].Purchase {
				open, close = "([", "])"
			}
			fmt.Fprintf(&b, "    %s%s\"%s\"%s\n", g.nodeIDs[i], open, strings.Join(lines, "<br/>"), close)
		}
		b.WriteString("  end\n")
	}
	links := 0
	for k := 1; k < len(g.order); k++ {
		fmt.Fprintf(&b, "  %s ~~~ %s\n", g.stageID[g.order[k-1]], g.stageID[g.order[k]])
		links++
	}
	var back []string
	for _, mv := range g.moves() {
		arrow := "-->"
		if mv.response {
			arrow = "-.->"
		}
		fmt.Fprintf(&b, "  %s %s|\"%s\"| %s\n", g.nodeIDs[mv.from], arrow, mermaidText(mv.label), g.nodeIDs[mv.to])
		if g.back(mv) {
			back = append(back, strconv.Itoa(links))
		}
		links++
	}
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
	if len(back) > 0 {
		fmt.Fprintf(&b, "  linkStyle %s stroke:#8c8c8c,color:#5e5e5e\n", strings.Join(back, ","))
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

// DOT writes the journey graph of m in the Graphviz DOT language, left to
// right: a cluster per stage, in journey order (journeymap.StageOrder),
// its touchpoints ranked together in one column, and the columns held in
// order by invisible edges; moves back to an earlier stage (grey) and
// within a stage do not constrain the ranking, so that the returns to the
// start do not turn the picture round. Purchase touchpoints are filled
// green (red for a competitor's), the start node is in bold, tick moves
// are arrows and moves on a response dashed arrows, each labelled with its
// chance in words (the whole text in its tooltip when cut).
func DOT(w io.Writer, m *sim.Model) error {
	return writeDOT(w, m, &Translator{Tick: m.TickLabel})
}

func writeDOT(w io.Writer, m *sim.Model, t *Translator) error {
	g := newGraph(m, t)
	var b strings.Builder
	fmt.Fprintf(&b, "digraph %s {\n", dotString(m.Name))
	fmt.Fprintf(&b, "  graph [rankdir=LR, newrank=true, ranksep=0.9, nodesep=0.35, labelloc=t, fontname=\"Helvetica\", label=%s];\n",
		dotString(m.Name+": the journey, stage by stage (filled: purchases; dashed: moves on a response; grey: back to an earlier stage)"))
	b.WriteString("  node [shape=box, style=rounded, fontname=\"Helvetica\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=10];\n")
	var first []int // the first node of each stage, in journey order
	for k, s := range g.order {
		fmt.Fprintf(&b, "  subgraph %s {\n", dotString("cluster_"+g.stageID[s]))
		fmt.Fprintf(&b, "    label=%s;\n", dotString(stageTitle(k, m.Stages[s])))
		b.WriteString("    rank=same;\n")
		nodes := g.stageNodes(s)
		if len(nodes) > 0 {
			first = append(first, nodes[0])
		}
		for _, i := range nodes {
			n := m.Nodes[i]
			attrs := []string{"label=" + dotString(strings.Join(g.nodeLabel(i), "\n"))}
			if n.Channel >= 0 && n.Channel < len(m.Channels) {
				attrs = append(attrs, "group="+dotString(m.Channels[n.Channel].Name))
			}
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
	for k := 1; k < len(first); k++ {
		fmt.Fprintf(&b, "  %s -> %s [style=invis, weight=10];\n", dotString(g.nodeIDs[first[k-1]]), dotString(g.nodeIDs[first[k]]))
	}
	for _, mv := range g.moves() {
		// A move within a stage joins two nodes of one rank; Graphviz
		// places such a label better outside the edge (xlabel).
		label := "label="
		if g.col[mv.to] == g.col[mv.from] {
			label = "xlabel="
		}
		attrs := []string{label + dotString(mv.label)}
		if mv.label != mv.full {
			attrs = append(attrs, "tooltip="+dotString(mv.full), "labeltooltip="+dotString(mv.full))
		}
		if mv.response {
			attrs = append(attrs, "style=dashed")
		}
		switch {
		case g.back(mv):
			attrs = append(attrs, "constraint=false", `color="#8c8c8c"`, `fontcolor="#5e5e5e"`)
		case g.col[mv.to] == g.col[mv.from]:
			attrs = append(attrs, "constraint=false")
		}
		fmt.Fprintf(&b, "  %s -> %s [%s];\n", dotString(g.nodeIDs[mv.from]), dotString(g.nodeIDs[mv.to]), strings.Join(attrs, ", "))
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}
