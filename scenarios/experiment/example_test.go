package experiment_test

import (
	"context"
	"fmt"
	"log"
	"os"
	"path/filepath"
	"strconv"

	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/scenarios/experiment"
	"github.com/journeysim/journeysim/sim"
)

// tiny is an experiment small enough to run in a moment: the weekly
// e-mail cap of email-pressure's 7-a-week strategy at three values, on a
// small list over a short horizon.
const tiny = `name: tiny
scenario: email-pressure
seed: 11
replications: 2
strategies: [email_1pw, email_7pw]
outcomes: [revenue, profit]
design: {kind: grid}
parameters:
  population.size: {values: [300]}
  run.horizon: {values: [30]}
  strategies.email_7pw.caps.email.max: {values: [1, 3, 7]}
`

// manifest describes the sweep folder of e, run whole.
func manifest(e *experiment.Experiment) *sweep.Manifest {
	m := &sweep.Manifest{Experiment: e.Name, ExperimentSHA256: e.Hash, Seed: strconv.FormatUint(e.Seed, 10),
		Points: len(e.Points), Replications: e.Replications, Strategies: e.Strategies,
		Outcomes: sweep.OutcomesOf(e.Outcomes), Shard: sweep.Shard{Count: 1}, Units: e.Units()}
	for _, p := range e.Params {
		m.Params = append(m.Params, sweep.ParamInfo{Path: p.Path, Numeric: p.Numeric()})
	}
	return m
}

// runUnit returns the function that runs unit u of e for sweep.Run: the
// scenario of its point, with the seed of its replication, under each of
// the experiment's strategies, giving a row per strategy.
func runUnit(e *experiment.Experiment, man *sweep.Manifest) func(ctx context.Context, u int) ([]sweep.Row, error) {
	return func(ctx context.Context, u int) ([]sweep.Row, error) {
		p, rep := e.Unit(u)
		m, err := e.Model(p, scenarios.Options{})
		if err != nil {
			return nil, err
		}
		m.Seed, m.Replications = e.RunSeed(p, rep), 1
		res, err := sim.Run(ctx, m, sim.Options{Workers: 1, Strategies: e.StrategyIndices(m)})
		if err != nil {
			return nil, fmt.Errorf("point %d (%s), replication %d: %w", p, e.Describe(p), rep, err)
		}
		rows := make([]sweep.Row, len(res.Strategies))
		for k := range rows {
			rows[k] = sweep.Row{Point: p, Replication: rep, Strategy: k, Seed: m.Seed, Params: e.Labels(p),
				Outcomes: man.OutcomeValues(&res.Totals[k][0], m)}
		}
		return rows, nil
	}
}

// An experiment read, run into a sweep folder and analysed: the journal
// takes each unit's rows as it finishes, and the analysis ranks the
// design points.
func Example() {
	e, err := experiment.Load("tiny.yaml", []byte(tiny), experiment.Options{Outcomes: sweep.Recordable})
	if err != nil {
		log.Fatal(err)
	}
	tmp, err := os.MkdirTemp("", "sweep-")
	if err != nil {
		log.Fatal(err)
	}
	defer os.RemoveAll(tmp)
	dir := filepath.Join(tmp, "tiny")

	man := manifest(e)
	j, err := sweep.Create(dir, man, []byte(tiny), e.Scenario.Data)
	if err != nil {
		log.Fatal(err)
	}
	if err := sweep.Run(context.Background(), j, e.Order(), sweep.RunOptions{Workers: 2}, runUnit(e, man)); err != nil {
		log.Fatal(err)
	}
	if err := j.Close(); err != nil {
		log.Fatal(err)
	}

	a, err := sweep.Analyze(dir)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%d points × %d strategies × %d replications\n", len(e.Points), len(e.Strategies), e.Replications)
	for _, b := range a.Best {
		if b.Outcome == "profit" && b.Strategy == "email_7pw" {
			fmt.Printf("%d. %s = %s: profit %.0f\n", b.Rank, e.Params[2].Path, b.Params[2], b.Estimate.Mean)
		}
	}
	// Output:
	// 3 points × 2 strategies × 2 replications
	// 1. strategies.email_7pw.caps.email.max = 3: profit 1493
	// 2. strategies.email_7pw.caps.email.max = 7: profit 1412
	// 3. strategies.email_7pw.caps.email.max = 1: profit 1318
}
