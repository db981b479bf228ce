package experiment_test

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/scenarios/experiment"
)

// BenchmarkSweep runs a sweep of 240 runs (40 points × 2 strategies × 3
// replications of a shrunken email-pressure) with 1 worker and with 2, and
// reports the runs per second of each and their ratio. Run it with
// `make bench`.
func BenchmarkSweep(b *testing.B) {
	e, err := experiment.Load("bench.yaml", []byte(`name: bench
scenario: email-pressure
seed: 9
replications: 3
strategies: [email_1pw, email_7pw]
design: {kind: lhs, points: 40}
parameters:
  population.size: {values: [2000]}
  run.horizon: {values: [90]}
  strategies.email_7pw.caps.email.max: {min: 1, max: 7, integer: true}
  strategies.email_7pw.discount: {min: 0, max: 0.2}
`), options)
	if err != nil {
		b.Fatal(err)
	}
	runs := float64(e.Units() * len(e.Strategies))
	rate := map[int]float64{}
	for i := 0; i < b.N; i++ {
		for _, workers := range []int{1, 2} {
			dir := filepath.Join(b.TempDir(), "sweep")
			man := manifest(e)
			j, err := sweep.Create(dir, man, nil, e.Scenario.Data)
			if err != nil {
				b.Fatal(err)
			}
			start := time.Now()
			if err := sweep.Run(context.Background(), j, e.Order(), sweep.RunOptions{Workers: workers}, runUnit(e, man)); err != nil {
				b.Fatal(err)
			}
			if err := j.Close(); err != nil {
				b.Fatal(err)
			}
			rate[workers] += runs / time.Since(start).Seconds() / float64(b.N)
		}
	}
	b.ReportMetric(runs, "runs/sweep")
	b.ReportMetric(rate[1], "runs/s-1-worker")
	b.ReportMetric(rate[2], "runs/s-2-workers")
	b.ReportMetric(rate[2]/rate[1], "speedup-2/1")
}
