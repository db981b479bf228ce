// Package attribution splits the revenue of converting customer journeys
// among the marketing channels that touched them, and plans the
// counterfactual reruns ([Plan]) that measure what each channel truly adds,
// against which every model is judged.
//
// A path is one customer's sequence of channel touches, from the start of the
// run (or from their previous purchase) up to a conversion (a purchase, with
// its revenue) or up to the end of the run without one (null). Channels are
// indexed 0..C-1. The package offers two data-driven attribution models that
// work on aggregates of such paths rather than on the paths themselves:
//
//   - [RemovalEffects] and [MarkovCredit] implement the first-order Markov
//     chain removal effect of Anderl et al. (2016), as in the
//     ChannelAttribution R package, on a matrix of transition counts. The
//     absorption probabilities are solved exactly as linear systems; no paths
//     are simulated.
//   - [Shapley] implements the Shapley value of Dalessandro et al. (2012) in
//     its causally motivated form, with the revenue per path as the value of a
//     coalition of channels, on counts of paths by the set of channels they
//     touched.
//
// Every function is pure and deterministic: the same input gives bit-for-bit
// the same output. Malformed input (wrong dimensions, negative or non-finite
// counts, masks outside the channel range) is reported as an error, never as
// a panic.
package attribution
