package attribution

import (
	"slices"

	"github.com/journeysim/journeysim/sim"
)

// Plan adds to a model the counterfactual strategies that measure
// what only a simulator can: each strategy rerun with one channel switched
// off, and rerun without sending any contact, under common random numbers.
// The differences are each channel's true incremental revenue and the
// profit that marketing contact makes.
type Plan struct {
	// Model is the model with the counterfactual strategies appended.
	Model *sim.Model
	// Main are the indices of the strategies asked for.
	Main []int
	// Run are the indices of every strategy to run: Main and their
	// counterfactuals.
	Run []int
	// without[si][c] is the counterfactual of si without channel c, or -1
	// where si has c off; silent[si] is si with every channel as it is but
	// no trigger, or -1 where si has no trigger.
	without map[int][]int
	silent  map[int]int
}

// NewPlan returns the plan for strategies picked of m (nil: all). The
// model is copied; m is not changed.
func NewPlan(m *sim.Model, picked []int) *Plan {
	cp := *m
	cp.Strategies = slices.Clone(m.Strategies)
	p := &Plan{Model: &cp, without: map[int][]int{}, silent: map[int]int{}}
	if picked == nil {
		for k := range m.Strategies {
			picked = append(picked, k)
		}
	}
	p.Main = slices.Clone(picked)
	p.Run = slices.Clone(picked)
	add := func(st sim.Strategy) int {
		cp.Strategies = append(cp.Strategies, st)
		k := len(cp.Strategies) - 1
		p.Run = append(p.Run, k)
		return k
	}
	for _, si := range picked {
		st := m.Strategies[si]
		without := make([]int, len(m.Channels))
		for c := range m.Channels {
			without[c] = -1
			if st.Channels[c] {
				v := st
				v.Name = st.Name + " without " + m.Channels[c].Name
				v.Channels = slices.Clone(st.Channels)
				v.Channels[c] = false
				without[c] = add(v)
			}
		}
		p.without[si] = without
		p.silent[si] = -1
		if len(st.Triggers) > 0 {
			// The same intervention as a holdout: nothing is sent, and
			// every channel stays open to the customers' own moves.
			v := st
			v.Name = st.Name + " without contact"
			v.Triggers = nil
			p.silent[si] = add(v)
		}
	}
	return p
}

// Without returns the index, in Model, of strategy si rerun with channel c
// switched off, or -1 where si has c off.
func (p *Plan) Without(si, c int) int { return p.without[si][c] }

// Silent returns the index, in Model, of strategy si rerun sending no
// contact, or -1 where si sends none anyway (it has no trigger).
func (p *Plan) Silent(si int) int { return p.silent[si] }
