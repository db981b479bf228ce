package results

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/sim"
)

// Unit names a metric's unit. Money is shown as the scenario's currency.
const (
	UnitCount       = ""
	UnitMoney       = "money"
	UnitRatio       = "ratio"
	UnitShare       = "share"
	UnitPerCustomer = "per_customer"
	UnitScore01     = "0_1"
	UnitPoints      = "points"
	UnitCSAT        = "1_5"
	UnitCES         = "1_7"
	UnitMinutes     = "minutes"
	UnitSeconds     = "seconds"
	// UnitTicks is a number of the run's ticks (days, weeks).
	UnitTicks = "ticks"
)

// Direction says which way a metric improves.
type Direction int

// Directions.
const (
	Neutral        Direction = 0
	HigherIsBetter Direction = 1
	LowerIsBetter  Direction = -1
)

// Metric is one outcome of a strategy, defined on its totals in one
// replication, in natural units: shares and ratios as fractions (0.12, not
// 12%). docs/metrics.md gives every formula.
type Metric struct {
	Key   string `json:"key"`   // name in checks, CSV and JSON
	Label string `json:"label"` // row label in tables
	Unit  string `json:"unit"`  // one of the Unit constants
	// Percent shows the value × 100 with a % sign in tables.
	Percent bool `json:"percent"`
	// Digits is the number of decimals a table shows.
	Digits int       `json:"digits"`
	Better Direction `json:"better"`
	// Headline metrics are compared against the baseline.
	Headline bool `json:"headline"`
	// Detail marks a metric that the text table of every metric leaves
	// out for length, unless the scenario names it a key outcome; data
	// files, checks and sweeps have it.
	Detail bool                                      `json:"detail,omitempty"`
	Value  func(t *sim.Totals, m *sim.Model) float64 `json:"-"`
}

// Column returns the metric's column name in wide tables: its key with
// its unit, such as revenue_eur or churn_rate_share.
func (met *Metric) Column(currency string) string {
	return ColumnName(met.Key, met.Unit, currency)
}

// ColumnName is the name of a wide table's column for a value called key
// in unit: the key with its unit, such as revenue_eur or churn_rate_share,
// or the key alone when it names its unit already (staff_minutes,
// abandoned_share, minutes_per_handled).
func ColumnName(key, unit, currency string) string {
	switch unit {
	case UnitCount, UnitPerCustomer:
		return key
	case UnitMinutes, UnitSeconds:
		// minutes_per_handled: the key names its unit.
		if strings.HasPrefix(key, unit+"_") || strings.Contains(key, "_"+unit+"_") {
			return key
		}
	case UnitMoney:
		return key + "_" + strings.ToLower(currency)
	}
	if strings.HasSuffix(key, "_"+unit) { // staff_minutes, abandoned_share
		return key
	}
	return key + "_" + unit
}

// UnitText is a unit as long tables and headers show it: the currency for
// money, the unit's name otherwise.
func UnitText(unit, currency string) string {
	if unit == UnitMoney {
		return currency
	}
	return unit
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return math.NaN()
	}
	return a / b
}

// Profit is gross margin on list price less discounts, contact, channel
// and lever costs and what investments charge to it within the horizon.
func Profit(t *sim.Totals) float64 {
	return t.GrossMargin - Costs(t)
}

// CLV is customer lifetime value over the horizon: each tick's contribution
// (margin less discounts, contact costs and commissions), discounted at the
// scenario's yearly rate, summed and divided by the customers.
func CLV(t *sim.Totals, m *sim.Model) float64 {
	perTick := math.Pow(1+m.DiscountRate, -1/m.TicksPerYear)
	f, sum := 1.0, 0.0
	for k := range t.Series {
		sum += f * t.Series[k].Contribution
		f *= perTick
	}
	return sum / float64(t.Customers)
}

func count(f func(t *sim.Totals) int64) func(*sim.Totals, *sim.Model) float64 {
	return func(t *sim.Totals, _ *sim.Model) float64 { return float64(f(t)) }
}

