package sim

import (
	"fmt"
	"math"
	"math/bits"

	"github.com/expr-lang/expr/vm"
)

// Customer flag bits.
const (
	flagCart uint8 = 1 << iota
	flagChurned
	flagBought
	flagHoldout
)

// state holds one chunk of customers as columns: one slice per field, one
// element per customer. The first group is fixed when the population is
// sampled and shared by every strategy; the second is reset per strategy.
type state struct {
	n     int
	first int // global index of the chunk's first customer

	persona   []uint8
	attr      [][]float64 // [attribute][customer]
	affinity  [][]float32 // [channel][customer]
	consent   []uint32    // bit c: consents to channel c
	tolerance []float64
	loyalty0  []float64
	holdoutU  []float32 // customers below a strategy's holdout share are held out

	node         []int16
	flags        []uint8
	events       []uint8 // what happened in the previous tick (event.*)
	fresh        []uint8 // what has happened so far in this tick
	loyalty      []float64
	fatigue      [][]float64 // [channel][customer]
	bits         [][]uint64  // [channel][customer]: bit k set = contact k ticks ago
	optedOut     []uint32
	lastPurchase []int32
	purchases    []int32
	revenue      []float64
	offer        []float32 // best discount responded to since the last purchase
	satisfaction []float32 // the last rated interaction's CSAT
	effort       []float32 // the last rated interaction's CES
	complained   []int32   // tick of a complaint awaiting its recovery, or -1
	lastFired    [][]int32 // [trigger][customer]
	pending      [][]int32 // [trigger][customer]: tick a delayed contact is due, or -1
}

// newState allocates columns for up to n customers of model m.
func newState(m *Model, n int) *state {
	nch := len(m.Channels)
	nt := 0
	for _, s := range m.Strategies {
		nt = max(nt, len(s.Triggers))
	}
	s := &state{
		persona:      make([]uint8, n),
		attr:         make([][]float64, len(m.Population.Attributes)),
		affinity:     make([][]float32, nch),
		consent:      make([]uint32, n),
		tolerance:    make([]float64, n),
		loyalty0:     make([]float64, n),
		holdoutU:     make([]float32, n),
		node:         make([]int16, n),
		flags:        make([]uint8, n),
		events:       make([]uint8, n),
		fresh:        make([]uint8, n),
		loyalty:      make([]float64, n),
		fatigue:      make([][]float64, nch),
		bits:         make([][]uint64, nch),
		optedOut:     make([]uint32, n),
		lastPurchase: make([]int32, n),
		purchases:    make([]int32, n),
		revenue:      make([]float64, n),
		offer:        make([]float32, n),
		satisfaction: make([]float32, n),
		effort:       make([]float32, n),
		complained:   make([]int32, n),
		lastFired:    make([][]int32, nt),
		pending:      make([][]int32, nt),
	}
	for k := range s.attr {
		s.attr[k] = make([]float64, n)
	}
	for c := 0; c < nch; c++ {
		s.affinity[c] = make([]float32, n)
		s.fatigue[c] = make([]float64, n)
		s.bits[c] = make([]uint64, n)
	}
	for t := 0; t < nt; t++ {
		s.lastFired[t] = make([]int32, n)
		s.pending[t] = make([]int32, n)
	}
	return s
}

// BytesPerCustomer returns the size of one customer's state columns in
// model m.
func BytesPerCustomer(m *Model) int {
	nch := len(m.Channels)
	nt := 0
	for _, s := range m.Strategies {
		nt = max(nt, len(s.Triggers))
	}
	fixed := 1 + 4 + 8 + 8 + 4 + // persona, consent, tolerance, loyalty0, holdoutU
		2 + 1 + 1 + 1 + 8 + 4 + 4 + 4 + 8 + 4 + 4 + 4 + 4 // node … complained
	return fixed + 8*len(m.Population.Attributes) + nch*(4+8+8) + nt*(4+4)
}

