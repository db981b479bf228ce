package explain

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// kindWords explains a channel's kind.
var kindWords = map[sim.ChannelKind]string{
	sim.Owned:  "owned (the firm's own)",
	sim.Paid:   "paid (the firm pays for it)",
	sim.Earned: "earned (others speak of the firm: reviews, press, word of mouth)",
	sim.Shared: "shared (social platforms the firm and its customers both use)",
}

func (d *doc) channels() {
	d.heading("The channels")
	for _, c := range d.m.Channels {
		d.item(1, d.channel(c))
	}
}

// channel describes one channel.
func (d *doc) channel(c sim.Channel) string {
	cur := d.sc.Currency
	dir := "inbound (customers come to it)"
	noun := c.Noun
	if noun == "" {
		noun = "contact"
	}
	if c.Direction == sim.Outbound {
		dir = "outbound (the firm sends messages on it)"
		if noun != "contact" {
			dir = "outbound (its contacts are " + text.Plural(noun) + ", placed by the strategies' triggers)"
		}
	}
	kind, ok := kindWords[c.Kind]
	if !ok {
		kind = c.Kind.String()
	}
	desc := fmt.Sprintf("%s: %s, %s.", c.Name, kind, dir)
	var costs []string
	if c.CostPerContact > 0 {
		costs = append(costs, money(c.CostPerContact, cur)+" "+article(noun)+" "+noun)
	}
	if c.CostPerMinute > 0 {
		costs = append(costs, money(c.CostPerMinute, cur)+" a minute of staff time")
	}
	if c.FixedCost > 0 {
		costs = append(costs, fmt.Sprintf("a fixed %s %s while switched on", money(c.FixedCost, cur), perTick(d.t.tick())))
	}
	if c.CostPerCustomer > 0 {
		costs = append(costs, fmt.Sprintf("%s per active customer %s while switched on", money(c.CostPerCustomer, cur), perTick(d.t.tick())))
	}
	if c.Commission > 0 {
		costs = append(costs, "a commission of "+pct(c.Commission)+" of what customers pay on it")
	}
	if len(costs) > 0 {
		desc += " It costs " + text.List(costs, "and") + "."
	} else {
		desc += " It costs nothing to run."
	}
	if c.Direction == sim.Outbound {
		desc += " " + d.behaviour(c)
		if c.OptOut != nil {
			desc += " After each contact the customer opts out of it with probability " + d.chance(c.OptOut) + "."
		} else if d.m.Fatigue.OptOut > 0 {
			desc += " Opt-outs follow the general fatigue rule (below)."
		}
	}
	return desc
}

// chance writes a probability for "with probability ...", in parentheses
// when it is a list of cases.
func (d *doc) chance(e *sim.Expr) string {
	if e == nil {
		return "0%"
	}
	p := d.t.Probability(e.Source)
	if strings.HasPrefix(p, "if ") {
		return "(" + p + ")"
	}
	return p
}

// perTick writes "a day", "an hour".
func perTick(tick string) string { return article(tick) + " " + tick }

