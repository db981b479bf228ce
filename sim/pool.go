package sim

import "context"

// runPools simulates every replication pool by pool for a model with a
// pooled behaviour. A pool's chunks advance together, tick by tick: each
// chunk decides its contacts, then every channel's contacts across the
// pool go to its behaviour in one batch (channels concurrently), then each
// chunk applies the answers and moves on.
//
// A unit of work is one strategy over one pool of one replication, run by
// a lane; the scheduler's workers are the lanes, as many as PoolSize
// customers allow, so that one strategy computes while another waits for
// its behaviours. Each chunk keeps its own totals, and units are handed
// over in order, so each replication's totals are the sum of its chunks in
// chunk order, as in a run by chunks: behaviours that answer each contact
// on its own give the same results either way.
func runPools(ctx context.Context, m *Model, opt Options, workers int, reps *replications, prog *progress) error {
	chunks := chunkCount(m)
	perPool := min(chunks, poolChunks)
	pools := (chunks + perPool - 1) / perPool
	ns := len(reps.strategies)
	if ns == 0 {
		// Nothing to simulate: every replication is complete as it is.
		if err := ctx.Err(); err != nil {
			return err
		}
		for r := range m.Replications {
			reps.finish(r)
		}
		return nil
	}
	lanes := make([]poolLane, max(1, min(ns, poolChunks/perPool)))
	for l := range lanes {
		lanes[l] = poolLane{m: m, opt: opt, workers: workers, coupled: m.Coupled(), prog: prog,
			batches: make([]poolBatch, len(m.Channels))}
	}
	unit := func(u int) (r, p, k int) { return u / (pools * ns), u / ns % pools, u % ns }
	do := func(ctx context.Context, l, u int) ([]Totals, error) {
		r, p, k := unit(u)
		first := p * perPool
		return lanes[l].run(ctx, reps.seeds[r], first, min(perPool, chunks-first), reps.strategies[k])
	}
	done := func(u int, outs []Totals) error {
		r, p, k := unit(u)
		for c := range outs {
			reps.add(r, k, &outs[c])
		}
		if p == pools-1 && k == ns-1 {
			reps.finish(r)
		}
		return nil
	}
	o := ScheduleOptions{Workers: len(lanes), InOrder: true}
	return Schedule(ctx, o, m.Replications*pools*ns, do, done)
}

// poolLane runs one strategy over one pool at a time: a worker per chunk,
// each channel's batch for the pool, and the pool being run.
type poolLane struct {
	m       *Model
	opt     Options
	workers int // goroutines the chunks are run on
	coupled bool
	prog    *progress
	chunks  []*worker // kept from one pool to the next
	batches []poolBatch
	// calls are the channels with contacts in the current tick.
	calls []int

	pool      []*worker // the current pool's chunks
	seed      uint64
	customers int
}

// run simulates strategy si over the size chunks from chunk first of the
// replication whose seed is seed, and returns each chunk's totals.
func (lane *poolLane) run(ctx context.Context, seed uint64, first, size, si int) ([]Totals, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	outs := lane.start(ctx, seed, first, size, si)
	for t := 0; t < lane.m.Horizon; t++ {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if err := lane.advance(ctx, t); err != nil {
			return nil, err
		}
		if t > 0 {
			lane.prog.add(int64(lane.customers))
		}
		if err := lane.call(ctx, t); err != nil {
			return nil, err
		}
	}
	last := lane.m.Horizon - 1
	err := lane.each(ctx, func(w *worker) error {
		if err := w.finishTick(seed, last); err != nil {
			return err
		}
		return w.end(seed)
	})
	if err != nil {
		return nil, err
	}
	lane.prog.add(int64(lane.customers))
	return outs, nil
}

// start samples the customers of the pool's chunks and readies them to
// run under strategy si, each adding to its own totals.
func (lane *poolLane) start(ctx context.Context, seed uint64, first, size, si int) []Totals {
	m := lane.m
	for len(lane.chunks) < size {
		lane.chunks = append(lane.chunks, nil)
	}
	lane.pool, lane.seed = lane.chunks[:size], seed
	outs := make([]Totals, size)
	// Sampling cannot fail, and a cancelled run is noticed at the first
	// tick.
	_ = forEach(ctx, lane.workers, size, func(c int) error {
		if lane.pool[c] == nil {
			lane.pool[c] = newWorker(m, nil, lane.opt)
		}
		w := lane.pool[c]
		w.ctx = ctx
		start := (first + c) * ChunkSize
		w.s.sample(m, seed, start, min(ChunkSize, m.Population.Size-start))
		outs[c] = newTotals(m, lane.opt.Paths)
		w.begin(si, &outs[c])
		w.c.adopters = 0
		w.c.reviewRating, w.c.reviews = m.Reviews.ReviewRating(0, 0), m.Reviews.Count
		return nil
	})
	lane.customers = 0
	for _, w := range lane.pool {
		lane.customers += w.s.n
	}
	return outs
}

