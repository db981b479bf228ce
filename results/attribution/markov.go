package attribution

import (
	"errors"
	"fmt"
	"math"

	"gonum.org/v1/gonum/mat"
)

// RemovalEffects returns the removal effect of every channel in a
// first-order Markov chain model of customer paths (Anderl et al. 2016, as
// in the ChannelAttribution R package).
//
// trans holds transition counts and must be a (C+1)×(C+2) matrix for C ≥ 0
// channels: row r < C is channel r and row C is the start state; column
// j < C is channel j, column C is conversion and column C+1 is null (the path
// ended without a purchase). trans[r][j] is how many times a path went from
// state r straight to state j. Every path contributes one transition out of
// the start state and one into conversion or null. Counts must be finite and
// non-negative; they need not be integers.
//
// Each row r is normalised to transition probabilities
//
//	p[r][j] = trans[r][j] / Σ_{k≠r} trans[r][k]   for j ≠ r,
//
// and a row whose total is zero sends its state to null with probability 1.
// Self-transitions trans[r][r] (channel r touched twice in a row) are
// dropped by the normalisation: a self-loop only delays the next transition,
// so it changes no absorption probability, and the results do not depend on
// the diagonal at all.
//
// With Q the channel-to-channel block of p and b[r] = p[r][C] the one-step
// conversion probabilities, the probability x[r] of ending in conversion
// from channel r solves (I − Q)·x = b, and the probability of conversion
// from the start is
//
//	P(conv) = p[C][C] + Σ_r p[C][r]·x[r].
//
// The systems are solved exactly by LU decomposition, restricted to the
// channels that are reachable from the start and can reach conversion; every
// other channel has x[r] = 0 or does not matter. P₋ᵢ(conv) is the same
// probability after redirecting channel i to null (row i replaced by
// p[i][C+1] = 1), and the removal effect of channel i is
//
//	effect[i] = 1 − P₋ᵢ(conv) / P(conv),
//
// which lies in [0, 1] (it is clamped to that interval against rounding).
// A channel that cannot be reached from the start has effect exactly 0. If
// P(conv) = 0 every effect is 0.
//
// RemovalEffects returns an error if trans is not (C+1)×(C+2), if a count is
// negative, NaN or infinite, if a row total overflows, or if a linear system
// is numerically singular.
func RemovalEffects(trans [][]float64) ([]float64, error) {
	c, err := checkTransitions(trans)
	if err != nil {
		return nil, err
	}
	p := normalise(trans, c)
	base, live, err := conversionProbability(p, c, -1)
	if err != nil {
		return nil, err
	}
	effects := make([]float64, c)
	if base == 0 {
		return effects, nil
	}
	for i := range c {
		if !live[i] {
			// Channel i is never visited on the way to a conversion:
			// redirecting it to null changes nothing.
			continue
		}
		removed, _, err := conversionProbability(p, c, i)
		if err != nil {
			return nil, err
		}
		effects[i] = min(max(1-removed/base, 0), 1)
	}
	return effects, nil
}

// MarkovCredit splits revenue among the channels in proportion to their
// Markov chain removal effects (see [RemovalEffects] for trans and for the
// effects):
//
//	credit[i] = revenue · effect[i] / Σ_j effect[j],
//
// so that Σ credit = revenue. If every effect is zero (no conversion is
// reachable from the start) every credit is 0. revenue must be finite and
// non-negative.
//
// MarkovCredit returns the errors of [RemovalEffects], and an error if
// revenue is negative, NaN or infinite.
func MarkovCredit(trans [][]float64, revenue float64) ([]float64, error) {
	if math.IsNaN(revenue) || math.IsInf(revenue, 0) || revenue < 0 {
		return nil, fmt.Errorf("attribution: revenue must be finite and non-negative, got %v", revenue)
	}
	effects, err := RemovalEffects(trans)
	if err != nil {
		return nil, err
	}
	var sum float64
	for _, e := range effects {
		sum += e
	}
	credits := make([]float64, len(effects))
	if sum == 0 {
		return credits, nil
	}
	for i, e := range effects {
		credits[i] = revenue * e / sum
	}
	return credits, nil
}

