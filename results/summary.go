// Package results turns the engine's raw totals into statistics people can
// trust: metrics with their textbook definitions, aggregated over
// replications with confidence intervals, paired comparisons against a
// baseline, checks, holdout uplift and attribution against the true
// incremental effect, and the one number formatter every output uses.
//
// Its subpackages render and store them: output (text tables, CSV,
// Parquet, JSON and result folders), attribution (the Markov and Shapley
// models), charts, report (the HTML page) and sweep (experiments' journals
// and their analysis).
package results

import (
	"fmt"
	"math"
	"slices"

	"github.com/journeysim/journeysim/results/attribution"
	"github.com/journeysim/journeysim/sim"
	"gonum.org/v1/gonum/stat"
	"gonum.org/v1/gonum/stat/distuv"
)

// Estimate is a quantity over replications: its mean, the half-width of
// its 95% Student-t confidence interval (NaN with fewer than two finite
// values), the number of finite values N and each value.
type Estimate struct {
	Mean   float64
	CI95   float64
	N      int
	Values []float64
}

// NewEstimate estimates the mean of values; NaN values (a metric undefined
// in a replication) are left out.
func NewEstimate(values []float64) Estimate {
	e := Estimate{Values: values, CI95: math.NaN(), Mean: math.NaN()}
	finite := make([]float64, 0, len(values))
	for _, v := range values {
		if !math.IsNaN(v) {
			finite = append(finite, v)
		}
	}
	e.N = len(finite)
	if e.N == 0 {
		return e
	}
	e.Mean = stat.Mean(finite, nil)
	if e.N > 1 {
		e.CI95 = tQuantile(e.N-1) * stat.StdDev(finite, nil) / math.Sqrt(float64(e.N))
	}
	return e
}

// tQuantile is the 97.5% quantile of Student's t with df degrees of
// freedom.
func tQuantile(df int) float64 {
	return distuv.StudentsT{Mu: 0, Sigma: 1, Nu: float64(df)}.Quantile(0.975)
}

// Low is the lower bound of the 95% interval; NaN without one.
func (e Estimate) Low() float64 { return e.Mean - e.CI95 }

// High is the upper bound of the 95% interval; NaN without one.
func (e Estimate) High() float64 { return e.Mean + e.CI95 }

// Difference estimates the mean of a − b. Paired, a[r] and b[r] come from
// the same replication (common random numbers) and the interval is that of
// the per-replication differences; unpaired, a and b are independent
// samples and the interval is Welch's.
func Difference(a, b []float64, paired bool) Estimate {
	if paired {
		d := make([]float64, min(len(a), len(b)))
		for r := range d {
			d[r] = a[r] - b[r]
		}
		return NewEstimate(d)
	}
	ea, eb := NewEstimate(a), NewEstimate(b)
	e := Estimate{Mean: ea.Mean - eb.Mean, CI95: math.NaN(), N: min(ea.N, eb.N)}
	if ea.N < 2 || eb.N < 2 {
		return e
	}
	va := stat.Variance(finite(a), nil) / float64(ea.N)
	vb := stat.Variance(finite(b), nil) / float64(eb.N)
	if va+vb == 0 {
		e.CI95 = 0
		return e
	}
	df := (va + vb) * (va + vb) / (va*va/float64(ea.N-1) + vb*vb/float64(eb.N-1))
	e.CI95 = distuv.StudentsT{Mu: 0, Sigma: 1, Nu: df}.Quantile(0.975) * math.Sqrt(va+vb)
	return e
}

func finite(v []float64) []float64 {
	return slices.DeleteFunc(slices.Clone(v), math.IsNaN)
}

// StrategySummary is one strategy's outcomes over the replications.
type StrategySummary struct {
	Name        string  `json:"name"`
	Description string  `json:"description"`
	Holdout     float64 `json:"holdout"`
	// Metrics[k] estimates Summary.Metrics[k].
	Metrics []Estimate `json:"metrics"`
	// Channels[c][k] estimates ChannelMetrics[k] on channel c.
	Channels [][]Estimate `json:"channels"`
	// On[c] says whether the strategy switches channel c on.
	On []bool `json:"switched_on"`
	// Touchpoints[n][k] estimates TouchpointMetrics[k] at touchpoint n
	// (Summary.Touchpoints); StageEntries[s] the customers entering stage
	// s (see StageEntries). Both are absent from a summary saved before
	// touchpoints were counted.
	Touchpoints  [][]Estimate `json:"touchpoints,omitempty"`
	StageEntries []Estimate   `json:"stage_entries,omitempty"`
}

