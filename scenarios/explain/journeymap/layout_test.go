package journeymap

import (
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// randomModel makes a journey of random shape from r: stages, channels,
// touchpoints, moves forward, back and within a stage, moves on a
// response, moves that only change the cart, now and then a node whose
// stage is out of range.
func randomModel(r *rand.Rand) *sim.Model {
	m := &sim.Model{Name: "random", TickLabel: "day"}
	ns := 1 + r.IntN(7)
	for k := range ns {
		m.Stages = append(m.Stages, fmt.Sprintf("stage_%d", k))
	}
	for c := range r.IntN(5) {
		m.Channels = append(m.Channels, sim.Channel{Name: fmt.Sprintf("channel_%d", c)})
	}
	nn := 1 + r.IntN(14)
	for i := range nn {
		n := sim.Node{Name: fmt.Sprintf("node_%d_%s", i, strings.Repeat("x", r.IntN(20))), Stage: r.IntN(ns), Channel: -1}
		if r.IntN(20) == 0 {
			n.Stage = ns + r.IntN(3) // out of range
		}
		if len(m.Channels) > 0 && r.IntN(4) > 0 {
			n.Channel = r.IntN(len(m.Channels))
		}
		n.Purchase = r.IntN(4) == 0
		n.Competitor = n.Purchase && r.IntN(3) == 0
		m.Nodes = append(m.Nodes, n)
	}
	for i := range m.Nodes {
		for range r.IntN(5) {
			e := sim.Edge{To: r.IntN(nn+1) - 1, Cart: sim.CartEffect(r.IntN(3))}
			if r.IntN(4) == 0 {
				m.Nodes[i].ResponseEdges = append(m.Nodes[i].ResponseEdges, e)
			} else {
				m.Nodes[i].Edges = append(m.Nodes[i].Edges, e)
			}
		}
	}
	m.Start = r.IntN(nn)
	return m
}

// randomLabel returns labels of random length, some long enough to be cut.
func randomLabel(r *rand.Rand) func(from, k int, response bool) string {
	words := []string{"12%", "otherwise", "always", "if", "the", "customer", "has", "an", "open", "cart", "×", "loyalty", "(0.3 + 0.7 × price sensitivity)", "supercalifragilisticexpialidocious-and-then-some-more-of-it"}
	labels := map[[3]int]string{}
	return func(from, k int, response bool) string {
		key := [3]int{from, k, 0}
		if response {
			key[2] = 1
		}
		if s, ok := labels[key]; ok {
			return s
		}
		var w []string
		for range 1 + r.IntN(14) {
			w = append(w, words[r.IntN(len(words))])
		}
		labels[key] = strings.Join(w, " ")
		return labels[key]
	}
}

// randomFigures makes figures for m, some missing or NaN.
func randomFigures(r *rand.Rand, m *sim.Model) Figures {
	f := Figures{Strategy: "s", Replications: r.IntN(4), Horizon: r.IntN(400), MeanCSAT: 1 + 4*r.Float64(), MeanCES: math.NaN()}
	pick := func() float64 {
		if r.IntN(6) == 0 {
			return math.NaN()
		}
		return r.Float64() * math.Pow(10, float64(r.IntN(8)))
	}
	if r.IntN(3) > 0 {
		for range m.Nodes {
			f.Passing = append(f.Passing, pick())
			f.CSAT = append(f.CSAT, 1+4*r.Float64())
			f.CES = append(f.CES, 1+6*r.Float64())
		}
	}
	for range m.Stages {
		f.StageCustomers = append(f.StageCustomers, pick())
		f.StageEntries = append(f.StageEntries, pick())
	}
	for range m.Channels {
		f.ChannelVisits = append(f.ChannelVisits, pick())
		f.ChannelPurchases = append(f.ChannelPurchases, pick())
		f.ChannelOff = append(f.ChannelOff, r.IntN(3) == 0)
	}
	return f
}

// wellFormed checks that out parses as XML.
func wellFormed(t *testing.T, out []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(out))
	for {
		_, err := dec.Token()
		if errors.Is(err, io.EOF) {
			return
		}
		if err != nil {
			t.Fatalf("not well-formed XML: %v", err)
		}
	}
}

