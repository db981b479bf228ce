package sim

import (
	"context"
	"fmt"
	"math"
	"slices"
)

// addFixedCosts adds to a replication's totals the fixed costs of the
// channels each strategy switches on.
func addFixedCosts(m *Model, strategies []int, sums []Totals) {
	for k, si := range strategies {
		t := &sums[k]
		for ch, on := range m.Strategies[si].Channels {
			if on {
				cost := m.Channels[ch].FixedCost * float64(m.Horizon)
				t.ChannelCost += cost
				t.Channels[ch].Cost += cost
			}
		}
		t.LeverCost += m.Strategies[si].LeverCostPerTick(m) * float64(m.Horizon)
	}
}

// contactList is a channel's contacts of one tick, as local customer
// indices, with the batch handed to the behaviour.
type contactList struct {
	local []int32
	keys  []Key // each contact's random stream
	batch ContactBatch
	out   Responses
}

// worker simulates chunks of customers; it owns its state, its evaluation
// context and its batches, so nothing is shared with other workers.
type worker struct {
	m          *Model
	strategies []int
	s          *state
	c          *Ctx
	lists      []contactList
	// live[ch] is set once channel ch has fatigue or contacts to age in
	// the current chunk and strategy.
	live []bool
	// chanCaps[k][ch] are strategy k's caps on channel ch alone;
	// crossCaps[k] its caps across all channels.
	chanCaps  [][][]Cap
	crossCaps [][]Cap
	// crossCount holds, while crossKnown, the current customer's contacts
	// in each cross-channel cap's window.
	crossCount []int
	crossKnown bool
	// contactChannels[k] are the channels strategy k's triggers send on:
	// the only ones that can hold contacts while it runs.
	contactChannels [][]int
	// paths holds the customers' open touchpoint paths when they are
	// gathered, else nil.
	paths *pathState
	// stageOf[node] is the node's stage.
	stageOf []int
	// si, st and tot are the strategy being run and its totals, and decay
	// the fatigue kept from one tick to the next.
	si    int
	st    *Strategy
	tot   *Totals
	decay float64
	// personas are the model's persona names, for batches.
	personas []string
}

func newWorker(m *Model, strategies []int, opt Options) *worker {
	w := &worker{m: m, strategies: strategies, s: newState(m, ChunkSize), c: newCtx(m)}
	if opt.Paths {
		w.paths = newPathState(len(m.Channels), ChunkSize, opt.DecayHalfLife)
	}
	for _, n := range m.Nodes {
		w.stageOf = append(w.stageOf, n.Stage)
	}
	for _, p := range m.Population.Personas {
		w.personas = append(w.personas, p.Name)
	}
	w.lists = make([]contactList, len(m.Channels))
	w.live = make([]bool, len(m.Channels))
	w.chanCaps = make([][][]Cap, len(m.Strategies))
	w.crossCaps = make([][]Cap, len(m.Strategies))
	w.contactChannels = make([][]int, len(m.Strategies))
	for k, st := range m.Strategies {
		for _, tr := range st.Triggers {
			if !slices.Contains(w.contactChannels[k], tr.Channel) {
				w.contactChannels[k] = append(w.contactChannels[k], tr.Channel)
			}
		}
		w.chanCaps[k] = make([][]Cap, len(m.Channels))
		for _, cp := range st.Caps {
			if cp.Channel < 0 {
				w.crossCaps[k] = append(w.crossCaps[k], cp)
			} else {
				w.chanCaps[k][cp.Channel] = append(w.chanCaps[k][cp.Channel], cp)
			}
		}
		w.crossCount = make([]int, max(len(w.crossCount), len(w.crossCaps[k])))
	}
	return w
}

// run simulates customers [first, first+n) under every selected strategy.
func (w *worker) run(ctx context.Context, repSeed uint64, first, n int, progress func(int64)) ([]Totals, error) {
	w.s.sample(w.m, repSeed, first, n)
	out := make([]Totals, len(w.strategies))
	for k, si := range w.strategies {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		out[k] = newTotals(w.m, w.paths != nil)
		if err := w.simulate(si, repSeed, &out[k]); err != nil {
			return nil, err
		}
		progress(int64(n) * int64(w.m.Horizon))
	}
	return out, nil
}

