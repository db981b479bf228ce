package main

import (
	"math"
	"strings"
	"testing"
)

// FuzzParseTable feeds the parser arbitrary text: it must never panic,
// every error must say it is about the table, and every table it accepts
// must hold values inside their ranges and find each of its rows again.
func FuzzParseTable(f *testing.F) {
	for _, seed := range []string{
		rates,
		"persona,rate\n*,0.1\n",
		"\ufeffPersona, Channel, Rate\r\nyoung, email, 0.04\r\n*, , 0.02\r\n",
		"# comment\npersona,rate,optout,minutes,purchase\n\"a, b\",1,0,0.5,12\n",
		"persona,rate\np,1.5\n",
		"persona,rate\np,NaN\n",
		"persona,rate,purchase\np,0.1,1e400\n",
		"persona,rate\n\"p,0.1\n",
		"persona,rate\nyoung \"x\",0.2\n",
		"persona,,rate\n",
		"persona,channel,rate\np,,0.1\np,*,0.2\n",
		"persona,rate\np,0.1,9\n",
		"",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, text string) {
		tab, err := parseTable(text)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "table") {
				t.Fatalf("error %q does not name the table", err)
			}
			return
		}
		if len(tab.order) == 0 || len(tab.order) != len(tab.rows) {
			t.Fatalf("%d rows in order, %d by key", len(tab.order), len(tab.rows))
		}
		in := func(v, lo, hi float64) bool { return v >= lo && v <= hi && !math.IsInf(v, 0) }
		for _, r := range tab.order {
			if !in(r.rate, 0, 1) || !in(r.satisfaction, 1, 5) || !in(r.effort, 1, 7) ||
				!in(r.purchase, 0, math.MaxFloat64) || !in(r.minutes, 0, math.MaxFloat64) || !in(r.optOut, 0, 1) {
				t.Fatalf("line %d: values out of range: %+v", r.line, r)
			}
			if r.persona == "" || r.channel == "" {
				t.Fatalf("line %d: empty persona or channel: %+v", r.line, r)
			}
			if got, ok := tab.lookup(r.persona, r.channel); !ok || got != r {
				t.Fatalf("line %d: looking up %s on %s finds %+v", r.line, r.persona, r.channel, got)
			}
			if !tab.appliesTo(r.channel) {
				t.Fatalf("line %d: no row applies to channel %s", r.line, r.channel)
			}
		}
	})
}
