package sim_test

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// load compiles a scenario written inline in a test.
func load(t testing.TB, src string) *sim.Model {
	t.Helper()
	sc, err := scenarios.Load("test.yaml", []byte(src))
	if err != nil {
		t.Fatalf("scenario does not load:\n%v\n--- source ---\n%s", err, src)
	}
	m := sc.Model
	return m
}

// reference loads the shipped reference scenario, shrunk to size customers
// over horizon ticks.
func reference(t testing.TB, size, horizon int) *sim.Model {
	t.Helper()
	sc, err := scenarios.Builtin("reference")
	if err != nil {
		t.Fatalf("reference scenario: %v", err)
	}
	m := sc.Model
	m.Population.Size = size
	m.Horizon = horizon
	return m
}

func run(t testing.TB, m *sim.Model, opt sim.Options) *sim.Result {
	t.Helper()
	res, err := sim.Run(context.Background(), m, opt)
	if err != nil {
		t.Fatalf("run: %v", err)
	}
	return res
}

// contact is one contact a channel behaviour saw.
type contact struct {
	Customer, Tick int
	Channel        string
	Fatigue        float64
	Discount       float64
}

// recorder wraps a channel's behaviour and records every contact handed to
// it. Respond may be called from several workers at once.
type recorder struct {
	inner sim.Behaviour
	mu    *sync.Mutex
	log   *[]contact
}

func (r recorder) Respond(b *sim.ContactBatch, out *sim.Responses) error {
	r.mu.Lock()
	for j, c := range b.Customer {
		*r.log = append(*r.log, contact{Customer: c, Tick: b.Tick, Channel: b.Channel, Fatigue: b.Fatigue[j], Discount: b.Discount[j]})
	}
	r.mu.Unlock()
	return r.inner.Respond(b, out)
}

// record wraps every channel of m in a recorder and returns a function that
// yields the contacts recorded so far, sorted by customer, tick and channel.
func record(m *sim.Model) func() []contact {
	var (
		mu  sync.Mutex
		log []contact
	)
	for c := range m.Channels {
		m.Channels[c].Behaviour = recorder{inner: m.Channels[c].Behaviour, mu: &mu, log: &log}
	}
	return func() []contact {
		mu.Lock()
		defer mu.Unlock()
		out := slices.Clone(log)
		slices.SortFunc(out, func(a, b contact) int {
			if a.Customer != b.Customer {
				return a.Customer - b.Customer
			}
			if a.Tick != b.Tick {
				return a.Tick - b.Tick
			}
			return strings.Compare(a.Channel, b.Channel)
		})
		return out
	}
}

// byCustomer groups contacts by customer.
func byCustomer(cs []contact) map[int][]contact {
	out := map[int][]contact{}
	for _, c := range cs {
		out[c.Customer] = append(out[c.Customer], c)
	}
	return out
}

func ticksOf(cs []contact) []int {
	var out []int
	for _, c := range cs {
		out = append(out, c.Tick)
	}
	return out
}

// triggerScenario is a small scenario with three outbound channels (email,
// push, sms) that never respond, one inbound channel (web), no churn and no
// journey moves, so that only the strategy decides who is contacted when.
// strategy is the YAML of one strategy list entry (indented by 4 spaces
// after "  - "); extra is appended at the top level.
func triggerScenario(size, horizon int, consent string, strategy string, extra string) string {
	return fmt.Sprintf(`name: triggers
run: {horizon: %d, seed: 11}
population:
  size: %d
  personas:
    - name: p
      share: 1
      consent: {%s}
      tolerance: 3
channels:
  email: {direction: outbound, behaviour: {name: silent}}
  push: {direction: outbound, behaviour: {name: silent}}
  sms: {direction: outbound, behaviour: {name: silent}}
  web: {direction: inbound}
journey:
  nodes:
    start: {stage: aware}
  edges:
    - {from: start, to: start, p: "0"}
fatigue: {half_life: 3, per_contact: 1, optout: 0}
loyalty: {response_gain: 0, purchase_gain: 0, ignored_loss: 0}
strategies:
  - %s
%s`, horizon, size, consent, strings.ReplaceAll(strategy, "\n", "\n    "), extra)
}
