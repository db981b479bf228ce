package sweep

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/attribution"
	"github.com/journeysim/journeysim/sim"
	"github.com/journeysim/journeysim/sim/text"
)

// ChannelOutcomePrefix starts the name of a per-channel outcome:
// channel.CHANNEL.METRIC, where METRIC is one of results.ChannelMetrics
// or results.Truth (the channel's true incremental revenue, which needs
// attribution), as in channel.email.contacts. Checks read the same names
// (results.ChannelOutcomePrefix), resolved by the same code.
const ChannelOutcomePrefix = results.ChannelOutcomePrefix

// StageSeriesPrefix starts the name of a per-tick series of the customers
// at a journey stage: stage.STAGE, as in stage.consider.
const StageSeriesPrefix = "stage."

// outcomeSpec is what an outcome's name says, read from the name alone.
type outcomeSpec struct {
	// metric is the run's metric named (results.Metrics or results.ROMI),
	// nil for a per-channel outcome.
	metric *results.Metric
	// channel names the channel of a per-channel outcome, and chMetric is
	// its index in results.ChannelMetrics, -1 for results.Truth.
	channel  string
	chMetric int
	// business is the business-case measure named, measured against the
	// experiment's first strategy; nil for other outcomes.
	business *results.BusinessMeasure
}

// parseOutcome reads an outcome's name; ok is false for a name that is
// neither a metric nor of the form channel.CHANNEL.METRIC with a known
// METRIC.
func parseOutcome(key string) (spec outcomeSpec, ok bool) {
	if i := results.MetricIndex(key); i >= 0 {
		return outcomeSpec{metric: &results.Metrics[i]}, true
	}
	if key == results.ROMI.Key {
		return outcomeSpec{metric: &results.ROMI}, true
	}
	if b, ok := results.FindBusinessMeasure(key); ok {
		return outcomeSpec{business: &b}, true
	}
	o, ok := results.SplitChannelOutcome(key)
	if !ok {
		return outcomeSpec{}, false
	}
	spec = outcomeSpec{channel: o.Channel, chMetric: o.Index()}
	return spec, results.ChannelScope{}.Resolve(o) == nil
}

// scope is what an experiment's per-channel outcomes are resolved
// against: m's channels.
func scope(m *sim.Model) results.ChannelScope {
	return results.ChannelScope{Scenario: m.Name, Channels: channelNames(m), Attribution: "attribution: true"}
}

// isBusinessOutcome reports whether the outcome called key is a measure
// of the business case, which the experiment's first strategy has none of.
func isBusinessOutcome(key string) bool {
	spec, ok := parseOutcome(key)
	return ok && spec.business != nil
}

// describe returns how the outcome is labelled and measured: its label,
// unit (a results Unit constant), decimals, whether it is shown as a
// percentage, and which way it improves.
func (s outcomeSpec) describe() (label, unit string, digits int, percent bool, better results.Direction) {
	switch {
	case s.business != nil:
		return s.business.Label, s.business.Unit, s.business.Digits, false, s.business.Better
	case s.metric != nil:
		return s.metric.Label, s.metric.Unit, s.metric.Digits, s.metric.Percent, s.metric.Better
	case s.chMetric < 0:
		return s.channel + ": " + results.TruthLabel + " revenue", results.UnitMoney, 0, false, results.HigherIsBetter
	}
	cm := &results.ChannelMetrics[s.chMetric]
	return s.channel + ": " + cm.Label, cm.Unit, cm.Digits, cm.Percent, results.Neutral
}

// needsAttribution reports whether the outcome is measured only with the
// counterfactual reruns of attribution.
func (s outcomeSpec) needsAttribution(key string, m *sim.Model) bool {
	if s.business != nil {
		return false
	}
	if s.metric == nil {
		return s.chMetric < 0
	}
	return results.Unavailable(key, m, false) != "" && results.Unavailable(key, m, true) == ""
}

// attributionHint says how an experiment turns attribution on, and what it
// costs.
const attributionHint = "add attribution: true to the experiment, which reruns each strategy of every run once with each of its channels switched off and once sending no contact"

// CheckOutcome checks that a sweep of an experiment on m records the
// outcome called key: a metric of the run (results.Metrics, or
// results.ROMI with attribution), or a per-channel outcome
// channel.CHANNEL.METRIC (ChannelOutcomePrefix). attribution says whether
// the experiment reruns the counterfactuals of attribution. The error, if
// any, says why not and what is allowed, without the name's position,
// which the caller adds.
func CheckOutcome(m *sim.Model, key string, attribution bool) error {
	spec, ok := parseOutcome(key)
	if !ok {
		return unknownOutcome(m, key)
	}
	if spec.business != nil {
		return nil
	}
	if spec.needsAttribution(key, m) && !attribution {
		return fmt.Errorf("outcome %q needs the counterfactual reruns of attribution: %s", key, attributionHint)
	}
	if spec.metric != nil {
		if why := results.Unavailable(key, m, attribution); why != "" {
			return fmt.Errorf("outcome %q: runs of scenario %s cannot measure it: it reads %s, %s", key, m.Name, key, why)
		}
		return nil
	}
	o, _ := results.SplitChannelOutcome(key)
	if err := scope(m).Resolve(o); err != nil {
		return fmt.Errorf("outcome %q: %w", key, err)
	}
	return nil
}

