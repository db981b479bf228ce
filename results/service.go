package results

import (
	"cmp"
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
		return s.Channels[c] + " (" + text.Plural(noun) + ")"
	}
	return s.Channels[c]
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