// simulate runs the chunk through the whole horizon under strategy si.
func (w *worker) simulate(si int, repSeed uint64, tot *Totals) error {
	w.begin(si, tot)
	for t := 0; t < w.m.Horizon; t++ {
		if err := w.decideTick(t); err != nil {
			return err
		}
		w.gather(repSeed, t)
		for ch := range w.lists {
			if err := w.call(ch, t); err != nil {
				return err
			}
		}
		if err := w.finishTick(repSeed, t); err != nil {
			return err
		}
	}
	w.end()
	return nil
}

// begin readies the chunk to run under strategy si, adding to tot.
func (w *worker) begin(si int, tot *Totals) {
	m, s, c := w.m, w.s, w.c
	st := &m.Strategies[si]
	s.reset(m)
	if st.Holdout > 0 {
		h := float32(st.Holdout)
		for i := 0; i < s.n; i++ {
			if s.holdoutU[i] < h {
				s.flags[i] |= flagHoldout
			}
		}
	}
	if w.paths != nil {
		w.paths.reset(s.n)
	}
	clear(w.live)
	c.s, c.strat, c.err = s, st, nil
	w.si, w.st, w.tot = si, st, tot
	c.contactChannels = w.contactChannels[si]
	w.decay = 0
	if m.Fatigue.HalfLife > 0 {
		w.decay = math.Pow(0.5, 1/m.Fatigue.HalfLife)
	}
}

// decideTick runs the first half of tick t: fatigue ages and each
// customer's triggers are arbitrated, filling the channels' contact lists.
func (w *worker) decideTick(t int) error {
	s, c, st := w.s, w.c, w.st
	c.tick = t
	quiet := false
	if st.Quiet != nil {
		c.i = 0
		quiet = st.Quiet.Bool(c)
	}
	for ch := range w.lists {
		w.lists[ch].local = w.lists[ch].local[:0]
	}
	w.age(w.decay)
	for i := 0; i < s.n; i++ {
		if s.flags[i]&(flagChurned|flagHoldout) != 0 {
			continue
		}
		c.i = i
		w.decide(w.si, st, i, t, quiet)
	}
	return c.err
}

// finishTick runs the second half of tick t: the behaviours' answers are
// applied, then each customer moves along the journey.
func (w *worker) finishTick(repSeed uint64, t int) error {
	s, m, c, tot := w.s, w.m, w.c, w.tot
	if err := w.apply(repSeed, t); err != nil {
		return err
	}
	series := &tot.Series[t]
	stages := tot.Stages[t*len(m.Stages) : (t+1)*len(m.Stages)]
	for i := 0; i < s.n; i++ {
		if s.flags[i]&flagChurned != 0 {
			series.Loyalty += s.loyalty[i]
			continue
		}
		c.i = i
		w.move(w.st, KeyFor(repSeed, s.first+i, t), i, t, tot)
		// What happened this tick is what expressions see as event.*
		// next tick.
		s.events[i], s.fresh[i] = s.fresh[i], 0
		if s.flags[i]&flagChurned == 0 {
			series.Active++
			stages[w.stageOf[s.node[i]]]++
		}
		series.Loyalty += s.loyalty[i]
	}
	return c.err
}

// buyers counts the chunk's customers who have bought.
func (w *worker) buyers() int {
	n := 0
	for _, f := range w.s.flags[:w.s.n] {
		if f&flagBought != 0 {
			n++
		}
	}
	return n
}

// end adds the chunk's customers, as they are at the horizon, to the
// strategy's totals.
func (w *worker) end() {
	s, tot := w.s, w.tot
	for i := 0; i < s.n; i++ {
		tot.Customers++
		if s.flags[i]&flagBought != 0 {
			tot.Buyers++
		}
		if s.optedOut[i] != 0 {
			tot.OptedOut++
		}
		l := s.loyalty[i]
		tot.Loyalty += l
		if s.flags[i]&flagHoldout != 0 {
			h := &tot.Holdout
			h.Customers++
			h.Loyalty += l
			if s.flags[i]&flagBought != 0 {
				h.Buyers++
			}
		}
		if w.paths != nil {
			w.paths.drop(tot.Paths, i)
		}
		switch ltr := LikelihoodToRecommend(l); {
		case ltr >= 9:
			tot.Promoters++
		case ltr <= 6:
			tot.Detractors++
		}
	}
}

