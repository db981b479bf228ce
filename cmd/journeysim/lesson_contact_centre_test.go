package main

import (
	"context"
	"fmt"
	"math"
	"slices"
	"testing"

	"github.com/journeysim/journeysim/plugins"
	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// phoneFigures are what the contact-centre lesson reads off the phone
// channel of one strategy: its service outcomes as the channel table shows
// them (results.ChannelMetrics), none divided by hand.
type phoneFigures struct {
	calls, handled float64
	handleTime     float64 // minutes_per_handled: operator minutes per handled call
	abandoned      float64 // abandoned_share
	speedOfAnswer  float64 // average_speed_of_answer_seconds
	serviceLevel   float64 // service_level: the share answered within 20 seconds
	cost           float64 // what the contact centre costs
	complaints     float64 // all the strategy's interactions rated 2 or less
}

func (f phoneFigures) String() string {
	return fmt.Sprintf("%.0f calls, %.0f handled, %.2f min handle time, %.1f%% abandoned, %.1f s speed of answer, %.1f%% service level, cost %.0f, %.0f complaints",
		f.calls, f.handled, f.handleTime, 100*f.abandoned, f.speedOfAnswer, 100*f.serviceLevel, f.cost, f.complaints)
}

// The built-in contact-centre lesson holds under seeds 1, 2 and 3, served
// by the contactcentre plugin as built by make plugins: self-service (mono
// to multi) takes calls away but leaves the handle time as long; the
// customer's context in the call (multi to omni) cuts the handle time by
// at least 25%, so the same operators keep up: the abandoned share falls at
// each step, to under half of multichannel's, the speed of answer shortens
// and the service level rises at each step, omnichannel's past 80%, and
// the contact centre costs at least 20% less than multichannel's and 30%
// less than monochannel's. The scenario's lesson.expect says the same.
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
			sum, err := results.Summarize(res, results.Options{})
			if err != nil {
				t.Fatal(err)
			}
			phone := slices.Index(sum.Channels, "phone")
			if phone < 0 {
				t.Fatal("no phone channel")
			}
			if got := sum.ChannelLabel(phone); got != "phone (calls)" {
				t.Errorf("the phone channel is labelled %q; want its contacts called calls", got)
			}
			got := map[string]phoneFigures{}
			key := keyNames(sc)
			for _, st := range sum.Strategies {
				read := func(metric string) float64 {
					if metric != "handled" && !slices.Contains(key, "channel.phone."+metric) {
						t.Errorf("the lesson reads channel.phone.%s, but its key outcomes, shown first, are %v", metric, key)
					}
					k := results.ChannelMetricIndex(metric)
					if k < 0 {
						t.Fatalf("no channel metric %s", metric)
					}
					v := st.Channels[phone][k].Mean
					if math.IsNaN(v) {
						t.Fatalf("%s: phone %s is not measured", st.Name, metric)
					}
					return v
				}
				complaints, _ := sum.Metric(&st, "complaints")
				got[st.Name] = phoneFigures{
					calls: read("contacts"), handled: read("handled"), handleTime: read("minutes_per_handled"),
					abandoned: read("abandoned_share"), speedOfAnswer: read("average_speed_of_answer_seconds"),
					serviceLevel: read("service_level"), cost: read("cost"), complaints: complaints.Mean,
				}
				if f := got[st.Name]; f.calls == 0 || f.handled == 0 {
					t.Fatalf("%s: %v", st.Name, f)
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
			if !(multi.calls < 0.85*mono.calls) {
				fail("self-service leaves %.0f of monochannel's %.0f calls; want at least 15%% fewer", multi.calls, mono.calls)
			}
			if r := multi.handleTime / mono.handleTime; r < 0.95 || r > 1.05 {
				fail("multichannel's handle time is %.2f minutes, monochannel's %.2f; self-service alone should not change it by 5%%", multi.handleTime, mono.handleTime)
			}
			// Context in the call cuts the handle time by a quarter or more.
			for _, other := range []phoneFigures{mono, multi} {
				if !(omni.handleTime <= 0.75*other.handleTime) {
					fail("omnichannel's handle time is %.2f minutes against %.2f: not 25%% less", omni.handleTime, other.handleTime)
				}
			}
			// The same operators then keep up: abandonment and complaints
			// fall, callers are answered sooner, and more of them in time,
			// at each step.
			if !(multi.abandoned < mono.abandoned && omni.abandoned < multi.abandoned/2) {
				fail("abandoned %.1f%% (mono), %.1f%% (multi), %.1f%% (omni); want it to fall at each step, omnichannel's under half of multichannel's",
					100*mono.abandoned, 100*multi.abandoned, 100*omni.abandoned)
			}
			if !(multi.complaints < mono.complaints && omni.complaints < multi.complaints) {
				fail("complaints %.0f (mono), %.0f (multi), %.0f (omni); want fewer at each step", mono.complaints, multi.complaints, omni.complaints)
			}
			if !(multi.speedOfAnswer < mono.speedOfAnswer && omni.speedOfAnswer < multi.speedOfAnswer) {
				fail("speed of answer %.1f s (mono), %.1f s (multi), %.1f s (omni); want it shorter at each step", mono.speedOfAnswer, multi.speedOfAnswer, omni.speedOfAnswer)
			}
			if !(multi.serviceLevel > mono.serviceLevel && omni.serviceLevel > multi.serviceLevel && omni.serviceLevel > 0.8) {
				fail("service level %.1f%% (mono), %.1f%% (multi), %.1f%% (omni); want it higher at each step, omnichannel's past 80%%",
					100*mono.serviceLevel, 100*multi.serviceLevel, 100*omni.serviceLevel)
			}
			// And the contact centre costs less.
			if !(omni.cost <= 0.8*multi.cost && omni.cost <= 0.7*mono.cost) {
				fail("the contact centre costs %.0f (omni), %.0f (multi), %.0f (mono); want omnichannel at least 20%% below multichannel and 30%% below monochannel",
					omni.cost, multi.cost, mono.cost)
			}
		})
	}
}