// Metric returns the strategy's estimate of the metric called key.
func (s *Summary) Metric(st *StrategySummary, key string) (Estimate, bool) {
	for k, m := range s.Metrics {
		if m.Key == key {
			return st.Metrics[k], true
		}
	}
	return Estimate{}, false
}

// Summary is a run's outcomes, ready to render. It holds only data, so a
// saved run can be read back and shown again.
type Summary struct {
	Scenario     string   `json:"scenario"`
	Description  string   `json:"description"`
	Version      string   `json:"version"`
	Seed         uint64   `json:"seed,string"`
	Seeds        SeedList `json:"replication_seeds"`
	Replications int      `json:"replications"` // asked for; len(Seeds) were completed
	Horizon      int      `json:"horizon"`
	TickLabel    string   `json:"tick"`
	Customers    int      `json:"customers"`
	Currency     string   `json:"currency"`
	Channels     []string `json:"channels"`
	// ChannelNouns[c] is what channel c's contacts are called, singular
	// ("call"); absent or "" means "contact" (see ChannelNoun).
	ChannelNouns []string `json:"channel_nouns,omitempty"`
	// ServiceLevelSeconds[c] is channel c's service-level threshold in
	// seconds (sim.Channel.ServiceLevelSeconds); absent in summaries
	// written before it was recorded.
	ServiceLevelSeconds []float64 `json:"service_level_seconds,omitempty"`
	Stages              []string  `json:"stages"`
	// Touchpoints are the journey's nodes, in model order.
	Touchpoints []Touchpoint `json:"touchpoints,omitempty"`
	Interrupted bool         `json:"interrupted"`
	// Metrics are the metrics estimated, in table order.
	Metrics    []Metric          `json:"metrics"`
	Strategies []StrategySummary `json:"strategies"`

	// Baseline is the strategy the others are compared with.
	Baseline    string       `json:"baseline"`
	Comparisons []Comparison `json:"comparisons"`
	// MinEffects are the smallest differences that matter, as given
	// (--min-effect); each comparison holds its own worked out.
	MinEffects []MinEffect `json:"min_effects,omitempty"`
	// BusinessCases hold, for each strategy but the baseline, what it adds
	// to the baseline in money: incremental revenue, profit, investment,
	// ROI, payback and NPV.
	BusinessCases []BusinessCase `json:"business_cases"`
	// Key holds the scenario's key outcomes (Options.Key), the numbers
	// that answer its question, shown first.
	Key         []KeyResult           `json:"key,omitempty"`
	Checks      []CheckResult         `json:"checks"`
	Holdouts    []HoldoutReport       `json:"holdouts"`
	Attribution []StrategyAttribution `json:"attribution"`
	// DecayHalfLife is the time-decay model's half-life in ticks.
	DecayHalfLife float64 `json:"time_decay_half_life"`
}

// Options say what Summarize adds to the outcomes.
type Options struct {
	// Baseline names the strategy to compare the others with; "" means
	// the first.
	Baseline string
	// MinEffects are the smallest differences that matter in headline
	// metrics (ParseMinEffects): a difference whose interval is inside
	// one is "below what matters".
	MinEffects []MinEffect
	// Checks are compiled outcome checks to evaluate.
	Checks []*Check
	// Truth, when the run was made from Truth.Model, holds the
	// counterfactuals that give each channel's incremental revenue and
	// ROMI.
	Truth *attribution.Plan
	// DecayHalfLife is the half-life the run's time-decay model used.
	DecayHalfLife float64
	// Currency names the unit of money, as the scenario gives it
	// (scenarios.Scenario.Currency); "" means DefaultCurrency.
	Currency string
	// Key names the scenario's key outcomes (see CheckKeyOutcome).
	Key []string
}

// DefaultCurrency is the currency of a summary whose options name none.
const DefaultCurrency = "EUR"