// checkTransitions validates a transition-count matrix and returns the
// number of channels C.
func checkTransitions(trans [][]float64) (int, error) {
	if len(trans) == 0 {
		return 0, errors.New("attribution: transition matrix needs C+1 rows (C channels and the start state), got 0")
	}
	c := len(trans) - 1
	for r, row := range trans {
		if len(row) != c+2 {
			return 0, fmt.Errorf("attribution: transition matrix has %d rows, so row %d needs %d columns (%d channels, conversion, null), got %d",
				c+1, r, c+2, c, len(row))
		}
		var total float64
		for j, v := range row {
			if math.IsNaN(v) || math.IsInf(v, 0) || v < 0 {
				return 0, fmt.Errorf("attribution: transition count [%d][%d] must be finite and non-negative, got %v", r, j, v)
			}
			total += v
		}
		if math.IsInf(total, 0) {
			return 0, fmt.Errorf("attribution: transition counts of row %d overflow", r)
		}
	}
	return c, nil
}

// normalise turns the counts into transition probabilities, dropping
// self-transitions and sending empty rows to null.
func normalise(trans [][]float64, c int) [][]float64 {
	p := make([][]float64, c+1)
	for r, row := range trans {
		p[r] = make([]float64, c+2)
		var total float64
		for j, v := range row {
			if j != r || r == c { // column C of the start row is conversion, not a self-loop
				total += v
			}
		}
		if total == 0 {
			p[r][c+1] = 1
			continue
		}
		for j, v := range row {
			if j != r || r == c {
				p[r][j] = v / total
			}
		}
	}
	return p
}

// conversionProbability returns the probability of absorbing in conversion
// from the start state of the chain p (with C channels) after redirecting
// channel removed to null (removed < 0: no channel). live reports the
// channels that are reachable from the start and can reach conversion.
func conversionProbability(p [][]float64, c, removed int) (float64, []bool, error) {
	out := func(r, j int) bool { return r != removed && p[r][j] > 0 }

	// Channels from which conversion can be reached (searching backward),
	// and channels reachable from the start (searching forward).
	toConv := reach(c, func(r int) bool { return out(r, c) }, func(from, r int) bool { return out(r, from) })
	fromStart := reach(c, func(j int) bool { return p[c][j] > 0 }, out)

	live := make([]bool, c)
	var states []int // live channels in increasing order
	for r := range c {
		if toConv[r] && fromStart[r] {
			live[r] = true
			states = append(states, r)
		}
	}
	prob := p[c][c]
	k := len(states)
	if k == 0 {
		return prob, live, nil
	}

	// (I − Q)·x = b over the live channels. A path from a live channel
	// either stays among live channels or leaves them for good (to null, or
	// to a channel that cannot reach conversion), and every live channel can
	// reach conversion, so I − Q is non-singular.
	a := mat.NewDense(k, k, nil)
	b := mat.NewVecDense(k, nil)
	for u, r := range states {
		for v, j := range states {
			a.Set(u, v, -p[r][j])
		}
		a.Set(u, u, 1+a.At(u, u))
		b.SetVec(u, p[r][c])
	}
	var x mat.VecDense
	if err := x.SolveVec(a, b); err != nil {
		return 0, nil, fmt.Errorf("attribution: absorption probabilities cannot be solved: %w", err)
	}
	for u, r := range states {
		prob += p[c][r] * x.AtVec(u)
	}
	return prob, live, nil
}

// reach returns the channels, of c, reached from the seeds by following
// edge(from, to) any number of times.
func reach(c int, seed func(int) bool, edge func(from, to int) bool) []bool {
	seen := make([]bool, c)
	stack := make([]int, 0, c)
	for j := range c {
		if seed(j) {
			seen[j] = true
			stack = append(stack, j)
		}
	}
	for len(stack) > 0 {
		from := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for j := range c {
			if !seen[j] && edge(from, j) {
				seen[j] = true
				stack = append(stack, j)
			}
		}
	}
	return seen
}
