package sim

import "slices"

// Totals are the outcomes of one strategy in one replication (or one chunk
// of it): counts and sums that add up across chunks. Ratios such as ROI and
// NPS are derived from them by the results package.
type Totals struct {
	Customers int64 // customers simulated
	Buyers    int64 // customers with at least one purchase
	Purchases int64
	Churned   int64
	OptedOut  int64 // customers who opted out of at least one channel
	Referrals int64 // new customers brought by loyalty.referral (not simulated)
	// WordOfMouth counts the customers whose first purchase came along a
	// word-of-mouth edge: one whose probability reads adopters, as in a
	// diffusion model.
	WordOfMouth int64
	Contacts    int64
	Responses   int64
	Switches    int64 // channel switches attempted along the journey
	Leaks       int64 // moves lost at a switch or to a switched-off channel
	Complaints  int64 // interactions rated 2 or less
	// Recoveries counts the complaints whose next rating came within the
	// recovery window (Loyalty.RecoveryWindow) and was good: a CSAT of 4
	// or more, or, without a CSAT, an effort (CES) of 3 or less.
	Recoveries int64
	// Reviews counts the reviews posted in the run (Node.Review), and
	// ReviewStars sums their stars.
	Reviews     int64
	ReviewStars float64
	Promoters   int64 // customers whose likelihood to recommend is 9 or 10
	Detractors  int64 // customers whose likelihood to recommend is 0 to 6

	Revenue         float64 // what customers paid, after discounts
	ReferralRevenue float64 // revenue credited to referrals
	Discount        float64 // list price given away as discounts
	GrossMargin     float64 // margin on list price of all purchases
	ContactCost     float64
	ChannelCost     float64
	LeverCost       float64 // what the strategy's levers cost over the horizon
	// InvestmentCost is what the strategy's investments charge to profit
	// within the horizon (depreciation, or the whole amount when an
	// investment has no life); Invested is what they cost in cash within
	// the horizon.
	InvestmentCost float64
	Invested       float64
	Loyalty        float64 // sum of the customers' final loyalty
	CSAT           float64 // sum of CSAT ratings
	CSATCount      int64
	CES            float64 // sum of CES ratings
	CESCount       int64

	// CompetitorPurchases and CompetitorSpend count purchases made at
	// competitor nodes, at list price: the share of wallet the firm lost.
	CompetitorPurchases int64
	CompetitorSpend     float64

	// Survey holds the answers to the simulated survey (Model.Survey).
	Survey SurveyTotals

	// Holdout holds the outcomes of the strategy's holdout group alone;
	// it is zero when the strategy has none.
	Holdout GroupTotals

	Channels []ChannelTotals
	Series   []TickTotals
	// Stages[t*len(Model.Stages)+k] counts the customers at a node of
	// stage k at the end of tick t, churned customers excluded.
	Stages []int64
	// Per touchpoint, in the model's node order. NodeVisits[n] counts the
	// moves that landed on node n, along the journey or in answer to a
	// contact, as Channels[c].Visits counts them on a node's channel; the
	// customers placed at the start node when the run begins are not
	// counted there (they are Customers), so that a touchpoint's entries
	// are NodeVisits[n], plus Customers at Model.Start.
	NodeVisits []int64
	// NodeCSAT[n] and NodeCSATCount[n], NodeCES[n] and NodeCESCount[n]
	// sum the ratings of the visits to node n: its satisfaction and effort
	// expressions, with a switch's effort, as CSAT and CES sum them. A
	// channel behaviour's rating of a contact is of no touchpoint: it
	// counts in CSAT and CES only, so the sums over the nodes are at most
	// those totals.
	NodeCSAT      []float64
	NodeCSATCount []int64
	NodeCES       []float64
	NodeCESCount  []int64
	// StageEntries[k] counts the moves into a node of stage k from a node
	// of another stage; the customers who start in a stage are not
	// counted (they are Customers).
	StageEntries []int64
	// Paths holds the touchpoint paths' statistics for attribution; nil
	// unless Options.Paths was set.
	Paths *PathTotals
}