// Summarize aggregates a run's replications.
func Summarize(res *sim.Result, opt Options) (*Summary, error) {
	m := res.Model
	if opt.Currency == "" {
		opt.Currency = DefaultCurrency
	}
	s := &Summary{
		Scenario: m.Name, Description: m.Description, Version: sim.Version, Seed: m.Seed, Seeds: res.Seeds,
		Replications: m.Replications, Horizon: m.Horizon, TickLabel: m.TickLabel,
		Customers: m.Population.Size, Currency: opt.Currency, Stages: m.Stages,
		Interrupted: res.Interrupted, Metrics: slices.Clone(Metrics), DecayHalfLife: opt.DecayHalfLife,
	}
	for _, ch := range m.Channels {
		s.Channels = append(s.Channels, ch.Name)
		s.ChannelNouns = append(s.ChannelNouns, ch.Noun)
		s.ServiceLevelSeconds = append(s.ServiceLevelSeconds, ch.ServiceLevelSeconds)
	}
	if !slices.ContainsFunc(s.ChannelNouns, func(n string) bool { return n != "" && n != DefaultNoun }) {
		s.ChannelNouns = nil // every channel's contacts are contacts
	}
	s.Touchpoints = touchpoints(m)
	main := mainStrategies(res, opt.Truth)
	if opt.Truth != nil {
		s.Metrics = append(s.Metrics, ROMI)
	}
	for _, k := range main {
		st := &m.Strategies[res.Strategies[k]]
		ss := StrategySummary{Name: st.Name, Description: st.Description, Holdout: st.Holdout, On: st.Channels}
		reps := res.Totals[k]
		for _, met := range Metrics {
			vals := make([]float64, len(reps))
			for r := range reps {
				vals[r] = met.Value(&reps[r], m)
			}
			ss.Metrics = append(ss.Metrics, NewEstimate(vals))
		}
		if opt.Truth != nil {
			ss.Metrics = append(ss.Metrics, NewEstimate(ROMIValues(opt.Truth, res, k)))
		}
		for c := range m.Channels {
			var row []Estimate
			for _, met := range ChannelMetrics {
				vals := make([]float64, len(reps))
				for r := range reps {
					vals[r] = met.Value(&reps[r].Channels[c], reps[r].Customers)
				}
				row = append(row, NewEstimate(vals))
			}
			ss.Channels = append(ss.Channels, row)
		}
		ss.Touchpoints, ss.StageEntries = touchpointEstimates(m, reps)
		s.Strategies = append(s.Strategies, ss)
		if st.Holdout > 0 {
			s.Holdouts = append(s.Holdouts, holdoutReport(res, k, opt.Truth))
		}
		if opt.Truth != nil && res.Totals[k] != nil && len(reps) > 0 && reps[0].Paths != nil {
			a, err := attribute(res, k, opt.Truth)
			if err != nil {
				return nil, fmt.Errorf("attribution for strategy %s: %w", st.Name, err)
			}
			s.Attribution = append(s.Attribution, a)
		}
	}
	s.MinEffects = opt.MinEffects
	if err := s.compare(opt.Baseline, opt.MinEffects, opt.Key); err != nil {
		return nil, err
	}
	if len(main) > 0 {
		b := main[slices.IndexFunc(s.Strategies, func(st StrategySummary) bool { return st.Name == s.Baseline })]
		for _, k := range main {
			if k != b {
				s.BusinessCases = append(s.BusinessCases, businessCase(res, k, b))
			}
		}
	}
	s.Key = s.keyResults(opt.Key)
	for _, c := range opt.Checks {
		s.Checks = append(s.Checks, c.evaluate(s)...)
	}
	return s, nil
}

// mainStrategies returns the positions in res of the strategies asked
// for, leaving out counterfactuals.
func mainStrategies(res *sim.Result, plan *attribution.Plan) []int {
	var out []int
	for k, si := range res.Strategies {
		if plan == nil || slices.Contains(plan.Main, si) {
			out = append(out, k)
		}
	}
	return out
}

// Failed reports whether any check failed.
func (s *Summary) Failed() []CheckResult {
	var out []CheckResult
	for _, c := range s.Checks {
		if !c.Pass {
			out = append(out, c)
		}
	}
	return out
}
