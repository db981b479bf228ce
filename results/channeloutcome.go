package results

import (
	"fmt"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/sim/text"
)

// ChannelOutcomePrefix starts the name of a per-channel outcome,
// channel.CHANNEL.METRIC, where METRIC is a key of ChannelMetrics or Truth
// (the channel's true incremental revenue, which needs attribution), as in
// channel.email.contacts. Checks and sweeps read the same names.
const ChannelOutcomePrefix = "channel."

// ChannelOutcome is a per-channel outcome: a metric on one channel.
type ChannelOutcome struct {
	Channel string
	// Metric is a key of ChannelMetrics, or Truth.
	Metric string
}

// Name is the outcome's name, channel.CHANNEL.METRIC.
func (o ChannelOutcome) Name() string {
	return ChannelOutcomePrefix + o.Channel + "." + o.Metric
}

// Index is the metric's index in ChannelMetrics; -1 for Truth or an
// unknown metric.
func (o ChannelOutcome) Index() int { return ChannelMetricIndex(o.Metric) }

// IsTruth reports whether the outcome is the channel's true incremental
// revenue, which only a run with attribution measures.
func (o ChannelOutcome) IsTruth() bool { return o.Metric == Truth }

// SplitChannelOutcome reads a name of the form channel.CHANNEL.METRIC,
// without checking either part; CHANNEL may hold dots.
func SplitChannelOutcome(name string) (ChannelOutcome, bool) {
	rest, ok := strings.CutPrefix(name, ChannelOutcomePrefix)
	i := strings.LastIndexByte(rest, '.')
	if !ok || i <= 0 || i == len(rest)-1 {
		return ChannelOutcome{}, false
	}
	return ChannelOutcome{Channel: rest[:i], Metric: rest[i+1:]}, true
}

// ChannelMetricIndex returns the index in ChannelMetrics of the metric
// called key, or -1.
func ChannelMetricIndex(key string) int {
	return slices.IndexFunc(ChannelMetrics, func(c ChannelMetric) bool { return c.Key == key })
}

// ChannelMetricKeys returns the keys of ChannelMetrics, in order.
func ChannelMetricKeys() []string {
	keys := make([]string, len(ChannelMetrics))
	for k := range ChannelMetrics {
		keys[k] = ChannelMetrics[k].Key
	}
	return keys
}

// ChannelOutcomeNames lists the per-channel outcomes of channels: every
// metric of ChannelMetrics on each, and Truth too when truth is set.
func ChannelOutcomeNames(channels []string, truth bool) []string {
	var out []string
	for _, ch := range channels {
		for _, k := range ChannelMetricKeys() {
			out = append(out, ChannelOutcome{ch, k}.Name())
		}
		if truth {
			out = append(out, ChannelOutcome{ch, Truth}.Name())
		}
	}
	return out
}

// ChannelScope is what a per-channel outcome's name is resolved against:
// a scenario's channels, and how its runs turn on attribution, which Truth
// needs.
type ChannelScope struct {
	// Scenario names the scenario in messages; "" leaves it out.
	Scenario string
	// Channels are the scenario's channels; nil accepts any channel,
	// left to be checked once they are known.
	Channels []string
	// Attribution says how to turn attribution on, for messages:
	// "--attribution" for a run, "attribution: true" for an experiment.
	Attribution string
}

// Resolve checks a per-channel outcome: its metric first, then its
// channel. The error, a *ChannelOutcomeError, says which part is unknown,
// what is allowed and the name likely meant.
func (sc ChannelScope) Resolve(o ChannelOutcome) error {
	if o.Index() < 0 && !o.IsTruth() {
		return &ChannelOutcomeError{Outcome: o, Scope: sc}
	}
	if sc.Channels != nil && !slices.Contains(sc.Channels, o.Channel) {
		return &ChannelOutcomeError{Outcome: o, Scope: sc, UnknownChannel: true}
	}
	return nil
}

// ChannelOutcomeError is a per-channel outcome whose metric, or else
// channel, is unknown.
type ChannelOutcomeError struct {
	Outcome ChannelOutcome
	Scope   ChannelScope
	// UnknownChannel says the channel is unknown; else the metric is.
	UnknownChannel bool
	// Spell, if set, writes a suggested outcome as its reader should
	// type it (a check writes channel["web-shop"].visits); nil keeps
	// the name.
	Spell func(ChannelOutcome) string
}

func (e *ChannelOutcomeError) Error() string {
	o, sc := e.Outcome, e.Scope
	spell := e.Spell
	if spell == nil {
		spell = ChannelOutcome.Name
	}
	suggest := func(candidates []ChannelOutcome, typed string) string {
		names := make([]string, len(candidates))
		for i, c := range candidates {
			names[i] = c.Name()
		}
		best := text.Suggest(typed, names, text.TypoEdits(typed))
		if best == "" {
			return ""
		}
		return fmt.Sprintf("; did you mean %s?", quoteSpelling(spell(candidates[slices.Index(names, best)])))
	}
	if e.UnknownChannel {
		var cands []ChannelOutcome
		for _, ch := range sc.Channels {
			cands = append(cands, ChannelOutcome{ch, o.Metric})
		}
		in := ""
		if sc.Scenario != "" {
			in = " in scenario " + sc.Scenario
		}
		return fmt.Sprintf("no channel %q%s; it has: %s%s", o.Channel, in, strings.Join(sc.Channels, ", "), suggest(cands, o.Name()))
	}
	var cands []ChannelOutcome
	for _, k := range append(ChannelMetricKeys(), Truth) {
		cands = append(cands, ChannelOutcome{o.Channel, k})
	}
	truth := Truth
	if sc.Attribution != "" {
		truth += " (with " + sc.Attribution + ")"
	}
	return fmt.Sprintf("no channel metric %q; allowed: %s, and %s%s", o.Metric, strings.Join(ChannelMetricKeys(), ", "), truth, suggest(cands, o.Name()))
}

// quoteSpelling quotes a suggested name, unless it holds quotes of its own
// (channel["web-shop"].visits), which are shown as they are typed.
func quoteSpelling(s string) string {
	if strings.Contains(s, `"`) {
		return s
	}
	return fmt.Sprintf("%q", s)
}
