package sim

import (
	"fmt"
	"math"
	"slices"
	"strings"
)

// ChannelKind is a channel's role in the paid-owned-earned-shared model.
type ChannelKind int

// Channel kinds.
const (
	Owned ChannelKind = iota
	Paid
	Earned
	Shared
)

// ChannelKinds lists the names of the channel kinds, in order.
var ChannelKinds = []string{"owned", "paid", "earned", "shared"}

// String returns the kind's name.
func (k ChannelKind) String() string { return ChannelKinds[k] }

// Direction says who starts an interaction on a channel.
type Direction int

// Channel directions.
const (
	// Outbound channels carry messages a strategy sends (email, push, SMS).
	Outbound Direction = iota
	// Inbound channels are touchpoints the customer visits (web, store).
	Inbound
)

// Directions lists the names of the directions, in order.
var Directions = []string{"outbound", "inbound"}

// String returns the direction's name.
func (d Direction) String() string { return Directions[d] }

// IntegrationLevel is how much context carries over when a customer switches
// channel.
type IntegrationLevel int

// Integration levels, from none to full.
const (
	Mono IntegrationLevel = iota
	Multi
	Cross
	Omni
)

// IntegrationLevels lists the names of the integration levels, in order.
var IntegrationLevels = []string{"mono", "multi", "cross", "omni"}

// String returns the level's name.
func (l IntegrationLevel) String() string { return IntegrationLevels[l] }

// Integration is what a channel switch costs at one integration level.
type Integration struct {
	// DropOff is the probability that a switch fails and the customer is
	// lost to a competitor for that move (showrooming, free riding).
	DropOff float64
	// Effort is the customer effort (CES points) a switch adds.
	Effort float64
	// KeepCart says whether an open cart survives the switch.
	KeepCart bool
}

// DefaultIntegration holds the switch costs used when a scenario does not set
// them.
var DefaultIntegration = [4]Integration{
	Mono:  {DropOff: 1, Effort: 3, KeepCart: false},
	Multi: {DropOff: 0.30, Effort: 2, KeepCart: false},
	Cross: {DropOff: 0.15, Effort: 1, KeepCart: true},
	Omni:  {DropOff: 0.05, Effort: 0.3, KeepCart: true},
}

// Model is a compiled scenario: everything the engine needs, with every
// expression compiled and every name resolved to an index.
type Model struct {
	Name        string
	Description string

	// Horizon is the number of ticks a run lasts; TickLabel names one tick
	// ("day").
	Horizon      int
	TickLabel    string
	Seed         uint64
	Replications int
	// TicksPerYear converts ticks to years for discounting (365 for days).
	TicksPerYear float64
	// DiscountRate is the yearly rate at which customer lifetime value
	// discounts future margin.
	DiscountRate float64

	Population Population
	Channels   []Channel
	// Stages are the distinct stage names of the journey's nodes, in order
	// of first appearance.
	Stages []string
	Nodes  []Node
	// Start is the node every customer starts at.
	Start int
	// Basket is the basket value drawn at a purchase node without its own.
	Basket Dist
	// Margin is the share of a basket's list price that is gross profit.
	Margin float64

	Fatigue     Fatigue
	Loyalty     Loyalty
	Survey      Survey
	Reviews     Reviews
	Integration [4]Integration
	// Levers are the named settings strategies choose (a price-match
	// policy, a service level), read in expressions as lever.<name>.
	Levers     []Lever
	Strategies []Strategy
}

// Lever is a named setting that each strategy chooses, such as whether
// prices match across channels or how much is spent on service. Journey,
// loyalty and trigger expressions read the strategy's value as
// lever.<name>.
type Lever struct {
	Name        string
	Description string
	// Default is the value of a strategy that does not set the lever.
	Default float64
	// CostPerTick is what one unit of the lever costs per tick: a strategy
	// setting the lever to v pays v × CostPerTick every tick.
	CostPerTick float64
	// CostPerCustomer is what one unit of the lever costs per active
	// customer per tick: v × CostPerCustomer × active customers.
	CostPerCustomer float64
	// Investments are one-off costs a strategy pays per unit of the lever
	// it sets: v × Amount at each investment's tick.
	Investments []Investment
	// Min and Max bound the values a strategy may set, when Min < Max
	// (either may be infinite).
	Min, Max float64
}