// FixedCostPerTick is what st costs per tick whatever its customers do:
// the fixed costs of the channels it switches on and the cost of its
// levers.
func (st *Strategy) FixedCostPerTick(m *Model) float64 {
	cost := st.LeverCostPerTick(m)
	for ch, on := range st.Channels {
		if on {
			cost += m.Channels[ch].FixedCost
		}
	}
	return cost
}

// LeverCostPerTick is what the levers st sets cost per tick: each lever's
// value times its cost per tick.
func (st *Strategy) LeverCostPerTick(m *Model) float64 {
	cost := 0.0
	for k, v := range st.Levers {
		if k < len(m.Levers) {
			cost += v * m.Levers[k].CostPerTick
		}
	}
	return cost
}

// LikelihoodToRecommend maps loyalty in [0, 1] to the 0 to 10 answer of the
// NPS question: eleven equal bands.
func LikelihoodToRecommend(loyalty float64) int {
	return min(10, max(0, int(loyalty*11)))
}

// age starts a tick for the whole chunk: fatigue decays and every contact
// window moves on by one tick. It works column by column, and skips
// channels with nothing to age.
func (w *worker) age(decay float64) {
	s := w.s
	for ch, live := range w.live {
		if !live {
			continue
		}
		f := s.fatigue[ch][:s.n]
		for i := range f {
			f[i] *= decay
		}
		b := s.bits[ch][:s.n]
		for i := range b {
			b[i] <<= 1
		}
	}
}

// decide runs the first half of a customer's tick: fatigue decays, the
// contact window moves on, and the strategy's triggers are arbitrated.
func (w *worker) decide(si int, st *Strategy, i, t int, quiet bool) {
	s, c := w.s, w.c
	made := 0
	w.crossKnown = false
	for k := range st.Triggers {
		if made >= st.PerTick {
			break
		}
		tr := &st.Triggers[k]
		if due := s.pending[k][i]; due >= 0 {
			if int(due) > t {
				continue
			}
			switch {
			case quiet || w.contactedNow(tr.Channel, i):
				s.pending[k][i] = int32(t + 1) // wait for the quiet period (or the next tick)
			case w.allowed(si, st, tr.Channel, i):
				s.pending[k][i] = -1
				w.contact(st, tr, i)
				made++
			default:
				s.pending[k][i] = -1 // held back by a cap, consent or fatigue
			}
			continue
		}
		if t-int(s.lastFired[k][i]) < tr.Cooldown {
			continue
		}
		// Bit tests first, then the condition, then the counting of caps.
		if tr.Delay == 0 && (quiet || !w.reachable(st, tr.Channel, i) || w.contactedNow(tr.Channel, i)) {
			continue
		}
		if !tr.When.Bool(c) {
			continue
		}
		if tr.Delay == 0 && !w.withinLimits(si, st, tr.Channel, i) {
			continue
		}
		s.lastFired[k][i] = int32(t)
		if tr.Delay > 0 {
			s.pending[k][i] = int32(t + tr.Delay)
			continue
		}
		w.contact(st, tr, i)
		made++
	}
}

// allowed reports whether strategy st may contact customer i on channel ch
// now: the channel is reachable and no limit holds the contact back.
func (w *worker) allowed(si int, st *Strategy, ch, i int) bool {
	return w.reachable(st, ch, i) && w.withinLimits(si, st, ch, i)
}

// contactedNow reports whether customer i already has a contact on ch this
// tick: a customer gets at most one contact per channel per tick, so every
// contact is one bit of the channel's history.
func (w *worker) contactedNow(ch, i int) bool {
	return w.s.bits[ch][i]&1 != 0
}

// reachable reports whether the channel is on and customer i consents to it
// and has not opted out: a few bit tests.
func (w *worker) reachable(st *Strategy, ch, i int) bool {
	bit := uint32(1) << ch
	return st.Channels[ch] && w.s.consent[i]&bit != 0 && w.s.optedOut[i]&bit == 0
}

