package scenarios

import (
	"fmt"
	"slices"

	"github.com/journeysim/journeysim/sim"
)

// didYouMean returns a hint naming the candidate closest to name, when one
// is close enough to be a likely typo, or "".
func didYouMean(name string, candidates []string) string {
	limit := 1
	switch n := len([]rune(name)); {
	case n >= 9:
		limit = 3
	case n >= 4:
		limit = 2
	}
	best, bestD := "", limit+1
	for _, c := range candidates {
		if d := editDistance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == "" || best == name {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// editDistance is the Levenshtein distance between a and b.
func editDistance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// exprNames lists every name an expression of m may use.
func exprNames(m *sim.Model) []string {
	names := sim.ReservedNames()
	for _, a := range m.Population.Attributes {
		names = append(names, a.Name)
	}
	slices.Sort(names)
	return names
}
