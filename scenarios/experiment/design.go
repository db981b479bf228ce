package experiment

import (
	"fmt"
	"math"
	"math/rand/v2"
	"strings"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim/qmc"
)

// points lays out the design's points over params. A grid takes every
// combination, the first parameter varying slowest; a random design draws
// each value independently; a Latin hypercube cuts each parameter's range
// into as many equal strata as there are points and takes each stratum
// exactly once, in an order shuffled independently per parameter. Draws
// come from the experiment's seed alone.
func (d Design) points(params []Param, seed uint64) ([][]scenarios.Value, error) {
	rng := rand.New(rand.NewPCG(seed, 0x5eed_de5e_ed00))
	switch d.Kind {
	case "grid":
		axes := make([][]scenarios.Value, len(params))
		n := 1
		for k, p := range params {
			axes[k] = p.gridValues()
			n *= len(axes[k])
		}
		out := make([][]scenarios.Value, n)
		for i := range out {
			row := make([]scenarios.Value, len(params))
			rest := i
			for k := len(params) - 1; k >= 0; k-- {
				row[k] = axes[k][rest%len(axes[k])]
				rest /= len(axes[k])
			}
			out[i] = row
		}
		return out, nil
	case "random":
		out := make([][]scenarios.Value, d.Points)
		for i := range out {
			out[i] = make([]scenarios.Value, len(params))
			for k, p := range params {
				out[i][k] = p.at(rng.Float64())
			}
		}
		return out, nil
	case "lhs":
		out := make([][]scenarios.Value, d.Points)
		for i := range out {
			out[i] = make([]scenarios.Value, len(params))
		}
		for k, p := range params {
			perm := rng.Perm(d.Points)
			for i := range out {
				u := (float64(perm[i]) + rng.Float64()) / float64(d.Points)
				out[i][k] = p.at(u)
			}
		}
		return out, nil
	case "sobol", "morris":
		// The sample lays out the parameters that vary; those with one
		// value keep it at every point.
		var varied []int
		for k, p := range params {
			if p.Varied() {
				varied = append(varied, k)
			}
		}
		var unit [][]float64
		var err error
		if d.Kind == "sobol" {
			unit, err = qmc.Saltelli(d.Points, len(varied), seed)
		} else {
			unit, err = qmc.Morris(d.Trajectories, len(varied), d.Levels, seed)
		}
		if err != nil {
			return nil, err
		}
		out := make([][]scenarios.Value, len(unit))
		for i, row := range unit {
			out[i] = make([]scenarios.Value, len(params))
			for k, p := range params {
				if !p.Varied() {
					out[i][k] = p.Values[0]
				}
			}
			for j, k := range varied {
				u := row[j]
				if d.Kind == "morris" {
					u = d.levelProbability(u, params[k])
				}
				out[i][k] = params[k].at(u)
			}
		}
		return out, nil
	}
	return nil, fmt.Errorf("design kind %q: allowed %s", d.Kind, strings.Join(Designs, ", "))
}

// levelProbability maps a Morris level u (a multiple of 1/(levels − 1)
// from 0 to 1) to where it is drawn in p's range: u itself for a uniform
// range, whose ends are values like any other; the middle of the u-th of
// Levels equal slices of probability for a distribution or a list, whose
// quantile at 0 or 1 may be unbounded or one value's edge.
func (d Design) levelProbability(u float64, p Param) float64 {
	if p.IsRange() && p.Dist == nil {
		return u
	}
	return (u*float64(d.Levels-1) + 0.5) / float64(d.Levels)
}

// size is the number of points the design has over params.
func (d Design) size(params []Param) int {
	varied := 0
	for _, p := range params {
		if p.Varied() {
			varied++
		}
	}
	switch d.Kind {
	case "sobol":
		return d.Points * (varied + 2)
	case "morris":
		return d.Trajectories * (varied + 1)
	case "random", "lhs":
		return d.Points
	}
	n := 1
	for _, p := range params {
		n *= len(p.gridValues())
	}
	return n
}

// gridValues are the values a grid takes of p: its list, or Steps evenly
// spaced values from Min to Max (whole numbers for an integer range,
// without repeats).
func (p Param) gridValues() []scenarios.Value {
	if !p.IsRange() {
		return p.Values
	}
	var out []scenarios.Value
	for s := 0; s < p.Steps; s++ {
		v := p.Min + (p.Max-p.Min)*float64(s)/float64(p.Steps-1)
		if p.Integer {
			v = math.Round(v)
			if len(out) > 0 && out[len(out)-1].Number == v {
				continue
			}
		}
		out = append(out, scenarios.NumberValue(v))
	}
	return out
}

// at maps u in [0, 1) to a value of p: a point of its range (a whole
// number in an integer range, each equally likely), a draw from its
// distribution, or one of its values (as likely as its weight says).
func (p Param) at(u float64) scenarios.Value {
	if !p.IsRange() {
		if p.Weights != nil {
			return p.weighted(u)
		}
		return p.Values[min(len(p.Values)-1, int(u*float64(len(p.Values))))]
	}
	if p.Dist != nil {
		x := p.drawn(u)
		if p.Integer {
			x = min(max(math.Round(x), math.Ceil(p.Min)), math.Floor(p.Max))
		}
		return scenarios.NumberValue(x)
	}
	if p.Integer {
		n := p.Max - p.Min + 1
		return scenarios.NumberValue(p.Min + math.Min(n-1, math.Floor(u*n)))
	}
	return scenarios.NumberValue(p.Min + u*(p.Max-p.Min))
}
