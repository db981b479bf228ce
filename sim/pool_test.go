package sim_test

import (
	"context"
	"fmt"
	"math"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/journeysim/journeysim/sim"
)

// pooledBehaviour asks for pooled batches and records each call's channel,
// tick and first customer.
type pooledBehaviour struct {
	inner sim.Behaviour
	mu    *sync.Mutex
	calls *[]poolCall
}

type poolCall struct {
	channel  string
	tick     int
	first    int
	contacts int
}

func (p pooledBehaviour) Pooled() bool { return true }

func (p pooledBehaviour) Respond(b *sim.ContactBatch, out *sim.Responses) error {
	p.mu.Lock()
	*p.calls = append(*p.calls, poolCall{b.Channel, b.Tick, b.Customer[0], b.Len()})
	p.mu.Unlock()
	for j := 1; j < b.Len(); j++ {
		if b.Customer[j] <= b.Customer[j-1] {
			return fmt.Errorf("batch not in customer order at contact %d", j)
		}
	}
	return p.inner.Respond(b, out)
}

// A model whose behaviours are pooled gives the same totals as one run in
// chunks, at any worker count and over several pools, while each channel's
// behaviour is called once per tick per pool with the pool's contacts.
func TestPooledSameAsChunks(t *testing.T) {
	defer sim.SetPoolChunks(2)()
	const size = sim.ChunkSize*5 + 300 // three pools of at most two chunks
	m := reference(t, size, 40)
	m.Replications = 2
	base := run(t, m, sim.Options{Workers: 2, Paths: true})
	if base.Totals[0][0].Responses == 0 {
		t.Fatal("no responses: the test would prove nothing")
	}
	var mu sync.Mutex
	var calls []poolCall
	for _, workers := range []int{1, 3} {
		pm := reference(t, size, 40)
		pm.Replications = 2
		calls = nil
		for c := range pm.Channels {
			if pm.Channels[c].Behaviour != nil {
				pm.Channels[c].Behaviour = pooledBehaviour{inner: pm.Channels[c].Behaviour, mu: &mu, calls: &calls}
			}
		}
		res := run(t, pm, sim.Options{Workers: workers, Paths: true})
		if !reflect.DeepEqual(res.Totals, base.Totals) {
			t.Errorf("%d workers: pooled totals differ from the run in chunks", workers)
		}
		// One call per channel, tick, strategy and replication in each pool.
		seen := map[poolCall]int{}
		contacts := 0
		for _, c := range calls {
			contacts += c.contacts
			pool := c.first / (2 * sim.ChunkSize)
			seen[poolCall{channel: c.channel, tick: c.tick, first: pool}]++
		}
		limit := len(m.Strategies) * m.Replications
		for k, n := range seen {
			if n > limit {
				t.Errorf("%d workers: channel %s tick %d pool %d called %d times; at most %d (strategies × replications)", workers, k.channel, k.tick, k.first, n, limit)
			}
		}
		var want int64
		for _, tot := range res.Totals {
			for _, r := range tot {
				want += r.Contacts
			}
		}
		if int64(contacts) != want {
			t.Errorf("%d workers: batches held %d contacts, the totals count %d", workers, contacts, want)
		}
	}
}

// answers is a behaviour that answers every contact the same way.
type answers struct {
	minutes, purchase float64
	optOut            bool
}

func (a answers) Respond(b *sim.ContactBatch, out *sim.Responses) error {
	for j := range b.Customer {
		out.Responded[j] = true
		out.Minutes[j] = a.minutes
		out.Purchase[j] = a.purchase
		out.OptOut[j] = a.optOut
	}
	return nil
}

