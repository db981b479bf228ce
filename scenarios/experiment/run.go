package experiment

import (
	"math/rand/v2"
	"strconv"
	"strings"

	"github.com/journeysim/journeysim/sim"
)

// Units is the number of (point, replication) runs; unit u is point
// u / Replications, replication u % Replications.
func (e *Experiment) Units() int { return len(e.Points) * e.Replications }

// Unit returns the point and the replication of unit u.
func (e *Experiment) Unit(u int) (point, rep int) { return u / e.Replications, u % e.Replications }

// Order returns the units in the order a sweep runs them: replication by
// replication, and the points of each in an order shuffled from the seed,
// so that a sweep cut short has covered the whole design rather than a
// corner of it.
func (e *Experiment) Order() []int {
	perm := rand.New(rand.NewPCG(e.Seed, 0x0de7)).Perm(len(e.Points))
	out := make([]int, 0, e.Units())
	for r := range e.Replications {
		for _, p := range perm {
			out = append(out, p*e.Replications+r)
		}
	}
	return out
}

// Labels returns point p's parameter values as text, in Params order, as
// a sweep's runs table holds them.
func (e *Experiment) Labels(p int) []string {
	out := make([]string, len(e.Params))
	for k := range e.Params {
		out[k] = e.Points[p][k].String()
	}
	return out
}

// StrategyIndices returns the indices in m, a model of one of the
// experiment's points, of the experiment's strategies, in Strategies
// order, for sim.Options.Strategies.
func (e *Experiment) StrategyIndices(m *sim.Model) []int {
	out := make([]int, len(e.Strategies))
	for k, name := range e.Strategies {
		out[k] = m.StrategyIndex(name)
	}
	return out
}

// Command returns the journeysim run command line that repeats one
// strategy's run of point p, replication rep, on its own.
func (e *Experiment) Command(p, rep int, strategy string) string {
	scenario := e.Scenario.Origin
	if n, ok := strings.CutPrefix(scenario, "builtin:"); ok {
		scenario = n
	}
	parts := []string{"journeysim run", ShellQuote(scenario)}
	for _, o := range e.Overrides(p) {
		parts = append(parts, "--set", ShellQuote(o.Path+"="+o.Value.String()))
	}
	parts = append(parts, "--seed", strconv.FormatUint(e.RunSeed(p, rep), 10), "--reps 1 --strategies", ShellQuote(strategy))
	if e.Attribution {
		parts = append(parts, "--attribution")
	}
	return strings.Join(parts, " ")
}

// ShellQuote quotes s for a POSIX shell unless it is plain.
func ShellQuote(s string) string {
	if s != "" && strings.Trim(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-./=:") == "" {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