// SurveyTotals count a simulated survey's invitations and answers.
type SurveyTotals struct {
	Invited  int64
	Answered int64
	// Promoters and Detractors count the answers of 9 or 10, and of 0 to
	// 6, to the recommend question.
	Promoters  int64
	Detractors int64
	// CSAT and CES sum the answers (whole points) of the respondents with
	// a rated interaction, CSATSquares and CESSquares their squares, for
	// the sample's spread.
	CSAT        float64
	CSATSquares float64
	CSATCount   int64
	CES         float64
	CESSquares  float64
	CESCount    int64
}

// Add adds o to v.
func (v *SurveyTotals) Add(o *SurveyTotals) {
	v.Invited += o.Invited
	v.Answered += o.Answered
	v.Promoters += o.Promoters
	v.Detractors += o.Detractors
	v.CSAT += o.CSAT
	v.CSATSquares += o.CSATSquares
	v.CSATCount += o.CSATCount
	v.CES += o.CES
	v.CESSquares += o.CESSquares
	v.CESCount += o.CESCount
}

// GroupTotals are the outcomes of a group of customers, such as a holdout.
type GroupTotals struct {
	Customers   int64
	Buyers      int64
	Purchases   int64
	Churned     int64
	Revenue     float64 // what the group paid, after discounts
	GrossMargin float64
	Discount    float64
	Loyalty     float64 // sum of final loyalty
}

// Add adds o to g.
func (g *GroupTotals) Add(o *GroupTotals) {
	g.Customers += o.Customers
	g.Buyers += o.Buyers
	g.Purchases += o.Purchases
	g.Churned += o.Churned
	g.Revenue += o.Revenue
	g.GrossMargin += o.GrossMargin
	g.Discount += o.Discount
	g.Loyalty += o.Loyalty
}

// ChannelTotals are the outcomes on one channel.
type ChannelTotals struct {
	Contacts  int64
	Responses int64
	Visits    int64
	Purchases int64
	OptOuts   int64
	// Minutes is the staff time the channel's contacts took.
	Minutes float64
	Revenue float64
	Cost    float64

	// The service outcomes of a channel whose behaviour answers waits and
	// abandonment (Responses.Wait, Responses.Abandoned), such as a contact
	// centre's. Handled counts the contacts staff answered: those that
	// took staff minutes or waited, and were not abandoned. Abandoned
	// counts the contacts whose customer hung up before being answered;
	// Handled + Abandoned ≤ Contacts. WaitMinutes sums the waits of the
	// handled contacts (for the average speed of answer), and
	// AnsweredWithin counts the handled contacts answered within the
	// channel's service-level threshold (Channel.ServiceLevelSeconds).
	Handled        int64
	Abandoned      int64
	AnsweredWithin int64
	WaitMinutes    float64
}

// TickTotals are the outcomes of one tick.
type TickTotals struct {
	Contacts  int64
	Responses int64
	Purchases int64
	// NewBuyers counts the customers whose first purchase was in the tick.
	NewBuyers int64
	OptOuts   int64 // channel opt-outs
	Churned   int64
	Active    int64 // customers not churned at the end of the tick
	Revenue   float64
	// Contribution is the tick's gross margin less discounts, contact
	// costs and commissions: profit before fixed channel costs.
	Contribution float64
	Loyalty      float64 // sum of loyalty at the end of the tick
}

func newTotals(m *Model, paths bool) Totals {
	// The counts share one allocation, and the sums another: a chunk's
	// totals are made for every strategy and replication.
	nn, nst, stages := len(m.Nodes), len(m.Stages), m.Horizon*len(m.Stages)
	ints := make([]int64, stages+3*nn+nst)
	floats := make([]float64, 2*nn)
	cut := func(n int) []int64 {
		s := ints[:n:n]
		ints = ints[n:]
		return s
	}
	t := Totals{
		Channels: make([]ChannelTotals, len(m.Channels)),
		Series:   make([]TickTotals, m.Horizon),
		Stages:   cut(stages),

		NodeVisits:    cut(nn),
		NodeCSATCount: cut(nn),
		NodeCESCount:  cut(nn),
		StageEntries:  cut(nst),
		NodeCSAT:      floats[:nn:nn],
		NodeCES:       floats[nn:],
	}
	if paths {
		t.Paths = newPathTotals(len(m.Channels))
	}
	return t
}

