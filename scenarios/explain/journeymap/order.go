package journeymap

import (
	"slices"

	"github.com/journeysim/journeysim/sim"
)

// A column key: a stage of the model (0 ≤ k < len(m.Stages)), or, for a
// node whose stage is out of range, len(m.Stages)+node: a column of its
// own.
func columnKey(m *sim.Model, i int) int {
	if s := m.Nodes[i].Stage; s >= 0 && s < len(m.Stages) {
		return s
	}
	return len(m.Stages) + i
}

// columnName names a column key.
func columnName(m *sim.Model, key int) string {
	if key < len(m.Stages) {
		return m.Stages[key]
	}
	return m.Nodes[key-len(m.Stages)].Name
}

// target is where a move leads, or -1 for a move that stays.
func target(m *sim.Model, e sim.Edge) int {
	if e.To < 0 || e.To >= len(m.Nodes) {
		return -1
	}
	return e.To
}

// StageOrder returns the model's stages in journey order, as indices into
// m.Stages: the stage of the start node first, then the others in the
// order the journey's moves lead to them. Moves back to an earlier stage
// (a return to everyday life, a second look) do not count: the stage graph
// is made acyclic by a depth-first search from the start's stage, and the
// stages are sorted by their longest path from it, ties in the order the
// scenario first names them. Stages no move reaches come last, in the
// scenario's order.
func StageOrder(m *sim.Model) []int {
	var out []int
	for _, k := range columnOrder(m) {
		if k < len(m.Stages) {
			out = append(out, k)
		}
	}
	return out
}

// columnOrder orders the column keys of m's nodes, as StageOrder does.
func columnOrder(m *sim.Model) []int {
	var keys []int
	seen := map[int]bool{}
	for i := range m.Nodes {
		if k := columnKey(m, i); !seen[k] {
			seen[k] = true
			keys = append(keys, k)
		}
	}
	// Stages with no node (none in a compiled model) keep a column too.
	for s := range m.Stages {
		if !seen[s] {
			seen[s] = true
			keys = append(keys, s)
		}
	}
	slices.Sort(keys)
	index := make(map[int]int, len(keys)) // key → position in keys
	for p, k := range keys {
		index[k] = p
	}
	n := len(keys)
	// The stage graph, its successors in the scenario's order, tick
	// moves before moves on a response.
	succ := make([][]int, n)
	has := make([]map[int]bool, n)
	add := func(a, b int) {
		if a == b {
			return
		}
		if has[a] == nil {
			has[a] = map[int]bool{}
		}
		if !has[a][b] {
			has[a][b] = true
			succ[a] = append(succ[a], b)
		}
	}
	for _, response := range []bool{false, true} {
		for i, nd := range m.Nodes {
			edges := nd.Edges
			if response {
				edges = nd.ResponseEdges
			}
			for _, e := range edges {
				if to := target(m, e); to >= 0 {
					add(index[columnKey(m, i)], index[columnKey(m, to)])
				}
			}
		}
	}
	for a := range succ {
		slices.Sort(succ[a])
	}
	// Depth-first from the start's column, then from the others in order:
	// an edge to a column on the stack goes back and is left out.
	const (
		unseen = iota
		onStack
		done
	)
	state := make([]int, n)
	forward := make([][]int, n)
	var dfs func(a int)
	dfs = func(a int) {
		state[a] = onStack
		for _, b := range succ[a] {
			switch state[b] {
			case onStack:
				continue
			case unseen:
				dfs(b)
			}
			forward[a] = append(forward[a], b)
		}
		state[a] = done
	}
	start := -1
	if m.Start >= 0 && m.Start < len(m.Nodes) {
		start = index[columnKey(m, m.Start)]
		dfs(start)
	}
	reached := slices.Clone(state)
	for a := range n {
		if state[a] == unseen {
			dfs(a)
		}
	}
	// The longest path to each column over the forward edges, in a
	// topological order (the reverse of the depth-first finishing order
	// would do; a simple relaxation over n rounds is enough here).
	rank := make([]int, n)
	for range n {
		changed := false
		for a := range n {
			for _, b := range forward[a] {
				if rank[b] < rank[a]+1 {
					rank[b] = rank[a] + 1
					changed = true
				}
			}
		}
		if !changed {
			break
		}
	}
	order := make([]int, n)
	for p := range order {
		order[p] = p
	}
	group := func(a int) int {
		switch {
		case a == start:
			return 0
		case reached[a] != unseen:
			return 1
		}
		return 2
	}
	slices.SortStableFunc(order, func(a, b int) int {
		if ga, gb := group(a), group(b); ga != gb {
			return ga - gb
		}
		if rank[a] != rank[b] {
			return rank[a] - rank[b]
		}
		return a - b
	})
	out := make([]int, n)
	for p, a := range order {
		out[p] = keys[a]
	}
	return out
}

// NodeColumns returns the column of each of m's nodes, in the order of
// StageOrder (a node whose stage is out of range has a column of its
// own), and the number of columns. A move from node i to node j goes
// back to an earlier stage when NodeColumns(m)[j] < NodeColumns(m)[i].
func NodeColumns(m *sim.Model) ([]int, int) {
	keys := columnOrder(m)
	pos := make(map[int]int, len(keys))
	for p, k := range keys {
		pos[k] = p
	}
	col := make([]int, len(m.Nodes))
	for i := range m.Nodes {
		col[i] = pos[columnKey(m, i)]
	}
	return col, len(keys)
}
