package explain

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"unicode"

	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

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
		if w := l.RecoveryWeight; w > 0 && w != 1 {
			s += fmt.Sprintf(" After a complaint (a CSAT of 2 or less), the next rated interaction, if it comes within %s, is the complaint's recovery and counts %s times as much (at most all the way): customers who complained watch what happens next.", t.ticks(float64(l.RecoveryWindow)), num(w))
		}
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
	d.survey()
	d.reviews()
}

// survey explains the simulated survey, if there is one.
func (d *doc) survey() {
	v := d.m.Survey
	if v.Sample == 0 {
		return
	}
	d.heading("Survey")
	s := fmt.Sprintf("After the last %s, %s of the customers still there are invited to a survey", d.t.tick(), pct(v.Sample))
	if v.Response != nil {
		s += fmt.Sprintf(", and each answers with probability %s.", d.chance(v.Response))
	} else {
		s += ", and all of them answer."
	}
	s += fmt.Sprintf(" The answer to \"how likely are you to recommend us?\" comes from loyalty, with %s weight on the last rated interaction; CSAT and CES are those of that last interaction.", pct(v.Recency))
	s += " The survey's NPS, CSAT and CES are what the company measures; the population's own values, shown beside them, are what no company sees."
	d.para(1, s)
}

// reviews explains the public reviews, if anything posts or reads them.
func (d *doc) reviews() {
	r := d.m.Reviews
	posted := slices.ContainsFunc(d.m.Nodes, func(n sim.Node) bool { return n.Review != nil })
	if !posted && r.Count == 0 {
		return
	}
	d.heading("Reviews")
	var s string
	if r.Count > 0 {
		s = fmt.Sprintf("Before the run there are %s reviews averaging %s stars.", num(r.Count), num(r.Rating))
	} else {
		s = "Before the run there are no reviews."
	}
	if posted {
		s += " Reviews posted at the touchpoints that say so join them, with the stars of the visit's CSAT, and customers read the rating (review_rating) before they buy, as it stood the " + d.t.tick() + " before."
	}
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
			desc := strings.TrimSuffix(l.Description, ".")
			if head, _, ok := strings.Cut(desc, ":"); ok && sameWords(head, w) {
				w = desc // "hype: the ads promise more", not "hype: hype: …"
			} else {
				w += ": " + desc
			}
		}
		w += " ("
		if !math.IsInf(l.Min, 0) && !math.IsInf(l.Max, 0) && l.Min < l.Max {
			w += "from " + num(l.Min) + " to " + num(l.Max) + "; "
		}
		w += "unless a strategy sets it, " + num(l.Default)
		if l.CostPerTick > 0 {
			w += fmt.Sprintf("; each unit costs %s %s", money(l.CostPerTick, d.sc.Currency), perTick(d.t.tick()))
		}
		if l.CostPerCustomer > 0 {
			w += fmt.Sprintf("; each unit costs %s per active customer %s", money(l.CostPerCustomer, d.sc.Currency), perTick(d.t.tick()))
		}
		if len(l.Investments) > 0 {
			w += "; each unit first needs " + d.investmentWords(l.Investments)
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
	chans := "Channels on: " + text.List(on, "and")
	if len(on) == 0 {
		chans = "No channel is on"
	}
	if len(off) > 0 {
		chans += "; off: " + text.List(off, "and") + " (moves to touchpoints on them fail)"
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
			s.Integration, levelWords[lvl], fail, counted(in.Effort, "point"), cart))
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
		d.item(2, "Levers: "+text.List(set, "and")+".")
	}
	if len(s.Investments) > 0 {
		d.item(2, "Investments: "+d.investmentWords(s.Investments)+".")
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
	d.item(2, fmt.Sprintf("Messages, in the order they are tried (at most %s per customer %s):", counted(float64(s.PerTick), "message"), perTick(t.tick())))
	for _, tr := range s.Triggers {
		d.item(3, tr.Name+": "+d.trigger(tr)+".")
	}
}

// investmentWords lists investments in words: "crm: 80,000 EUR paid at
// the start; app: 40,000 EUR paid on day 90 and written off over 1,095
// days".
func (d *doc) investmentWords(invs []sim.Investment) string {
	var parts []string
	for _, inv := range invs {
		w := inv.Name + ": " + money(inv.Amount, d.sc.Currency) + " paid "
		if inv.Tick == 0 {
			w += "at the start"
		} else {
			w += "on " + d.t.tick() + " " + num(float64(inv.Tick))
		}
		if inv.Life > 0 {
			w += " and written off over " + d.t.ticks(float64(inv.Life))
		}
		parts = append(parts, w)
	}
	return strings.Join(parts, "; ")
}

// capWords says what a frequency cap allows: "at most 2 e-mails in any 7
// days".
func (d *doc) capWords(c sim.Cap) string {
	what := counted(float64(c.Max), "contact") + " on all channels together"
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
			who = text.List(c.Strategies, "and")
		}
		d.item(1, d.t.Condition(c.Source)+" ("+who+")")
	}
}

// sameWords reports whether a and b are the same words, whatever their
// case and whether spaces, hyphens or underscores join them.
func sameWords(a, b string) bool {
	norm := func(s string) string {
		return strings.Map(func(r rune) rune {
			if r == ' ' || r == '-' || r == '_' {
				return -1
			}
			return unicode.ToLower(r)
		}, s)
	}
	return norm(a) == norm(b)
}