func money(f func(t *sim.Totals) float64) func(*sim.Totals, *sim.Model) float64 {
	return func(t *sim.Totals, _ *sim.Model) float64 { return f(t) }
}

// Metrics are the per-strategy outcomes, in the order tables show them.
var Metrics = []Metric{
	{Key: "customers", Label: "customers", Value: count(func(t *sim.Totals) int64 { return t.Customers })},
	{Key: "buyers", Label: "buyers", Better: HigherIsBetter, Value: count(func(t *sim.Totals) int64 { return t.Buyers })},
	{Key: "purchases", Label: "purchases", Better: HigherIsBetter, Value: count(func(t *sim.Totals) int64 { return t.Purchases })},
	{Key: "revenue", Label: "revenue", Unit: UnitMoney, Better: HigherIsBetter, Headline: true, Value: money(func(t *sim.Totals) float64 { return t.Revenue })},
	{Key: "discount_cost", Label: "discount cost", Unit: UnitMoney, Better: LowerIsBetter, Value: money(func(t *sim.Totals) float64 { return t.Discount })},
	{Key: "contact_cost", Label: "contact cost", Unit: UnitMoney, Better: LowerIsBetter, Value: money(func(t *sim.Totals) float64 { return t.ContactCost })},
	{Key: "channel_cost", Label: "channel cost", Unit: UnitMoney, Better: LowerIsBetter, Value: money(func(t *sim.Totals) float64 { return t.ChannelCost })},
	{Key: "lever_cost", Label: "lever cost", Unit: UnitMoney, Better: LowerIsBetter, Value: func(t *sim.Totals, m *sim.Model) float64 {
		if Unavailable("lever_cost", m, false) != "" {
			return math.NaN()
		}
		return t.LeverCost
	}},
	{Key: "investment_cost", Label: "investments charged", Unit: UnitMoney, Better: LowerIsBetter, Value: func(t *sim.Totals, m *sim.Model) float64 {
		if Unavailable("investment_cost", m, false) != "" {
			return math.NaN()
		}
		return t.InvestmentCost
	}},
	{Key: "profit", Label: "profit", Unit: UnitMoney, Better: HigherIsBetter, Headline: true, Value: money(Profit)},
	// profit_to_cost is what was long called ROI: the whole profit, organic
	// sales included, over every cost. It is no return on a change; the
	// business case's incremental ROI is (BusinessCase.ROI).
	{Key: "profit_to_cost", Label: "profit ÷ costs", Unit: UnitRatio, Digits: 2, Better: HigherIsBetter, Value: func(t *sim.Totals, _ *sim.Model) float64 {
		return ratio(Profit(t), Costs(t))
	}},
	{Key: "clv", Label: "CLV over the horizon", Unit: UnitMoney, Digits: 2, Better: HigherIsBetter, Headline: true, Value: CLV},
	{Key: "retention_rate", Label: "retention", Unit: UnitShare, Percent: true, Digits: 1, Better: HigherIsBetter, Value: func(t *sim.Totals, _ *sim.Model) float64 {
		return 1 - ratio(float64(t.Churned), float64(t.Customers))
	}},
	{Key: "churn_rate", Label: "churn", Unit: UnitShare, Percent: true, Digits: 1, Better: LowerIsBetter, Headline: true, Value: func(t *sim.Totals, _ *sim.Model) float64 {
		return ratio(float64(t.Churned), float64(t.Customers))
	}},
	{Key: "loyalty", Label: "mean loyalty", Unit: UnitScore01, Digits: 3, Better: HigherIsBetter, Headline: true, Value: func(t *sim.Totals, _ *sim.Model) float64 {
		return ratio(t.Loyalty, float64(t.Customers))
	}},
	{Key: "nps", Label: "NPS", Unit: UnitPoints, Digits: 1, Better: HigherIsBetter, Headline: true, Value: func(t *sim.Totals, _ *sim.Model) float64 {
		return 100 * ratio(float64(t.Promoters-t.Detractors), float64(t.Customers))
	}},
	{Key: "csat", Label: "mean CSAT", Unit: UnitCSAT, Digits: 2, Better: HigherIsBetter, Headline: true, Value: func(t *sim.Totals, _ *sim.Model) float64 {
		return ratio(t.CSAT, float64(t.CSATCount))
	}},
	{Key: "ces", Label: "mean CES", Unit: UnitCES, Digits: 2, Better: LowerIsBetter, Headline: true, Value: func(t *sim.Totals, _ *sim.Model) float64 {
		return ratio(t.CES, float64(t.CESCount))
	}},
	{Key: "survey_answers", Label: "survey answers", Detail: true, Value: surveyed(func(v *sim.SurveyTotals) float64 { return float64(v.Answered) })},
	{Key: "survey_response_rate", Label: "survey response rate", Unit: UnitShare, Percent: true, Digits: 1, Detail: true, Value: surveyed(func(v *sim.SurveyTotals) float64 {
		return ratio(float64(v.Answered), float64(v.Invited))
	})},
	{Key: "survey_nps", Label: "NPS by survey", Unit: UnitPoints, Digits: 1, Better: HigherIsBetter, Value: surveyed(SurveyNPS)},
	{Key: "survey_nps_margin", Label: "survey NPS margin of error, 95% (points)", Digits: 1, Detail: true, Value: surveyed(SurveyNPSMargin)},
	{Key: "survey_csat", Label: "CSAT by survey", Unit: UnitCSAT, Digits: 2, Better: HigherIsBetter, Value: surveyed(func(v *sim.SurveyTotals) float64 {
		return ratio(v.CSAT, float64(v.CSATCount))
	})},
	{Key: "survey_ces", Label: "CES by survey", Unit: UnitCES, Digits: 2, Better: LowerIsBetter, Value: surveyed(func(v *sim.SurveyTotals) float64 {
		return ratio(v.CES, float64(v.CESCount))
	})},
	{Key: "share_of_wallet", Label: "share of wallet", Unit: UnitShare, Percent: true, Digits: 1, Better: HigherIsBetter, Value: func(t *sim.Totals, m *sim.Model) float64 {
		if Unavailable("share_of_wallet", m, false) != "" {
			return math.NaN()
		}
		// Both at list price: what customers spent here and at the
		// competitor before any discount.
		own := t.Revenue - t.ReferralRevenue + t.Discount
		return ratio(own, own+t.CompetitorSpend)
	}},
	{Key: "contacts_per_customer", Label: "contacts per customer", Unit: UnitPerCustomer, Digits: 2, Value: func(t *sim.Totals, _ *sim.Model) float64 {
		return ratio(float64(t.Contacts), float64(t.Customers))
	}},
	{Key: "opt_out_rate", Label: "opt-out rate", Unit: UnitShare, Percent: true, Digits: 1, Better: LowerIsBetter, Headline: true, Value: func(t *sim.Totals, _ *sim.Model) float64 {
		return ratio(float64(t.OptedOut), float64(t.Customers))
	}},
	{Key: "complaints", Label: "complaints", Better: LowerIsBetter, Value: count(func(t *sim.Totals) int64 { return t.Complaints })},
	{Key: "recovered_complaints", Label: "complaints followed in time by a good rating", Unit: UnitShare, Percent: true, Digits: 1, Better: HigherIsBetter, Detail: true, Value: func(t *sim.Totals, m *sim.Model) float64 {
		if Unavailable("recovered_complaints", m, false) != "" {
			return math.NaN()
		}
		return ratio(float64(t.Recoveries), float64(t.Complaints))
	}},

	{Key: "referrals", Label: "referrals", Better: HigherIsBetter, Value: count(func(t *sim.Totals) int64 { return t.Referrals + t.WordOfMouth })},
	{Key: "reviews_posted", Label: "reviews posted", Value: func(t *sim.Totals, m *sim.Model) float64 {
		if Unavailable("reviews_posted", m, false) != "" {
			return math.NaN()
		}
		return float64(t.Reviews)
	}},
	{Key: "review_rating", Label: "review rating at the end", Unit: UnitCSAT, Digits: 2, Better: HigherIsBetter, Value: func(t *sim.Totals, m *sim.Model) float64 {
		if Unavailable("review_rating", m, false) != "" {
			return math.NaN()
		}
		return m.Reviews.ReviewRating(t.Reviews, t.ReviewStars)
	}},
	{Key: "word_of_mouth_adopters", Label: "adopters by word of mouth", Better: HigherIsBetter, Value: func(t *sim.Totals, m *sim.Model) float64 {
		return withWordOfMouth(m, float64(t.WordOfMouth))
	}},
	{Key: "word_of_mouth_share", Label: "share adopting by word of mouth", Unit: UnitShare, Percent: true, Digits: 1, Value: func(t *sim.Totals, m *sim.Model) float64 {
		return withWordOfMouth(m, ratio(float64(t.WordOfMouth), float64(t.Buyers)))
	}},
	{Key: "time_to_half_market", Label: "time to half the market", Unit: UnitTicks, Digits: 1, Better: LowerIsBetter, Detail: true, Value: func(t *sim.Totals, _ *sim.Model) float64 {
		return TimeToHalf(t)
	}},
	{Key: "leaks", Label: "journey steps lost when switching channel", Better: LowerIsBetter, Value: count(func(t *sim.Totals) int64 { return t.Leaks })},
}