// sample draws the chunk's customers [first, first+n) for the replication
// whose seed is repSeed.
func (s *state) sample(m *Model, repSeed uint64, first, n int) {
	s.first, s.n = first, n
	pop := &m.Population
	for i := 0; i < n; i++ {
		key := KeyFor(repSeed, first+i, -1)
		u := key.Float(purposePersona)
		p, acc := len(pop.Personas)-1, 0.0
		for k, per := range pop.Personas {
			acc += per.Share
			if u < acc {
				p = k
				break
			}
		}
		per := &pop.Personas[p]
		s.persona[i] = uint8(p)
		for k := range pop.Attributes {
			s.attr[k][i] = per.Attributes[k].Quantile(key.OpenFloat(purposeAttribute + uint64(k)))
		}
		var consent uint32
		for c := range m.Channels {
			s.affinity[c][i] = float32(clamp01(per.Affinity[c].Quantile(key.OpenFloat(purposeAffinity + uint64(c)))))
			if key.Float(purposeConsent+uint64(c)) < per.Consent[c] {
				consent |= 1 << c
			}
		}
		s.consent[i] = consent
		s.tolerance[i] = math.Max(1e-9, per.Tolerance.Quantile(key.OpenFloat(purposeTolerance)))
		s.loyalty0[i] = clamp01(per.Loyalty.Quantile(key.OpenFloat(purposeLoyalty)))
		s.holdoutU[i] = float32(key.Float(purposeHoldout))
	}
}

// reset puts every customer back at the start, for the next strategy.
func (s *state) reset(m *Model) {
	n := s.n
	start := int16(m.Start)
	for i := 0; i < n; i++ {
		s.node[i] = start
	}
	clear(s.flags[:n])
	clear(s.events[:n])
	clear(s.fresh[:n])
	copy(s.loyalty[:n], s.loyalty0[:n])
	for c := range s.fatigue {
		clear(s.fatigue[c][:n])
		clear(s.bits[c][:n])
	}
	clear(s.optedOut[:n])
	for i := 0; i < n; i++ {
		s.lastPurchase[i] = -1
		s.complained[i] = -1
	}
	clear(s.purchases[:n])
	clear(s.revenue[:n])
	clear(s.offer[:n])
	clear(s.satisfaction[:n])
	clear(s.effort[:n])
	for t := range s.lastFired {
		for i := 0; i < n; i++ {
			s.lastFired[t][i] = math.MinInt32 / 2
			s.pending[t][i] = -1
		}
	}
}

func popcount(x uint64) int { return bits.OnesCount64(x) }

// Ctx is one worker's evaluation context: which customer of which chunk an
// expression reads, at which tick, under which strategy. A Ctx is never
// shared between goroutines.
type Ctx struct {
	m     *Model
	s     *state
	i     int
	tick  int
	strat *Strategy
	err   error
	// contactChannels are the channels that can hold contacts under strat.
	contactChannels []int
	// adopters is the share of the population that had bought by the end
	// of the previous tick (PopulationVars), set in coupled runs.
	adopters float64
	// reviewRating and reviews are the public rating and its number of
	// reviews at the end of the previous tick (PopulationVars), set in
	// coupled runs.
	reviewRating float64
	reviews      float64

	vm      vm.VM
	env     map[string]any
	getters map[string]func(*Ctx) any
}

// newCtx returns a context that counts contacts on every channel; a worker
// narrows that to the channels its strategy sends on.
func newCtx(m *Model) *Ctx {
	c := &Ctx{m: m}
	for ch := range m.Channels {
		c.contactChannels = append(c.contactChannels, ch)
	}
	return c
}

func (c *Ctx) sincePurchase() float64 {
	lp := c.s.lastPurchase[c.i]
	if lp < 0 {
		return math.Inf(1)
	}
	return float64(c.tick - int(lp))
}

func (c *Ctx) discount() float64 {
	d := float64(c.s.offer[c.i])
	if c.strat != nil && c.strat.Discount > d {
		d = c.strat.Discount
	}
	return d
}

// lever returns the strategy's value of lever k, or its default outside a
// strategy.
func (c *Ctx) lever(k int) float64 {
	if c.strat != nil && k < len(c.strat.Levers) {
		return c.strat.Levers[k]
	}
	return c.m.Levers[k].Default
}

func (c *Ctx) contactsAll(mask uint64) int {
	n := 0
	for _, ch := range c.contactChannels {
		n += popcount(c.s.bits[ch][c.i] & mask)
	}
	return n
}

func (c *Ctx) failf(format string, args ...any) {
	if c.err == nil {
		c.err = fmt.Errorf(format, args...)
	}
}

// stop records a failure no expression is to blame for.
func (c *Ctx) stop(err *OutcomeError) {
	if c.err == nil {
		c.err = err
	}
}

func (c *Ctx) fail(e *Expr, err error) {
	if c.err == nil {
		c.err = err
	}
	c.blame(e)
}

// blame attaches expression e, the tick and the customer to a failure not
// yet attributed.
func (c *Ctx) blame(e *Expr) {
	switch c.err.(type) {
	case nil, *RunError, *OutcomeError:
		return
	}
	customer := c.i
	if c.s != nil {
		customer += c.s.first
	}
	c.err = &RunError{Name: e.Name, Source: e.Source, Tick: c.tick, Customer: customer, Err: c.err}
}
