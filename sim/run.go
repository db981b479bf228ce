package sim

import (
	"context"
	"fmt"
	"math"
	"runtime"
	"slices"
	"sync"
)

// ChunkSize is the number of customers one unit of work simulates. It is
// fixed, not derived from the number of workers, so that sums are formed in
// the same order whatever the parallelism.
const ChunkSize = 2048

// Options control how a run is carried out; none of them changes its results.
type Options struct {
	// Workers is the number of goroutines; 0 means one per CPU.
	Workers int
	// Strategies selects strategies by index; nil means all. Results do not
	// depend on which others are selected.
	Strategies []int
	// Progress, if set, is called after each unit of work with the
	// customer-ticks done and the total. Calls never overlap.
	Progress func(done, total int64)
	// Paths gathers touchpoint paths for attribution (Totals.Paths), at
	// some cost in speed and memory.
	Paths bool
	// DecayHalfLife is the half-life in ticks of the time-decay
	// attribution model; 0 means DefaultDecayHalfLife.
	DecayHalfLife float64
}

// DefaultDecayHalfLife is the time-decay attribution model's half-life in
// ticks unless Options say otherwise.
const DefaultDecayHalfLife = 7.0

// Result holds the outcomes of a run.
type Result struct {
	Model *Model
	// Strategies are the indices of the strategies run, in model order.
	Strategies []int
	// Seeds holds each completed replication's seed.
	Seeds []uint64
	// Totals[k][r] is strategy Strategies[k] in replication r.
	Totals [][]Totals
	// Interrupted is set when the run was cancelled; only replications
	// completed before that are kept.
	Interrupted bool
	// CustomerTicks counts the customer-ticks simulated.
	CustomerTicks int64
}

// Run simulates every selected strategy of m over its replications.
// Cancelling ctx stops the run at the next unit of work; the replications
// already complete are returned with Interrupted set, and ctx's error.
func Run(ctx context.Context, m *Model, opt Options) (*Result, error) {
	if err := m.Validate(); err != nil {
		return nil, fmt.Errorf("invalid model: %w", err)
	}
	strategies, err := selectStrategies(m, opt.Strategies)
	if err != nil {
		return nil, err
	}
	if opt.DecayHalfLife == 0 {
		opt.DecayHalfLife = DefaultDecayHalfLife
	}
	if !(opt.DecayHalfLife > 0) || math.IsInf(opt.DecayHalfLife, 0) {
		return nil, fmt.Errorf("time-decay half-life %g: must be a positive number of ticks", opt.DecayHalfLife)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	reps := newReplications(m, strategies, opt.Paths)
	prog := &progress{
		total:  int64(m.Replications) * int64(m.Population.Size) * int64(m.Horizon) * int64(len(strategies)),
		report: opt.Progress,
	}
	if pooled(m) {
		err = runPools(ctx, m, opt, workers, reps, prog)
	} else {
		err = runChunks(ctx, m, opt, workers, reps, prog)
	}
	res := reps.result()
	res.CustomerTicks = prog.done
	if cerr := ctx.Err(); cerr != nil && len(res.Seeds) < m.Replications {
		// Cancelled or past its deadline: keep what is complete.
		res.Interrupted = true
		return res, cerr
	}
	if err != nil {
		return nil, err
	}
	return res, nil
}

// selectStrategies returns the indices of the strategies to run, sorted and
// without repeats: those selected, or all of m's if selected is nil.
func selectStrategies(m *Model, selected []int) ([]int, error) {
	if selected == nil {
		strategies := make([]int, len(m.Strategies))
		for k := range strategies {
			strategies[k] = k
		}
		return strategies, nil
	}
	strategies := slices.Clone(selected)
	slices.Sort(strategies)
	strategies = slices.Compact(strategies)
	for _, k := range strategies {
		if k < 0 || k >= len(m.Strategies) {
			return nil, fmt.Errorf("strategy index %d out of range", k)
		}
	}
	return strategies, nil
}

// chunkCount returns the number of chunks m's population is simulated in.
func chunkCount(m *Model) int {
	return (m.Population.Size + ChunkSize - 1) / ChunkSize
}

// runChunks simulates every replication chunk by chunk: a unit of work is
// one chunk of one replication under every selected strategy, and each
// scheduler worker keeps its own engine worker from one unit to the next.
// Units are handed over in order, so each replication's totals are the sum
// of its chunks in chunk order.
func runChunks(ctx context.Context, m *Model, opt Options, workers int, reps *replications, prog *progress) error {
	chunks := chunkCount(m)
	scratch := make([]*worker, workers)
	do := func(ctx context.Context, wi, u int) ([]Totals, error) {
		if scratch[wi] == nil {
			scratch[wi] = newWorker(m, reps.strategies, opt)
		}
		r, c := u/chunks, u%chunks
		first := c * ChunkSize
		n := min(ChunkSize, m.Population.Size-first)
		return scratch[wi].run(ctx, reps.seeds[r], first, n, prog.add)
	}
	done := func(u int, out []Totals) error {
		r, c := u/chunks, u%chunks
		for k := range out {
			reps.add(r, k, &out[k])
		}
		if c == chunks-1 {
			reps.finish(r)
		}
		return nil
	}
	o := ScheduleOptions{Workers: workers, InOrder: true}
	return Schedule(ctx, o, m.Replications*chunks, do, done)
}

// replications sums the parts of each replication's totals as they are
// handed over. Parts come in a fixed order, whatever the scheduling, so
// the floating-point sums do not depend on it; a part is let go once it is
// added, so memory holds only the parts in flight.
type replications struct {
	m          *Model
	strategies []int
	paths      bool
	seeds      []uint64
	// sums[r][k] is strategy strategies[k] in replication r, nil until
	// the replication's first part.
	sums [][]Totals
	// complete counts the replications whose every part is in: always
	// the first ones, as parts come in order.
	complete int
}

func newReplications(m *Model, strategies []int, paths bool) *replications {
	seeds := make([]uint64, m.Replications)
	for r := range seeds {
		seeds[r] = ReplicationSeed(m.Seed, r)
	}
	return &replications{m: m, strategies: strategies, paths: paths, seeds: seeds,
		sums: make([][]Totals, m.Replications)}
}

// add adds part to strategy strategies[k] in replication r.
func (a *replications) add(r, k int, part *Totals) {
	if a.sums[r] == nil {
		a.sums[r] = make([]Totals, len(a.strategies))
		for k := range a.sums[r] {
			a.sums[r][k] = newTotals(a.m, a.paths)
		}
	}
	a.sums[r][k].Add(part)
}

// finish marks replication r complete once its last part is in, and adds
// its fixed costs.
func (a *replications) finish(r int) {
	addFixedCosts(a.m, a.strategies, a.sums[r])
	a.complete = r + 1
}

// result returns the complete replications as a Result.
func (a *replications) result() *Result {
	res := &Result{Model: a.m, Strategies: a.strategies}
	res.Totals = make([][]Totals, len(a.strategies))
	for r := range a.complete {
		res.Seeds = append(res.Seeds, a.seeds[r])
		for k := range a.strategies {
			res.Totals[k] = append(res.Totals[k], a.sums[r][k])
		}
	}
	return res
}

// progress counts the customer-ticks done and reports them.
type progress struct {
	mu     sync.Mutex
	done   int64
	total  int64
	report func(done, total int64)
}

// add counts ticks more customer-ticks done and reports the count; calls
// to report never overlap and never go backwards.
func (p *progress) add(ticks int64) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.done += ticks
	if p.report != nil {
		p.report(p.done, p.total)
	}
}
