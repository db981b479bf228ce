package sim

import (
	"fmt"
	"math"
)

// move runs the second half of a customer's tick: a move along the journey
// (which may be a purchase), churn and word of mouth.
func (w *worker) move(st *Strategy, key Key, i, t int, tot *Totals) {
	s, m, c := w.s, w.m, w.c
	node := &m.Nodes[s.node[i]]
	if e := w.pick(node.Edges, key.Float(purposeMove)); e != nil {
		w.take(st, e, key, i, t, true, purposeBasket, tot)
	}
	if m.Loyalty.Churn != nil && key.Float(purposeChurn) < m.Loyalty.Churn.Number(c) {
		w.churn(i, t, tot)
	}
	if m.Loyalty.Referral != nil && key.Float(purposeReferral) < m.Loyalty.Referral.Number(c) {
		w.refer(i, t, tot)
	}
}

// pick chooses one of edges with the uniform draw u: edge probabilities are
// taken in order, and what is left over means staying.
func (w *worker) pick(edges []Edge, u float64) *Edge {
	acc := 0.0
	for k := range edges {
		e := &edges[k]
		p := e.P.Number(w.c)
		if p != p {
			w.c.fail(e.P, fmt.Errorf("probability is NaN"))
			return nil
		}
		acc += clamp01(p)
		if u < acc {
			return e
		}
	}
	return nil
}

// take moves customer i along edge e. Along the journey (not in answer to
// a contact) a move between two channels is a switch, which the strategy's
// integration level makes more or less costly.
func (w *worker) take(st *Strategy, e *Edge, key Key, i, t int, journey bool, basket uint64, tot *Totals) {
	s, m := w.s, w.m
	if e.To < 0 {
		w.cart(e, i)
		return
	}
	from, to := &m.Nodes[s.node[i]], &m.Nodes[e.To]
	if to.Channel >= 0 && !st.Channels[to.Channel] {
		w.leak(i, tot)
		return
	}
	extraEffort := 0.0
	if journey && from.Channel >= 0 && to.Channel >= 0 && from.Channel != to.Channel {
		var lost bool
		if extraEffort, lost = w.switchChannel(st, key, i, tot); lost {
			return
		}
	}
	s.node[i] = int16(e.To)
	w.cart(e, i)
	tot.NodeVisits[e.To]++
	if to.Stage != from.Stage {
		tot.StageEntries[to.Stage]++
	}
	if to.Channel >= 0 {
		tot.Channels[to.Channel].Visits++
		s.fresh[i] |= evVisit
		if w.paths != nil {
			w.paths.touch(tot.Paths, i, to.Channel, t)
		}
	}
	if to.Satisfaction != nil || to.Effort != nil || extraEffort > 0 {
		w.experience(e.To, i, extraEffort, tot)
		if to.Review != nil {
			w.review(to, key.Float(purposeReview+uint64(e.To)), i, tot)
		}
	}
	if to.Cost != nil {
		w.chargeVisit(to, t, tot)
	}
	if to.Purchase {
		adopting := s.flags[i]&flagBought == 0
		w.purchase(to, key, i, t, basket, tot)
		if adopting && s.flags[i]&flagBought != 0 && e.P.ReadsAdopters() {
			tot.WordOfMouth++
		}
	}
}

// review posts customer i's rating of a visit to node to as a public
// review, with the node's review probability, using the uniform draw u.
func (w *worker) review(to *Node, u float64, i int, tot *Totals) {
	p := to.Review.Number(w.c)
	if p != p {
		w.c.fail(to.Review, fmt.Errorf("probability is NaN"))
		return
	}
	if u < clamp01(p) {
		tot.Reviews++
		tot.ReviewStars += math.Round(float64(w.s.satisfaction[i]))
	}
}

// chargeVisit counts what a visit to node to costs at tick t on its channel.
// A cost that is not a finite number of at least 0 fails the run.
func (w *worker) chargeVisit(to *Node, t int, tot *Totals) {
	v := to.Cost.Number(w.c)
	if !(v >= 0) || math.IsInf(v, 1) {
		w.c.fail(to.Cost, fmt.Errorf("cost %g: a visit's cost must be a finite number of at least 0", v))
		return
	}
	tot.ChannelCost += v
	tot.Channels[to.Channel].Cost += v
	tot.Series[t].Contribution -= v
}

