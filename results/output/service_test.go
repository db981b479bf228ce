package output

import (
	"bytes"
	"slices"
	"strings"
	"testing"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/internal/fixture"
	"github.com/journeysim/journeysim/sim"
)

// The channel table shows the service outcomes only where a channel has
// staff, names a channel's contacts by its noun ("email (calls)"), and
// heads the contacts column with the noun when every channel shown shares
// it; the channels data table keeps every metric either way.
func TestChannelTableService(t *testing.T) {
	service := []string{"handle time (min)", "abandoned (%)", "speed of answer (s)", "answered within 20 s (%)"}
	plain := ChannelGrid(summarize(t, results.Options{}))
	for _, h := range plain.Header {
		if slices.Contains(service, h) || h == "handled" || strings.Contains(h, "service level") {
			t.Errorf("column %q shown though no channel has staff", h)
		}
	}

	res := fixture.Result()
	res.Model.Channels[0].Noun = "call"
	res.Model.Channels[0].ServiceLevelSeconds = 20
	for k := range res.Totals {
		for r := range res.Totals[k] {
			res.Totals[k][r].Channels[0] = sim50calls()
		}
	}
	s, err := results.Summarize(res, results.Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := ChannelGrid(s)
	for _, h := range append([]string{"handled"}, service...) {
		if !slices.Contains(g.Header, h) {
			t.Errorf("no column %q in %v", h, g.Header)
		}
	}
	if g.Header[1] != "contacts" {
		t.Errorf("contacts column headed %q with calls and web contacts", g.Header[1])
	}
	cell := func(row, header string) string {
		c := slices.Index(g.Header, header)
		for _, r := range g.Rows {
			if r[0].Text == row {
				return r[c].Text
			}
		}
		t.Fatalf("no row %q in the channel table", row)
		return ""
	}
	for header, want := range map[string]string{"handled": "40", "handle time (min)": "6.00", "abandoned (%)": "20.0",
		"speed of answer (s)": "45.0", "answered within 20 s (%)": "50.0"} {
		if got := cell("a · email (calls)", header); got != want {
			t.Errorf("a · email (calls) %s: %q, want %q", header, got, want)
		}
	}
	if got := cell("a · web", "handled"); got != "–" {
		t.Errorf("web, without staff, handled %q; want –", got)
	}
	// Strategy b uses the email channel alone (whose contacts are calls
	// here): with a left out, every channel shown has calls.
	s.Strategies = s.Strategies[1:]
	if h := ChannelGrid(s).Header[1]; h != "calls" {
		t.Errorf("contacts column headed %q when every channel's contacts are calls", h)
	}
	var buf bytes.Buffer
	if err := WriteTable(&buf, s); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(buf.String(), "b · email (calls)") {
		t.Errorf("text table without the noun:\n%s", buf.String())
	}
}

// sim50calls is a staffed channel's totals: 50 calls, 40 handled after 30
// minutes of waiting in all (25 within the service level) in 240 operator
// minutes, 10 abandoned.
func sim50calls() sim.ChannelTotals {
	return sim.ChannelTotals{Contacts: 50, Responses: 40, Cost: 10, Minutes: 240,
		Handled: 40, Abandoned: 10, WaitMinutes: 30, AnsweredWithin: 25}
}
