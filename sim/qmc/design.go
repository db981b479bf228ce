package qmc

import (
	"fmt"
	"math/rand/v2"
)

// MaxParams is the largest number of parameters a Saltelli or Morris
// design can vary: a Saltelli design of d parameters draws on a Sobol'
// sequence of 2d dimensions.
const MaxParams = MaxDim / 2

// MaxBase is the largest number of base points of a Saltelli design and of
// trajectories of a Morris design.
const MaxBase = 1 << 24

// morrisStream is the PCG stream a Morris design draws from, beside its
// seed.
const morrisStream = 0x4d6f_7272_6973 // "Morris"

// Saltelli returns Saltelli's (2010) sample for estimating first-order and
// total Sobol' indices of d parameters from n base points, without
// second-order terms: n·(d+2) rows of d coordinates in the unit hypercube.
//
// It takes the first n points of a scrambled Sobol' sequence of 2d
// dimensions (NewSobol(2d, seed, true)); the first d coordinates of base
// point j make the row A_j, the last d the row B_j. The rows are laid out
// base point after base point, d+2 rows each, as SALib's
// saltelli.sample(problem, N, calc_second_order=False) and sobol.sample
// lay them out:
//
//	row j·(d+2)          A_j
//	row j·(d+2) + 1 + i  AB^(i)_j: A_j with coordinate i taken from B_j, for i = 0 … d−1
//	row j·(d+2) + d + 1  B_j
//
// n must be 2 to MaxBase (a power of two balances the sample best) and d 1
// to MaxParams.
func Saltelli(n, d int, seed uint64) ([][]float64, error) {
	if n < 2 || n > MaxBase {
		return nil, fmt.Errorf("qmc: Saltelli sample of %d base points: want 2 to %d", n, MaxBase)
	}
	if d < 1 || d > MaxParams {
		return nil, fmt.Errorf("qmc: Saltelli sample of %d parameters: want 1 to %d", d, MaxParams)
	}
	seq, err := newSobol(2*d, seed, true)
	if err != nil {
		return nil, fmt.Errorf("qmc: Saltelli sample: %w", err)
	}
	stride := d + 2
	rows := make([][]float64, n*stride)
	backing := make([]float64, n*stride*d)
	for r := range rows {
		rows[r] = backing[r*d : (r+1)*d : (r+1)*d]
	}
	base := make([]float64, 2*d)
	for j := range n {
		seq.Next(base)
		a, b := base[:d], base[d:]
		block := rows[j*stride : (j+1)*stride]
		copy(block[0], a)
		for i := range d {
			copy(block[1+i], a)
			block[1+i][i] = b[i]
		}
		copy(block[d+1], b)
	}
	return rows, nil
}

// Morris returns Morris's (1991) one-at-a-time design: trajectories
// random trajectories of d+1 rows each on a grid of levels levels in
// [0, 1], the values k/(levels−1) for k = 0 … levels−1, laid out
// trajectory after trajectory (rows t·(d+1) to t·(d+1)+d are trajectory
// t).
//
// Each trajectory is drawn as SALib's morris.sample draws one without
// optimisation: with Δ = levels / (2(levels−1)), every coordinate starts
// at a random level of the lower half of the grid or Δ above it, and
// each following row changes exactly one coordinate, by +Δ or −Δ, each
// coordinate once, in a random order, so that every row stays on the
// grid. Draws come from a math/rand/v2 PCG generator seeded by seed.
//
// trajectories must be 2 to MaxBase, d 1 to MaxParams, and levels an even
// number from 2 to 100.
func Morris(trajectories, d, levels int, seed uint64) ([][]float64, error) {
	if trajectories < 2 || trajectories > MaxBase {
		return nil, fmt.Errorf("qmc: Morris design of %d trajectories: want 2 to %d", trajectories, MaxBase)
	}
	if d < 1 || d > MaxParams {
		return nil, fmt.Errorf("qmc: Morris design of %d parameters: want 1 to %d", d, MaxParams)
	}
	if levels < 2 || levels > 100 || levels%2 != 0 {
		return nil, fmt.Errorf("qmc: Morris design of %d levels: want an even number from 2 to 100", levels)
	}
	rng := rand.New(rand.NewPCG(seed, morrisStream))
	stride := d + 1
	rows := make([][]float64, trajectories*stride)
	backing := make([]float64, trajectories*stride*d)
	for r := range rows {
		rows[r] = backing[r*d : (r+1)*d : (r+1)*d]
	}
	half := levels / 2
	step := float64(levels - 1)
	low := make([]float64, d)  // each coordinate's lower value
	high := make([]float64, d) // and its value Δ above
	up := make([]bool, d)      // whether the coordinate starts low and steps up
	order := make([]int, d)
	for t := range trajectories {
		for i := range d {
			k := rng.IntN(half)
			low[i], high[i] = float64(k)/step, float64(k+half)/step
			up[i] = rng.IntN(2) == 1
		}
		for i := range order {
			order[i] = i
		}
		rng.Shuffle(d, func(i, j int) { order[i], order[j] = order[j], order[i] })

		traj := rows[t*stride : (t+1)*stride]
		for i := range d {
			if up[i] {
				traj[0][i] = low[i]
			} else {
				traj[0][i] = high[i]
			}
		}
		for r, i := range order {
			copy(traj[r+1], traj[r])
			if up[i] {
				traj[r+1][i] = high[i]
			} else {
				traj[r+1][i] = low[i]
			}
		}
	}
	return rows, nil
}
