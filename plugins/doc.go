// Package plugins is the boundary for channel behaviours that run as
// separate processes. A channel plugin answers the same batched interface as
// the built-in behaviours, sim.Behaviour: one call per channel per tick with
// every contact of that tick and the random draws it needs, so that a plugin
// costs one round trip per channel per tick and stays deterministic.
package plugins