// withinLimits reports whether a contact on ch keeps customer i below the
// fatigue suppression threshold and every cap.
func (w *worker) withinLimits(si int, st *Strategy, ch, i int) bool {
	s := w.s
	if st.SuppressAbove > 0 && s.fatigue[ch][i] >= st.SuppressAbove*s.tolerance[i] {
		return false
	}
	for _, cp := range w.chanCaps[si][ch] {
		if popcount(s.bits[ch][i]&windowMask(cp.Window)) >= cp.Max {
			return false
		}
	}
	cross := w.crossCaps[si]
	if len(cross) == 0 {
		return true
	}
	if !w.crossKnown {
		// Counted once per customer-tick, then kept up to date by contact.
		for j, cp := range cross {
			w.crossCount[j] = w.c.contactsAll(windowMask(cp.Window))
		}
		w.crossKnown = true
	}
	for j, cp := range cross {
		if w.crossCount[j] >= cp.Max {
			return false
		}
	}
	return true
}

// contact records a contact and queues it for the channel's behaviour.
func (w *worker) contact(st *Strategy, tr *Trigger, i int) {
	s, m := w.s, w.m
	ch := tr.Channel
	s.bits[ch][i] |= 1
	s.fatigue[ch][i] += m.Fatigue.PerContact
	w.live[ch] = true
	if m.Fatigue.Spill > 0 {
		for o := range s.fatigue {
			if o != ch {
				s.fatigue[o][i] += m.Fatigue.Spill * m.Fatigue.PerContact
				w.live[o] = true
			}
		}
	}
	if w.crossKnown {
		for j := range w.crossCount {
			w.crossCount[j]++
		}
	}
	if w.paths != nil {
		w.paths.touch(w.tot.Paths, i, ch, w.c.tick)
	}
	l := &w.lists[ch]
	l.local = append(l.local, int32(i))
	d := math.Max(tr.Discount, st.Discount)
	l.batch.Discount = append(l.batch.Discount[:len(l.local)-1], d)
}

// gather fills each channel's batch with the tick's contacts, as they
// stand when the contacts are made, and readies the answers.
func (w *worker) gather(repSeed uint64, t int) {
	s, m, st := w.s, w.m, w.st
	for ch := range w.lists {
		l := &w.lists[ch]
		n := len(l.local)
		if n == 0 {
			continue
		}
		b := &l.batch
		disc := b.Discount[:n]
		b.reset(m.Channels[ch].Name, t)
		b.Integration = st.Integration
		b.Personas = w.personas
		b.Discount = disc
		l.keys = l.keys[:0]
		for _, li := range l.local {
			i := int(li)
			key := KeyFor(repSeed, s.first+i, t)
			l.keys = append(l.keys, key)
			b.Customer = append(b.Customer, s.first+i)
			b.Persona = append(b.Persona, int(s.persona[i]))
			b.Affinity = append(b.Affinity, float64(s.affinity[ch][i]))
			b.Fatigue = append(b.Fatigue, s.fatigue[ch][i])
			b.Tolerance = append(b.Tolerance, s.tolerance[i])
			b.Loyalty = append(b.Loyalty, s.loyalty[i])
			b.Rand = append(b.Rand, [2]float64{
				key.OpenFloat(purposeResponse + uint64(ch)),
				key.OpenFloat(purposeBehaviour + uint64(ch)),
			})
		}
		l.out.Resize(n)
	}
}

// call hands channel ch's batch to its behaviour and checks the answers.
func (w *worker) call(ch, t int) error {
	l := &w.lists[ch]
	if len(l.local) == 0 {
		return nil
	}
	return respond(w.m, ch, t, &l.batch, &l.out)
}

// respond asks channel ch's behaviour to answer batch b and checks that
// it answered every contact once, on the scales allowed.
func respond(m *Model, ch, t int, b *ContactBatch, out *Responses) error {
	n := b.Len()
	name := m.Channels[ch].Name
	if err := m.Channels[ch].Behaviour.Respond(b, out); err != nil {
		return fmt.Errorf("channel %s at tick %d: %w", name, t, err)
	}
	if out.Len() != n {
		return fmt.Errorf("channel %s at tick %d: behaviour answered %d of %d contacts", name, t, len(out.Responded), n)
	}
	if err := out.Check(b); err != nil {
		return fmt.Errorf("channel %s at tick %d: behaviour answered out of range: %w", name, t, err)
	}
	return nil
}

