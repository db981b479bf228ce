package sim

import (
	"context"
	"fmt"
	"math"
	"slices"
)

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
	// ctx is the run's context: the customer loops look at it every
	// stopEvery customers, so that a cancelled run stops within a tick
	// however costly its expressions are.
	ctx context.Context
}

// stopEvery is how many customers a loop handles between two looks at
// the run's context.
const stopEvery = 64

// stopped reports whether the run was cancelled.
func (w *worker) stopped() bool {
	if w.ctx == nil {
		return false
	}
	select {
	case <-w.ctx.Done():
		return true
	default:
		return false
	}
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
	for k := range m.Strategies {
		w.index(m, k)
	}
	return w
}

// index sorts strategy k's caps by channel and lists the channels its
// triggers send on.
func (w *worker) index(m *Model, k int) {
	st := &m.Strategies[k]
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

// run simulates customers [first, first+n) under every selected strategy.
func (w *worker) run(ctx context.Context, repSeed uint64, first, n int, progress func(int64)) ([]Totals, error) {
	w.ctx = ctx
	w.s.sample(w.m, repSeed, first, n)
	out := make([]Totals, len(w.strategies))
	for k, si := range w.strategies {
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
		if w.stopped() {
			return w.ctx.Err()
		}
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
	return w.end(repSeed)
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
		if c.err != nil {
			return c.err
		}
		if i%stopEvery == stopEvery-1 && w.stopped() {
			return w.ctx.Err()
		}
	}
	return c.err
}

// finishTick runs the second half of tick t: the behaviours' answers are
// applied, then each customer moves along the journey.
func (w *worker) finishTick(repSeed uint64, t int) error {
	s, m, c, tot := w.s, w.m, w.c, w.tot
	if err := w.apply(t); err != nil {
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
		if c.err != nil {
			return c.err
		}
		if i%stopEvery == stopEvery-1 && w.stopped() {
			return w.ctx.Err()
		}
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
// strategy's totals, and surveys them (Model.Survey). It fails if the
// survey's response probability does.
func (w *worker) end(repSeed uint64) error {
	s, tot := w.s, w.tot
	survey := w.m.Survey.Sample > 0
	for i := 0; i < s.n; i++ {
		bought := s.flags[i]&flagBought != 0
		tot.Customers++
		if bought {
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
			if bought {
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
		if survey && s.flags[i]&flagChurned == 0 {
			w.survey(KeyFor(repSeed, s.first+i, w.m.Horizon), i, &tot.Survey)
			if w.c.err != nil {
				return w.c.err
			}
		}
	}
	return nil
}

// survey invites customer i to the survey, with the draws of key, and
// counts the answers if the customer gives them. The survey comes after
// the last tick, so its draws are keyed to the tick after it.
func (w *worker) survey(key Key, i int, v *SurveyTotals) {
	s, sv := w.s, &w.m.Survey
	if key.Float(purposeSurveyInvite) >= sv.Sample {
		return
	}
	v.Invited++
	if sv.Response != nil {
		w.c.i = i
		p := sv.Response.Number(w.c)
		if p != p {
			w.c.fail(sv.Response, fmt.Errorf("probability is NaN"))
			return
		}
		if key.Float(purposeSurveyAnswer) >= clamp01(p) {
			return
		}
	}
	v.Answered++
	l, csat, ces := s.loyalty[i], float64(s.satisfaction[i]), float64(s.effort[i])
	if csat > 0 {
		l = (1-sv.Recency)*l + sv.Recency*(csat-1)/4
	}
	switch ltr := LikelihoodToRecommend(l); {
	case ltr >= 9:
		v.Promoters++
	case ltr <= 6:
		v.Detractors++
	}
	if csat > 0 {
		a := math.Round(csat)
		v.CSAT += a
		v.CSATSquares += a * a
		v.CSATCount++
	}
	if ces > 0 {
		a := math.Round(ces)
		v.CES += a
		v.CESSquares += a * a
		v.CESCount++
	}
}