// surveyed reads a survey's totals for a model with a survey, NaN for one
// without.
func surveyed(f func(v *sim.SurveyTotals) float64) func(*sim.Totals, *sim.Model) float64 {
	return func(t *sim.Totals, m *sim.Model) float64 {
		if m.Survey.Sample == 0 {
			return math.NaN()
		}
		return f(&t.Survey)
	}
}

// SurveyNPS is the NPS the survey's respondents give: the percentage of
// answers of 9 or 10 less that of answers of 0 to 6; NaN with no answer.
func SurveyNPS(v *sim.SurveyTotals) float64 {
	return 100 * ratio(float64(v.Promoters-v.Detractors), float64(v.Answered))
}

// SurveyNPSMargin is the 95% margin of error of the survey's NPS, from its
// own sample: 1.96 standard errors of the difference of two shares of one
// sample, 100 × 1.96 × √((p + d − (p − d)²) ÷ n), where p and d are the
// shares of promoters and detractors among n answers; NaN with fewer than
// two answers. It is what the survey alone can say of its precision.
func SurveyNPSMargin(v *sim.SurveyTotals) float64 {
	n := float64(v.Answered)
	if n < 2 {
		return math.NaN()
	}
	p, d := float64(v.Promoters)/n, float64(v.Detractors)/n
	return 100 * 1.96 * math.Sqrt((p+d-(p-d)*(p-d))/n)
}

