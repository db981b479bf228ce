package qmc_test

import (
	"fmt"

	"github.com/journeysim/journeysim/sim/qmc"
)

func ExampleNewSobol() {
	s, err := qmc.NewSobol(2, 0, false)
	if err != nil {
		fmt.Println(err)
		return
	}
	p := make([]float64, 2)
	for range 4 {
		s.Next(p)
		fmt.Println(p)
	}
	// Output:
	// [0 0]
	// [0.5 0.5]
	// [0.75 0.25]
	// [0.25 0.75]
}

func ExampleSaltelli() {
	const n, d = 4, 2
	rows, err := qmc.Saltelli(n, d, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Base point j has d+2 rows: A_j, AB^(0)_j, AB^(1)_j, B_j.
	a, b := rows[0], rows[d+1]
	fmt.Println(len(rows), rows[1][0] == b[0] && rows[1][1] == a[1], rows[2][0] == a[0] && rows[2][1] == b[1])
	// Output:
	// 16 true true
}

func ExampleMorris() {
	rows, err := qmc.Morris(2, 2, 4, 1)
	if err != nil {
		fmt.Println(err)
		return
	}
	// Two trajectories of d+1 = 3 rows on the grid 0, 1/3, 2/3, 1; each
	// step moves one coordinate by Δ = 2/3.
	for _, r := range rows {
		fmt.Printf("%.3f\n", r)
	}
	// Output:
	// [0.667 1.000]
	// [0.000 1.000]
	// [0.000 0.333]
	// [1.000 0.000]
	// [1.000 0.667]
	// [0.333 0.667]
}
