package sim

import "math"

// decide runs the first half of a customer's tick: the strategy's
// triggers are arbitrated, at most st.PerTick of them contacting the
// customer, and delayed contacts that are due go out.
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
			if int(due) <= t && w.sendDue(si, st, k, i, t, quiet) {
				made++
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

// sendDue sends customer i the contact trigger k of st delayed until now,
// unless a quiet period or a contact already made this tick puts it off to
// the next tick, or a cap, consent or fatigue holds it back for good. It
// reports whether the contact was made.
func (w *worker) sendDue(si int, st *Strategy, k, i, t int, quiet bool) bool {
	s := w.s
	tr := &st.Triggers[k]
	switch {
	case quiet || w.contactedNow(tr.Channel, i):
		s.pending[k][i] = int32(t + 1)
		return false
	case w.allowed(si, st, tr.Channel, i):
		s.pending[k][i] = -1
		w.contact(st, tr, i)
		return true
	default:
		s.pending[k][i] = -1
		return false
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
	return len(w.crossCaps[si]) == 0 || w.withinCrossCaps(si)
}

// withinCrossCaps reports whether one more contact keeps the current
// customer within strategy si's caps across all channels. The contacts in
// each cap's window are counted once per customer-tick, then kept up to
// date by contact.
func (w *worker) withinCrossCaps(si int) bool {
	cross := w.crossCaps[si]
	if !w.crossKnown {
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
		w.spill(ch, i)
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

// spill adds to customer i's fatigue on every channel other than ch the
// share of a contact on ch that spills over.
func (w *worker) spill(ch, i int) {
	s, f := w.s, &w.m.Fatigue
	for o := range s.fatigue {
		if o != ch {
			s.fatigue[o][i] += f.Spill * f.PerContact
			w.live[o] = true
		}
	}
}
