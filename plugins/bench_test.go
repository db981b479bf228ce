package plugins_test

import (
	"context"
	"os/exec"
	"path/filepath"
	"sync/atomic"
	"testing"
	"time"

	"github.com/journeysim/journeysim/plugins"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// counting counts the Respond calls a behaviour answers and the contacts
// it is handed; pool makes it ask for pooled batches.
type counting struct {
	inner    sim.Behaviour
	calls    *atomic.Int64
	contacts *atomic.Int64
	pool     bool
}

// Pooled says whether the engine should pool the behaviour's batches.
func (c counting) Pooled() bool {
	p, ok := c.inner.(sim.Pooled)
	return c.pool || ok && p.Pooled()
}

func (c counting) Respond(b *sim.ContactBatch, out *sim.Responses) error {
	if c.calls != nil {
		c.calls.Add(1)
		c.contacts.Add(int64(b.Len()))
	}
	return c.inner.Respond(b, out)
}

// BenchmarkPluginOverhead runs the reference model (100,000 customers, 365
// days, 3 strategies, 38 million contacts) four ways: with its outbound
// channels' response model in process; in process but pooled, the whole
// population's contacts of a tick in one batch, as the engine does for a
// plugin; with the email channel's behaviour served by the response plugin,
// which computes the same thing; and with all three outbound channels
// (email, push and SMS) served by it. It reports each run's time as a ratio
// of the first, and for the last, the cost of a plugin call and of a
// contact sent across. Run it with `make bench`.
func BenchmarkPluginOverhead(b *testing.B) {
	dir := b.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "response"), "./response").CombinedOutput(); err != nil {
		b.Fatalf("build the response plugin: %v\n%s", err, out)
	}
	host := &plugins.Host{Dirs: []string{dir}}
	defer host.Close()
	type counts struct{ calls, contacts atomic.Int64 }
	// load serves the channels served from the plugin, and pools the
	// others' batches if pool is set.
	load := func(served map[string]bool, pool bool) (*sim.Model, *counts) {
		sc, err := scenarios.Builtin("reference")
		if err != nil {
			b.Fatal(err)
		}
		m := sc.Model
		n := &counts{}
		for c := range m.Channels {
			ch := &m.Channels[c]
			if ch.Direction != sim.Outbound {
				continue
			}
			beh := ch.Behaviour
			if served[ch.Name] {
				if beh, err = host.Configure("response", ch.Name, ch.BehaviourParams, nil); err != nil {
					b.Fatal(err)
				}
			}
			ch.Behaviour = counting{inner: beh, calls: &n.calls, contacts: &n.contacts, pool: pool}
		}
		return m, n
	}
	timed := func(m *sim.Model) (time.Duration, float64) {
		start := time.Now()
		res, err := sim.Run(context.Background(), m, sim.Options{})
		took := time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		return took, res.Totals[0][0].Revenue
	}
	var inProc, pooled, email, all time.Duration
	var calls, contacts int64
	for i := 0; i < b.N; i++ {
		m, _ := load(nil, false)
		took, want := timed(m)
		inProc += took
		for _, run := range []struct {
			served map[string]bool
			pool   bool
			total  *time.Duration
		}{
			{nil, true, &pooled},
			{map[string]bool{"email": true}, false, &email},
			{map[string]bool{"email": true, "push": true, "sms": true}, false, &all},
		} {
			m, n := load(run.served, run.pool)
			took, got := timed(m)
			*run.total += took
			if got != want {
				b.Fatalf("revenue %v differs from %v in process (served %v, pooled %v)", got, want, run.served, run.pool)
			}
			calls, contacts = n.calls.Load(), n.contacts.Load()
		}
	}
	b.ReportMetric(float64(pooled)/float64(inProc), "pooled/in-process")
	b.ReportMetric(float64(email)/float64(inProc), "plugin-email/in-process")
	b.ReportMetric(float64(all)/float64(inProc), "plugin-all/in-process")
	b.ReportMetric(float64((all-pooled).Microseconds())/float64(b.N)/float64(calls), "µs-overhead/call")
	b.ReportMetric(float64((all-pooled).Nanoseconds())/float64(b.N)/float64(contacts), "ns-overhead/contact")
	b.ReportMetric(float64(calls), "calls/run")
}

// BenchmarkPluginCall sends one batch of 50,000 contacts to the response
// plugin per iteration: the cost of a call of the size a pooled run makes.
func BenchmarkPluginCall(b *testing.B) {
	dir := b.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "response"), "./response").CombinedOutput(); err != nil {
		b.Fatalf("build the response plugin: %v\n%s", err, out)
	}
	host := &plugins.Host{Dirs: []string{dir}}
	defer host.Close()
	beh, err := host.Configure("response", "email", map[string]float64{"rate": 0.05, "offer_lift": 0, "satisfaction": 4, "satisfaction_sd": 0.7, "effort": 2}, nil)
	if err != nil {
		b.Fatal(err)
	}
	const n = 50_000
	batch := &sim.ContactBatch{Channel: "email", Personas: []string{"p"}}
	for j := range n {
		batch.Customer = append(batch.Customer, j)
		batch.Persona = append(batch.Persona, 0)
		batch.Affinity = append(batch.Affinity, 0.5)
		batch.Fatigue = append(batch.Fatigue, 1)
		batch.Tolerance = append(batch.Tolerance, 2)
		batch.Loyalty = append(batch.Loyalty, 0.5)
		batch.Discount = append(batch.Discount, 0)
		batch.Rand = append(batch.Rand, [2]float64{float64(j%97+1) / 99, float64(j%89+1) / 91})
	}
	var out sim.Responses
	b.ResetTimer()
	for range b.N {
		out.Resize(n)
		if err := beh.Respond(batch, &out); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*n), "ns/contact")
}
