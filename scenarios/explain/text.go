package explain

import (
	"fmt"
	"io"
	"math"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// Formats lists the output formats of Write, the first the default.
var Formats = []string{"text", "mermaid", "dot"}

// Write writes sc in format, one of Formats.
func Write(w io.Writer, sc *scenarios.Scenario, format string) error {
	switch format {
	case "text":
		return Text(w, sc)
	case "mermaid":
		return Mermaid(w, sc.Model)
	case "dot":
		return DOT(w, sc.Model)
	}
	return fmt.Errorf("unknown format %q; allowed: %s", format, strings.Join(Formats, ", "))
}

// width is the width text is wrapped to.
const width = 80

// doc builds a text explanation.
type doc struct {
	b  strings.Builder
	sc *scenarios.Scenario
	m  *sim.Model
	t  *Translator
}

// heading starts a section.
func (d *doc) heading(title string) {
	if d.b.Len() > 0 {
		d.b.WriteByte('\n')
	}
	d.b.WriteString(title + "\n")
}

// para writes text wrapped, indented by level steps of two spaces.
func (d *doc) para(level int, text string) {
	in := strings.Repeat("  ", level)
	d.b.WriteString(wrap(text, width, in, in))
}

// item writes text as a list item: "- " and a hanging indent.
func (d *doc) item(level int, text string) {
	in := strings.Repeat("  ", level)
	d.b.WriteString(wrap(text, width, in+"- ", in+"  "))
}

// Text writes what the scenario sc does, in words: the run, the customers,
// the channels, the journey, the fatigue and loyalty rules, and each
// strategy with its triggers put into sentences.
func Text(w io.Writer, sc *scenarios.Scenario) error {
	d := &doc{sc: sc, m: sc.Model, t: ForScenario(sc)}
	d.title()
	d.lesson()
	d.run()
	d.population()
	d.channels()
	d.journey()
	d.fatigue()
	d.loyalty()
	d.levers()
	d.strategies()
	d.checks()
	_, err := io.WriteString(w, d.b.String())
	return err
}

func (d *doc) title() {
	d.b.WriteString("Scenario " + d.m.Name + "\n")
	if d.m.Description != "" {
		d.para(1, d.m.Description)
	}
}

func (d *doc) lesson() {
	l := d.sc.Lesson
	if l == nil {
		return
	}
	d.heading("The lesson: " + l.Title)
	d.item(1, "Ask: "+l.Question)
	d.item(1, "Vary: "+l.Vary)
	d.item(1, "Expect: "+l.Expect)
}

func (d *doc) run() {
	m := d.m
	d.heading("The run")
	reps := plural(float64(m.Replications), "replication")
	d.para(1, fmt.Sprintf("One tick is %s %s. A run lasts %s, %s (seed %d). Money is in %s; customer lifetime value discounts future margin at %s a year.",
		article(d.t.tick()), d.t.tick(), d.t.ticks(float64(m.Horizon)), reps, m.Seed, d.sc.Currency, pct(m.DiscountRate)))
}

// period is the span people count contacts over for a tick ("a week" for
// days) and its length in ticks.
func (t *Translator) contactPeriod() (string, float64) {
	switch t.tick() {
	case "day":
		return "a week", 7
	case "hour":
		return "a day", 24
	case "minute":
		return "an hour", 60
	case "week":
		return "a year", 52
	case "month":
		return "a year", 12
	case "quarter":
		return "a year", 4
	}
	return article(t.tick()) + " " + t.tick(), 1
}

func (d *doc) population() {
	m := d.m
	d.heading("The customers")
	d.para(1, fmt.Sprintf("%s customers, in %s:", count(m.Population.Size), plural(float64(len(m.Population.Personas)), "persona")))
	for _, p := range m.Population.Personas {
		d.item(1, d.persona(p))
	}
}

// persona describes one persona: affinities, consent, tolerance, loyalty
// and attributes.
func (d *doc) persona(p sim.Persona) string {
	m := d.m
	var parts []string
	// Affinities: of outbound channels always, of inbound ones when set.
	var likes []string
	first := true
	for ch, c := range m.Channels {
		if ch >= len(p.Affinity) {
			break
		}
		a := p.Affinity[ch]
		if c.Direction == sim.Inbound && a.Kind == sim.Constant && len(a.Params) == 1 && a.Params[0] == 0.5 {
			continue // the default, for a channel nobody is contacted on
		}
		noun := "the " + channelName(c.Name)
		if c.Direction == sim.Outbound {
			_, noun = message(c.Name)
		}
		mean := a.Mean()
		label := "affinity about "
		if !first {
			label = "about "
		}
		first = false
		likes = append(likes, fmt.Sprintf("%s (%s%s)", likeWords(mean, noun), label, about(mean)))
	}
	if len(likes) > 0 {
		parts = append(parts, list(likes, "and"))
	}
	var consents []string
	for ch, c := range m.Channels {
		if c.Direction != sim.Outbound || ch >= len(p.Consent) {
			continue
		}
		_, noun := message(c.Name)
		share := pct(p.Consent[ch])
		switch p.Consent[ch] {
		case 1:
			share = "all"
		case 0:
			share = "none"
		}
		consents = append(consents, share+" to "+noun)
	}
	if len(consents) > 0 {
		parts = append(parts, strings.Replace(list(consents, "and"), " to ", " consent to ", 1))
	}
	if d.messages() {
		parts = append(parts, d.bear(p.Tolerance))
	}
	loyal := p.Loyalty.Mean()
	parts = append(parts, fmt.Sprintf("start %s (loyalty about %s)", loyaltyWords(loyal), about(loyal)))
	text := fmt.Sprintf("%s (%s): %s.", p.Name, pct(p.Share), strings.Join(parts, "; "))
	var attrs []string
	for k, a := range m.Population.Attributes {
		if k >= len(p.Attributes) {
			break
		}
		dist := p.Attributes[k]
		if len(a.Levels) > 0 && dist.Kind == sim.Categorical {
			attrs = append(attrs, pretty(a.Name)+": "+describeLevels(dist))
			continue
		}
		attrs = append(attrs, pretty(a.Name)+" "+describe(dist))
	}
	if len(attrs) > 0 {
		text += " " + capitalize(strings.Join(attrs, "; ")) + "."
	}
	return text
}

// likeWords says how much a persona likes a channel, from its mean
// affinity.
func likeWords(a float64, noun string) string {
	switch {
	case a >= 0.75:
		return "love " + noun
	case a >= 0.55:
		return "like " + noun + " a lot"
	case a >= 0.4:
		return "like " + noun
	case a >= 0.25:
		return "are lukewarm about " + noun
	case a >= 0.1:
		return "care little for " + noun
	}
	return "ignore " + noun
}

// loyaltyWords says how loyal a starting loyalty is. Loyalty of 0.818 or
// more makes a promoter, below 0.636 a detractor.
func loyaltyWords(l float64) string {
	switch {
	case l >= 0.8:
		return "very loyal"
	case l >= 0.65:
		return "loyal"
	case l >= 0.5:
		return "fairly loyal"
	case l >= 0.3:
		return "not very loyal"
	}
	return "hardly loyal at all"
}

// describe writes a numeric distribution: "2 to 4", "about 3.7 (most
// between 1.8 and 6.3)".
func describe(d sim.Dist) string {
	lo, hi := spread(d)
	switch d.Kind {
	case sim.Constant:
		return about(lo)
	case sim.Uniform:
		return about(lo) + " to " + about(hi)
	case sim.Categorical:
		return describeLevels(d)
	}
	return fmt.Sprintf("about %s (most between %s and %s)", about(d.Mean()), about(lo), about(hi))
}

// spread returns the range most samples fall in: the bounds of a uniform,
// the 10th and 90th percentiles otherwise.
func spread(d sim.Dist) (lo, hi float64) {
	switch {
	case d.Kind == sim.Categorical || len(d.Params) == 0:
		return math.NaN(), math.NaN()
	case d.Kind == sim.Constant:
		return d.Params[0], d.Params[0]
	case d.Kind == sim.Uniform && len(d.Params) == 2:
		return d.Params[0], d.Params[1]
	}
	return d.Quantile(0.1), d.Quantile(0.9)
}

// describeLevels writes a categorical distribution: "north 40%, south 60%".
func describeLevels(d sim.Dist) string {
	var out []string
	for i, l := range d.Levels {
		if i < len(d.Weights) {
			out = append(out, l+" "+pct(d.Weights[i]))
		}
	}
	return strings.Join(out, ", ")
}

// bear says how much contact a persona bears before fatigue passes its
// tolerance: "bear about 1 to 3 contacts a week before it grates
// (tolerance 2 to 4)".
func (d *doc) bear(tol sim.Dist) string {
	f := d.m.Fatigue
	lo, hi := spread(tol)
	what := "tolerance " + describe(tol)
	// gap is the fewest ticks between contacts on one channel that keep
	// fatigue, right after a contact, at or below tolerance T: a contact
	// every g ticks settles at P / (1 − 0.5^(g/H)).
	gap := func(T float64) float64 {
		switch {
		case !(T > f.PerContact):
			return math.Inf(1)
		case f.HalfLife <= 0:
			return 1
		}
		return max(1, f.HalfLife*math.Log2(T/(T-f.PerContact)))
	}
	if f.PerContact <= 0 {
		return "never tire of contacts (" + what + ", but contacts add no fatigue)"
	}
	period, ticks := d.t.contactPeriod()
	slow, fast := gap(lo), gap(hi) // the touchiest customers need the longest gaps
	rate := func(g float64) string {
		r := math.Round(ticks / g)
		if r == 1 {
			return "one contact"
		}
		return num(r) + " contacts"
	}
	every := func(g float64) string { return d.t.ticks(math.Round(g)) }
	var s string
	switch {
	case math.IsInf(fast, 1):
		s = "find even a single contact too many"
	case ticks/fast < 0.75:
		s = "bear about one contact every " + every(fast)
		if slow != fast {
			s = "bear about one contact every " + every(fast) + " to " + every(slow)
		}
		if math.IsInf(slow, 1) {
			s = "bear at most about one contact every " + every(fast)
		}
		s += " before it grates"
	case math.IsInf(slow, 1):
		s = "bear up to about " + rate(fast) + " " + period + " before it grates, the touchiest not even one"
	case ticks/slow < 0.75:
		s = "bear up to about " + rate(fast) + " " + period + " before it grates, the touchiest one every " + every(slow)
	case rate(slow) == rate(fast):
		s = "bear about " + rate(fast) + " " + period + " before it grates"
	default:
		s = "bear about " + strings.TrimSuffix(rate(slow), " contacts") + " to " + rate(fast) + " " + period + " before it grates"
		s = strings.Replace(s, "about one contact to", "about 1 to", 1)
	}
	return s + " (" + what + ")"
}

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
	if c.Direction == sim.Outbound {
		dir = "outbound (the firm sends messages on it)"
	}
	kind, ok := kindWords[c.Kind]
	if !ok {
		kind = c.Kind.String()
	}
	text := fmt.Sprintf("%s: %s, %s.", c.Name, kind, dir)
	var costs []string
	if c.CostPerContact > 0 {
		costs = append(costs, money(c.CostPerContact, cur)+" a contact")
	}
	if c.CostPerMinute > 0 {
		costs = append(costs, money(c.CostPerMinute, cur)+" a minute of staff time")
	}
	if c.FixedCost > 0 {
		costs = append(costs, fmt.Sprintf("a fixed %s %s while switched on", money(c.FixedCost, cur), perTick(d.t.tick())))
	}
	if c.Commission > 0 {
		costs = append(costs, "a commission of "+pct(c.Commission)+" of what customers pay on it")
	}
	if len(costs) > 0 {
		text += " It costs " + list(costs, "and") + "."
	} else {
		text += " It costs nothing to run."
	}
	if c.Direction == sim.Outbound {
		text += " " + d.behaviour(c)
		if c.OptOut != nil {
			text += " After each contact the customer opts out of it with probability " + d.chance(c.OptOut) + "."
		} else if d.m.Fatigue.OptOut > 0 {
			text += " Opt-outs follow the general fatigue rule (below)."
		}
	}
	return text
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
		s += ", with " + list(params, "and")
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

// messages reports whether any strategy can send a message: whether
// fatigue and tolerance matter at all.
func (d *doc) messages() bool {
	for _, s := range d.m.Strategies {
		if len(s.Triggers) > 0 {
			return true
		}
	}
	return false
}

func (d *doc) fatigue() {
	f, t := d.m.Fatigue, d.t
	if !d.messages() {
		return // nothing is sent, so nothing tires customers
	}
	d.heading("Fatigue")
	if f.PerContact <= 0 {
		d.para(1, "Contacts do not tire customers here: each adds no fatigue, so fatigue never lowers responses, costs loyalty or makes customers opt out.")
		return
	}
	s := fmt.Sprintf("Each contact adds %s to the customer's fatigue on its channel", num(f.PerContact))
	if f.Spill > 0 {
		s += fmt.Sprintf(" and %s on every other channel", num(f.Spill*f.PerContact))
	}
	if f.HalfLife > 0 {
		s += fmt.Sprintf("; fatigue halves %s.", t.every(f.HalfLife))
		settle := func(g float64) string { return about(f.PerContact / (1 - math.Pow(0.5, g/f.HalfLife))) }
		period, ticks := t.contactPeriod()
		s += fmt.Sprintf(" A contact every %s settles at about %s", t.tick(), settle(1))
		if ticks > 1 {
			s += fmt.Sprintf(", one %s at about %s", period, settle(ticks))
		}
		s += "."
	} else {
		s += fmt.Sprintf("; fatigue is forgotten at the start of every %s.", t.tick())
	}
	s += " Fatigue lowers the chance of a response, and a contact ignored while fatigue is above the customer's tolerance costs loyalty."
	general := false // an outbound channel follows the general opt-out rule
	for _, c := range d.m.Channels {
		general = general || (c.Direction == sim.Outbound && c.OptOut == nil)
	}
	switch {
	case !general:
	case f.OptOut > 0:
		s += fmt.Sprintf(" On channels without an opt-out rule of their own, once fatigue is above tolerance a contact makes the customer opt out with probability %s × (fatigue ÷ tolerance − 1).", pct(f.OptOut))
	default:
		s += " Channels without an opt-out rule of their own lose nobody to fatigue."
	}
	d.para(1, s)
}

func (d *doc) loyalty() {
	l, t := d.m.Loyalty, d.t
	d.heading("Loyalty")
	s := "Loyalty runs from 0 to 1."
	switch {
	case l.ResponseGain > 0 && l.PurchaseGain > 0:
		s += fmt.Sprintf(" A response adds %s of what is missing to 1, a purchase %s.", pct(l.ResponseGain), pct(l.PurchaseGain))
	case l.ResponseGain > 0:
		s += fmt.Sprintf(" A response adds %s of what is missing to 1; a purchase does not raise it.", pct(l.ResponseGain))
	case l.PurchaseGain > 0:
		s += fmt.Sprintf(" A purchase adds %s of what is missing to 1; a response does not raise it.", pct(l.PurchaseGain))
	default:
		s += " Neither responses nor purchases raise it."
	}
	if l.IgnoredLoss > 0 {
		s += fmt.Sprintf(" A contact ignored while fatigue is above tolerance takes away %s of it.", pct(l.IgnoredLoss))
	} else {
		s += " Ignored contacts do not lower it."
	}
	if l.ExperienceWeight > 0 {
		s += fmt.Sprintf(" Each rated interaction moves loyalty %s of the way towards how good the experience was (a score from its CSAT and CES).", pct(l.ExperienceWeight))
	} else {
		s += " Experience (CSAT and CES) does not move loyalty."
	}
	if l.Churn != nil {
		s += fmt.Sprintf(" Each %s, a customer leaves for good with probability %s.", t.tick(), d.chance(l.Churn))
	} else {
		s += " Nobody leaves for good."
	}
	if l.Referral != nil {
		s += fmt.Sprintf(" Each %s, a customer brings a new one by referral (word of mouth) with probability %s; a referral is worth %s.", t.tick(), d.chance(l.Referral), money(roughly(l.ReferralValue), d.sc.Currency))
	} else {
		s += " Nobody brings in new customers by referral."
	}
	s += " At the end, a loyalty of 0.82 or more makes a promoter (NPS 9 or 10) and one below 0.64 a detractor (0 to 6)."
	d.para(1, s)
}

// levelWords explains the integration levels.
var levelWords = [...]string{
	sim.Mono:  "mono-channel: each channel works alone and nothing carries over",
	sim.Multi: "multichannel: the channels run as separate silos, so a customer who switches starts again",
	sim.Cross: "cross-channel: the channels share customer data, so the cart and history follow the customer",
	sim.Omni:  "omnichannel: one seamless experience across all channels",
}

// levers lists the settings the strategies choose between.
func (d *doc) levers() {
	if len(d.m.Levers) == 0 {
		return
	}
	d.heading("The levers")
	d.para(1, "Settings each strategy chooses; the journey reads them.")
	for _, l := range d.m.Levers {
		w := pretty(l.Name)
		if l.Description != "" {
			w += ": " + strings.TrimSuffix(l.Description, ".")
		}
		w += " ("
		if !math.IsInf(l.Min, 0) && !math.IsInf(l.Max, 0) && l.Min < l.Max {
			w += "from " + num(l.Min) + " to " + num(l.Max) + "; "
		}
		w += "unless a strategy sets it, " + num(l.Default)
		if l.CostPerTick > 0 {
			w += fmt.Sprintf("; each unit costs %s %s", money(l.CostPerTick, d.sc.Currency), perTick(d.t.tick()))
		}
		d.item(1, w+").")
	}
}

func (d *doc) strategies() {
	d.heading("The strategies")
	for i, s := range d.m.Strategies {
		if i > 0 {
			d.b.WriteByte('\n')
		}
		d.strategy(s)
	}
}

// strategy describes one strategy and its triggers.
func (d *doc) strategy(s sim.Strategy) {
	m, t := d.m, d.t
	d.para(1, s.Name)
	if s.Description != "" {
		d.para(2, sentence(s.Description))
	}
	var on, off []string
	for ch, c := range m.Channels {
		if ch < len(s.Channels) && s.Channels[ch] {
			on = append(on, c.Name)
		} else {
			off = append(off, c.Name)
		}
	}
	chans := "Channels on: " + list(on, "and")
	if len(on) == 0 {
		chans = "No channel is on"
	}
	if len(off) > 0 {
		chans += "; off: " + list(off, "and") + " (moves to touchpoints on them fail)"
	}
	d.item(2, chans+".")
	if lvl := int(s.Integration); lvl >= 0 && lvl < len(levelWords) {
		in := m.Integration[lvl]
		fail := "a switch of channel fails " + pct(in.DropOff) + " of the time"
		if in.DropOff >= 1 {
			fail = "every switch of channel fails"
		} else if in.DropOff <= 0 {
			fail = "a switch of channel never fails"
		}
		cart := "the cart is lost"
		if in.KeepCart {
			cart = "the cart goes along"
		}
		d.item(2, fmt.Sprintf("Integration %s (%s): %s (the customer is lost to a competitor for that move), a switch adds %s of effort (CES), and %s.",
			s.Integration, levelWords[lvl], fail, plural(in.Effort, "point"), cart))
	}
	if s.Discount > 0 {
		d.item(2, fmt.Sprintf("Every purchase gets %s off, contacted or not.", pct(s.Discount)))
	}
	if len(m.Levers) > 0 && len(s.Levers) == len(m.Levers) {
		var set []string
		for k, l := range m.Levers {
			w := pretty(l.Name) + " " + num(s.Levers[k])
			if c := s.Levers[k] * l.CostPerTick; c > 0 {
				w += fmt.Sprintf(" (costing %s %s)", money(c, d.sc.Currency), perTick(t.tick()))
			}
			set = append(set, w)
		}
		d.item(2, "Levers: "+list(set, "and")+".")
	}
	for _, c := range s.Caps {
		d.item(2, "Cap: "+d.capWords(c)+".")
	}
	if s.Holdout > 0 {
		d.item(2, fmt.Sprintf("Holdout: %s of customers get no messages at all; they are the control group the others are compared with.", pct(s.Holdout)))
	}
	if s.Quiet != nil {
		d.item(2, "Quiet: no message goes out when "+t.Condition(s.Quiet.Source)+".")
	}
	if s.SuppressAbove > 0 {
		d.item(2, fmt.Sprintf("No message goes out on a channel where the customer's fatigue is %s times their tolerance or more.", num(s.SuppressAbove)))
	}
	if len(s.Triggers) == 0 {
		d.item(2, "It sends no messages: customers follow the journey on their own.")
		return
	}
	d.item(2, fmt.Sprintf("Messages, in the order they are tried (at most %s per customer %s):", plural(float64(s.PerTick), "message"), perTick(t.tick())))
	for _, tr := range s.Triggers {
		d.item(3, tr.Name+": "+d.trigger(tr)+".")
	}
}

// capWords says what a frequency cap allows: "at most 2 e-mails in any 7
// days".
func (d *doc) capWords(c sim.Cap) string {
	what := plural(float64(c.Max), "contact") + " on all channels together"
	if c.Channel >= 0 && c.Channel < len(d.m.Channels) {
		what = messages(float64(c.Max), d.m.Channels[c.Channel].Name)
	}
	if c.Max == 0 {
		return "no " + strings.TrimPrefix(what, "0 ") + " at all"
	}
	return "at most " + what + " in any " + d.t.ticks(float64(c.Window))
}

// trigger puts a trigger into a sentence: "when the customer has not
// bought for more than 30 days and loyalty is below 0.5, send an e-mail
// (priority 1), at most once every 7 days".
func (d *doc) trigger(tr sim.Trigger) string {
	t := d.t
	source := ""
	if tr.When != nil {
		source = tr.When.Source
	}
	when := "when " + t.Condition(source) + ","
	if v, ok := tr.When.Const(); ok {
		when = "whenever allowed,"
		if v == 0 {
			when = "never (switched off):"
		}
	}
	one := "message"
	if tr.Channel >= 0 && tr.Channel < len(d.m.Channels) {
		one, _ = message(d.m.Channels[tr.Channel].Name)
	}
	s := when + " send " + article(one) + " " + one
	if tr.Discount > 0 {
		s += " with a " + pct(tr.Discount) + " offer"
	}
	switch {
	case tr.Delay == 1:
		s += " the next " + t.tick()
	case tr.Delay > 1:
		s += " " + t.ticks(float64(tr.Delay)) + " later"
	}
	if tr.Priority != 0 {
		s += fmt.Sprintf(" (priority %d)", tr.Priority)
	}
	switch {
	case tr.Cooldown == 1:
		s += ", at most once " + perTick(t.tick())
	case tr.Cooldown > 1:
		s += ", at most once every " + t.ticks(float64(tr.Cooldown))
	}
	return s
}

func (d *doc) checks() {
	if len(d.sc.Checks) == 0 {
		return
	}
	d.heading("Checks")
	d.para(1, "After each run, the scenario checks that:")
	for _, c := range d.sc.Checks {
		who := "every strategy"
		if len(c.Strategies) > 0 {
			who = list(c.Strategies, "and")
		}
		d.item(1, d.t.Condition(c.Source)+" ("+who+")")
	}
}
