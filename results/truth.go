package results

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/results/attribution"
	"github.com/journeysim/journeysim/sim"
)

// values returns f of each replication of the strategy at position k.
func values(res *sim.Result, k int, f func(t *sim.Totals) float64) []float64 {
	out := make([]float64, len(res.Totals[k]))
	for r := range out {
		out[r] = f(&res.Totals[k][r])
	}
	return out
}

func position(res *sim.Result, si int) int { return slices.Index(res.Strategies, si) }

func purchaseRevenue(t *sim.Totals) float64 { return t.Revenue - t.ReferralRevenue }

// outboundFixedCost is what the outbound channels a strategy switches on
// cost over the horizon, used or not.
func outboundFixedCost(m *sim.Model, st *sim.Strategy) float64 {
	cost := 0.0
	for c, on := range st.Channels {
		if on && m.Channels[c].Direction == sim.Outbound {
			cost += m.Channels[c].FixedCost * float64(m.Horizon)
		}
	}
	return cost
}

// ROMIValues returns, per replication, the return on marketing investment
// (ROMI) of the strategy at position k of res, a run of p.Model: the margin its contacts earn over the same
// strategy sending nothing, less what the contacts cost (contact costs and
// the fixed costs of its outbound channels), per unit of that cost.
// Profit already has contact costs taken off and keeps the same fixed
// costs in both runs, so this is
// (profit − profit without contact − outbound fixed costs) / marketing cost.
// A strategy that sends no contact has no ROMI (NaN).
func ROMIValues(p *attribution.Plan, res *sim.Result, k int) []float64 {
	m := res.Model
	si := res.Strategies[k]
	st := &m.Strategies[si]
	out := make([]float64, len(res.Totals[k]))
	cf := -1
	if n := p.Silent(si); n >= 0 {
		cf = position(res, n)
	}
	fixed := outboundFixedCost(m, st)
	for r := range out {
		out[r] = math.NaN()
		if cf < 0 {
			continue
		}
		t := &res.Totals[k][r]
		// Marketing cost: contact costs and the outbound channels' fixed costs.
		out[r] = ratio(Profit(t)-Profit(&res.Totals[cf][r])-fixed, t.ContactCost+fixed)
	}
	return out
}

// Truth is the name of the true incremental revenue in attribution tables.
const Truth = "incremental_truth"

// TruthLabel names the true incremental revenue in tables and charts.
const TruthLabel = "true incremental"

// pathModel works out an attribution model's credit from a replication's
// path statistics after the run.
type pathModel struct {
	// credit returns the credit of each channel in on (the indices of
	// the channels the strategy switches on), in the order of on.
	credit func(pt *sim.PathTotals, on []int) ([]float64, error)
	// name, if set, names the model in the note that leaves it out when
	// credit fails; without it, a failure is an error of the attribution.
	name string
}

// pathModels are the attribution models of sim.AttributionModels that sim
// does not credit as the run goes, by key.
var pathModels = map[string]pathModel{
	"markov":  {credit: markovCredit},
	"shapley": {credit: shapleyCredit, name: "Shapley"},
}

// StrategyAttribution is one strategy's revenue credited to its channels
// by each attribution model, next to each channel's true incremental
// revenue.
type StrategyAttribution struct {
	Strategy string   `json:"strategy"`
	Channels []string `json:"channels"`
	// Credit[j][c] is model sim.AttributionModels[j]'s credit to
	// Channels[c].
	Credit [][]Estimate `json:"credit"`
	// Truth[c] is the purchase revenue lost when Channels[c] is switched
	// off.
	Truth []Estimate `json:"truth"`
	// Error[j] is model j's distance from the truth: the sum over channels
	// of |mean credit − mean truth| over the sum of |mean truth|.
	Error []float64 `json:"error"`
	// Closest is the model with the smallest error; empty when no channel
	// has a true effect.
	Closest string `json:"closest"`
	// Note explains a model left out.
	Note string `json:"note"`
}