// LeverIndex returns the index of the lever called name, or -1.
func (m *Model) LeverIndex(name string) int {
	for i, l := range m.Levers {
		if l.Name == name {
			return i
		}
	}
	return -1
}

// LeverNames lists the model's levers by name, in order.
func (m *Model) LeverNames() []string {
	names := make([]string, len(m.Levers))
	for i, l := range m.Levers {
		names[i] = l.Name
	}
	return names
}

// LeverList names the model's levers for an error message: "levers: a,
// b", or that there are none.
func (m *Model) LeverList() string {
	if len(m.Levers) == 0 {
		return "the scenario declares no levers; declare one under levers: at the top level"
	}
	return "levers: " + strings.Join(m.LeverNames(), ", ")
}

// Population is the synthetic customers a run simulates.
type Population struct {
	Size       int
	Attributes []Attribute
	Personas   []Persona
}

// Attribute is a per-customer attribute the personas define.
type Attribute struct {
	Name string
	// Levels is non-empty for a categorical attribute.
	Levels []string
}

// Persona is a segment of the population.
type Persona struct {
	Name  string
	Share float64
	// Attributes holds one distribution per Population.Attributes entry.
	Attributes []Dist
	// Affinity holds one distribution per channel (0 to 1).
	Affinity []Dist
	// Consent holds, per channel, the probability that a customer consents
	// to be contacted on it.
	Consent []float64
	// Tolerance is how much fatigue the customer bears before it hurts.
	Tolerance Dist
	// Loyalty is the loyalty a customer starts with (0 to 1).
	Loyalty Dist
}

// Channel is a way the firm and the customer meet.
type Channel struct {
	Name           string
	Kind           ChannelKind
	Direction      Direction
	CostPerContact float64
	// CostPerMinute costs the staff time a behaviour says a contact took
	// (Responses.Minutes).
	CostPerMinute float64
	FixedCost     float64
	// CostPerCustomer is what the channel costs per active customer per
	// tick while switched on (a licence per customer record, say).
	CostPerCustomer float64
	// Commission is the share of what customers pay for purchases made on
	// the channel that it costs (an OTA's or a marketplace's cut).
	Commission float64
	Behaviour  Behaviour
	// BehaviourName and BehaviourParams say which behaviour the scenario
	// chose and with which parameters, defaults included, for reports.
	BehaviourName   string
	BehaviourParams map[string]float64
	BehaviourText   map[string]string
	// OptOut is the probability that a contact makes the customer opt out
	// of the channel; nil means never.
	OptOut *Expr
	// ServiceLevelSeconds is the service level's threshold, in seconds: a
	// handled contact that waited no longer counts as answered within it
	// (ChannelTotals.AnsweredWithin).
	ServiceLevelSeconds float64
	// Noun is what the channel's contacts are called in tables and charts
	// ("call", say), singular; "" means "contact".
	Noun string
}

// Node is a touchpoint of the journey: a stage, optionally on a channel.
type Node struct {
	Name  string
	Stage int
	// Channel is the node's channel, or -1.
	Channel int
	// Purchase nodes make a purchase each time a customer enters them.
	Purchase bool
	// Competitor marks a purchase node where the customer buys from a
	// competitor: it counts towards share of wallet, not revenue.
	Competitor bool
	Basket     Dist
	// Tags label the touchpoint (a moment of truth, say) for reports.
	Tags []string
	// Satisfaction (CSAT, 1 to 5) and Effort (CES, 1 to 7) of a visit; nil
	// means the visit is not rated.
	Satisfaction *Expr
	Effort       *Expr
	// Review is the probability that a visit, rated for satisfaction,
	// is posted as a public review, its CSAT rounded to whole stars; nil
	// means never. Reviews are read by later customers (review_rating).
	Review *Expr
	// Cost is what one visit costs the firm (a refund or a voucher), nil
	// for nothing; it is counted on the node's channel.
	Cost *Expr
	// Edges are evaluated every tick; ResponseEdges when the customer
	// responds to a contact.
	Edges         []Edge
	ResponseEdges []Edge
}