// Journeys of any shape lay out soundly, plain and with figures, and
// draw as well-formed SVG.
func TestRandomJourneysLayOutSoundly(t *testing.T) {
	for seed := range uint64(300) {
		r := rand.New(rand.NewPCG(seed, 7))
		m := randomModel(r)
		l := New(m, Options{Label: randomLabel(r), Currency: "EUR", Tick: "day"})
		if p := l.Problems(); len(p) > 0 {
			t.Fatalf("seed %d: %d problems, the first: %s", seed, len(p), p[0])
		}
		wellFormed(t, l.SVG())
		a := l.Annotate(randomFigures(r, m))
		if p := a.Problems(); len(p) > 0 {
			t.Fatalf("seed %d, annotated: %d problems, the first: %s", seed, len(p), p[0])
		}
		wellFormed(t, a.SVG())
	}
}

func FuzzLayout(f *testing.F) {
	f.Add(uint64(1), uint64(2))
	f.Add(uint64(99), uint64(0))
	f.Fuzz(func(t *testing.T, a, b uint64) {
		r := rand.New(rand.NewPCG(a, b))
		m := randomModel(r)
		l := New(m, Options{Label: randomLabel(r)})
		if p := l.Problems(); len(p) > 0 {
			t.Fatalf("%d problems, the first: %s", len(p), p[0])
		}
		wellFormed(t, l.SVG())
	})
}

// chain is a journey a → b → c → d with returns to a and a move back
// from d to b, each node on a stage of its own.
func chain() *sim.Model {
	m := &sim.Model{Name: "chain", Stages: []string{"d_stage", "b_stage", "a_stage", "c_stage"}, Channels: []sim.Channel{{Name: "web"}}}
	node := func(name string, stage int, edges ...int) sim.Node {
		n := sim.Node{Name: name, Stage: stage, Channel: 0}
		for _, to := range edges {
			n.Edges = append(n.Edges, sim.Edge{To: to})
		}
		return n
	}
	// Node order and stage order differ from the journey's.
	m.Nodes = []sim.Node{
		node("d", 0, 2, 1), // back to a and to b
		node("b", 1, 3, 2), // on to c, back to a
		node("a", 2, 1),    // the start, on to b
		node("c", 3, 0, 2), // on to d, back to a
	}
	m.Start = 2
	return m
}

// The stages run in journey order: the start's first, then as the moves
// lead, moves back left out.
func TestStageOrder(t *testing.T) {
	m := chain()
	if got, want := StageOrder(m), []int{2, 1, 3, 0}; !slices.Equal(got, want) {
		t.Errorf("StageOrder = %v, want %v (a, b, c, d)", got, want)
	}
	col, n := NodeColumns(m)
	if want := []int{3, 1, 0, 2}; n != 4 || !slices.Equal(col, want) {
		t.Errorf("NodeColumns = %v, %d; want %v, 4", col, n, want)
	}
	l := New(m, Options{})
	var names []string
	for _, c := range l.Columns {
		names = append(names, c.Name)
	}
	if want := []string{"a_stage", "b_stage", "c_stage", "d_stage"}; !slices.Equal(names, want) {
		t.Errorf("columns %v, want %v", names, want)
	}
	back := 0
	for _, a := range l.Arrows {
		if a.Back {
			back++
		}
	}
	if back != 4 {
		t.Errorf("%d arrows back, want 4 (d → a, d → b, b → a, c → a)", back)
	}
	// A stage no move reaches comes last; a node whose stage is out of
	// range has a column of its own.
	m.Stages = append(m.Stages, "island")
	m.Nodes = append(m.Nodes, sim.Node{Name: "lonely", Stage: 4, Channel: -1}, sim.Node{Name: "stray", Stage: 9, Channel: -1, Edges: []sim.Edge{{To: 2}}})
	if got, want := StageOrder(m), []int{2, 1, 3, 0, 4}; !slices.Equal(got, want) {
		t.Errorf("StageOrder with an island = %v, want %v", got, want)
	}
	l = New(m, Options{})
	if len(l.Columns) != 6 || l.Columns[5].Name != "stray" && l.Columns[4].Name != "stray" {
		t.Errorf("columns %v: want one for the stray node", l.Columns)
	}
	if p := l.Problems(); len(p) > 0 {
		t.Errorf("problems: %v", p)
	}
}

