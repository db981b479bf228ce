package sim

import (
	"context"
	"sync"
)

// ScheduleOptions control Schedule.
type ScheduleOptions struct {
	// Workers is the number of tasks run at once; less than 1 means 1.
	Workers int
	// InOrder hands results to done in index order rather than in the
	// order the tasks finish, holding a finished result until every
	// index before it is done. Sums of floating-point numbers taken in
	// done then do not depend on scheduling.
	InOrder bool
}

// Schedule runs do(ctx, worker, i) for every i from 0 to n-1 on up to
// o.Workers goroutines, handing out the indices in increasing order;
// worker (0 to o.Workers-1) says which goroutine runs the task, so that a
// caller can keep one set of scratch state per worker. Each result is
// handed to done(i, v), one call at a time (done needs no lock of its
// own), in the order the tasks finish or, with o.InOrder, in index order.
//
// The first error from do or done cancels the context the other tasks
// see, stops handing out indices, and is returned once the tasks in
// flight end. Cancelling ctx does the same and returns ctx's error,
// unless every index was done by then. Errors of tasks that fail only
// because the run was already cancelled are not returned.
//
// Schedule is the one scheduler of the engine's runs, of pooled runs and
// of sweeps.
func Schedule[T any](ctx context.Context, o ScheduleOptions, n int,
	do func(ctx context.Context, worker, i int) (T, error),
	done func(i int, v T) error) error {
	workers := max(1, o.Workers)
	workers = min(workers, max(1, n))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()

	var (
		mu       sync.Mutex
		firstErr error
		finished int
		next     int       // with InOrder: the next index done gets
		held     map[int]T // with InOrder: finished results waiting for next
		ready    map[int]bool
	)
	if o.InOrder {
		held = make(map[int]T)
		ready = make(map[int]bool)
	}
	fail := func(err error) {
		// Called with mu held.
		if firstErr == nil {
			firstErr = err
			cancel()
		}
	}
	deliver := func(i int, v T) {
		mu.Lock()
		defer mu.Unlock()
		if firstErr != nil {
			return
		}
		if !o.InOrder {
			if err := done(i, v); err != nil {
				fail(err)
				return
			}
			finished++
			return
		}
		held[i], ready[i] = v, true
		for ready[next] {
			w := held[next]
			delete(held, next)
			delete(ready, next)
			if err := done(next, w); err != nil {
				fail(err)
				return
			}
			next++
			finished++
		}
	}

	indices := make(chan int)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range indices {
				v, err := do(ctx, w, i)
				if err != nil {
					mu.Lock()
					if ctx.Err() == nil {
						fail(err)
					}
					mu.Unlock()
					continue
				}
				deliver(i, v)
			}
		}()
	}
feed:
	for i := range n {
		select {
		case indices <- i:
		case <-ctx.Done():
			break feed
		}
	}
	close(indices)
	wg.Wait()

	mu.Lock()
	defer mu.Unlock()
	if firstErr != nil {
		return firstErr
	}
	if finished == n {
		return nil
	}
	return ctx.Err()
}
