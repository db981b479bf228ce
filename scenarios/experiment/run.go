package experiment

import (
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"sync"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/results/output"
	"github.com/journeysim/journeysim/results/sweep"
	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim"
)

// Manifest describes the experiment's sweep folder for shard.
func (e *Experiment) Manifest(shard sweep.Shard, version, command string) *sweep.Manifest {
	m := &sweep.Manifest{Version: version, Experiment: e.Name, ExperimentSHA256: e.Hash,
		ScenarioOrigin: e.Scenario.Origin, ScenarioSHA256: output.Hash(e.Scenario.Data),
		Seed: strconv.FormatUint(e.Seed, 10), Points: len(e.Points), Replications: e.Replications,
		Strategies: e.Strategies, Shard: shard, Command: command}
	for _, p := range e.Params {
		m.Params = append(m.Params, sweep.ParamInfo{Path: p.Path, Numeric: p.Numeric()})
	}
	for _, key := range e.Outcomes {
		m.Outcomes = append(m.Outcomes, sweep.Outcome{Key: key, Better: int(metric(key).Better)})
	}
	for u := range e.Units() {
		if shard.Has(u) {
			m.Units++
		}
	}
	return m
}

func metric(key string) results.Metric {
	for _, m := range results.Metrics {
		if m.Key == key {
			return m
		}
	}
	return results.Metric{Key: key}
}

// Units is the number of (point, replication) runs; unit u is point
// u / Replications, replication u % Replications.
func (e *Experiment) Units() int { return len(e.Points) * e.Replications }

// Order returns the units in the order a sweep runs them: replication by
// replication, and the points of each in an order shuffled from the seed,
// so that a sweep cut short has covered the whole design rather than a
// corner of it.
func (e *Experiment) Order() []int {
	perm := rand.New(rand.NewPCG(e.Seed, 0x0de7)).Perm(len(e.Points))
	out := make([]int, 0, e.Units())
	for r := range e.Replications {
		for _, p := range perm {
			out = append(out, p*e.Replications+r)
		}
	}
	return out
}

// Command returns the journeysim run command line that repeats one
// strategy's run of point p, replication rep, on its own.
func (e *Experiment) Command(p, rep int, strategy string) string {
	scenario := e.Scenario.Origin
	if n, ok := strings.CutPrefix(scenario, "builtin:"); ok {
		scenario = n
	}
	parts := []string{"journeysim run", ShellQuote(scenario)}
	for _, o := range e.Overrides(p) {
		parts = append(parts, "--set", ShellQuote(o.Path+"="+o.Value.String()))
	}
	parts = append(parts, "--seed", strconv.FormatUint(e.RunSeed(p, rep), 10), "--reps 1 --strategies", ShellQuote(strategy))
	return strings.Join(parts, " ")
}

// ShellQuote quotes s for a POSIX shell unless it is plain.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// RunOptions control a sweep.
type RunOptions struct {
	// Workers is how many runs go at once; each run uses one core.
	Workers int
	// Shard selects the units to run; the zero value runs them all.
	Shard sweep.Shard
	// Plugins serves plugin behaviours.
	Plugins scenarios.Plugins
	// Progress, if set, is called after each unit with the units done
	// (including those done before a resume) and the total. Calls never
	// overlap.
	Progress func(done, total int)
}

// Run runs every unit of the shard that j does not hold yet, Workers at a
// time, appending each to j as it finishes. Cancelling ctx stops it: the
// units already appended are kept, and ctx's error is returned.
func (e *Experiment) Run(ctx context.Context, j *sweep.Journal, opt RunOptions) error {
	var todo []int
	total, done := 0, 0
	for _, u := range e.Order() {
		if !opt.Shard.Has(u) {
			continue
		}
		total++
		if j.Done(u) {
			done++
			continue
		}
		todo = append(todo, u)
	}
	if opt.Progress != nil {
		opt.Progress(done, total)
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var (
		mu       sync.Mutex
		firstErr error
		wg       sync.WaitGroup
	)
	fail := func(err error) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr == nil {
			firstErr = err
			cancel()
		}
	}
	units := make(chan int)
	for range max(1, opt.Workers) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range units {
				rows, err := e.runUnit(ctx, u, opt.Plugins)
				if err != nil {
					if ctx.Err() == nil {
						fail(err)
					}
					continue
				}
				mu.Lock()
				err = j.Append(rows)
				if err == nil {
					done++
					if opt.Progress != nil {
						opt.Progress(done, total)
					}
				}
				mu.Unlock()
				if err != nil {
					fail(err)
				}
			}
		}()
	}
feed:
	for _, u := range todo {
		select {
		case units <- u:
		case <-ctx.Done():
			break feed
		}
	}
	close(units)
	wg.Wait()
	if firstErr != nil {
		return firstErr
	}
	if done == total {
		return nil // complete, whatever came after the last run
	}
	return ctx.Err()
}

// runUnit runs every strategy of point u / R, replication u % R, and
// returns a row per strategy.
func (e *Experiment) runUnit(ctx context.Context, u int, plugins scenarios.Plugins) ([]sweep.Row, error) {
	p, rep := u/e.Replications, u%e.Replications
	m, err := e.Model(p, scenarios.Options{Plugins: plugins})
	if err != nil {
		return nil, err
	}
	seed := e.RunSeed(p, rep)
	m.Seed, m.Replications = seed, 1
	var picked []int
	for _, name := range e.Strategies {
		picked = append(picked, m.StrategyIndex(name))
	}
	res, err := sim.Run(ctx, m, sim.Options{Workers: 1, Strategies: picked})
	if err != nil {
		return nil, fmt.Errorf("point %d (%s), replication %d: %w", p, e.Describe(p), rep, err)
	}
	params := make([]string, len(e.Params))
	for k := range e.Params {
		params[k] = e.Points[p][k].String()
	}
	rows := make([]sweep.Row, len(picked))
	for k := range picked {
		tot := &res.Totals[k][0]
		row := sweep.Row{Point: p, Replication: rep, Strategy: k, Seed: seed, Params: params}
		for _, key := range e.Outcomes {
			row.Outcomes = append(row.Outcomes, metric(key).Value(tot, m))
		}
		rows[k] = row
	}
	return rows, nil
}
