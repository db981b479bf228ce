package qmc

import (
	_ "embed"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"sync"
)

// joeKuo is the start of Joe and Kuo's table new-joe-kuo-6.21201: a
// header line, then one line "d s a m_1 … m_s" for each dimension d from 2
// to MaxDim, where s is the degree of the dimension's primitive
// polynomial, a encodes its inner coefficients and m_1 … m_s are the
// initial direction numbers.
//
// Source: S. Joe and F. Y. Kuo, "Constructing Sobol sequences with better
// two-dimensional projections", SIAM J. Sci. Comput. 30, 2635–2654 (2008),
// https://web.maths.unsw.edu.au/~fkuo/sobol/. Copyright (c) 2008, Frances
// Y. Kuo and Stephen Joe, under a BSD-style licence reproduced in NOTICE.
//
//go:embed joe-kuo.txt
var joeKuo string

// polynomial is one line of Joe and Kuo's table.
type polynomial struct {
	s int      // degree
	a uint64   // inner coefficients, the highest first
	m []uint64 // initial direction numbers m_1 … m_s
}

// table returns the embedded table's polynomials, for dimensions 2 to
// MaxDim in order, parsed once.
var table = sync.OnceValues(func() ([]polynomial, error) {
	t, err := parseTable(joeKuo)
	if err != nil {
		return nil, fmt.Errorf("embedded direction numbers: %w", err)
	}
	if len(t) != MaxDim-1 {
		return nil, fmt.Errorf("embedded direction numbers: %d dimensions; want %d", len(t)+1, MaxDim)
	}
	return t, nil
})

// parseTable reads a table in Joe and Kuo's format: a header line, then
// one line per dimension, starting at dimension 2.
func parseTable(text string) ([]polynomial, error) {
	lines := strings.Split(strings.TrimSpace(text), "\n")
	if len(lines) < 2 {
		return nil, errors.New("no dimensions after the header line")
	}
	var out []polynomial
	for i, line := range lines[1:] {
		lineNo := i + 2
		f := strings.Fields(line)
		if len(f) < 4 {
			return nil, fmt.Errorf("line %d: %d fields; want d, s, a and s direction numbers", lineNo, len(f))
		}
		nums := make([]uint64, len(f))
		for k, field := range f {
			v, err := strconv.ParseUint(field, 10, 64)
			if err != nil {
				return nil, fmt.Errorf("line %d: field %d: %w", lineNo, k+1, err)
			}
			nums[k] = v
		}
		d, s, a, m := nums[0], nums[1], nums[2], nums[3:]
		switch {
		case d != uint64(len(out)+2):
			return nil, fmt.Errorf("line %d: dimension %d; want %d", lineNo, d, len(out)+2)
		case s < 1 || s > digits:
			return nil, fmt.Errorf("line %d: degree %d; want 1 to %d", lineNo, s, digits)
		case uint64(len(m)) != s:
			return nil, fmt.Errorf("line %d: %d direction numbers; want s = %d", lineNo, len(m), s)
		case a >= 1<<(s-1):
			return nil, fmt.Errorf("line %d: coefficients %d do not fit in s − 1 = %d bits", lineNo, a, s-1)
		}
		for k, mk := range m {
			if mk%2 == 0 || mk >= 1<<(k+1) {
				return nil, fmt.Errorf("line %d: m_%d = %d; want an odd number below 2^%d", lineNo, k+1, mk, k+1)
			}
		}
		out = append(out, polynomial{s: int(s), a: a, m: m})
	}
	return out, nil
}

// directionNumbers fills v (of length digits) with the direction numbers
// of one dimension, as digits-bit integers whose top bit stands for 1/2:
// v[i] = m_{i+1} / 2^{i+1}. p is nil for the first dimension, whose
// numbers are all m_i = 1 (the van der Corput sequence); otherwise the
// numbers beyond p's initial ones follow from Sobol's recurrence
//
//	m_i = 2a_1 m_{i−1} ⊕ 2²a_2 m_{i−2} ⊕ … ⊕ 2^{s−1}a_{s−1} m_{i−s+1} ⊕ 2^s m_{i−s} ⊕ m_{i−s}.
func directionNumbers(v []uint64, p *polynomial) {
	if p == nil {
		for i := range v {
			v[i] = 1 << (digits - 1 - i)
		}
		return
	}
	s := p.s
	for i := range v {
		if i < s {
			v[i] = p.m[i] << (digits - 1 - i)
			continue
		}
		v[i] = v[i-s] ^ v[i-s]>>s
		for k := 1; k < s; k++ {
			if p.a>>(s-1-k)&1 == 1 {
				v[i] ^= v[i-k]
			}
		}
	}
}
