package sim

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
)

// runPools simulates every replication pool by pool for a model with a
// pooled behaviour. A pool's chunks advance together, tick by tick: each
// chunk decides its contacts, then every channel's contacts across the
// pool go to its behaviour in one batch (channels concurrently), then each
// chunk applies the answers and moves on. Strategies run side by side in
// lanes, as many as PoolSize customers allow, so that one strategy
// computes while another waits for its behaviours. Each chunk keeps its
// own totals, stored in chunk order as in a run by chunks, so sums are
// formed the same way and behaviours that answer each contact on its own
// give the same results either way.
func runPools(ctx context.Context, m *Model, strategies []int, opt Options, workers int, seeds []uint64,
	store func(job, []Totals), report func(ticks int64)) error {
	ctx, cancel := context.WithCancel(ctx)
	defer cancel() // the first lane to fail stops the others
	chunks := (m.Population.Size + ChunkSize - 1) / ChunkSize
	perPool := min(chunks, poolChunks)
	lanes := make([]poolLane, max(1, min(len(strategies), poolChunks/perPool)))
	free := make(chan *poolLane, len(lanes))
	for l := range lanes {
		lanes[l].workers = make([]*worker, perPool)
		lanes[l].batches = make([]poolBatch, len(m.Channels))
		free <- &lanes[l]
	}
	for r, seed := range seeds {
		for first := 0; first < chunks; first += perPool {
			size := min(perPool, chunks-first)
			outs := make([][]Totals, size)
			for c := range outs {
				outs[c] = make([]Totals, len(strategies))
			}
			errs := make([]error, len(strategies))
			var wg sync.WaitGroup
		launch:
			for k, si := range strategies {
				var lane *poolLane
				select {
				case lane = <-free:
				case <-ctx.Done():
					break launch
				}
				wg.Add(1)
				go func() {
					defer func() { free <- lane; wg.Done() }()
					if errs[k] = lane.run(ctx, m, opt, workers, seed, first, size, k, si, outs, report); errs[k] != nil {
						cancel()
					}
				}()
			}
			wg.Wait()
			if err := ctx.Err(); err != nil && !slices.ContainsFunc(errs, func(e error) bool { return e != nil && !errors.Is(e, context.Canceled) }) {
				return err
			}
			// The first real failure, rather than the cancellation it caused.
			for _, err := range errs {
				if err != nil && !errors.Is(err, context.Canceled) {
					return err
				}
			}
			for _, err := range errs {
				if err != nil {
					return err
				}
			}
			for c := range outs {
				store(job{rep: r, chunk: first + c}, outs[c])
			}
		}
	}
	return nil
}

// poolLane runs one strategy over a pool: a worker per chunk, and each
// channel's batch for the pool.
type poolLane struct {
	workers []*worker
	batches []poolBatch
}

