package scenarios_test

import (
	"context"
	"runtime"
	"testing"
	"time"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// BenchmarkReference times the engine on the reference scenario of
// BENCHMARK.md (100,000 customers, 365 days, 3 strategies) and reports
// customer-ticks per second per worker, allocations per customer-tick and
// bytes per customer. Run it with `make bench`.
func BenchmarkReference(b *testing.B) {
	for _, workers := range []int{1, 2} {
		b.Run(map[int]string{1: "workers=1", 2: "workers=2"}[workers], func(b *testing.B) {
			sc, err := scenarios.Builtin("reference")
			if err != nil {
				b.Fatal(err)
			}
			m := sc.Model
			var before, after runtime.MemStats
			var ticks int64
			var elapsed time.Duration
			var peak uint64
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				runtime.GC()
				runtime.ReadMemStats(&before)
				done := make(chan struct{})
				go func() { // sample the heap while the run goes on
					t := time.NewTicker(50 * time.Millisecond)
					defer t.Stop()
					var ms runtime.MemStats
					for {
						select {
						case <-done:
							return
						case <-t.C:
							runtime.ReadMemStats(&ms)
							peak = max(peak, ms.HeapAlloc-min(ms.HeapAlloc, before.HeapAlloc))
						}
					}
				}()
				start := time.Now()
				res, err := sim.Run(context.Background(), m, sim.Options{Workers: workers})
				elapsed += time.Since(start)
				close(done)
				runtime.ReadMemStats(&after)
				if err != nil {
					b.Fatal(err)
				}
				ticks += res.CustomerTicks
			}
			b.StopTimer()
			perSec := float64(ticks) / elapsed.Seconds()
			b.ReportMetric(perSec/1e6, "M-customer-ticks/s")
			b.ReportMetric(perSec/1e6/float64(workers), "M-customer-ticks/s/worker")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(ticks/int64(b.N)), "allocs/customer-tick")
			b.ReportMetric(float64(sim.BytesPerCustomer(m)), "state-bytes/customer")
			b.ReportMetric(float64(peak)/float64(m.Population.Size), "peak-heap-bytes/customer")
		})
	}
}
