package attribution

import (
	"fmt"
	"maps"
	"math"
	"math/bits"
	"slices"
)

// MaxShapleyChannels is the largest number of channels [Shapley] accepts:
// it evaluates all 2^n coalitions of n channels.
const MaxShapleyChannels = 20

// PathSet aggregates the paths that touched exactly one set of channels.
// In the map given to [Shapley] the set is the key, a bit mask over the
// channels: bit i is set when channel i was touched at least once on the
// path.
type PathSet struct {
	// Paths is how many paths touched exactly this set of channels.
	Paths float64
	// Revenue is the total revenue of those paths (0 for a path that ended
	// without a conversion).
	Revenue float64
}

// Shapley returns the Shapley value credit of each of channels channels, in
// the causally motivated form of Dalessandro et al. (2012) with the revenue
// per path as the value of a coalition.
//
// sets maps a channel set (bit i = channel i; see [PathSet]) to the number
// of paths that touched exactly that set and their total revenue. The key 0
// holds the paths that touched no channel. Keys that are absent have no
// paths. The value of a coalition S ⊆ N = {0, …, channels−1} is the revenue
// per path of the paths that touched no channel outside S,
//
//	v(S) = Σ_{T⊆S} Revenue(T) / Σ_{T⊆S} Paths(T),
//
// and v(S) = 0 when no path has a set T ⊆ S. With n = channels, the Shapley
// value of channel i is
//
//	φ[i] = Σ_{S⊆N∖{i}} |S|!·(n−|S|−1)!/n! · (v(S∪{i}) − v(S)),
//
// and Shapley returns it in revenue units, scaled by the total number of
// paths:
//
//	credit[i] = φ[i] · Σ_T Paths(T).
//
// The credits are efficient, Σ credit = Σ_T Paths(T) · (v(N) − v(∅)); when
// the paths that touched no channel never convert this is the total revenue
// Σ_T Revenue(T). Two channels with the same statistics get the same credit,
// and a channel on no path gets exactly 0.
//
// v is evaluated for all 2^n coalitions with a subset-sum (zeta) transform
// and φ in O(n·2^n) time, with O(2^n) memory; hence at most
// [MaxShapleyChannels] channels are supported. The result is deterministic
// bit for bit.
//
// Shapley returns an error if channels is negative or above
// [MaxShapleyChannels], if a key has a bit at or above channels, if Paths or
// Revenue is negative, NaN or infinite, if a set has revenue but no paths,
// or if the totals overflow.
func Shapley(sets map[uint32]PathSet, channels int) ([]float64, error) {
	if channels < 0 {
		return nil, fmt.Errorf("attribution: Shapley needs a non-negative number of channels, got %d", channels)
	}
	if channels > MaxShapleyChannels {
		return nil, fmt.Errorf("attribution: Shapley over %d channels needs 2^%d coalitions; at most %d channels are supported",
			channels, channels, MaxShapleyChannels)
	}
	size := 1 << channels
	paths := make([]float64, size)
	value := make([]float64, size) // revenue, then revenue per path
	// Sorted keys make the reported error, if any, deterministic.
	for _, m := range slices.Sorted(maps.Keys(sets)) {
		s := sets[m]
		if uint64(m) >= uint64(size) {
			return nil, fmt.Errorf("attribution: channel set %#x has a bit at or above channel %d, but there are only %d channels",
				m, bits.Len32(m)-1, channels)
		}
		if math.IsNaN(s.Paths) || math.IsInf(s.Paths, 0) || s.Paths < 0 {
			return nil, fmt.Errorf("attribution: channel set %#x: number of paths must be finite and non-negative, got %v", m, s.Paths)
		}
		if math.IsNaN(s.Revenue) || math.IsInf(s.Revenue, 0) || s.Revenue < 0 {
			return nil, fmt.Errorf("attribution: channel set %#x: revenue must be finite and non-negative, got %v", m, s.Revenue)
		}
		if s.Paths == 0 && s.Revenue > 0 {
			return nil, fmt.Errorf("attribution: channel set %#x has revenue %v but no paths", m, s.Revenue)
		}
		paths[m] = s.Paths
		value[m] = s.Revenue
	}

	zeta(paths, channels)
	zeta(value, channels)
	total := paths[size-1]
	if math.IsInf(total, 0) || math.IsInf(value[size-1], 0) {
		return nil, fmt.Errorf("attribution: total paths or revenue overflows")
	}
	for s, n := range paths {
		if n > 0 {
			value[s] /= n
		} else {
			value[s] = 0
		}
	}

	// weight[k] = k!·(n−k−1)!/n! = 1/(n·binom(n−1, k)); the binomials are
	// exact integers for n ≤ 20.
	weight := make([]float64, max(channels, 1))
	binom := 1.0
	for k := range channels {
		weight[k] = 1 / (float64(channels) * binom)
		binom = binom * float64(channels-1-k) / float64(k+1)
	}

	credits := make([]float64, channels)
	for i := range channels {
		bit := 1 << i
		var phi float64
		// S runs over the sets without bit i: high bits hi, low bits lo.
		for hi := 0; hi < size; hi += 2 * bit {
			for lo := range bit {
				s := hi | lo
				phi += weight[bits.OnesCount32(uint32(s))] * (value[s|bit] - value[s])
			}
		}
		credits[i] = phi * total
	}
	return credits, nil
}

// zeta replaces f by its subset sums, f(S) ← Σ_{T⊆S} f(T), over n bits.
func zeta(f []float64, n int) {
	for i := range n {
		bit := 1 << i
		for hi := 0; hi < len(f); hi += 2 * bit {
			for lo := range bit {
				s := hi | lo
				f[s|bit] += f[s]
			}
		}
	}
}
