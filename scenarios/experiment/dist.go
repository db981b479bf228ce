package experiment

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/journeysim/journeysim/scenarios"
	"github.com/journeysim/journeysim/sim/text"
	"gonum.org/v1/gonum/stat/distuv"
)

// weights reads a list's weights, if any: one per value, none negative,
// not all zero.
func (c *checker) weights(p *Param, ps paramSpec, path string) bool {
	if len(ps.Weights) == 0 {
		return true
	}
	if len(ps.Weights) != len(p.Values) {
		c.at(ps.Weights[0].Pos, "%s: %s for %s; give one weight per value", path, text.Count(len(ps.Weights), "weight"), text.Count(len(p.Values), "value"))
		return false
	}
	sum := 0.0
	for _, w := range ps.Weights {
		if !(w.V >= 0) || math.IsInf(w.V, 0) {
			c.at(w.Pos, "%s: weight %g: allowed 0 or more", path, w.V)
			return false
		}
		sum += w.V
		p.Weights = append(p.Weights, w.V)
	}
	if sum == 0 {
		c.at(ps.Weights[0].Pos, "%s: the weights add up to 0; give at least one above 0", path)
		return false
	}
	return true
}

// distribution reads a range drawn from a distribution: its kind, its
// parameters, and min and max, which truncate it (and bound a triangular
// or beta distribution, which need them).
func (c *checker) distribution(p *Param, ps paramSpec, path string) bool {
	kind := ps.Distribution.V
	want, ok := Distributions[kind]
	if !ok {
		kinds := slices.Sorted(func(yield func(string) bool) {
			for k := range Distributions {
				if !yield(k) {
					return
				}
			}
		})
		c.at(ps.Distribution.Pos, "%s: distribution %q: allowed %s%s", path, kind, strings.Join(kinds, ", "), text.DidYouMean(kind, kinds))
		return false
	}
	given := map[string]scenarios.Field[float64]{"mean": ps.Mean, "sd": ps.SD, "mu": ps.Mu, "sigma": ps.Sigma,
		"mode": ps.Mode, "alpha": ps.Alpha, "beta": ps.Beta}
	d := &Distribution{Kind: kind, Params: map[string]float64{}}
	good := true
	for _, name := range slices.Sorted(func(yield func(string) bool) {
		for k := range given {
			if !yield(k) {
				return
			}
		}
	}) {
		f := given[name]
		switch {
		case slices.Contains(want, name) && !f.Set:
			c.at(ps.Pos, "%s: a %s distribution needs %s", path, kind, text.List(want, "and"))
			good = false
		case !slices.Contains(want, name) && f.Set:
			c.at(f.Pos, "%s: %s is not a parameter of a %s distribution; it takes %s", path, name, kind, orNone(want))
			good = false
		case f.Set:
			if math.IsNaN(f.V) || math.IsInf(f.V, 0) {
				c.at(f.Pos, "%s: %s %g: allowed a finite number", path, name, f.V)
				good = false
			}
			d.Params[name] = f.V
		}
	}
	if ps.Steps.Set {
		c.at(ps.Steps.Pos, "%s: steps is for grids; a distribution is drawn from, not stepped through", path)
		good = false
	}
	if !good {
		return false
	}
	p.Min, p.Max, p.Integer = math.Inf(-1), math.Inf(1), ps.Integer.V
	if ps.Min.Set {
		p.Min = ps.Min.V
	}
	if ps.Max.Set {
		p.Max = ps.Max.V
	}
	bounded := kind == "uniform" || kind == "triangular" || kind == "beta"
	switch {
	case bounded && !(ps.Min.Set && ps.Max.Set):
		c.at(ps.Pos, "%s: a %s distribution needs min and max", path, kind)
		return false
	case !(p.Min < p.Max):
		c.at(ps.Max.Pos, "%s: max %g must be above min %g", path, p.Max, p.Min)
		return false
	}
	for name, v := range d.Params {
		switch {
		case (name == "sd" || name == "sigma" || name == "alpha" || name == "beta") && !(v > 0):
			c.at(given[name].Pos, "%s: %s %g: allowed above 0", path, name, v)
			return false
		case name == "mode" && !(v >= p.Min && v <= p.Max):
			c.at(given[name].Pos, "%s: mode %g: allowed from min %g to max %g", path, v, p.Min, p.Max)
			return false
		case kind == "lognormal" && name == "mu" && v+6*d.Params["sigma"] > 700:
			c.at(given[name].Pos, "%s: a lognormal distribution with mu %g reaches beyond the largest number", path, v)
			return false
		}
	}
	if kind != "uniform" {
		p.Dist = d
	}
	if lo, hi := p.span(); !(hi > lo) {
		c.at(ps.Pos, "%s: the %s distribution has next to no values between min %g and max %g", path, kind, p.Min, p.Max)
		return false
	}
	return true
}

func orNone(names []string) string {
	if len(names) == 0 {
		return "none"
	}
	return text.List(names, "and")
}