// behaviour describes how customers answer on an outbound channel.
func (d *doc) behaviour(c sim.Channel) string {
	p := c.BehaviourParams
	switch c.BehaviourName {
	case "response":
		s := fmt.Sprintf("Customers answer as the built-in response behaviour says: one with full affinity and no fatigue responds to %s of contacts, fewer with less affinity or more fatigue", pct(p["rate"]))
		if lift := p["offer_lift"]; lift > 0 {
			s += fmt.Sprintf("; a 10%% offer raises that by %s", pct(lift*0.1))
		}
		s += fmt.Sprintf("; a response is rated about %s of 5 for satisfaction (CSAT) and %s of 7 for effort (CES).", num(p["satisfaction"]), num(p["effort"]))
		return s
	case "silent":
		return "Nobody ever responds on it (the silent behaviour): it only carries awareness."
	}
	name := strings.TrimPrefix(c.BehaviourName, "plugin:")
	if name == "" {
		name = "its own behaviour"
	}
	var params []string
	for _, k := range sortedKeys(p) {
		params = append(params, k+" "+num(p[k]))
	}
	for _, k := range sortedKeys(c.BehaviourText) {
		params = append(params, k+" (text)")
	}
	s := "Customers answer as the plugin " + name + " says"
	if !strings.HasPrefix(c.BehaviourName, "plugin:") {
		s = "Customers answer as the behaviour " + name + " says"
	}
	if len(params) > 0 {
		s += ", with " + text.List(params, "and")
	}
	return s + "."
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// tagWords explains the moments of truth.
var tagWords = map[string]string{
	"zmot": "zero moment of truth",
	"fmot": "first moment of truth",
	"smot": "second moment of truth",
}

func (d *doc) journey() {
	m := d.m
	d.heading("The journey")
	start := ""
	if m.Start >= 0 && m.Start < len(m.Nodes) {
		start = " Every customer starts at " + m.Nodes[m.Start].Name + "."
	}
	d.para(1, fmt.Sprintf("Stages, in order: %s.%s A purchase is worth about %s at list price, unless its touchpoint says otherwise; %s of the list price is gross margin.",
		strings.Join(m.Stages, " → "), start, money(roughly(m.Basket.Mean()), d.sc.Currency), pct(m.Margin)))
	d.para(1, fmt.Sprintf("Each %s, a customer takes at most one of the moves out of their touchpoint, with the chances below, tried in order: what is left over is the chance to stay put. Moves \"on a response\" are taken when the customer responds to a message. A move between touchpoints on two channels is a switch, which the strategy's integration level may make fail.", d.t.tick()))
	for s, stage := range m.Stages {
		d.b.WriteByte('\n')
		d.para(1, stage)
		for i, n := range m.Nodes {
			if n.Stage == s {
				d.node(i, n)
			}
		}
	}
}

// roughly rounds an amount for a sentence.
func roughly(v float64) float64 {
	switch {
	case math.IsNaN(v) || math.IsInf(v, 0):
		return v
	case math.Abs(v) >= 10:
		return math.Round(v)
	}
	return math.Round(v*100) / 100
}

// node describes one touchpoint and the moves out of it.
func (d *doc) node(i int, n sim.Node) {
	m := d.m
	var facts []string
	if n.Channel >= 0 && n.Channel < len(m.Channels) {
		facts = append(facts, "on "+m.Channels[n.Channel].Name)
	} else {
		facts = append(facts, "no channel")
	}
	switch {
	case n.Purchase && n.Competitor:
		facts = append(facts, "a purchase at a competitor, worth about "+money(roughly(n.Basket.Mean()), d.sc.Currency))
	case n.Purchase:
		facts = append(facts, "a purchase worth about "+money(roughly(n.Basket.Mean()), d.sc.Currency))
	}
	if n.Satisfaction != nil {
		facts = append(facts, "satisfaction (CSAT) "+d.t.Number(n.Satisfaction.Source))
	}
	if n.Effort != nil {
		facts = append(facts, "effort (CES) "+d.t.Number(n.Effort.Source))
	}
	if n.Review != nil {
		facts = append(facts, "posted as a review with probability "+d.chance(n.Review))
	}
	if n.Cost != nil {
		facts = append(facts, "each visit costs "+d.t.Number(n.Cost.Source)+" "+d.sc.Currency)
	}
	for _, tag := range n.Tags {
		if w, ok := tagWords[strings.ToLower(tag)]; ok {
			facts = append(facts, strings.ToUpper(tag)+", the "+w)
		} else {
			facts = append(facts, "tagged "+tag)
		}
	}
	if i == m.Start {
		facts = append(facts, "where customers start")
	}
	d.item(2, n.Name+" ("+strings.Join(facts, "; ")+")")
	leftover, known, rest := 1.0, true, false
	for k, e := range n.Edges {
		text := d.edge(n, e)
		if v, ok := e.P.Const(); ok && e.P != nil && v >= 1 && k > 0 {
			// A last edge of probability 1 takes whatever the ones
			// before it leave.
			text, rest = strings.TrimSuffix(text, ": always")+": otherwise", true
		}
		d.item(3, text)
		if v, ok := e.P.Const(); ok && e.P != nil {
			leftover -= min(max(v, 0), 1)
		} else {
			known = false
		}
	}
	switch {
	case len(n.Edges) == 0:
		d.item(3, "no moves of its own: stays unless a response moves the customer")
	case rest:
	case !known:
		d.item(3, "otherwise stays")
	case leftover > 1e-9:
		d.item(3, "otherwise stays ("+pct(leftover)+")")
	}
	for _, e := range n.ResponseEdges {
		d.item(3, "on a response, "+d.edge(n, e))
	}
}

// edge describes one move.
func (d *doc) edge(from sim.Node, e sim.Edge) string {
	m := d.m
	chance := "never"
	if e.P != nil {
		chance = d.t.Probability(e.P.Source)
		if v, ok := e.P.Const(); ok && v >= 1 {
			chance = "always"
		}
	}
	cart := map[sim.CartEffect]string{sim.CartOpen: "opening the cart", sim.CartClear: "emptying the cart"}[e.Cart]
	if e.To < 0 || e.To >= len(m.Nodes) {
		what := "stays"
		if cart != "" {
			what += ", " + cart
		}
		return what + ": " + chance
	}
	to := m.Nodes[e.To]
	var notes []string
	switch {
	case to.Purchase && to.Competitor:
		notes = append(notes, "a purchase at a competitor")
	case to.Purchase:
		notes = append(notes, "a purchase")
	}
	if from.Channel >= 0 && to.Channel >= 0 && from.Channel != to.Channel && from.Channel < len(m.Channels) && to.Channel < len(m.Channels) {
		notes = append(notes, "a switch from "+m.Channels[from.Channel].Name+" to "+m.Channels[to.Channel].Name)
	}
	if cart != "" {
		notes = append(notes, cart)
	}
	s := "to " + to.Name
	if len(notes) > 0 {
		s += " (" + strings.Join(notes, ", ") + ")"
	}
	return s + ": " + chance
}
