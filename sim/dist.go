package sim

import (
	"fmt"
	"math"

	"gonum.org/v1/gonum/stat/distuv"
)

// DistKind names a family of attribute distributions.
type DistKind int

// The distribution families a persona attribute may follow.
const (
	Constant DistKind = iota
	Uniform
	Normal
	Beta
	LogNormal
	Categorical
)

var distNames = [...]string{"constant", "uniform", "normal", "beta", "lognormal", "categorical"}

// String returns the name used in scenario files.
func (k DistKind) String() string {
	if int(k) < len(distNames) {
		return distNames[k]
	}
	return fmt.Sprintf("DistKind(%d)", int(k))
}

// Dist is a distribution sampled once per customer (or per purchase, for a
// basket) by inverse transform of a keyed uniform draw, so that a sample
// depends only on its key.
type Dist struct {
	Kind DistKind
	// Params holds the family's parameters: constant [value]; uniform
	// [min, max]; normal [mean, sd]; beta [alpha, beta]; lognormal [mu, sigma].
	Params []float64
	// Levels and Weights describe a categorical distribution: the names of
	// its levels and their probabilities, which add up to 1.
	Levels  []string
	Weights []float64
	// Min and Max clip a numeric sample; NaN means no bound.
	Min, Max float64
}

// ConstantDist returns a distribution that always yields v.
func ConstantDist(v float64) Dist {
	return Dist{Kind: Constant, Params: []float64{v}, Min: math.NaN(), Max: math.NaN()}
}

// Validate reports whether the parameters fit the family.
func (d Dist) Validate() error {
	want := map[DistKind]int{Constant: 1, Uniform: 2, Normal: 2, Beta: 2, LogNormal: 2}
	if d.Kind == Categorical {
		if len(d.Levels) == 0 || len(d.Levels) != len(d.Weights) {
			return fmt.Errorf("categorical needs at least one level with a weight")
		}
		sum := 0.0
		for i, w := range d.Weights {
			if !(w >= 0 && w <= 1) {
				return fmt.Errorf("weight of %q is %g; allowed: 0 to 1", d.Levels[i], w)
			}
			sum += w
		}
		if math.Abs(sum-1) > 1e-9 {
			return fmt.Errorf("weights add up to %g; they must add up to 1", sum)
		}
		return nil
	}
	if n, ok := want[d.Kind]; !ok || len(d.Params) != n {
		return fmt.Errorf("%s takes %d parameters, got %d", d.Kind, want[d.Kind], len(d.Params))
	}
	for _, p := range d.Params {
		if math.IsNaN(p) || math.IsInf(p, 0) {
			return fmt.Errorf("%s parameter %g is not a finite number", d.Kind, p)
		}
	}
	p := d.Params
	switch d.Kind {
	case Uniform:
		if !(p[0] <= p[1]) {
			return fmt.Errorf("uniform [%g, %g]: min must not exceed max", p[0], p[1])
		}
	case Normal:
		if !(p[1] >= 0) {
			return fmt.Errorf("normal sd %g must be at least 0", p[1])
		}
	case Beta:
		if !(p[0] > 0 && p[1] > 0) {
			return fmt.Errorf("beta [%g, %g]: both shape parameters must be above 0", p[0], p[1])
		}
	case LogNormal:
		if !(p[1] >= 0) {
			return fmt.Errorf("lognormal sigma %g must be at least 0", p[1])
		}
		// Its median e^mu must be a finite number, and so must nearly
		// every draw (to six standard deviations).
		if math.IsInf(math.Exp(p[0]+6*p[1]), 0) {
			return fmt.Errorf("lognormal [%g, %g] draws values too large for a number (e^%g); allowed: mu + 6 sigma below 709", p[0], p[1], p[0]+6*p[1])
		}
	}
	if !math.IsNaN(d.Min) && !math.IsNaN(d.Max) && d.Min > d.Max {
		return fmt.Errorf("min %g exceeds max %g", d.Min, d.Max)
	}
	return nil
}

// Quantile returns the sample for the uniform draw u in (0, 1). For a
// categorical distribution it returns the index of the level.
func (d Dist) Quantile(u float64) float64 {
	var x float64
	p := d.Params
	switch d.Kind {
	case Constant:
		x = p[0]
	case Uniform:
		x = distuv.Uniform{Min: p[0], Max: p[1]}.Quantile(u)
	case Normal:
		if p[1] == 0 {
			x = p[0]
		} else {
			x = distuv.Normal{Mu: p[0], Sigma: p[1]}.Quantile(u)
		}
	case Beta:
		x = distuv.Beta{Alpha: p[0], Beta: p[1]}.Quantile(u)
	case LogNormal:
		if p[1] == 0 {
			x = math.Exp(p[0])
		} else {
			x = distuv.LogNormal{Mu: p[0], Sigma: p[1]}.Quantile(u)
		}
	case Categorical:
		acc := 0.0
		for i, w := range d.Weights {
			acc += w
			if u < acc {
				return float64(i)
			}
		}
		return float64(len(d.Weights) - 1)
	}
	if !math.IsNaN(d.Min) && x < d.Min {
		x = d.Min
	}
	if !math.IsNaN(d.Max) && x > d.Max {
		x = d.Max
	}
	return x
}

// Mean returns the distribution's mean before clipping (for a categorical
// distribution, NaN).
func (d Dist) Mean() float64 {
	p := d.Params
	switch d.Kind {
	case Constant:
		return p[0]
	case Uniform:
		return (p[0] + p[1]) / 2
	case Normal:
		return p[0]
	case Beta:
		return p[0] / (p[0] + p[1])
	case LogNormal:
		return math.Exp(p[0] + p[1]*p[1]/2)
	}
	return math.NaN()
}

// Range returns the smallest and largest values a sample of d can take,
// clipping included; ±Inf where the family is unbounded. A categorical
// distribution has none: NaN, NaN.
func (d Dist) Range() (lo, hi float64) {
	switch d.Kind {
	case Constant:
		lo, hi = d.Params[0], d.Params[0]
	case Uniform:
		lo, hi = d.Params[0], d.Params[1]
	case Beta:
		lo, hi = 0, 1
	case LogNormal:
		lo, hi = 0, math.Inf(1)
	case Normal:
		lo, hi = math.Inf(-1), math.Inf(1)
	default:
		return math.NaN(), math.NaN()
	}
	if !math.IsNaN(d.Min) {
		lo, hi = max(lo, d.Min), max(hi, d.Min)
	}
	if !math.IsNaN(d.Max) {
		lo, hi = min(lo, d.Max), min(hi, d.Max)
	}
	return lo, hi
}
