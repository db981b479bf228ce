package sim

import (
	"fmt"
	"math"
)

// gather fills each channel's batch with the tick's contacts, as they
// stand when the contacts are made, and readies the answers.
func (w *worker) gather(repSeed uint64, t int) {
	for ch := range w.lists {
		if len(w.lists[ch].local) > 0 {
			w.gatherChannel(repSeed, ch, t)
		}
	}
}

// gatherChannel fills channel ch's batch of tick t.
func (w *worker) gatherChannel(repSeed uint64, ch, t int) {
	s := w.s
	l := &w.lists[ch]
	n := len(l.local)
	b := &l.batch
	disc := b.Discount[:n]
	b.reset(w.m.Channels[ch].Name, t)
	b.Integration = w.st.Integration
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

// apply applies the behaviours' answers of tick t, channel by channel in
// model order and contact by contact in customer order.
func (w *worker) apply(t int) error {
	for ch := range w.lists {
		if len(w.lists[ch].local) == 0 {
			continue
		}
		if err := w.applyChannel(ch, t); err != nil {
			return err
		}
	}
	return nil
}

// applyChannel applies the answers to channel ch's contacts of tick t: each
// contact is paid for, a response rewards loyalty and may lead to a
// purchase and a move, an ignored contact from a fatigued customer costs
// loyalty, and the customer may opt out.
func (w *worker) applyChannel(ch, t int) error {
	s, m, c := w.s, w.m, w.c
	l := &w.lists[ch]
	out := &l.out
	series := &w.tot.Series[t]
	for j, li := range l.local {
		i := int(li)
		c.i = i
		w.charge(ch, out.Minutes[j], series)
		w.serve(ch, out, j)
		if out.Responded[j] {
			w.answered(l, ch, j, t, series)
		} else if s.fatigue[ch][i] > s.tolerance[i] {
			s.loyalty[i] -= m.Loyalty.IgnoredLoss * s.loyalty[i]
		}
		w.optOut(ch, i, out.OptOut[j], l.keys[j], series)
		if c.err != nil {
			return c.err
		}
		if j%stopEvery == stopEvery-1 && w.stopped() {
			return w.ctx.Err()
		}
	}
	return nil
}

// charge counts a contact on channel ch and what it cost: the cost per
// contact and the staff time it took.
func (w *worker) charge(ch int, minutes float64, series *TickTotals) {
	tot, spec := w.tot, &w.m.Channels[ch]
	chTot := &tot.Channels[ch]
	tot.Contacts++
	chTot.Contacts++
	series.Contacts++
	spent := spec.CostPerContact
	if minutes > 0 {
		chTot.Minutes += minutes
		spent += spec.CostPerMinute * minutes
	}
	tot.ContactCost += spent
	chTot.Cost += spent
	series.Contribution -= spent
}

// serve counts the service outcome of contact j on channel ch: abandoned,
// or handled by staff (it took staff minutes or waited) with its wait and
// whether it was answered within the channel's service level. A contact
// that neither waited nor took staff time counts as neither.
func (w *worker) serve(ch int, out *Responses, j int) {
	wait := out.Wait[j]
	chTot := &w.tot.Channels[ch]
	switch {
	case out.Abandoned[j]:
		chTot.Abandoned++
	case wait > 0 || out.Minutes[j] > 0:
		chTot.Handled++
		chTot.WaitMinutes += wait
		if 60*wait <= w.m.Channels[ch].ServiceLevelSeconds {
			chTot.AnsweredWithin++
		}
	}
}

// answered applies a response to contact j of list l on channel ch: the
// customer's loyalty rises, the best offer responded to is kept, the
// contact's rating and any purchase in answer count, and the customer may
// move along the node's response edges.
func (w *worker) answered(l *contactList, ch, j, t int, series *TickTotals) {
	s, m, tot := w.s, w.m, w.tot
	i, out := int(l.local[j]), &l.out
	tot.Responses++
	tot.Channels[ch].Responses++
	series.Responses++
	s.loyalty[i] += m.Loyalty.ResponseGain * (1 - s.loyalty[i])
	s.fresh[i] |= evResponse
	if d := float32(l.batch.Discount[j]); d > s.offer[i] {
		s.offer[i] = d
	}
	w.rate(i, -1, out.Satisfaction[j], out.Effort[j], tot)
	if v := out.Purchase[j]; v > 0 {
		w.buy(v, ch, i, t, true, tot)
	}
	node := &m.Nodes[s.node[i]]
	key := l.keys[j]
	if e := w.pick(node.ResponseEdges, key.Float(purposeResponseEdge+uint64(ch))); e != nil {
		w.take(w.st, e, key, i, t, false, purposeResponseBasket+uint64(ch), tot)
	}
}

// optOut opts customer i out of channel ch after a contact if the
// behaviour answered so or, failing that, with the probability the
// channel's opt-out expression gives or, without one, that fatigue past
// the customer's tolerance gives.
func (w *worker) optOut(ch, i int, answered bool, key Key, series *TickTotals) {
	s, m := w.s, w.m
	optedOut := answered
	if !optedOut {
		var p float64
		if e := m.Channels[ch].OptOut; e != nil {
			p = e.Number(w.c)
		} else if m.Fatigue.OptOut > 0 {
			p = m.Fatigue.OptOut * math.Max(0, s.fatigue[ch][i]/s.tolerance[i]-1)
		}
		optedOut = p > 0 && key.Float(purposeOptOut+uint64(ch)) < p
	}
	if optedOut && s.optedOut[i]&(1<<ch) == 0 {
		s.optedOut[i] |= 1 << ch
		w.tot.Channels[ch].OptOuts++
		series.OptOuts++
	}
}
