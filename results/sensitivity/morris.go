package sensitivity

import (
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// morrisStream is the PCG stream the bootstrap of Morris draws from,
// beside Options.Seed.
const morrisStream = 0x4d4f_5252 // "MORR"

// Effects are the statistics of each parameter's elementary effects,
// estimated from Morris trajectories.
type Effects struct {
	// MuStar is the mean absolute elementary effect, μ*: how much the
	// parameter moves the output, whichever the direction.
	MuStar []Estimate
	// Mu is the mean elementary effect, μ: its sign tells the direction
	// when the effect does not change sign.
	Mu []Estimate
	// Sigma is the standard deviation of the elementary effects, σ (with
	// the n − 1 divisor): how much the effect depends on where it is
	// measured, through non-linearity or interactions.
	Sigma []Estimate
	// Trajectories is the number of trajectories the estimates use.
	Trajectories int
	// Skipped is the number of trajectories left out because one of their
	// outputs is undefined.
	Skipped int
}

// Morris estimates the elementary effects of d parameters from x, the rows
// of qmc.Morris(trajectories, d, levels, seed) in unit-cube coordinates,
// and y, the model's outputs at those rows, in the same order.
//
// Each trajectory is d+1 consecutive rows, each row changing exactly one
// coordinate of the row before, every coordinate once; Morris finds which
// coordinate changed and by how much, so any step sizes will do. The
// elementary effect of parameter i in a trajectory is
//
//	EE_i = (y_after − y_before) / (x_after,i − x_before,i)
//
// over the step that changes coordinate i, and over the trajectories μ* is
// the mean of |EE_i|, μ the mean of EE_i and σ their standard deviation,
// as SALib's morris.analyze computes them.
//
// Each statistic comes with a bootstrap percentile interval: opt.Resamples
// times, the trajectories are resampled with replacement and the
// statistics computed again; the interval runs between the
// (1 ∓ opt.Confidence)/2 quantiles of those. The resampling is drawn from
// opt.Seed alone.
//
// Rows that do not form trajectories are an error naming the first such
// row. A trajectory with an undefined output (NaN or ±Inf) is left out and
// counted in Effects.Skipped; at least two trajectories must remain.
func Morris(x [][]float64, y []float64, d int, opt Options) (Effects, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return Effects{}, fmt.Errorf("sensitivity: Morris effects: %w", err)
	}
	if d < 1 {
		return Effects{}, fmt.Errorf("sensitivity: Morris effects of %d parameters: want at least 1", d)
	}
	if len(x) != len(y) {
		return Effects{}, fmt.Errorf("sensitivity: Morris effects: %d rows but %d outputs", len(x), len(y))
	}
	stride := d + 1
	if len(x)%stride != 0 {
		return Effects{}, fmt.Errorf("sensitivity: Morris effects of %d parameters: %d rows is not a multiple of d+1 = %d (a trajectory has d+1 rows)", d, len(x), stride)
	}
	total := len(x) / stride

	ee := make([]float64, 0, total*d) // trajectory-major
	step, seen := make([]float64, d), make([]bool, d)
	for t := range total {
		if err := trajectoryEffects(x[t*stride:(t+1)*stride], y[t*stride:(t+1)*stride], step, seen); err != nil {
			return Effects{}, fmt.Errorf("sensitivity: Morris effects: trajectory %d (rows %d to %d): %w", t, t*stride, (t+1)*stride-1, err)
		}
		if !slices.ContainsFunc(y[t*stride:(t+1)*stride], undefined) {
			ee = append(ee, step...)
		}
	}
	e := morrisData{ee: ee, d: d, n: len(ee) / d}
	skipped := total - e.n
	if e.n < 2 {
		return Effects{}, fmt.Errorf("sensitivity: Morris effects from %d trajectories, %d of them with undefined outputs: %w", total, skipped, errTooFew)
	}

	out := Effects{
		MuStar:       make([]Estimate, d),
		Mu:           make([]Estimate, d),
		Sigma:        make([]Estimate, d),
		Trajectories: e.n,
		Skipped:      skipped,
	}
	muStar, mu, sigma := make([]float64, d), make([]float64, d), make([]float64, d)
	e.estimate(nil, muStar, mu, sigma)
	for i := range d {
		out.MuStar[i].Value, out.Mu[i].Value, out.Sigma[i].Value = muStar[i], mu[i], sigma[i]
	}

	r := opt.Resamples
	bootStar, bootMu, bootSigma := make([]float64, d*r), make([]float64, d*r), make([]float64, d*r) // parameter-major
	idx := make([]int, e.n)
	rng := rand.New(rand.NewPCG(opt.Seed, morrisStream))
	for b := range r {
		for k := range idx {
			idx[k] = rng.IntN(e.n)
		}
		e.estimate(idx, muStar, mu, sigma)
		for i := range d {
			bootStar[i*r+b], bootMu[i*r+b], bootSigma[i*r+b] = muStar[i], mu[i], sigma[i]
		}
	}
	for i := range d {
		out.MuStar[i].Low, out.MuStar[i].High = percentiles(bootStar[i*r:(i+1)*r], opt.Confidence)
		out.Mu[i].Low, out.Mu[i].High = percentiles(bootMu[i*r:(i+1)*r], opt.Confidence)
		out.Sigma[i].Low, out.Sigma[i].High = percentiles(bootSigma[i*r:(i+1)*r], opt.Confidence)
	}
	return out, nil
}

