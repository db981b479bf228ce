package sensitivity

import (
	"fmt"
	"math/rand/v2"
	"slices"
)

// sobolStream is the PCG stream the bootstrap of Sobol draws from, beside
// Options.Seed.
const sobolStream = 0x5341_4c54 // "SALT"

// Indices are the Sobol' indices of each parameter, estimated from a
// Saltelli sample.
type Indices struct {
	// S1 is each parameter's first-order index: the share of the output's
	// variance it explains on its own.
	S1 []Estimate
	// ST is each parameter's total index: the share of the variance it
	// explains on its own and through its interactions with others.
	ST []Estimate
	// Variance is the variance of the outputs of the A and B rows.
	Variance float64
	// N is the number of base points the estimates use.
	N int
	// Skipped is the number of base points left out because one of their
	// outputs is undefined.
	Skipped int
}

// Sobol estimates the first-order and total Sobol' indices of d parameters
// from y, the model's outputs at the rows of qmc.Saltelli(N, d, seed), in
// the same order: for base point j, y[j·(d+2)] is f(A_j),
// y[j·(d+2)+1+i] is f(AB^(i)_j) and y[j·(d+2)+d+1] is f(B_j).
//
// The first-order index of parameter i is Saltelli's (2010) estimator and
// the total index Jansen's, as SALib's sobol.analyze computes them:
//
//	S1_i = mean(f_B · (f_ABi − f_A)) / V
//	ST_i = mean((f_A − f_ABi)²) / 2 / V
//
// where the means run over the base points and V is the (population)
// variance of the A and B outputs together. The outputs are first centred
// on the mean of them all (SALib standardises them), which keeps the
// estimates accurate for outputs far from zero. Estimates are not clipped:
// an index near 0 can come out slightly negative. When the outputs do not
// vary, every index is 0.
//
// Each index comes with a bootstrap percentile interval: opt.Resamples
// times, the base points are resampled with replacement and the indices
// estimated again, variance included, from the resampled points; the
// interval runs between the (1 ∓ opt.Confidence)/2 quantiles of those
// estimates. The resampling is drawn from opt.Seed alone, so the result is
// a pure function of the arguments.
//
// A base point with an undefined output (NaN or ±Inf) in any of its d+2
// rows is left out, all its rows with it, and counted in Indices.Skipped;
// at least two base points must remain.
func Sobol(y []float64, d int, opt Options) (Indices, error) {
	opt, err := opt.withDefaults()
	if err != nil {
		return Indices{}, fmt.Errorf("sensitivity: Sobol indices: %w", err)
	}
	if d < 1 {
		return Indices{}, fmt.Errorf("sensitivity: Sobol indices of %d parameters: want at least 1", d)
	}
	stride := d + 2
	if len(y)%stride != 0 {
		return Indices{}, fmt.Errorf("sensitivity: Sobol indices of %d parameters: %d outputs is not a multiple of d+2 = %d (a Saltelli sample has d+2 rows per base point)", d, len(y), stride)
	}
	total := len(y) / stride

	// Keep the base points whose outputs are all defined, centred on their
	// mean.
	kept := make([]float64, 0, len(y))
	for j := range total {
		rows := y[j*stride : (j+1)*stride]
		if !slices.ContainsFunc(rows, undefined) {
			kept = append(kept, rows...)
		}
	}
	e := sobolData{y: kept, d: d, n: len(kept) / stride}
	skipped := total - e.n
	if e.n < 2 {
		return Indices{}, fmt.Errorf("sensitivity: Sobol indices from %d base points, %d of them with undefined outputs: %w", total, skipped, errTooFew)
	}
	mean := 0.0
	for _, v := range kept {
		mean += v
	}
	mean /= float64(len(kept))
	for k := range kept {
		kept[k] -= mean
	}

	out := Indices{
		S1:      make([]Estimate, d),
		ST:      make([]Estimate, d),
		N:       e.n,
		Skipped: skipped,
	}
	s1, st := make([]float64, d), make([]float64, d)
	out.Variance = e.estimate(nil, s1, st)
	for i := range d {
		out.S1[i].Value, out.ST[i].Value = s1[i], st[i]
	}

	r := opt.Resamples
	boot1, bootT := make([]float64, d*r), make([]float64, d*r) // parameter-major
	idx := make([]int, e.n)
	rng := rand.New(rand.NewPCG(opt.Seed, sobolStream))
	for b := range r {
		for k := range idx {
			idx[k] = rng.IntN(e.n)
		}
		e.estimate(idx, s1, st)
		for i := range d {
			boot1[i*r+b], bootT[i*r+b] = s1[i], st[i]
		}
	}
	for i := range d {
		out.S1[i].Low, out.S1[i].High = percentiles(boot1[i*r:(i+1)*r], opt.Confidence)
		out.ST[i].Low, out.ST[i].High = percentiles(bootT[i*r:(i+1)*r], opt.Confidence)
	}
	return out, nil
}

// sobolData holds the centred outputs of a Saltelli sample's n base points
// of d parameters, d+2 outputs each.
type sobolData struct {
	y    []float64
	d, n int
}

// estimate writes to s1 and st the indices estimated from the base points
// idx (all of them when idx is nil, repeats counting again) and returns
// the variance of their A and B outputs. It allocates nothing.
func (e *sobolData) estimate(idx []int, s1, st []float64) (variance float64) {
	d, stride := e.d, e.d+2
	clear(s1)
	clear(st)
	m := e.n
	if idx != nil {
		m = len(idx)
	}
	var sum, sum2 float64
	for k := range m {
		j := k
		if idx != nil {
			j = idx[k]
		}
		row := e.y[j*stride : (j+1)*stride]
		a, b := row[0], row[d+1]
		sum += a + b
		sum2 += a*a + b*b
		for i, ab := range row[1 : d+1] {
			s1[i] += b * (ab - a)
			st[i] += (a - ab) * (a - ab)
		}
	}
	count := float64(2 * m)
	mean := sum / count
	variance = sum2/count - mean*mean
	if !(variance > 0) {
		clear(s1)
		clear(st)
		return 0
	}
	for i := range d {
		s1[i] /= float64(m) * variance
		st[i] /= 2 * float64(m) * variance
	}
	return variance
}
