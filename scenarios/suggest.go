package scenarios

import (
	"slices"

	"github.com/journeysim/journeysim/sim"
)

// exprNames lists every name an expression of m may use.
func exprNames(m *sim.Model) []string {
	names := sim.ReservedNames()
	for _, a := range m.Population.Attributes {
		names = append(names, a.Name)
	}
	slices.Sort(names)
	return names
}