// quantiler is a distribution's cumulative distribution function and its
// inverse.
type quantiler interface {
	CDF(x float64) float64
	Quantile(p float64) float64
}

// law returns p's distribution over the real line (before truncation),
// with the scale a beta distribution on min to max needs.
func (p Param) law() (q quantiler, lo, scale float64) {
	d := p.Dist
	switch d.Kind {
	case "normal":
		return distuv.Normal{Mu: d.Params["mean"], Sigma: d.Params["sd"]}, 0, 1
	case "lognormal":
		return distuv.LogNormal{Mu: d.Params["mu"], Sigma: d.Params["sigma"]}, 0, 1
	case "triangular":
		return distuv.NewTriangle(p.Min, p.Max, d.Params["mode"], nil), 0, 1
	case "beta":
		return distuv.Beta{Alpha: d.Params["alpha"], Beta: d.Params["beta"]}, p.Min, p.Max - p.Min
	}
	return nil, 0, 1
}

// tail is the probability left out at either end of a distribution that
// min and max do not bound: values beyond its quantiles at tail and 1 −
// tail are not drawn.
const tail = 1e-9

// span returns the smallest and largest values p may take.
func (p Param) span() (lo, hi float64) {
	if p.Dist == nil {
		return p.Min, p.Max
	}
	return p.drawn(0), p.drawn(1)
}

// drawn maps u in [0, 1] to a value of p's distribution, truncated to Min
// and Max: its quantile at u of the probability between them. An
// unbounded end is cut at the quantile tail (or 1 − tail).
func (p Param) drawn(u float64) float64 {
	q, lo, scale := p.law()
	cdf := func(x float64) float64 { return q.CDF((x - lo) / scale) }
	a, b := tail, 1-tail
	if !math.IsInf(p.Min, 0) {
		a = cdf(p.Min)
	}
	if !math.IsInf(p.Max, 0) {
		b = cdf(p.Max)
	}
	x := lo + scale*q.Quantile(a+min(1, max(0, u))*(b-a))
	return min(max(x, p.Min), p.Max)
}

// weighted returns the value of a weighted list at u in [0, 1).
func (p Param) weighted(u float64) scenarios.Value {
	total := 0.0
	for _, w := range p.Weights {
		total += w
	}
	cum := 0.0
	for i, w := range p.Weights {
		cum += w / total
		if u < cum && w > 0 {
			return p.Values[i]
		}
	}
	last := len(p.Values) - 1
	for p.Weights[last] == 0 {
		last--
	}
	return p.Values[last]
}

// fieldRange finds the range of numbers the scenario allows parameter k's
// field, by loading it with the field at a value far out on either side
// and reading the range the refusal names. An end the scenario does not
// refuse, or refuses without naming a range, is left infinite.
func (e *Experiment) fieldRange(k int, opt scenarios.Options) scenarios.Range {
	r := scenarios.Range{Lo: math.Inf(-1), Hi: math.Inf(1), Set: true}
	far := 1e300
	if e.Params[k].Integer {
		far = 1e12 // whole, so that integer fields read it
	}
	for _, probe := range []float64{-far, far} {
		over := make([]scenarios.Override, len(e.Params))
		for j, p := range e.Params {
			over[j] = scenarios.Override{Path: p.Path, Value: p.first()}
		}
		over[k].Value = scenarios.NumberValue(probe)
		data, err := scenarios.Apply(e.Scenario.Data, over)
		if err != nil {
			continue
		}
		_, err = scenarios.LoadWith(e.scenarioName(), data, opt)
		var list scenarios.ErrorList
		if !errors.As(err, &list) {
			continue
		}
		for _, le := range list {
			if le.Allowed.Set {
				r.Lo, r.Hi = max(r.Lo, le.Allowed.Lo), min(r.Hi, le.Allowed.Hi)
				break
			}
		}
	}
	return r
}

// first is a value p takes: its first value, the lowest of its range,
// or its distribution's median (a whole number if p takes only those).
func (p Param) first() scenarios.Value {
	switch {
	case !p.IsRange():
		return p.Values[0]
	case p.Dist != nil:
		return p.at(0.5)
	}
	return scenarios.NumberValue(p.Min)
}

// truncateToFields cuts each distribution that min and max do not bound
// to the range its field allows, so that no draw is refused.
func (e *Experiment) truncateToFields(opt scenarios.Options) error {
	for k := range e.Params {
		p := &e.Params[k]
		if p.Dist == nil || (!math.IsInf(p.Min, 0) && !math.IsInf(p.Max, 0)) {
			continue
		}
		r := e.fieldRange(k, opt)
		if !math.IsInf(r.Lo, 0) && math.IsInf(p.Min, -1) {
			p.Min = r.Lo
		}
		if !math.IsInf(r.Hi, 0) && math.IsInf(p.Max, 1) {
			p.Max = r.Hi
		}
		if lo, hi := p.span(); !(hi > lo) {
			return fmt.Errorf("%s: the %s distribution has next to no values in the range its field allows, %g to %g", p.Path, p.Dist.Kind, p.Min, p.Max)
		}
	}
	return nil
}
