package explain

import (
	"fmt"
	"math"
	"strings"

	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

func (d *doc) population() {
	m := d.m
	d.heading("The customers")
	d.para(1, fmt.Sprintf("%s customers, in %s:", count(m.Population.Size), counted(float64(len(m.Population.Personas)), "persona")))
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
		parts = append(parts, text.List(likes, "and"))
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
		parts = append(parts, strings.Replace(text.List(consents, "and"), " to ", " consent to ", 1))
	}
	if d.messages() {
		parts = append(parts, d.bear(p.Tolerance))
	}
	loyal := p.Loyalty.Mean()
	parts = append(parts, fmt.Sprintf("start %s (loyalty about %s)", loyaltyWords(loyal), about(loyal)))
	desc := fmt.Sprintf("%s (%s): %s.", p.Name, pct(p.Share), strings.Join(parts, "; "))
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
		desc += " " + text.Capitalize(strings.Join(attrs, "; ")) + "."
	}
	return desc
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