// CartEffect is what taking an edge does to the customer's cart.
type CartEffect int

// Cart effects.
const (
	CartKeep CartEffect = iota
	CartOpen
	CartClear
)

// Edge is a possible move from one node to another.
type Edge struct {
	// To is the node the edge leads to, or -1 to stay (an edge that only
	// changes the cart).
	To int
	// P is the probability of taking the edge in one evaluation.
	P    *Expr
	Cart CartEffect
}

// Fatigue says how contact pressure builds and fades.
type Fatigue struct {
	// HalfLife is the number of ticks fatigue takes to halve.
	HalfLife float64
	// PerContact is the fatigue one contact adds on its channel.
	PerContact float64
	// Spill is the share of PerContact added to every other channel.
	Spill float64
	// OptOut is the opt-out probability of a contact per unit of fatigue
	// above tolerance, on channels without an optout expression:
	// OptOut × max(0, fatigue / tolerance − 1).
	OptOut float64
}

// Loyalty holds the rules of the service-profit chain.
type Loyalty struct {
	ResponseGain     float64 // share of (1 − loyalty) gained by a response
	PurchaseGain     float64 // share of (1 − loyalty) gained by a purchase
	IgnoredLoss      float64 // share of loyalty lost by an ignored contact above tolerance
	ExperienceWeight float64 // how far loyalty moves towards each rated interaction
	// RecoveryWeight is how many times ExperienceWeight the first rating
	// after a complaint counts when it comes within RecoveryWindow ticks
	// of the complaint: a customer who complained watches what the firm
	// does next, so a recovery weighs more than an ordinary interaction
	// (service recovery). 0 or 1 means it counts as any other rating. A
	// second poor rating instead is a complaint of its own.
	RecoveryWeight float64
	RecoveryWindow int
	// Churn and Referral are per-tick probabilities; nil means zero.
	Churn    *Expr
	Referral *Expr
	// ReferralValue is the revenue a referred customer brings.
	ReferralValue float64
}

// Reviews is the public rating customers read before they buy: online
// word of mouth, the zero moment of truth. It starts from the reviews
// posted before the run, and every review posted in the run (Node.Review)
// joins it. Expressions read it as review_rating, the mean stars, and
// reviews, their number, as they stood at the end of the previous tick.
type Reviews struct {
	// Rating is the mean stars (1 to 5) of the reviews posted before the
	// run; 0 with a Count of 0 means there were none, and review_rating
	// is 0 until the first review.
	Rating float64
	// Count is how many reviews were posted before the run.
	Count float64
}

// ReviewRating is the mean stars shown after reviews posted in the run
// with stars adding up to stars: the earlier reviews' and these together.
// With no review at all, it is the earlier rating.
func (r Reviews) ReviewRating(posted int64, stars float64) float64 {
	n := r.Count + float64(posted)
	if n == 0 {
		return r.Rating
	}
	return (r.Rating*r.Count + stars) / n
}

// Survey is a simulated customer survey at the end of the horizon: what a
// company would measure by asking a sample of its customers, next to the
// population's own NPS, CSAT and CES. Each current customer (not churned)
// is invited with probability Sample, and an invited customer answers with
// probability Response. An answer gives a likelihood to recommend (0 to
// 10) from loyalty, coloured by the last experience as Recency says, and,
// for a customer with a rated interaction, that interaction's CSAT and
// CES, rounded to whole points.
type Survey struct {
	// Sample is the share of current customers invited; 0 means no survey.
	Sample float64
	// Response is the probability that an invited customer answers; nil
	// means every one does.
	Response *Expr
	// Recency is how far the last rated experience colours the answer to
	// the recommend question, 0 to 1: the answer is the band of
	// (1 − Recency) × loyalty + Recency × that experience's score.
	Recency float64
}