// withWordOfMouth returns v for a model with word-of-mouth edges, NaN for
// one without, which cannot measure adoption by word of mouth.
func withWordOfMouth(m *sim.Model, v float64) float64 {
	if !m.HasWordOfMouth() {
		return math.NaN()
	}
	return v
}

// TimeToHalf is how many ticks it took until half the customers had
// bought at least once: the first t at which the first purchases of ticks
// 1 to t add up to half the population; NaN when that never happens
// within the horizon.
func TimeToHalf(t *sim.Totals) float64 {
	var bought int64
	for k := range t.Series {
		bought += t.Series[k].NewBuyers
		if 2*bought >= t.Customers && t.Customers > 0 {
			return float64(k + 1)
		}
	}
	return math.NaN()
}

// ROMI is return on marketing investment; it needs the strategy's
// counterfactual sending no contact, so Summarize adds it only when
// the run measured one. See docs/metrics.md.
var ROMI = Metric{Key: "romi", Label: "ROMI", Unit: UnitRatio, Digits: 2, Better: HigherIsBetter, Headline: true}

// Unavailable says why a run of m cannot measure the metric called key, as
// a clause that follows "it reads KEY, ", or "" when it can.
// measuresCounterfactuals says whether the run reruns each strategy
// without its contacts (--attribution), which ROMI needs. It is the one
// place that knows which metrics a scenario has: the tables hide the
// others, checks and experiments refuse them.
func Unavailable(key string, m *sim.Model, measuresCounterfactuals bool) string {
	switch key {
	case ROMI.Key:
		if !measuresCounterfactuals {
			return "which needs the rerun sending no contact: add --attribution"
		}
	case "share_of_wallet":
		if !slices.ContainsFunc(m.Nodes, func(n sim.Node) bool { return n.Competitor }) {
			return fmt.Sprintf("but scenario %s has no competitor purchase node (competitor: true)", m.Name)
		}
	case "lever_cost":
		if !slices.ContainsFunc(m.Levers, func(l sim.Lever) bool { return l.CostPerTick > 0 || l.CostPerCustomer > 0 }) {
			return fmt.Sprintf("but scenario %s has no lever with a cost_per_tick or cost_per_customer", m.Name)
		}
	case "survey_answers", "survey_response_rate", "survey_nps", "survey_nps_margin", "survey_csat", "survey_ces":
		if m.Survey.Sample == 0 {
			return fmt.Sprintf("but scenario %s has no survey (survey.sample)", m.Name)
		}
	case "reviews_posted", "review_rating":
		if !slices.ContainsFunc(m.Nodes, func(n sim.Node) bool { return n.Review != nil }) {
			return fmt.Sprintf("but scenario %s has no node whose visits post reviews (review)", m.Name)
		}
	case "recovered_complaints":
		if m.Loyalty.ExperienceWeight == 0 {
			return fmt.Sprintf("but in scenario %s experience does not move loyalty (loyalty.experience_weight is 0), so no recovery can count", m.Name)
		}
	case "word_of_mouth_adopters", "word_of_mouth_share":
		if !m.HasWordOfMouth() {
			return fmt.Sprintf("but scenario %s has no word-of-mouth edge (a journey edge whose p reads adopters)", m.Name)
		}
	case "investment_cost":
		if !m.HasInvestments() {
			return fmt.Sprintf("but scenario %s has no investments", m.Name)
		}
	}
	return ""
}