// Staff time, purchases and opt-outs answered by a behaviour reach the
// totals: minutes are costed per minute, a purchase is revenue on the
// channel, and an opt-out ends the channel for the customer.
func TestResponsesTimePurchaseOptOut(t *testing.T) {
	m := load(t, triggerScenario(200, 20, "email: 1", `{name: s, channels: [email], triggers: [{name: t, when: "true", channel: email}]}`, ""))
	ch := slicesIndex(m, "email")
	m.Channels[ch].Behaviour = answers{minutes: 3, purchase: 50, optOut: true}
	m.Channels[ch].CostPerMinute = 0.5
	m.Channels[ch].CostPerContact = 0.1
	res := run(t, m, sim.Options{})
	tot := res.Totals[0][0]
	ct := tot.Channels[ch]
	if ct.Contacts != 200 {
		t.Errorf("%d contacts; want one per customer (each opts out after the first)", ct.Contacts)
	}
	if ct.OptOuts != 200 {
		t.Errorf("%d opt-outs; want 200", ct.OptOuts)
	}
	if ct.Minutes != 600 {
		t.Errorf("%g minutes; want 3 per contact = 600", ct.Minutes)
	}
	if want := 200 * (0.1 + 3*0.5); math.Abs(ct.Cost-want) > 1e-9 {
		t.Errorf("channel cost %g; want %g", ct.Cost, want)
	}
	if ct.Purchases != 200 || math.Abs(ct.Revenue-200*50) > 1e-9 {
		t.Errorf("%d purchases worth %g on the channel; want 200 worth 10000", ct.Purchases, ct.Revenue)
	}
	if tot.Purchases < 200 || tot.Buyers != 200 {
		t.Errorf("%d purchases by %d buyers; want at least 200 by all 200", tot.Purchases, tot.Buyers)
	}
}

// Answers outside their scales stop the run with the channel and the
// contact named.
func TestResponsesOutOfRange(t *testing.T) {
	for _, tc := range []struct {
		name string
		beh  answers
		want string
	}{
		{"negative minutes", answers{minutes: -1}, "minutes -1"},
		{"infinite purchase", answers{purchase: math.Inf(1)}, "purchase +Inf"},
		{"NaN minutes", answers{minutes: math.NaN()}, "minutes NaN"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := load(t, triggerScenario(50, 5, "email: 1", `{name: s, channels: [email], triggers: [{name: t, when: "true", channel: email}]}`, ""))
			m.Channels[slicesIndex(m, "email")].Behaviour = tc.beh
			_, err := sim.Run(t.Context(), m, sim.Options{})
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.Contains(err.Error(), "channel email at tick 0") {
				t.Fatalf("error %v; want one naming channel email at tick 0 and %q", err, tc.want)
			}
		})
	}
}

func slicesIndex(m *sim.Model, channel string) int {
	for c, ch := range m.Channels {
		if ch.Name == channel {
			return c
		}
	}
	panic("no channel " + channel)
}

// A model whose expressions read adopters runs coupled: adopters is the
// share of the whole population that had bought by the tick before, the
// same at any worker count, and a population too large for one pool is
// refused.
func TestCoupledAdopters(t *testing.T) {
	m := load(t, triggerScenario(3*sim.ChunkSize+50, 30, "email: 1", `{name: s, channels: [email], triggers: [{name: t, when: "false", channel: email}]}`, ""))
	if m.Coupled() {
		t.Fatal("a model without adopters is coupled")
	}
	m = load(t, strings.Replace(triggerScenario(3*sim.ChunkSize+50, 30, "email: 1", `{name: s, channels: [email], triggers: [{name: t, when: "false", channel: email}]}`, ""),
		`    start: {stage: aware}
  edges:
    - {from: start, to: start, p: "0"}`, `    start: {stage: aware}
    bought: {stage: bought, purchase: true}
  edges:
    - {from: start, to: bought, p: "0.01 + 0.5 * adopters"}`, 1))
	if !m.Coupled() {
		t.Fatal("a model reading adopters is not coupled")
	}
	a := run(t, m, sim.Options{Workers: 1})
	b := run(t, m, sim.Options{Workers: 3})
	if !reflect.DeepEqual(a.Totals, b.Totals) {
		t.Error("a coupled run differs between 1 and 3 workers")
	}
	// With imitation the adoption takes off: far more than the 1% a
	// tick advertising alone would give over 30 ticks (26%).
	if share := float64(a.Totals[0][0].Buyers) / float64(a.Totals[0][0].Customers); share < 0.6 {
		t.Errorf("%.2f adopted; word of mouth should have spread it past 0.6", share)
	}
	m.Population.Size = sim.PoolSize + 1
	if err := m.Validate(); err == nil || !strings.Contains(err.Error(), "adopters") {
		t.Errorf("a coupled population over one pool: %v", err)
	}
}

