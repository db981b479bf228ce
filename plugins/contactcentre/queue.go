package main

import (
	"container/heap"
	"math"
	"sort"
)

// call is one contact reaching the contact centre: when it arrives, how
// long an operator needs for it, and how long the customer waits before
// hanging up (+Inf: forever), all in minutes.
type call struct {
	arrival, service, patience float64
}

// outcome is what became of a call.
type outcome struct {
	wait      float64 // minutes in the queue
	abandoned bool
}

// serve runs calls through a first-come-first-served queue in front of
// operators, none busy at first. A caller whose wait would exceed their
// patience hangs up at that moment and takes no operator time. Outcomes
// are in the order of calls.
func serve(calls []call, operators int) []outcome {
	out := make([]outcome, len(calls))
	order := make([]int, len(calls))
	for k := range order {
		order[k] = k
	}
	sort.SliceStable(order, func(a, b int) bool { return calls[order[a]].arrival < calls[order[b]].arrival })
	free := make(freeAt, operators) // when each operator is next free
	heap.Init(&free)
	for _, k := range order {
		c := calls[k]
		start := math.Max(c.arrival, free[0])
		wait := start - c.arrival
		if wait > c.patience {
			out[k] = outcome{wait: c.patience, abandoned: true}
			continue
		}
		out[k] = outcome{wait: wait}
		free[0] = start + c.service
		heap.Fix(&free, 0)
	}
	return out
}

// freeAt is a min-heap of the times operators become free.
type freeAt []float64

func (h freeAt) Len() int           { return len(h) }
func (h freeAt) Less(i, j int) bool { return h[i] < h[j] }
func (h freeAt) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *freeAt) Push(x any)        { *h = append(*h, x.(float64)) }
func (h *freeAt) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// erlangC is the probability that a call waits in an M/M/c queue with
// arrival rate lambda, service rate mu per operator and c operators, and
// the mean wait of all calls: C / (c·mu − lambda).
func erlangC(lambda, mu float64, c int) (pWait, meanWait float64) {
	a := lambda / mu
	rho := a / float64(c)
	if rho >= 1 {
		return 1, math.Inf(1)
	}
	term, sum := 1.0, 1.0 // a^k / k!, summed for k < c
	for k := 1; k < c; k++ {
		term *= a / float64(k)
		sum += term
	}
	last := term * a / float64(c) / (1 - rho) // a^c / c! / (1 − rho)
	pWait = last / (sum + last)
	return pWait, pWait / (float64(c)*mu - lambda)
}