// Cap limits contacts over a rolling window.
type Cap struct {
	// Channel is the capped channel, or -1 for all channels together.
	Channel int
	Max     int
	// Window is the window's length in ticks, 1 to MaxWindow.
	Window int
}

// MaxWindow is the longest rolling window a cap or contacts() may use.
const MaxWindow = 64

// Strategy is one way of reaching out to customers.
type Strategy struct {
	Name        string
	Description string
	// Channels[c] says whether channel c is switched on.
	Channels    []bool
	Integration IntegrationLevel
	// Discount is the offer every purchase gets under this strategy.
	Discount float64
	Caps     []Cap
	// PerTick is the most contacts a customer gets in one tick.
	PerTick int
	// SuppressAbove holds back a contact on a channel whose fatigue is at
	// least this multiple of the customer's tolerance; 0 means never.
	SuppressAbove float64
	// Quiet, when true at a tick, holds back every contact; nil means never.
	Quiet *Expr
	// Holdout is the share of customers held out of every outbound contact
	// as a control group, 0 to 1.
	Holdout float64
	// Triggers are in arbitration order: highest priority first.
	Triggers []Trigger
	// Levers[k] is the strategy's value of Model.Levers[k].
	Levers []float64
	// Investments are the one-off costs the strategy pays itself, beside
	// those of the levers it sets.
	Investments []Investment
}

// Investment is a one-off cost: an integration, a CRM, a new channel's
// set-up. It is paid in full at tick Tick (cash); profit is charged for it
// straight-line over Life ticks from then on, or at once when Life is 0.
type Investment struct {
	Name   string
	Amount float64
	// Tick is the tick it is paid at, from 0.
	Tick int
	// Life is the number of ticks it is depreciated over; 0 charges it
	// all to profit at Tick.
	Life int
}

// Charge returns what inv charges to profit at tick t: Amount at Tick
// when it has no life, Amount/Life at each of the Life ticks from Tick
// on otherwise, and 0 at other ticks.
func (inv *Investment) Charge(t int) float64 {
	switch {
	case t < inv.Tick:
		return 0
	case inv.Life <= 0:
		if t == inv.Tick {
			return inv.Amount
		}
		return 0
	case t < inv.Tick+inv.Life:
		return inv.Amount / float64(inv.Life)
	}
	return 0
}

// Paid returns what inv costs in cash at tick t: Amount at Tick, 0
// otherwise.
func (inv *Investment) Paid(t int) float64 {
	if t == inv.Tick {
		return inv.Amount
	}
	return 0
}

// Trigger sends a contact when its condition holds.
type Trigger struct {
	Name     string
	When     *Expr
	Channel  int
	Priority int
	Cooldown int
	Delay    int
	Discount float64
}

// Validate checks the cross-references and ranges a scenario loader may
// have missed. Loaders report errors with positions; this is the engine's
// own guard.
// PopulationVars are the expression variables that describe the whole
// population rather than one customer, as it stood at the end of the
// previous tick: adopters, the share of customers who had bought;
// review_rating and reviews, the public rating and its number of reviews
// (Reviews). A model that reads one is coupled: its customers advance
// together, tick by tick (see Pooled).
var PopulationVars = []string{"adopters", "review_rating", "reviews"}

// Expressions returns every expression of the model.
func (m *Model) Expressions() []*Expr {
	var out []*Expr
	add := func(e *Expr) {
		if e != nil {
			out = append(out, e)
		}
	}
	for _, ch := range m.Channels {
		add(ch.OptOut)
	}
	for _, n := range m.Nodes {
		add(n.Satisfaction)
		add(n.Effort)
		add(n.Cost)
		add(n.Review)
		for _, e := range n.Edges {
			add(e.P)
		}
		for _, e := range n.ResponseEdges {
			add(e.P)
		}
	}
	add(m.Loyalty.Churn)
	add(m.Loyalty.Referral)
	add(m.Survey.Response)
	for _, s := range m.Strategies {
		add(s.Quiet)
		for _, t := range s.Triggers {
			add(t.When)
		}
	}
	return out
}

