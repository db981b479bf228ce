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
	workers := min(max(1, o.Workers), max(1, n))
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	d := &delivery[T]{done: done, inOrder: o.InOrder, cancel: cancel}
	if o.InOrder {
		d.held = make(map[int]T)
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
					d.failed(ctx, err)
					continue
				}
				d.deliver(i, v)
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
	return d.result(ctx, n)
}

// delivery hands a schedule's results to done, one call at a time, and
// keeps its first error.
type delivery[T any] struct {
	mu       sync.Mutex
	done     func(i int, v T) error
	inOrder  bool
	cancel   context.CancelFunc
	firstErr error
	finished int
	// With inOrder: the next index done gets, and the finished results
	// waiting for it.
	next int
	held map[int]T
}

// fail keeps err if it is the first error and cancels the schedule; the
// caller holds d.mu.
func (d *delivery[T]) fail(err error) {
	if d.firstErr == nil {
		d.firstErr = err
		d.cancel()
	}
}

// failed records a task's error, unless the schedule was cancelled
// already: a task that fails because of the cancel is not the cause.
func (d *delivery[T]) failed(ctx context.Context, err error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if ctx.Err() == nil {
		d.fail(err)
	}
}

// deliver hands task i's result v to done, or holds it until every index
// before it is done (inOrder).
func (d *delivery[T]) deliver(i int, v T) {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.firstErr != nil {
		return
	}
	if !d.inOrder {
		if err := d.done(i, v); err != nil {
			d.fail(err)
			return
		}
		d.finished++
		return
	}
	d.held[i] = v
	for {
		w, ok := d.held[d.next]
		if !ok {
			return
		}
		delete(d.held, d.next)
		if err := d.done(d.next, w); err != nil {
			d.fail(err)
			return
		}
		d.next++
		d.finished++
	}
}

// result is the schedule's error once every task has ended: the first
// error, or ctx's when it was cancelled before all n were done.
func (d *delivery[T]) result(ctx context.Context, n int) error {
	d.mu.Lock()
	defer d.mu.Unlock()
	if d.firstErr != nil {
		return d.firstErr
	}
	if d.finished == n {
		return nil
	}
	return ctx.Err()
}
