package sweep

import (
	"context"
	"math"

	"github.com/journeysim/journeysim/results"
	"github.com/journeysim/journeysim/sim"
)

// RunOptions control Run.
type RunOptions struct {
	// Workers is how many units run at once; less than 1 means 1.
	Workers int
	// Progress, if set, is called once before the first unit and then
	// after each unit appended, with the units done (those the journal
	// held before included) and the total. Calls never overlap.
	Progress func(done, total int)
}

// Run runs every unit of units, in that order, that j does not hold yet,
// Workers at a time, and appends each unit's rows to j as it finishes.
// run(ctx, u) runs unit u and returns its rows, one per strategy; no unit
// starts once ctx is cancelled.
//
// The first error, from run or from appending, stops the sweep and is
// returned. Cancelling ctx stops it too: the units already appended are
// kept, and ctx's error is returned, unless every unit was done by then.
func Run(ctx context.Context, j *Journal, units []int, opt RunOptions, run func(ctx context.Context, u int) ([]Row, error)) error {
	var todo []int
	for _, u := range units {
		if !j.Done(u) {
			todo = append(todo, u)
		}
	}
	total, done := len(units), len(units)-len(todo)
	if opt.Progress != nil {
		opt.Progress(done, total)
	}
	do := func(ctx context.Context, _, i int) ([]Row, error) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		return run(ctx, todo[i])
	}
	appendRows := func(_ int, rows []Row) error {
		if err := j.Append(rows); err != nil {
			return err
		}
		done++
		if opt.Progress != nil {
			opt.Progress(done, total)
		}
		return nil
	}
	return sim.Schedule(ctx, sim.ScheduleOptions{Workers: opt.Workers}, len(todo), do, appendRows)
}

// Select returns the units of units that belong to the shard, in order.
func (s Shard) Select(units []int) []int {
	var out []int
	for _, u := range units {
		if s.Has(u) {
			out = append(out, u)
		}
	}
	return out
}

// Recordable lists the outcomes a sweep can record for runs of m: the
// keys of the metrics (results.Metrics) that a run of m measures without
// counterfactual reruns, and of those the headline ones. It is the
// catalogue that reading an experiment file (experiment.Options.Outcomes)
// checks the outcomes it names against.
func Recordable(m *sim.Model) (keys, headline []string) {
	for _, met := range results.Metrics {
		if results.Unavailable(met.Key, m, false) != "" {
			continue
		}
		keys = append(keys, met.Key)
		if met.Headline {
			headline = append(headline, met.Key)
		}
	}
	return keys, headline
}

// OutcomesOf returns a manifest's entries for the outcomes keys, each with
// the direction in which its metric improves (none for a per-channel
// outcome but the true incremental revenue).
func OutcomesOf(keys []string) []Outcome {
	var out []Outcome
	for _, key := range keys {
		o := Outcome{Key: key}
		if spec, ok := parseOutcome(key); ok {
			_, _, _, _, better := spec.describe()
			o.Better = int(better)
		}
		out = append(out, o)
	}
	return out
}

// OutcomeValues returns the values of m's outcomes in the totals t of one
// strategy in one replication of model: a row's Outcomes. An outcome that
// names no metric of results.Metrics is NaN, which the runs table leaves
// empty; RunOutcomes measures the others (ROMI, per-channel outcomes)
// from the whole run.
func (m *Manifest) OutcomeValues(t *sim.Totals, model *sim.Model) []float64 {
	out := make([]float64, len(m.Outcomes))
	for k, o := range m.Outcomes {
		out[k] = math.NaN()
		if i := results.MetricIndex(o.Key); i >= 0 {
			out[k] = results.Metrics[i].Value(t, model)
		}
	}
	return out
}
