package attribution_test

import (
	"fmt"

	"github.com/journeysim/journeysim/results/attribution"
)

// Four paths over the channels email (0) and search (1):
// email→purchase, search→purchase, email→search→purchase and search→nothing,
// with 330 of revenue from the three purchases.
func ExampleMarkovCredit() {
	// Rows: from email, search, start. Columns: to email, search,
	// conversion, null.
	trans := [][]float64{
		{0, 1, 1, 0}, // email→search once, email→conversion once
		{0, 0, 2, 1}, // search→conversion twice, search→null once
		{2, 2, 0, 0}, // two paths start with email, two with search
	}
	effects, err := attribution.RemovalEffects(trans)
	if err != nil {
		panic(err)
	}
	credits, err := attribution.MarkovCredit(trans, 330)
	if err != nil {
		panic(err)
	}
	for i, name := range []string{"email", "search"} {
		fmt.Printf("%-6s removal effect %.4f  credit %.2f\n", name, effects[i], credits[i])
	}
	// Output:
	// email  removal effect 0.5556  credit 150.00
	// search removal effect 0.6667  credit 180.00
}

// Paths over the channels email (bit 0), search (bit 1) and display (bit 2),
// keyed by the set of channels each touched: 4 paths touched nothing and did
// not convert, 2 touched only email and brought 20 of revenue, and so on.
func ExampleShapley() {
	sets := map[uint32]attribution.PathSet{
		0b000: {Paths: 4, Revenue: 0},
		0b001: {Paths: 2, Revenue: 20},
		0b010: {Paths: 2, Revenue: 0},
		0b011: {Paths: 2, Revenue: 40},
		0b111: {Paths: 2, Revenue: 60},
	}
	credits, err := attribution.Shapley(sets, 3)
	if err != nil {
		panic(err)
	}
	for i, name := range []string{"email", "search", "display"} {
		fmt.Printf("%-7s %6.2f\n", name, credits[i])
	}
	// Output:
	// email    72.00
	// search   32.00
	// display  16.00
}
