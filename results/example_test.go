package results_test

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// The whole chain: a scenario is loaded, run, and summarized; the summary
// holds each strategy's outcomes with their intervals and its paired
// comparison with the baseline; a result folder records it all.
func ExampleSummarize() {
	sc, err := scenarios.Open("email-pressure")
	if err != nil {
		fmt.Println(err)
		return
	}
	m := sc.Model
	m.Population.Size, m.Horizon, m.Replications = 2000, 60, 3
	picked := []int{m.StrategyIndex("email_1pw"), m.StrategyIndex("email_7pw")}
	res, err := sim.Run(context.Background(), m, sim.Options{Strategies: picked})
	if err != nil {
		fmt.Println(err)
		return
	}

	check, err := results.CompileCheck("opt_out_rate < 0.05", "example", nil)
	if err != nil {
		fmt.Println(err)
		return
	}
	sum, err := results.Summarize(res, results.Options{Baseline: "email_1pw", Checks: []*results.Check{check}, Currency: sc.Currency})
	if err != nil {
		fmt.Println(err)
		return
	}
	for _, c := range sum.Comparisons {
		if c.Metric == "opt_out_rate" || c.Metric == "loyalty" {
			fmt.Printf("%s against %s, %s: %s\n", c.Strategy, c.Baseline, c.Metric, c.Verdict)
		}
	}
	for _, c := range sum.Checks {
		fmt.Printf("%s: %s passes: %v\n", c.Strategy, c.Check, c.Pass)
	}

	dir, err := os.MkdirTemp("", "journeysim-example-")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer os.RemoveAll(dir)
	files, err := output.Files(sum, res, output.RunInfo{ScenarioSource: sc.Source.Origin, ScenarioBytes: sc.Source.Data})
	if err != nil {
		fmt.Println(err)
		return
	}
	out := filepath.Join(dir, "run")
	if err := output.WriteDir(out, files); err != nil {
		fmt.Println(err)
		return
	}
	back, _, err := output.ReadDir(out)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println("read back:", back.Scenario, len(back.Strategies), "strategies,", len(back.Seeds), "replications")
	// Output:
	// email_7pw against email_1pw, loyalty: worse
	// email_7pw against email_1pw, opt_out_rate: worse
	// email_1pw: opt_out_rate < 0.05 passes: true
	// email_7pw: opt_out_rate < 0.05 passes: false
	// read back: email-pressure 2 strategies, 3 replications
}
