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

// pluginWorkers is the parallelism of the plugin run.
var pluginWorkers = 8

// counting counts the Respond calls a behaviour answers.
type counting struct {
	inner sim.Behaviour
	calls *atomic.Int64
}

func (c counting) Respond(b *sim.ContactBatch, out *sim.Responses) error {
	c.calls.Add(1)
	return c.inner.Respond(b, out)
}

// BenchmarkPluginOverhead runs the reference model (100,000 customers, 365
// days, 3 strategies) twice: with its outbound channels' response model in
// process, and served by the response plugin, which computes the same
// thing. It reports the plugin run's time as a ratio of the in-process one
// and the cost of one plugin call. Run it with `make bench`.
func BenchmarkPluginOverhead(b *testing.B) {
	dir := b.TempDir()
	if out, err := exec.Command("go", "build", "-o", filepath.Join(dir, "response"), "./response").CombinedOutput(); err != nil {
		b.Fatalf("build the response plugin: %v\n%s", err, out)
	}
	host := &plugins.Host{Dirs: []string{dir}}
	defer host.Close()
	load := func(plugin bool) (*sim.Model, *atomic.Int64) {
		m, err := scenarios.Builtin("reference")
		if err != nil {
			b.Fatal(err)
		}
		calls := &atomic.Int64{}
		for c := range m.Channels {
			ch := &m.Channels[c]
			if ch.Direction != sim.Outbound {
				continue
			}
			beh := ch.Behaviour
			if plugin {
				if beh, err = host.Configure("response", ch.Name, ch.BehaviourParams); err != nil {
					b.Fatal(err)
				}
			}
			ch.Behaviour = counting{inner: beh, calls: calls}
		}
		return m, calls
	}
	var inProc, viaPlugin time.Duration
	var calls int64
	for i := 0; i < b.N; i++ {
		m, _ := load(false)
		start := time.Now()
		res, err := sim.Run(context.Background(), m, sim.Options{})
		inProc += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		mp, n := load(true)
		start = time.Now()
		resp, err := sim.Run(context.Background(), mp, sim.Options{Workers: pluginWorkers})
		viaPlugin += time.Since(start)
		if err != nil {
			b.Fatal(err)
		}
		calls += n.Load()
		if res.Totals[0][0].Revenue != resp.Totals[0][0].Revenue {
			b.Fatalf("the plugin run differs: revenue %v, in process %v", resp.Totals[0][0].Revenue, res.Totals[0][0].Revenue)
		}
	}
	b.ReportMetric(float64(viaPlugin)/float64(inProc), "plugin/in-process")
	b.ReportMetric(float64((viaPlugin-inProc).Microseconds())/float64(calls), "µs-overhead/call")
	b.ReportMetric(float64(calls)/float64(b.N), "calls/run")
}
