package sim

import (
	"context"
	"errors"
	"slices"
	"testing"
)

func TestScheduleInOrder(t *testing.T) {
	for _, workers := range []int{0, 1, 3, 8} {
		var got []int
		err := Schedule(context.Background(), ScheduleOptions{Workers: workers, InOrder: true}, 50,
			func(_ context.Context, worker, i int) (int, error) {
				if worker < 0 || worker >= max(1, workers) {
					t.Errorf("worker %d out of range for %d workers", worker, workers)
				}
				return i * i, nil
			},
			func(i, v int) error {
				if v != i*i {
					t.Errorf("done(%d, %d): want %d", i, v, i*i)
				}
				got = append(got, i)
				return nil
			})
		if err != nil {
			t.Fatal(err)
		}
		want := make([]int, 50)
		for i := range want {
			want[i] = i
		}
		if !slices.Equal(got, want) {
			t.Errorf("workers %d: done saw %v, want every index in order", workers, got)
		}
	}
}

func TestScheduleEveryIndexOnce(t *testing.T) {
	seen := make([]int, 100)
	err := Schedule(context.Background(), ScheduleOptions{Workers: 4}, len(seen),
		func(_ context.Context, _, i int) (int, error) { return i, nil },
		func(i, v int) error { seen[v]++; return nil })
	if err != nil {
		t.Fatal(err)
	}
	for i, n := range seen {
		if n != 1 {
			t.Errorf("index %d done %d times", i, n)
		}
	}
}

func TestScheduleFirstErrorStops(t *testing.T) {
	boom := errors.New("boom")
	var done []int
	err := Schedule(context.Background(), ScheduleOptions{Workers: 1, InOrder: true}, 10,
		func(_ context.Context, _, i int) (int, error) {
			if i == 3 {
				return 0, boom
			}
			return i, nil
		},
		func(i, _ int) error { done = append(done, i); return nil })
	if !errors.Is(err, boom) {
		t.Fatalf("err = %v, want boom", err)
	}
	if !slices.Equal(done, []int{0, 1, 2}) {
		t.Errorf("done saw %v, want [0 1 2]: nothing after the failure", done)
	}
}

func TestScheduleDoneErrorStops(t *testing.T) {
	full := errors.New("disk full")
	err := Schedule(context.Background(), ScheduleOptions{Workers: 2}, 10,
		func(_ context.Context, _, i int) (int, error) { return i, nil },
		func(i, _ int) error { return full })
	if !errors.Is(err, full) {
		t.Fatalf("err = %v, want the error done returned", err)
	}
}

func TestScheduleCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var done []int
	err := Schedule(ctx, ScheduleOptions{Workers: 1, InOrder: true}, 10,
		func(ctx context.Context, _, i int) (int, error) {
			if i == 4 {
				cancel()
				return 0, ctx.Err() // fails only because it was cancelled
			}
			return i, nil
		},
		func(i, _ int) error { done = append(done, i); return nil })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("err = %v, want context.Canceled", err)
	}
	if !slices.Equal(done, []int{0, 1, 2, 3}) {
		t.Errorf("done saw %v, want the tasks finished before the cancel", done)
	}
}
