package qmc

import (
	"fmt"
	"math/bits"
	"math/rand/v2"
)

// MaxDim is the largest number of dimensions a Sobol' sequence can have:
// the first dimension and the 200 of the embedded direction numbers.
const MaxDim = 201

// digits is the number of binary digits of each coordinate. A sequence has
// 2^digits points, and every coordinate is an exact float64.
const digits = 52

// cell is the width of a cell of the digits-digit grid, 2^-52.
const cell = 1.0 / (1 << digits)

// sobolStream is the PCG stream a scrambled sequence draws from, beside
// its seed, so that its draws differ from other uses of the same seed.
const sobolStream = 0x536f_626f_6c27 // "Sobol'"

// A Sobol is a Sobol' sequence: a low-discrepancy sequence in the unit
// hypercube [0, 1)^dim, generated in Gray-code order with Joe and Kuo's
// direction numbers and 52 binary digits per coordinate.
//
// Its first 2^k points, for any k up to 52, take each of the 2^k
// intervals [i/2^k, (i+1)/2^k) exactly once in every dimension, and more
// generally form a digital (t, k, dim)-net in base 2. The sequence returns to its
// first point after 2^52 points.
//
// A scrambled sequence applies Matoušek's linear matrix scrambling and a
// random digital shift, both drawn from its seed, which keeps those
// properties, makes the points a randomised quasi-Monte Carlo sample and
// keeps every coordinate strictly inside (0, 1): each scrambled point
// stands at the middle of its cell of width 2^-52.
//
// A Sobol is not safe for concurrent use.
type Sobol struct {
	dim   int
	v     []uint64 // direction numbers, digits per dimension
	start []uint64 // the first point: zero, or the digital shift
	x     []uint64 // the current point
	index uint64   // the current point's index in the sequence
	mid   float64  // added to every coordinate: 0, or half a cell when scrambled
}

// NewSobol returns a Sobol' sequence of dim dimensions, 1 to MaxDim.
//
// Unscrambled, the sequence is the standard one and seed is ignored: its
// first point is 0 in every dimension (no point is skipped), the first
// dimension is the van der Corput sequence 0, 1/2, 3/4, 1/4, 3/8, … and
// the others follow Joe and Kuo's direction numbers.
//
// Scrambled, the sequence is randomised by the method of
// scipy.stats.qmc.Sobol with scramble=True (linear matrix scrambling and a
// digital shift), though not with scipy's random numbers: the random bits
// come from a math/rand/v2 PCG generator seeded by seed, so the same seed
// gives the same points on every machine, and the first k dimensions of a
// sequence do not depend on how many more it has.
func NewSobol(dim int, seed uint64, scramble bool) (*Sobol, error) {
	s, err := newSobol(dim, seed, scramble)
	if err != nil {
		return nil, fmt.Errorf("qmc: %w", err)
	}
	return s, nil
}

// newSobol is NewSobol, with errors not yet prefixed by the package name.
func newSobol(dim int, seed uint64, scramble bool) (*Sobol, error) {
	if dim < 1 || dim > MaxDim {
		return nil, fmt.Errorf("Sobol' sequence of %d dimensions: want 1 to %d", dim, MaxDim)
	}
	polys, err := table()
	if err != nil {
		return nil, err
	}
	s := &Sobol{
		dim:   dim,
		v:     make([]uint64, dim*digits),
		start: make([]uint64, dim),
		x:     make([]uint64, dim),
	}
	for k := range dim {
		var p *polynomial
		if k > 0 {
			p = &polys[k-1]
		}
		directionNumbers(s.v[k*digits:(k+1)*digits], p)
	}
	if scramble {
		rng := rand.New(rand.NewPCG(seed, sobolStream))
		for k := range dim {
			s.start[k] = rng.Uint64() >> (64 - digits)
			scrambleLinear(s.v[k*digits:(k+1)*digits], rng)
		}
		s.mid = cell / 2
	}
	copy(s.x, s.start)
	return s, nil
}

// scrambleLinear multiplies one dimension's direction numbers v by a random
// nonsingular lower-triangular binary matrix L (Matoušek's linear matrix
// scrambling): digit p of a scrambled number, counting from the most
// significant, is the parity of L's row p and the digits 0 to p of the
// number. L has ones on its diagonal and random bits below it, drawn
// from rng one row at a time.
func scrambleLinear(v []uint64, rng *rand.Rand) {
	var rows [digits]uint64 // rows[p] masks the digits that make up digit p
	for p := range rows {
		diag := uint64(1) << (digits - 1 - p)
		above := (uint64(1)<<digits - 1) &^ (diag<<1 - 1) // the digits more significant than p
		rows[p] = diag | rng.Uint64()&above
	}
	for i, vi := range v {
		var out uint64
		for p, row := range rows {
			out |= uint64(bits.OnesCount64(row&vi)&1) << (digits - 1 - p)
		}
		v[i] = out
	}
}

// Dim returns the number of dimensions of the sequence.
func (s *Sobol) Dim() int { return s.dim }

// Next writes the sequence's next point into dst[:s.Dim()] and moves on.
// The first call gives the first point. Next panics if dst is shorter than
// s.Dim().
func (s *Sobol) Next(dst []float64) {
	dst = dst[:s.dim]
	for k, x := range s.x {
		dst[k] = float64(x)*cell + s.mid
	}
	s.index++
	if s.index == 1<<digits {
		s.index = 0
		copy(s.x, s.start)
		return
	}
	c := bits.TrailingZeros64(s.index) // Gray code: the bit that changes
	for k := range s.x {
		s.x[k] ^= s.v[k*digits+c]
	}
}