// attribute computes the attribution of the strategy at position k.
func attribute(res *sim.Result, k int, p *attribution.Plan) (StrategyAttribution, error) {
	m := res.Model
	si := res.Strategies[k]
	st := &m.Strategies[si]
	a := StrategyAttribution{Strategy: st.Name}
	var on []int
	for c := range m.Channels {
		if st.Channels[c] {
			on = append(on, c)
			a.Channels = append(a.Channels, m.Channels[c].Name)
		}
	}
	reps := res.Totals[k]
	credit := make([][][]float64, len(sim.AttributionModels)) // [model][channel][rep]
	for j := range credit {
		credit[j] = make([][]float64, len(on))
		for c := range on {
			credit[j][c] = make([]float64, len(reps))
		}
	}
	for r := range reps {
		pt := reps[r].Paths
		for j, model := range sim.AttributionModels {
			if model.Credit != nil {
				h := model.Credit(pt)
				for c, ch := range on {
					credit[j][c][r] = h[ch]
				}
				continue
			}
			pm, ok := pathModels[model.Key]
			if !ok {
				return a, fmt.Errorf("attribution model %s: no computation", model.Key)
			}
			got, err := pm.credit(pt, on)
			if err != nil {
				if pm.name == "" {
					return a, fmt.Errorf("%s: %w", model.Key, err)
				}
				a.Note = pm.name + " left out: " + err.Error()
				for c := range on {
					credit[j][c][r] = math.NaN()
				}
				continue
			}
			for c := range on {
				credit[j][c][r] = got[c]
			}
		}
	}
	for j := range credit {
		row := make([]Estimate, len(on))
		for c := range on {
			row[c] = NewEstimate(credit[j][c])
		}
		a.Credit = append(a.Credit, row)
	}
	truthSum := 0.0
	for _, ch := range on {
		e := NewEstimate(IncrementalTruth(p, res, k, ch))
		a.Truth = append(a.Truth, e)
		truthSum += math.Abs(e.Mean)
	}
	best, worst := math.Inf(1), math.Inf(-1)
	a.Closest = ""
	if truthSum == 0 {
		a.Note = "no channel changes revenue when switched off, so no model can be judged against the truth"
	}
	for j, row := range a.Credit {
		dist := 0.0
		for c := range row {
			dist += math.Abs(row[c].Mean - a.Truth[c].Mean)
		}
		e := ratio(dist, truthSum)
		a.Error = append(a.Error, e)
		worst = math.Max(worst, e)
		if e < best {
			best, a.Closest = e, sim.AttributionModels[j].Key
		}
	}
	if worst-best < 1e-9 {
		a.Closest = ""
		if a.Note == "" {
			a.Note = "every model gives the same credit here, so none is closer to the truth than another"
		}
	}
	return a, nil
}

// IncrementalTruth returns, per replication, channel ch's true incremental
// revenue for the strategy at position k of res, a run of p.Model: the
// purchase revenue the strategy makes over the same strategy with ch
// switched off, under common random numbers. It is NaN where the strategy
// has ch off.
func IncrementalTruth(p *attribution.Plan, res *sim.Result, k, ch int) []float64 {
	without := p.Without(res.Strategies[k], ch)
	if without < 0 {
		out := make([]float64, len(res.Totals[k]))
		for r := range out {
			out[r] = math.NaN()
		}
		return out
	}
	cf := position(res, without)
	a, b := values(res, k, purchaseRevenue), values(res, cf, purchaseRevenue)
	a = a[:min(len(a), len(b))]
	for r := range a {
		a[r] -= b[r]
	}
	return a
}

// markovCredit runs the Markov removal-effect model and returns the credit
// of the channels on.
func markovCredit(pt *sim.PathTotals, on []int) ([]float64, error) {
	all, err := attribution.MarkovCredit(pt.TransitionMatrix(), pt.Revenue-pt.Untouched)
	if err != nil {
		return nil, err
	}
	out := make([]float64, len(on))
	for c, ch := range on {
		out[c] = all[ch]
	}
	return out, nil
}

// shapleyCredit runs the Shapley model over the channels on, renumbering
// path sets to them.
func shapleyCredit(pt *sim.PathTotals, on []int) ([]float64, error) {
	sets := map[uint32]attribution.PathSet{}
	for mask, s := range pt.Sets {
		if mask == 0 {
			// Untouched conversions are credited to no channel, as in the
			// other models.
			continue
		}
		var local uint32
		for c, ch := range on {
			if mask&(1<<ch) != 0 {
				local |= 1 << c
			}
		}
		v := sets[local]
		v.Paths += float64(s.Paths)
		v.Revenue += s.Revenue
		sets[local] = v
	}
	return attribution.Shapley(sets, len(on))
}

