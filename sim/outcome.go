package sim

// Totals are the outcomes of one strategy in one replication (or one chunk
// of it): counts and sums that add up across chunks. Ratios such as ROI and
// NPS are derived from them by the results package.
type Totals struct {
	Customers  int64 // customers simulated
	Buyers     int64 // customers with at least one purchase
	Purchases  int64
	Churned    int64
	OptedOut   int64 // customers who opted out of at least one channel
	Referrals  int64 // new customers brought by word of mouth
	Contacts   int64
	Responses  int64
	Switches   int64 // channel switches attempted along the journey
	Leaks      int64 // moves lost at a switch or to a switched-off channel
	Complaints int64 // interactions rated 2 or less
	Promoters  int64 // customers whose likelihood to recommend is 9 or 10
	Detractors int64 // customers whose likelihood to recommend is 0 to 6

	Revenue         float64 // what customers paid, after discounts
	ReferralRevenue float64 // revenue credited to referrals
	Discount        float64 // list price given away as discounts
	GrossMargin     float64 // margin on list price of all purchases
	ContactCost     float64
	ChannelCost     float64
	Loyalty         float64 // sum of the customers' final loyalty
	CSAT            float64 // sum of CSAT ratings
	CSATCount       int64
	CES             float64 // sum of CES ratings
	CESCount        int64

	Channels []ChannelTotals
	Series   []TickTotals
}

// ChannelTotals are the outcomes on one channel.
type ChannelTotals struct {
	Contacts  int64
	Responses int64
	Visits    int64
	Purchases int64
	OptOuts   int64
	Revenue   float64
	Cost      float64
}

// TickTotals are the outcomes of one tick.
type TickTotals struct {
	Contacts  int64
	Responses int64
	Purchases int64
	Active    int64 // customers not churned at the end of the tick
	Revenue   float64
	Loyalty   float64 // sum of loyalty at the end of the tick
}

func newTotals(m *Model) Totals {
	return Totals{
		Channels: make([]ChannelTotals, len(m.Channels)),
		Series:   make([]TickTotals, m.Horizon),
	}
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
	t.Contacts += o.Contacts
	t.Responses += o.Responses
	t.Switches += o.Switches
	t.Leaks += o.Leaks
	t.Complaints += o.Complaints
	t.Promoters += o.Promoters
	t.Detractors += o.Detractors
	t.Revenue += o.Revenue
	t.ReferralRevenue += o.ReferralRevenue
	t.Discount += o.Discount
	t.GrossMargin += o.GrossMargin
	t.ContactCost += o.ContactCost
	t.ChannelCost += o.ChannelCost
	t.Loyalty += o.Loyalty
	t.CSAT += o.CSAT
	t.CSATCount += o.CSATCount
	t.CES += o.CES
	t.CESCount += o.CESCount
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
		a.Revenue += b.Revenue
		a.Cost += b.Cost
	}
	if t.Series == nil {
		t.Series = make([]TickTotals, len(o.Series))
	}
	for k := range o.Series {
		a, b := &t.Series[k], &o.Series[k]
		a.Contacts += b.Contacts
		a.Responses += b.Responses
		a.Purchases += b.Purchases
		a.Active += b.Active
		a.Revenue += b.Revenue
		a.Loyalty += b.Loyalty
	}
}
