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
	c.calls.Add(1)
	c.contacts.Add(int64(b.Len()))
	return c.inner.Respond(b, out)
}

// BenchmarkPluginOverhead runs the reference model (100,000 customers, 365
// days, 3 strategies) three ways: with its outbound channels' response
// model in process; in process but pooled, the whole population's
// contacts of a tick in one batch, as the engine does for a plugin; and
// served by the response plugin, which computes the same thing. It
// reports each run's time as a ratio of the first, and the cost of a
// plugin call and of a contact sent across. Run it with `make bench`.
func BenchmarkPluginOverhead(b *testing.B) {
	dir := b.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "response"), "./response").CombinedOutput(); err != nil {
		b.Fatalf("build the response plugin: %v\n%s", err, out)
	}
	host := &plugins.Host{Dirs: []string{dir}}
	defer host.Close()
	type counts struct{ calls, contacts atomic.Int64 }
	load := func(plugin, pool bool) (*sim.Model, *counts) {
		m, err := scenarios.Builtin("reference")
		if err != nil {
			b.Fatal(err)
		}
		n := &counts{}
		for c := range m.Channels {
			ch := &m.Channels[c]
			if ch.Direction != sim.Outbound {
				continue
			}
			beh := ch.Behaviour
			if plugin {
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
	var inProc, pooled, viaPlugin time.Duration
	var calls, contacts int64
	for i := 0; i < b.N; i++ {
		m, _ := load(false, false)
		took, want := timed(m)
		inProc += took
		m, _ = load(false, true)
		took, got := timed(m)
		pooled += took
		if got != want {
			b.Fatalf("the pooled run differs: revenue %v, in chunks %v", got, want)
		}
		m, n := load(true, false)
		took, got = timed(m)
		viaPlugin += took
		if got != want {
			b.Fatalf("the plugin run differs: revenue %v, in process %v", got, want)
		}
		calls += n.calls.Load()
		contacts += n.contacts.Load()
	}
	b.ReportMetric(float64(pooled)/float64(inProc), "pooled/in-process")
	b.ReportMetric(float64(viaPlugin)/float64(inProc), "plugin/in-process")
	b.ReportMetric(float64((viaPlugin-pooled).Microseconds())/float64(calls), "µs-overhead/call")
	b.ReportMetric(float64((viaPlugin-pooled).Nanoseconds())/float64(contacts), "ns-overhead/contact")
	b.ReportMetric(float64(calls)/float64(b.N), "calls/run")
}
