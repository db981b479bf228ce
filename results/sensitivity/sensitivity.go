// Package sensitivity estimates how much each parameter of a model moves
// its output: Sobol' indices from a Saltelli sample and Morris's
// elementary effects from one-at-a-time trajectories, each with bootstrap
// intervals.
//
// The designs are those of package qmc: the caller runs the model at each
// row of qmc.Saltelli or qmc.Morris, in order, and hands the outputs (and,
// for Morris, the rows) here. The estimators are SALib's, so that an
// analysis can be checked against SALib on the same numbers.
package sensitivity

import (
	"errors"
	"fmt"
	"math"
	"slices"
)

// Options sets up the bootstrap that gives an analysis its intervals. The
// zero value asks for the defaults.
type Options struct {
	// Resamples is the number of bootstrap resamples; 0 means 1000.
	Resamples int
	// Seed seeds the resampling: the same seed gives the same intervals.
	Seed uint64
	// Confidence is the level of the intervals, between 0 and 1
	// exclusive; 0 means 0.95.
	Confidence float64
}

// DefaultResamples and DefaultConfidence are what zero Options fields mean.
const (
	DefaultResamples  = 1000
	DefaultConfidence = 0.95
)

// withDefaults returns o with its zero fields set to the defaults, or an
// error if a field is out of range.
func (o Options) withDefaults() (Options, error) {
	if o.Resamples == 0 {
		o.Resamples = DefaultResamples
	}
	if o.Confidence == 0 {
		o.Confidence = DefaultConfidence
	}
	if o.Resamples < 0 {
		return o, fmt.Errorf("%d bootstrap resamples: want a positive number (0 for %d)", o.Resamples, DefaultResamples)
	}
	if !(o.Confidence > 0 && o.Confidence < 1) {
		return o, fmt.Errorf("confidence %v: want a level between 0 and 1 exclusive (0 for %v)", o.Confidence, DefaultConfidence)
	}
	return o, nil
}

// An Estimate is a point estimate with its bootstrap percentile interval
// [Low, High].
type Estimate struct {
	Value     float64
	Low, High float64
}

// String formats e as "value [low, high]".
func (e Estimate) String() string {
	return fmt.Sprintf("%.4g [%.4g, %.4g]", e.Value, e.Low, e.High)
}

// errTooFew is returned when fewer than two base points or trajectories
// have defined outputs.
var errTooFew = errors.New("fewer than two left")

// undefined reports whether an output cannot be used: NaN or infinite.
func undefined(y float64) bool { return math.IsNaN(y) || math.IsInf(y, 0) }

// percentiles sorts boot, the bootstrap replicates of one estimate, and
// returns its central interval at level conf, with the quantiles
// interpolated linearly between order statistics (numpy's default).
func percentiles(boot []float64, conf float64) (low, high float64) {
	slices.Sort(boot)
	return quantile(boot, (1-conf)/2), quantile(boot, (1+conf)/2)
}

// quantile returns the p-quantile of the sorted, non-empty xs.
func quantile(xs []float64, p float64) float64 {
	h := p * float64(len(xs)-1)
	lo := int(math.Floor(h))
	if lo >= len(xs)-1 {
		return xs[len(xs)-1]
	}
	return xs[lo] + (h-float64(lo))*(xs[lo+1]-xs[lo])
}