// Measurable returns an error if c reads a metric that a run of m cannot
// measure (see Unavailable), so that a check that could never pass is
// refused before the run rather than failed after it.
func (c *Check) Measurable(m *sim.Model, measuresCounterfactuals bool) error {
	if err := c.channelsMeasurable(m, measuresCounterfactuals); err != nil {
		return err
	}
	for _, key := range c.uses {
		if why := Unavailable(key, m, measuresCounterfactuals); why != "" {
			return fmt.Errorf("%s: check %q reads %s, %s", c.Where, c.Source, key, why)
		}
	}
	return nil
}

// renamedMetrics maps a metric's former key to its key now.
var renamedMetrics = map[string]string{
	"roi": "profit_to_cost",
}

// RenamedHint returns a hint to append to an "unknown metric" message when
// key is a metric's former name, saying what it is called now; otherwise
// it returns "".
func RenamedHint(key string) string {
	now, ok := renamedMetrics[key]
	if !ok {
		return ""
	}
	hint := fmt.Sprintf("; %s is now called %s (%s)", key, now, Metrics[MetricIndex(now)].Label)
	if key == "roi" {
		hint += "; the return on a change, extra profit ÷ extra spend, is the incremental ROI of the business case under each comparison"
	}
	return hint
}

// MetricIndex returns the index in Metrics of the metric called key, or -1.
func MetricIndex(key string) int {
	for k := range Metrics {
		if Metrics[k].Key == key {
			return k
		}
	}
	return -1
}