// pool wraps every channel behaviour of m so that it asks for pooled
// batches.
func pool(m *sim.Model) {
	var mu sync.Mutex
	var calls []poolCall
	for c := range m.Channels {
		if m.Channels[c].Behaviour != nil {
			m.Channels[c].Behaviour = pooledBehaviour{inner: m.Channels[c].Behaviour, mu: &mu, calls: &calls}
		}
	}
}

// A pooled run cancelled part way keeps only complete replications, each
// equal to the same replication of an uninterrupted run in chunks, and
// its progress never goes backwards.
func TestPooledCancelledMidway(t *testing.T) {
	defer sim.SetPoolChunks(1)()
	m := reference(t, sim.ChunkSize*2+10, 30)
	m.Replications = 4
	full := run(t, m, sim.Options{Workers: 2})
	pool(m)
	for _, frac := range []float64{0.2, 0.6, 0.8} {
		t.Run(fmt.Sprint(frac), func(t *testing.T) { checkCancelledAt(t, m, full, frac) })
	}
}

// A pooled run counts the same customer-ticks as a run in chunks, and its
// progress ends at the total.
func TestPooledProgress(t *testing.T) {
	defer sim.SetPoolChunks(2)()
	m := reference(t, sim.ChunkSize*3+1, 7)
	m.Replications = 2
	chunks := run(t, m, sim.Options{Workers: 2})
	pool(m)
	var mu sync.Mutex
	var last, total int64
	res := run(t, m, sim.Options{Workers: 3, Progress: func(done, tot int64) {
		mu.Lock()
		defer mu.Unlock()
		if done < last {
			t.Errorf("progress went back from %d to %d", last, done)
		}
		last, total = done, tot
	}})
	if res.CustomerTicks != chunks.CustomerTicks || last != total || total != chunks.CustomerTicks {
		t.Errorf("pooled: %d customer-ticks, progress %d of %d; in chunks %d", res.CustomerTicks, last, total, chunks.CustomerTicks)
	}
}

// pooledFailing is a pooled behaviour that fails.
type pooledFailing struct{ failing }

func (pooledFailing) Pooled() bool { return true }

// When several pooled behaviours fail in the same tick, the run reports
// the first channel's failure in model order, whatever the worker count.
func TestPooledBehaviourErrors(t *testing.T) {
	m := load(t, triggerScenario(3*sim.ChunkSize, 5, "", `name: s
per_tick: 2
triggers:
  - {name: a, when: "tick == 2", channel: sms}
  - {name: b, when: "tick == 2", channel: push}`, ""))
	m.Channels[slicesIndex(m, "push")].Behaviour = pooledFailing{}
	m.Channels[slicesIndex(m, "sms")].Behaviour = pooledFailing{failing{short: true}}
	for _, workers := range []int{1, 2, 4} {
		res, err := sim.Run(context.Background(), m, sim.Options{Workers: workers})
		if err == nil || res != nil {
			t.Fatalf("%d workers: result %v, error %v; want only an error", workers, res, err)
		}
		if want := "channel push at tick 2: plugin went away"; err.Error() != want {
			t.Errorf("%d workers: error %q, want %q", workers, err, want)
		}
	}
}

// An empty selection of strategies completes every replication with no
// totals, pooled or not.
func TestPooledNoStrategies(t *testing.T) {
	m := reference(t, 100, 5)
	m.Replications = 2
	chunks := run(t, m, sim.Options{Strategies: []int{}})
	pool(m)
	pooled := run(t, m, sim.Options{Strategies: []int{}})
	if len(chunks.Seeds) != 2 || !reflect.DeepEqual(pooled.Seeds, chunks.Seeds) || !reflect.DeepEqual(pooled.Totals, chunks.Totals) {
		t.Errorf("pooled: seeds %v totals %v; in chunks: seeds %v totals %v", pooled.Seeds, pooled.Totals, chunks.Seeds, chunks.Totals)
	}
}