// Coupled reports whether an expression reads a population variable, so
// that customers must advance together.
func (m *Model) Coupled() bool {
	return slices.ContainsFunc(m.Expressions(), func(e *Expr) bool {
		return e.population
	})
}

// ReadsPopulation reports whether the expression reads a population
// variable (PopulationVars), such as the share who have adopted: on an
// edge, the mark of word of mouth.
func (e *Expr) ReadsPopulation() bool { return e != nil && e.population }

// ReadsAdopters reports whether the expression reads adopters, the share
// who have bought: on an edge, the mark of word of mouth.
func (e *Expr) ReadsAdopters() bool { return e != nil && slices.Contains(e.vars, "adopters") }

// ReadsReviews reports whether the expression reads the public reviews
// (review_rating or reviews): on an edge, the mark of online word of
// mouth.
func (e *Expr) ReadsReviews() bool {
	return e != nil && (slices.Contains(e.vars, "review_rating") || slices.Contains(e.vars, "reviews"))
}

// HasWordOfMouth reports whether a journey edge's probability reads
// adopters, so that runs count word-of-mouth adoptions
// (Totals.WordOfMouth). Edges that read the reviews are online word of
// mouth of another kind, measured by the reviews' outcomes.
func (m *Model) HasWordOfMouth() bool {
	for _, n := range m.Nodes {
		for _, e := range n.Edges {
			if e.P.ReadsAdopters() {
				return true
			}
		}
	}
	return false
}