// advance finishes tick t−1 of every chunk, if t is not the first, then
// decides and gathers each chunk's contacts of tick t. Each chunk finishes
// one tick and decides the next in one visit, so that its customers are
// still in the cache from one to the other. A coupled model needs the
// whole pool's tick finished first, to count its adopters.
func (lane *poolLane) advance(ctx context.Context, t int) error {
	seed := lane.seed
	if lane.coupled && t > 0 {
		if err := lane.each(ctx, func(w *worker) error { return w.finishTick(seed, t-1) }); err != nil {
			return err
		}
		lane.sharePopulation()
	}
	finish := t > 0 && !lane.coupled
	return lane.each(ctx, func(w *worker) error {
		if finish {
			if err := w.finishTick(seed, t-1); err != nil {
				return err
			}
		}
		if err := w.decideTick(t); err != nil {
			return err
		}
		w.gather(seed, t)
		return nil
	})
}

// sharePopulation tells every chunk what the pool's customers have done
// (PopulationVars), once the pool's tick is finished: the share who have
// bought, and the reviews posted. Sums run in chunk order, so they do not
// depend on how many goroutines ran the chunks.
func (lane *poolLane) sharePopulation() {
	adopters, posted, stars := 0, int64(0), 0.0
	for _, w := range lane.pool {
		adopters += w.buyers()
		posted += w.tot.Reviews
		stars += w.tot.ReviewStars
	}
	reviews := lane.m.Reviews
	for _, w := range lane.pool {
		w.c.adopters = float64(adopters) / float64(lane.customers)
		w.c.reviewRating = reviews.ReviewRating(posted, stars)
		w.c.reviews = reviews.Count + float64(posted)
	}
}

// each calls fn with the worker of every chunk of the pool, on up to
// lane.workers goroutines, and returns the error of the first chunk in
// pool order that failed.
func (lane *poolLane) each(ctx context.Context, fn func(w *worker) error) error {
	return forEach(ctx, lane.workers, len(lane.pool), func(c int) error { return fn(lane.pool[c]) })
}

// call joins each channel's contacts of tick t across the pool's chunks,
// in chunk order, into one batch for its behaviour, calls the channels'
// behaviours concurrently, and hands each chunk its answers.
func (lane *poolLane) call(ctx context.Context, t int) error {
	m := lane.m
	lane.calls = lane.calls[:0]
	for ch := range lane.batches {
		if lane.batches[ch].join(m, lane.pool, ch, t) > 0 {
			lane.calls = append(lane.calls, ch)
		}
	}
	if len(lane.calls) == 0 {
		return nil
	}
	err := forEach(ctx, len(lane.calls), len(lane.calls), func(j int) error {
		ch := lane.calls[j]
		pb := &lane.batches[ch]
		return respond(m, ch, t, &pb.batch, &pb.out)
	})
	if err != nil {
		return err
	}
	for _, ch := range lane.calls {
		lane.batches[ch].split(lane.pool, ch)
	}
	return nil
}

// poolBatch is one channel's batch for a whole pool, and its answers.
type poolBatch struct {
	batch ContactBatch
	out   Responses
}

// join fills the batch with channel ch's contacts of tick t from each of
// the pool's chunks in turn, readies the answers, and returns the number
// of contacts.
func (pb *poolBatch) join(m *Model, pool []*worker, ch, t int) int {
	b := &pb.batch
	b.reset(m.Channels[ch].Name, t)
	for _, w := range pool {
		if l := &w.lists[ch]; len(l.local) > 0 {
			b.append(&l.batch)
		}
	}
	n := b.Len()
	if n > 0 {
		pb.out.Resize(n)
	}
	return n
}

// split hands each of the pool's chunks its share of the answers on
// channel ch, in the order join took the contacts.
func (pb *poolBatch) split(pool []*worker, ch int) {
	off := 0
	for _, w := range pool {
		l := &w.lists[ch]
		if n := len(l.local); n > 0 {
			l.out.copyFrom(&pb.out, off)
			off += n
		}
	}
}

// forEach calls fn(k) for every k from 0 to n−1 on up to workers
// goroutines and returns the error of the lowest k that failed, so that
// which error is reported does not depend on scheduling: indices are
// handed out in increasing order, so every k below one that failed has run
// by the time forEach returns. A failure stops the handing out of the rest.
func forEach(ctx context.Context, workers, n int, fn func(k int) error) error {
	errs := make([]error, n)
	err := Schedule(ctx, ScheduleOptions{Workers: workers}, n,
		func(_ context.Context, _, k int) (struct{}, error) {
			errs[k] = fn(k)
			return struct{}{}, errs[k]
		},
		func(int, struct{}) error { return nil })
	for _, e := range errs {
		if e != nil {
			return e
		}
	}
	return err
}

// poolChunks is the number of chunks in a pool; tests make it small.
var poolChunks = PoolSize / ChunkSize
