// Package qmc generates the designs of global sensitivity analysis: Sobol'
// low-discrepancy sequences, plain or scrambled, Saltelli's sample for
// Sobol' indices and Morris's one-at-a-time trajectories.
//
// Every design lies in the unit hypercube and is a pure function of its
// arguments and seed: the same call gives the same points on every machine.
// Mapping a coordinate to a parameter's range or distribution is the
// caller's business.
//
// The Sobol' generator uses the direction numbers of S. Joe and F. Y. Kuo,
// "Constructing Sobol sequences with better two-dimensional projections",
// SIAM J. Sci. Comput. 30, 2635–2654 (2008); see the NOTICE file beside
// the sources for their licence.
package qmc
