package main

import (
	"context"
	"fmt"
	"math"
	"strconv"

	"github.com/journeysim/journeysim/results/attribution"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/scenarios/experiment"
	"github.com/journeysim/journeysim/sim"
)

// experimentOptions reads an experiment's scenario with the options opt
// and checks its outcomes and series against those a sweep can record.
func experimentOptions(opt scenarios.Options) experiment.Options {
	return experiment.Options{Scenario: opt, Outcomes: sweep.Recordable, Outcome: sweep.CheckOutcome, Series: sweep.SeriesNames}
}

// experimentManifest describes the sweep folder of shard of e, which the
// session is to run by the command line command: the session's version of
// journeysim and commit, and the session itself.
func experimentManifest(e *experiment.Experiment, shard sweep.Shard, session sweep.Session, command string) *sweep.Manifest {
	m := &sweep.Manifest{Version: session.Build.Version, Commit: session.Build.Commit, Sessions: []sweep.Session{session},
		Currency: sweep.ScenarioCurrencyOf(e.Scenario.Data), Experiment: e.Name, ExperimentSHA256: e.Hash,
		ScenarioOrigin: e.Scenario.Origin, ScenarioSHA256: output.Hash(e.Scenario.Data),
		Seed: strconv.FormatUint(e.Seed, 10), Points: len(e.Points), Replications: e.Replications,
		Strategies: e.Strategies, Outcomes: sweep.OutcomesOf(e.Outcomes), Attribution: e.Attribution, Series: e.Series,
		Shard: shard, Command: command,
		Units: len(shard.Select(e.Order()))}
	crn := e.CommonRandomNumbers
	m.CommonRandomNumbers = &crn
	m.Design = &sweep.DesignInfo{Kind: e.Design.Kind, Points: e.Design.Points,
		Trajectories: e.Design.Trajectories, Levels: e.Design.Levels}
	for _, p := range e.Params {
		info := sweep.ParamInfo{Path: p.Path, Numeric: p.Numeric(), Integer: p.Integer, Weights: p.Weights}
		if p.IsRange() {
			// A distribution's end that nothing bounds is left out.
			if lo := p.Min; !math.IsInf(lo, 0) {
				info.Min = &lo
			}
			if hi := p.Max; !math.IsInf(hi, 0) {
				info.Max = &hi
			}
		}
		if p.Dist != nil {
			info.Distribution, info.DistParams = p.Dist.Kind, p.Dist.Params
		}
		for _, v := range p.Values {
			info.Values = append(info.Values, v.String())
		}
		m.Params = append(m.Params, info)
	}
	return m
}

// unitRunner returns the function sweep.Run calls to run unit u of e:
// point u's scenario, with the seed of its replication, under each of the
// experiment's strategies, giving a row per strategy with the outcomes
// and series of man. With attribution on, the run adds each strategy's
// counterfactuals, as journeysim run --attribution does, and the rows
// are those of the experiment's strategies.
func unitRunner(e *experiment.Experiment, man *sweep.Manifest, opt scenarios.Options) func(ctx context.Context, u int) ([]sweep.Row, error) {
	return func(ctx context.Context, u int) ([]sweep.Row, error) {
		p, rep := e.Unit(u)
		m, err := e.Model(p, opt)
		if err != nil {
			return nil, err
		}
		m.Seed, m.Replications = e.RunSeed(p, rep), 1
		model, strategies := m, e.StrategyIndices(m)
		var plan *attribution.Plan
		if man.Attribution {
			plan = attribution.NewPlan(m, strategies)
			model, strategies = plan.Model, plan.Run
		}
		res, err := sim.Run(ctx, model, sim.Options{Workers: 1, Strategies: strategies})
		if err != nil {
			return nil, fmt.Errorf("point %d (%s), replication %d: %w", p, e.Describe(p), rep, err)
		}
		params := e.Labels(p)
		rows := make([]sweep.Row, len(e.Strategies))
		for k := range rows {
			rows[k] = sweep.Row{Point: p, Replication: rep, Strategy: k, Seed: m.Seed, Params: params,
				Outcomes: man.RunOutcomes(res, plan, k)}
			if len(man.Series) > 0 {
				rows[k].Series = man.RunSeries(res, k)
			}
		}
		return rows, nil
	}
}