// unknownOutcome is the error for a name CheckOutcome cannot read.
func unknownOutcome(m *sim.Model, key string) error {
	metrics := strings.Join(results.ChannelMetricKeys(), ", ") + ", and " + results.Truth + " (with attribution: true)"
	if o, ok := results.SplitChannelOutcome(key); ok {
		return fmt.Errorf("outcome %q: %w", key, scope(m).Resolve(o))
	}
	keys, all := RecordableWith(m, false), RecordableWith(m, true)
	allowed := strings.Join(keys, ", ")
	if extra := slices.DeleteFunc(slices.Clone(all), func(k string) bool { return slices.Contains(keys, k) }); len(extra) > 0 {
		allowed += "; with attribution: true, " + strings.Join(extra, ", ")
	}
	var business []string
	for _, b := range results.BusinessMeasures {
		business = append(business, b.Key)
	}
	candidates := append(append(all, business...), results.ChannelOutcomeNames(channelNames(m), true)...)
	return fmt.Errorf("outcome %q: not a metric of this scenario; allowed: %s; against the experiment's first strategy (the business case): %s; and channel.CHANNEL.METRIC for CHANNEL one of %s and METRIC one of %s%s",
		key, allowed, strings.Join(business, ", "), strings.Join(channelNames(m), ", "), metrics, results.RenamedHint(key)+text.DidYouMean(key, candidates))
}

// RecordableWith is Recordable's list of keys, with ROMI and any other
// metric that needs counterfactual reruns when attribution is on.
func RecordableWith(m *sim.Model, attribution bool) []string {
	var keys []string
	for _, met := range append(slices.Clone(results.Metrics), results.ROMI) {
		if results.Unavailable(met.Key, m, attribution) == "" {
			keys = append(keys, met.Key)
		}
	}
	return keys
}

func channelNames(m *sim.Model) []string {
	names := make([]string, len(m.Channels))
	for c := range m.Channels {
		names[c] = m.Channels[c].Name
	}
	return names
}

// SeriesNames lists the per-tick series a sweep can record for runs of m,
// as an experiment's series: names them: those of results.TickMetrics,
// then the customers at each journey stage, stage.STAGE.
func SeriesNames(m *sim.Model) []string {
	var out []string
	for _, tm := range results.TickMetrics {
		out = append(out, tm.Key)
	}
	for _, st := range m.Stages {
		out = append(out, StageSeriesPrefix+st)
	}
	return out
}

// seriesUnit is the unit of the series called name, as the series table
// writes it.
func seriesUnit(name, currency string) string {
	if i := results.TickMetricIndex(name); i >= 0 {
		return results.UnitText(results.TickMetrics[i].Unit, currency)
	}
	return ""
}

// RunOutcomes returns the outcomes of the manifest for the strategy
// at position k of res, a run of one unit with one replication: with
// attribution on, a run of plan.Model with plan.Run's strategies, whose
// first positions hold the experiment's strategies. An outcome that
// needs the counterfactuals of plan is NaN without them (plan nil), as
// is a per-channel outcome of a channel the strategy switches off, which
// the run's channel table leaves out too.
func (m *Manifest) RunOutcomes(res *sim.Result, plan *attribution.Plan, k int) []float64 {
	out := make([]float64, len(m.Outcomes))
	model := res.Model
	tot := &res.Totals[k][0]
	st := &model.Strategies[res.Strategies[k]]
	var bc *results.BusinessCase
	for i, o := range m.Outcomes {
		out[i] = math.NaN()
		spec, ok := parseOutcome(o.Key)
		switch {
		case !ok:
		case spec.business != nil:
			if k == 0 {
				continue // the baseline: nothing to measure against
			}
			if bc == nil {
				c := results.BusinessCaseOf(res, k, 0)
				bc = &c
			}
			out[i] = spec.business.Of(bc).Mean
		case spec.metric == &results.ROMI:
			if plan != nil {
				out[i] = results.ROMIValues(plan, res, k)[0]
			}
		case spec.metric != nil:
			out[i] = spec.metric.Value(tot, model)
		default:
			c := slices.IndexFunc(model.Channels, func(c sim.Channel) bool { return c.Name == spec.channel })
			switch {
			case c < 0 || !st.Channels[c]:
			case spec.chMetric >= 0:
				out[i] = results.ChannelMetrics[spec.chMetric].Value(&tot.Channels[c], tot.Customers)
			case plan != nil:
				out[i] = results.IncrementalTruth(plan, res, k, c)[0]
			}
		}
	}
	return out
}

// RunSeries returns the per-tick values of the manifest's series for the
// strategy at position k of res, a run of one unit with one replication:
// series s at tick t is at s × ticks + t, ticks being the run's horizon.
// A name that is no series gives NaN.
func (m *Manifest) RunSeries(res *sim.Result, k int) []float64 {
	model := res.Model
	tot := &res.Totals[k][0]
	st := &model.Strategies[res.Strategies[k]]
	ticks := len(tot.Series)
	out := make([]float64, len(m.Series)*ticks)
	for s, name := range m.Series {
		vals := out[s*ticks : (s+1)*ticks]
		if i := results.TickMetricIndex(name); i >= 0 {
			results.TickMetrics[i].Series(vals, tot, model, st)
			continue
		}
		stage, _ := strings.CutPrefix(name, StageSeriesPrefix)
		if k := slices.Index(model.Stages, stage); k >= 0 && strings.HasPrefix(name, StageSeriesPrefix) {
			results.StageSeries(vals, tot, model, k)
			continue
		}
		for t := range vals {
			vals[t] = math.NaN()
		}
	}
	return out
}
