// Package sim is the journeysim engine: a compiled scenario model, a synthetic
// population, customer state kept as columns, the tick loop with triggers,
// caps and fatigue, channel behaviours that answer a whole batch of contacts
// at once, counter-based random streams and outcome accumulators.
//
// A run is a pure function of the model, the seed and the engine version:
// every random draw is keyed by (seed, replication, customer, tick, purpose),
// so results are byte-identical whatever the number of workers, and every
// strategy of a run sees the same customers and the same draws (common
// random numbers).
//
// Package sim imports none of the packages that build on it (scenarios,
// plugins, results, cmd).
package sim

// Version is the engine's version. A run's outputs are a pure function of
// the scenario, the seed and this version.
const Version = "0.1.0"
