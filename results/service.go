package results

import (
	"cmp"
	"math"
	"slices"

	"github.com/journeysim/journeysim/sim/text"
)

// DefaultNoun is what a channel's contacts are called when its scenario
// names nothing else.
const DefaultNoun = "contact"

// ChannelNoun returns what channel c's contacts are called, singular:
// the scenario's noun for the channel ("call"), or DefaultNoun.
func (s *Summary) ChannelNoun(c int) string {
	if c >= 0 && c < len(s.ChannelNouns) && s.ChannelNouns[c] != "" {
		return s.ChannelNouns[c]
	}
	return DefaultNoun
}

// ChannelLabel names channel c in tables and charts: its name, followed
// by what its contacts are called when that is not contacts, as in
// "phone (calls)".
func (s *Summary) ChannelLabel(c int) string {
	if c < 0 || c >= len(s.Channels) {
		return ""
	}
	if noun := s.ChannelNoun(c); noun != DefaultNoun {
		return text.Spoken(s.Channels[c]) + " (" + text.Plural(noun) + ")"
	}
	return text.Spoken(s.Channels[c])
}

// ChannelMetricLabel names ChannelMetrics[k] on channel c in words: the
// metric's label, except that contacts are called what the channel calls
// them ("calls") and the service level says its threshold ("answered
// within 20 s").
func (s *Summary) ChannelMetricLabel(c, k int) string {
	switch ChannelMetrics[k].Key {
	case "contacts":
		return text.Plural(s.ChannelNoun(c))
	case "service_level":
		if c >= 0 && c < len(s.ServiceLevelSeconds) {
			return answeredWithin(s.ServiceLevelSeconds[c])
		}
	}
	return ChannelMetrics[k].Label
}

// ServiceLevelLabel names the service-level column of the channel table:
// "answered within 20 s" when every staffed channel's threshold is 20
// seconds, "service level" when they differ or are not known.
func (s *Summary) ServiceLevelLabel() string {
	threshold := -1.0
	for c, sec := range s.ServiceLevelSeconds {
		used := slices.ContainsFunc(s.Strategies, func(st StrategySummary) bool {
			return c < len(st.On) && st.On[c] && c < len(st.Channels) && serviceLevelKnown(st.Channels[c])
		})
		switch {
		case !used:
		case threshold < 0:
			threshold = sec
		case sec != threshold:
			return "service level"
		}
	}
	if threshold < 0 {
		return "service level"
	}
	return answeredWithin(threshold)
}

// serviceLevelKnown reports whether a channel's estimates hold a service
// level: a staffed channel.
func serviceLevelKnown(es []Estimate) bool {
	k := slices.IndexFunc(ChannelMetrics, func(m ChannelMetric) bool { return m.Key == "service_level" })
	return k >= 0 && k < len(es) && !math.IsNaN(es[k].Mean)
}

// answeredWithin is the service level with its threshold in words.
func answeredWithin(seconds float64) string {
	return "answered within " + FormatNumber(seconds, -1) + " s"
}

// ContactsLabel names the contacts column of the channel table: the plural
// of the one noun every channel a strategy switches on shares ("calls"),
// or "contacts" when they differ.
func (s *Summary) ContactsLabel() string {
	noun := ""
	for c := range s.Channels {
		if !slices.ContainsFunc(s.Strategies, func(st StrategySummary) bool { return c < len(st.On) && st.On[c] }) {
			continue
		}
		switch n := s.ChannelNoun(c); {
		case noun == "":
			noun = n
		case n != noun:
			return text.Plural(DefaultNoun)
		}
	}
	return text.Plural(cmp.Or(noun, DefaultNoun))
}
