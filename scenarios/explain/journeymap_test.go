package explain_test

import (
	"bytes"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/scenarios/explain"
	"github.com/journeysim/journeysim/scenarios/explain/journeymap"
)

var update = flag.Bool("update", false, "rewrite the golden files under testdata")

// allModels returns every built-in scenario, those served by plugins
// loaded to be described, and the awkward one.
func allModels(t *testing.T) map[string]*scenarios.Scenario {
	t.Helper()
	out := models(t)
	infos, err := scenarios.Builtins()
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range infos {
		if _, ok := out[in.Name]; ok {
			continue
		}
		sc, err := scenarios.OpenWith(in.Name, scenarios.Options{Describe: true})
		if err != nil {
			t.Fatalf("%s: %v", in.Name, err)
		}
		out[in.Name] = sc
	}
	if len(out) < len(infos)+1 {
		t.Fatalf("%d scenarios for %d built-in ones", len(out), len(infos))
	}
	return out
}

// checkSVG checks that out is well-formed XML with an svg root and no
// reference to anything outside the file.
func checkSVG(t *testing.T, out []byte) {
	t.Helper()
	dec := xml.NewDecoder(bytes.NewReader(out))
	root := ""
	for {
		tok, err := dec.Token()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("the SVG is not well-formed XML: %v", err)
		}
		if se, ok := tok.(xml.StartElement); ok {
			if root == "" {
				root = se.Name.Local
			}
			for _, a := range se.Attr {
				if a.Name.Local == "href" || strings.Contains(a.Value, "http") && a.Name.Local != "xmlns" {
					t.Errorf("the SVG refers to something outside it: <%s %s=%q>", se.Name.Local, a.Name.Local, a.Value)
				}
			}
		}
	}
	if root != "svg" {
		t.Errorf("the root element is %q, want svg", root)
	}
}

// The journey map of every built-in scenario is sound: no two boxes
// overlap, no text overflows its box, no label covers a box or another
// label, no arrow runs through a box; its columns are the stages in
// journey order, the start's first; and its SVG is well-formed,
// standalone XML.
func TestJourneyMapOfEveryScenario(t *testing.T) {
	for name, sc := range allModels(t) {
		m := sc.Model
		t.Run(name, func(t *testing.T) {
			l := explain.JourneyMap(sc)
			for _, p := range l.Problems() {
				t.Error(p)
			}
			order := journeymap.StageOrder(m)
			var cols []int
			for c, col := range l.Columns {
				cols = append(cols, col.Stage)
				if c > 0 && col.X <= l.Columns[c-1].X {
					t.Errorf("column %q is not right of %q", col.Name, l.Columns[c-1].Name)
				}
			}
			if !slices.Equal(cols, order) {
				t.Errorf("columns %v, want the stage order %v", cols, order)
			}
			if m.Start >= 0 && l.Boxes[m.Start].Column != 0 {
				t.Errorf("the start %s is in column %d, not the first", m.Nodes[m.Start].Name, l.Boxes[m.Start].Column)
			}
			// The built-in scenarios name their stages in journey order.
			if name != "awkward" {
				want := make([]int, len(m.Stages))
				for k := range want {
					want[k] = k
				}
				if !slices.Equal(order, want) {
					t.Errorf("stage order %v, want the scenario's %v", order, m.Stages)
				}
			}
			if len(l.Boxes) != len(m.Nodes) {
				t.Errorf("%d boxes for %d touchpoints", len(l.Boxes), len(m.Nodes))
			}
			for _, bx := range l.Boxes {
				lane := l.Lanes[bx.Lane]
				if ch := m.Nodes[bx.Node].Channel; ch != lane.Channel {
					t.Errorf("%s on channel %d is in the lane of channel %d", bx.Name, ch, lane.Channel)
				}
				if bx.Purchase != m.Nodes[bx.Node].Purchase {
					t.Errorf("%s: purchase %v, want %v", bx.Name, bx.Purchase, m.Nodes[bx.Node].Purchase)
				}
			}
			// Every word is on the map, not only in a tooltip: nothing is
			// cut with an ellipsis.
			for _, a := range l.Arrows {
				for _, ln := range a.Label {
					if ln.Truncated {
						t.Errorf("the label of %s → %s is cut: %q", m.Nodes[a.From].Name, m.Nodes[a.To].Name, a.Full)
					}
				}
			}
			for _, bx := range l.Boxes {
				for _, ln := range bx.Lines {
					if ln.Truncated {
						t.Errorf("a line of %s is cut: %q", bx.Name, ln.Text)
					}
				}
			}
			svg := l.SVG()
			checkSVG(t, svg)
			// Moves are in words: no raw expression reaches the map.
			for _, raw := range []string{" ? ", "&amp;&amp;", "||", "`"} {
				if bytes.Contains(svg, []byte(raw)) {
					i := bytes.Index(svg, []byte(raw))
					t.Errorf("the map holds %q: …%s…", raw, svg[max(0, i-60):min(len(svg), i+60)])
				}
			}
		})
	}
}