// switchChannel counts customer i's switch from one channel to another
// along the journey. The strategy's integration level says whether the
// cart carries over, what effort the switch adds and how many drop off
// and leak; it returns the extra effort, and whether the move is lost.
func (w *worker) switchChannel(st *Strategy, key Key, i int, tot *Totals) (extraEffort float64, lost bool) {
	tot.Switches++
	integ := &w.m.Integration[st.Integration]
	if !integ.KeepCart {
		w.s.flags[i] &^= flagCart
	}
	if key.Float(purposeSwitch) < integ.DropOff {
		w.leak(i, tot)
		return 0, true
	}
	return integ.Effort, false
}

// leak counts a move of customer i lost at a switch or to a switched-off
// channel.
func (w *worker) leak(i int, tot *Totals) {
	w.s.fresh[i] |= evLeak
	tot.Leaks++
}

// cart applies an edge's effect on the cart.
func (w *worker) cart(e *Edge, i int) {
	switch e.Cart {
	case CartOpen:
		w.s.flags[i] |= flagCart
		w.s.fresh[i] |= evCart
	case CartClear:
		w.s.flags[i] &^= flagCart
	}
}

// purchase makes customer i buy at node to.
func (w *worker) purchase(to *Node, key Key, i, t int, draw uint64, tot *Totals) {
	s := w.s
	basket := to.Basket.Quantile(key.OpenFloat(draw))
	if to.Competitor {
		// Bought elsewhere: the firm's loss of wallet share, and the end of
		// the path without a conversion.
		s.flags[i] &^= flagCart
		s.fresh[i] |= evLeak
		tot.CompetitorPurchases++
		tot.CompetitorSpend += basket
		if w.paths != nil {
			w.paths.drop(tot.Paths, i)
		}
		return
	}
	w.buy(basket, to.Channel, i, t, false, tot)
}

// buy makes customer i buy a basket worth basket at list price on channel
// ch (-1 for none) at tick t, with the best discount on offer; answered
// says whether the purchase is a behaviour's answer. A purchase that
// would make revenue infinite fails the run.
func (w *worker) buy(basket float64, ch, i, t int, answered bool, tot *Totals) {
	s, m := w.s, w.m
	d := w.c.discount()
	paid := basket * (1 - d)
	if before := s.revenue[i]; !finite(before+paid) || !finite(tot.Revenue+paid) {
		whose := "the customer's revenue"
		if finite(before + paid) {
			whose, before = "revenue summed over customers", tot.Revenue
		}
		w.c.stop(&OutcomeError{Tick: t, Customer: s.first + i, Err: fmt.Errorf(
			"revenue is no longer a finite number: a purchase of %g%s on top of %s of %g; a basket or a purchase must keep revenue below about 1e308",
			basket, w.purchaseCause(ch, answered), whose, before)})
		return
	}
	series := &tot.Series[t]
	if s.flags[i]&flagBought == 0 {
		series.NewBuyers++
	}
	s.revenue[i] += paid
	s.purchases[i]++
	s.lastPurchase[i] = int32(t)
	s.offer[i] = 0
	s.flags[i] = (s.flags[i] &^ flagCart) | flagBought
	s.fresh[i] |= evPurchase
	s.loyalty[i] += m.Loyalty.PurchaseGain * (1 - s.loyalty[i])
	tot.Purchases++
	tot.Revenue += paid
	tot.Discount += basket * d
	tot.GrossMargin += basket * m.Margin
	series.Purchases++
	series.Revenue += paid
	series.Contribution += basket*m.Margin - basket*d
	if s.flags[i]&flagHoldout != 0 {
		h := &tot.Holdout
		h.Purchases++
		h.Revenue += paid
		h.GrossMargin += basket * m.Margin
		h.Discount += basket * d
	}
	if ch >= 0 {
		w.sell(ch, paid, series, tot)
	}
	if w.paths != nil {
		w.paths.convert(tot.Paths, i, paid)
	}
}

// purchaseCause says where a purchase came from: a behaviour's answer
// on channel ch, or a basket drawn as the customer moved.
func (w *worker) purchaseCause(ch int, answered bool) string {
	if answered {
		c := &w.m.Channels[ch]
		return fmt.Sprintf(" (answered on channel %s by behaviour %s)", c.Name, c.BehaviourName)
	}
	return " (a basket drawn in the journey)"
}

// sell counts a purchase worth paid on channel ch, and the channel's
// commission on it.
func (w *worker) sell(ch int, paid float64, series *TickTotals, tot *Totals) {
	ct := &tot.Channels[ch]
	ct.Purchases++
	ct.Revenue += paid
	if k := w.m.Channels[ch].Commission; k > 0 {
		ct.Cost += k * paid
		tot.ChannelCost += k * paid
		series.Contribution -= k * paid
	}
}