// apply applies the behaviours' answers, channel by channel in model
// order and contact by contact in customer order.
func (w *worker) apply(repSeed uint64, t int) error {
	s, m, c, st, tot := w.s, w.m, w.c, w.st, w.tot
	for ch := range w.lists {
		l := &w.lists[ch]
		if len(l.local) == 0 {
			continue
		}
		disc := l.batch.Discount
		out := &l.out
		chTot := &tot.Channels[ch]
		cost := m.Channels[ch].CostPerContact
		perMinute := m.Channels[ch].CostPerMinute
		optOut := m.Channels[ch].OptOut
		series := &tot.Series[t]
		for j, li := range l.local {
			i := int(li)
			c.i = i
			key := l.keys[j]
			tot.Contacts++
			chTot.Contacts++
			series.Contacts++
			spent := cost
			if mins := out.Minutes[j]; mins > 0 {
				chTot.Minutes += mins
				spent += perMinute * mins
			}
			tot.ContactCost += spent
			chTot.Cost += spent
			series.Contribution -= spent
			if out.Responded[j] {
				tot.Responses++
				chTot.Responses++
				series.Responses++
				s.loyalty[i] += m.Loyalty.ResponseGain * (1 - s.loyalty[i])
				s.fresh[i] |= evResponse
				if d := float32(disc[j]); d > s.offer[i] {
					s.offer[i] = d
				}
				w.rate(i, out.Satisfaction[j], out.Effort[j], tot)
				if v := out.Purchase[j]; v > 0 {
					w.buy(v, ch, i, t, tot)
				}
				node := &m.Nodes[s.node[i]]
				if e := w.pick(node.ResponseEdges, key.Float(purposeResponseEdge+uint64(ch))); e != nil {
					w.take(st, e, key, i, t, false, purposeResponseBasket+uint64(ch), tot)
				}
			} else if s.fatigue[ch][i] > s.tolerance[i] {
				s.loyalty[i] -= m.Loyalty.IgnoredLoss * s.loyalty[i]
			}
			optedOut := out.OptOut[j]
			if !optedOut {
				var p float64
				if optOut != nil {
					p = optOut.Number(c)
				} else if m.Fatigue.OptOut > 0 {
					p = m.Fatigue.OptOut * math.Max(0, s.fatigue[ch][i]/s.tolerance[i]-1)
				}
				optedOut = p > 0 && key.Float(purposeOptOut+uint64(ch)) < p
			}
			if optedOut && s.optedOut[i]&(1<<ch) == 0 {
				s.optedOut[i] |= 1 << ch
				chTot.OptOuts++
				series.OptOuts++
			}
		}
		if c.err != nil {
			return c.err
		}
	}
	return nil
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

// move runs the second half of a customer's tick: a move along the journey
// (which may be a purchase), churn and word of mouth.
func (w *worker) move(st *Strategy, key Key, i, t int, tot *Totals) {
	s, m, c := w.s, w.m, w.c
	node := &m.Nodes[s.node[i]]
	if e := w.pick(node.Edges, key.Float(purposeMove)); e != nil {
		w.take(st, e, key, i, t, true, purposeBasket, tot)
	}
	if m.Loyalty.Churn != nil && key.Float(purposeChurn) < m.Loyalty.Churn.Number(c) {
		s.flags[i] |= flagChurned
		tot.Churned++
		tot.Series[t].Churned++
		if s.flags[i]&flagHoldout != 0 {
			tot.Holdout.Churned++
		}
		if w.paths != nil {
			w.paths.drop(tot.Paths, i)
		}
	}
	if m.Loyalty.Referral != nil && key.Float(purposeReferral) < m.Loyalty.Referral.Number(c) {
		v := m.Loyalty.ReferralValue
		tot.Referrals++
		tot.ReferralRevenue += v
		tot.Revenue += v
		tot.GrossMargin += v * m.Margin
		tot.Series[t].Revenue += v
		tot.Series[t].Contribution += v * m.Margin
		if s.flags[i]&flagHoldout != 0 {
			tot.Holdout.Revenue += v
			tot.Holdout.GrossMargin += v * m.Margin
		}
	}
}

// take moves customer i along edge e. Along the journey (not in answer to
// a contact) a move between two channels is a switch, which the strategy's
// integration level makes more or less costly.
func (w *worker) take(st *Strategy, e *Edge, key Key, i, t int, journey bool, basket uint64, tot *Totals) {
	s, m, c := w.s, w.m, w.c
	if e.To < 0 {
		w.cart(e, i)
		return
	}
	from, to := &m.Nodes[s.node[i]], &m.Nodes[e.To]
	extraEffort := 0.0
	if to.Channel >= 0 && !st.Channels[to.Channel] {
		s.fresh[i] |= evLeak
		tot.Leaks++
		return
	}
	if journey && from.Channel >= 0 && to.Channel >= 0 && from.Channel != to.Channel {
		tot.Switches++
		integ := &m.Integration[st.Integration]
		extraEffort = integ.Effort
		if !integ.KeepCart {
			s.flags[i] &^= flagCart
		}
		if key.Float(purposeSwitch) < integ.DropOff {
			s.fresh[i] |= evLeak
			tot.Leaks++
			return
		}
	}
	s.node[i] = int16(e.To)
	w.cart(e, i)
	if to.Channel >= 0 {
		tot.Channels[to.Channel].Visits++
		s.fresh[i] |= evVisit
		if w.paths != nil {
			w.paths.touch(tot.Paths, i, to.Channel, t)
		}
	}
	if to.Satisfaction != nil || to.Effort != nil || extraEffort > 0 {
		csat, ces := math.NaN(), math.NaN()
		if to.Satisfaction != nil {
			if csat = to.Satisfaction.Number(c); csat != csat {
				c.fail(to.Satisfaction, fmt.Errorf("satisfaction is NaN"))
			}
		}
		if to.Effort != nil {
			if ces = to.Effort.Number(c) + extraEffort; ces != ces {
				c.fail(to.Effort, fmt.Errorf("effort is NaN"))
			}
		} else if extraEffort > 0 {
			ces = 1 + extraEffort
		}
		w.rate(i, csat, ces, tot)
	}
	if to.Purchase {
		w.purchase(to, key, i, t, basket, tot)
	}
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
	w.buy(basket, to.Channel, i, t, tot)
}

// buy makes customer i buy a basket worth basket at list price on channel
// ch (-1 for none) at tick t, with the best discount on offer.
func (w *worker) buy(basket float64, ch, i, t int, tot *Totals) {
	s, m := w.s, w.m
	d := w.c.discount()
	paid := basket * (1 - d)
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
	series := &tot.Series[t]
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
		ct := &tot.Channels[ch]
		ct.Purchases++
		ct.Revenue += paid
		if k := m.Channels[ch].Commission; k > 0 {
			ct.Cost += k * paid
			tot.ChannelCost += k * paid
			series.Contribution -= k * paid
		}
	}
	if w.paths != nil {
		w.paths.convert(tot.Paths, i, paid)
	}
}

// rate records an interaction's CSAT (1 to 5) and CES (1 to 7); NaN means
// not rated. Experience moves loyalty, and a poor rating is a complaint.
func (w *worker) rate(i int, csat, ces float64, tot *Totals) {
	s, m := w.s, w.m
	x, weight := 0.0, 0.0
	if csat == csat {
		csat = math.Min(5, math.Max(1, csat))
		s.satisfaction[i] = float32(csat)
		tot.CSAT += csat
		tot.CSATCount++
		if csat <= 2 {
			tot.Complaints++
			s.fresh[i] |= evComplaint
		}
		x += 0.6 * (csat - 1) / 4
		weight += 0.6
	}
	if ces == ces {
		ces = math.Min(7, math.Max(1, ces))
		s.effort[i] = float32(ces)
		tot.CES += ces
		tot.CESCount++
		x += 0.4 * (7 - ces) / 6
		weight += 0.4
	}
	if weight > 0 && m.Loyalty.ExperienceWeight > 0 {
		s.loyalty[i] += m.Loyalty.ExperienceWeight * (x/weight - s.loyalty[i])
	}
}
