package charts

import (
	"strings"
	"testing"
)

// A channel whose contacts are calls is not counted as contacts sent: the
// contacts chart's title, subtitle and axis say calls, and its bar group is
// labelled with the noun.
func TestContactsChartSaysCalls(t *testing.T) {
	sum, ts := syntheticRun(t)
	chartsOf := func() map[string]*Chart {
		cs, err := FromRun(sum, ts)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]*Chart{}
		for _, c := range cs {
			out[c.Name] = c
		}
		return out
	}
	plain := chartsOf()["channels-contacts"]
	if plain == nil || plain.Title != "Contacts sent on each channel, by strategy" || !strings.HasPrefix(plain.Subtitle, "Messages sent over") {
		t.Fatalf("without nouns: chart %+v", plain)
	}
	sum.ChannelNouns = []string{"call", ""}
	c := chartsOf()["channels-contacts"]
	if c == nil {
		t.Fatal("no contacts chart")
	}
	if c.Title != "Calls and contacts on each channel, by strategy" {
		t.Errorf("title %q", c.Title)
	}
	if !strings.HasPrefix(c.Subtitle, "What each channel carried over 4 weeks: calls on email, messages sent on the others.") {
		t.Errorf("subtitle %q", c.Subtitle)
	}
	if strings.Contains(c.Title+c.Subtitle, "Contacts sent") {
		t.Errorf("calls called contacts sent: %q %q", c.Title, c.Subtitle)
	}
	sum.ChannelNouns = []string{"call", "call"}
	if c := chartsOf()["channels-contacts"]; c.Title != "Calls on each channel, by strategy" || c.plot.Y.Label.Text != "calls" {
		t.Errorf("only calls: title %q, axis %q", c.Title, c.plot.Y.Label.Text)
	}
}