// Add adds o to t. Adding in a fixed order gives the same floating-point
// sums whatever the order in which the parts were computed.
func (t *Totals) Add(o *Totals) {
	t.Customers += o.Customers
	t.Buyers += o.Buyers
	t.Purchases += o.Purchases
	t.Churned += o.Churned
	t.OptedOut += o.OptedOut
	t.Referrals += o.Referrals
	t.WordOfMouth += o.WordOfMouth
	t.Contacts += o.Contacts
	t.Responses += o.Responses
	t.Switches += o.Switches
	t.Leaks += o.Leaks
	t.Complaints += o.Complaints
	t.Recoveries += o.Recoveries
	t.Reviews += o.Reviews
	t.ReviewStars += o.ReviewStars
	t.Promoters += o.Promoters
	t.Detractors += o.Detractors
	t.Revenue += o.Revenue
	t.ReferralRevenue += o.ReferralRevenue
	t.Discount += o.Discount
	t.GrossMargin += o.GrossMargin
	t.ContactCost += o.ContactCost
	t.ChannelCost += o.ChannelCost
	t.LeverCost += o.LeverCost
	t.InvestmentCost += o.InvestmentCost
	t.Invested += o.Invested
	t.Loyalty += o.Loyalty
	t.CSAT += o.CSAT
	t.CSATCount += o.CSATCount
	t.CES += o.CES
	t.CESCount += o.CESCount
	t.CompetitorPurchases += o.CompetitorPurchases
	t.CompetitorSpend += o.CompetitorSpend
	t.Holdout.Add(&o.Holdout)
	t.Survey.Add(&o.Survey)
	if t.Channels == nil {
		t.Channels = make([]ChannelTotals, len(o.Channels))
	}
	for c := range o.Channels {
		a, b := &t.Channels[c], &o.Channels[c]
		a.Contacts += b.Contacts
		a.Responses += b.Responses
		a.Visits += b.Visits
		a.Purchases += b.Purchases
		a.OptOuts += b.OptOuts
		a.Minutes += b.Minutes
		a.Revenue += b.Revenue
		a.Cost += b.Cost
		a.Handled += b.Handled
		a.Abandoned += b.Abandoned
		a.AnsweredWithin += b.AnsweredWithin
		a.WaitMinutes += b.WaitMinutes
	}
	if t.Series == nil {
		t.Series = make([]TickTotals, len(o.Series))
	}
	for k := range o.Series {
		a, b := &t.Series[k], &o.Series[k]
		a.Contacts += b.Contacts
		a.Responses += b.Responses
		a.Purchases += b.Purchases
		a.NewBuyers += b.NewBuyers
		a.OptOuts += b.OptOuts
		a.Churned += b.Churned
		a.Active += b.Active
		a.Revenue += b.Revenue
		a.Contribution += b.Contribution
		a.Loyalty += b.Loyalty
	}
	t.Stages = addAll(t.Stages, o.Stages)
	t.NodeVisits = addAll(t.NodeVisits, o.NodeVisits)
	t.NodeCSAT = addAll(t.NodeCSAT, o.NodeCSAT)
	t.NodeCSATCount = addAll(t.NodeCSATCount, o.NodeCSATCount)
	t.NodeCES = addAll(t.NodeCES, o.NodeCES)
	t.NodeCESCount = addAll(t.NodeCESCount, o.NodeCESCount)
	t.StageEntries = addAll(t.StageEntries, o.StageEntries)
	if o.Paths != nil {
		if t.Paths == nil {
			t.Paths = newPathTotals(o.Paths.channels)
		}
		t.Paths.Add(o.Paths)
	}
}

// addAll adds o to t element by element, in index order, and returns t,
// allocated at o's length when nil.
func addAll[T int64 | float64](t, o []T) []T {
	if t == nil && o != nil {
		t = make([]T, len(o))
	}
	for k, v := range o {
		t[k] += v
	}
	return t
}

// addFixedCosts adds to a replication's totals what each strategy costs
// whatever its customers do: the fixed and per-customer costs of the
// channels it switches on, the cost of its levers, and its investments.
func addFixedCosts(m *Model, strategies []int, sums []Totals) {
	for k, si := range strategies {
		t := &sums[k]
		st := &m.Strategies[si]
		var activeTicks float64
		for x := range t.Series {
			activeTicks += float64(t.Series[x].Active)
		}
		for ch, on := range st.Channels {
			if on {
				c := &m.Channels[ch]
				cost := c.FixedCost*float64(m.Horizon) + c.CostPerCustomer*activeTicks
				t.ChannelCost += cost
				t.Channels[ch].Cost += cost
			}
		}
		t.LeverCost += st.LeverCostPerTick(m)*float64(m.Horizon) + st.leverCostPerCustomer(m)*activeTicks
		for x := range m.Horizon {
			charged, paid := st.InvestmentAt(m, x)
			t.InvestmentCost += charged
			t.Invested += paid
		}
	}
}