// trajectoryEffects writes to ee the elementary effect of each parameter
// in one trajectory of rows x and outputs y, or returns an error if the
// rows are not a trajectory. seen, as long as ee, is scratch space.
func trajectoryEffects(x [][]float64, y []float64, ee []float64, seen []bool) error {
	d := len(ee)
	for r, row := range x {
		if len(row) != d {
			return fmt.Errorf("row %d has %d coordinates; want %d", r, len(row), d)
		}
	}
	clear(seen)
	for r := 1; r < len(x); r++ {
		changed := -1
		for i := range d {
			if x[r][i] == x[r-1][i] {
				continue
			}
			if changed >= 0 {
				return fmt.Errorf("row %d changes coordinates %d and %d; want one", r, changed, i)
			}
			changed = i
		}
		switch {
		case changed < 0:
			return fmt.Errorf("row %d changes no coordinate; want one", r)
		case seen[changed]:
			return fmt.Errorf("row %d changes coordinate %d a second time; want each once", r, changed)
		}
		dx := x[r][changed] - x[r-1][changed]
		if math.IsNaN(dx) || math.IsInf(dx, 0) {
			return fmt.Errorf("row %d: coordinate %d changes from %v to %v", r, changed, x[r-1][changed], x[r][changed])
		}
		seen[changed] = true
		ee[changed] = (y[r] - y[r-1]) / dx
	}
	return nil
}

// morrisData holds the elementary effects of n trajectories of d
// parameters, d per trajectory.
type morrisData struct {
	ee   []float64
	d, n int
}

// estimate writes to muStar, mu and sigma the statistics of the
// elementary effects of the trajectories idx (all of them when idx is nil,
// repeats counting again). It allocates nothing.
func (e *morrisData) estimate(idx []int, muStar, mu, sigma []float64) {
	d := e.d
	clear(muStar)
	clear(mu)
	clear(sigma)
	m := e.n
	if idx != nil {
		m = len(idx)
	}
	at := func(k int) []float64 {
		j := k
		if idx != nil {
			j = idx[k]
		}
		return e.ee[j*d : (j+1)*d]
	}
	for k := range m {
		for i, v := range at(k) {
			mu[i] += v
			muStar[i] += math.Abs(v)
		}
	}
	for i := range d {
		mu[i] /= float64(m)
		muStar[i] /= float64(m)
	}
	for k := range m {
		for i, v := range at(k) {
			sigma[i] += (v - mu[i]) * (v - mu[i])
		}
	}
	for i := range d {
		sigma[i] = math.Sqrt(sigma[i] / float64(m-1))
	}
}