// run simulates strategy si (the k-th selected) over the size chunks from
// chunk first, putting chunk c's totals in outs[c][k].
func (lane *poolLane) run(ctx context.Context, m *Model, opt Options, workers int, seed uint64, first, size, k, si int,
	outs [][]Totals, report func(int64)) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	pool := lane.workers[:size]
	customers := 0
	_ = parallel(workers, size, func(c int) error {
		if pool[c] == nil {
			pool[c] = newWorker(m, nil, opt)
		}
		start := (first + c) * ChunkSize
		pool[c].s.sample(m, seed, start, min(ChunkSize, m.Population.Size-start))
		outs[c][k] = newTotals(m, opt.Paths)
		pool[c].begin(si, &outs[c][k])
		pool[c].c.adopters = 0
		return nil
	})
	for _, w := range pool {
		customers += w.s.n
	}
	// Each chunk finishes one tick and decides the next in one visit, so
	// that its customers are still in the cache from one to the other. A
	// coupled model needs the whole pool's tick finished first, to count
	// its adopters.
	coupled := m.Coupled()
	for t := 0; t < m.Horizon; t++ {
		if err := ctx.Err(); err != nil {
			return err
		}
		if coupled && t > 0 {
			if err := parallel(workers, size, func(c int) error { return pool[c].finishTick(seed, t-1) }); err != nil {
				return err
			}
			adopters := 0
			for _, w := range pool {
				adopters += w.buyers()
			}
			for _, w := range pool {
				w.c.adopters = float64(adopters) / float64(customers)
			}
		}
		err := parallel(workers, size, func(c int) error {
			if t > 0 && !coupled {
				if err := pool[c].finishTick(seed, t-1); err != nil {
					return err
				}
			}
			if err := pool[c].decideTick(t); err != nil {
				return err
			}
			pool[c].gather(seed, t)
			return nil
		})
		if err != nil {
			return err
		}
		if t > 0 {
			report(int64(customers))
		}
		if err := callPooled(m, pool, lane.batches, t); err != nil {
			return err
		}
	}
	err := parallel(workers, size, func(c int) error {
		if err := pool[c].finishTick(seed, m.Horizon-1); err != nil {
			return err
		}
		pool[c].end()
		return nil
	})
	if err != nil {
		return err
	}
	report(int64(customers))
	return nil
}

// poolBatch is one channel's batch for a whole pool, and its answers.
type poolBatch struct {
	batch ContactBatch
	out   Responses
}

// callPooled joins each channel's contacts of tick t across the pool's
// chunks, in chunk order, into one batch for its behaviour, calls the
// channels' behaviours concurrently, and hands each chunk its answers.
func callPooled(m *Model, pool []*worker, batches []poolBatch, t int) error {
	errs := make([]error, len(batches))
	var wg sync.WaitGroup
	for ch := range batches {
		pb := &batches[ch]
		b := &pb.batch
		b.reset(m.Channels[ch].Name, t)
		b.Discount = b.Discount[:0]
		for _, w := range pool {
			l := &w.lists[ch]
			if len(l.local) == 0 {
				continue
			}
			wb := &l.batch
			b.Integration, b.Personas = wb.Integration, wb.Personas
			b.Customer = append(b.Customer, wb.Customer...)
			b.Persona = append(b.Persona, wb.Persona...)
			b.Affinity = append(b.Affinity, wb.Affinity...)
			b.Fatigue = append(b.Fatigue, wb.Fatigue...)
			b.Tolerance = append(b.Tolerance, wb.Tolerance...)
			b.Loyalty = append(b.Loyalty, wb.Loyalty...)
			b.Discount = append(b.Discount, wb.Discount...)
			b.Rand = append(b.Rand, wb.Rand...)
		}
		if b.Len() == 0 {
			continue
		}
		pb.out.Resize(b.Len())
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[ch] = respond(m, ch, t, b, &pb.out)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	for ch := range batches {
		out := &batches[ch].out
		off := 0
		for _, w := range pool {
			l := &w.lists[ch]
			n := len(l.local)
			if n == 0 {
				continue
			}
			copy(l.out.Responded, out.Responded[off:off+n])
			copy(l.out.Satisfaction, out.Satisfaction[off:off+n])
			copy(l.out.Effort, out.Effort[off:off+n])
			copy(l.out.Minutes, out.Minutes[off:off+n])
			copy(l.out.Purchase, out.Purchase[off:off+n])
			copy(l.out.OptOut, out.OptOut[off:off+n])
			off += n
		}
	}
	return nil
}

// parallel calls fn(0) … fn(n−1) on up to workers goroutines and returns
// the error of the lowest index that failed.
func parallel(workers, n int, fn func(k int) error) error {
	workers = max(1, min(workers, n))
	errs := make([]error, n)
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				k := int(next.Add(1)) - 1
				if k >= n {
					return
				}
				errs[k] = fn(k)
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// poolChunks is the number of chunks in a pool; tests make it small.
var poolChunks = PoolSize / ChunkSize