// HoldoutReport is a strategy's uplift as a marketer measures it: the
// customers it contacted against its holdout group, per customer.
type HoldoutReport struct {
	Strategy string  `json:"strategy"`
	Share    float64 `json:"share"`
	// Rows compare the treated group and the holdout group.
	Rows []HoldoutRow `json:"rows"`
	// Incremental is the measured incremental revenue: the revenue uplift
	// per customer times the treated customers.
	Incremental Estimate `json:"incremental"`
	// TrueIncremental is the revenue the strategy makes over the same
	// strategy sending no contact at all; NaN unless measured.
	TrueIncremental Estimate `json:"true_incremental"`
}

// HoldoutRow is one metric in the treated and the holdout group.
type HoldoutRow struct {
	Metric  string   `json:"metric"`
	Label   string   `json:"label"`
	Unit    string   `json:"unit"`
	Percent bool     `json:"percent"`
	Digits  int      `json:"digits"`
	Treated Estimate `json:"treated"`
	Holdout Estimate `json:"holdout"`
	// Uplift is treated − holdout, paired by replication.
	Uplift Estimate  `json:"uplift"`
	Better Direction `json:"better"`
}

func holdoutReport(res *sim.Result, k int, p *attribution.Plan) HoldoutReport {
	m := res.Model
	si := res.Strategies[k]
	h := HoldoutReport{Strategy: m.Strategies[si].Name, Share: m.Strategies[si].Holdout}
	type group struct{ customers, buyers, purchases, churned, revenue, loyalty float64 }
	split := func(t *sim.Totals) (treated, held group) {
		g := &t.Holdout
		held = group{float64(g.Customers), float64(g.Buyers), float64(g.Purchases), float64(g.Churned), g.Revenue, g.Loyalty}
		treated = group{float64(t.Customers - g.Customers), float64(t.Buyers - g.Buyers), float64(t.Purchases - g.Purchases),
			float64(t.Churned - g.Churned), t.Revenue - g.Revenue, t.Loyalty - g.Loyalty}
		return
	}
	rows := []struct {
		key, label, unit string
		percent          bool
		digits           int
		better           Direction
		f                func(g group) float64
	}{
		{"revenue_per_customer", "revenue per customer", UnitMoney, false, 2, HigherIsBetter, func(g group) float64 { return ratio(g.revenue, g.customers) }},
		{"conversion_rate", "buyers", UnitShare, true, 1, HigherIsBetter, func(g group) float64 { return ratio(g.buyers, g.customers) }},
		{"purchases_per_customer", "purchases per customer", UnitPerCustomer, false, 3, HigherIsBetter, func(g group) float64 { return ratio(g.purchases, g.customers) }},
		{"churn_rate", "churn", UnitShare, true, 1, LowerIsBetter, func(g group) float64 { return ratio(g.churned, g.customers) }},
		{"loyalty", "mean loyalty", UnitScore01, false, 3, HigherIsBetter, func(g group) float64 { return ratio(g.loyalty, g.customers) }},
	}
	reps := res.Totals[k]
	incremental := make([]float64, len(reps))
	for _, row := range rows {
		tv, hv := make([]float64, len(reps)), make([]float64, len(reps))
		for r := range reps {
			tr, hd := split(&reps[r])
			tv[r], hv[r] = row.f(tr), row.f(hd)
			if row.key == "revenue_per_customer" {
				incremental[r] = (tv[r] - hv[r]) * tr.customers
			}
		}
		h.Rows = append(h.Rows, HoldoutRow{Metric: row.key, Label: row.label, Unit: row.unit, Percent: row.percent, Digits: row.digits,
			Treated: NewEstimate(tv), Holdout: NewEstimate(hv), Uplift: Difference(tv, hv, true), Better: row.better})
	}
	h.Incremental = NewEstimate(incremental)
	h.TrueIncremental = Estimate{Mean: math.NaN(), CI95: math.NaN()}
	if p != nil && p.Silent(si) >= 0 {
		cf := position(res, p.Silent(si))
		revenue := func(t *sim.Totals) float64 { return t.Revenue }
		h.TrueIncremental = Difference(values(res, k, revenue), values(res, cf, revenue), true)
	}
	return h
}

// ModelLabel names an attribution model, or the truth, in tables.
func ModelLabel(key string) string {
	if key == Truth {
		return TruthLabel
	}
	if j := sim.AttributionModelIndex(key); j >= 0 {
		return sim.AttributionModels[j].Label
	}
	return strings.ReplaceAll(key, "_", " ")
}
