package text

import (
	"fmt"
	"strings"
)

// EditDistance returns the Levenshtein distance between a and b: the
// fewest insertions, deletions and substitutions of a character (a rune)
// that turn a into b.
func EditDistance(a, b string) int {
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

// TypoEdits returns how many edits a name typed wrong plausibly holds: 1
// for a name of up to 3 characters, 2 for up to 8, 3 for a longer one.
func TypoEdits(name string) int {
	switch n := len([]rune(name)); {
	case n >= 9:
		return 3
	case n >= 4:
		return 2
	}
	return 1
}

// Suggest returns the candidate nearest to name by EditDistance, the first
// one on a tie, when it is at most maxEdits away; it returns "" when none
// is, or when the nearest is name itself.
func Suggest(name string, candidates []string, maxEdits int) string {
	best, bestD := "", maxEdits+1
	for _, c := range candidates {
		if d := EditDistance(name, c); d < bestD {
			best, bestD = c, d
		}
	}
	if best == name {
		return ""
	}
	return best
}

// DidYouMean returns the hint `; did you mean "x"?` to append to a message
// about name, where x is the candidate Suggest finds within
// TypoEdits(name), or else the one candidate of at least three letters
// that name begins with or that begins with name (lifetime: life); ""
// when there is none.
func DidYouMean(name string, candidates []string) string {
	if hint := DidYouMeanWithin(name, candidates, TypoEdits(name)); hint != "" {
		return hint
	}
	var found []string
	for _, c := range candidates {
		if len(c) >= 3 && len(name) >= 3 && c != name && (strings.HasPrefix(name, c) || strings.HasPrefix(c, name)) {
			found = append(found, c)
		}
	}
	if len(found) == 1 {
		return fmt.Sprintf("; did you mean %q?", found[0])
	}
	return ""
}

// DidYouMeanWithin is DidYouMean with a candidate at most maxEdits away.
func DidYouMeanWithin(name string, candidates []string, maxEdits int) string {
	best := Suggest(name, candidates, maxEdits)
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}