func (m *Model) Validate() error {
	if m.Horizon < 1 {
		return fmt.Errorf("horizon %d: must be at least 1", m.Horizon)
	}
	if m.Coupled() && m.Population.Size > PoolSize {
		return fmt.Errorf("population %d: a scenario whose expressions read adopters, review_rating or reviews (what the whole population did) may have at most %d customers", m.Population.Size, PoolSize)
	}
	if m.Replications < 1 {
		return fmt.Errorf("replications %d: must be at least 1", m.Replications)
	}
	if m.Population.Size < 1 {
		return fmt.Errorf("population size %d: must be at least 1", m.Population.Size)
	}
	if len(m.Channels) > 32 {
		return fmt.Errorf("%d channels: at most 32 are allowed", len(m.Channels))
	}
	if len(m.Nodes) == 0 || len(m.Nodes) > math.MaxInt16 {
		return fmt.Errorf("%d journey nodes: allowed 1 to %d", len(m.Nodes), math.MaxInt16)
	}
	if len(m.Population.Personas) == 0 || len(m.Population.Personas) > 255 {
		return fmt.Errorf("%d personas: allowed 1 to 255", len(m.Population.Personas))
	}
	if len(m.Strategies) == 0 {
		return fmt.Errorf("no strategies")
	}
	for _, s := range m.Strategies {
		if !(s.Holdout >= 0 && s.Holdout < 1) {
			return fmt.Errorf("strategy %s: holdout %g: allowed 0 to below 1", s.Name, s.Holdout)
		}
		if len(s.Levers) != len(m.Levers) {
			return fmt.Errorf("strategy %s: %d lever values for %d levers", s.Name, len(s.Levers), len(m.Levers))
		}
		for k, v := range s.Levers {
			if l := m.Levers[k]; math.IsNaN(v) || math.IsInf(v, 0) || (l.Min < l.Max && !(v >= l.Min && v <= l.Max)) {
				return fmt.Errorf("strategy %s: lever %s = %g: allowed %g to %g", s.Name, l.Name, v, l.Min, l.Max)
			}
		}
		if err := validInvestments(s.Investments); err != nil {
			return fmt.Errorf("strategy %s: %w", s.Name, err)
		}
		if s.PerTick < 1 {
			return fmt.Errorf("strategy %s: per_tick %d must be at least 1", s.Name, s.PerTick)
		}
		for _, c := range s.Caps {
			if c.Window < 1 || c.Window > MaxWindow {
				return fmt.Errorf("strategy %s: cap window %d: allowed 1 to %d", s.Name, c.Window, MaxWindow)
			}
		}
		for _, t := range s.Triggers {
			if t.Channel < 0 || t.Channel >= len(m.Channels) {
				return fmt.Errorf("strategy %s: trigger %s has no channel", s.Name, t.Name)
			}
		}
	}
	for _, l := range m.Levers {
		if err := validInvestments(l.Investments); err != nil {
			return fmt.Errorf("lever %s: %w", l.Name, err)
		}
	}
	for _, ch := range m.Channels {
		if ch.Behaviour == nil {
			return fmt.Errorf("channel %s has no behaviour", ch.Name)
		}
	}
	for _, n := range m.Nodes {
		if n.Cost != nil && n.Channel < 0 {
			return fmt.Errorf("node %s: a cost is counted on the node's channel, and it has none", n.Name)
		}
		if n.Review != nil && n.Satisfaction == nil {
			return fmt.Errorf("node %s: a review posts a visit's satisfaction, and the node has none", n.Name)
		}
	}
	if r := m.Reviews; !(r.Rating >= 1 && r.Rating <= 5 || r.Rating == 0 && r.Count == 0) || !(r.Count >= 0) || math.IsInf(r.Count, 1) {
		return fmt.Errorf("reviews: rating %g, count %g: allowed a rating of 1 to 5 (or 0 with no earlier review) and a count of 0 or more", r.Rating, r.Count)
	}
	if l := m.Loyalty; !(l.RecoveryWeight >= 0 && l.RecoveryWeight <= MaxRecoveryWeight) || l.RecoveryWindow < 0 {
		return fmt.Errorf("loyalty: recovery weight %g, window %d: allowed 0 to %g, and a window of 0 ticks or more", l.RecoveryWeight, l.RecoveryWindow, float64(MaxRecoveryWeight))
	}
	if v := m.Survey; !(v.Sample >= 0 && v.Sample <= 1) || !(v.Recency >= 0 && v.Recency <= 1) {
		return fmt.Errorf("survey: sample %g, recency %g: each allowed 0 to 1", v.Sample, v.Recency)
	}
	return nil
}

// MaxRecoveryWeight bounds Loyalty.RecoveryWeight.
const MaxRecoveryWeight = 20

// MaxInvestments is the most investments a strategy or a lever may
// have: each is looked at every tick.
const MaxInvestments = 100

func validInvestments(invs []Investment) error {
	if len(invs) > MaxInvestments {
		return fmt.Errorf("%d investments: at most %d are allowed", len(invs), MaxInvestments)
	}
	for _, inv := range invs {
		switch {
		case !(inv.Amount >= 0) || math.IsInf(inv.Amount, 0):
			return fmt.Errorf("investment %s: amount %g: allowed 0 or more", inv.Name, inv.Amount)
		case inv.Tick < 0:
			return fmt.Errorf("investment %s: tick %d: allowed 0 or more", inv.Name, inv.Tick)
		case inv.Life < 0:
			return fmt.Errorf("investment %s: life %d: allowed 0 or more", inv.Name, inv.Life)
		}
	}
	return nil
}

// StrategyIndex returns the index of the strategy called name, or -1.
func (m *Model) StrategyIndex(name string) int {
	for i, s := range m.Strategies {
		if s.Name == name {
			return i
		}
	}
	return -1
}

// ChannelIndex returns the index of the channel called name, or -1.
func (m *Model) ChannelIndex(name string) int {
	for i, c := range m.Channels {
		if c.Name == name {
			return i
		}
	}
	return -1
}