// A run's figures drawn on the map keep it sound, and say what they say.
func TestAnnotatedJourneyMapOfEveryScenario(t *testing.T) {
	for name, sc := range allModels(t) {
		m := sc.Model
		t.Run(name, func(t *testing.T) {
			f := journeymap.Figures{Strategy: "some_strategy", Replications: 3, Horizon: m.Horizon, MeanCSAT: 3.9, MeanCES: 2.4}
			for i := range m.Nodes {
				f.Passing = append(f.Passing, 1234.5*float64(i+1))
				f.CSAT = append(f.CSAT, 1+math.Mod(float64(i), 5))
				f.CES = append(f.CES, 1+math.Mod(float64(3*i), 7))
			}
			for k := range m.Stages {
				f.StageCustomers = append(f.StageCustomers, 20000/float64(k+1))
				f.StageEntries = append(f.StageEntries, 50000/float64(k+1))
			}
			for c := range m.Channels {
				f.ChannelVisits = append(f.ChannelVisits, 1000*float64(c))
				f.ChannelPurchases = append(f.ChannelPurchases, 10*float64(c))
				f.ChannelOff = append(f.ChannelOff, c == 0)
			}
			l := explain.JourneyMap(sc).Annotate(f)
			for _, p := range l.Problems() {
				t.Error(p)
			}
			svg := journeymap.Annotated(explain.JourneyMap(sc), f)
			checkSVG(t, svg)
			if !bytes.Equal(svg, l.SVG()) {
				t.Error("Annotated and Annotate(f).SVG() differ")
			}
			for _, want := range []string{"some_strategy", "1,235 passed", "pain point", "here on an average"} {
				if !bytes.Contains(svg, []byte(want)) {
					t.Errorf("the annotated map does not say %q", want)
				}
			}
			if len(m.Stages) > 1 && !bytes.Contains(svg, []byte("did not go on")) {
				t.Error("the annotated map shows no drop-off between stages")
			}
		})
	}
}

// The retail map says its moves in words, "otherwise" for a remainder,
// and marks its purchases.
func TestRetailJourneyMapWords(t *testing.T) {
	sc, err := scenarios.Builtin("retail-omnichannel")
	if err != nil {
		t.Fatal(err)
	}
	l := explain.JourneyMap(sc)
	labels := map[string]string{}
	for _, a := range l.Arrows {
		key := sc.Model.Nodes[a.From].Name + "→" + sc.Model.Nodes[a.To].Name
		if a.Response {
			key += " (response)"
		}
		labels[key] = a.Full
	}
	for key, want := range map[string]string{
		"web_browse→web_cart":           "12%, opens the cart",
		"web_buy→dormant":               "always",
		"web_cart→web_buy":              "0.28 × (1 − 0.3 × price sensitivity)",
		"store_browse→dormant":          "50%, empties the cart",
		"dormant→web_cart (response)":   "100% if the customer has an open cart, otherwise 0%",
		"web_browse→store_buy":          "0.04 × store affinity",
		"dormant→web_browse (response)": "always",
	} {
		if labels[key] != want {
			t.Errorf("%s: %q, want %q", key, labels[key], want)
		}
	}
	svg := string(l.SVG())
	for _, want := range []string{"€ purchase", "1 dormant", "4 buy", "no channel", "stays, empties the cart: 10% if the", "otherwise"} {
		if !strings.Contains(svg, want) {
			t.Errorf("the map does not say %q", want)
		}
	}
	// "otherwise": email-pressure's visit → idle takes what buying leaves.
	ep, err := scenarios.Builtin("email-pressure")
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, a := range explain.JourneyMap(ep).Arrows {
		if ep.Model.Nodes[a.From].Name == "visit" && ep.Model.Nodes[a.To].Name == "idle" {
			found = a.Full == "otherwise"
		}
	}
	if !found {
		t.Error(`email-pressure: visit → idle is not "otherwise"`)
	}
}

// golden compares got with the file testdata/name, or rewrites it with
// -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.MkdirAll("testdata", 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (go test -run %s -update writes it)", err, t.Name())
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from %s (go test -run %s -update rewrites it):\n%s", name, path, t.Name(), got)
	}
}

// The drawings of the retail scenario, as DOT, Mermaid and SVG, are the
// ones reviewed.
func TestRetailDrawingsGolden(t *testing.T) {
	sc, err := scenarios.Builtin("retail-omnichannel")
	if err != nil {
		t.Fatal(err)
	}
	for _, format := range []string{"dot", "mermaid", "svg"} {
		t.Run(format, func(t *testing.T) {
			golden(t, "retail-omnichannel."+format, []byte(render(t, sc, format)))
		})
	}
	// docs/explain.md shows the map as it is drawn.
	doc := filepath.Join("..", "..", "docs", "img", "journeymap-retail-omnichannel.svg")
	got := []byte(render(t, sc, "svg"))
	if *update {
		if err := os.WriteFile(doc, got, 0o644); err != nil {
			t.Fatal(err)
		}
	} else if want, err := os.ReadFile(doc); err != nil || !bytes.Equal(got, want) {
		t.Errorf("%s is not the map drawn now (go test -run %s -update rewrites it): %v", doc, t.Name(), err)
	}
}

// The text explanation fits the width it is given, for every built-in
// scenario: no line wider than 60 columns at 60.
func TestTextFitsItsWidth(t *testing.T) {
	for name, sc := range allModels(t) {
		var b bytes.Buffer
		if err := explain.TextWidth(&b, sc, 60); err != nil {
			t.Fatal(err)
		}
		for _, line := range strings.Split(b.String(), "\n") {
			if n := utf8.RuneCountInString(line); n > 60 {
				t.Errorf("%s: a line of %d columns: %q", name, n, line)
			}
		}
	}
}