// Problems finds what is wrong with a layout: it is not a test that
// passes everything.
func TestProblemsFindsFaults(t *testing.T) {
	fresh := func() *Layout { return New(chain(), Options{}) }
	if p := fresh().Problems(); len(p) > 0 {
		t.Fatalf("the chain's layout has problems: %v", p)
	}
	faults := map[string]func(l *Layout){
		"boxes b and a overlap": func(l *Layout) { l.Boxes[2].Rect = l.Boxes[1].Rect },
		"overflows box":         func(l *Layout) { l.Boxes[2].Rect.W = 20 },
		"covers box":            func(l *Layout) { l.Arrows[0].LabelRect = l.Boxes[0].Rect },
		"runs through box": func(l *Layout) {
			a := l.Boxes[0].Rect
			l.Arrows[0].Path = append(l.Arrows[0].Path, line(Point{a.X - 10, a.Y + a.H/2}, Point{a.Right() + 10, a.Y + a.H/2}))
		},
		"out of order":    func(l *Layout) { l.Columns[1].X = l.Columns[0].X },
		"overlap":         func(l *Layout) { l.Legend = append(l.Legend, l.Legend[0]) },
		"outside the pic": func(l *Layout) { l.Width = 10 },
	}
	for want, break_ := range faults {
		l := fresh()
		break_(l)
		p := strings.Join(l.Problems(), "\n")
		if !strings.Contains(p, want) {
			t.Errorf("a layout where %q: problems %q", want, p)
		}
	}
}

func TestRectOverlaps(t *testing.T) {
	a := Rect{0, 0, 10, 10}
	for _, tc := range []struct {
		b    Rect
		want bool
	}{
		{Rect{5, 5, 10, 10}, true},
		{Rect{10, 0, 5, 5}, false}, // touching
		{Rect{0, 10, 5, 5}, false},
		{Rect{2, 2, 1, 1}, true},
		{Rect{-5, -5, 4, 4}, false},
	} {
		if got := a.Overlaps(tc.b); got != tc.want || tc.b.Overlaps(a) != tc.want {
			t.Errorf("%v overlaps %v: %v, want %v", a, tc.b, got, tc.want)
		}
	}
	if !a.Contains(Rect{1, 1, 9, 9}) || a.Contains(Rect{1, 1, 10, 9}) {
		t.Error("Contains is wrong")
	}
}

// Text is measured in Liberation Sans and cut to fit with an ellipsis.
func TestTextWidthAndFit(t *testing.T) {
	if w := TextWidth("Hello", 12, false); w < 20 || w > 40 {
		t.Errorf("Hello at 12 px: %.1f px wide", w)
	}
	if TextWidth("Hello", 12, true) <= TextWidth("Hello", 12, false) {
		t.Error("bold is not wider")
	}
	if TextWidth("WWW", 12, false) <= TextWidth("iii", 12, false) {
		t.Error("W is not wider than i")
	}
	s, cut := fitText("trips ÷ 30 × web affinity × (0.3 + 0.7 × loyalty)", 12, false, 100)
	if !cut || !strings.HasSuffix(s, "…") || TextWidth(s, 12, false) > 100 {
		t.Errorf("fitText: %q, %v, %.1f px", s, cut, TextWidth(s, 12, false))
	}
	if s, cut := fitText("12%", 12, false, 100); cut || s != "12%" {
		t.Errorf("fitText of a short text: %q, %v", s, cut)
	}
}

func TestCount(t *testing.T) {
	for v, want := range map[float64]string{0: "0", 2.5: "2.5", 12.4: "12", 1234.5: "1,235", 2e6: "2,000,000", -1500: "−1,500", math.NaN(): "–"} {
		if got := Count(v); got != want {
			t.Errorf("Count(%v) = %q, want %q", v, got, want)
		}
	}
}

// Figures that are missing, NaN or of the wrong length are left out.
func TestFiguresLeaveOutWhatIsNotRecorded(t *testing.T) {
	m := chain()
	l := New(m, Options{Tick: "day"})
	a := l.Annotate(Figures{Strategy: "s", Passing: []float64{1}, CSAT: []float64{math.NaN(), 2}, StageCustomers: []float64{math.Inf(1)}})
	if p := a.Problems(); len(p) > 0 {
		t.Fatalf("problems: %v", p)
	}
	svg := string(a.SVG())
	for _, want := range []string{"1 passed", "CSAT 2.0", "pain point"} {
		if !strings.Contains(svg, want) {
			t.Errorf("no %q", want)
		}
	}
	for _, not := range []string{"NaN", "Inf", "here on an average"} {
		if strings.Contains(svg, not) {
			t.Errorf("%q in the map", not)
		}
	}
	if got := satisfactionColor(1); got != "#f6c9c4" {
		t.Errorf("CSAT 1: %s", got)
	}
	if got := satisfactionColor(5); got != "#cfead6" {
		t.Errorf("CSAT 5: %s", got)
	}
}
