package main

import (
	"context"
	"fmt"
	"testing"

	"github.com/journeysim/journeysim/plugins"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// phoneFigures are what the contact-centre lesson reads off the phone
// channel of one strategy.
type phoneFigures struct {
	calls, answered    int64
	minutesPerAnswered float64 // operator minutes per answered call
	abandonment        float64 // share of calls not answered
	cost               float64 // what the contact centre costs
	complaints         int64   // all the strategy's interactions rated 2 or less
}

func (f phoneFigures) String() string {
	return fmt.Sprintf("%d calls, %.1f%% abandoned, %.2f operator min per answered call, cost %.0f, %d complaints",
		f.calls, 100*f.abandonment, f.minutesPerAnswered, f.cost, f.complaints)
}

// The built-in contact-centre lesson holds under seeds 1, 2 and 3, served
// by the contactcentre plugin as built by make plugins: self-service (mono
// to multi) takes calls away but leaves each call as long; the customer's
// context in the call (multi to omni) cuts operator minutes per answered
// call by at least 25%, so the same operators keep up: abandonment falls
// at each step, to under half of multichannel's, and the contact centre
// costs at least 20% less than multichannel's and 30% less than
// monochannel's. The scenario's lesson.expect says the same.
func TestContactCentreLesson(t *testing.T) {
	dir := buildPlugins(t)
	for _, seed := range []uint64{1, 2, 3} {
		t.Run(fmt.Sprintf("seed=%d", seed), func(t *testing.T) {
			t.Parallel()
			host := &plugins.Host{Dirs: []string{dir}}
			defer host.Close()
			sc, err := scenarios.OpenWith("contact-centre", scenarios.Options{Plugins: host})
			if err != nil {
				t.Fatal(err)
			}
			m := sc.Model
			if sc.Lesson == nil {
				t.Fatal("contact-centre has no lesson")
			}
			m.Seed, m.Replications = seed, 1
			res, err := sim.Run(context.Background(), m, sim.Options{})
			if err != nil {
				t.Fatal(err)
			}
			phone := -1
			for k, ch := range m.Channels {
				if ch.Name == "phone" {
					phone = k
				}
			}
			if phone < 0 {
				t.Fatal("no phone channel")
			}
			got := map[string]phoneFigures{}
			for k, si := range res.Strategies {
				tot := &res.Totals[k][0]
				ch := tot.Channels[phone]
				if ch.Contacts == 0 || ch.Responses == 0 {
					t.Fatalf("%s: %d calls, %d answered", m.Strategies[si].Name, ch.Contacts, ch.Responses)
				}
				got[m.Strategies[si].Name] = phoneFigures{
					calls: ch.Contacts, answered: ch.Responses,
					minutesPerAnswered: ch.Minutes / float64(ch.Responses),
					abandonment:        1 - float64(ch.Responses)/float64(ch.Contacts),
					cost:               ch.Cost,
					complaints:         tot.Complaints,
				}
			}
			mono, multi, omni := got["monochannel"], got["multichannel"], got["omnichannel"]
			for _, name := range []string{"monochannel", "multichannel", "omnichannel"} {
				t.Logf("%-12s %v", name, got[name])
			}
			fail := func(format string, args ...any) {
				t.Helper()
				t.Errorf("lesson %q does not hold: %s\nits claim: %s", sc.Lesson.Title, fmt.Sprintf(format, args...), sc.Lesson.Expect)
			}
			// Self-service takes calls away, but not operator time per call.
			if !(float64(multi.calls) < 0.85*float64(mono.calls)) {
				fail("self-service leaves %d of monochannel's %d calls; want at least 15%% fewer", multi.calls, mono.calls)
			}
			if r := multi.minutesPerAnswered / mono.minutesPerAnswered; r < 0.95 || r > 1.05 {
				fail("multichannel takes %.2f operator minutes per call, monochannel %.2f; self-service alone should not change it by 5%%", multi.minutesPerAnswered, mono.minutesPerAnswered)
			}
			// Context in the call cuts operator time per call by a quarter or more.
			for _, other := range []phoneFigures{mono, multi} {
				if !(omni.minutesPerAnswered <= 0.75*other.minutesPerAnswered) {
					fail("omnichannel takes %.2f operator minutes per answered call against %.2f: not 25%% less", omni.minutesPerAnswered, other.minutesPerAnswered)
				}
			}
			// The same operators then keep up: abandonment and complaints
			// fall at each step.
			if !(multi.abandonment < mono.abandonment && omni.abandonment < multi.abandonment/2) {
				fail("abandonment %.1f%% (mono), %.1f%% (multi), %.1f%% (omni); want it to fall at each step, omnichannel's under half of multichannel's",
					100*mono.abandonment, 100*multi.abandonment, 100*omni.abandonment)
			}
			if !(multi.complaints < mono.complaints && omni.complaints < multi.complaints) {
				fail("complaints %d (mono), %d (multi), %d (omni); want fewer at each step", mono.complaints, multi.complaints, omni.complaints)
			}
			// And the contact centre costs less.
			if !(omni.cost <= 0.8*multi.cost && omni.cost <= 0.7*mono.cost) {
				fail("the contact centre costs %.0f (omni), %.0f (multi), %.0f (mono); want omnichannel at least 20%% below multichannel and 30%% below monochannel",
					omni.cost, multi.cost, mono.cost)
			}
		})
	}
}
