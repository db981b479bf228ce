package explain

import (
	"io"
	"strings"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/scenarios/explain/journeymap"
	"github.com/journeysim/journeysim/sim"
)

// JourneyMap lays out the journey of sc as a customer-journey map: its
// stages as columns in journey order, its channels as lanes, each
// touchpoint a box, and each move an arrow labelled with its chance in the
// words the explanation uses ("otherwise" for what the moves before it
// leave). Draw it with its SVG method, or with a run's figures with
// journeymap.Annotated.
func JourneyMap(sc *scenarios.Scenario) *journeymap.Layout {
	t := ForScenario(sc)
	m := sc.Model
	return journeymap.New(m, journeymap.Options{
		Label:    func(from, k int, response bool) string { return t.moveChance(m, from, k, response) },
		Details:  func(i int) []string { return t.nodeDetails(m, sc.Currency, i) },
		Currency: sc.Currency,
		Tick:     t.tick(),
	})
}

// SVG writes the journey of sc as a customer-journey map in SVG
// (JourneyMap).
func SVG(w io.Writer, sc *scenarios.Scenario) error {
	_, err := w.Write(JourneyMap(sc).SVG())
	return err
}

// moveChance is the chance of node from's k-th move (its response move
// when response) in words, as the explanation says it: a constant as a
// percentage, a formula in words, "always" for a certain move, and
// "otherwise" for a certain move after others, which takes what they
// leave. A move to another touchpoint that opens or empties the cart says
// so.
func (t *Translator) moveChance(m *sim.Model, from, k int, response bool) string {
	n := m.Nodes[from]
	edges := n.Edges
	if response {
		edges = n.ResponseEdges
	}
	e := edges[k]
	chance := "never"
	if e.P != nil {
		chance = t.Probability(e.P.Source)
		if v, ok := e.P.Const(); ok && v >= 1 {
			chance = "always"
			if !response && k > 0 {
				chance = "otherwise"
			}
		}
	}
	switch {
	case response:
	case e.P.ReadsReviews():
		// The chance follows what earlier customers posted: online word
		// of mouth.
		chance = "reviews: " + chance
	case e.P.ReadsAdopters():
		// The chance grows with those who have already bought: the move
		// is word of mouth, which the lesson may turn on.
		chance = "word of mouth: " + chance
	}
	if e.To >= 0 && e.To < len(m.Nodes) && e.To != from {
		switch e.Cart {
		case sim.CartOpen:
			chance += ", opens the cart"
		case sim.CartClear:
			chance += ", empties the cart"
		}
	}
	return chance
}

// nodeDetails are the lines of a touchpoint's box under its name: what a
// purchase is worth, its ratings and its moments of truth.
func (t *Translator) nodeDetails(m *sim.Model, currency string, i int) []string {
	n := m.Nodes[i]
	var out []string
	if n.Purchase {
		out = append(out, "worth about "+money(roughly(n.Basket.Mean()), currency))
	}
	var rated []string
	if n.Satisfaction != nil {
		rated = append(rated, "CSAT "+t.Number(n.Satisfaction.Source))
	}
	if n.Effort != nil {
		rated = append(rated, "CES "+t.Number(n.Effort.Source))
	}
	// Short ratings share a line; a rating given as a formula has its own.
	if joined := strings.Join(rated, " · "); len(joined) <= 32 {
		if joined != "" {
			out = append(out, joined)
		}
	} else {
		out = append(out, rated...)
	}
	var tags []string
	for _, tag := range n.Tags {
		if w, ok := tagWords[strings.ToLower(tag)]; ok {
			tags = append(tags, strings.ToUpper(tag)+", "+w)
		} else {
			tags = append(tags, tag)
		}
	}
	if len(tags) > 0 {
		out = append(out, strings.Join(tags, " · "))
	}
	return out
}
