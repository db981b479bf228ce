package results

import (
	"context"
	"fmt"

	"github.com/journeysim/journeysim/results/attribution"
	"github.com/journeysim/journeysim/sim"
)

// RunOptions control Run.
type RunOptions struct {
	// Sim are the engine's options; Strategies picks the strategies to
	// compare (nil: all). With Attribution, Paths is set and the
	// counterfactual strategies are added to those run.
	Sim sim.Options
	// Attribution also reruns each strategy with each of its channels
	// switched off, and with no contact, to measure each channel's true
	// incremental revenue and ROMI, and credits revenue to channels by
	// every attribution model.
	Attribution bool
	// Summary are Summarize's options; Truth and DecayHalfLife are set by
	// Run.
	Summary Options
}

// Run simulates m and summarizes it: sim.Run, with the counterfactual
// reruns attribution needs when asked, then Summarize. A run cancelled
// through ctx is summarized over the replications it completed, with
// Summary.Interrupted set and ctx's error; one that completed none
// returns no summary.
func Run(ctx context.Context, m *sim.Model, o RunOptions) (*Summary, *sim.Result, error) {
	model, opt := m, o.Sim
	var plan *attribution.Plan
	if o.Attribution {
		plan = attribution.NewPlan(m, opt.Strategies)
		model, opt.Strategies, opt.Paths = plan.Model, plan.Run, true
		o.Summary.Truth = plan
		o.Summary.DecayHalfLife = opt.DecayHalfLife
		if o.Summary.DecayHalfLife == 0 {
			o.Summary.DecayHalfLife = sim.DefaultDecayHalfLife
		}
	}
	res, err := sim.Run(ctx, model, opt)
	if res == nil || len(res.Seeds) == 0 {
		return nil, res, err
	}
	sum, serr := Summarize(res, o.Summary)
	if serr != nil {
		return nil, res, fmt.Errorf("summarize %s: %w", m.Name, serr)
	}
	return sum, res, err
}