// ChannelMetric is one outcome on one channel.
type ChannelMetric struct {
	Key     string `json:"key"`
	Label   string `json:"label"`
	Unit    string `json:"unit"`
	Percent bool   `json:"percent"`
	Digits  int    `json:"digits"`
	// Detail marks a metric that the text table leaves out for width;
	// result files, checks and sweeps have it.
	Detail bool `json:"detail,omitempty"`
	// Value is the metric of a channel's totals c in a run of customers
	// customers.
	Value func(c *sim.ChannelTotals, customers int64) float64 `json:"-"`
}

// ChannelMetrics are the per-channel outcomes.
var ChannelMetrics = []ChannelMetric{
	{"contacts", "contacts", UnitCount, false, 0, false, func(c *sim.ChannelTotals, _ int64) float64 { return float64(c.Contacts) }},
	{"responses", "responses", UnitCount, false, 0, false, func(c *sim.ChannelTotals, _ int64) float64 { return float64(c.Responses) }},
	{"response_rate", "response rate", UnitShare, true, 2, false, func(c *sim.ChannelTotals, _ int64) float64 {
		return ratio(float64(c.Responses), float64(c.Contacts))
	}},
	{"visits", "visits", UnitCount, false, 0, false, func(c *sim.ChannelTotals, _ int64) float64 { return float64(c.Visits) }},
	{"purchases", "purchases", UnitCount, false, 0, false, func(c *sim.ChannelTotals, _ int64) float64 { return float64(c.Purchases) }},
	{"revenue", "revenue on the channel", UnitMoney, false, 0, false, func(c *sim.ChannelTotals, _ int64) float64 { return c.Revenue }},
	{"cost", "cost", UnitMoney, false, 0, false, func(c *sim.ChannelTotals, _ int64) float64 { return c.Cost }},
	{"opt_outs", "opt-outs", UnitCount, false, 0, false, func(c *sim.ChannelTotals, _ int64) float64 { return float64(c.OptOuts) }},
	{"staff_minutes", "staff time", UnitMinutes, false, 0, false, func(c *sim.ChannelTotals, _ int64) float64 { return c.Minutes }},
	// The service outcomes (docs/metrics.md#service-outcomes), defined on
	// a channel with staff only: elsewhere they are NaN, and tables leave
	// them out.
	{"handled", "handled", UnitCount, false, 0, false, func(c *sim.ChannelTotals, _ int64) float64 {
		return staffed(c, float64(c.Handled))
	}},
	{"minutes_per_handled", "handle time", UnitMinutes, false, 2, false, func(c *sim.ChannelTotals, _ int64) float64 {
		return ratio(c.Minutes, float64(c.Handled))
	}},
	{"abandoned_share", "abandoned", UnitShare, true, 1, false, func(c *sim.ChannelTotals, _ int64) float64 {
		return ratio(float64(c.Abandoned), float64(c.Handled+c.Abandoned))
	}},
	{"average_speed_of_answer_seconds", "speed of answer", UnitSeconds, false, 1, false, func(c *sim.ChannelTotals, _ int64) float64 {
		return 60 * ratio(c.WaitMinutes, float64(c.Handled))
	}},
	{"service_level", "service level", UnitShare, true, 1, false, func(c *sim.ChannelTotals, _ int64) float64 {
		return ratio(float64(c.AnsweredWithin), float64(c.Handled+c.Abandoned))
	}},
	// Contacts per customer of the population: the top-level metric,
	// channel by channel.
	{"contacts_per_customer", "contacts per customer", UnitPerCustomer, false, 2, true, func(c *sim.ChannelTotals, customers int64) float64 {
		return ratio(float64(c.Contacts), float64(customers))
	}},
}

// Staffed reports whether a channel has staff: its contacts took staff
// minutes, or queued for staff (handled or abandoned). Only such a
// channel has service outcomes.
func Staffed(c *sim.ChannelTotals) bool {
	return c.Minutes > 0 || c.Handled > 0 || c.Abandoned > 0
}

// staffed returns v on a channel with staff, NaN elsewhere.
func staffed(c *sim.ChannelTotals, v float64) float64 {
	if !Staffed(c) {
		return math.NaN()
	}
	return v
}
