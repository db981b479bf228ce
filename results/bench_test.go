package results_test

import (
	"context"
	"testing"
	"time"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/attribution"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// BenchmarkOutputs measures, on the default built-in scenario, what
// attribution and writing a result folder cost next to the simulation
// itself: attribution as the ratio of a run with paths and counterfactuals
// to a plain run (and the paths alone, without counterfactuals), writing
// as the time to summarize and render every file (CSV and Parquet) as a
// share of the plain run. Run it with `make bench`.
func BenchmarkOutputs(b *testing.B) {
	sc, err := scenarios.Builtin(scenarios.Default)
	if err != nil {
		b.Fatal(err)
	}
	m := sc.Model
	m.Replications = 1
	ctx := context.Background()
	var plain, paths, truth, write time.Duration
	var rows int
	for i := 0; i < b.N; i++ {
		start := time.Now()
		res, err := sim.Run(ctx, m, sim.Options{})
		if err != nil {
			b.Fatal(err)
		}
		plain += time.Since(start)

		start = time.Now()
		if _, err := sim.Run(ctx, m, sim.Options{Paths: true}); err != nil {
			b.Fatal(err)
		}
		paths += time.Since(start)

		start = time.Now()
		plan := attribution.NewPlan(m, nil)
		tres, err := sim.Run(ctx, plan.Model, sim.Options{Strategies: plan.Run, Paths: true})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := results.Summarize(tres, results.Options{Truth: plan}); err != nil {
			b.Fatal(err)
		}
		truth += time.Since(start)

		start = time.Now()
		sum, err := results.Summarize(res, results.Options{})
		if err != nil {
			b.Fatal(err)
		}
		files, err := output.Files(sum, res, output.RunInfo{Effective: []byte("name: x\n")})
		if err != nil {
			b.Fatal(err)
		}
		write += time.Since(start)
		rows = 0
		for _, f := range files {
			rows += f.Rows
		}
	}
	b.ReportMetric(float64(paths)/float64(plain), "paths/plain")
	b.ReportMetric(float64(truth)/float64(plain), "attribution-with-truth/plain")
	b.ReportMetric(100*float64(write)/float64(plain), "write-%-of-plain")
	b.ReportMetric(float64(write.Microseconds())/float64(b.N)/float64(rows), "write-µs/row")
}
