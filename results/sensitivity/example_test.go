package sensitivity_test

import (
	"fmt"

	"github.com/journeysim/journeysim/results/sensitivity"
	"github.com/journeysim/journeysim/sim/qmc"
)

// Sobol' indices of f = x1 + 2·x2 + 4·(x1 − ½)(x3 − ½) over the unit cube.
// Analytically S1 = 0.16, 0.63, 0 and ST = 0.37, 0.63, 0.21: x2 matters
// most; x3 acts only through its interaction with x1, so its first-order
// index is 0 and its total index is not. (An estimate of an index of 0 can
// fall just below it.)
func ExampleSobol() {
	const n, d = 1024, 3
	rows, err := qmc.Saltelli(n, d, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	y := make([]float64, len(rows))
	for r, x := range rows {
		y[r] = x[0] + 2*x[1] + 4*(x[0]-0.5)*(x[2]-0.5)
	}
	idx, err := sensitivity.Sobol(y, d, sensitivity.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range d {
		s1, st := idx.S1[i], idx.ST[i]
		fmt.Printf("x%d: S1 %5.2f [%5.2f, %5.2f]  ST %.2f [%.2f, %.2f]\n", i+1, s1.Value, s1.Low, s1.High, st.Value, st.Low, st.High)
	}
	// Output:
	// x1: S1  0.16 [ 0.11,  0.21]  ST 0.37 [0.32, 0.42]
	// x2: S1  0.63 [ 0.57,  0.69]  ST 0.63 [0.59, 0.68]
	// x3: S1 -0.00 [-0.04,  0.04]  ST 0.21 [0.19, 0.23]
}

// Morris screening of f = 4·x1 + x2² over the unit square: x1 moves the
// output most and linearly (σ = 0); x2's effect depends on where it is
// measured (σ > 0).
func ExampleMorris() {
	const trajectories, d, levels = 20, 2, 4
	x, err := qmc.Morris(trajectories, d, levels, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	y := make([]float64, len(x))
	for r, u := range x {
		y[r] = 4*u[0] + u[1]*u[1]
	}
	eff, err := sensitivity.Morris(x, y, d, sensitivity.Options{Seed: 1})
	if err != nil {
		fmt.Println(err)
		return
	}
	for i := range d {
		m, s := eff.MuStar[i], eff.Sigma[i]
		fmt.Printf("x%d: μ* %.2f [%.2f, %.2f]  σ %.2f [%.2f, %.2f]\n", i+1, m.Value, m.Low, m.High, s.Value, s.Low, s.High)
	}
	// Output:
	// x1: μ* 4.00 [4.00, 4.00]  σ 0.00 [0.00, 0.00]
	// x2: μ* 1.03 [0.90, 1.17]  σ 0.34 [0.30, 0.34]
}