// FixedCostPerTick is what st costs per tick whatever its customers do:
// the fixed costs of the channels it switches on and the fixed cost of
// its levers.
func (st *Strategy) FixedCostPerTick(m *Model) float64 {
	cost := st.LeverCostPerTick(m)
	for ch, on := range st.Channels {
		if on {
			cost += m.Channels[ch].FixedCost
		}
	}
	return cost
}

// CostPerCustomerPerTick is what st costs per active customer per tick:
// the per-customer costs of the channels it switches on and of its
// levers.
func (st *Strategy) CostPerCustomerPerTick(m *Model) float64 {
	cost := st.leverCostPerCustomer(m)
	for ch, on := range st.Channels {
		if on {
			cost += m.Channels[ch].CostPerCustomer
		}
	}
	return cost
}

// LeverCostPerTick is what the levers st sets cost per tick, fixed: each
// lever's value times its cost per tick.
func (st *Strategy) LeverCostPerTick(m *Model) float64 {
	return st.leverCost(m, func(l *Lever) float64 { return l.CostPerTick })
}

func (st *Strategy) leverCostPerCustomer(m *Model) float64 {
	return st.leverCost(m, func(l *Lever) float64 { return l.CostPerCustomer })
}

// leverCost sums each lever's value under st times its cost.
func (st *Strategy) leverCost(m *Model, cost func(*Lever) float64) float64 {
	sum := 0.0
	for k, v := range st.Levers {
		if k < len(m.Levers) {
			sum += v * cost(&m.Levers[k])
		}
	}
	return sum
}

// InvestmentAt returns what st's investments, its own and those of the
// levers it sets (per unit of the lever), charge to profit at tick t and
// what they cost in cash at t.
func (st *Strategy) InvestmentAt(m *Model, t int) (charged, paid float64) {
	for k := range st.Investments {
		charged += st.Investments[k].Charge(t)
		paid += st.Investments[k].Paid(t)
	}
	for k, v := range st.Levers {
		if k >= len(m.Levers) || v == 0 {
			continue
		}
		for j := range m.Levers[k].Investments {
			inv := &m.Levers[k].Investments[j]
			charged += v * inv.Charge(t)
			paid += v * inv.Paid(t)
		}
	}
	return charged, paid
}

// HasInvestments reports whether any strategy of m pays for an
// investment.
func (m *Model) HasInvestments() bool {
	for si := range m.Strategies {
		st := &m.Strategies[si]
		if len(st.Investments) > 0 {
			return true
		}
		for k, v := range st.Levers {
			if v != 0 && k < len(m.Levers) && len(m.Levers[k].Investments) > 0 {
				return true
			}
		}
	}
	return false
}

// HasFixedCosts reports whether m has a cost that does not grow with the
// population: a channel's fixed cost, a lever's cost per tick or an
// investment.
func (m *Model) HasFixedCosts() bool {
	for _, c := range m.Channels {
		if c.FixedCost > 0 {
			return true
		}
	}
	for _, l := range m.Levers {
		if l.CostPerTick > 0 || len(l.Investments) > 0 {
			return true
		}
	}
	for _, s := range m.Strategies {
		if len(s.Investments) > 0 {
			return true
		}
	}
	return false
}

// ScaleFixedCosts multiplies every cost that does not grow with the
// population (channels' fixed costs, levers' costs per tick and every
// investment) by f, as when a population is simulated at f times the
// size the costs were set for.
func (m *Model) ScaleFixedCosts(f float64) {
	for c := range m.Channels {
		m.Channels[c].FixedCost *= f
	}
	scale := func(invs []Investment) []Investment {
		out := slices.Clone(invs)
		for k := range out {
			out[k].Amount *= f
		}
		return out
	}
	for k := range m.Levers {
		m.Levers[k].CostPerTick *= f
		m.Levers[k].Investments = scale(m.Levers[k].Investments)
	}
	for k := range m.Strategies {
		m.Strategies[k].Investments = scale(m.Strategies[k].Investments)
	}
}
